import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { IConstruct } from 'constructs';

/**
 * Amazon CloudWatch list prices used by every cost estimate in this library — the one place they live.
 *
 * Source: https://aws.amazon.com/cloudwatch/pricing/ (US East (N. Virginia), paid tier, read 2026-11-24).
 * Alarms are billed per *alarm metric* per month: a metric-math alarm bills each metric it queries (expressions
 * are free), an anomaly-detection alarm bills 3 (the metric and the two band edges), a composite alarm bills a
 * flat rate; a Synthetics canary bills per run. The free tier (10 alarm metrics, 3 dashboards, 100 canary runs) is
 * ignored: estimates are list price. Not included: metric and log ingestion, which depend on traffic.
 */
export class CloudWatchPricing {
  /** US$ per standard-resolution (period ≥ 60 s) alarm metric per month. */
  public static readonly STANDARD_ALARM_METRIC_USD = 0.10;
  /** US$ per high-resolution (period 10, 20 or 30 s) alarm metric per month. */
  public static readonly HIGH_RESOLUTION_ALARM_METRIC_USD = 0.30;
  /** US$ per composite alarm per month. */
  public static readonly COMPOSITE_ALARM_USD = 0.50;
  /** Alarm metrics billed for one anomaly-detection band (the metric plus upper and lower bound). */
  public static readonly ANOMALY_DETECTION_ALARM_METRICS = 3;
  /** US$ per custom dashboard per month. */
  public static readonly DASHBOARD_USD = 3.00;
  /** US$ per CloudWatch Synthetics canary run. */
  public static readonly CANARY_RUN_USD = 0.0012;
  /** The region the prices are for. */
  public static readonly REGION = 'us-east-1';
  /** Where the prices come from. */
  public static readonly SOURCE = 'https://aws.amazon.com/cloudwatch/pricing/';
  /** When the prices were read. */
  public static readonly AS_OF = '2026-11-24';

  /**
   * Number of billed alarm metrics of a metric alarm.
   */
  public static alarmMetricCount(alarm: cloudwatch.CfnAlarm): number {
    const stack = Stack.of(alarm);
    const metrics = stack.resolve(alarm.metrics) as Array<{ metricStat?: unknown; expression?: string }> | undefined;
    if (!metrics || metrics.length === 0) return 1;
    const stats = metrics.filter((m) => m.metricStat !== undefined).length;
    const bands = metrics.filter((m) => typeof m.expression === 'string' && m.expression.includes('ANOMALY_DETECTION_BAND')).length;
    return stats + bands * (CloudWatchPricing.ANOMALY_DETECTION_ALARM_METRICS - 1);
  }

  /**
   * Monthly list price of one metric alarm.
   */
  public static metricAlarmMonthlyUsd(alarm: cloudwatch.CfnAlarm): number {
    const stack = Stack.of(alarm);
    const periods: number[] = [];
    const top = stack.resolve(alarm.period);
    if (typeof top === 'number') periods.push(top);
    const metrics = stack.resolve(alarm.metrics) as Array<{ metricStat?: { period?: number }; period?: number }> | undefined;
    for (const m of metrics ?? []) {
      if (typeof m.metricStat?.period === 'number') periods.push(m.metricStat.period);
      if (typeof m.period === 'number') periods.push(m.period);
    }
    const highResolution = periods.some((p) => p < 60);
    const rate = highResolution ? CloudWatchPricing.HIGH_RESOLUTION_ALARM_METRIC_USD : CloudWatchPricing.STANDARD_ALARM_METRIC_USD;
    return round(CloudWatchPricing.alarmMetricCount(alarm) * rate);
  }

  /**
   * Monthly list price of a canary: its runs in a 30-day month at its schedule (`rate(...)` schedules; a `cron`
   * schedule is priced as one run a minute, the most it can run).
   */
  public static canaryMonthlyUsd(canary: synthetics.CfnCanary): number {
    const schedule = Stack.of(canary).resolve(canary.schedule) as { expression?: string } | undefined;
    const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(schedule?.expression ?? '');
    const minutes = match ? Number(match[1]) * (match[2].startsWith('hour') ? 60 : 1) : 1;
    const runs = match && Number(match[1]) === 0 ? 1 : (30 * 24 * 60) / minutes;
    return round(runs * CloudWatchPricing.CANARY_RUN_USD);
  }

  /**
   * Monthly list price of every metric alarm, composite alarm, dashboard and canary defined under `scope`.
   */
  public static estimateMonthlyUsd(scope: IConstruct): number {
    let total = 0;
    for (const c of scope.node.findAll()) {
      if (c instanceof cloudwatch.CfnAlarm) total += CloudWatchPricing.metricAlarmMonthlyUsd(c);
      else if (c instanceof cloudwatch.CfnCompositeAlarm) total += CloudWatchPricing.COMPOSITE_ALARM_USD;
      else if (c instanceof cloudwatch.CfnDashboard) total += CloudWatchPricing.DASHBOARD_USD;
      else if (c instanceof synthetics.CfnCanary) total += CloudWatchPricing.canaryMonthlyUsd(c);
    }
    return round(total);
  }

  private constructor() {}
}

function round(usd: number): number {
  return Math.round(usd * 10000) / 10000;
}
