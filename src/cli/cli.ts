import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { CustomLens } from '../orr/lens';
import { ReadinessReview } from '../orr/readiness-review';

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
  cdk-operable orr <cdk.out> [--format html|md|json] [--out <file>] [--attestations <file>]
                   [--assessed-on YYYY-MM-DD] [--fail-on critical|any|none]
      Operational readiness review of a synthesized app. Writes the report to --out (else stdout) and prints a
      summary. Exits 1 when a critical-tier service has a high-risk issue (--fail-on any: any service;
      --fail-on none: never), 2 for bad usage or a missing or malformed assembly.
  cdk-operable lens [--out <file>] [--name <lens name>] [--all-questions]
      Well-Architected Tool custom lens JSON (schema 2021-11-01) from the rule pack and the OPS best practices.
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
      'assessed-on': { type: 'string' },
      'fail-on': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`orr takes one cloud assembly directory (e.g. cdk.out), got ${positionals.length}.`);
  const format = values.format ?? (values.out ? formatOf(values.out) : 'md');
  if (!FORMATS.includes(format)) throw new UsageError(`--format '${format}' is not one of ${FORMATS.join(', ')}.`);
  const failOn = values['fail-on'] ?? 'critical';
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on '${failOn}' is not one of ${FAIL_ON.join(', ')}.`);

  const review = ReadinessReview.fromAssembly(positionals[0], { attestationsFile: values.attestations, assessedOn: values['assessed-on'] });
  const text = format === 'json' ? review.toJson() : format === 'html' ? review.toHtml() : review.toMarkdown();
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, text);
    io.out(`${review.summaryLines().join('\n')}\nReport (${format}) written to ${values.out}\n`);
  } else {
    io.out(text);
    io.err(`${review.summaryLines().join('\n')}\n`);
  }
  const summary = review.report.summary;
  const failing = failOn === 'none' ? [] : failOn === 'any'
    ? review.report.services.filter((s) => s.highRiskIssues.length > 0).map((s) => `${s.workload}/${s.name}`)
    : summary.criticalWithHighRisk;
  if (failing.length > 0) {
    io.err(`Readiness gate (--fail-on ${failOn}) failed: ${failing.join(', ')} ha${failing.length === 1 ? 's' : 've'} high-risk issues. ` +
      'Fix them, attest practices no template can show (--attestations), or pass --fail-on none.\n');
    return EXIT_GATE;
  }
  return EXIT_OK;
}

function formatOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return ext === '.html' || ext === '.htm' ? 'html' : ext === '.json' ? 'json' : 'md';
}

function lens(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'out': { type: 'string' }, 'name': { type: 'string' }, 'all-questions': { type: 'boolean' } },
  });
  if (positionals.length > 0) throw new UsageError(`lens takes no arguments, got '${positionals.join(' ')}'.`);
  const generated = new CustomLens({ lensName: values.name, includeUncoveredQuestions: values['all-questions'] ?? false });
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, generated.toJson());
    io.out(`Custom lens written to ${values.out}: ${generated.questionCount} questions, ${generated.choiceCount} choices, ` +
      `${generated.sizeBytes} bytes. Import it with: aws wellarchitected import-lens --json-string file://${values.out}\n`);
  } else {
    io.out(generated.toJson());
  }
  return EXIT_OK;
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
