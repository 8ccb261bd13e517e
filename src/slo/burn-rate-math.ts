import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SliExpressions } from './sli';
import { describeWindow } from '../core/naming';

/**
 * The SLO math, in one place (internal). Every alarm, widget and estimate derives from these expressions:
 * burn rate = (bad / total) / (1 - objective), evaluated over one window.
 */

/** Error budget as a fraction, free of float noise: 99.9 → 0.001. */
export function errorBudget(objectivePercent: number): number {
  return Number((100 - objectivePercent).toPrecision(12)) / 100;
}

/** A number as a metric-math literal (never in exponent notation). */
export function literal(n: number): string {
  const clean = Number(n.toPrecision(12));
  const s = String(clean);
  return s.includes('e') ? clean.toFixed(20).replace(/\.?0+$/, '') : s;
}

/**
 * Burn rate over `window`. With `minBadEvents > 0` the window reports 0 until it holds that many bad events
 * (the low-traffic guard; used on long windows only).
 */
export function burnRateExpression(sli: SliExpressions, window: Duration, budget: number, minBadEvents: number, labelled = true):
cloudwatch.MathExpression {
  const burn = `(${sli.ratio})/${literal(budget)}`;
  const expression = minBadEvents > 0 ? `IF(${sli.bad} >= ${literal(minBadEvents)}, ${burn}, 0)` : burn;
  return new cloudwatch.MathExpression({
    expression,
    // Only the metrics the expression reads: a short latency window needs the percentile rank, not the sample count.
    usingMetrics: referenced(sli.usingMetrics, expression),
    period: window,
    // Alarms need no label; leaving it out keeps a stack of many SLOs under CloudFormation's 1 MB.
    ...(labelled ? { label: `Burn rate over ${describeWindow(window)}` } : {}),
  });
}

/**
 * The same SLI with every metric id suffixed (`bad` → `bad_1h`), so expressions over different periods can share
 * one graph: CloudWatch rejects one id standing for two differently-configured metrics.
 */
export function withIdSuffix(sli: SliExpressions, suffix: string): SliExpressions {
  const ids = Object.keys(sli.usingMetrics);
  const rename = (text: string) => ids.reduce((t, id) => t.replace(new RegExp(`\\b${id}\\b`, 'g'), `${id}_${suffix}`), text);
  return {
    usingMetrics: Object.fromEntries(Object.entries(sli.usingMetrics).map(([id, m]) => [`${id}_${suffix}`, m])),
    bad: rename(sli.bad),
    total: rename(sli.total),
    ratio: rename(sli.ratio),
    metricCount: sli.metricCount,
  };
}

/** The SLI as a percentage of good events per `period`. */
export function sliPercentExpression(sli: SliExpressions, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `100*(1-(${sli.ratio}))`,
    usingMetrics: sli.usingMetrics,
    period,
    label: 'SLI (% good)',
  });
}

/** Percentage of the error budget left over one whole SLO period (a single value). */
export function budgetRemainingExpression(sli: SliExpressions, sloPeriod: Duration, budget: number): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `100*(1-(${sli.ratio})/${literal(budget)})`,
    usingMetrics: sli.usingMetrics,
    period: sloPeriod,
    label: `Error budget remaining (${describeWindow(sloPeriod)})`,
  });
}

/**
 * Error budget remaining since the start of the graph's time range, as a burn-down line: running sums of bad and
 * total events. Meant for a graph whose range equals the SLO period.
 */
export function budgetBurndownExpression(sli: SliExpressions, budget: number, step: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `100*(1-(RUNNING_SUM(${sli.bad})/RUNNING_SUM(${sli.total}))/${literal(budget)})`,
    usingMetrics: sli.usingMetrics,
    period: step,
    label: 'Error budget remaining (%)',
  });
}

/** The metrics of `usingMetrics` an expression refers to. */
function referenced(usingMetrics: Record<string, cloudwatch.IMetric>, expression: string): Record<string, cloudwatch.IMetric> {
  return Object.fromEntries(Object.entries(usingMetrics).filter(([id]) => new RegExp(`\\b${id}\\b`).test(expression)));
}
