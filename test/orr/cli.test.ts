import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ASSESSED_ON, BILLING_TAGS, EXAMPLE_ATTESTATIONS, captureIo, plainApp, synthesize, tempDir } from './support';
import { buildServerlessSquadApp } from '../../examples/serverless-squad/app';
import { EXIT_GATE, EXIT_OK, EXIT_USAGE, USAGE, runCli } from '../../src/cli/cli';
import { ReadinessReport } from '../../src/orr/model';

const EXAMPLE = synthesize(buildServerlessSquadApp);
const ROOT = path.join(__dirname, '..', '..');
const CRITICAL = 'freight/price-updates, freight/quote-api, freight/quotes, freight';

/** Run the CLI; returns the exit code and what it wrote. */
function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  const captured = captureIo();
  const code = runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('cdk-operable orr', () => {
  test('--format json --out: writes the report, prints the summary, exits 0 when no critical service has a high-risk issue', () => {
    const out = path.join(tempDir(), 'reports', 'readiness.json');
    const run = cli('orr', EXAMPLE, '--format', 'json', '--out', out, '--attestations', EXAMPLE_ATTESTATIONS, '--assessed-on', ASSESSED_ON);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stderr).toBe('');
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as ReadinessReport;
    expect(report).toMatchObject({ schemaVersion: '2.0.0', assessedOn: ASSESSED_ON, stacks: ['ServerlessSquad'] });
    expect(report.services.map((s) => `${s.name} ${s.maturity}`)).toEqual(['price-updates Silver', 'quote-api Silver', 'quotes Silver']);
    expect(report.workloads.map((s) => `${s.name} ${s.maturity}`)).toEqual(['freight Silver']);
    expect(run.stdout).toContain('Readiness review of 1 stack (1 workloads, 3 services, 0 unowned stacks; framework 2024-06-27, assessed 2026-11-24)');
    expect(run.stdout).toMatch(/\n {2}freight\/quote-api \[critical\]: Silver \(score \d+(\.\d)?\), 0 HRI, 0 MRI/);
    expect(run.stdout).toContain('  no critical-tier or unowned scope has a high-risk issue');
    expect(run.stdout.endsWith(`Report (json) written to ${out}\n`)).toBe(true);
  });

  test('without attestations the critical services have high-risk issues: exit 1, naming them', () => {
    const out = path.join(tempDir(), 'readiness.json');
    const run = cli('orr', EXAMPLE, '--out', out);
    expect(run.code).toBe(EXIT_GATE);
    expect(run.stderr.startsWith(`Readiness gate (--fail-on critical) failed: ${CRITICAL} have high-risk issues:\n`)).toBe(true);
    // Each scope with its gaps: the practice, its title, and the rules that found it.
    expect(run.stderr).toMatch(/\n {2}freight\/quote-api: OPS01-BP01 Evaluate external customer needs; /);
    expect(run.stderr.endsWith('Fix them (tag unowned stacks with ops:workload and ops:owner), attest practices no template can show ' +
      '(--attestations), or pass --fail-on none.\n')).toBe(true);
    expect(run.stdout).toContain(`  CRITICAL or UNOWNED scopes with high-risk issues: ${CRITICAL}`);
    // The report is written all the same.
    expect((JSON.parse(fs.readFileSync(out, 'utf8')) as ReadinessReport).summary.criticalWithHighRisk).toEqual(CRITICAL.split(', '));
  });

  test('--fail-on none reports only', () => {
    const run = cli('orr', EXAMPLE, '--format', 'json', '--fail-on', 'none');
    expect(run.code).toBe(EXIT_OK);
    // Without --out the report goes to stdout, the summary to stderr.
    expect((JSON.parse(run.stdout) as ReadinessReport).summary.criticalWithHighRisk).toEqual(CRITICAL.split(', '));
    expect(run.stderr).toContain(`CRITICAL or UNOWNED scopes with high-risk issues: ${CRITICAL}`);
    expect(run.stderr).not.toContain('Readiness gate');
  });

  test('--fail-on any gates on services of every tier; the default gates on critical ones only', () => {
    const standard = plainApp(undefined, { ...BILLING_TAGS, tier: 'standard' }).dir;
    expect(cli('orr', standard, '--format', 'json').code).toBe(EXIT_OK);
    const any = cli('orr', standard, '--format', 'json', '--fail-on', 'any');
    expect(any.code).toBe(EXIT_GATE);
    expect(any.stderr).toContain('Readiness gate (--fail-on any) failed: payments/billing, payments have high-risk issues:\n');
    const attested = cli('orr', EXAMPLE, '--format', 'json', '--fail-on', 'any', '--attestations', EXAMPLE_ATTESTATIONS, '--assessed-on', ASSESSED_ON);
    expect(attested.code).toBe(EXIT_OK);
  });

  test('the format follows the --out extension, markdown otherwise', () => {
    const dir = tempDir();
    const common = ['--attestations', EXAMPLE_ATTESTATIONS, '--assessed-on', ASSESSED_ON];
    expect(cli('orr', EXAMPLE, '--out', path.join(dir, 'r.html'), ...common).code).toBe(EXIT_OK);
    expect(fs.readFileSync(path.join(dir, 'r.html'), 'utf8')).toMatch(/^<!doctype html/i);
    expect(cli('orr', EXAMPLE, '--out', path.join(dir, 'r.HTM'), ...common).stdout).toContain('Report (html) written to');
    expect(cli('orr', EXAMPLE, '--out', path.join(dir, 'r.md'), ...common).stdout).toContain('Report (md) written to');
    expect(cli('orr', EXAMPLE, '--out', path.join(dir, 'r.txt'), ...common).stdout).toContain('Report (md) written to');
    expect(fs.readFileSync(path.join(dir, 'r.md'), 'utf8')).toContain('freight-quote-api-page');
    // --format wins over the extension.
    expect(cli('orr', EXAMPLE, '--format', 'json', '--out', path.join(dir, 'r2.html'), ...common).code).toBe(EXIT_OK);
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'r2.html'), 'utf8')) as ReadinessReport).schemaVersion).toBe('2.0.0');
  });

  test.each([
    [['orr', '<example>', '--format', 'xml'], "cdk-operable: --format 'xml' is not one of html, md, json.\n"],
    [['orr', '<example>', '--fail-on', 'sometimes'], "cdk-operable: --fail-on 'sometimes' is not one of critical, any, none.\n"],
    [['orr'], 'cdk-operable: orr takes one or more cloud assembly directories (e.g. cdk.out), got none.\n'],
    [['orr', '<example>', '--verbose'], "cdk-operable: Unknown option '--verbose'"],
    [['orr', '<example>', '--format'], "cdk-operable: Option '--format <value>' argument missing"],
  ])('bad usage %p: exit 2 with the usage', (argv, message) => {
    const run = cli(...argv.map((a) => (a === '<example>' ? EXAMPLE : a)));
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr.endsWith(`${USAGE}\n`)).toBe(true);
    expect(run.stdout).toBe('');
  });

  test('a missing assembly: exit 2 with the assembly error, no usage', () => {
    const missing = path.join(tempDir(), 'cdk.out');
    const run = cli('orr', missing);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toBe(`cdk-operable: Cloud assembly '${missing}' does not exist or is not a directory: ` +
      `run \`cdk synth\` (or \`npx cdk synth -o ${missing}\`) first.\n`);
  });

  test('a bad attestations file or date: exit 2 with the error', () => {
    const bad = cli('orr', EXAMPLE, '--attestations', path.join(EXAMPLE, 'none.json'));
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain(`Attestations file '${path.join(EXAMPLE, 'none.json')}' does not exist.`);
    const date = cli('orr', EXAMPLE, '--assessed-on', '2026-02-30');
    expect([date.code, date.stderr]).toEqual([EXIT_USAGE, "cdk-operable: assessedOn '2026-02-30' must be a date YYYY-MM-DD.\n"]);
  });
});

