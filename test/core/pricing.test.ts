import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CloudWatchPricing } from '../../src';
import { cfnAlarm, freight, quotesMetric, testStack } from '../support/fixtures';

const cfn = (alarm: cloudwatch.Alarm) => alarm.node.defaultChild as cloudwatch.CfnAlarm;

function metricAlarm(scope: Construct, id: string, metric: cloudwatch.IMetric = quotesMetric('Errors')) {
  return new cloudwatch.Alarm(scope, id, { metric, threshold: 1, evaluationPeriods: 1 });
}

function mathAlarm(scope: Construct, id: string, period = Duration.minutes(5)) {
  return metricAlarm(scope, id, new cloudwatch.MathExpression({
    expression: '(a + b) / c',
    usingMetrics: { a: quotesMetric('Errors'), b: quotesMetric('Faults'), c: quotesMetric('Requests') },
    period,
  }));
}

function dashboard(scope: Construct, id: string) {
  return new cloudwatch.Dashboard(scope, id, { widgets: [[new cloudwatch.TextWidget({ markdown: '# Freight' })]] });
}

describe('CloudWatchPricing constants', () => {
  test('prices', () => {
    expect(CloudWatchPricing.STANDARD_ALARM_METRIC_USD).toBe(0.1);
    expect(CloudWatchPricing.HIGH_RESOLUTION_ALARM_METRIC_USD).toBe(0.3);
    expect(CloudWatchPricing.COMPOSITE_ALARM_USD).toBe(0.5);
    expect(CloudWatchPricing.ANOMALY_DETECTION_ALARM_METRICS).toBe(3);
    expect(CloudWatchPricing.DASHBOARD_USD).toBe(3);
  });

  test('source, date and region', () => {
    expect(CloudWatchPricing.SOURCE).toBe('https://aws.amazon.com/cloudwatch/pricing/');
    expect(CloudWatchPricing.AS_OF).toBe('2026-11-24');
    expect(CloudWatchPricing.AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(CloudWatchPricing.REGION).toBe('us-east-1');
  });
});

describe('CloudWatchPricing.alarmMetricCount / metricAlarmMonthlyUsd', () => {
  test('a metric alarm on one metric bills 1 metric: US$ 0.10', () => {
    const { stack } = testStack();
    const alarm = cfn(metricAlarm(stack, 'A'));
    expect(CloudWatchPricing.alarmMetricCount(alarm)).toBe(1);
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(alarm)).toBe(0.1);
  });

  test('a math alarm with 3 metrics and 1 expression bills 3 metrics: US$ 0.30', () => {
    const { stack } = testStack();
    const alarm = cfn(mathAlarm(stack, 'A'));
    expect(stack.resolve(alarm.metrics)).toHaveLength(4);
    expect(CloudWatchPricing.alarmMetricCount(alarm)).toBe(3);
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(alarm)).toBe(0.3);
  });

  test('a 10-second high-resolution alarm bills US$ 0.30 per metric', () => {
    const { stack } = testStack();
    const alarm = cfn(metricAlarm(stack, 'A', quotesMetric('Errors').with({ period: Duration.seconds(10) })));
    expect(stack.resolve(alarm.period)).toBe(10);
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(alarm)).toBe(0.3);
  });

  test('a 30-second high-resolution math alarm with 3 metrics bills US$ 0.90', () => {
    const { stack } = testStack();
    const alarm = cfn(mathAlarm(stack, 'A', Duration.seconds(30)));
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(alarm)).toBe(0.9);
  });

  test('a 60-second alarm is standard resolution', () => {
    const { stack } = testStack();
    const alarm = cfn(metricAlarm(stack, 'A', quotesMetric('Errors').with({ period: Duration.minutes(1) })));
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(alarm)).toBe(0.1);
  });

  test('an AnomalyDetectionAlarm bills 3 alarm metrics: US$ 0.30', () => {
    const { stack } = testStack();
    const alarm = new cloudwatch.AnomalyDetectionAlarm(stack, 'A', { metric: quotesMetric('Requests'), evaluationPeriods: 1 });
    const l1 = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    expect(CloudWatchPricing.alarmMetricCount(l1)).toBe(3);
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(l1)).toBe(0.3);
  });

  test('a hand-written CfnAlarm with a top-level metric bills 1 metric', () => {
    const { stack } = testStack();
    const alarm = cfnAlarm(stack, 'A', { period: 20 });
    expect(CloudWatchPricing.alarmMetricCount(alarm)).toBe(1);
    expect(CloudWatchPricing.metricAlarmMonthlyUsd(alarm)).toBe(0.3);
  });
});

describe('CloudWatchPricing.estimateMonthlyUsd', () => {
  test('a composite alarm costs US$ 0.50 and a dashboard US$ 3.00', () => {
    const { stack } = testStack();
    const scope = new Construct(stack, 'Scope');
    const a = metricAlarm(scope, 'A');
    new cloudwatch.CompositeAlarm(scope, 'C', { alarmRule: cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM) });
    expect(CloudWatchPricing.estimateMonthlyUsd(scope)).toBe(0.6);

    const board = new Construct(stack, 'Board');
    dashboard(board, 'D');
    expect(CloudWatchPricing.estimateMonthlyUsd(board)).toBe(3);
  });

  test('sums only the subtree under the scope', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const service = new Construct(workload, 'Quotes');
    const a = metricAlarm(service, 'A');
    mathAlarm(service, 'B');
    new cloudwatch.AnomalyDetectionAlarm(new Construct(service, 'Deep'), 'Anomaly', { metric: quotesMetric('Requests'), evaluationPeriods: 1 });
    new cloudwatch.CompositeAlarm(service, 'C', { alarmRule: cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM) });
    dashboard(service, 'D');
    // Outside the service: another alarm in the workload and a dashboard in the stack.
    metricAlarm(workload, 'Elsewhere');
    dashboard(stack, 'StackBoard');

    // 0.10 + 0.30 + 0.30 + 0.50 + 3.00
    expect(CloudWatchPricing.estimateMonthlyUsd(service)).toBe(4.2);
    expect(CloudWatchPricing.estimateMonthlyUsd(workload)).toBe(4.3);
    expect(CloudWatchPricing.estimateMonthlyUsd(stack)).toBe(7.3);
  });

  test('is 0 for a subtree without alarms or dashboards', () => {
    const { stack } = testStack();
    expect(CloudWatchPricing.estimateMonthlyUsd(new Construct(stack, 'Empty'))).toBe(0);
  });

  test('sums across stacks under an App-level scope without floating-point noise', () => {
    const { app } = testStack();
    const root = new Construct(app, 'Root');
    for (const id of ['One', 'Two', 'Three']) {
      const s = new Stack(root, id);
      metricAlarm(s, 'A');
    }
    // 0.1 + 0.1 + 0.1 is 0.30000000000000004 in floating point.
    expect(CloudWatchPricing.estimateMonthlyUsd(root)).toBe(0.3);
  });
});
