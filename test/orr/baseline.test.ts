import * as fs from 'fs';
import * as path from 'path';
import { ASSESSED_ON, EXAMPLE_ATTESTATIONS, captureIo, plainApp, synthesize, tempDir, writeJson } from './support';
import { buildServerlessSquadApp } from '../../examples/serverless-squad/app';
import { EXIT_GATE, EXIT_OK, EXIT_USAGE, runCli } from '../../src/cli/cli';
import { ReadinessReview } from '../../src/orr/readiness-review';

/**
 * Milestones (issue 11 §4) and many squads in one review (§5): `--baseline previous-review.json` reports what changed
 * — issues closed and opened, maturity changes, new and removed scopes — in JSON, Markdown and HTML; several
 * assemblies give one organization report.
 */
function cli(...argv: string[]) {
  const captured = captureIo();
  const code = runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

const EXAMPLE = synthesize(buildServerlessSquadApp);
const PLAIN = plainApp().dir;

describe('a review against the baseline of the same squad before its attestations', () => {
  let baselineFile: string;
  let review: ReadinessReview;
  beforeAll(() => {
    baselineFile = path.join(tempDir(), 'previous-review.json');
    expect(cli('orr', EXAMPLE, '--out', baselineFile, '--assessed-on', '2026-09-01', '--fail-on', 'none').code).toBe(EXIT_OK);
    review = ReadinessReview.fromAssembly(EXAMPLE, { attestationsFile: EXAMPLE_ATTESTATIONS, assessedOn: ASSESSED_ON, baselineFile });
  });

  test('counts the high-risk issues before and after, and lists each one closed, per scope', () => {
    const since = review.report.sinceBaseline!;
    const before = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
    expect(since.baselineAssessedOn).toBe('2026-09-01');
    expect(since.baselineSchemaVersion).toBe('2.0.0');
    expect(since.highRiskIssuesBefore).toBe(before.summary.highRiskIssues);
    expect(since.highRiskIssuesBefore).toBeGreaterThan(0);
    expect(since.highRiskIssuesAfter).toBe(review.report.summary.highRiskIssues);
    expect(since.highRiskIssuesAfter).toBe(0);
    // Every high-risk issue of the workload at the baseline is closed now.
    const freightBefore = before.workloads.find((w: { name: string }) => w.name === 'freight').highRiskIssues as string[];
    expect(since.closed.filter((i) => i.scope === 'freight' && i.risk === 'HIGH').map((i) => i.practiceId)).toEqual(freightBefore);
    expect(since.opened).toEqual([]);
    expect(since.newScopes).toEqual([]);
    expect(since.removedScopes).toEqual([]);
  });

  test('maturity changes name the scope, before and after', () => {
    const changes = review.report.sinceBaseline!.maturityChanges;
    expect(changes.map((c) => c.scope)).toEqual(['freight', 'freight/price-updates', 'freight/quote-api', 'freight/quotes']);
    for (const c of changes) {
      expect(c.before).toBe('None');
      expect(c.after).toBe(review.report.services.concat(review.report.workloads).find((s) => (s.kind === 'workload' ? s.name : `${s.workload}/${s.name}`) === c.scope)!.maturity);
    }
  });

  test('the JSON, Markdown and HTML reports have a "since the last review" section', () => {
    const json = JSON.parse(review.toJson());
    expect(json.sinceBaseline.highRiskIssuesAfter).toBe(0);
    const md = review.toMarkdown();
    const since = review.report.sinceBaseline!;
    expect(md).toContain('## Since the last review');
    expect(md).toContain(`- High-risk issues: ${since.highRiskIssuesBefore} → 0;`);
    expect(md).toContain(`- Closed (${since.closed.length}): freight `);
    expect(md.indexOf('## Since the last review')).toBeLessThan(md.indexOf('## Organization scorecard'));
    const html = review.toHtml();
    expect(html).toContain('<section id="since"><h2>Since the last review</h2>');
    expect(html).toContain(`<strong>${since.highRiskIssuesBefore} → 0</strong>`);
    expect(html).toContain('<li><a href="#since">Since the last review</a></li>');
    expect(review.summaryLines().join('\n')).toContain(`since 2026-09-01: high-risk issues ${since.highRiskIssuesBefore} → 0, ${since.closed.length} issues closed, 0 opened`);
  });
});

describe('several assemblies, one organization review', () => {
  let review: ReadinessReview;
  beforeAll(() => {
    review = ReadinessReview.fromAssemblies([EXAMPLE, PLAIN], { assessedOn: ASSESSED_ON });
  });

  test('every stack, prefixed by its assembly; every workload in one scorecard', () => {
    expect(review.report.assemblies).toEqual([fs.realpathSync(EXAMPLE), fs.realpathSync(PLAIN)].map((d) => path.resolve(d)));
    expect(review.report.stacks.map((s) => s.split('/').pop())).toEqual(['ServerlessSquad', 'Plain']);
    expect(review.report.workloads.map((w) => w.name)).toEqual(['freight', 'payments']);
    expect(review.report.services.map((s) => `${s.workload}/${s.name}`)).toEqual(['freight/price-updates', 'freight/quote-api', 'freight/quotes', 'payments/billing']);
    const md = review.toMarkdown();
    expect(md).toContain('## Organization scorecard');
    expect(md).toMatch(/\| \[freight\]\(#workload-freight-as-a-whole--[a-z]+\) \| critical \|/);
    expect(md).toMatch(/\| \[payments\]\(#workload-payments-as-a-whole--[a-z]+\) \| critical \|/);
    const html = review.toHtml();
    expect(html).toContain('<caption>Workloads and unowned stacks</caption>');
    expect(html).toContain('<a href="#workload-2-payments">payments</a>');
    expect(html).toContain('<h3 id="workload-2-payments">Workload payments (as a whole)');
  });

  test('a baseline of one squad: the other squad\'s scopes are new, its issues opened; dropping it removes them', () => {
    const baselineFile = path.join(tempDir(), 'example-only.json');
    fs.writeFileSync(baselineFile, ReadinessReview.fromAssembly(EXAMPLE, { assessedOn: ASSESSED_ON }).toJson());
    const grown = ReadinessReview.fromAssemblies([EXAMPLE, PLAIN], { assessedOn: ASSESSED_ON, baselineFile }).report.sinceBaseline!;
    expect(grown.newScopes).toEqual(['payments', 'payments/billing']);
    expect(grown.opened.length).toBeGreaterThan(0);
    expect(new Set(grown.opened.map((i) => i.scope))).toEqual(new Set(['payments', 'payments/billing']));
    expect([grown.closed, grown.maturityChanges, grown.removedScopes]).toEqual([[], [], []]);

    const bothFile = path.join(tempDir(), 'both.json');
    fs.writeFileSync(bothFile, review.toJson());
    const shrunk = ReadinessReview.fromAssembly(EXAMPLE, { assessedOn: ASSESSED_ON, baselineFile: bothFile }).report.sinceBaseline!;
    expect(shrunk.removedScopes).toEqual(['payments', 'payments/billing']);
    expect([shrunk.opened, shrunk.closed, shrunk.newScopes]).toEqual([[], [], []]);
  });

  test('the CLI takes several assemblies and gates on all of them', () => {
    const run = cli('orr', EXAMPLE, PLAIN, '--format', 'json', '--assessed-on', ASSESSED_ON);
    expect(run.code).toBe(EXIT_GATE);
    expect(run.stderr).toContain('payments/billing');
    expect(JSON.parse(run.stdout).workloads.map((w: { name: string }) => w.name)).toEqual(['freight', 'payments']);
  });
});

describe('--wa-answers: the review as Well-Architected Tool answers, one file per workload', () => {
  test('writes the update-answer requests and the milestone of each workload, skipping unowned stacks', () => {
    const dir = path.join(tempDir(), 'wa');
    const run = cli('orr', EXAMPLE, PLAIN, '--format', 'json', '--assessed-on', ASSESSED_ON, '--fail-on', 'none', '--wa-answers', dir,
      '--lens-alias', 'arn:aws:wellarchitected:eu-west-1:111111111111:lens/0123456789abcdef0123456789abcdef');
    expect(run.code).toBe(EXIT_OK);
    const files = fs.readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(run.stderr).toContain(`Well-Architected Tool answers for 2 workloads written: ${path.join(dir, files[0])}`);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, files.find((f) => f.includes('payments'))!), 'utf8'));
    expect(JSON.stringify(doc)).toContain('arn:aws:wellarchitected:eu-west-1:111111111111:lens/0123456789abcdef0123456789abcdef');
    expect(JSON.stringify(doc)).toContain('create-milestone');
  });

  test('--wa-lens without --wa-answers is a usage error', () => {
    const run = cli('orr', PLAIN, '--wa-lens', 'lens.json');
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain('--wa-lens and --lens-alias only apply with --wa-answers <dir>.');
  });
});

describe('a bad baseline exits 2 naming the file and the problem', () => {
  test.each([
    ['not JSON', '{ "schemaVersion": ', 'cannot be read as JSON ('],
    ['an array', [], 'is not a JSON object'],
    ['another schema', { schemaVersion: '9.0.0', assessedOn: '2026-01-01' }, 'has schemaVersion "9.0.0", not 1.x or 2.x'],
    ['no services', { schemaVersion: '2.0.0', assessedOn: '2026-01-01', workloads: [] }, 'has no "services" array'],
    ['a scope without a name', { schemaVersion: '2.0.0', assessedOn: '2026-01-01', services: [{ workload: 'w', maturity: 'None' }], workloads: [] },
      'has services[0] without a string name, workload and maturity'],
  ])('%s', (_label, content, problem) => {
    const file = writeJson(path.join(tempDir(), 'baseline.json'), content);
    const run = cli('orr', PLAIN, '--baseline', file, '--format', 'json');
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Baseline review '${file}' ${problem}`);
  });

  test('a missing file', () => {
    const file = path.join(tempDir(), 'nope.json');
    const run = cli('orr', PLAIN, '--baseline', file);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(`Baseline review '${file}' cannot be read as JSON (ENOENT`);
  });
});