describe('cdk-operable lens, help, version', () => {
  test('lens --out writes the custom lens JSON', () => {
    const out = path.join(tempDir(), 'lens', 'orr-lens.json');
    const run = cli('lens', '--out', out);
    expect(run.code).toBe(EXIT_OK);
    const lens = JSON.parse(fs.readFileSync(out, 'utf8')) as { schemaVersion: string; name: string; pillars: Array<{ questions: unknown[] }> };
    expect(lens.schemaVersion).toBe('2021-11-01');
    expect(lens.pillars.flatMap((p) => p.questions).length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(new RegExp(`^Custom lens written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ questions, \\d+ choices, \\d+ bytes\\.`));
    expect(run.stdout).toContain(`aws wellarchitected import-lens --json-string file://${out}`);
  });

  test('lens without --out prints it; --all-questions asks all eleven; --name names it', () => {
    const all = JSON.parse(cli('lens', '--all-questions', '--name', 'Freight ORR').stdout) as { name: string; pillars: Array<{ questions: unknown[] }> };
    expect(all.name).toBe('Freight ORR');
    expect(all.pillars.flatMap((p) => p.questions)).toHaveLength(11);
    expect(cli('lens', 'extra')).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining("lens takes no arguments, got 'extra'.") });
  });

  test('--help and -h print the usage; --version the package version', () => {
    for (const flag of ['--help', '-h']) expect(cli(flag)).toEqual({ code: EXIT_OK, stdout: `${USAGE}\n`, stderr: '' });
    for (const command of ['orr', 'lens']) expect(cli(command, '--help')).toEqual({ code: EXIT_OK, stdout: `${USAGE}\n`, stderr: '' });
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(cli('--version')).toEqual({ code: EXIT_OK, stdout: `${version}\n`, stderr: '' });
  });

  test('an unknown command or none: exit 2 with the usage', () => {
    expect(cli('review', EXAMPLE)).toEqual({ code: EXIT_USAGE, stdout: '', stderr: `cdk-operable: Unknown command 'review'.\n${USAGE}\n` });
    expect(cli()).toEqual({ code: EXIT_USAGE, stdout: '', stderr: `cdk-operable: Give a command.\n${USAGE}\n` });
  });
});

describe('the cdk-operable binary', () => {
  test('orr --format md runs as a process: markdown on stdout, summary on stderr, exit status of the gate', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register', 'src/cli/index.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PROJECT: 'test/tsconfig.json' },
    });
    const ready = run('orr', EXAMPLE, '--format', 'md', '--attestations', EXAMPLE_ATTESTATIONS, '--assessed-on', ASSESSED_ON);
    expect(ready.status).toBe(EXIT_OK);
    expect(ready.stdout).toMatch(/^# /);
    expect(ready.stdout).toContain('quote-api');
    expect(ready.stdout).toContain('freight-quote-api-page');
    expect(ready.stderr).toContain('Readiness review of 1 stack (1 workloads, 3 services');

    const gated = run('orr', EXAMPLE, '--format', 'md', '--assessed-on', ASSESSED_ON);
    expect(gated.status).toBe(EXIT_GATE);
    expect(gated.stderr).toContain(`Readiness gate (--fail-on critical) failed: ${CRITICAL} have high-risk issues:`);
  });
});
