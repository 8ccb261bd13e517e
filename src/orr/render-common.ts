import {
  AlarmCatalogueEntry, MaturityLevel, PracticeAssessment, PracticeStatus, ReadinessFinding, ReadinessReport, RunbookInventoryEntry, ScopeReadiness,
} from './model';
import { SCOPE_SERVICE, SCOPE_UNOWNED, UNOWNED, findingKey, scopeLabel } from './scopes';

export { findingKey };

// What the Markdown and the HTML renderer share: labels, groupings and the words a reader sees.

/** The statuses in the order the reports list them, with the words a reader sees. */
export const STATUS_LABELS: ReadonlyArray<[PracticeStatus, string]> = [
  [PracticeStatus.MET, 'Met'],
  [PracticeStatus.ATTESTED, 'Attested'],
  [PracticeStatus.ACKNOWLEDGED, 'Acknowledged'],
  [PracticeStatus.NOT_MET, 'Not met'],
  [PracticeStatus.NEEDS_ATTESTATION, 'Needs attestation'],
  [PracticeStatus.NOT_APPLICABLE, 'Not applicable'],
];

/** The words for a status. */
export function statusLabel(status: PracticeStatus): string {
  return STATUS_LABELS.find(([s]) => s === status)?.[1] ?? String(status);
}

/** The maturity levels, lowest first. */
export const MATURITY_LEVELS: MaturityLevel[] = [MaturityLevel.NONE, MaturityLevel.BRONZE, MaturityLevel.SILVER, MaturityLevel.GOLD];

/** What each maturity level means, in one sentence. */
export const MATURITY_LEGEND = 'None: a HIGH-risk practice is open (neither met, attested nor not applicable). Bronze: no HIGH-risk practice ' +
  'is open. Silver: Bronze, and no MEDIUM-risk practice either. Gold: Silver, and no LOW-risk practice either. Unowned stacks reach no level. ' +
  'Score: the share of applicable practices met or attested, weighted by risk (HIGH 3, MEDIUM 2, LOW 1).';

