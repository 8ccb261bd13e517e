import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { captureIo, tempDir, writeJson } from './support';
import { EXIT_OK, EXIT_USAGE, USAGE, runCli } from '../../src/cli/cli';
import { CustomLens } from '../../src/orr/lens';

/** Run the CLI; returns the exit code and what it wrote. */
function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  const captured = captureIo();
  const code = runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

const DEFAULT = new CustomLens();
const ALL = new CustomLens({ includeUncoveredQuestions: true });
/** The default --lens-version: the content hash of the compact lens JSON, as OrrLens versions it. */
const versionOf = (lens: CustomLens) => createHash('sha256').update(JSON.stringify(JSON.parse(lens.toJson()))).digest('hex').slice(0, 8);

let dir: string;
beforeAll(() => {
  dir = tempDir('cli-lens-');
});

describe('cdk-operable lens --crosswalk', () => {
  test('writes the crosswalk as CSV, or as JSON for a .json file, next to the lens', () => {
    const csv = path.join(dir, 'out', 'crosswalk.csv');
    const run = cli('lens', '--crosswalk', csv);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stderr).toBe('');
    expect(fs.readFileSync(csv, 'utf8')).toBe(DEFAULT.toCrosswalkCsv());
    // With only --crosswalk, stdout carries the message, not the lens.
    expect(run.stdout).toBe(`Crosswalk (CSV) written to ${csv}: ${DEFAULT.crosswalk().length} choices mapped to Well-Architected best ` +
      'practices (framework 2024-06-27).\n');

    const json = path.join(dir, 'crosswalk.JSON');
    const lensOut = path.join(dir, 'lens.json');
    const both = cli('lens', '--all-questions', '--out', lensOut, '--crosswalk', json);
    expect(both.code).toBe(EXIT_OK);
    expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toEqual(ALL.crosswalk());
    expect(fs.readFileSync(lensOut, 'utf8')).toBe(ALL.toJson());
    expect(both.stdout).toContain(`Custom lens written to ${lensOut}: 11 questions, `);
    expect(both.stdout).toContain(`aws wellarchitected import-lens --json-string file://${lensOut}`);
    expect(both.stdout).toContain(`Crosswalk (JSON) written to ${json}: 68 choices mapped`);
  });
});

