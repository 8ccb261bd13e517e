import * as fs from 'fs';
import { MaturityChange, ReadinessChanges, ReadinessReport, RiskIssueChange, ScopeReadiness } from './model';
import { SCOPE_SERVICE, SCOPE_UNOWNED, SCOPE_WORKLOAD, scopeLabel } from './scopes';
import { fail } from '../core/errors';

/** A scope of a baseline review, as far as comparing needs it. */
interface BaselineScope {
  readonly label: string;
  readonly kind: string;
  readonly maturity: string;
  readonly high: string[];
  readonly medium: string[];
}

/** What a comparison needs of a previous review's JSON report. */
export interface Baseline {
  readonly file: string;
  readonly schemaVersion: string;
  readonly assessedOn: string;
  readonly highRiskIssues: number;
  readonly mediumRiskIssues: number;
  readonly scopes: Map<string, BaselineScope>;
}

const SUPPORTED = /^[12]\.\d+\.\d+$/;

/**
 * Read a previous review's JSON report (`cdk-operable orr --format json`, schema 1.x or 2.x). Throws naming the file and
 * what is wrong.
 */
export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(undefined, `Baseline review '${file}' cannot be read as JSON (${(e as Error).message}): pass a report written by ` +
      '`cdk-operable orr <cdk.out> --format json --out <file>`.');
  }
  const bad = (what: string): never => fail(undefined, `Baseline review '${file}' ${what}: pass a JSON report written by ` +
    '`cdk-operable orr --format json` (schema 1.x or 2.x).');
  if (!data || typeof data !== 'object' || Array.isArray(data)) bad('is not a JSON object');
  const doc = data as Record<string, unknown>;
  const version = doc.schemaVersion;
  if (typeof version !== 'string' || !SUPPORTED.test(version)) bad(`has schemaVersion ${JSON.stringify(version)}, not 1.x or 2.x`);
  if (typeof doc.assessedOn !== 'string') bad('has no "assessedOn" date');
  const scopes = new Map<string, BaselineScope>();
  const read = (key: string, defaultKind: string) => {
    const list = doc[key];
    if (list === undefined && key === 'unowned') return;
    if (!Array.isArray(list)) bad(`has no "${key}" array`);
    (list as unknown[]).forEach((entry, i) => {
      if (!entry || typeof entry !== 'object') bad(`has ${key}[${i}] that is not an object`);
      const s = entry as Record<string, unknown>;
      const ids = (field: string): string[] => {
        const v = s[field];
        if (!Array.isArray(v)) return bad(`has ${key}[${i}].${field} that is not an array`);
        return v.map((x) => (typeof x === 'string' ? x : String((x as { practiceId?: unknown } | null)?.practiceId)));
      };
      if (typeof s.name !== 'string' || typeof s.workload !== 'string' || typeof s.maturity !== 'string') {
        bad(`has ${key}[${i}] without a string name, workload and maturity`);
      }
      const kind = typeof s.kind === 'string' ? s.kind : defaultKind;
      const label = scopeLabel({ kind, name: s.name as string, workload: s.workload as string });
      scopes.set(`${kind}\u0000${label}`, { label, kind, maturity: s.maturity as string, high: ids('highRiskIssues'), medium: ids('mediumRiskIssues') });
    });
  };
  read('services', SCOPE_SERVICE);
  read('workloads', SCOPE_WORKLOAD);
  read('unowned', SCOPE_UNOWNED);
  const wholes = [...scopes.values()].filter((s) => s.kind !== SCOPE_SERVICE);
  const summary = (doc.summary ?? {}) as Record<string, unknown>;
  // Schema 1.x counted issues over services; 2.x over workloads and unowned scopes. Count the 2.x way for both.
  const counted = (version as string).startsWith('2.');
  const total = (reported: unknown, pick: (s: BaselineScope) => string[]) =>
    (counted && typeof reported === 'number' ? reported : wholes.reduce((n, s) => n + pick(s).length, 0));
  return {
    file,
    schemaVersion: version as string,
    assessedOn: doc.assessedOn as string,
    highRiskIssues: total(summary.highRiskIssues, (s) => s.high),
    mediumRiskIssues: total(summary.mediumRiskIssues, (s) => s.medium),
    scopes,
  };
}

/** What changed between a baseline and this report. */
export function compareWithBaseline(report: ReadinessReport, baseline: Baseline): ReadinessChanges {
  const current = new Map<string, ScopeReadiness>();
  for (const s of [...report.services, ...report.workloads, ...report.unowned]) current.set(`${s.kind}\u0000${scopeLabel(s)}`, s);
  const closed: RiskIssueChange[] = [];
  const opened: RiskIssueChange[] = [];
  const maturityChanges: MaturityChange[] = [];
  const newScopes: string[] = [];
  const issues = (label: string, kind: string, high: string[], medium: string[]) => [
    ...high.map((practiceId) => ({ scope: label, kind, practiceId, risk: 'HIGH' })),
    ...medium.map((practiceId) => ({ scope: label, kind, practiceId, risk: 'MEDIUM' })),
  ];
  const key = (i: RiskIssueChange) => `${i.risk}\u0000${i.practiceId}`;
  for (const [k, s] of current) {
    const label = scopeLabel(s);
    const now = issues(label, s.kind, s.highRiskIssues.map((p) => p.practiceId), s.mediumRiskIssues.map((p) => p.practiceId));
    const before = baseline.scopes.get(k);
    if (!before) {
      newScopes.push(label);
      opened.push(...now);
      continue;
    }
    const then = issues(label, s.kind, before.high, before.medium);
    const thenKeys = new Set(then.map(key));
    const nowKeys = new Set(now.map(key));
    opened.push(...now.filter((i) => !thenKeys.has(key(i))));
    closed.push(...then.filter((i) => !nowKeys.has(key(i))));
    if (before.maturity !== s.maturity) maturityChanges.push({ scope: label, kind: s.kind, before: before.maturity, after: s.maturity });
  }
  const removedScopes = [...baseline.scopes.entries()].filter(([k]) => !current.has(k)).map(([, s]) => s.label);
  const order = (a: RiskIssueChange, b: RiskIssueChange) => a.scope.localeCompare(b.scope) || a.risk.localeCompare(b.risk) ||
    a.practiceId.localeCompare(b.practiceId);
  return {
    baselineAssessedOn: baseline.assessedOn,
    baselineSchemaVersion: baseline.schemaVersion,
    highRiskIssuesBefore: baseline.highRiskIssues,
    highRiskIssuesAfter: report.summary.highRiskIssues,
    mediumRiskIssuesBefore: baseline.mediumRiskIssues,
    mediumRiskIssuesAfter: report.summary.mediumRiskIssues,
    closed: closed.sort(order),
    opened: opened.sort(order),
    maturityChanges: maturityChanges.sort((a, b) => a.scope.localeCompare(b.scope)),
    newScopes: newScopes.sort(),
    removedScopes: removedScopes.sort(),
  };
}
