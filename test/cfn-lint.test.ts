import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CFN_LINT_ALLOWLIST, CfnLintAllowance } from './cfn-lint-allowlist';
import { buildFreightSlosApp } from '../examples/freight-slos/app';
import { buildServerlessSquadApp } from '../examples/serverless-squad/app';

/**
 * An independent validator over what we ship: cfn-lint (the CloudFormation linter) checks every committed integ
 * snapshot template (including the integ-tests DeployAssert stacks) and the templates of the example apps,
 * synthesized here. One cfn-lint process lints them all; only the schema-age findings in test/cfn-lint-allowlist.ts
 * are ignored. `bash scripts/ensure-cfn-lint.sh` (run by the test task) installs cfn-lint when it is missing.
 */
const ROOT = join(__dirname, '..');
const INSTALL = 'cfn-lint is not on PATH: this test lints every integ snapshot and example template with it and does not skip. '
  + 'Install it with `pip install cfn-lint` (or `sudo apt-get install -y cfn-lint` where Debian packages it); '
  + '`bash scripts/ensure-cfn-lint.sh` tries both.';
/** Stacks with no region of their own (the integ snapshots are environment-agnostic) are linted for this one. */
const DEFAULT_REGION = 'us-east-1';

interface LintTarget {
  /** Absolute path handed to cfn-lint. */
  readonly file: string;
  /** What a failure shows: the repo path, or `examples/<app>/<template>` for a synthesized one. */
  readonly label: string;
  readonly region: string;
}

interface Finding {
  readonly label: string;
  readonly rule: string;
  readonly level: string;
  /** The CloudFormation type of the resource the finding is on ('' outside Resources). */
  readonly resourceType: string;
  /** The full path cfn-lint reports, e.g. `Resources/Dashboard/Properties/Tags`. */
  readonly path: string;
  /** The path inside the resource, e.g. `Properties/Tags` (the full path outside Resources). */
  readonly resourcePath: string;
  readonly message: string;
}

interface CfnLintResult {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path?: Array<string | number> | null };
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string };
}

function regionOf(environmentRegion: string | undefined): string {
  return environmentRegion && environmentRegion !== 'unknown-region' ? environmentRegion : DEFAULT_REGION;
}

/** Every `*.template.json` under integ/*.snapshot/, with the region its manifest gives the stack. */
function integSnapshotTemplates(): LintTarget[] {
  const integ = join(ROOT, 'integ');
  const targets: LintTarget[] = [];
  for (const dir of readdirSync(integ).filter((d) => d.endsWith('.snapshot')).sort()) {
    const snapshot = join(integ, dir);
    const regions = new Map<string, string>();
    const manifestFile = join(snapshot, 'manifest.json');
    if (existsSync(manifestFile)) {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
      for (const artifact of Object.values(manifest.artifacts ?? {})) {
        if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
          regions.set(artifact.properties.templateFile, regionOf(artifact.environment?.split('/').pop()));
        }
      }
    }
    for (const name of readdirSync(snapshot).filter((f) => f.endsWith('.template.json')).sort()) {
      const file = join(snapshot, name);
      targets.push({ file, label: relative(ROOT, file), region: regions.get(name) ?? DEFAULT_REGION });
    }
  }
  return targets;
}

/** Synthesizes one example app into its own folder and returns every stack template of its assembly. */
function exampleTemplates(outdir: string, example: string, build: (app: App) => Stack): LintTarget[] {
  const app = new App({ outdir });
  build(app);
  return app.synth().stacksRecursively.map((stack) => ({
    file: stack.templateFullPath,
    label: `examples/${example}/${stack.templateFile} (synthesized)`,
    region: regionOf(stack.environment.region),
  }));
}