describe('cdk-operable lens --published', () => {
  test('the same lens: nothing to publish', () => {
    const published = writeJson(path.join(dir, 'same', 'published.json'), DEFAULT.toJson());
    const out = path.join(dir, 'same', 'next.json');
    const run = cli('lens', '--out', out, '--published', published);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`Custom lens written to ${out}: ${DEFAULT.questionCount} questions, ${DEFAULT.choiceCount} choices, ` +
      `${DEFAULT.sizeBytes} bytes.\nRelease plan against ${published}: the lens is identical to the published one; nothing to publish.\n`);
  });

  test('new questions: a major version, the questions and choices listed, import-lens, create-lens-version and the upgrade', () => {
    const published = writeJson(path.join(dir, 'major', 'published.json'), DEFAULT.toJson());
    const out = path.join(dir, 'major', 'next.json');
    const run = cli('lens', '--all-questions', '--out', out, '--published', published);
    expect(run.code).toBe(EXIT_OK);
    const plan = CustomLens.planRelease(DEFAULT.toJson(), ALL.toJson());
    expect(plan.majorVersion).toBe(true);
    expect(plan.addedQuestionIds.length).toBeGreaterThan(0);
    const version = versionOf(ALL);
    expect(run.stdout).toBe([
      `Custom lens written to ${out}: 11 questions, ${ALL.choiceCount} choices, ${ALL.sizeBytes} bytes.`,
      `Release plan against ${published}: a new MAJOR version (questions, choices or risk rules changed: each workload must upgrade its lens review).`,
      `  questions added: ${plan.addedQuestionIds.join(', ')}`,
      ...(plan.changedRiskRuleQuestionIds.length > 0 ? [`  risk rules changed: ${plan.changedRiskRuleQuestionIds.join(', ')}`] : []),
      'Publish it over the published lens (import-lens leaves a draft, create-lens-version publishes it):',
      `  aws wellarchitected import-lens --lens-alias "$LENS_ARN" --json-string file://${out}`,
      `  aws wellarchitected create-lens-version --lens-alias "$LENS_ARN" --lens-version ${version} --is-major-version`,
      'Then, per workload (a milestone keeps the review as it was before the upgrade):',
      `  aws wellarchitected upgrade-lens-review --workload-id "$WORKLOAD_ID" --lens-alias "$LENS_ARN" --milestone-name 'Before lens ${version}'`,
      '',
    ].join('\n'));
    expect(fs.readFileSync(out, 'utf8')).toBe(ALL.toJson());
  });

  test('only texts changed: a minor version with the given lens ARN and version; removed questions are listed', () => {
    const changedText = JSON.parse(DEFAULT.toJson()) as { description: string };
    changedText.description = 'An older description.';
    const published = writeJson(path.join(dir, 'minor', 'published.json'), changedText);
    const out = path.join(dir, 'minor', 'next.json');
    const arn = 'arn:aws:wellarchitected:eu-west-1:111122223333:lens/0123456789abcdef';
    const run = cli('lens', '--out', out, '--published', published, '--lens-arn', arn, '--lens-version', '2026.11');
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain(`Release plan against ${published}: a new minor version (only texts changed: answers carry over).\n` +
      'Publish it over the published lens (import-lens leaves a draft, create-lens-version publishes it):\n' +
      `  aws wellarchitected import-lens --lens-alias ${arn} --json-string file://${out}\n` +
      `  aws wellarchitected create-lens-version --lens-alias ${arn} --lens-version 2026.11 --no-is-major-version\n`);
    expect(run.stdout).not.toContain('upgrade-lens-review');

    // Going back from all eleven questions removes questions: a major version that lists them.
    const all = writeJson(path.join(dir, 'minor', 'all.json'), ALL.toJson());
    const back = cli('lens', '--out', out, '--published', all);
    expect(back.code).toBe(EXIT_OK);
    expect(back.stdout).toContain(`  questions removed: ${CustomLens.planRelease(ALL.toJson(), DEFAULT.toJson()).removedQuestionIds.join(', ')}\n`);
  });

  test('a renamed lens: exit 2 with the plan problems, nothing written', () => {
    const published = writeJson(path.join(dir, 'rename', 'published.json'), new CustomLens({ lensName: 'Freight ORR' }).toJson());
    const out = path.join(dir, 'rename', 'next.json');
    const run = cli('lens', '--out', out, '--published', published);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stdout).toBe('');
    const [problem] = CustomLens.planRelease(fs.readFileSync(published, 'utf8'), DEFAULT.toJson()).problems;
    expect(problem).toContain("the lens name changes from 'Freight ORR' to 'cdk-operable Operational Readiness'");
    expect(run.stderr).toBe(`cdk-operable: the generated lens cannot be released over '${published}':\n  - ${problem}\n`);
    expect(fs.existsSync(out)).toBe(false);
    // Keeping the published name releases it.
    expect(cli('lens', '--name', 'Freight ORR', '--out', out, '--published', published).code).toBe(EXIT_OK);
  });

  test('a published file that is missing or not a lens: exit 2 naming it', () => {
    const out = path.join(dir, 'bad', 'next.json');
    const missing = path.join(dir, 'bad', 'missing.json');
    const gone = cli('lens', '--out', out, '--published', missing);
    expect(gone.code).toBe(EXIT_USAGE);
    expect(gone.stderr).toMatch(new RegExp(`^cdk-operable: cannot read the published lens --published '${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': ` +
      'ENOENT.*Export it with: aws wellarchitected export-lens --lens-alias <arn> --query LensJSON --output text > published-lens.json\n$'));
    const notLens = writeJson(path.join(dir, 'bad', 'not-a-lens.json'), '{"pillars": 3');
    const bad = cli('lens', '--out', out, '--published', notLens);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr.startsWith(`cdk-operable: the generated lens cannot be released over '${notLens}':\n  - published lens: `)).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
  });

  test.each([
    [['--published', 'p.json'], 'cdk-operable: --published needs --out <file>: the import-lens command it prints imports the lens from that file.\n'],
    [['--lens-arn', 'arn:x'], 'cdk-operable: --lens-arn and --lens-version only apply with --published <file>.\n'],
    [['--out', 'o.json', '--published', 'p.json', '--lens-version', 'v'.repeat(33)],
      `cdk-operable: --lens-version '${'v'.repeat(33)}' must be 1 to 32 characters without spaces (CreateLensVersion).\n`],
    [['--out', 'o.json', '--published', 'p.json', '--lens-arn', 'my lens'], "cdk-operable: --lens-arn 'my lens' is not a lens ARN: give 1 to 128 characters"],
  ])('bad usage %p: exit 2 with the usage', (argv, message) => {
    const run = cli('lens', ...argv);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr.endsWith(`${USAGE}\n`)).toBe(true);
    expect(run.stdout).toBe('');
  });

  test('the usage documents the lens flags', () => {
    expect(USAGE).toContain('cdk-operable lens [--out <file>] [--name <lens name>] [--all-questions] [--crosswalk <file.csv|file.json>]');
    expect(USAGE).toContain('[--published <file> [--lens-arn <arn>] [--lens-version <version>]]');
  });
});
