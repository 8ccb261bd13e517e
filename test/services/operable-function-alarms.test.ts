import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aliasDimensions, DASHBOARD_URL, functionProps, logicalIdOf, RUNBOOK, setup, windowAlarmNames } from './function-fixtures';
import { AlarmSimulator, MetricSeries } from '../../src';

const SLO_ALARMS = [...windowAlarmNames('availability'), ...windowAlarmNames('latency')];
const FOOTER = `Severity: TICKET | Owner: pricing | Runbook: ${RUNBOOK} | Playbook: none | Dashboard: ${DASHBOARD_URL}`;
const TICKETS_THROUGH = "Tickets through quotes's ticket composite; no actions of its own.";

/** The saturation alarm's math expression with the concurrency limit at `limit`. */
function saturationMetrics(fnId: string, limit: number) {
  return [
    { Id: 'expr_1', ReturnData: true, Expression: `IF(FILL(throttles,0) >= 1 OR concurrency >= ${limit}, 1, 0)` },
    {
      Id: 'throttles',
      ReturnData: false,
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: aliasDimensions(fnId) }, Period: 300, Stat: 'Sum' },
    },
    {
      Id: 'concurrency',
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }] },
        Period: 300,
        Stat: 'Maximum',
      },
    },
  ];
}

/** The ticket rule's references to operational alarms, as AlarmNames, in rule order. */
function operationalAlarmsInTicketRule(s: ReturnType<typeof setup>): string[] {
  const rule = (s.alarm('freight-quotes-ticket').AlarmRule as { 'Fn::Sub': string })['Fn::Sub'];
  return [...rule.matchAll(/ALARM\("\$\{(\w+)\.Arn\}"\)/g)]
    .map((m) => s.resources[m[1]].Properties!.AlarmName as string)
    .filter((name) => !SLO_ALARMS.includes(name));
}

/** The account-level metrics of the saturation alarm of a function without reserved concurrency. */
const accountMetric = (metricName: string) => ({
  Id: metricName === 'ClaimedAccountConcurrency' ? 'claimed' : 'quota',
  ReturnData: false,
  MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName }, Period: 300, Stat: 'Maximum' },
});

describe('the saturation alarm (defaults)', () => {
  const s = setup();
  const fnId = logicalIdOf(s.fn.lambdaFunction);

  test("one math alarm: throttled, or the account's claimed concurrency at 80 % of the account's real quota (SERVICE_QUOTA), 3 periods", () => {
    const alarm = s.alarm('freight-quotes-saturation');
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.DatapointsToAlarm).toBeUndefined();
    expect(alarm.Metrics).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: 'IF(FILL(throttles,0) >= 1 OR claimed >= 0.8 * SERVICE_QUOTA(quota), 1, 0)' },
      saturationMetrics(fnId, 0)[1],
      accountMetric('ClaimedAccountConcurrency'),
      accountMetric('ConcurrentExecutions'),
    ]);
  });

  test('its summary names the function by its name (not the construct path) and assumes no limit', () => {
    const text = (s.alarm('freight-quotes-saturation').AlarmDescription as { 'Fn::Sub': string })['Fn::Sub'];
    expect(text).toBe(`Lambda function \${${fnId}} was throttled, or the account's claimed Lambda concurrency was at 80% or more of the account's ` +
      'concurrency quota (read at run time; the function has no reserved concurrency) for 15 minutes: it cannot take more load. ' +
      `${TICKETS_THROUGH}\n${FOOTER}`);
    expect(text).not.toContain('1000');
    expect(text).not.toContain('Test/Freight/Quotes');
  });

  test('simulated: 850 of a 1,000 quota for 15 minutes tickets; 750 never does (the quota is read, not assumed)', () => {
    const run = (claimed: number, quota: number) => {
      const sim = AlarmSimulator.fromStack(s.stack);
      const minutes = 120;
      const account = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic: 'Maximum' });
      // An hour at 100, then `claimed` from minute 60.
      sim.feed(account('ClaimedAccountConcurrency'), MetricSeries.constant(100, 60).concat(MetricSeries.constant(claimed, 60)));
      sim.setServiceQuota(account('ConcurrentExecutions'), quota);
      sim.feed(s.fn.alias!.metricThrottles({ statistic: 'Sum' }), MetricSeries.constant(0, minutes));
      const saturation = s.fn.alarms.find((a) => a.node.id === 'Saturation')!;
      return sim.run({ minutes }).firstMinuteInState(saturation, cloudwatch.AlarmState.ALARM);
    };
    expect(run(850, 1000)).toBe(70); // three 5-minute periods (on the clock) at or above 80 %: 60-64, 65-69 and 70

    expect(run(750, 1000)).toBeUndefined();
    expect(run(850, 5000)).toBeUndefined();
  });

  test('a synchronous function gets no other operational alarm', () => {
    expect(s.alarmNames()).toEqual([...SLO_ALARMS, 'freight-quotes-saturation']);
    expect(operationalAlarmsInTicketRule(s)).toEqual(['freight-quotes-saturation']);
  });
});

