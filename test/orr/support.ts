import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Stack, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { readAssembly } from '../../src/orr/assembly';
import { Attestation, parseAttestations } from '../../src/orr/attestations';
import { PracticeAssessment, PracticeStatus, ReadinessReport, ScopeReadiness } from '../../src/orr/model';
import { replay } from '../../src/orr/replay';
import { buildReport } from '../../src/orr/review';

/**
 * Shared helpers of the readiness-review tests: temporary cloud assemblies, a small plain-CDK app, attestations and a
 * capturing CLI io. Nothing here imports the package index (which pulls in the renderers), so the review, assembly and
 * attestation tests depend only on the modules they test.
 */

/** The date the tests assess attestations on. */
export const ASSESSED_ON = '2026-11-24';

/** The example's attestations file. */
export const EXAMPLE_ATTESTATIONS = path.join(__dirname, '..', '..', 'examples', 'serverless-squad', 'ops-attestations.json');

/** A fresh temporary directory. */
export function tempDir(prefix = 'orr-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Synthesize the app `build` makes into a fresh temporary cloud assembly; returns its directory. */
export function synthesize(build: (app: App) => unknown): string {
  const app = new App({ outdir: tempDir() });
  build(app);
  app.synth();
  return app.outdir;
}

/** Write a JSON file (creating its directory); returns its path. */
export function writeJson(file: string, data: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, undefined, 2));
  return file;
}

/** The ownership tags of a scope, as `Tags.of(scope).add` applies them. */
export interface OpsTagValues {
  readonly workload?: string;
  readonly service?: string;
  readonly owner?: string;
  readonly oncall?: string;
  readonly tier?: string;
}

/** Tag a scope with `ops:*` tags (keys left undefined are not set). */
export function tagScope(scope: IConstruct, tags: OpsTagValues): void {
  for (const [key, value] of Object.entries(tags)) {
    if (value !== undefined) Tags.of(scope).add(`ops:${key}`, value);
  }
}

/** The tags of the plain app's service. */
export const BILLING_TAGS: OpsTagValues = {
  workload: 'payments', service: 'billing', owner: 'billing-team', oncall: 'billing-oncall@example.com', tier: 'critical',
};

/** A plain aws-cdk-lib function: no tracing, no alarms, no log retention, no alias. */
export function plainFunction(scope: Construct, id = 'Handler'): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
}

/** The plain app as synthesized. */
export interface PlainApp {
  /** The cloud assembly directory. */
  readonly dir: string;
  /** The logical id of the function. */
  readonly functionLogicalId: string;
  /** The logical id of the function's role. */
  readonly roleLogicalId: string;
}

/**
 * Stack `Plain` with a construct `Billing` (tagged `tags`, the billing service by default) holding a plain function
 * `Handler`; `customize` adds to it before synth.
 */
export function plainApp(customize?: (fn: lambda.Function, service: Construct, stack: Stack) => void, tags: OpsTagValues = BILLING_TAGS): PlainApp {
  let functionLogicalId = '';
  let roleLogicalId = '';
  const dir = synthesize((app) => {
    const stack = new Stack(app, 'Plain');
    const service = new Construct(stack, 'Billing');
    const fn = plainFunction(service);
    tagScope(service, tags);
    customize?.(fn, service, stack);
    functionLogicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    roleLogicalId = stack.getLogicalId(fn.role!.node.defaultChild as CfnElement);
  });
  return { dir, functionLogicalId, roleLogicalId };
}

/** The readiness report of an assembly, built from the modules directly (no renderers involved). */
export function reviewOf(dir: string, attested: Attestation[] = [], on: string = ASSESSED_ON): ReadinessReport {
  const assembly = readAssembly(dir);
  return buildReport(assembly, replay(assembly), attested, on);
}

/** The service (or with `workloads`, the workload) of a report with this name; fails the test when there is none. */
export function scopeOf(report: ReadinessReport, name: string, kind: 'services' | 'workloads' = 'services'): ScopeReadiness {
  const scope = report[kind].find((s) => s.name === name);
  if (!scope) throw new Error(`No ${kind} '${name}' in the report: ${report[kind].map((s) => `${s.workload}/${s.name}`).join(', ')}`);
  return scope;
}

/** The assessment of a practice in a scope. */
export function practiceOf(scope: ScopeReadiness, practiceId: string): PracticeAssessment {
  const practice = scope.practices.find((p) => p.practiceId === practiceId);
  if (!practice) throw new Error(`No practice ${practiceId} in ${scope.name}`);
  return practice;
}

/** The ids of the practices of a scope with this status, in catalogue order. */
export function practicesWith(scope: ScopeReadiness, status: PracticeStatus): string[] {
  return scope.practices.filter((p) => p.status === status).map((p) => p.practiceId);
}

/** One raw attestation entry, with a person, a date and evidence unless given. */
export function entry(practice: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { practice, attestedBy: 'Dana Ruiz (squad lead)', date: '2026-11-02', evidence: 'https://wiki.example.com/ops', ...fields };
}

/** Attestations as the review applies them, validated like a file's. */
export function attestations(...entries: Array<Record<string, unknown>>): Attestation[] {
  return parseAttestations({ version: 1, attestations: entries }, 'test-attestations.json');
}

/** A CLI io that records what is written. */
export interface CapturedIo {
  readonly io: { out(text: string): void; err(text: string): void };
  stdout(): string;
  stderr(): string;
}

/** An io for `runCli` that captures stdout and stderr. */
export function captureIo(): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (text) => out.push(text), err: (text) => err.push(text) },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
