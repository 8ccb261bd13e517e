import { ALARM_ACTION_FIX, QUOTES_RUNBOOK_URL, REPORT, SCRIPT_PAYLOAD, assessment, scope } from './fixtures/report';
import { OpsBestPractices, OpsRisk } from '../../src/nag/best-practices';
import { MaturityLevel, PracticeStatus, ReadinessReport } from '../../src/orr/model';
import { renderHtml } from '../../src/orr/render-html';
import { renderMarkdown } from '../../src/orr/render-markdown';

const MD = renderMarkdown(REPORT);
const HTML = renderHtml(REPORT);

/** The lines of a Markdown section (from its `## ` heading to the next one). */
function mdSection(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** The cells of a Markdown table row, split on unescaped pipes. */
const mdCells = (row: string) => row.slice(2, -2).split(/(?<!\\) \| /);

const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The text of each body row's cells of the HTML tables with this class (tags stripped, entities decoded). */
function htmlRows(html: string, tableClass: string): string[][] {
  const tables = [...html.matchAll(new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`, 'g'))].map((m) => m[1]);
  expect(tables.length).toBeGreaterThan(0);
  return tables.flatMap((t) => [...t.split('<tbody>')[1].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => unescapeHtml(c[1].replace(/<[^>]+>/g, '')))));
}

/** Every URL the report's data holds. */
function dataUrls(report: ReadinessReport): Set<string> {
  const scopes = [...report.workloads, ...report.services];
  return new Set([
    ...scopes.flatMap((s) => s.practices.flatMap((p) => [p.url, p.attestation?.evidence ?? ''])),
    ...report.alarms.map((a) => a.runbook ?? ''),
  ].filter((u) => /^https?:/.test(u)));
}

/** The fixture with quotes replaced by a service that has all 68 practices: two met, the rest need attestation (one of them has a rule). */
function fullCatalogueReport(): ReadinessReport {
  const practices = OpsBestPractices.ALL.map((bp) => assessment(bp.id, ['OPS02-BP01', 'OPS08-BP04'].includes(bp.id)
    ? PracticeStatus.MET : PracticeStatus.NEEDS_ATTESTATION, bp.id === 'OPS04-BP05' ? { ruleIds: ['OPS-Tracing'] } : {}));
  const full = scope({ ...REPORT.services[2], practices, maturity: MaturityLevel.NONE });
  return { ...REPORT, services: [REPORT.services[0], REPORT.services[1], full] };
}

describe('renderMarkdown', () => {
  test('title, assessment date and summary', () => {
    const lines = MD.split('\n');
    expect(lines[0]).toBe('# Operational readiness review: freight');
    expect(lines[2]).toBe('Assessed on 2026-06-01 against the Well-Architected Operational Excellence pillar (framework 2024-06-27), ' +
      'rule pack OpsExcellence (19 rules), report schema 2.0.0.');
    expect(mdSection(MD, 'Summary')).toEqual([
      '## Summary',
      '',
      '- Workloads: 1 (None 1, Bronze 0, Silver 0, Gold 0); unowned stacks: 0',
      '- Services: 3 (None 1, Bronze 1, Silver 1, Gold 0)',
      '- High-risk issues (HRI): 1; medium-risk issues (MRI): 2 (workloads and unowned stacks; services: 1 HRI, 4 MRI)',
      '- Findings: 2 open, 1 acknowledged',
      '- Alarms: 4; runbooks: 2; services with a game day: 1 (1 experiments)',
      '- **Critical-tier or unowned scopes with a high-risk issue: freight/quote-api**',
      '',
    ]);
    // No baseline: no "since the last review" section.
    expect(MD).not.toContain('## Since the last review');
  });

  test('organization scorecard: each workload, linking to its issues, then the services of each', () => {
    const section = mdSection(MD, 'Organization scorecard');
    const [freight, priceUpdates, quoteApi, quotes] = [REPORT.workloads[0], ...REPORT.services];
    const start = section.indexOf('| Workload | Tier | Owner | Maturity | Score | HRI | MRI | Services | Since last review |');
    expect(section.slice(start, start + 3)).toEqual([
      '| Workload | Tier | Owner | Maturity | Score | HRI | MRI | Services | Since last review |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
      `| [freight](#workload-freight-as-a-whole--none) | critical | pricing | None | ${freight.score} | 1 | 2 | 3 | — |`,
    ]);
    const services = section.indexOf('### Services of freight');
    expect(section.slice(services + 2, services + 7)).toEqual([
      '| Service | Tier | Owner | Maturity | Score | HRI | MRI | Game days | Since last review |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
      `| [price-updates](#freightprice-updates--silver) | standard | pricing | Silver | ${priceUpdates.score} | 0 | 0 | 0 | — |`,
      `| [quote-api](#freightquote-api--none) | critical | pricing | None | ${quoteApi.score} | 1 | 1 | 0 | — |`,
      `| [quotes](#freightquotes--bronze) | critical | pricing | Bronze | ${quotes.score} | 0 | 3 | 1 | — |`,
    ]);
    // The anchors are those of the issue headings.
    const issues = mdSection(MD, 'High- and medium-risk issues');
    expect(issues).toContain('### Workload freight (as a whole) — None');
    expect(issues).toContain('### freight/quotes — Bronze');
  });

  test('the workload as a whole lists only the findings its services do not', () => {
    const section = mdSection(MD, 'High- and medium-risk issues');
    const at = section.indexOf('### Workload freight (as a whole) — None');
    const workload = section.slice(at, section.indexOf('### freight/price-updates — Silver'));
    expect(workload).toContain('**High-risk issues (1)**');
    expect(workload).toContain("  - 1 more finding on the workload's services, listed under each service.");
    expect(workload.filter((l) => l.startsWith('    - `'))).toEqual([]);
  });

  test('the high-risk issue with its fix and finding, before the medium-risk ones', () => {
    const section = mdSection(MD, 'High- and medium-risk issues');
    const at = section.indexOf('### freight/quote-api — None');
    expect(section.slice(at, at + 9)).toEqual([
      '### freight/quote-api — None',
      '',
      '**High-risk issues (1)**',
      '',
      '- **OPS08-BP04** [Create actionable alerts](<https://docs.aws.amazon.com/wellarchitected/latest/framework/' +
        'ops_workload_observability_create_alerts.html>) — Not met',
      `  - Fix: OPS-AlarmAction: ${ALARM_ACTION_FIX}`,
      '  - `OPS-AlarmAction` (ERROR): The alarm notifies nobody: it has no action & no composite alarm with an action includes it | ' +
        'its description reads \\<script\\>window.\\_\\_pwned = true; alert("pwned")\\</script\\>',
      '    - `FreightApi/QuoteApi/LegacyErrors/Resource` — finding `OPS-AlarmAction` (stack `FreightApi`)',
      '',
    ]);
    expect(section.indexOf('**Medium-risk issues (1)**')).toBeGreaterThan(at);
    expect(section).toContain('No high- or medium-risk issues.');
    // quotes: Bronze with three MRIs: the acknowledged one with its reason, one a rule could check, one only a person can attest.
    const quotes = section.slice(section.indexOf('### freight/quotes — Bronze'));
    expect(quotes.filter((l) => l.startsWith('- '))).toEqual([
      expect.stringMatching(/^- \*\*OPS08-BP02\*\* .* — Acknowledged$/),
      expect.stringMatching(/^- \*\*OPS10-BP04\*\* .* — Needs attestation$/),
      '- Needs attestation (1) — no rule can check these on a template: establish each practice and attest it in the attestations file ' +
        '("practice": "\\<id\\>").',
    ]);
    expect(quotes).toContain('  - Acknowledged `OPS-LogRetention` on `FreightQuotes/Quotes/Handler/Resource`: Audit requires 7 years & legal hold \\<until 2027\\>');
    expect(quotes).toContain('  - Next step: No resource of quotes is checked by OPS-CriticalPaging. ' +
      'Establish the practice and attest it ("practice": "OPS10-BP04" in the attestations file).');
    expect(quotes).toContain('  - **OPS07-BP04** [Use playbooks to investigate issues](<https://docs.aws.amazon.com/wellarchitected/latest/framework/' +
      'ops_ready_to_support_use_playbooks.html>)');
  });

  test('escapes raw HTML and table pipes', () => {
    // Every < but those of autolinks is backslash-escaped: a Markdown viewer shows it instead of passing raw HTML through.
    expect(MD).not.toMatch(/(?<!\\)<(?!https:\/\/)/);
    expect(MD).toContain('\\<script\\>window');
    const runbookRow = mdSection(MD, 'Runbook inventory').find((l) => l.startsWith('| `freight-quotes-diagnose`'))!;
    expect(mdCells(runbookRow)).toHaveLength(7);
    expect(mdCells(runbookRow)[1]).toBe('Investigate quote latency \\| p99 & errors');
  });

  test('acknowledged findings and attestations', () => {
    expect(mdSection(MD, 'Acknowledged findings')).toContain(
      '| freight/quotes | OPS08-BP02 | `OPS-LogRetention` | `FreightQuotes/Quotes/Handler/Resource` | Audit requires 7 years & legal hold \\<until 2027\\> |');
    expect(mdSection(MD, 'Attestations').filter((l) => l.startsWith('| freight/'))).toEqual([
      '| freight/price-updates | OPS10-BP02 Have a process per alert | Sam Lee | 2026-04-10 | 2027-04-10 | ' +
        'Every price-updates alarm is triaged in the weekly ops review (minutes in the "ops" channel). |',
      '| freight/quotes | OPS07-BP01 Ensure personnel capability | Dana Ortiz (pricing lead) | 2026-03-02 | 2026-09-02 | ' +
        '<https://wiki.example.com/pricing/oncall-training> |',
    ]);
  });

  test('alarm catalogue and runbook inventory rows', () => {
    expect(mdSection(MD, 'Alarm catalogue').filter((l) => l.startsWith('| '))).toEqual([
      '| Alarm | Kind | Severity | Owner | Runbook | Service | Notifies |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| `QuoteApiLegacyErrorsB2C4D1E0` | metric | NONE | — | — | freight/quote-api | no |',
      `| \`freight-quotes-availability-1h\` | metric | PAGE | pricing | <${QUOTES_RUNBOOK_URL}> | freight/quotes | yes, through a composite |`,
      `| \`freight-quotes-page\` | composite | PAGE | pricing | <${QUOTES_RUNBOOK_URL}> | freight/quotes | yes, 2 actions |`,
      '| `freight-quotes-ticket` | composite | TICKET | pricing | `freight-quotes-diagnose` | freight/quotes | yes, 1 action |',
    ]);
    expect(mdSection(MD, 'Runbook inventory').filter((l) => l.startsWith('| `'))).toEqual([
      '| `freight-quotes-diagnose` | Investigate quote latency \\| p99 & errors | freight/quotes | DescribeService → QueryLatency → QueryErrors ' +
        '| no (read-only) | no | yes |',
      '| `freight-quotes-restart` | Restart the quotes service | freight/quotes | ApproveRestart → RestartTasks → WaitForStable ' +
        '| yes, behind an approval | yes | yes |',
    ]);
  });

  test('practice status: one compact row per question', () => {
    const section = mdSection(MD, 'Practice status');
    const quotes = section.slice(section.indexOf('### Practices of freight/quotes — Bronze'));
    expect(quotes).toContain('Met 2 · Attested 1 · Acknowledged 1 · Not met 0 · Needs attestation 3 · Not applicable 0 (of 7 practices)');
    expect(quotes.filter((l) => l.startsWith('| OPS'))).toEqual([
      '| OPS02 | BP01 |   |   |   |   |   |',
      '| OPS07 |   | BP01 |   |   | BP04 |   |',
      '| OPS08 | BP04 |   | BP02 |   |   |   |',
      '| OPS10 |   |   |   |   | BP04 |   |',
      '| OPS11 |   |   |   |   | BP08 |   |',
    ]);
  });

  test('deterministic, and no date but those of the report', () => {
    expect(renderMarkdown(REPORT)).toBe(MD);
    expect(new Set(MD.match(/\d{4}-\d{2}-\d{2}/g))).toEqual(new Set(['2026-06-01', '2024-06-27', '2026-04-10', '2027-04-10', '2026-03-02', '2026-09-02']));
    expect(MD.endsWith('\n')).toBe(true);
  });
});