/** Runs cfn-lint once over every target; undefined when cfn-lint is not installed. */
function runCfnLint(targets: LintTarget[]): Finding[] | undefined {
  const regions = [...new Set(targets.map((t) => t.region))].sort();
  const result = spawnSync('cfn-lint', ['--format', 'json', '--regions', ...regions, '--', ...targets.map((t) => t.file)], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') { return undefined; }
  if (result.error) { throw result.error; }
  // cfn-lint's exit code is a sum of 2 (errors), 4 (warnings) and 8 (informational); an odd one (or a signal) means it failed.
  if (result.status === null || result.status % 2 !== 0 || result.status > 15) {
    throw new Error(`cfn-lint failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
  }
  const byFile = new Map(targets.map((t) => [t.file, t]));
  const resources = new Map<string, Record<string, { Type?: string }>>();
  const typeOf = (file: string, logicalId: string): string => {
    if (!resources.has(file)) { resources.set(file, JSON.parse(readFileSync(file, 'utf8')).Resources ?? {}); }
    return resources.get(file)![logicalId]?.Type ?? '';
  };
  return (JSON.parse(result.stdout || '[]') as CfnLintResult[]).map((r) => {
    const target = byFile.get(r.Filename) ?? targets.find((t) => t.file.endsWith(r.Filename));
    const path = (r.Location.Path ?? []).map(String);
    const inResource = path[0] === 'Resources' && path.length >= 2;
    return {
      label: target?.label ?? r.Filename,
      rule: r.Rule.Id,
      level: r.Level,
      resourceType: inResource && target ? typeOf(target.file, path[1]) : '',
      path: path.join('/'),
      resourcePath: inResource ? path.slice(2).join('/') : path.join('/'),
      message: r.Message,
    };
  });
}

/** An allowlist path writes list indexes as `*` (`DependsOn/*`), so an entry survives a reordered list. */
function allows(entry: CfnLintAllowance, finding: Finding): boolean {
  const logicalId = finding.path.split('/')[0] === 'Resources' ? finding.path.split('/')[1] : '';
  return entry.rule === finding.rule && entry.resourceType === finding.resourceType
    && entry.path === finding.resourcePath.replace(/(^|\/)\d+(?=\/|$)/g, '$1*')
    && (entry.logicalIdPattern === undefined || entry.logicalIdPattern.test(logicalId));
}

function describeFinding(f: Finding): string {
  // Some messages list every valid value (W3037 lists all of an IAM service's actions): keep the line readable.
  const message = f.message.length > 300 ? `${f.message.slice(0, 300)}...` : f.message;
  return `${f.label}: ${f.rule} ${f.path}${f.resourceType ? ` (${f.resourceType})` : ''} ${message}`;
}

describe('cfn-lint over the integ snapshots and the example apps', () => {
  let outdir: string;
  let integTargets: LintTarget[];
  let targets: LintTarget[];
  let findings: Finding[] | undefined;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    integTargets = integSnapshotTemplates();
    targets = [
      ...integTargets,
      ...exampleTemplates(join(outdir, 'freight-slos'), 'freight-slos', buildFreightSlosApp),
      ...exampleTemplates(join(outdir, 'serverless-squad'), 'serverless-squad', buildServerlessSquadApp),
    ];
    // About 11 s for 19 templates in two regions on a 2-core machine; the timeout leaves room for a slower one.
    findings = runCfnLint(targets);
  }, 300_000);

  afterAll(() => { if (outdir) { rmSync(outdir, { recursive: true, force: true }); } });

  function lint(): Finding[] {
    if (findings === undefined) { throw new Error(INSTALL); }
    return findings;
  }

  test('cfn-lint is installed (the test fails with the install command, never skips)', () => {
    expect(lint()).toBeInstanceOf(Array);
  });

  test('lints every integ snapshot template, DeployAssert stacks included, and both example apps', () => {
    const snapshots = readdirSync(join(ROOT, 'integ')).filter((d) => d.endsWith('.snapshot'));
    expect(snapshots.length).toBeGreaterThan(0);
    const withoutTemplates = snapshots.filter((dir) => !integTargets.some((t) => t.label.startsWith(`integ/${dir}/`)));
    expect(withoutTemplates).toEqual([]);
    expect(integTargets.some((t) => t.label.includes('DeployAssert'))).toBe(true);
    const labels = targets.map((t) => t.label);
    expect(labels).toEqual(expect.arrayContaining([
      'examples/freight-slos/FreightSlos.template.json (synthesized)',
      'examples/serverless-squad/ServerlessSquad.template.json (synthesized)',
    ]));
    expect(targets.find((t) => t.label.startsWith('examples/freight-slos/'))?.region).toBe('eu-west-1');
  });

  test('finds nothing beyond the schema-age allowlist', () => {
    const remaining = lint().filter((f) => !CFN_LINT_ALLOWLIST.some((entry) => allows(entry, f)));
    expect(remaining.map(describeFinding)).toEqual([]);
  });

  test('every allowlist entry still matches a finding (no stale entries)', () => {
    const all = lint();
    const stale = CFN_LINT_ALLOWLIST.filter((entry) => !all.some((f) => allows(entry, f)));
    expect(stale.map((e) => `${e.rule} ${e.resourceType} ${e.path}`)).toEqual([]);
  });
});

describe('the cfn-lint allowlist', () => {
  test('every entry names one rule, one resource type and one property path, with a reason', () => {
    for (const entry of CFN_LINT_ALLOWLIST) {
      expect(entry.rule).toMatch(/^[EWI]\d{4}$/);
      expect(entry.resourceType).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      expect(entry.path).toMatch(/^(Type|DependsOn\/\*|Properties(\/([A-Za-z0-9]+|\*))+)$/);
      expect(entry.why.length).toBeGreaterThan(20);
    }
  });
});
