import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BurnRatePolicy } from '../slo/burn-rate-policy';
import { Sli } from '../slo/sli';

/**
 * The default SLOs every operable service creates (availability and latency), and their settings: one shape for
 * OperableFunction, OperableRestApi and OperableHttpApi.
 */
export interface ServiceSloDefaults {
  /**
   * Availability objective (percent of good events: invocations without error, requests without a 5XX).
   *
   * @default - the workload tier's availability objective
   */
  readonly availabilityObjective?: number;

  /**
   * Latency objective (percent of events faster than `latencyThreshold`).
   *
   * @default - the workload tier's latency objective
   */
  readonly latencyObjective?: number;

  /**
   * Events slower than this count against the latency SLO.
   *
   * @default - the workload tier's latency threshold
   */
  readonly latencyThreshold?: Duration;

  /**
   * Burn-rate policy of both SLOs.
   *
   * @default BurnRatePolicy.SRE_WORKBOOK
   */
  readonly policy?: BurnRatePolicy;

  /**
   * Create the availability SLO. When false, `availabilityObjective` is an error.
   *
   * @default true
   */
  readonly availabilitySlo?: boolean;

  /**
   * Create the latency SLO. When false, `latencyObjective` and `latencyThreshold` are errors.
   *
   * @default true
   */
  readonly latencySlo?: boolean;
}

/**
 * What an SLO added with `addSlo` takes: an SLO's properties without its service.
 */
export interface ServiceSloOptions {
  /** What is measured. */
  readonly sli: Sli;
  /**
   * Target percentage.
   * @default - the workload tier's objective
   */
  readonly objective?: number;
  /**
   * Rolling period.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
  /**
   * Burn-rate policy.
   * @default BurnRatePolicy.SRE_WORKBOOK
   */
  readonly policy?: BurnRatePolicy;
  /**
   * Low-traffic guard on long windows.
   * @default - the policy's
   */
  readonly minBadEvents?: number;
  /**
   * Name of the SLO.
   * @default - the construct id in kebab case
   */
  readonly sloName?: string;
  /**
   * What good looks like to users.
   * @default - generated from the SLI
   */
  readonly description?: string;
  /**
   * Also create an Application Signals SLO.
   * @default false
   */
  readonly applicationSignals?: boolean;
}

/**
 * An operational alarm that opens a ticket (or with `pages`, pages) through its service.
 */
export interface OperationalAlarmOptions {
  /** What is watched. */
  readonly metric: cloudwatch.IMetric;
  /** The threshold. */
  readonly threshold: number;
  /** One line saying what is wrong, for the alarm description. */
  readonly summary: string;
  /**
   * How the metric is compared with the threshold.
   * @default ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * Periods evaluated.
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods needed to alarm.
   * @default - all evaluated periods
   */
  readonly datapointsToAlarm?: number;
  /**
   * How missing data is treated.
   * @default TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /**
   * Last part of the alarm name, `<workload>-<service>-<suffix>`.
   * @default - the construct id in kebab case
   */
  readonly alarmNameSuffix?: string;
  /**
   * Page through the service's page composite instead of opening a ticket: for a symptom users or a critical flow
   * feel before any SLO burns (e.g. the backlog of a critical pipeline's queue, which no request SLO measures).
   * @default false - tickets through the service's ticket composite
   */
  readonly pages?: boolean;
}

/**
 * An anomaly-detection alarm that opens a ticket through its service.
 */
export interface AnomalyAlarmOptions {
  /** What is watched (a rate or count with a daily or weekly pattern). */
  readonly metric: cloudwatch.IMetric;
  /** One line saying what is wrong, for the alarm description. */
  readonly summary: string;
  /**
   * Width of the expected band, in standard deviations.
   * @default 3
   */
  readonly stdDevs?: number;
  /**
   * Which side of the band breaches.
   * @default ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * Periods evaluated (all must breach).
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Last part of the alarm name, `<workload>-<service>-<suffix>`.
   * @default - the construct id in kebab case
   */
  readonly alarmNameSuffix?: string;
}

/** A Logs Insights query a service shows on its dashboard (internal). */
export interface ServiceLogQuery {
  readonly title: string;
  readonly logGroups: logs.ILogGroup[];
  readonly query: string;
}

