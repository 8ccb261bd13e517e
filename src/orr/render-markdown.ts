import {
  AlarmCatalogueEntry, MaturityLevel, PracticeAssessment, PracticeStatus, ReadinessFinding, ReadinessReport, RunbookInventoryEntry, ScopeReadiness,
} from './model';

// ---- shared by the Markdown and the HTML renderer ------------------------------------------------------------------

/** The statuses in the order the reports list them, with the words a reader sees. */
export const STATUS_LABELS: ReadonlyArray<[PracticeStatus, string]> = [
  [PracticeStatus.MET, 'Met'],
  [PracticeStatus.ATTESTED, 'Attested'],
  [PracticeStatus.ACKNOWLEDGED, 'Acknowledged'],
  [PracticeStatus.NOT_MET, 'Not met'],
  [PracticeStatus.NEEDS_ATTESTATION, 'Needs attestation'],
];

/** The words for a status. */
export function statusLabel(status: PracticeStatus): string {
  return STATUS_LABELS.find(([s]) => s === status)?.[1] ?? String(status);
}

/** The maturity levels, lowest first. */
export const MATURITY_LEVELS: MaturityLevel[] = [MaturityLevel.NONE, MaturityLevel.BRONZE, MaturityLevel.SILVER, MaturityLevel.GOLD];

/** What each maturity level means, in one sentence. */
export const MATURITY_LEGEND = 'None: a HIGH-risk practice is neither met nor attested. Bronze: every HIGH-risk practice is met or attested. ' +
  'Silver: Bronze, and every MEDIUM-risk practice too. Gold: Silver, and every LOW-risk practice too.';

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

/** A workload with its services, in report order (a workload of services only is listed too). */
export interface WorkloadGroup {
  readonly name: string;
  readonly workload?: ScopeReadiness;
  readonly services: ScopeReadiness[];
}

/** The report's services grouped under their workloads. */
export function workloadGroups(report: ReadinessReport): WorkloadGroup[] {
  const names = [...new Set([...report.workloads.map((w) => w.name), ...report.services.map((s) => s.workload)])];
  return names.map((name) => ({
    name,
    workload: report.workloads.find((w) => w.name === name),
    services: report.services.filter((s) => s.workload === name),
  }));
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
  const key = (f: ReadinessFinding) => `${f.stack}\u0000${f.resourcePath}\u0000${f.findingId}`;
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
  const names = workloadGroups(report).map((g) => g.name);
  return `Operational readiness review: ${names.length === 0 ? '(no workload)' : names.join(', ')}`;
}

/** The rule pack as `OpsExcellence (19 rules)`. */
export function rulePackLabel(report: ReadinessReport): string {
  const { plugin, rules, ...rest } = report.rulePack;
  const more = Object.entries(rest).map(([k, v]) => `${k} ${v}`);
  return [`${plugin ?? 'unknown'}${rules === undefined ? '' : ` (${rules} rules)`}`, ...more].join(', ');
}

// ---- Markdown -------------------------------------------------------------------------------------------------------

/** Inline text: Markdown syntax characters escaped, line breaks folded. */
function text(value: string): string {
  return value
    .replace(/[\\`*[\]<>]/g, (c) => `\\${c}`)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/\s*\r?\n\s*/g, ' ');
}

/** A code span that holds any text (line breaks folded). */
function code(value: string): string {
  const v = value.replace(/\s*\r?\n\s*/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...(v.match(/`+/g) ?? []).map((m) => m.length)) + 1);
  return fence.length > 1 || v.startsWith(' ') || v.endsWith(' ') ? `${fence} ${v} ${fence}` : `${fence}${v}${fence}`;
}