describe('saturation overrides', () => {
  const reserved50 = () => functionProps({ reservedConcurrentExecutions: 50 });
  test.each([
    ['concurrencyLimit 500', 400, () => ({ concurrencyLimit: 500 })],
    ['reserved concurrency 50', 40, () => ({ functionProps: reserved50() })],
    ['reserved 50 at 90 %', 45, () => ({ functionProps: reserved50(), concurrencyAlarmPercent: 90 })],
    ['concurrencyLimit 200 over reserved concurrency 50', 160, () => ({ functionProps: reserved50(), concurrencyLimit: 200 })],
    ['a limit of 7 at 80 % rounds up', 6, () => ({ concurrencyLimit: 7 })],
    ['concurrencyLimit 1000 at 100 %', 1000, () => ({ concurrencyLimit: 1000, concurrencyAlarmPercent: 100 })],
  ])('%s: concurrency >= %d', (_, limit, props) => {
    const s = setup(props());
    expect(s.alarm('freight-quotes-saturation').Metrics).toEqual(saturationMetrics(logicalIdOf(s.fn.lambdaFunction), limit));
  });

  test('throttleAlarm: false gives a plain ConcurrentExecutions alarm at the limit', () => {
    const s = setup({ functionProps: functionProps({ reservedConcurrentExecutions: 50 }), throttleAlarm: false });
    const alarm = s.alarm('freight-quotes-saturation');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'ConcurrentExecutions',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(s.fn.lambdaFunction) } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 40,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm.Metrics).toBeUndefined();
    expect((alarm.AlarmDescription as { 'Fn::Sub': string })['Fn::Sub']).toMatch(
      /^Lambda function \$\{\w+\} was at 80% or more of its concurrency limit of 50 \(reserved concurrency\) for 15 minutes/);
  });

  test("an existing function's reserved concurrency is its limit", () => {
    const s = setup((stack) => ({
      existingFunction: new lambda.Function(stack, 'Legacy', functionProps({ reservedConcurrentExecutions: 50 })),
    }));
    expect((s.alarm('freight-quotes-saturation').Metrics as Array<{ Expression?: string }>)[0].Expression)
      .toBe('IF(FILL(throttles,0) >= 1 OR concurrency >= 40, 1, 0)');
  });
});

