import { AlarmCatalogueEntry, PracticeAssessment, PracticeStatus, ReadinessReport, RunbookInventoryEntry, ScopeReadiness } from './model';
import {
  ATTEST_ONLY_ADVICE, MATURITY_LEGEND, MATURITY_LEVELS, STATUS_LABELS, acknowledgedEntries, attestedPractices, byRule, changesStateLabel, findingKey,
  isHttpUrl, notifiesLabel, practicesByQuestion, reportTitle, rulePackLabel, scopeHeading, serviceFindingKeys, serviceOf, splitIssues, statusCounts,
  statusLabel, trendOf, workloadGroups,
} from './render-common';
import { SCOPE_SERVICE, SCOPE_UNOWNED } from './scopes';

/** Text escaped for HTML content and attribute values. */
function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const code = (value: string) => `<code>${esc(value)}</code>`;
const orDash = (value: string | undefined) => (value === undefined || value === '' ? '<span class="muted">—</span>' : esc(value));

/** A link when the target is an http(s) URL, else the text (or code) alone. */
function link(label: string, url: string | undefined, asCode = false): string {
  const shown = asCode ? code(label) : esc(label);
  return isHttpUrl(url) ? `<a href="${esc(url)}">${shown}</a>` : shown;
}

const slug = (value: string) => value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const maturityBadge = (level: string) => `<span class="badge m-${slug(level)}">${esc(level)}</span>`;
const statusBadge = (status: PracticeStatus) => `<span class="badge s-${slug(status)}">${esc(statusLabel(status))}</span>`;
const num = (n: number) => `<td class="num">${n}</td>`;

