import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { OperationalAlarmOptions } from './operable-service';

/** What decides which operational alarms a function gets (internal). */
export interface FunctionAlarmInput {
  /** The function (function-level metrics). */
  readonly fn: lambda.IFunction;
  /** What traffic is measured on: the alias, or the function when there is none. */
  readonly target: lambda.IFunction;
  readonly throttles: boolean;
  readonly concurrencyLimit: number;
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
  const { fn, target } = input;
  const name = fn.node.path;
  const rows: Array<{ id: string; when: boolean; options: () => OperationalAlarmOptions }> = [
    {
      // Throttling and concurrency near the limit are one condition — the function cannot take more load — and one
      // alarm keeps a stack of many services small. The dashboard graphs both.
      id: 'Saturation',
      when: true,
      options: () => {
        const limit = Math.ceil((input.concurrencyLimit * input.concurrencyPercent) / 100);
        const concurrency = fn.metric('ConcurrentExecutions', { period: FIVE_MINUTES, statistic: 'Maximum' });
        const metric = input.throttles
          ? new cloudwatch.MathExpression({
            expression: `IF(FILL(throttles,0) >= 1 OR concurrency >= ${limit}, 1, 0)`,
            usingMetrics: { throttles: target.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), concurrency },
            period: FIVE_MINUTES,
          })
          : concurrency;
        return {
          metric,
          threshold: input.throttles ? 1 : limit,
          evaluationPeriods: 3,
          summary: `Lambda ${name} was ${input.throttles ? 'throttled or ' : ''}at ${input.concurrencyPercent}% or more of its ` +
            `${input.concurrencyLimit} concurrency limit for 15 minutes: it cannot take more load.`,
        };
      },
    },
    {
      id: 'AsyncEventsDropped',
      when: input.async,
      options: () => ({
        metric: fn.metric('AsyncEventsDropped', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        summary: `Lambda ${name} dropped asynchronous events without processing them.`,
      }),
    },
    {
      id: 'DeadLetterErrors',
      when: input.async && input.hasDeadLetterTarget,
      options: () => ({
        metric: fn.metric('DeadLetterErrors', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        summary: `Lambda ${name} failed to send failed events to its dead-letter target: those events are lost.`,
      }),
    },
    {
      id: 'DestinationDeliveryFailures',
      when: input.async && input.hasDestinations,
      options: () => ({
        metric: fn.metric('DestinationDeliveryFailures', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        summary: `Lambda ${name} failed to deliver events to its destination.`,
      }),
    },
    {
      id: 'DeadLetterQueueDepth',
      when: input.deadLetterQueue !== undefined,
      options: () => ({
        metric: input.deadLetterQueue!.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: 1,
        summary: `Events are waiting in the dead-letter queue of Lambda ${name}: inspect them and redrive.`,
        alarmNameSuffix: 'dlq-depth',
      }),
    },
  ];
  return rows.filter((r) => r.when).map(({ id, options }) => ({ id, options: options() }));
}
