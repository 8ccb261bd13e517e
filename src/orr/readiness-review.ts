import { readAssembly } from './assembly';
import { Attestation, isDate, readAttestations } from './attestations';
import { ReadinessReport } from './model';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { replay } from './replay';
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
}

/**
 * The operational readiness review (ORR) of a synthesized app: per service (`ops:service`) and per workload
 * (`ops:workload`), each Operational Excellence best practice is met (a rule of the pack checked it), not met (with
 * the findings), acknowledged (with the reason), attested, or needs attestation; maturity Bronze/Silver/Gold; the
 * high- and medium-risk issues; the alarm catalogue and the runbook inventory.
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
    const assembly = readAssembly(assemblyDirectory);
    const attestations: Attestation[] = options.attestationsFile ? readAttestations(options.attestationsFile) : [];
    const on = options.assessedOn ?? new Date().toISOString().slice(0, 10);
    if (!isDate(on)) {
      throw new Error(`assessedOn '${on}' must be a date YYYY-MM-DD.`);
    }
    return new ReadinessReview(buildReport(assembly, replay(assembly), attestations, on));
  }

  /** The report. */
  public readonly report: ReadinessReport;

  private constructor(report: ReadinessReport) {
    this.report = report;
  }

  /** `<workload>/<service>` of each critical-tier service with a high-risk issue. */
  public get criticalServicesWithHighRisk(): string[] {
    return this.report.summary.criticalWithHighRisk;
  }

  /** The report as JSON (stable key order, schema `SCHEMA_VERSION`). */
  public toJson(): string {
    return `${JSON.stringify(this.report, undefined, 2)}\n`;
  }

  /** The report as Markdown. */
  public toMarkdown(): string {
    return renderMarkdown(this.report);
  }

  /** The report as one static HTML page without external assets. */
  public toHtml(): string {
    return renderHtml(this.report);
  }

  /** A few lines for a terminal: maturity per service, issues, critical services at risk. */
  public summaryLines(): string[] {
    const r = this.report;
    const lines = [
      `Readiness review of ${r.stacks.join(', ')} (${r.summary.services} services, framework ${r.frameworkVersion}, assessed ${r.assessedOn})`,
    ];
    for (const s of r.services) {
      lines.push(`  ${s.workload}/${s.name} [${s.tier ?? 'no tier'}]: ${s.maturity}, ${s.highRiskIssues.length} HRI, ${s.mediumRiskIssues.length} MRI` +
        `${s.gameDays.length > 0 ? `, game days: ${s.gameDays.join(', ')}` : ''}`);
    }
    lines.push(`  findings: ${r.summary.openFindings} open, ${r.summary.acknowledgedFindings} acknowledged; ` +
      `${r.alarms.length} alarms, ${r.runbooks.length} runbooks, ${r.gameDays.length} game days (${r.summary.servicesWithGameDay} services)`);
    lines.push(r.summary.criticalWithHighRisk.length === 0
      ? '  no critical-tier service has a high-risk issue'
      : `  CRITICAL services with high-risk issues: ${r.summary.criticalWithHighRisk.join(', ')}`);
    return lines;
  }
}