describe('renderHtml', () => {
  test('a self-contained, accessible HTML5 page', () => {
    expect(HTML.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(HTML).toContain('<title>Operational readiness review: freight (2026-06-01)</title>');
    expect(HTML).toContain('<time datetime="2026-06-01">2026-06-01</time>');
    for (const external of [/<link/i, /\bsrc\s*=/i, /<script/i, /<img/i, /<iframe/i, /@import/i, /url\(/i, /@font-face/i]) {
      expect(HTML).not.toMatch(external);
    }
    const urls = [...HTML.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => unescapeHtml(m[0]));
    const allowed = dataUrls(REPORT);
    expect(urls.filter((u) => !allowed.has(u))).toEqual([]);
    expect(urls.length).toBeGreaterThan(0);
    // Every table header cell says what it heads.
    expect(HTML.match(/<th(?![^>]*\bscope="(col|row)")[\s>]/g)).toBeNull();
  });

  test('scorecard rows with maturity words', () => {
    const [freight, priceUpdates, quoteApi, quotes] = [REPORT.workloads[0], ...REPORT.services];
    expect(htmlRows(HTML, 'scorecard')).toEqual([
      ['freight', 'critical', 'pricing', 'None', String(freight.score), '1', '2', '3', '—'],
      ['price-updates', 'standard', 'pricing', 'Silver', String(priceUpdates.score), '0', '0', '0', '—'],
      ['quote-api', 'critical', 'pricing', 'None', String(quoteApi.score), '1', '1', '0', '—'],
      ['quotes', 'critical', 'pricing', 'Bronze', String(quotes.score), '0', '3', '1', '—'],
    ]);
    expect(HTML).toContain('<th scope="row"><a href="#workload-1-freight">freight</a></th>');
    expect(HTML).toContain('<h3 id="workload-1-freight">Workload freight (as a whole) <span class="badge m-none">None</span>');
    expect(HTML).toContain('<th scope="row"><a href="#service-3-quotes">quotes</a></th>');
    expect(HTML).toContain('<h3 id="service-3-quotes">freight/quotes <span class="badge m-bronze">Bronze</span>');
    expect(HTML).toContain('<td><span class="badge m-bronze">Bronze</span></td>');
    expect(HTML).toContain('<p class="alert"><strong>Critical-tier or unowned scopes with a high-risk issue:</strong> freight/quote-api</p>');
  });

  test('the high-risk issue with its fix, and escaped text', () => {
    const issues = HTML.slice(HTML.indexOf('<section id="issues">'), HTML.indexOf('<section id="acknowledged">'));
    const quoteApi = issues.slice(issues.indexOf('freight/quote-api'));
    expect(quoteApi.indexOf('<h4>High-risk issues (1)</h4>')).toBeLessThan(quoteApi.indexOf('<h4>Medium-risk issues (1)</h4>'));
    expect(quoteApi).toContain('<li><p><strong>OPS08-BP04</strong> <a href="https://docs.aws.amazon.com/wellarchitected/latest/framework/' +
      'ops_workload_observability_create_alerts.html">Create actionable alerts</a> <span class="badge s-not-met">Not met</span></p>');
    expect(quoteApi).toContain(`<p class="fix"><strong>Fix:</strong> OPS-AlarmAction: ${ALARM_ACTION_FIX}</p>`);
    expect(quoteApi).toContain('<li><code>FreightApi/QuoteApi/LegacyErrors/Resource</code> — finding <code>OPS-AlarmAction</code>');
    expect(HTML).toContain('no action &amp; no composite alarm with an action includes it | its description reads ' +
      '&lt;script&gt;window.__pwned = true; alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(HTML).toContain('Audit requires 7 years &amp; legal hold &lt;until 2027&gt;');
    expect(HTML).toContain('(minutes in the &quot;ops&quot; channel)');
    expect(HTML).not.toContain(SCRIPT_PAYLOAD);
  });

  test('alarm catalogue and runbook inventory', () => {
    expect(htmlRows(HTML, 'alarms')).toEqual([
      ['QuoteApiLegacyErrorsB2C4D1E0', 'metric', 'NONE', '—', '—', 'freight/quote-api', 'no'],
      ['freight-quotes-availability-1h', 'metric', 'PAGE', 'pricing', QUOTES_RUNBOOK_URL, 'freight/quotes', 'yes, through a composite'],
      ['freight-quotes-page', 'composite', 'PAGE', 'pricing', QUOTES_RUNBOOK_URL, 'freight/quotes', 'yes, 2 actions'],
      ['freight-quotes-ticket', 'composite', 'TICKET', 'pricing', 'freight-quotes-diagnose', 'freight/quotes', 'yes, 1 action'],
    ]);
    const href = 'href="https://runbooks.example.com/freight/quotes?alarm=page&amp;view=full"';
    expect(HTML.split(href)).toHaveLength(3);
    expect(HTML).toContain('<td><code>freight-quotes-diagnose</code></td>');
    expect(htmlRows(HTML, 'runbooks')).toEqual([
      ['freight-quotes-diagnose', 'Investigate quote latency | p99 & errors', 'freight/quotes', 'DescribeService → QueryLatency → QueryErrors',
        'no (read-only)', 'no', 'yes'],
      ['freight-quotes-restart', 'Restart the quotes service', 'freight/quotes', 'ApproveRestart → RestartTasks → WaitForStable',
        'yes, behind an approval', 'yes', 'yes'],
    ]);
  });

  test('practices per scope in collapsed <details>', () => {
    expect(HTML.match(/<details>/g)).toHaveLength(4);
    expect(HTML).not.toMatch(/<details[^>]*\bopen/);
    expect(HTML).toContain('<summary>freight/quotes — Bronze: Met 2 · Attested 1 · Acknowledged 1 · Not met 0 · Needs attestation 3 · ' +
      'Not applicable 0 (of 7 practices)</summary>');
    // One row per question, short ids under each status (Met, Attested, Acknowledged, Not met, Needs attestation, Not applicable).
    const quotes = HTML.slice(HTML.indexOf('<summary>freight/quotes'));
    expect(htmlRows(quotes.slice(0, quotes.indexOf('</details>')), 'practices')).toEqual([
      ['OPS02', 'BP01', '', '', '', '', ''],
      ['OPS07', '', 'BP01', '', '', 'BP04', ''],
      ['OPS08', 'BP04', '', 'BP02', '', '', ''],
      ['OPS10', '', '', '', '', 'BP04', ''],
      ['OPS11', '', '', '', '', 'BP08', ''],
    ]);
  });

  test('deterministic', () => {
    expect(renderHtml(REPORT)).toBe(HTML);
    expect(new Set(HTML.match(/\d{4}-\d{2}-\d{2}/g))).toEqual(new Set(['2026-06-01', '2024-06-27', '2026-04-10', '2027-04-10', '2026-03-02', '2026-09-02']));
  });
});

describe('a service with all 68 practices', () => {
  const report = fullCatalogueReport();
  const full = report.services[2];
  const md = renderMarkdown(report);
  const html = renderHtml(report);

  test('the fixture service holds the whole catalogue', () => {
    expect(full.practices).toHaveLength(68);
    expect(full.highRiskIssues).toHaveLength(OpsBestPractices.ALL.filter((p) => p.risk === OpsRisk.HIGH).length - 2);
    expect(full.mediumRiskIssues).toHaveLength(31);
  });

  test('Markdown: every issue listed, practice status compact (one row per question)', () => {
    expect(mdSection(md, 'Organization scorecard')).toContain(`| [quotes](#freightquotes--none) | critical | pricing | None | ${full.score} | 28 | 31 | 1 | — |`);
    const issues = mdSection(md, 'High- and medium-risk issues');
    const quotes = issues.slice(issues.indexOf('### freight/quotes — None'));
    expect(quotes).toContain('**High-risk issues (28)**');
    // Practices a rule could check get an entry each; those only a person can attest are listed one line each under one heading.
    expect(quotes.filter((l) => l.startsWith('- **'))).toEqual([expect.stringMatching(/^- \*\*OPS04-BP05\*\* .* — Needs attestation$/)]);
    expect(quotes.filter((l) => l.startsWith('- Needs attestation'))).toEqual([
      expect.stringMatching(/^- Needs attestation \(27\) — /), expect.stringMatching(/^- Needs attestation \(31\) — /),
    ]);
    expect(quotes.filter((l) => /^ {2}- \*\*OPS\d\d-BP\d\d\*\* \[/.test(l))).toHaveLength(27 + 31);
    const status = mdSection(md, 'Practice status');
    const rows = status.slice(status.indexOf('### Practices of freight/quotes — None')).filter((l) => l.startsWith('| OPS'));
    expect(rows).toHaveLength(11);
    expect(rows[0]).toBe('| OPS01 |   |   |   |   | BP01, BP02, BP03, BP04, BP05, BP06 |   |');
    expect(rows[1]).toBe('| OPS02 | BP01 |   |   |   | BP02, BP03, BP04, BP05, BP06 |   |');
    expect(status).toContain('Met 2 · Attested 0 · Acknowledged 0 · Not met 0 · Needs attestation 66 · Not applicable 0 (of 68 practices)');
    expect(md.split('\n').length).toBeLessThan(300);
  });

  test('HTML: the 68 practices in 11 question rows of the collapsed practice table, page stays small', () => {
    const details = html.slice(html.lastIndexOf('<details>'));
    expect(details.match(/<tr><th scope="row">OPS\d\d<\/th>/g)).toHaveLength(11);
    expect(details.match(/BP\d\d/g)).toHaveLength(68);
    expect(htmlRows(html, 'scorecard')[3]).toEqual(['quotes', 'critical', 'pricing', 'None', String(full.score), '28', '31', '1', '—']);
    const issues = html.slice(html.lastIndexOf('<h3 id="service-3-quotes">'), html.indexOf('<section id="acknowledged">'));
    // Practices only a person can attest: ids with their title on hover, one line per risk.
    expect(issues.match(/<p class="attest-only ids">/g)).toHaveLength(2);
    expect(issues.match(/<span title="[^"]+">OPS\d\d-BP\d\d<\/span>/g)).toHaveLength(27 + 31);
    expect(Buffer.byteLength(html)).toBeLessThan(200_000);
  });
});

describe('game days', () => {
  test('Markdown lists each experiment with its service, faults, stop alarms and escaped description', () => {
    expect(mdSection(MD, 'Game days')).toEqual([
      '## Game days',
      '',
      '| Experiment | Service | Faults | Stops on | Description |',
      '| --- | --- | --- | --- | --- |',
      '| `quotes-invocation-errors` | freight/quotes | `aws:lambda:invocation-error` | `freight-quotes-page` | ' +
        'Quotes: 30% of invocations fail for 10 minutes. Exercises runbook freight-quotes-restart \\<and\\> the page alarm. |',
      '',
    ]);
  });

  test('HTML shows the game-day table, escaped', () => {
    expect(htmlRows(HTML, 'gamedays')).toEqual([[
      'quotes-invocation-errors', 'freight/quotes', 'aws:lambda:invocation-error', 'freight-quotes-page',
      'Quotes: 30% of invocations fail for 10 minutes. Exercises runbook freight-quotes-restart <and> the page alarm.',
    ]]);
    expect(HTML).toContain('runbook freight-quotes-restart &lt;and&gt; the page alarm.');
  });
});
