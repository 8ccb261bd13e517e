import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmNotification, MetricSeries, SimulationResult } from '../../src';

/** Short state names, so expected timelines read like `[O, A, A, O]`. */
export const A = cloudwatch.AlarmState.ALARM;
export const O = cloudwatch.AlarmState.OK;
export const I = cloudwatch.AlarmState.INSUFFICIENT_DATA;

/** A metric of the `Sim` namespace. */
export function simMetric(metricName: string, statistic = 'Sum', periodMinutes = 1, dimensionsMap?: Record<string, string>): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'Sim', metricName, statistic, period: Duration.minutes(periodMinutes), dimensionsMap });
}

/** Options of `simpleAlarm`. */
export interface SimpleAlarmOptions {
  readonly threshold?: number;
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  readonly actionsEnabled?: boolean;
  readonly alarmName?: string;
}

/** An alarm: `metric >= 1` over one evaluation period, missing data not breaching, unless told otherwise. */
export function simpleAlarm(stack: Stack, id: string, metric: cloudwatch.IMetric, options: SimpleAlarmOptions = {}): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, {
    metric,
    threshold: options.threshold ?? 1,
    comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: options.evaluationPeriods ?? 1,
    datapointsToAlarm: options.datapointsToAlarm,
    treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    actionsEnabled: options.actionsEnabled,
    alarmName: options.alarmName,
  });
}

/** The state of an alarm after every simulated minute. */
export function timeline(result: SimulationResult, alarm: cloudwatch.IAlarm): cloudwatch.AlarmState[] {
  return Array.from({ length: result.minutes }, (_, t) => result.stateAt(alarm, t));
}

/** Transitions as `[minute, new state]` pairs. */
export function changes(result: SimulationResult, alarm: cloudwatch.IAlarm): Array<[number, cloudwatch.AlarmState]> {
  return result.transitions(alarm).map((t) => [t.minute, t.state]);
}

/** Notifications as `[minute, state]` pairs. */
export function sent(notifications: AlarmNotification[]): Array<[number, cloudwatch.AlarmState]> {
  return notifications.map((n) => [n.minute, n.state]);
}

/** A series from values, `NaN` marking missing minutes. */
export const series = (...values: number[]) => MetricSeries.fromValues(values);

/** `value` for minutes `[from, to)` of a `minutes`-long series, 0 elsewhere. */
export function pulse(minutes: number, from: number, to: number, value = 1): MetricSeries {
  return MetricSeries.fromValues(Array.from({ length: minutes }, (_, t) => (t >= from && t < to ? value : 0)));
}
