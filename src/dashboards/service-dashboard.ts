import { Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { compactDashboardBody, dashboardUrl, renderDashboardBody, validateDashboardName } from './dashboard-body';
import { GoldenSignals } from '../core/golden-signals';
import { OpsTags } from '../core/ops-tags';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { Workload } from '../core/workload';
import { ServiceLevelObjective } from '../slo/slo';

/**
 * Properties of a service dashboard.
 */
export interface ServiceDashboardProps {
  /**
   * The service shown.
   */
  readonly serviceName: string;

  /**
   * Dashboard name (letters, digits, `-`, `_`).
   *
   * @default `<workload>-<service>`
   */
  readonly dashboardName?: string;

  /**
   * Runbook linked from the header (URL or SSM Automation document name).
   *
   * @default - none
   */
  readonly runbook?: string;

  /**
   * Playbook linked from the header.
   *
   * @default - none
   */
  readonly playbook?: string;
}

/**
 * One CloudWatch dashboard per service: a header (owner, on-call, tier, runbook and playbook), the golden
 * signals, the error-budget widgets of each SLO, the status of every alarm, and Logs Insights widgets.
 *
 * Rendered late: everything added with the `add*` methods before synth appears, in that order of sections.
 * Synth fails with a precise error beyond 500 widgets or 2,500 metrics.
 */
export class ServiceDashboard extends Construct {
  /** The dashboard name. */
  public readonly dashboardName: string;
  /** The console URL of the dashboard. */
  public readonly dashboardUrl: string;
  /** The dashboard resource. */
  public readonly cfnDashboard: cloudwatch.CfnDashboard;

  private readonly workload: Workload;
  private readonly props: ServiceDashboardProps;
  private signals?: GoldenSignals;
  private readonly slos: ServiceLevelObjective[] = [];
  private readonly alarms: cloudwatch.IAlarm[] = [];
  private readonly logQueries: Array<{ title: string; logGroups: logs.ILogGroup[]; query: string }> = [];
  private readonly extraRows: cloudwatch.IWidget[][] = [];
  private procedures?: { runbook: () => string | undefined; playbook: () => string | undefined };

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    this.workload = Workload.of(this);
    this.props = props;
    this.dashboardName = validateDashboardName(this, props.dashboardName ?? `${this.workload.workloadName}-${props.serviceName}`);
    this.dashboardUrl = dashboardUrl(this.dashboardName);
    claimPhysicalName(this, PhysicalNameKind.DASHBOARD, this.dashboardName);
    this.cfnDashboard = new cloudwatch.CfnDashboard(this, 'Resource', {
      dashboardName: this.dashboardName,
      dashboardBody: compactDashboardBody(this, Lazy.string({ produce: () => renderDashboardBody(this, this.rows(), { start: '-PT6H' }) })),
    });
    // Evidence for the rule pack and the readiness review: which service this dashboard shows.
    OpsTags.apply(this, OpsTags.SERVICE, props.serviceName);
  }

  /**
   * Link the header to the runbook and playbook of the service that owns the dashboard, read at synth (internal).
   * @internal
   */
  public _linkProcedures(runbook: () => string | undefined, playbook: () => string | undefined): void {
    this.procedures = { runbook, playbook };
  }

  /** Show the golden signals (replaces earlier ones). */
  public addGoldenSignals(signals: GoldenSignals): void {
    this.signals = signals;
  }

  /**
   * Show an SLO's error-budget widgets. The SLO's alarms then name this dashboard (unless they name one already).
   */
  public addSlo(slo: ServiceLevelObjective): void {
    if (!this.slos.includes(slo)) this.slos.push(slo);
    slo._linkDashboard(this.dashboardUrl);
  }

  /** Show alarms in the alarm status widget. */
  public addAlarms(...alarms: cloudwatch.IAlarm[]): void {
    for (const a of alarms) if (!this.alarms.includes(a)) this.alarms.push(a);
  }

  /** Show a Logs Insights query over log groups. */
  public addLogQuery(title: string, logGroups: logs.ILogGroup[], query: string): void {
    this.logQueries.push({ title, logGroups, query });
  }

  /** Append a row of your own widgets. */
  public addWidgets(...widgets: cloudwatch.IWidget[]): void {
    this.extraRows.push(widgets);
  }

  /** Widgets on the dashboard once rendered. */
  public get widgetCount(): number {
    return this.rows().flat().length;
  }

  private rows(): cloudwatch.IWidget[][] {
    const rows: cloudwatch.IWidget[][] = [[this.header()]];
    if (this.signals) rows.push(goldenSignalWidgets(this.signals));
    for (const slo of this.slos) rows.push(slo.errorBudgetWidgets());
    if (this.alarms.length > 0) {
      rows.push([new cloudwatch.AlarmStatusWidget({
        title: `${this.props.serviceName}: alarms`,
        alarms: this.alarms,
        width: 24,
        height: Math.min(12, 2 + Math.ceil(this.alarms.length / 4)),
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      })]);
    }
    for (const q of this.logQueries) {
      rows.push([new cloudwatch.LogQueryWidget({
        title: q.title,
        logGroupNames: q.logGroups.map((g) => g.logGroupName),
        queryString: q.query,
        width: 24,
        height: 6,
      })]);
    }
    rows.push(...this.extraRows);
    return rows;
  }

  private header(): cloudwatch.TextWidget {
    const owner = this.workload.owner;
    const who = [
      `**Owner** ${owner.team}`,
      `**On-call** ${owner.onCall}`,
      `**Tier** ${this.workload.tier.name}`,
      ...(owner.escalation ? [`**Escalation** ${owner.escalation}`] : []),
      ...(owner.chatChannel ? [`**Chat** ${owner.chatChannel}`] : []),
    ].join(' · ');
    const runbook = this.props.runbook ?? this.procedures?.runbook();
    const playbook = this.props.playbook ?? this.procedures?.playbook();
    const links = [
      runbook ? `[Runbook](${linkFor(runbook)})` : '**Runbook** none',
      playbook ? `[Playbook](${linkFor(playbook)})` : '**Playbook** none',
    ].join(' · ');
    const slos = this.slos.map((s) => `${s.sloName} ${s.objective}%`).join(' · ');
    return new cloudwatch.TextWidget({
      markdown: [
        `# ${this.props.serviceName} (${this.workload.workloadName})`,
        who,
        links,
        ...(slos ? [`**SLOs** ${slos}`] : []),
      ].join('\n\n'),
      width: 24,
      height: 4,
    });
  }
}

