#!/usr/bin/env bash
# The readiness-report browser test (test/orr/render-browser.test.ts) opens the HTML report in Debian's Chromium
# (/usr/bin/chromium, driven by playwright-core; no browser is ever downloaded). Install it when missing, so
# `npx projen build` works on a fresh Debian machine as the README says.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing Debian's chromium for the readiness-report browser test..."
$SUDO apt-get install -y -q chromium >/dev/null || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q chromium >/dev/null; }
chromium --version