function table(caption: string | undefined, headers: string[], rows: string[], cls = ''): string {
  return [
    `<table${cls ? ` class="${cls}"` : ''}>`,
    ...(caption === undefined ? [] : [`<caption>${caption}</caption>`]),
    `<thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; background: #fff; }
header, main { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.25rem; border-bottom: 1px solid #d0d7de; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
a { color: #0550ae; }
a:focus-visible, summary:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.muted, .meta { color: #57606a; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: 0 .2em; border-radius: 4px; overflow-wrap: anywhere; }
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .75rem; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: .6rem .8rem; background: #f6f8fa; }
.card .value { display: block; font-size: 1.6rem; font-weight: 700; }
.card.warn { border-color: #cf222e; background: #ffebe9; }
.alert { border-left: 4px solid #cf222e; background: #ffebe9; padding: .6rem .9rem; }
.ok { border-left: 4px solid #1a7f37; background: #dafbe1; padding: .6rem .9rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
tbody th { font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.unowned th, tr.unowned td { background: #ffebe9; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 1em; border: 1px solid currentColor; font-size: .85em; font-weight: 600; white-space: nowrap; }
.m-none, .s-not-met { color: #82071e; background: #ffebe9; }
.m-bronze, .s-acknowledged { color: #6b3a00; background: #fbefe1; }
.m-silver { color: #32383f; background: #eef1f4; }
.m-gold, .s-needs-attestation { color: #4d3800; background: #fff8c5; }
.s-met { color: #116329; background: #dafbe1; }
.s-attested { color: #0a3069; background: #ddf4ff; }
.s-not-applicable { color: #57606a; background: #f6f8fa; }
.issues > li { margin-bottom: .75rem; }
.issues p { margin: .15rem 0; }
p.attest-only.ids { margin-top: .25rem; }
p.attest-only.ids span { white-space: nowrap; }
details { border: 1px solid #d0d7de; border-radius: 8px; padding: .4rem .8rem; margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; }
details[open] summary { margin-bottom: .5rem; }
/* The long sections render when scrolled to (a 120-service report opens in a fraction of the time). */
#issues, #alarms, #practices { content-visibility: auto; contain-intrinsic-size: auto 100rem; }
footer { max-width: 72rem; margin: 2rem auto; padding: 0 1.25rem; color: #57606a; font-size: .85rem; }
`.trim();

function summaryHtml(report: ReadinessReport): string {
  const s = report.summary;
  const card = (value: number, label: string, warn = false) =>
    `<li class="card${warn && value > 0 ? ' warn' : ''}"><span class="value">${value}</span> ${esc(label)}</li>`;
  const cards = [
    card(s.workloads, 'workloads'),
    card(s.unownedStacks, 'unowned stacks', true),
    card(s.services, 'services'),
    card(s.highRiskIssues, 'high-risk issues (HRI)', true),
    card(s.mediumRiskIssues, 'medium-risk issues (MRI)'),
    card(s.openFindings, 'open findings', true),
    card(s.acknowledgedFindings, 'acknowledged findings'),
    ...MATURITY_LEVELS.map((l) => card(s.servicesByMaturity[l] ?? 0, `services at maturity ${l}`)),
    card(report.alarms.length, 'alarms'),
    card(report.runbooks.length, 'runbooks'),
    card(report.summary.servicesWithGameDay, 'services with a game day'),
  ];
  const critical = s.criticalWithHighRisk.length === 0
    ? '<p class="ok">No critical-tier or unowned scope has a high-risk issue.</p>'
    : `<p class="alert"><strong>Critical-tier or unowned scopes with a high-risk issue:</strong> ${s.criticalWithHighRisk.map(esc).join(', ')}</p>`;
  return '<section id="summary"><h2>Summary</h2>\n<p class="meta">HRI and MRI count each practice once per workload and unowned stack ' +
    `(services: ${s.serviceHighRiskIssues} HRI, ${s.serviceMediumRiskIssues} MRI).</p>\n<ul class="cards">\n${cards.join('\n')}\n</ul>\n${critical}\n</section>`;
}

function sinceHtml(report: ReadinessReport): string {
  const since = report.sinceBaseline;
  if (!since) return '';
  const issue = (i: { scope: string; practiceId: string; risk: string }) => `<li>${esc(i.scope)} ${esc(i.practiceId)} (${esc(i.risk)})</li>`;
  const list = (label: string, items: string[]) => `<h3>${label} (${items.length})</h3>\n${items.length === 0 ? '<p>None.</p>' : `<ul>${items.join('')}</ul>`}`;
  return [
    '<section id="since"><h2>Since the last review</h2>',
    `<p>Compared with the review of ${esc(since.baselineAssessedOn)} (schema ${esc(since.baselineSchemaVersion)}): high-risk issues ` +
      `<strong>${since.highRiskIssuesBefore} → ${since.highRiskIssuesAfter}</strong>, medium-risk issues ${since.mediumRiskIssuesBefore} → ${since.mediumRiskIssuesAfter}.</p>`,
    list('Closed', since.closed.map(issue)),
    list('Opened', since.opened.map(issue)),
    list('Maturity changes', since.maturityChanges.map((m) => `<li>${esc(m.scope)}: ${maturityBadge(m.before)} → ${maturityBadge(m.after)}</li>`)),
    list('New', since.newScopes.map((n) => `<li>${esc(n)}</li>`)),
    list('Removed', since.removedScopes.map((n) => `<li>${esc(n)}</li>`)),
    '</section>',
  ].join('\n');
}

function scopeAnchor(report: ReadinessReport, s: ScopeReadiness): string {
  const list = s.kind === SCOPE_SERVICE ? report.services : s.kind === SCOPE_UNOWNED ? report.unowned : report.workloads;
  return `${s.kind}-${list.indexOf(s) + 1}-${slug(s.name)}`;
}

function scorecardHtml(report: ReadinessReport): string {
  const groups = workloadGroups(report);
  const orgRows = groups.filter((g) => g.workload).map((g) => {
    const w = g.workload!;
    return `<tr${w.kind === SCOPE_UNOWNED ? ' class="unowned"' : ''}><th scope="row"><a href="#${scopeAnchor(report, w)}">${esc(g.name)}</a></th>` +
      `<td>${orDash(w.tier)}</td><td>${orDash(w.owner)}</td><td>${maturityBadge(w.maturity)}</td>${num(w.score)}${num(w.highRiskIssues.length)}` +
      `${num(w.mediumRiskIssues.length)}${num(g.services.length)}<td>${esc(trendOf(report, w))}</td></tr>`;
  });
  const row = (s: ScopeReadiness) =>
    `<tr><th scope="row"><a href="#${scopeAnchor(report, s)}">${esc(s.name)}</a></th><td>${orDash(s.tier)}</td><td>${orDash(s.owner)}</td>` +
    `<td>${maturityBadge(s.maturity)}</td>${num(s.score)}${num(s.highRiskIssues.length)}${num(s.mediumRiskIssues.length)}${num(s.gameDays.length)}` +
    `<td>${esc(trendOf(report, s))}</td></tr>`;
  const tables = groups.filter((g) => g.services.length > 0).map((g) =>
    table(`Services of ${esc(g.name)}`, ['Service', 'Tier', 'Owner', 'Maturity', 'Score', 'HRI', 'MRI', 'Game days', 'Since last review'],
      g.services.map(row), 'scorecard'));
  return `<section id="scorecard"><h2>Organization scorecard</h2>\n<p class="meta">${esc(MATURITY_LEGEND)}</p>\n` +
    `${table('Workloads and unowned stacks', ['Workload', 'Tier', 'Owner', 'Maturity', 'Score', 'HRI', 'MRI', 'Services', 'Since last review'], orgRows, 'scorecard')}\n` +
    `${tables.join('\n')}\n</section>`;
}

function issueHtml(p: PracticeAssessment, skip: Set<string>): string {
  const open = p.findings.filter((f) => !skip.has(findingKey(f)));
  const acked = p.acknowledged.filter((f) => !skip.has(findingKey(f)));
  const hidden = p.findings.length + p.acknowledged.length - open.length - acked.length;
  const parts = [`<li><p><strong>${esc(p.practiceId)}</strong> ${link(p.title, p.url)} ${statusBadge(p.status)}</p>`];
  if (p.improvement !== '') {
    parts.push(`<p class="fix"><strong>${p.status === PracticeStatus.NOT_MET ? 'Fix' : 'Next step'}:</strong> ${esc(p.improvement)}</p>`);
  }
  const findings = byRule(open).map((g) => `<li>${code(g.ruleId)} (${esc(g.level)}): ${esc(g.info)}<ul>` +
    g.findings.map((f) => `<li>${code(f.resourcePath)} — finding ${code(f.findingId)} (stack ${code(f.stack)})</li>`).join('') + '</ul></li>');
  const acknowledged = acked.map((f) =>
    `<li>Acknowledged ${code(f.findingId)} on ${code(f.resourcePath)}: ${esc(f.acknowledgedReason ?? '')}</li>`);
  if (hidden > 0) acknowledged.push(`<li class="muted">${hidden} more finding${hidden === 1 ? '' : 's'} on the workload's services, listed under each service.</li>`);
  if (findings.length + acknowledged.length > 0) parts.push(`<ul class="findings">${[...findings, ...acknowledged].join('')}</ul>`);
  return `${parts.join('\n')}</li>`;
}

function scopeIssuesHtml(report: ReadinessReport, s: ScopeReadiness, skip: Set<string>): string[] {
  const out = [`<h3 id="${scopeAnchor(report, s)}">${esc(scopeHeading(s))} ${maturityBadge(s.maturity)} <span class="meta">score ${s.score}</span></h3>`];
  if (s.highRiskIssues.length + s.mediumRiskIssues.length === 0) return [...out, '<p>No high- or medium-risk issues.</p>'];
  for (const [label, issues] of [['High-risk issues', s.highRiskIssues], ['Medium-risk issues', s.mediumRiskIssues]] as const) {
    out.push(`<h4>${label} (${issues.length})</h4>`);
    const { detailed, attestOnly } = splitIssues(issues);
    if (issues.length === 0) out.push('<p>None.</p>');
    if (detailed.length > 0) out.push(`<ol class="issues">\n${detailed.map((p) => issueHtml(p, skip)).join('\n')}\n</ol>`);
    if (attestOnly.length > 0) {
      out.push(`<p class="attest-only"><strong>Needs attestation (${attestOnly.length})</strong> — ${esc(ATTEST_ONLY_ADVICE)}</p>`,
        // Ids only, the title on hover: a real service has dozens, the same in every service (the practice pages are linked
        // from the issues a rule found and from the framework).
        `<p class="attest-only ids">${attestOnly.map((p) => `<span title="${esc(p.title)}">${esc(p.practiceId)}</span>`).join(', ')}</p>`);
    }
  }
  return out;
}

function issuesHtml(report: ReadinessReport): string {
  const out = ['<section id="issues"><h2>High- and medium-risk issues</h2>'];
  for (const g of workloadGroups(report)) {
    if (g.workload) out.push(...scopeIssuesHtml(report, g.workload, serviceFindingKeys(g.services)));
    for (const s of g.services) out.push(...scopeIssuesHtml(report, s, new Set()));
  }
  out.push('</section>');
  return out.join('\n');
}

function acknowledgedHtml(report: ReadinessReport): string {
  const entries = acknowledgedEntries(report);
  const body = entries.length === 0 ? '<p>None.</p>' : table(undefined, ['Service', 'Practices', 'Finding', 'Resource', 'Reason'], entries.map((e) =>
    `<tr><th scope="row">${esc(e.scope)}</th><td>${esc(e.practiceIds.join(', '))}</td><td>${code(e.finding.findingId)}</td>` +
    `<td>${code(e.finding.resourcePath)}</td><td>${esc(e.finding.acknowledgedReason ?? '')}</td></tr>`));
  return `<section id="acknowledged"><h2>Acknowledged findings</h2>\n${body}\n</section>`;
}

function attestationsHtml(report: ReadinessReport): string {
  const attested = attestedPractices(report);
  const body = attested.length === 0 ? '<p>None.</p>' : table(undefined, ['Service', 'Practice', 'Attested by', 'Date', 'Expires', 'Evidence'],
    attested.map(({ scope, practice: p }) => {
      const a = p.attestation!;
      return `<tr><th scope="row">${esc(scope)}</th><td>${esc(p.practiceId)} ${link(p.title, p.url)}</td><td>${esc(a.attestedBy)}</td>` +
        `<td>${esc(a.date)}</td><td>${esc(a.expires)}</td><td>${link(a.evidence, a.evidence)}</td></tr>`;
    }));
  return `<section id="attestations"><h2>Attestations</h2>\n${body}\n</section>`;
}

function alarmRow(a: AlarmCatalogueEntry): string {
  const runbook = a.runbook === undefined ? orDash(undefined) : link(a.runbook, a.runbook, !isHttpUrl(a.runbook));
  const notifies = a.notifies ? esc(notifiesLabel(a)) : `<strong>${esc(notifiesLabel(a))}</strong>`;
  return `<tr><th scope="row">${code(a.alarmName)}</th><td>${esc(a.kind)}</td><td>${esc(a.severity)}</td><td>${orDash(a.owner)}</td>` +
    `<td>${runbook}</td><td>${orDash(serviceOf(a))}</td><td>${notifies}</td></tr>`;
}

function alarmsHtml(report: ReadinessReport): string {
  const body = report.alarms.length === 0 ? '<p>No alarms.</p>'
    : table(undefined, ['Alarm', 'Kind', 'Severity', 'Owner', 'Runbook', 'Service', 'Notifies'], report.alarms.map(alarmRow), 'alarms');
  return `<section id="alarms"><h2>Alarm catalogue</h2>\n${body}\n</section>`;
}

function runbookRow(r: RunbookInventoryEntry): string {
  return `<tr><th scope="row">${code(r.documentName)}</th><td>${esc(r.title)}</td><td>${orDash(serviceOf(r))}</td>` +
    `<td>${r.steps.map(esc).join(' → ')}</td><td>${esc(changesStateLabel(r))}</td><td>${r.approvalGate ? 'yes' : 'no'}</td>` +
    `<td>${r.hasAssumeRole ? 'yes' : 'no'}</td></tr>`;
}

function runbooksHtml(report: ReadinessReport): string {
  const body = report.runbooks.length === 0 ? '<p>No SSM Automation documents.</p>'
    : table(undefined, ['Document', 'Title', 'Service', 'Steps', 'Changes state', 'Approval gate', 'Own role'], report.runbooks.map(runbookRow), 'runbooks');
  return `<section id="runbooks"><h2>Runbook inventory</h2>\n${body}\n</section>`;
}

function gameDaysHtml(report: ReadinessReport): string {
  const row = (g: ReadinessReport['gameDays'][number]) => `<tr><td>${code(g.name)}</td><td>${orDash(serviceOf(g))}</td>` +
    `<td>${g.actions.map(code).join(', ')}</td><td>${g.stopAlarms.length === 0 ? 'none' : g.stopAlarms.map(code).join(', ')}</td><td>${esc(g.description)}</td></tr>`;
  const body = report.gameDays.length === 0 ? '<p>No FIS experiment templates: no service has a game day.</p>'
    : table(undefined, ['Experiment', 'Service', 'Faults', 'Stops on', 'Description'], report.gameDays.map(row), 'gamedays');
  return `<section id="gamedays"><h2>Game days</h2>\n${body}\n</section>`;
}

function practicesHtml(report: ReadinessReport): string {
  const scopes = workloadGroups(report).flatMap((g) => [...(g.workload ? [g.workload] : []), ...g.services]);
  // Compact per scope: one row per question, the short practice ids under each status (a full row per practice and
  // scope made a 120-service report 5 MB and slow to open).
  const blocks = scopes.map((s) => {
    const counts = statusCounts(s.practices).map(([, l, n]) => `${l} ${n}`).join(' · ');
    const rows = practicesByQuestion(s.practices).map(({ questionId, byStatus }) => `<tr><th scope="row">${esc(questionId)}</th>` +
      STATUS_LABELS.map(([status]) => `<td>${esc((byStatus.get(status) ?? []).join(', '))}</td>`).join('') + '</tr>');
    return `<details>\n<summary>${esc(scopeHeading(s))} — ${esc(s.maturity)}: ${esc(counts)} (of ${s.practices.length} practices)</summary>\n` +
      `${table(undefined, ['Question', ...STATUS_LABELS.map(([, l]) => l)], rows, 'practices')}\n</details>`;
  });
  return '<section id="practices"><h2>Practices per scope</h2>\n<p class="meta">Short ids per question (BP04 = OPS08-BP04 in row OPS08).</p>\n' +
    `${blocks.join('\n')}\n</section>`;
}

/**
 * The readiness report as one static HTML5 page: no external assets, no script, inline style only, every text escaped.
 * The output depends on the report only (no clock).
 */
export function renderHtml(report: ReadinessReport): string {
  const title = reportTitle(report);
  const stacks = report.stacks.length === 0 ? 'none' : report.stacks.map(code).join(', ');
  const sections: Array<[string, string]> = [
    ['summary', 'Summary'], ...(report.sinceBaseline ? [['since', 'Since the last review'] as [string, string]] : []), ['scorecard', 'Scorecard'], ['issues', 'Issues'], ['acknowledged', 'Acknowledged'],
    ['attestations', 'Attestations'], ['alarms', 'Alarms'], ['runbooks', 'Runbooks'], ['gamedays', 'Game days'], ['practices', 'Practices'],
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; base-uri \'none\'; form-action \'none\'">',
    `<title>${esc(title)} (${esc(report.assessedOn)})</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">Assessed on <time datetime="${esc(report.assessedOn)}">${esc(report.assessedOn)}</time> against the Well-Architected ` +
      `Operational Excellence pillar (framework ${esc(report.frameworkVersion)}) · rule pack ${esc(rulePackLabel(report))} · ` +
      `stacks ${stacks}</p>`,
    `<nav aria-label="Sections"><ul>${sections.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ul></nav>`,
    '</header>',
    '<main>',
    summaryHtml(report),
    ...(report.sinceBaseline ? [sinceHtml(report)] : []),
    scorecardHtml(report),
    issuesHtml(report),
    acknowledgedHtml(report),
    attestationsHtml(report),
    alarmsHtml(report),
    runbooksHtml(report),
    gameDaysHtml(report),
    practicesHtml(report),
    '</main>',
    `<footer>Report schema ${esc(report.schemaVersion)}. Generated from the cloud assembly by cdk-operable's readiness review.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