/** Traffic, errors, latency (p50/p90/p99) and saturation, one row. */
function goldenSignalWidgets(signals: GoldenSignals): cloudwatch.IWidget[] {
  const graphs: Array<{ title: string; metrics: cloudwatch.IMetric[] }> = [
    { title: 'Traffic', metrics: [signals.traffic] },
    { title: 'Errors', metrics: [signals.errors] },
  ];
  if (signals.latency) {
    const latency = asMetric(signals.latency);
    graphs.push({ title: 'Latency', metrics: ['p50', 'p90', 'p99'].map((p) => latency.with({ statistic: p, label: p })) });
  }
  if (signals.saturation && signals.saturation.length > 0) graphs.push({ title: 'Saturation', metrics: signals.saturation });
  const width = Math.floor(24 / graphs.length);
  return graphs.map((g) => new cloudwatch.GraphWidget({ title: g.title, left: g.metrics, width, height: 6 }));
}

function asMetric(metric: cloudwatch.IMetric): cloudwatch.Metric {
  const stat = metric.toMetricConfig().metricStat;
  if (!stat) return metric as cloudwatch.Metric;
  return new cloudwatch.Metric({
    namespace: stat.namespace,
    metricName: stat.metricName,
    dimensionsMap: Object.fromEntries((stat.dimensions ?? []).map((d) => [d.name, d.value])),
    period: stat.period,
  });
}

/** A URL as is; an SSM Automation document name as its console page. */
function linkFor(reference: string): string {
  return /^https?:\/\//.test(reference)
    ? reference
    : `https://console.aws.amazon.com/systems-manager/documents/${reference}/description`;
}
