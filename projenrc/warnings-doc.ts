import * as fs from 'fs';
import * as path from 'path';
import { Warnings } from '../src/core/errors';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * docs/warnings.md: every acknowledgeable warning of the library with its meaning, generated from the registry
 * `Warnings` in src/core/errors.ts (the one place warning ids live), like RULES.md is generated from the rule metadata.
 */
export function warningsMarkdown(): string {
  const warnings = Object.values(Warnings);
  const out = [
    '# Acknowledgeable warnings',
    '',
    '<!-- Generated from `Warnings` in src/core/errors.ts by `npx projen warnings-doc`; test/docs/warnings-doc.test.ts fails when stale. -->',
    '',
    'Bad input fails at synth. Advice — something the Definition of Done expects that you may have a reason to leave out — is',
    'a CDK warning whose message ends with `[ack: cdk-operable:<name>]`. `cdk synth` prints warnings and does not fail on',
    'them (`cdk synth --strict` does). Acknowledge one with a reason on the construct that reports it or on any scope above',
    'it (a `Workload` or a stack: the acknowledgement then covers everything below):',
    '',
    "`Annotations.of(scope).acknowledgeWarning('cdk-operable:no-runbook', 'Runbooks live in the platform wiki (PLAT-12)')`",
    '',
    'Findings of the rule pack are acknowledged differently, with',
    "`Validations.of(construct).acknowledge({ id: 'OpsExcellence::OPS-<Rule>', reason })`: see [the rule pack](rule-pack.md)",
    'and [RULES.md](../RULES.md). A gap a construct already reports as a warning on a resource it wraps but must not change',
    '(an existing function) is reported by the pack at most at WARN, so it never fails synth twice.',
    '',
    `${warnings.length} warnings:`,
    '',
    '| Id | Meaning |',
    '|---|---|',
    ...warnings.map((w) => `| \`${w.id}\` | ${cell(w.meaning)} |`),
  ];
  return `${out.join('\n')}\n`;
}

/** Write docs/warnings.md (`npx projen warnings-doc`). */
export function writeWarningsDoc(root: string = path.join(__dirname, '..')): string {
  const file = path.join(root, 'docs', 'warnings.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, warningsMarkdown());
  return file;
}
