import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { CustomLens, LensReleasePlan } from '../orr/lens';
import { ReadinessReview } from '../orr/readiness-review';
import { scopeLabel } from '../orr/scopes';
import { WellArchitectedAnswers } from '../orr/wa-answers';
import { shellWord, shortHash } from '../orr/wa-answers-build';

/** Where the CLI writes (a seam for tests). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes: 0 ready, 1 the readiness gate failed, 2 bad usage or input. */
export const EXIT_OK = 0;
export const EXIT_GATE = 1;
export const EXIT_USAGE = 2;

const FORMATS = ['html', 'md', 'json'];
const FAIL_ON = ['critical', 'any', 'none'];

export const USAGE = `Usage:
  cdk-operable orr <cdk.out> [<cdk.out> ...] [--format html|md|json] [--out <file>] [--attestations <file>]
                   [--baseline <previous-review.json>] [--assessed-on YYYY-MM-DD] [--fail-on critical|any|none]
                   [--wa-answers <dir> [--wa-lens <published-lens.json>] [--lens-alias <lens arn>]]
      Operational readiness review of synthesized apps (several assemblies: one organization report). Writes the
      report to --out (else stdout) and prints a summary; --baseline adds what changed since that review;
      --wa-answers writes per workload the Well-Architected Tool answers (update-answer) and milestone commands.
      Exits 1 when a critical-tier service or workload, or a stack no workload owns, has a high-risk issue
      (--fail-on any: any scope; --fail-on none: never), 2 for bad usage or a missing or malformed assembly.
  cdk-operable lens [--out <file>] [--name <lens name>] [--all-questions] [--crosswalk <file.csv|file.json>]
                    [--published <file> [--lens-arn <arn>] [--lens-version <version>]]
      Well-Architected Tool custom lens JSON (schema 2021-11-01) from the rule pack and the OPS best practices, to
      --out (else stdout). --crosswalk writes the choice-to-best-practice crosswalk (CSV; JSON for a .json file).
      --published compares with the lens last published (needs --out): exits 2 when the Tool would reject the
      import (a renamed lens), else prints whether it is a major version and the import-lens and
      create-lens-version commands (--lens-arn, default $LENS_ARN; --lens-version, default the content hash).
  cdk-operable --help | --version`;

class UsageError extends Error {}

function orr(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'format': { type: 'string' },
      'out': { type: 'string' },
      'attestations': { type: 'string' },
      'baseline': { type: 'string' },
      'wa-answers': { type: 'string' },
      'wa-lens': { type: 'string' },
      'lens-alias': { type: 'string' },
      'assessed-on': { type: 'string' },
      'fail-on': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('orr takes one or more cloud assembly directories (e.g. cdk.out), got none.');
  const format = values.format ?? (values.out ? formatOf(values.out) : 'md');
  if (!FORMATS.includes(format)) throw new UsageError(`--format '${format}' is not one of ${FORMATS.join(', ')}.`);
  const failOn = values['fail-on'] ?? 'critical';
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on '${failOn}' is not one of ${FAIL_ON.join(', ')}.`);

  const review = ReadinessReview.fromAssemblies(positionals, {
    attestationsFile: values.attestations, assessedOn: values['assessed-on'], baselineFile: values.baseline,
  });
  if ((values['wa-lens'] !== undefined || values['lens-alias'] !== undefined) && values['wa-answers'] === undefined) {
    throw new UsageError('--wa-lens and --lens-alias only apply with --wa-answers <dir>.');
  }
  const text = format === 'json' ? review.toJson() : format === 'html' ? review.toHtml() : review.toMarkdown();
  if (values['wa-answers'] !== undefined) {
    const lensJson = values['wa-lens'] === undefined ? new CustomLens().toJson() : readText(values['wa-lens'], '--wa-lens');
    const answers = WellArchitectedAnswers.fromLensJson(review.report, lensJson, { lensAlias: values['lens-alias'] });
    const files = answers.writeFiles(values['wa-answers']);
    io.err(`Well-Architected Tool answers for ${answers.workloads.length} workload${answers.workloads.length === 1 ? '' : 's'} written: ` +
      `${files.join(', ')} (run the commands in each file to record the review and its milestone)\n`);
  }
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, text);
    io.out(`${review.summaryLines().join('\n')}\nReport (${format}) written to ${values.out}\n`);
  } else {
    io.out(text);
    io.err(`${review.summaryLines().join('\n')}\n`);
  }
  const report = review.report;
  const gated = new Set(report.summary.criticalWithHighRisk);
  const failingScopes = failOn === 'none' ? [] : [...report.services, ...report.workloads, ...report.unowned]
    .filter((s) => s.highRiskIssues.length > 0 && (failOn === 'any' || gated.has(scopeLabel(s))));
  const failing = failingScopes.map(scopeLabel);
  if (failing.length > 0) {
    const gaps = failingScopes
      .map((s) => `  ${scopeLabel(s)}: ${s.highRiskIssues.map((p) => `${p.practiceId} ${p.title}` +
        (p.findings.length > 0 ? ` (${[...new Set(p.findings.map((f) => f.ruleId))].join(', ')})` : '')).join('; ')}`);
    io.err(`Readiness gate (--fail-on ${failOn}) failed: ${failing.join(', ')} ha${failing.length === 1 ? 's' : 've'} high-risk issues:\n` +
      `${gaps.join('\n')}\nFix them (tag unowned stacks with ops:workload and ops:owner), attest practices no template can show ` +
      '(--attestations), or pass --fail-on none.\n');
    return EXIT_GATE;
  }
  return EXIT_OK;
}

function readText(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} '${file}' cannot be read: ${(e as Error).message}.`);
  }
}

function formatOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return ext === '.html' || ext === '.htm' ? 'html' : ext === '.json' ? 'json' : 'md';
}

function lens(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'out': { type: 'string' },
      'name': { type: 'string' },
      'all-questions': { type: 'boolean' },
      'crosswalk': { type: 'string' },
      'published': { type: 'string' },
      'lens-arn': { type: 'string' },
      'lens-version': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`lens takes no arguments, got '${positionals.join(' ')}'.`);
  const published = values.published;
  if (published === undefined && (values['lens-arn'] !== undefined || values['lens-version'] !== undefined)) {
    throw new UsageError('--lens-arn and --lens-version only apply with --published <file>.');
  }
  if (published !== undefined && values.out === undefined) {
    throw new UsageError('--published needs --out <file>: the import-lens command it prints imports the lens from that file.');
  }
  const lensArn = values['lens-arn'] ?? '$LENS_ARN';
  if (lensArn.length === 0 || lensArn.length > 128 || /\s/.test(lensArn)) {
    throw new UsageError(`--lens-arn '${lensArn}' is not a lens ARN: give 1 to 128 characters without spaces ` +
      '(arn:aws:wellarchitected:<region>:<account>:lens/<id>, from aws wellarchitected list-lenses --lens-type CUSTOM_SELF).');
  }
  const generated = new CustomLens({ lensName: values.name, includeUncoveredQuestions: values['all-questions'] ?? false });
  const json = generated.toJson();
  const compact = JSON.stringify(JSON.parse(json));
  // The same default as OrrLens: the content hash, so any change is a new version.
  const lensVersion = values['lens-version'] ?? shortHash(compact);
  if (lensVersion.length === 0 || lensVersion.length > 32 || /\s/.test(lensVersion)) {
    throw new UsageError(`--lens-version '${lensVersion}' must be 1 to 32 characters without spaces (CreateLensVersion).`);
  }
  // Plan the release before writing anything: a release the Tool rejects writes no file.
  let release: { plan: LensReleasePlan; identical: boolean } | undefined;
  if (published !== undefined) {
    let publishedJson: string;
    try {
      publishedJson = fs.readFileSync(published, 'utf8');
    } catch (e) {
      io.err(`cdk-operable: cannot read the published lens --published '${published}': ${(e as Error).message}. ` +
        'Export it with: aws wellarchitected export-lens --lens-alias <arn> --query LensJSON --output text > published-lens.json\n');
      return EXIT_USAGE;
    }
    const plan = CustomLens.planRelease(publishedJson, json);
    if (plan.problems.length > 0) {
      io.err(`cdk-operable: the generated lens cannot be released over '${published}':\n${plan.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return EXIT_USAGE;
    }
    release = { plan, identical: JSON.stringify(JSON.parse(publishedJson)) === compact };
  }
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, json);
    io.out(`Custom lens written to ${values.out}: ${generated.questionCount} questions, ${generated.choiceCount} choices, ` +
      `${generated.sizeBytes} bytes.${release ? '' : ` Import it with: aws wellarchitected import-lens --json-string file://${values.out}`}\n`);
  } else if (values.crosswalk === undefined) {
    io.out(json);
  }
  if (values.crosswalk !== undefined) {
    const asJson = path.extname(values.crosswalk).toLowerCase() === '.json';
    fs.mkdirSync(path.dirname(path.resolve(values.crosswalk)), { recursive: true });
    fs.writeFileSync(values.crosswalk, asJson ? `${JSON.stringify(generated.crosswalk(), undefined, 2)}\n` : generated.toCrosswalkCsv());
    io.out(`Crosswalk (${asJson ? 'JSON' : 'CSV'}) written to ${values.crosswalk}: ${generated.crosswalk().length} choices mapped to ` +
      `Well-Architected best practices (framework ${generated.crosswalk()[0]?.frameworkVersion}).\n`);
  }
  if (release && published !== undefined && values.out) {
    io.out(releaseText(release.plan, release.identical, published, values.out, lensArn, lensVersion));
  }
  return EXIT_OK;
}

/** What publishing the generated lens over the published one involves, and the commands doing it. */
function releaseText(plan: LensReleasePlan, identical: boolean, published: string, out: string, lensArn: string, lensVersion: string): string {
  if (identical) return `Release plan against ${published}: the lens is identical to the published one; nothing to publish.\n`;
  const lines = [`Release plan against ${published}: ${plan.majorVersion
    ? 'a new MAJOR version (questions, choices or risk rules changed: each workload must upgrade its lens review).'
    : 'a new minor version (only texts changed: answers carry over).'}`];
  const list = (label: string, ids: string[]) => {
    if (ids.length > 0) lines.push(`  ${label}: ${ids.join(', ')}`);
  };
  list('questions added', plan.addedQuestionIds);
  list('questions removed', plan.removedQuestionIds);
  list('choices added', plan.addedChoiceIds);
  list('choices removed (their selections are cleared on upgrade)', plan.removedChoiceIds);
  list('risk rules changed', plan.changedRiskRuleQuestionIds);
  const alias = shellWord(lensArn);
  lines.push('Publish it over the published lens (import-lens leaves a draft, create-lens-version publishes it):');
  lines.push(`  aws wellarchitected import-lens --lens-alias ${alias} --json-string ${shellWord(`file://${out}`)}`);
  lines.push(`  aws wellarchitected create-lens-version --lens-alias ${alias} --lens-version ${shellWord(lensVersion)} ` +
    (plan.majorVersion ? '--is-major-version' : '--no-is-major-version'));
  if (plan.majorVersion) {
    lines.push('Then, per workload (a milestone keeps the review as it was before the upgrade):');
    lines.push(`  aws wellarchitected upgrade-lens-review --workload-id "$WORKLOAD_ID" --lens-alias ${alias} ` +
      `--milestone-name ${shellWord(`Before lens ${lensVersion}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Run the CLI with arguments (without `node` and the script); returns the exit code. */
export function runCli(argv: string[], io: CliIo): number {
  const [command, ...rest] = argv;
  // `--help` anywhere, after a command too, prints the usage.
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    switch (command) {
      case 'orr':
        return orr(rest, io);
      case 'lens':
        return lens(rest, io);
      case '--version':
      case '-v':
        io.out(`${version()}\n`);
        return EXIT_OK;
      default:
        throw new UsageError(command === undefined ? 'Give a command.' : `Unknown command '${command}'.`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`cdk-operable: ${(e as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
    return EXIT_USAGE;
  }
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
