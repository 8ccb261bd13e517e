import { AlarmCatalogueEntry, PracticeAssessment, PracticeStatus, ReadinessReport, RunbookInventoryEntry, ScopeReadiness } from './model';
import {
  ATTEST_ONLY_ADVICE, MATURITY_LEGEND, MATURITY_LEVELS, acknowledgedEntries, attestedPractices, byRule, changesStateLabel, isHttpUrl, notifiesLabel,
  reportTitle, rulePackLabel, serviceOf, splitIssues, statusCounts, statusLabel, workloadGroups,
} from './render-markdown';

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
tr.scope-workload th, tr.scope-workload td { background: #f6f8fa; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 1em; border: 1px solid currentColor; font-size: .85em; font-weight: 600; white-space: nowrap; }
.m-none, .s-not-met { color: #82071e; background: #ffebe9; }
.m-bronze, .s-acknowledged { color: #6b3a00; background: #fbefe1; }
.m-silver { color: #32383f; background: #eef1f4; }
.m-gold, .s-needs-attestation { color: #4d3800; background: #fff8c5; }
.s-met { color: #116329; background: #dafbe1; }
.s-attested { color: #0a3069; background: #ddf4ff; }
.issues > li { margin-bottom: .75rem; }
.issues p { margin: .15rem 0; }
ul.attest-only { columns: 2 22rem; padding-left: 1.25rem; margin-top: .25rem; }
details { border: 1px solid #d0d7de; border-radius: 8px; padding: .4rem .8rem; margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; }
details[open] summary { margin-bottom: .5rem; }
footer { max-width: 72rem; margin: 2rem auto; padding: 0 1.25rem; color: #57606a; font-size: .85rem; }
`.trim();

function summaryHtml(report: ReadinessReport): string {
  const s = report.summary;
  const card = (value: number, label: string, warn = false) =>
    `<li class="card${warn && value > 0 ? ' warn' : ''}"><span class="value">${value}</span> ${esc(label)}</li>`;
  const cards = [
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
    ? '<p class="ok">No critical-tier service has a high-risk issue.</p>'
    : `<p class="alert"><strong>Critical-tier services with a high-risk issue:</strong> ${s.criticalWithHighRisk.map(esc).join(', ')}</p>`;
  return `<section id="summary"><h2>Summary</h2>\n<ul class="cards">\n${cards.join('\n')}\n</ul>\n${critical}\n</section>`;
}

function serviceAnchor(report: ReadinessReport, s: ScopeReadiness): string {
  return `service-${report.services.indexOf(s) + 1}-${slug(s.name)}`;
}

function scorecardHtml(report: ReadinessReport): string {
  const row = (label: string, s: ScopeReadiness, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${label}</th><td>${orDash(s.tier)}</td><td>${orDash(s.owner)}</td>` +
    `<td>${maturityBadge(s.maturity)}</td>${num(s.highRiskIssues.length)}${num(s.mediumRiskIssues.length)}${num(s.gameDays.length)}</tr>`;
  const tables = workloadGroups(report).map((g) => {
    const rows = [
      ...(g.workload ? [row(`${esc(g.name)} (whole workload)`, g.workload, 'scope-workload')] : []),
      ...g.services.map((s) => row(`<a href="#${serviceAnchor(report, s)}">${esc(s.name)}</a>`, s)),
    ];
    return table(`Workload ${esc(g.name)}`, ['Service', 'Tier', 'Owner', 'Maturity', 'HRI', 'MRI', 'Game days'], rows, 'scorecard');
  });
  return `<section id="scorecard"><h2>Scorecard</h2>\n<p class="meta">${esc(MATURITY_LEGEND)}</p>\n${tables.join('\n')}\n</section>`;
}

function issueHtml(p: PracticeAssessment): string {
  const parts = [`<li><p><strong>${esc(p.practiceId)}</strong> ${link(p.title, p.url)} ${statusBadge(p.status)}</p>`];
  if (p.improvement !== '') {
    parts.push(`<p class="fix"><strong>${p.status === PracticeStatus.NOT_MET ? 'Fix' : 'Next step'}:</strong> ${esc(p.improvement)}</p>`);
  }
  const findings = byRule(p.findings).map((g) => `<li>${code(g.ruleId)} (${esc(g.level)}): ${esc(g.info)}<ul>` +
    g.findings.map((f) => `<li>${code(f.resourcePath)} — finding ${code(f.findingId)} (stack ${code(f.stack)})</li>`).join('') + '</ul></li>');
  const acknowledged = p.acknowledged.map((f) =>
    `<li>Acknowledged ${code(f.findingId)} on ${code(f.resourcePath)}: ${esc(f.acknowledgedReason ?? '')}</li>`);
  if (findings.length + acknowledged.length > 0) parts.push(`<ul class="findings">${[...findings, ...acknowledged].join('')}</ul>`);
  return `${parts.join('\n')}</li>`;
}

function issuesHtml(report: ReadinessReport): string {
  const out = ['<section id="issues"><h2>High- and medium-risk issues</h2>'];
  if (report.services.length === 0) out.push('<p>No service is tagged <code>ops:service</code>.</p>');
  for (const s of report.services) {
    out.push(`<h3 id="${serviceAnchor(report, s)}">${esc(`${s.workload}/${s.name}`)} ${maturityBadge(s.maturity)}</h3>`);
    if (s.highRiskIssues.length + s.mediumRiskIssues.length === 0) {
      out.push('<p>No high- or medium-risk issues.</p>');
      continue;
    }
    for (const [label, issues] of [['High-risk issues', s.highRiskIssues], ['Medium-risk issues', s.mediumRiskIssues]] as const) {
      out.push(`<h4>${label} (${issues.length})</h4>`);
      const { detailed, attestOnly } = splitIssues(issues);
      if (issues.length === 0) out.push('<p>None.</p>');
      if (detailed.length > 0) out.push(`<ol class="issues">\n${detailed.map(issueHtml).join('\n')}\n</ol>`);
      if (attestOnly.length > 0) {
        out.push(`<p class="attest-only"><strong>Needs attestation (${attestOnly.length})</strong> — ${esc(ATTEST_ONLY_ADVICE)}</p>`,
          `<ul class="attest-only">${attestOnly.map((p) => `<li>${esc(p.practiceId)} ${link(p.title, p.url)}</li>`).join('')}</ul>`);
      }
    }
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

function evidence(p: PracticeAssessment): string {
  switch (p.status) {
    case PracticeStatus.MET:
      return `${p.passedChecks} check${p.passedChecks === 1 ? '' : 's'} passed (${esc(p.ruleIds.join(', '))})`;
    case PracticeStatus.ATTESTED:
      return `attested by ${esc(p.attestation?.attestedBy ?? '?')} until ${esc(p.attestation?.expires ?? '?')}`;
    case PracticeStatus.NOT_MET:
      return `${p.findings.length} open finding${p.findings.length === 1 ? '' : 's'} (${esc([...new Set(p.findings.map((f) => f.ruleId))].join(', '))})`;
    case PracticeStatus.ACKNOWLEDGED:
      return `${p.acknowledged.length} acknowledged finding${p.acknowledged.length === 1 ? '' : 's'}`;
    default:
      return p.ruleIds.length > 0 ? `no resource checked by ${esc(p.ruleIds.join(', '))}` : 'attestation only';
  }
}

function practicesHtml(report: ReadinessReport): string {
  const scopes: Array<[string, ScopeReadiness]> = [
    ...report.workloads.map((w): [string, ScopeReadiness] => [`${w.name} (whole workload)`, w]),
    ...report.services.map((s): [string, ScopeReadiness] => [`${s.workload}/${s.name}`, s]),
  ];
  const blocks = scopes.map(([label, s]) => {
    const counts = statusCounts(s.practices).map(([, l, n]) => `${l} ${n}`).join(' · ');
    const rows = s.practices.map((p) => `<tr><th scope="row">${esc(p.practiceId)}</th><td>${link(p.title, p.url)}</td><td>${esc(p.risk)}</td>` +
      `<td>${statusBadge(p.status)}</td><td>${evidence(p)}</td></tr>`);
    return `<details>\n<summary>${esc(label)} — ${esc(s.maturity)}: ${esc(counts)} (of ${s.practices.length} practices)</summary>\n` +
      `${table(undefined, ['Practice', 'Title', 'Risk', 'Status', 'Evidence'], rows, 'practices')}\n</details>`;
  });
  return `<section id="practices"><h2>Practices per scope</h2>\n${blocks.join('\n')}\n</section>`;
}

/**
 * The readiness report as one static HTML5 page: no external assets, no script, inline style only, every text escaped.
 * The output depends on the report only (no clock).
 */
export function renderHtml(report: ReadinessReport): string {
  const title = reportTitle(report);
  const stacks = report.stacks.length === 0 ? 'none' : report.stacks.map(code).join(', ');
  const sections: Array<[string, string]> = [
    ['summary', 'Summary'], ['scorecard', 'Scorecard'], ['issues', 'Issues'], ['acknowledged', 'Acknowledged'],
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