describe('alarms of an asynchronously invoked function', () => {
  test('a dead-letter queue: dropped events, dead-letter errors and queue depth, all in the ticket rule', () => {
    const s = setup({ functionProps: functionProps({ deadLetterQueueEnabled: true }) });
    const fnId = logicalIdOf(s.fn.lambdaFunction);
    const fnDimensions = [{ Name: 'FunctionName', Value: { Ref: fnId } }];
    expect(s.alarm('freight-quotes-async-events-dropped')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'AsyncEventsDropped',
      Dimensions: fnDimensions,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: { 'Fn::Sub': `Lambda function \${${fnId}} dropped asynchronous events without processing them. ${TICKETS_THROUGH}\n${FOOTER}` },
    });
    expect(s.alarm('freight-quotes-dead-letter-errors')).toMatchObject({
      Namespace: 'AWS/Lambda', MetricName: 'DeadLetterErrors', Dimensions: fnDimensions, Statistic: 'Sum', Period: 300, Threshold: 1,
    });
    const queue = (s.fn.lambdaFunction as lambda.Function).deadLetterQueue!;
    expect(s.alarm('freight-quotes-dlq-depth')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: {
        'Fn::Sub': `Events are waiting in the dead-letter queue of Lambda function \${${fnId}}: inspect them and redrive. ` +
        `${TICKETS_THROUGH}\n${FOOTER}`,
      },
    });
    expect(operationalAlarmsInTicketRule(s)).toEqual([
      'freight-quotes-saturation', 'freight-quotes-async-events-dropped', 'freight-quotes-dead-letter-errors', 'freight-quotes-dlq-depth',
    ]);
    expect(s.alarmNames()).not.toContain('freight-quotes-destination-delivery-failures');
  });

  test('an on-failure destination: dropped events and destination delivery failures', () => {
    const s = setup((stack) => ({ functionProps: functionProps({ onFailure: new destinations.SnsDestination(new sns.Topic(stack, 'Failed')) }) }));
    expect(s.alarm('freight-quotes-destination-delivery-failures')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'DestinationDeliveryFailures',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(s.fn.lambdaFunction) } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
    });
    expect(operationalAlarmsInTicketRule(s)).toEqual([
      'freight-quotes-saturation', 'freight-quotes-async-events-dropped', 'freight-quotes-destination-delivery-failures',
    ]);
  });

  test('a dead-letter queue and a destination: all four async alarms', () => {
    const s = setup((stack) => ({
      functionProps: functionProps({ deadLetterQueueEnabled: true, onSuccess: new destinations.SnsDestination(new sns.Topic(stack, 'Done')) }),
    }));
    expect(operationalAlarmsInTicketRule(s)).toEqual([
      'freight-quotes-saturation', 'freight-quotes-async-events-dropped', 'freight-quotes-dead-letter-errors',
      'freight-quotes-destination-delivery-failures', 'freight-quotes-dlq-depth',
    ]);
    expect(s.alarmNames()).toHaveLength(SLO_ALARMS.length + 5);
  });

  test.each([
    ['retryAttempts', { retryAttempts: 1 }],
    ['maxEventAge', { maxEventAge: Duration.hours(1) }],
  ])('%s alone marks the function asynchronous: only the dropped-events alarm is added', (_, extra) => {
    const s = setup({ functionProps: functionProps(extra) });
    expect(operationalAlarmsInTicketRule(s)).toEqual(['freight-quotes-saturation', 'freight-quotes-async-events-dropped']);
  });

  test('asyncInvocation and deadLetterQueue describe an existing function', () => {
    const s = setup((stack) => ({
      existingFunction: new lambda.Function(stack, 'Legacy', functionProps()),
      asyncInvocation: true,
      deadLetterQueue: new sqs.Queue(stack, 'LegacyDlq'),
    }));
    expect(operationalAlarmsInTicketRule(s)).toEqual([
      'freight-quotes-saturation', 'freight-quotes-async-events-dropped', 'freight-quotes-dead-letter-errors', 'freight-quotes-dlq-depth',
    ]);
    expect(s.alarm('freight-quotes-dlq-depth').Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(s.stack.node.findChild('LegacyDlq')), 'QueueName'] } },
    ]);
  });

  test('asyncInvocation: false drops the async alarms, but a dead-letter queue still gets its depth alarm', () => {
    const s = setup({ functionProps: functionProps({ deadLetterQueueEnabled: true }), asyncInvocation: false });
    expect(operationalAlarmsInTicketRule(s)).toEqual(['freight-quotes-saturation', 'freight-quotes-dlq-depth']);
  });

  test('a dead-letter topic gets a DeadLetterErrors alarm', () => {
    const s = setup((stack) => ({ functionProps: functionProps({ deadLetterTopic: new sns.Topic(stack, 'DeadLetters') }) }));
    expect(operationalAlarmsInTicketRule(s)).toEqual([
      'freight-quotes-saturation', 'freight-quotes-async-events-dropped', 'freight-quotes-dead-letter-errors',
    ]);
  });

  test('operational alarms are plain CloudWatch alarms of the service', () => {
    const s = setup({ functionProps: functionProps({ deadLetterQueueEnabled: true }) });
    expect(s.fn.alarms.filter((a) => a instanceof cloudwatch.Alarm)).toHaveLength(SLO_ALARMS.length + 4);
    expect(s.fn.alarms).toContain(s.fn.pageAlarm);
    expect(s.fn.alarms).toContain(s.fn.ticketAlarm);
  });
});
