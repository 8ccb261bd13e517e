import { CfnResource } from 'aws-cdk-lib';
import { ecsDeploymentController } from './deployment-evidence';
import { logGroupNamedBy, logGroupsReceiving } from './event-evidence';
import { AppIndex, RenderedResource, literals, referencedIds, render, str } from './evidence';

/**
 * Whether the template measures deployments (internal, OPS09): EventBridge rules copy a deployment source's events into
 * a log group, metric filters on it count them, the log keeps a reporting period of history, and a dashboard shows the
 * counts or queries the log — what `OperationsHealthDashboard` builds, recognized in any template.
 */

/** The EventBridge source of the deployments of CodeDeploy groups, ECS services and CodePipeline pipelines. */
export const DEPLOYMENT_SOURCES = { CODEDEPLOY: 'aws.codedeploy', ECS: 'aws.ecs', CODEPIPELINE: 'aws.codepipeline' };

/**
 * The EventBridge source whose events report the deployments of a resource: CodeDeploy deployment groups, ECS services
 * deployed by ECS itself (a CodeDeploy-controlled service is measured through its group; an external controller reports
 * nothing), CodePipeline pipelines. Undefined for anything else.
 */
export function deploymentSourceOf(node: CfnResource): string | undefined {
  switch (node.cfnResourceType) {
    case 'AWS::CodeDeploy::DeploymentGroup':
      return DEPLOYMENT_SOURCES.CODEDEPLOY;
    case 'AWS::CodePipeline::Pipeline':
      return DEPLOYMENT_SOURCES.CODEPIPELINE;
    case 'AWS::ECS::Service':
      return ecsDeploymentController(render(node)) === 'ECS' ? DEPLOYMENT_SOURCES.ECS : undefined;
    default:
      return undefined;
  }
}

/** Shortest history, in days, that lets a quarter be compared with the one before. */
export const MIN_HISTORY_DAYS = 90;

/** How the deployments of one source are measured. */
export interface DeploymentMeasurement {
  /** The log groups that rules of the app copy the source's events into. */
  readonly eventLogs: RenderedResource[];
  /** The metric filters counting those events. */
  readonly metricFilters: RenderedResource[];
  /** Whether an event log keeps at least `MIN_HISTORY_DAYS` days (or never expires). */
  readonly retained: boolean;
  /** Whether a dashboard shows the counted metrics, or queries an event log. */
  readonly shown: boolean;
}

/** Whether a metric filter's pattern counts events of `source`: it names the source, or names no AWS source at all. */
function counts(filter: RenderedResource, source: string): boolean {
  const pattern = literals(filter.properties.FilterPattern).join('');
  return pattern.includes(`"${source}"`) || !/"aws\.[a-z0-9-]+"/.test(pattern);
}

function metricOf(filter: RenderedResource): { namespace?: string; name?: string } {
  const transformations = filter.properties.MetricTransformations;
  const first = (Array.isArray(transformations) ? transformations[0] : undefined) as { MetricNamespace?: unknown; MetricName?: unknown } | undefined;
  return { namespace: str(first?.MetricNamespace), name: str(first?.MetricName) };
}

/** The metric filters of each log group of the app (built once). */
function filtersByLogGroup(index: AppIndex): Map<RenderedResource, RenderedResource[]> {
  return index.memo('ops-metric-filters', () => {
    const out = new Map<RenderedResource, RenderedResource[]>();
    for (const filter of index.ofType('AWS::Logs::MetricFilter')) {
      const group = logGroupNamedBy(index, filter, filter.properties.LogGroupName);
      if (group) out.set(group, [...(out.get(group) ?? []), filter]);
    }
    return out;
  });
}

/** The text and references of every dashboard body of the app (built once). */
function dashboards(index: AppIndex): Array<{ dashboard: RenderedResource; text: string; ids: Set<string> }> {
  return index.memo('ops-dashboards', () => index.ofType('AWS::CloudWatch::Dashboard').map((dashboard) => ({
    dashboard, text: literals(dashboard.properties.DashboardBody).join(''), ids: referencedIds(dashboard.properties.DashboardBody),
  })));
}

/** How the app measures the deployments of `source` (one of `DEPLOYMENT_SOURCES`), computed once per source. */
export function deploymentMeasurement(index: AppIndex, source: string): DeploymentMeasurement {
  return index.memo(`ops-deployments:${source}`, () => {
    const eventLogs = logGroupsReceiving(index).get(source) ?? [];
    const metricFilters = eventLogs.flatMap((g) => (filtersByLogGroup(index).get(g) ?? []).filter((f) => counts(f, source)));
    const retained = eventLogs.some((g) => {
      const days = g.properties.RetentionInDays;
      return days === undefined || (typeof days === 'number' && days >= MIN_HISTORY_DAYS);
    });
    const metrics = metricFilters.map(metricOf).filter((m) => m.namespace !== undefined && m.name !== undefined);
    const shown = dashboards(index).some(({ dashboard, text, ids }) =>
      metrics.some((m) => text.includes(`"${m.namespace}"`) && text.includes(`"${m.name}"`)) ||
      eventLogs.some((g) => (g.stack === dashboard.stack && ids.has(g.logicalId)) ||
        (str(g.properties.LogGroupName) !== undefined && text.includes(`'${str(g.properties.LogGroupName)}'`))));
    return { eventLogs, metricFilters, retained, shown };
  });
}

/** The counted deployment metrics of one event log: what its metric filters publish for the deployment sources it receives. */
export interface DeploymentLog {
  /** The deployment sources whose events rules of the app copy into the log. */
  readonly sources: string[];
  /** `<namespace>\0<metric name>` of each metric a filter on the log publishes for those sources. */
  readonly metrics: string[];
}

/** The log groups of the app that receive deployment events, with the metrics counted from them (built once). */
export function deploymentLogs(index: AppIndex): Map<RenderedResource, DeploymentLog> {
  return index.memo('ops-deployment-logs', () => {
    const out = new Map<RenderedResource, { sources: string[]; metrics: string[] }>();
    for (const source of Object.values(DEPLOYMENT_SOURCES)) {
      for (const log of logGroupsReceiving(index).get(source) ?? []) {
        const entry = out.get(log) ?? { sources: [], metrics: [] };
        entry.sources.push(source);
        for (const filter of (filtersByLogGroup(index).get(log) ?? []).filter((f) => counts(f, source))) {
          const { namespace, name } = metricOf(filter);
          if (namespace !== undefined && name !== undefined && !entry.metrics.includes(`${namespace}\u0000${name}`)) {
            entry.metrics.push(`${namespace}\u0000${name}`);
          }
        }
        out.set(log, entry);
      }
    }
    return out;
  });
}

/** `<namespace>\0<metric name>` of every metric a metric alarm of the app evaluates, math expressions included (built once). */
export function alarmedMetrics(index: AppIndex): Set<string> {
  return index.memo('ops-alarmed-metrics', () => {
    const out = new Set<string>();
    const add = (namespace: unknown, name: unknown) => {
      if (typeof namespace === 'string' && typeof name === 'string') out.add(`${namespace}\u0000${name}`);
    };
    for (const alarm of index.ofType('AWS::CloudWatch::Alarm')) {
      add(alarm.properties.Namespace, alarm.properties.MetricName);
      const metrics = alarm.properties.Metrics;
      if (!Array.isArray(metrics)) continue;
      for (const m of metrics) {
        const metric = (m as { MetricStat?: { Metric?: { Namespace?: unknown; MetricName?: unknown } } })?.MetricStat?.Metric;
        add(metric?.Namespace, metric?.MetricName);
      }
    }
    return out;
  });
}