/** Whether a runbook reference is a web address a reader can follow. */
export function isHttpUrl(value: string | undefined): value is string {
  return value !== undefined && /^https?:\/\/[^\s<>"'`]+$/i.test(value);
}

/** `<workload>/<service>` of an alarm or runbook, or whichever part is known. */
export function serviceOf(entry: { workload?: string; service?: string }): string | undefined {
  if (entry.service === undefined) return entry.workload;
  return entry.workload === undefined ? entry.service : `${entry.workload}/${entry.service}`;
}

/** Whether an alarm reaches someone, in words. */
export function notifiesLabel(alarm: AlarmCatalogueEntry): string {
  if (!alarm.notifies) return 'no';
  if (alarm.actionCount === 0) return 'yes, through a composite';
  return `yes, ${alarm.actionCount} action${alarm.actionCount === 1 ? '' : 's'}`;
}

/** Whether a runbook may change state, in words. */
export function changesStateLabel(runbook: RunbookInventoryEntry): string {
  if (!runbook.changesState) return 'no (read-only)';
  return runbook.approvalGate ? 'yes, behind an approval' : 'yes, NOT gated';
}

/** A workload (or an unowned stack) with its services, in report order. */
export interface WorkloadGroup {
  /** The workload name, or `unowned:<stack>`. */
  readonly name: string;
  /** The whole workload, or the unowned stack's scope. */
  readonly workload?: ScopeReadiness;
  readonly services: ScopeReadiness[];
}

/**
 * The report's services grouped under their workloads; then each unowned stack; then services no workload claims
 * (tagged `ops:service` in a stack without `ops:workload`), grouped as `unowned`.
 */
export function workloadGroups(report: ReadinessReport): WorkloadGroup[] {
  const orphans = report.services.filter((s) => s.workload === UNOWNED);
  return [
    ...report.workloads.map((w) => ({ name: w.name, workload: w, services: report.services.filter((s) => s.workload === w.name) })),
    ...report.unowned.map((u) => ({ name: scopeLabel(u), workload: u, services: [] })),
    ...(orphans.length > 0 ? [{ name: UNOWNED, services: orphans }] : []),
  ];
}

/** Keys of the findings a workload's services already list (a workload's own issues show the rest). */
export function serviceFindingKeys(services: ScopeReadiness[]): Set<string> {
  return new Set(services.flatMap((s) => s.practices.flatMap((p) => [...p.findings, ...p.acknowledged].map(findingKey))));
}


/** Findings of one rule: its info once, then each resource. */
export interface RuleFindings {
  readonly ruleId: string;
  readonly level: string;
  readonly info: string;
  readonly findings: ReadinessFinding[];
}

/** Findings grouped by rule, in the order the rules first appear. */
export function byRule(findings: ReadinessFinding[]): RuleFindings[] {
  const groups = new Map<string, ReadinessFinding[]>();
  for (const f of findings) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  return [...groups.entries()].map(([ruleId, fs]) => ({ ruleId, level: fs[0].level, info: fs[0].info, findings: fs }));
}

/** An acknowledged finding and the practices (of one scope) it counts against. */
export interface AcknowledgedEntry {
  readonly scope: string;
  readonly finding: ReadinessFinding;
  readonly practiceIds: string[];
}

/** Each acknowledged finding once per service (workload-level ones only when no service lists them). */
export function acknowledgedEntries(report: ReadinessReport): AcknowledgedEntry[] {
  const entries = new Map<string, { scope: string; finding: ReadinessFinding; practiceIds: string[] }>();
  const key = findingKey;
  const seen = new Set<string>();
  const add = (scope: string, practices: PracticeAssessment[], onlyUnseen: boolean) => {
    for (const p of practices) {
      for (const f of p.acknowledged) {
        if (onlyUnseen && seen.has(key(f))) continue;
        const k = `${scope}\u0000${key(f)}`;
        const entry = entries.get(k) ?? { scope, finding: f, practiceIds: [] };
        if (!entry.practiceIds.includes(p.practiceId)) entry.practiceIds.push(p.practiceId);
        entries.set(k, entry);
      }
    }
  };
  for (const s of report.services) add(`${s.workload}/${s.name}`, s.practices, false);
  for (const s of report.services) s.practices.forEach((p) => p.acknowledged.forEach((f) => seen.add(key(f))));
  for (const w of report.workloads) add(`${w.name} (workload)`, w.practices, true);
  for (const u of report.unowned) add(scopeLabel(u), u.practices, true);
  return [...entries.values()];
}

/** The practices of a scope that carry an attestation, with the scope label. */
export function attestedPractices(report: ReadinessReport): Array<{ scope: string; practice: PracticeAssessment }> {
  const scopes: Array<[string, ScopeReadiness]> = [
    ...report.services.map((s): [string, ScopeReadiness] => [`${s.workload}/${s.name}`, s]),
    ...report.workloads.map((w): [string, ScopeReadiness] => [`${w.name} (workload)`, w]),
  ];
  return scopes.flatMap(([scope, s]) => s.practices.filter((p) => p.attestation !== undefined).map((practice) => ({ scope, practice })));
}

/** What a reader does about practices no template can show. */
/** How a scope's issues are reached from the scorecard. */
export function scopeHeading(s: ScopeReadiness): string {
  if (s.kind === SCOPE_SERVICE) return `${s.workload}/${s.name}`;
  return s.kind === SCOPE_UNOWNED ? `Unowned stack ${s.name}` : `Workload ${s.name} (as a whole)`;
}

/** The trend of a scope since the baseline, in words: `Bronze → Silver`, `new`, or `—`. */
export function trendOf(report: ReadinessReport, s: ScopeReadiness): string {
  const since = report.sinceBaseline;
  if (!since) return '—';
  const label = scopeLabel(s);
  if (since.newScopes.includes(label)) return 'new';
  const change = since.maturityChanges.find((m) => m.scope === label && m.kind === s.kind);
  const opened = since.opened.filter((i) => i.scope === label && i.kind === s.kind).length;
  const closed = since.closed.filter((i) => i.scope === label && i.kind === s.kind).length;
  const parts = [
    ...(change ? [`${change.before} → ${change.after}`] : []),
    ...(closed > 0 ? [`${closed} closed`] : []),
    ...(opened > 0 ? [`${opened} opened`] : []),
  ];
  return parts.length === 0 ? 'unchanged' : parts.join(', ');
}

export const ATTEST_ONLY_ADVICE = 'no rule can check these on a template: establish each practice and attest it in the attestations file ' +
  '("practice": "<id>").';

/**
 * Issues split into those worth an entry each (findings, acknowledgements, rules that checked nothing) and those that
 * only need an attestation (listed together, compactly: a real service has dozens).
 */
export function splitIssues(issues: PracticeAssessment[]): { detailed: PracticeAssessment[]; attestOnly: PracticeAssessment[] } {
  const attestOnly = (p: PracticeAssessment) => p.status === PracticeStatus.NEEDS_ATTESTATION && p.ruleIds.length === 0 &&
    p.findings.length === 0 && p.acknowledged.length === 0;
  return { detailed: issues.filter((p) => !attestOnly(p)), attestOnly: issues.filter(attestOnly) };
}

/** How many practices have each status. */
export function statusCounts(practices: PracticeAssessment[]): Array<[PracticeStatus, string, number]> {
  return STATUS_LABELS.map(([status, label]) => [status, label, practices.filter((p) => p.status === status).length]);
}

/** Per question (in catalogue order), the short ids (`BP04`) of its practices with each status. */
export function practicesByQuestion(practices: PracticeAssessment[]): Array<{ questionId: string; byStatus: Map<PracticeStatus, string[]> }> {
  const questions = [...new Set(practices.map((p) => p.questionId))];
  return questions.map((questionId) => {
    const byStatus = new Map<PracticeStatus, string[]>();
    for (const p of practices.filter((x) => x.questionId === questionId)) {
      const short = p.practiceId.startsWith(`${questionId}-`) ? p.practiceId.slice(questionId.length + 1) : p.practiceId;
      byStatus.set(p.status, [...(byStatus.get(p.status) ?? []), short]);
    }
    return { questionId, byStatus };
  });
}

/** The one-line heading facts of a report. */
export function reportTitle(report: ReadinessReport): string {
  const names = report.workloads.map((w) => w.name);
  if (names.length > 4) return `Operational readiness review: ${names.length} workloads`;
  if (names.length === 0 && report.unowned.length > 0) names.push(...report.unowned.map(scopeLabel));
  return `Operational readiness review: ${names.length === 0 ? '(no workload)' : names.join(', ')}`;
}

/** The rule pack as `OpsExcellence (19 rules)`. */
export function rulePackLabel(report: ReadinessReport): string {
  const { plugin, rules, ...rest } = report.rulePack;
  const more = Object.entries(rest).map(([k, v]) => `${k} ${v}`);
  return [`${plugin ?? 'unknown'}${rules === undefined ? '' : ` (${rules} rules)`}`, ...more].join(', ');
}
