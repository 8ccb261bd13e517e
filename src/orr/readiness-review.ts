import { readAssemblies } from './assembly';
import { Attestation, isDate, readAttestations } from './attestations';
import { compareWithBaseline, readBaseline } from './baseline';
import { ReadinessReport } from './model';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { replay } from './replay';
import { reportToJson } from './report-json';
import { REPORT_SCHEMA_VERSION, buildReport } from './review';

/**
 * Options of a readiness review.
 */
export interface ReadinessReviewOptions {
  /**
   * The workload's attestations file (JSON, see docs/readiness-review.md, "Attestations"): the practices no template
   * can show, attested by a person with evidence.
   *
   * @default - no attestations: every practice without template evidence needs attestation
   */
  readonly attestationsFile?: string;

  /**
   * The date attestations are checked against (YYYY-MM-DD); expired ones do not count.
   *
   * @default - today (UTC)
   */
  readonly assessedOn?: string;

  /**
   * A previous review's JSON report (`--format json`, schema 1.x or 2.x): the report then says what changed since —
   * high- and medium-risk issues closed and opened, maturity changes, new and removed services.
   *
   * @default - no comparison
   */
  readonly baselineFile?: string;
}

/**
 * The operational readiness review (ORR) of a synthesized app: per service (`ops:service`), per workload (every
 * resource of it: `ops:workload`, else its stack's) and per stack no workload claims (unowned: every open finding
 * there is a high-risk issue), each Operational Excellence best practice is met (a rule of the pack checked it), not
 * met (with the findings; no attestation overrides a failing check), acknowledged (with the reason), not applicable
 * (its rules check nothing of the scope), attested, or needs attestation; maturity Bronze/Silver/Gold and a score;
 * the high- and medium-risk issues; changes since a baseline review; the alarm catalogue and the runbook inventory.
 *
 * It reads only the cloud assembly (`cdk.out`): the templates are replayed through `OperationalExcellenceChecks`
 * (so apps that never registered the pack are reviewed too), acknowledgements come from the construct metadata.
 */
export class ReadinessReview {
  /** The version of the JSON report schema. */
  public static readonly SCHEMA_VERSION = REPORT_SCHEMA_VERSION;

  /**
   * Review the cloud assembly in `assemblyDirectory` (e.g. `cdk.out`). Throws a clear error when the directory is not
   * a cloud assembly, a template cannot be read, or the attestations file is malformed.
   */
  public static fromAssembly(assemblyDirectory: string, options: ReadinessReviewOptions = {}): ReadinessReview {
    return ReadinessReview.fromAssemblies([assemblyDirectory], options);
  }

  /**
   * Review several cloud assemblies (one per squad repository) as one organization: one report, a scorecard per
   * workload. Stack ids are prefixed by their assembly's directory when there is more than one.
   */
  public static fromAssemblies(assemblyDirectories: string[], options: ReadinessReviewOptions = {}): ReadinessReview {
    const on = options.assessedOn ?? new Date().toISOString().slice(0, 10);
    if (!isDate(on)) {
      throw new Error(`assessedOn '${on}' must be a date YYYY-MM-DD.`);
    }
    const assembly = readAssemblies(assemblyDirectories);
    const attestations: Attestation[] = options.attestationsFile ? readAttestations(options.attestationsFile) : [];
    const baseline = options.baselineFile ? readBaseline(options.baselineFile) : undefined;
    const report = buildReport(assembly, replay(assembly), attestations, on);
    return new ReadinessReview(baseline ? { ...report, sinceBaseline: compareWithBaseline(report, baseline) } : report);
  }

  /** The report. */
  public readonly report: ReadinessReport;

  private constructor(report: ReadinessReport) {
    this.report = report;
  }

  /**
   * The scopes that fail the readiness gate: critical-tier services (`<workload>/<service>`) and workloads
   * (`<workload>`) with a high-risk issue, and unowned stacks with one (`unowned:<stack>`).
   */
  public get criticalServicesWithHighRisk(): string[] {
    return this.report.summary.criticalWithHighRisk;
  }

  /**
   * The report as JSON (schema `SCHEMA_VERSION`): the practice catalogue, rule texts, findings and attestations written
   * once and referenced by id from each scope; large arrays one element per line.
   */
  public toJson(): string {
    return reportToJson(this.report);
  }

  /** The report as Markdown. */
  public toMarkdown(): string {
    return renderMarkdown(this.report);
  }

  /** The report as one static HTML page without external assets. */
  public toHtml(): string {
    return renderHtml(this.report);
  }

  /** A few lines for a terminal: maturity per workload, unowned stack and service, issues, the gate. */
  public summaryLines(): string[] {
    const r = this.report;
    const sm = r.summary;
    const lines = [
      `Readiness review of ${r.stacks.length} stack${r.stacks.length === 1 ? '' : 's'} (${sm.workloads} workloads, ${sm.services} services, ` +
      `${sm.unownedStacks} unowned stacks; framework ${r.frameworkVersion}, assessed ${r.assessedOn})`,
      `  high-risk issues: ${sm.highRiskIssues}, medium-risk issues: ${sm.mediumRiskIssues} (workloads and unowned stacks)`,
    ];
    const line = (label: string, s: typeof r.services[number]) =>
      `  ${label} [${s.tier ?? 'no tier'}]: ${s.maturity} (score ${s.score}), ${s.highRiskIssues.length} HRI, ${s.mediumRiskIssues.length} MRI` +
      `${s.gameDays.length > 0 ? `, game days: ${s.gameDays.join(', ')}` : ''}`;
    for (const s of r.workloads) lines.push(line(`workload ${s.name}`, s));
    for (const s of r.unowned) lines.push(line(`UNOWNED stack ${s.name}`, s));
    for (const s of r.services) lines.push(line(`${s.workload}/${s.name}`, s));
    lines.push(`  findings: ${sm.openFindings} open, ${sm.acknowledgedFindings} acknowledged; ` +
      `${r.alarms.length} alarms, ${r.runbooks.length} runbooks, ${r.gameDays.length} game days (${sm.servicesWithGameDay} services)`);
    const since = r.sinceBaseline;
    if (since) {
      lines.push(`  since ${since.baselineAssessedOn}: high-risk issues ${since.highRiskIssuesBefore} → ${since.highRiskIssuesAfter}, ` +
        `${since.closed.length} issues closed, ${since.opened.length} opened, ${since.maturityChanges.length} maturity changes, ` +
        `${since.newScopes.length} new and ${since.removedScopes.length} removed scopes`);
    }
    lines.push(sm.criticalWithHighRisk.length === 0
      ? '  no critical-tier or unowned scope has a high-risk issue'
      : `  CRITICAL or UNOWNED scopes with high-risk issues: ${sm.criticalWithHighRisk.join(', ')}`);
    return lines;
  }
}
