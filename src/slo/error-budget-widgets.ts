import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { budgetBurndownExpression, burnRateExpression, withIdSuffix } from './burn-rate-math';
import { BurnRatePolicy } from './burn-rate-policy';
import { SliExpressions } from './sli';
import { describeWindow, formatBurnRate, formatWindow } from '../core/naming';
import { Severity } from '../core/severity';

/** Inputs of the error-budget widgets (internal). */
export interface ErrorBudgetWidgetInput {
  readonly title: string;
  readonly sli: SliExpressions;
  readonly objective: number;
  readonly budget: number;
  readonly period: Duration;
  readonly policy: BurnRatePolicy;
  readonly sliMetric: cloudwatch.IMetric;
}

/**
 * Three widgets, one row of 24 columns: SLI against the objective; burn rate over each condition's long window
 * with its threshold; and the error budget remaining over the period, as a burn-down line.
 */
export function errorBudgetWidgets(input: ErrorBudgetWidgetInput): cloudwatch.IWidget[] {
  const days = Math.round(input.period.toHours() / 24);
  const sli = new cloudwatch.GraphWidget({
    title: `${input.title}: SLI vs ${input.objective}% objective`,
    left: [input.sliMetric],
    leftAnnotations: [{ value: input.objective, label: `objective ${input.objective}%`, color: cloudwatch.Color.RED }],
    leftYAxis: { min: Math.max(0, Math.floor(input.objective - 5 * (100 - input.objective))), max: 100, showUnits: false },
    width: 8,
    height: 6,
  });

  const conditions = [...input.policy.pageWindows, ...input.policy.ticketWindows];
  const burn = new cloudwatch.GraphWidget({
    title: `${input.title}: burn rate per alarm window`,
    left: conditions.map((w) => burnRateExpression(withIdSuffix(input.sli, formatWindow(w.longWindow)), w.longWindow, input.budget, 0)
      .with({ label: `${w.severity.toLowerCase()} ${describeWindow(w.longWindow)} (alarm at ${formatBurnRate(w.burnRate)})` })),
    leftAnnotations: conditions.map((w) => ({
      value: w.burnRate,
      label: `${w.severity.toLowerCase()} ${formatBurnRate(w.burnRate)}`,
      color: w.severity === Severity.PAGE ? cloudwatch.Color.RED : cloudwatch.Color.ORANGE,
    })),
    leftYAxis: { min: 0, showUnits: false },
    width: 8,
    height: 6,
  });

  const burndown = new cloudwatch.GraphWidget({
    title: `${input.title}: error budget burn-down (${days} days)`,
    left: [budgetBurndownExpression(input.sli, input.budget, Duration.hours(1))],
    leftAnnotations: [{ value: 0, label: 'budget exhausted', color: cloudwatch.Color.RED }],
    leftYAxis: { max: 100, showUnits: false },
    start: `-P${days}D`,
    width: 8,
    height: 6,
  });
  return [sli, burn, burndown];
}