/** A table cell: `|` escaped (GFM also reads `\|` inside code spans), line breaks as `<br>`. */
function cell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function table(headers: string[], rows: string[][], numeric: number[] = []): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((_, i) => (numeric.includes(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => (c === '' ? ' ' : cell(c))).join(' | ')} |`),
  ];
}

function link(label: string, url: string): string {
  return isHttpUrl(url) ? `[${text(label)}](<${url}>)` : text(label);
}

function orDash(value: string | undefined, format: (v: string) => string = text): string {
  return value === undefined || value === '' ? '—' : format(value);
}

function runbookMd(runbook: string | undefined): string {
  if (runbook === undefined) return '—';
  return isHttpUrl(runbook) && !runbook.includes('|') ? `<${runbook}>` : code(runbook);
}

function summaryMd(report: ReadinessReport): string[] {
  const s = report.summary;
  const maturity = MATURITY_LEVELS.map((l) => `${l} ${s.servicesByMaturity[l] ?? 0}`).join(', ');
  return [
    '## Summary',
    '',
    `- Services: ${s.services} (${maturity})`,
    `- High-risk issues (HRI): ${s.highRiskIssues}; medium-risk issues (MRI): ${s.mediumRiskIssues}`,
    `- Findings: ${s.openFindings} open, ${s.acknowledgedFindings} acknowledged`,
    `- Alarms: ${report.alarms.length}; runbooks: ${report.runbooks.length}; services with a game day: ${s.servicesWithGameDay} (${report.gameDays.length} experiments)`,
    s.criticalWithHighRisk.length === 0
      ? '- No critical-tier service has a high-risk issue.'
      : `- **Critical-tier services with a high-risk issue: ${s.criticalWithHighRisk.map(text).join(', ')}**`,
    '',
  ];
}

function scoreRow(label: string, s: ScopeReadiness): string[] {
  const counts = [s.highRiskIssues.length, s.mediumRiskIssues.length, s.gameDays.length].map(String);
  return [label, orDash(s.tier), orDash(s.owner), s.maturity, ...counts];
}

function scorecardMd(report: ReadinessReport): string[] {
  const out = ['## Scorecard', '', `Maturity — ${text(MATURITY_LEGEND)}`, ''];
  for (const g of workloadGroups(report)) {
    out.push(`### Workload ${text(g.name)}`, '');
    const rows = [
      ...(g.workload ? [scoreRow(`*${text(g.name)} (whole workload)*`, g.workload)] : []),
      ...g.services.map((s) => scoreRow(text(s.name), s)),
    ];
    out.push(...table(['Service', 'Tier', 'Owner', 'Maturity', 'HRI', 'MRI', 'Game days'], rows, [4, 5, 6]), '');
    if (g.workload && g.workload.highRiskIssues.length + g.workload.mediumRiskIssues.length > 0) {
      const ids = (ps: PracticeAssessment[]) => (ps.length === 0 ? 'none' : ps.map((p) => p.practiceId).join(', '));
      out.push(`Workload ${text(g.name)} as a whole — HRI: ${ids(g.workload.highRiskIssues)}; MRI: ${ids(g.workload.mediumRiskIssues)}.`, '');
    }
  }
  return out;
}

function issueMd(p: PracticeAssessment): string[] {
  const out = [`- **${p.practiceId}** ${link(p.title, p.url)} — ${statusLabel(p.status)}`];
  if (p.improvement !== '') out.push(`  - ${p.status === PracticeStatus.NOT_MET ? 'Fix' : 'Next step'}: ${text(p.improvement)}`);
  for (const g of byRule(p.findings)) {
    out.push(`  - ${code(g.ruleId)} (${text(g.level)}): ${text(g.info)}`);
    for (const f of g.findings) out.push(`    - ${code(f.resourcePath)} — finding ${code(f.findingId)} (stack ${code(f.stack)})`);
  }
  for (const f of p.acknowledged) {
    out.push(`  - Acknowledged ${code(f.findingId)} on ${code(f.resourcePath)}: ${text(f.acknowledgedReason ?? '')}`);
  }
  return out;
}

function issuesMd(report: ReadinessReport): string[] {
  const out = ['## High- and medium-risk issues', ''];
  if (report.services.length === 0) out.push('No service is tagged `ops:service`.', '');
  for (const s of report.services) {
    out.push(`### ${text(`${s.workload}/${s.name}`)} — ${s.maturity}`, '');
    if (s.highRiskIssues.length + s.mediumRiskIssues.length === 0) {
      out.push('No high- or medium-risk issues.', '');
      continue;
    }
    for (const [label, issues] of [['High-risk issues', s.highRiskIssues], ['Medium-risk issues', s.mediumRiskIssues]] as const) {
      out.push(`**${label} (${issues.length})**`, '');
      const { detailed, attestOnly } = splitIssues(issues);
      out.push(...(issues.length === 0 ? ['None.'] : detailed.flatMap(issueMd)));
      if (attestOnly.length > 0) {
        out.push(`- Needs attestation (${attestOnly.length}) — ${text(ATTEST_ONLY_ADVICE)}`,
          ...attestOnly.map((p) => `  - **${p.practiceId}** ${link(p.title, p.url)}`));
      }
      out.push('');
    }
  }
  return out;
}

function acknowledgedMd(report: ReadinessReport): string[] {
  const entries = acknowledgedEntries(report);
  const out = ['## Acknowledged findings', ''];
  if (entries.length === 0) return [...out, 'None.', ''];
  const rows = entries.map((e) => [
    text(e.scope), e.practiceIds.join(', '), code(e.finding.findingId), code(e.finding.resourcePath), text(e.finding.acknowledgedReason ?? ''),
  ]);
  return [...out, ...table(['Service', 'Practices', 'Finding', 'Resource', 'Reason'], rows), ''];
}

