import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { formatBurnRate } from '../core/naming';
import { literal } from '../slo/burn-rate-math';
import { ServiceLevelObjective } from '../slo/slo';

/**
 * The Argo Rollouts `AnalysisTemplate` that gates canary steps on the service's SLO burn rate (internal).
 *
 * One metric per SLO, read with the Argo Rollouts CloudWatch metric provider (`provider.cloudWatch`: GetMetricData over
 * the last `interval`, the queries in `metricDataQueries`). Each query is the burn rate of the SLO over the short
 * window of its policy's fastest page condition (5 minutes at 14.4× with `BurnRatePolicy.SRE_WORKBOOK`), rendered from
 * the same metrics the SLO's fast-burn alarm reads, and a measurement succeeds while every value returned is below the
 * condition's burn rate — the threshold at which the fast-burn alarm goes to ALARM.
 *
 * Why the short window alone: the long window (1 hour) is mostly traffic from before the canary started, so it would
 * pass a bad canary; the short window reacts within minutes, which is what a canary step needs (the page composite,
 * which needs both windows, still pages). No data (no traffic) passes, as the alarms treat missing data as not
 * breaching. The metrics are those of the whole service (stable and canary pods): a canary taking a share `w` of
 * traffic and failing a fraction `e` of it burns about `w × e / (1 − objective)`.
 *
 * Measurements: every minute (`interval: 1m`, as often as the metrics are published), as many as the short window has
 * minutes (`count`), so an inline `analysis` step lasts one short window and a background analysis covers one; the
 * analysis fails on the second failed measurement (`failureLimit: 1`): one failed measurement can be a partial
 * period at low traffic, two within a short window are a burn.
 */
export interface RolloutAnalysisInput {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace`: the namespace of the Rollout that references the template. */
  readonly namespace: string;
  readonly workloadName: string;
  readonly serviceName: string;
  readonly slos: ServiceLevelObjective[];
}

/** The API version and kind of the template. */
export const ANALYSIS_TEMPLATE_API_VERSION = 'argoproj.io/v1alpha1';
export const ANALYSIS_TEMPLATE_KIND = 'AnalysisTemplate';
/** How often a metric is measured. */
export const MEASUREMENT_INTERVAL = '1m';
/** Failed measurements tolerated before the analysis (and the canary step) fails. */
export const FAILURE_LIMIT = 1;

/** One GetMetricData query, as the Argo Rollouts CloudWatch provider reads it (`CloudWatchMetricDataQuery`). */
export interface AnalysisQuery {
  readonly id: string;
  readonly expression?: string;
  readonly label?: string;
  readonly metricStat?: {
    readonly metric: { readonly namespace: string; readonly metricName: string; readonly dimensions?: Array<{ name: string; value: string }> };
    readonly period: number;
    readonly stat: string;
    readonly unit?: string;
  };
  readonly returnData: boolean;
}

/** One metric of the template (Argo Rollouts `Metric` with a CloudWatch provider). */
export type AnalysisMetric = {
  readonly name: string;
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly successCondition: string;
  readonly provider: { readonly cloudWatch: { readonly interval: string; readonly metricDataQueries: AnalysisQuery[] } };
};

/** The AnalysisTemplate manifest. */
export type AnalysisTemplateManifest = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: { [key: string]: string };
    readonly annotations: { [key: string]: string };
  };
  readonly spec: { readonly metrics: AnalysisMetric[] };
};

/** The AnalysisTemplate manifest of a service's SLOs. */
export function rolloutAnalysisTemplate(scope: IConstruct, input: RolloutAnalysisInput): AnalysisTemplateManifest {
  return {
    apiVersion: ANALYSIS_TEMPLATE_API_VERSION,
    kind: ANALYSIS_TEMPLATE_KIND,
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'cdk-operable' },
      annotations: { 'cdk-operable/workload': input.workloadName, 'cdk-operable/service': input.serviceName },
    },
    spec: { metrics: analysisMetrics(scope, input.slos) },
  };
}

/** One analysis metric per SLO: its fast-burn short-window burn rate, below the fast-burn threshold. */
export function analysisMetrics(scope: IConstruct, slos: ServiceLevelObjective[]): AnalysisMetric[] {
  return slos.map((slo) => {
    const fastest = slo.policy.pageWindows[0];
    const window = fastest.shortWindow;
    const minutes = window.toMinutes();
    const where = `rolloutAnalysis of SLO '${slo.sloName}'`;
    return {
      name: slo.sloName,
      interval: MEASUREMENT_INTERVAL,
      count: minutes,
      failureLimit: FAILURE_LIMIT,
      successCondition: `all(result[0].Values, {# < ${literal(fastest.burnRate)}})`,
      provider: {
        cloudWatch: {
          interval: `${minutes}m`,
          metricDataQueries: metricDataQueries(scope, where, slo.burnRateMetric(window), 'burn_rate',
            `${slo.sloName} burn rate over ${minutes} min (fast burn at ${formatBurnRate(fastest.burnRate)})`),
        },
      },
    };
  });
}

