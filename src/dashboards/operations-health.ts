import { ArnFormat, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { compactDashboardBody, dashboardUrl, renderDashboardBody, validateDashboardName } from './dashboard-body';
import {
  DEPLOYMENTS_METRIC, FAILED_DEPLOYMENTS_METRIC, deploymentFilterPattern, incidentsPerWeekQuery, metricDefinitions, timeToRestoreQuery,
} from './operations-health-queries';
import { AlarmScope, DeploymentSource, IncidentSource } from './operations-health-sources';
import { fail } from '../core/errors';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { Workload } from '../core/workload';

export * from './operations-health-sources';

/** Shortest event-log retention: DORA figures are compared quarter over quarter. */
const MIN_RETENTION_DAYS = 90;

/**
 * Properties of an operations-health dashboard.
 */
export interface OperationsHealthDashboardProps {
  /**
   * Dashboard name (letters, digits, `-`, `_`).
   *
   * @default `<workload>-operations` inside a Workload, `<stack name>-operations` outside one
   */
  readonly dashboardName?: string;

  /**
   * How long the event log (deployments, alarm state changes, incidents) is kept. At least three months, so a quarter
   * can be compared with the one before; never infinite.
   *
   * @default RetentionDays.THIRTEEN_MONTHS (400 days: a month compares with the same month a year earlier)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whose alarms are followed for time to restore.
   *
   * @default AlarmScope.workload() inside a Workload (names starting `<workload>-`), AlarmScope.ALL outside one
   */
  readonly alarmScope?: AlarmScope;

  /**
   * Where deployments come from (one EventBridge rule each).
   *
   * @default [DeploymentSource.codeDeploy(), DeploymentSource.ecs()]: the deployments that roll back on alarms.
   * Add DeploymentSource.codePipeline() when a pipeline execution is your unit of release.
   */
  readonly deploymentSources?: DeploymentSource[];

  /**
   * Where incidents come from (one EventBridge rule each).
   *
   * @default [IncidentSource.OPS_CENTER]
   */
  readonly incidentSources?: IncidentSource[];

  /**
   * CloudWatch namespace of the `Deployments` and `FailedDeployments` metrics.
   *
   * @default `OperationsHealth/<workload>` inside a Workload, `OperationsHealth/<stack name>` outside one
   */
  readonly metricNamespace?: string;
}

/**
 * Measures operations, not just the workload (OPS09): DORA-style figures for one workload or a whole platform, with no
 * code of its own to run.
 *
 * EventBridge rules copy deployment events (CodeDeploy, ECS, CodePipeline), alarm state changes and incident events
 * (OpsCenter, optionally Incident Manager) into one retained log group, which only EventBridge may write to (a
 * native `AWS::Logs::ResourcePolicy`, not the custom resource `targets.CloudWatchLogGroup` creates per rule). Metric
 * filters count deployments and failed deployments; Logs Insights gives time to restore and incidents per week.
 * `metricDefinitions` says what each figure means. CloudWatch Logs allows 10 resource policies per account and region,
 * and each dashboard uses one. EventBridge rules see the events of their own region: create one per region the workload
 * runs in.
 *
 * Inside a Workload the log group carries its ownership tags; outside one, tag it yourself (the rule pack's
 * OwnershipTags rule reports it otherwise).
 *
 * Reviewing the figures against a target (OPS09-BP03, the rule pack's OperationsReview) needs an alarm on them: give
 * one to the service that deploys, so it tickets through that service with its runbook and owner.
 *
 * @example
 * const ops = new OperationsHealthDashboard(workload, 'Operations');
 * quotes.addOperationalAlarm('ChangeFailureRate', {
 *   metric: ops.changeFailureRate(),
 *   threshold: 15,
 *   comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
 *   summary: 'More than 15 % of the last week\'s releases failed: review the failed deployments.',
 * });
 */
export class OperationsHealthDashboard extends Construct {
  /** What each figure means with the default sources, for docs: name → definition. */
  public static readonly METRIC_DEFINITIONS: { [name: string]: string } = metricDefinitions('OperationsHealth/<workload>',
    [DeploymentSource.codeDeploy(), DeploymentSource.ecs()], [IncidentSource.OPS_CENTER], 'the alarms named `<workload>-...`');

  /** The dashboard name. */
  public readonly dashboardName: string;
  /** The console URL of the dashboard. */
  public readonly dashboardUrl: string;
  /** The dashboard resource. */
  public readonly cfnDashboard: cloudwatch.CfnDashboard;
  /** The log group EventBridge copies deployment, alarm and incident events into. */
  public readonly eventLogGroup: logs.LogGroup;
  /** Namespace of the `Deployments` and `FailedDeployments` metrics. */
  public readonly metricNamespace: string;
  /** What each figure on the dashboard means and where it comes from: name → definition. */
  public readonly metricDefinitions: { [name: string]: string };
  /** The Logs Insights query behind time to restore. */
  public readonly timeToRestoreQuery: string;
  /** The Logs Insights query behind incidents per week. */
  public readonly incidentsPerWeekQuery: string;
  /**
   * The alarm name prefix followed, or undefined for every alarm.
   * @default - every alarm
   */
  public readonly alarmNamePrefix?: string;

  private readonly workload?: Workload;
  private readonly deploymentSources: DeploymentSource[];
  private readonly incidentSources: IncidentSource[];
  private readonly extraRows: cloudwatch.IWidget[][] = [];

  constructor(scope: Construct, id: string, props: OperationsHealthDashboardProps = {}) {
    super(scope, id);
    this.workload = Workload.find(this);
    const owner = this.workload?.workloadName ?? Stack.of(this).stackName;
    this.dashboardName = validateDashboardName(this, props.dashboardName ?? `${owner}-operations`);
    this.dashboardUrl = dashboardUrl(this.dashboardName);
    this.metricNamespace = validateNamespace(this, props.metricNamespace ?? `OperationsHealth/${owner}`);
    this.deploymentSources = distinct(this, 'deploymentSources', props.deploymentSources ?? [DeploymentSource.codeDeploy(), DeploymentSource.ecs()],
      'DeploymentSource.codeDeploy(), DeploymentSource.ecs() or DeploymentSource.codePipeline()');
    this.incidentSources = distinct(this, 'incidentSources', props.incidentSources ?? [IncidentSource.OPS_CENTER],
      'IncidentSource.OPS_CENTER or IncidentSource.INCIDENT_MANAGER');
    this.alarmNamePrefix = (props.alarmScope ?? (this.workload ? AlarmScope.workload() : AlarmScope.ALL))._prefix(this);

    this.eventLogGroup = new logs.LogGroup(this, 'Events', { retention: validateRetention(this, props.logRetention) });
    const policy = this.eventLogGroup.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.eventLogGroup.logGroupArn],
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    })).policyDependable!;

    const capture = (ruleId: string, what: string, eventPattern: events.EventPattern) => {
      const rule = new events.Rule(this, ruleId, {
        description: `OperationsHealthDashboard ${this.dashboardName}: ${what} into the operations event log.`,
        eventPattern,
        targets: [new LogGroupTarget(this.eventLogGroup)],
      });
      rule.node.addDependency(policy);
    };
    for (const source of this.deploymentSources) capture(`${source.name}Deployments`, `${source.name} deployment events`, source._eventPattern(this));
    capture('AlarmStateChanges', 'alarm state changes', {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      ...(this.alarmNamePrefix === undefined ? {} : { detail: { alarmName: events.Match.prefix(this.alarmNamePrefix) } }),
    });
    for (const source of this.incidentSources) capture(`${source.name}Incidents`, `${source.name} incidents`, source._eventPattern());

    for (const [metricName, failed] of [[DEPLOYMENTS_METRIC, false], [FAILED_DEPLOYMENTS_METRIC, true]] as const) {
      new logs.MetricFilter(this, `${metricName}Filter`, {
        logGroup: this.eventLogGroup,
        filterPattern: logs.FilterPattern.literal(deploymentFilterPattern(this.deploymentSources, failed)),
        metricNamespace: this.metricNamespace,
        metricName,
        metricValue: '1',
        // Failures publish 0 for every other event, so a week with deployments and no failure has a rate of 0, not none.
        defaultValue: failed ? 0 : undefined,
        unit: cloudwatch.Unit.COUNT,
      });
    }

    this.timeToRestoreQuery = timeToRestoreQuery();
    this.incidentsPerWeekQuery = incidentsPerWeekQuery(this.incidentSources);
    for (const [queryId, name, queryString] of [
      ['TimeToRestoreQuery', 'time-to-restore', this.timeToRestoreQuery],
      ['IncidentsPerWeekQuery', 'incidents-per-week', this.incidentsPerWeekQuery],
    ]) {
      new logs.CfnQueryDefinition(this, queryId, {
        name: `${this.dashboardName}/${name}`,
        queryString,
        logGroupNames: [this.eventLogGroup.logGroupName],
      });
    }

    const alarms = this.alarmNamePrefix === undefined ? 'every alarm in the account and region' : `the alarms named \`${this.alarmNamePrefix}...\``;
    this.metricDefinitions = metricDefinitions(this.metricNamespace, this.deploymentSources, this.incidentSources, alarms);

    claimPhysicalName(this, PhysicalNameKind.DASHBOARD, this.dashboardName);
    this.cfnDashboard = new cloudwatch.CfnDashboard(this, 'Resource', {
      dashboardName: this.dashboardName,
      dashboardBody: compactDashboardBody(this, Lazy.string({ produce: () => renderDashboardBody(this, this.rows(), { start: '-P90D' }) })),
    });
  }

  /**
   * Deployments that finished, successful or not (Sum).
   *
   * @default - Sum over 1 day
   */
  public deploymentsMetric(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(DEPLOYMENTS_METRIC, 'Deployments', options);
  }

  /**
   * Deployments that failed or were stopped (Sum).
   *
   * @default - Sum over 1 day
   */
  public failedDeploymentsMetric(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(FAILED_DEPLOYMENTS_METRIC, 'Failed deployments', options);
  }

  /**
   * Change failure rate in percent: `100 * FILL(failed, 0) / deployments`; no value for a period without deployments.
   *
   * @default - over 7 days
   */
  public changeFailureRate(options: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
    // The counts over the same period as the rate (an alarm or graph otherwise overrides theirs, with a warning).
    const period = options.period ?? Duration.days(7);
    return new cloudwatch.MathExpression({
      expression: '100 * FILL(failed, 0) / deployments',
      usingMetrics: { deployments: this.deploymentsMetric({ period }), failed: this.failedDeploymentsMetric({ period }) },
      label: 'Change failure rate (%)',
      ...options,
      period,
    });
  }

  /** Append a row of your own widgets (shown before the definitions). */
  public addWidgets(...widgets: cloudwatch.IWidget[]): void {
    this.extraRows.push(widgets);
  }

  /** Widgets on the dashboard once rendered. */
  public get widgetCount(): number {
    return this.rows().flat().length;
  }

  private metric(metricName: string, label: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      label,
      ...options,
      period: options.period ?? Duration.days(1),
    });
  }

  private rows(): cloudwatch.IWidget[][] {
    const logGroupNames = [this.eventLogGroup.logGroupName];
    return [
      [this.header()],
      [new cloudwatch.SingleValueWidget({
        title: 'Over the time range',
        metrics: [this.deploymentsMetric(), this.failedDeploymentsMetric(), this.changeFailureRate()],
        setPeriodToTimeRange: true,
        width: 24,
        height: 4,
      })],
      [
        new cloudwatch.GraphWidget({
          title: 'Deployment frequency (per day)',
          left: [this.deploymentsMetric(), this.failedDeploymentsMetric()],
          leftYAxis: { min: 0, showUnits: false },
          width: 12,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Change failure rate (% per week)',
          left: [this.changeFailureRate()],
          leftYAxis: { min: 0, max: 100, showUnits: false },
          width: 12,
          height: 6,
        }),
      ],
      [
        new cloudwatch.LogQueryWidget({
          title: 'Time to restore (minutes from ALARM to OK)',
          logGroupNames,
          queryString: this.timeToRestoreQuery,
          view: cloudwatch.LogQueryVisualizationType.TABLE,
          width: 12,
          height: 6,
        }),
        new cloudwatch.LogQueryWidget({
          title: 'Incidents per week',
          logGroupNames,
          queryString: this.incidentsPerWeekQuery,
          view: cloudwatch.LogQueryVisualizationType.BAR,
          width: 12,
          height: 6,
        }),
      ],
      ...this.extraRows,
      [new cloudwatch.TextWidget({
        markdown: ['## Definitions', '', '| Figure | Definition |', '|---|---|',
          ...Object.entries(this.metricDefinitions).map(([name, text]) => `| ${name} | ${text.replace(/\|/g, '\\|')} |`)].join('\n'),
        width: 24,
        height: 7,
      })],
    ];
  }

  private header(): cloudwatch.TextWidget {
    const w = this.workload;
    const sources = [
      `**Deployments** ${this.deploymentSources.map((s) => s.name).join(', ')}`,
      `**Alarms** ${this.alarmNamePrefix === undefined ? 'all in the account and region' : `named \`${this.alarmNamePrefix}...\``}`,
      `**Incidents** ${this.incidentSources.map((s) => s.name).join(', ')}`,
    ].join(' · ');
    return new cloudwatch.TextWidget({
      markdown: [
        `# ${w ? w.workloadName : 'Platform'}: operations health`,
        ...(w ? [`**Owner** ${w.owner.team} · **On-call** ${w.owner.onCall} · **Tier** ${w.tier.name}`] : []),
        sources,
      ].join('\n\n'),
      width: 24,
      height: 3,
    });
  }
}