function attestationsMd(report: ReadinessReport): string[] {
  const attested = attestedPractices(report);
  const out = ['## Attestations', ''];
  if (attested.length === 0) return [...out, 'None.', ''];
  const rows = attested.map(({ scope, practice: p }) => {
    const a = p.attestation!;
    return [text(scope), `${p.practiceId} ${text(p.title)}`, text(a.attestedBy), a.date, a.expires, isHttpUrl(a.evidence) ? `<${a.evidence}>` : text(a.evidence)];
  });
  return [...out, ...table(['Service', 'Practice', 'Attested by', 'Date', 'Expires', 'Evidence'], rows), ''];
}

function practicesMd(report: ReadinessReport): string[] {
  const out = ['## Practice status', '', 'Short ids per question (BP04 = OPS08-BP04 in row OPS08); see the framework pages for each.', ''];
  const scopes: Array<[string, ScopeReadiness]> = [
    ...report.workloads.map((w): [string, ScopeReadiness] => [`${w.name} (whole workload)`, w]),
    ...report.services.map((s): [string, ScopeReadiness] => [`${s.workload}/${s.name}`, s]),
  ];
  for (const [label, s] of scopes) {
    const counts = statusCounts(s.practices).map(([, l, n]) => `${l} ${n}`).join(' · ');
    out.push(`### ${text(label)} — ${s.maturity}`, '', `${counts} (of ${s.practices.length} practices)`, '');
    const rows = practicesByQuestion(s.practices).map(({ questionId, byStatus }) =>
      [questionId, ...STATUS_LABELS.map(([status]) => (byStatus.get(status) ?? []).join(', '))]);
    out.push(...table(['Question', ...STATUS_LABELS.map(([, l]) => l)], rows), '');
  }
  return out;
}

function alarmsMd(report: ReadinessReport): string[] {
  const out = ['## Alarm catalogue', ''];
  if (report.alarms.length === 0) return [...out, 'No alarms.', ''];
  const rows = report.alarms.map((a) => [
    code(a.alarmName), text(a.kind), text(a.severity), orDash(a.owner), runbookMd(a.runbook), orDash(serviceOf(a)), notifiesLabel(a),
  ]);
  return [...out, ...table(['Alarm', 'Kind', 'Severity', 'Owner', 'Runbook', 'Service', 'Notifies'], rows), ''];
}

function runbooksMd(report: ReadinessReport): string[] {
  const out = ['## Runbook inventory', ''];
  if (report.runbooks.length === 0) return [...out, 'No SSM Automation documents.', ''];
  const rows = report.runbooks.map((r) => [
    code(r.documentName), text(r.title), orDash(serviceOf(r)), r.steps.map(text).join(' → '), changesStateLabel(r),
    r.approvalGate ? 'yes' : 'no', r.hasAssumeRole ? 'yes' : 'no',
  ]);
  return [...out, ...table(['Document', 'Title', 'Service', 'Steps', 'Changes state', 'Approval gate', 'Own role'], rows), ''];
}

function gameDaysMd(report: ReadinessReport): string[] {
  const out = ['## Game days', ''];
  if (report.gameDays.length === 0) return [...out, 'No FIS experiment templates: no service has a game day.', ''];
  const rows = report.gameDays.map((g) => [
    code(g.name), orDash(serviceOf(g)), g.actions.map(code).join(', '), g.stopAlarms.length === 0 ? 'none' : g.stopAlarms.map(code).join(', '),
    text(g.description),
  ]);
  return [...out, ...table(['Experiment', 'Service', 'Faults', 'Stops on', 'Description'], rows), ''];
}

/**
 * The readiness report as GitHub-flavoured Markdown: summary, scorecard, high- and medium-risk issues with their fixes
 * and findings, acknowledged findings, attestations, the alarm catalogue, the runbook inventory, the game days and a
 * compact practice-status table per scope. The output depends on the report only (no clock).
 */
export function renderMarkdown(report: ReadinessReport): string {
  const header = [
    `# ${text(reportTitle(report))}`,
    '',
    `Assessed on ${report.assessedOn} against the Well-Architected Operational Excellence pillar (framework ${text(report.frameworkVersion)}), ` +
      `rule pack ${text(rulePackLabel(report))}, report schema ${text(report.schemaVersion)}.`,
    `Stacks: ${report.stacks.length === 0 ? 'none' : report.stacks.map(code).join(', ')}.`,
    '',
  ];
  const lines = [
    ...header, ...summaryMd(report), ...scorecardMd(report), ...issuesMd(report), ...acknowledgedMd(report), ...attestationsMd(report),
    ...alarmsMd(report), ...runbooksMd(report), ...gameDaysMd(report), ...practicesMd(report),
  ];
  while (lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
