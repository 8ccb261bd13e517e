import { PracticeAssessment, PracticeStatus, ReadinessReport, ScopeReadiness } from './model';
import {
  ATTEST_ONLY_ADVICE, MATURITY_LEGEND, MATURITY_LEVELS, STATUS_LABELS, acknowledgedEntries, attestedPractices, byRule, changesStateLabel,
  findingKey, isHttpUrl, notifiesLabel, practicesByQuestion, reportTitle, rulePackLabel, scopeHeading, serviceFindingKeys, serviceOf,
  splitIssues, statusCounts, statusLabel, trendOf, workloadGroups,
} from './render-common';

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
  const levels = (by: { [level: string]: number }) => MATURITY_LEVELS.map((l) => `${l} ${by[l] ?? 0}`).join(', ');
  return [
    '## Summary',
    '',
    `- Workloads: ${s.workloads} (${levels(s.workloadsByMaturity)}); unowned stacks: ${s.unownedStacks}`,
    `- Services: ${s.services} (${levels(s.servicesByMaturity)})`,
    `- High-risk issues (HRI): ${s.highRiskIssues}; medium-risk issues (MRI): ${s.mediumRiskIssues} (workloads and unowned stacks; ` +
      `services: ${s.serviceHighRiskIssues} HRI, ${s.serviceMediumRiskIssues} MRI)`,
    `- Findings: ${s.openFindings} open, ${s.acknowledgedFindings} acknowledged`,
    `- Alarms: ${report.alarms.length}; runbooks: ${report.runbooks.length}; services with a game day: ${s.servicesWithGameDay} (${report.gameDays.length} experiments)`,
    s.criticalWithHighRisk.length === 0
      ? '- No critical-tier or unowned scope has a high-risk issue.'
      : `- **Critical-tier or unowned scopes with a high-risk issue: ${s.criticalWithHighRisk.map(text).join(', ')}**`,
    '',
  ];
}

function sinceMd(report: ReadinessReport): string[] {
  const since = report.sinceBaseline;
  if (!since) return [];
  const issue = (i: { scope: string; practiceId: string; risk: string }) => `${text(i.scope)} ${i.practiceId} (${i.risk})`;
  const list = (label: string, items: string[]) => `- ${label} (${items.length}): ${items.length === 0 ? 'none' : items.join(', ')}`;
  return [
    '## Since the last review',
    '',
    `Compared with the review of ${since.baselineAssessedOn} (schema ${text(since.baselineSchemaVersion)}).`,
    '',
    `- High-risk issues: ${since.highRiskIssuesBefore} → ${since.highRiskIssuesAfter}; medium-risk issues: ${since.mediumRiskIssuesBefore} → ${since.mediumRiskIssuesAfter}`,
    list('Closed', since.closed.map(issue)),
    list('Opened', since.opened.map(issue)),
    list('Maturity changes', since.maturityChanges.map((m) => `${text(m.scope)} ${m.before} → ${m.after}`)),
    list('New', since.newScopes.map(text)),
    list('Removed', since.removedScopes.map(text)),
    '',
  ];
}