/** An EventBridge target writing whole events to a log group; the log group's resource policy grants the access. */
class LogGroupTarget implements events.IRuleTarget {
  constructor(private readonly logGroup: logs.ILogGroup) {}

  public bind(): events.RuleTargetConfig {
    const arn = Stack.of(this.logGroup).formatArn({
      service: 'logs',
      resource: 'log-group',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: this.logGroup.logGroupName,
    });
    return { arn, targetResource: this.logGroup };
  }
}

function validateRetention(scope: IConstruct, retention: logs.RetentionDays | undefined): logs.RetentionDays {
  if (retention === undefined) return logs.RetentionDays.THIRTEEN_MONTHS;
  if (retention === logs.RetentionDays.INFINITE) {
    fail(scope, 'logRetention RetentionDays.INFINITE keeps the event log forever; logs need a retention (OPS08-BP02). ' +
      'Omit logRetention for RetentionDays.THIRTEEN_MONTHS, or pass another finite retention of at least RetentionDays.THREE_MONTHS.');
  }
  if (retention < MIN_RETENTION_DAYS) {
    fail(scope, `logRetention of ${retention} days is shorter than ${MIN_RETENTION_DAYS}: DORA figures compare a quarter with the one before. ` +
      'Pass RetentionDays.THREE_MONTHS or longer, or omit logRetention for RetentionDays.THIRTEEN_MONTHS.');
  }
  return retention;
}

function validateNamespace(scope: IConstruct, namespace: string): string {
  if (Token.isUnresolved(namespace)) return namespace;
  if (!/^[A-Za-z0-9.\-_/#: ]{1,255}$/.test(namespace) || /^aws\//i.test(namespace)) {
    fail(scope, `metricNamespace '${namespace}' is invalid: CloudWatch allows 1-255 letters, digits, spaces and . - _ / # :, ` +
      "not starting with 'AWS/' (reserved for AWS services). Pass a namespace like 'OperationsHealth/my-workload'.");
  }
  return namespace;
}

function distinct<T extends { readonly name: string }>(scope: IConstruct, prop: string, sources: T[], choices: string): T[] {
  if (sources.length === 0) {
    fail(scope, `${prop} is empty, so nothing would be measured. Omit ${prop} for the defaults, or list ${choices}.`);
  }
  const names = sources.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    fail(scope, `${prop} lists ${twice} twice; each source is captured once. Merge its filters into one entry.`);
  }
  return [...sources];
}
