import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { OperationalAlarmOptions } from './service-options';

/** What decides which operational alarms a function gets (internal). */
export interface FunctionAlarmInput {
  /** The function (function-level metrics). */
  readonly fn: lambda.IFunction;
  /** What traffic is measured on: the alias, or the function when there is none. */
  readonly target: lambda.IFunction;
  readonly throttles: boolean;
  /**
   * The concurrency limit the function runs into: the `concurrencyLimit` prop, else its reserved concurrency; undefined
   * for a function on the account's unreserved pool, whose limit is the account's concurrency quota, read at run time.
   */
  readonly concurrencyLimit?: number;
  /** Where that limit came from, for the alarm summary. */
  readonly concurrencyLimitSource: string;
  readonly concurrencyPercent: number;
  readonly async: boolean;
  readonly deadLetterQueue?: sqs.IQueue;
  /** A dead-letter queue or topic is configured. */
  readonly hasDeadLetterTarget: boolean;
  readonly hasDestinations: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The operational ticket alarms of a Lambda function, as a table: saturation (throttling or concurrency near the limit),
 * and for asynchronous functions dropped events, dead-letter and destination delivery failures, and dead-letter queue
 * depth.
 */
export function functionAlarmTable(input: FunctionAlarmInput): Array<{ id: string; options: OperationalAlarmOptions }> {
  const name = `Lambda function ${input.fn.functionName}`;
  const rows: Array<{ id: string; when: boolean; options: () => OperationalAlarmOptions }> = [
    {
      // Throttling and concurrency near the limit are one condition — the function cannot take more load — and one
      // alarm keeps a stack of many services small. The dashboard graphs both.
      id: 'Saturation',
      when: true,
      options: () => saturation(input, name),
    },
    {
      id: 'AsyncEventsDropped',
      when: input.async,
      options: () => ({
        metric: input.fn.metric('AsyncEventsDropped', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        summary: `${name} dropped asynchronous events without processing them.`,
      }),
    },
    {
      id: 'DeadLetterErrors',
      when: input.async && input.hasDeadLetterTarget,
      options: () => ({
        metric: input.fn.metric('DeadLetterErrors', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        summary: `${name} failed to send failed events to its dead-letter target: those events are lost.`,
      }),
    },
    {
      id: 'DestinationDeliveryFailures',
      when: input.async && input.hasDestinations,
      options: () => ({
        metric: input.fn.metric('DestinationDeliveryFailures', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        summary: `${name} failed to deliver events to its destination.`,
      }),
    },
    {
      id: 'DeadLetterQueueDepth',
      when: input.deadLetterQueue !== undefined,
      options: () => ({
        metric: input.deadLetterQueue!.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: 1,
        summary: `Events are waiting in the dead-letter queue of ${name}: inspect them and redrive.`,
        alarmNameSuffix: 'dlq-depth',
      }),
    },
  ];
  return rows.filter((r) => r.when).map(({ id, options }) => ({ id, options: options() }));
}

/**
 * The saturation alarm: throttled, or concurrency at `concurrencyPercent` of the limit, for 15 minutes. With a known limit
 * (the `concurrencyLimit` prop, or reserved concurrency) it compares the function's own concurrency; without one the
 * function shares the account's unreserved pool, so it compares the account's claimed concurrency with the account's
 * concurrency quota, read at run time with `SERVICE_QUOTA` (no limit is assumed at synth).
 */
function saturation(input: FunctionAlarmInput, name: string): OperationalAlarmOptions {
  const pct = input.concurrencyPercent;
  const throttles = input.target.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' });
  const fifteen = 'for 15 minutes: it cannot take more load.';
  if (input.concurrencyLimit !== undefined) {
    const limit = Math.ceil((input.concurrencyLimit * pct) / 100);
    const concurrency = input.fn.metric('ConcurrentExecutions', { period: FIVE_MINUTES, statistic: 'Maximum' });
    return {
      metric: input.throttles
        ? new cloudwatch.MathExpression({
          expression: `IF(FILL(throttles,0) >= 1 OR concurrency >= ${limit}, 1, 0)`,
          usingMetrics: { throttles, concurrency },
          period: FIVE_MINUTES,
        })
        : concurrency,
      threshold: input.throttles ? 1 : limit,
      evaluationPeriods: 3,
      summary: `${name} was ${input.throttles ? 'throttled or ' : ''}at ${pct}% or more of its concurrency limit of ${input.concurrencyLimit} ` +
        `(${input.concurrencyLimitSource}) ${fifteen}`,
    };
  }
  // Account-level metrics (no dimensions): what the unreserved pool holds, and the quota it is measured against.
  const claimed = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'ClaimedAccountConcurrency', period: FIVE_MINUTES, statistic: 'Maximum' });
  const quota = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', period: FIVE_MINUTES, statistic: 'Maximum' });
  const near = `claimed >= ${pct / 100} * SERVICE_QUOTA(quota)`;
  return {
    metric: new cloudwatch.MathExpression({
      expression: input.throttles ? `IF(FILL(throttles,0) >= 1 OR ${near}, 1, 0)` : `IF(${near}, 1, 0)`,
      usingMetrics: input.throttles ? { throttles, claimed, quota } : { claimed, quota },
      period: FIVE_MINUTES,
    }),
    threshold: 1,
    evaluationPeriods: 3,
    summary: `${name} was ${input.throttles ? 'throttled, or ' : ''}the account's claimed Lambda concurrency was at ${pct}% or more of the ` +
      `account's concurrency quota (read at run time; the function has no reserved concurrency) ${fifteen}`,
  };
}
