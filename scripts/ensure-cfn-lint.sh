#!/usr/bin/env bash
# test/cfn-lint.test.ts runs cfn-lint (the CloudFormation linter, a Python tool) over every integ snapshot template and
# the example apps' templates. Make sure it is on PATH before the tests run: keep the one installed, else try pip (where
# PyPI is reachable), then apt. If both fail, stop with the commands to run by hand; the test never skips silently.
set -uo pipefail
if command -v cfn-lint >/dev/null 2>&1; then
  cfn-lint --version
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PIP=""
if command -v pip3 >/dev/null 2>&1; then PIP="pip3"; elif command -v pip >/dev/null 2>&1; then PIP="pip"; fi
if [ -n "$PIP" ]; then
  echo "Installing cfn-lint with $PIP for test/cfn-lint.test.ts..."
  timeout 180 "$PIP" install --quiet --disable-pip-version-check --timeout 15 --retries 1 cfn-lint >/dev/null 2>&1 || true
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash >/dev/null 2>&1 || true; fi
  hash -r
fi

if ! command -v cfn-lint >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's cfn-lint for test/cfn-lint.test.ts..."
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q cfn-lint >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q cfn-lint >/dev/null 2>&1; } || true
  hash -r
fi

if command -v cfn-lint >/dev/null 2>&1; then
  cfn-lint --version
  exit 0
fi
echo "cfn-lint is not installed and could not be installed automatically; test/cfn-lint.test.ts needs it." >&2
echo "Install it with one of:" >&2
echo "  pip install cfn-lint                                       (needs PyPI)" >&2
echo "  sudo apt-get update && sudo apt-get install -y cfn-lint    (Debian releases that package it)" >&2
exit 1