/**
 * A metric (or metric-math expression, nested ones flattened) as GetMetricData queries in the shape the Argo Rollouts
 * CloudWatch provider reads: every metric and inner expression with `returnData: false`, then the result (`resultId`)
 * with `returnData: true`, so `result[0]` is the metric itself. As in an alarm, a math expression's period applies to
 * every metric it reads. Dimension values may be tokens: they resolve when the manifest is rendered.
 */
export function metricDataQueries(scope: IConstruct, where: string, metric: cloudwatch.IMetric, resultId: string, label?: string): AnalysisQuery[] {
  const out: AnalysisQuery[] = [];
  const seen = new Map<string, string>();
  const add = (q: AnalysisQuery) => {
    const key = JSON.stringify(Stack.of(scope).resolve(q));
    const previous = seen.get(q.id);
    if (previous !== undefined && previous !== key) {
      fail(scope, `${where}: two different metrics use the query id '${q.id}'; GetMetricData needs ids unique within a query. ` +
        'Rename one of them in its math expression.');
    }
    if (previous === undefined) out.push(q);
    seen.set(q.id, key);
  };
  const visit = (id: string, m: cloudwatch.IMetric, period: Duration | undefined, result: boolean) => {
    const config = m.toMetricConfig();
    if (config.metricStat) {
      const s = config.metricStat;
      checkPlace(scope, where, id, s.account, s.region);
      add({
        id,
        ...(result && label ? { label } : {}),
        metricStat: {
          metric: {
            namespace: s.namespace,
            metricName: s.metricName,
            ...(s.dimensions && s.dimensions.length > 0 ? { dimensions: s.dimensions.map((d) => ({ name: d.name, value: String(d.value) })) } : {}),
          },
          period: (period ?? s.period).toSeconds(),
          stat: s.statistic,
          ...(s.unitFilter ? { unit: s.unitFilter } : {}),
        },
        returnData: result,
      });
    } else if (config.mathExpression) {
      const e = config.mathExpression;
      const p = period ?? Duration.seconds(e.period);
      for (const [childId, child] of Object.entries(e.usingMetrics)) visit(childId, child, p, false);
      add({ id, expression: e.expression, ...(result && label ? { label } : {}), returnData: result });
    } else {
      fail(scope, `${where}: metric '${id}' is neither a metric nor a math expression, so it cannot be queried with GetMetricData.`);
    }
  };
  visit(resultId, metric, undefined, true);
  return out;
}

/** The Argo Rollouts CloudWatch provider queries the controller's own account and region: a metric elsewhere is an error. */
function checkPlace(scope: IConstruct, where: string, id: string, account?: string, region?: string): void {
  const stack = Stack.of(scope);
  const differs = (given: string | undefined, own: string) =>
    given !== undefined && !Token.isUnresolved(given) && (Token.isUnresolved(own) || given !== own);
  if (differs(account, stack.account) || differs(region, stack.region)) {
    fail(scope, `${where}: metric '${id}' is read from ${[account && `account ${account}`, region && `region ${region}`].filter((x) => x).join(', ')}, ` +
      "but the Argo Rollouts CloudWatch provider queries only the controller's own account and region. Use metrics of the " +
      "service's own account and region, or set argoRollouts: false and gate the canary another way.");
  }
}
