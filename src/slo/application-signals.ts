import { Duration } from 'aws-cdk-lib';
import * as applicationsignals from 'aws-cdk-lib/aws-applicationsignals';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { SliExpressions } from './sli';
import { fail } from '../core/errors';

type Query = applicationsignals.CfnServiceLevelObjective.MetricDataQueryProperty;

/** Inputs of the Application Signals SLO (internal). */
export interface ApplicationSignalsSloInput {
  readonly name: string;
  readonly description: string;
  readonly sli: SliExpressions;
  readonly objective: number;
  readonly period: Duration;
  readonly windows: Duration[];
}

/**
 * A request-based Application Signals SLO over the same metrics: total requests and bad requests as metric
 * queries, the same objective and period, and one burn-rate configuration per alarm window.
 */
export function createApplicationSignalsSlo(scope: Construct, input: ApplicationSignalsSloInput): applicationsignals.CfnServiceLevelObjective {
  if (!/^[0-9A-Za-z][-._0-9A-Za-z ]{0,126}[0-9A-Za-z]$/.test(input.name)) {
    fail(scope, `Application Signals SLO name '${input.name}' must be 2-128 letters, digits, spaces, '.', '_' or '-', ` +
      'starting and ending with a letter or digit. Shorten the workload, service or SLO name.');
  }
  const base = queries(scope, input.sli.usingMetrics);
  const expression = (id: string, text: string): Query => ({ id, expression: text, returnData: true });
  return new applicationsignals.CfnServiceLevelObjective(scope, 'ApplicationSignals', {
    name: input.name,
    description: input.description.slice(0, 1024),
    goal: {
      attainmentGoal: input.objective,
      interval: { rollingInterval: { duration: Math.round(input.period.toHours() / 24), durationUnit: 'DAY' } },
    },
    requestBasedSli: {
      requestBasedSliMetric: {
        totalRequestCountMetric: [...base, expression('slo_total', input.sli.total)],
        monitoredRequestCountMetric: { badCountMetric: [...base, expression('slo_bad', input.sli.bad)] },
      },
    },
    burnRateConfigurations: input.windows.map((w) => ({ lookBackWindowMinutes: w.toMinutes() })),
  });
}

/** Flatten metrics (and nested math expressions) into metric data queries with `returnData: false`. */
function queries(scope: Construct, metrics: Record<string, cloudwatch.IMetric>): Query[] {
  const out: Query[] = [];
  for (const [id, metric] of Object.entries(metrics)) {
    const config = metric.toMetricConfig();
    if (config.metricStat) {
      const s = config.metricStat;
      out.push({
        id,
        returnData: false,
        ...(s.account ? { accountId: s.account } : {}),
        metricStat: {
          metric: {
            namespace: s.namespace,
            metricName: s.metricName,
            dimensions: (s.dimensions ?? []).map((d) => ({ name: d.name, value: String(d.value) })),
          },
          period: 60,
          stat: s.statistic,
          ...(s.unitFilter ? { unit: s.unitFilter } : {}),
        },
      });
    } else if (config.mathExpression) {
      out.push(...queries(scope, config.mathExpression.usingMetrics));
      out.push({ id, expression: config.mathExpression.expression, returnData: false });
    } else {
      fail(scope, `Application Signals SLO: metric '${id}' is neither a metric nor a math expression.`);
    }
  }
  return out;
}