/** The anchor GitHub gives a scope's issues heading (lower case, punctuation dropped, spaces to hyphens). */
function anchorMd(s: ScopeReadiness): string {
  return `${scopeHeading(s)} — ${s.maturity}`.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

function scoreRow(label: string, s: ScopeReadiness, report: ReadinessReport): string[] {
  const counts = [s.highRiskIssues.length, s.mediumRiskIssues.length, s.gameDays.length].map(String);
  return [label, orDash(s.tier), orDash(s.owner), s.maturity, String(s.score), ...counts, text(trendOf(report, s))];
}

function scorecardMd(report: ReadinessReport): string[] {
  const out = ['## Organization scorecard', '', `Maturity — ${text(MATURITY_LEGEND)}`, ''];
  const groups = workloadGroups(report);
  const rows = groups.filter((g) => g.workload).map((g) => {
    const w = g.workload!;
    return [`[${text(g.name)}](#${anchorMd(w)})`, orDash(w.tier), orDash(w.owner), w.maturity, String(w.score), String(w.highRiskIssues.length),
      String(w.mediumRiskIssues.length), String(g.services.length), text(trendOf(report, w))];
  });
  out.push(...table(['Workload', 'Tier', 'Owner', 'Maturity', 'Score', 'HRI', 'MRI', 'Services', 'Since last review'], rows, [4, 5, 6, 7]), '');
  for (const g of groups) {
    if (g.services.length === 0) continue;
    out.push(`### Services of ${text(g.name)}`, '');
    out.push(...table(['Service', 'Tier', 'Owner', 'Maturity', 'Score', 'HRI', 'MRI', 'Game days', 'Since last review'],
      g.services.map((s) => scoreRow(`[${text(s.name)}](#${anchorMd(s)})`, s, report)), [4, 5, 6, 7]), '');
  }
  return out;
}

function issueMd(p: PracticeAssessment, skip: Set<string>): string[] {
  const findings = p.findings.filter((f) => !skip.has(findingKey(f)));
  const acknowledged = p.acknowledged.filter((f) => !skip.has(findingKey(f)));
  const hidden = p.findings.length + p.acknowledged.length - findings.length - acknowledged.length;
  const out = [`- **${p.practiceId}** ${link(p.title, p.url)} — ${statusLabel(p.status)}`];
  if (p.improvement !== '') out.push(`  - ${p.status === PracticeStatus.NOT_MET ? 'Fix' : 'Next step'}: ${text(p.improvement)}`);
  for (const g of byRule(findings)) {
    out.push(`  - ${code(g.ruleId)} (${text(g.level)}): ${text(g.info)}`);
    for (const f of g.findings) out.push(`    - ${code(f.resourcePath)} — finding ${code(f.findingId)} (stack ${code(f.stack)})`);
  }
  for (const f of acknowledged) {
    out.push(`  - Acknowledged ${code(f.findingId)} on ${code(f.resourcePath)}: ${text(f.acknowledgedReason ?? '')}`);
  }
  if (hidden > 0) out.push(`  - ${hidden} more finding${hidden === 1 ? '' : 's'} on the workload's services, listed under each service.`);
  return out;
}

function scopeIssuesMd(s: ScopeReadiness, skip: Set<string>): string[] {
  const out = [`### ${text(scopeHeading(s))} — ${s.maturity}`, ''];
  if (s.highRiskIssues.length + s.mediumRiskIssues.length === 0) return [...out, 'No high- or medium-risk issues.', ''];
  for (const [label, issues] of [['High-risk issues', s.highRiskIssues], ['Medium-risk issues', s.mediumRiskIssues]] as const) {
    out.push(`**${label} (${issues.length})**`, '');
    const { detailed, attestOnly } = splitIssues(issues);
    out.push(...(issues.length === 0 ? ['None.'] : detailed.flatMap((p) => issueMd(p, skip))));
    if (attestOnly.length > 0) {
      out.push(`- Needs attestation (${attestOnly.length}) — ${text(ATTEST_ONLY_ADVICE)}`,
        ...attestOnly.map((p) => `  - **${p.practiceId}** ${link(p.title, p.url)}`));
    }
    out.push('');
  }
  return out;
}

function issuesMd(report: ReadinessReport): string[] {
  const out = ['## High- and medium-risk issues', ''];
  for (const g of workloadGroups(report)) {
    if (g.workload) out.push(...scopeIssuesMd(g.workload, serviceFindingKeys(g.services)));
    for (const s of g.services) out.push(...scopeIssuesMd(s, new Set()));
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
  const scopes = workloadGroups(report).flatMap((g) => [...(g.workload ? [g.workload] : []), ...g.services]);
  for (const s of scopes) {
    const counts = statusCounts(s.practices).map(([, l, n]) => `${l} ${n}`).join(' · ');
    out.push(`### Practices of ${text(scopeHeading(s))} — ${s.maturity}`, '', `${counts} (of ${s.practices.length} practices)`, '');
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
 * The readiness report as GitHub-flavoured Markdown: summary, changes since the baseline, organization scorecard, high- and medium-risk issues with their fixes
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
    ...header, ...summaryMd(report), ...sinceMd(report), ...scorecardMd(report), ...issuesMd(report), ...acknowledgedMd(report),
    ...attestationsMd(report),
    ...alarmsMd(report), ...runbooksMd(report), ...gameDaysMd(report), ...practicesMd(report),
  ];
  while (lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
