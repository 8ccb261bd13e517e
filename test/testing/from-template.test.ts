import { Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { A, O, series } from './helpers';
import { AlarmSimulator, MetricSeries, SimulationResult } from '../../src';

const ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm';
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A metric alarm resource, `>= 1` over one minute, missing data not breaching, unless overridden. */
function metricAlarm(metricName: string, overrides: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'App',
      MetricName: metricName,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...overrides,
    },
  };
}
const composite = (AlarmRule: string, more: Record<string, unknown> = {}) =>
  ({ Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule, ...more } });
const template = (Resources: Resources) => ({ Resources });
const feed = (sim: AlarmSimulator, metricName: string, data: MetricSeries, statistic = 'Sum') =>
  sim.feedIdentity({ metricNamespace: 'App', metricName, statistic }, data);

describe('AlarmSimulator.fromTemplate', () => {
  // errors-high = [O, A, O, O]; "latency high" (p99 > 500) = [O, O, A, O].
  // Inner = errors-high OR latency high = [O, A, A, O]; Outer = Inner AND NOT errors-high = [O, O, A, O].
  // Outer is listed first: composites are evaluated after the composites they read, whatever the template order.
  const resources: Resources = {
    Outer: composite(`ALARM(inner) AND NOT ALARM("${ARN}:errors-high")`, {
      AlarmName: 'outer', AlarmActions: [{ Ref: 'Pages' }], OKActions: [{ 'Fn::GetAtt': ['Pages', 'TopicArn'] }],
    }),
    Inner: composite(`ALARM(errors-high) OR ALARM('${ARN}:latency high')`, { AlarmName: 'inner' }),
    ErrorsHigh: metricAlarm('Errors', { AlarmName: 'errors-high' }),
    LatencyHigh: metricAlarm('Latency', {
      AlarmName: 'latency high', Statistic: undefined, ExtendedStatistic: 'p99', Threshold: 500, ComparisonOperator: 'GreaterThanThreshold',
    }),
    Pages: { Type: 'AWS::SNS::Topic' },
  };

  function run() {
    const sim = AlarmSimulator.fromTemplate(template(resources));
    feed(sim, 'Errors', series(0, 1, 0, 0));
    feed(sim, 'Latency', series(100, 100, 600, 100), 'p99');
    return { sim, result: sim.run() };
  }
  /** The state after every minute, rebuilt from the transitions (a template has no constructs for stateAt). */
  const states = (result: SimulationResult, id: string): cloudwatch.AlarmState[] => {
    const byMinute = new Map(result.transitionsOf(id).map((t) => [t.minute, t.state]));
    let state: cloudwatch.AlarmState = cloudwatch.AlarmState.INSUFFICIENT_DATA;
    return Array.from({ length: result.minutes }, (_, t) => (state = byMinute.get(t) ?? state));
  };

  test('reads the alarms of the template', () => {
    expect(run().sim.alarmLogicalIds).toEqual(['Outer', 'Inner', 'ErrorsHigh', 'LatencyHigh']);
  });

  test('resolves composite rule references by plain alarm name and by ARN, quoted or not', () => {
    const { result } = run();
    expect(states(result, 'ErrorsHigh')).toEqual([O, A, O, O]);
    expect(states(result, 'LatencyHigh')).toEqual([O, O, A, O]);
    expect(states(result, 'Inner')).toEqual([O, A, A, O]);
    expect(states(result, 'Outer')).toEqual([O, O, A, O]);
  });

  test('notifications name the alarm and render Ref and Fn::GetAtt actions', () => {
    expect(run().result.notifications).toEqual([
      { minute: 0, alarmLogicalId: 'Outer', alarmName: 'outer', state: O, action: '${Pages.TopicArn}' },
      { minute: 2, alarmLogicalId: 'Outer', alarmName: 'outer', state: A, action: '${Pages}' },
      { minute: 3, alarmLogicalId: 'Outer', alarmName: 'outer', state: O, action: '${Pages.TopicArn}' },
    ]);
  });

  test('a reference to an alarm that is not in the template throws', () => {
    expect(() => AlarmSimulator.fromTemplate(template({ ...resources, Ghostly: composite('ALARM(errors-high) OR ALARM(ghost)') })))
      .toThrow("Alarm Ghostly: references alarm 'ghost', which is not in the template. Simulate the stack that defines it.");
    expect(() => AlarmSimulator.fromTemplate(template({ ...resources, Ghostly: composite(`ALARM("${ARN}:ghost")`) })))
      .toThrow(`Alarm Ghostly: references alarm '${ARN}:ghost', which is not in the template.`);
  });

  test('a suppressor that is not in the template throws', () => {
    expect(() => AlarmSimulator.fromTemplate(template({ ...resources, S: composite('ALARM(inner)', { ActionsSuppressor: 'maintenance' }) })))
      .toThrow(/Alarm S: references alarm 'maintenance', which is not in the template/);
  });

  test('references by logical id ({ Ref } / Fn::GetAtt Arn) resolve to the resource', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      Errors: metricAlarm('Errors'),
      ByArn: composite({ 'Fn::Join': ['', ['ALARM("', { 'Fn::GetAtt': ['Errors', 'Arn'] }, '")']] } as unknown as string),
      ByRef: composite({ 'Fn::Join': ['', ['NOT ALARM(', { Ref: 'Errors' }, ')']] } as unknown as string),
    }));
    feed(sim, 'Errors', series(0, 1));
    const result = sim.run();
    expect(result.transitionsOf('ByArn').map((t) => [t.minute, t.state])).toEqual([[0, O], [1, A]]);
    expect(result.transitionsOf('ByRef').map((t) => [t.minute, t.state])).toEqual([[0, A], [1, O]]);
  });

  test('a cycle of composites throws when run', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      X: composite('ALARM(Y)'),
      Y: composite('ALARM(X)'),
    }));
    expect(() => sim.run({ minutes: 1 })).toThrow('Composite alarms form a cycle: X -> Y -> X.');
  });
});

describe('metric alarms of a hand-written template', () => {
  test('numbers and ActionsEnabled may be strings', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      Errors: metricAlarm('Errors', { Period: '120', EvaluationPeriods: '1', Threshold: '3', ActionsEnabled: 'false', AlarmActions: ['arn:aws:sns:x'] }),
    }));
    feed(sim, 'Errors', series(1, 2, 0, 0));
    const result = sim.run();
    // 2-minute sums: 1 3 2 0.
    expect(result.transitionsOf('Errors').map((t) => [t.minute, t.state])).toEqual([[0, O], [1, A], [2, O]]);
    expect(result.notifications).toEqual([]);
  });

  test('dimensions with references are fed as ${LogicalId}', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      Throttles: metricAlarm('Throttles', { Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'Fn' } }] }),
    }));
    expect(sim.run({ minutes: 1 }).unfedMetrics).toEqual(['App|Throttles|FunctionName=${Fn}|Sum']);
    sim.feedIdentity({ metricNamespace: 'App', metricName: 'Throttles', dimensions: { FunctionName: '${Fn}' }, statistic: 'Sum' }, series(2));
    expect(sim.run().transitionsOf('Throttles').map((t) => t.state)).toEqual([A]);
  });

  test('feed() with a plain metric works, with a token it cannot be resolved', () => {
    const sim = AlarmSimulator.fromTemplate(template({ Errors: metricAlarm('Errors') }));
    sim.feed(new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors', statistic: 'Sum' }), series(1));
    expect(sim.run().transitionsOf('Errors').map((t) => t.state)).toEqual([A]);
    const tokenized = new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors', dimensionsMap: { Topic: Lazy.string({ produce: () => 'pages' }) } });
    expect(() => sim.feed(tokenized, series(1))).toThrow(/AlarmSimulator.fromTemplate cannot resolve CDK tokens in a metric; use feedIdentity\(\)/);
  });

  test.each([
    [{ Period: 30 }, /Alarm Bad: period 30 s is not simulated \(the simulator steps in whole minutes\)/],
    [{ Period: 90 }, /period 90 s is not simulated/],
    [{ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, /comparison operator 'LessThanLowerOrGreaterThanUpperThreshold' is not simulated/],
    [{ TreatMissingData: 'sometimes' }, /TreatMissingData 'sometimes' is unknown/],
    [{ ThresholdMetricId: 'ad1' }, /anomaly-detection alarms \(ThresholdMetricId\) are not simulated/],
    [{ Threshold: 'high' }, /Alarm Bad: expected a number, got "high"/],
  ])('%j is refused', (overrides, message) => {
    expect(() => AlarmSimulator.fromTemplate(template({ Bad: metricAlarm('Errors', overrides) }))).toThrow(message);
  });

  test('a metric-math alarm needs exactly one query returning data', () => {
    const query = (Id: string, ReturnData?: boolean) => ({
      Id, ReturnData, MetricStat: { Metric: { Namespace: 'App', MetricName: Id }, Stat: 'Sum', Period: 60 },
    });
    const alarm = (Metrics: unknown[]) => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Metrics, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' },
    });
    expect(() => AlarmSimulator.fromTemplate(template({ Bad: alarm([query('a'), query('b')]) })))
      .toThrow('Alarm Bad: exactly one metric query must return data, found 2.');
    expect(() => AlarmSimulator.fromTemplate(template({ Bad: alarm([query('a', false)]) })))
      .toThrow('Alarm Bad: exactly one metric query must return data, found 0.');

    const sim = AlarmSimulator.fromTemplate(template({
      Good: alarm([query('a', false), query('b', false), { Id: 'e', Expression: 'a + b' }]),
    }));
    feed(sim, 'a', series(1, 0));
    feed(sim, 'b', series(1, 0));
    expect(sim.run().transitionsOf('Good').map((t) => [t.minute, t.state])).toEqual([[0, A], [1, O]]);
  });

  test('a metric-math query that refers to itself throws when run', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      Loop: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { Metrics: [{ Id: 'e', Expression: 'e + 1' }], EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' },
      },
    }));
    expect(() => sim.run({ minutes: 1 })).toThrow("Alarm Loop: metric query 'e' refers to itself.");
  });
});

describe('intrinsic functions in a hand-written template', () => {
  test('Fn::Sub, Fn::Select and Fn::ImportValue are rendered', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      Errors: metricAlarm('Errors', { AlarmName: { 'Fn::Select': [1, ['unused', 'errors-high']] } }),
      // Pseudo parameters stay as `${AWS::Region}`; the alarm name after `:alarm:` is what matters.
      BySub: composite({ 'Fn::Sub': 'ALARM("arn:aws:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:errors-high")' } as unknown as string, {
        AlarmActions: [{ 'Fn::ImportValue': 'SharedPagesTopicArn' }],
      }),
      BySubVariables: composite({ 'Fn::Sub': ['NOT ALARM(${Name})', { Name: 'errors-high' }] } as unknown as string, {
        OKActions: [{ 'Fn::Sub': 'arn:aws:sns:${AWS::Region}:123456789012:${Topic}' }],
      }),
    }));
    feed(sim, 'Errors', series(0, 1));
    const result = sim.run();
    expect(result.transitionsOf('BySub').map((t) => [t.minute, t.state])).toEqual([[0, O], [1, A]]);
    expect(result.transitionsOf('BySubVariables').map((t) => [t.minute, t.state])).toEqual([[0, A], [1, O]]);
    expect(result.notifications.map((n) => [n.minute, n.alarmLogicalId, n.action])).toEqual([
      [1, 'BySub', '${Import(SharedPagesTopicArn)}'],
      [1, 'BySubVariables', 'arn:aws:sns:${AWS::Region}:123456789012:${Topic}'],
    ]);
    expect(result.notifications.every((n) => n.alarmName === n.alarmLogicalId)).toBe(true);
  });

  test('a suppressor named in the template with no periods waits and extends 1 minute', () => {
    const sim = AlarmSimulator.fromTemplate(template({
      Child: metricAlarm('Errors', { AlarmName: 'child' }),
      Maintenance: metricAlarm('Maintenance', { AlarmName: 'maintenance' }),
      Page: composite('ALARM(child)', { ActionsSuppressor: 'maintenance', AlarmActions: ['pager'] }),
    }));
    feed(sim, 'Errors', series(0, 1, 1, 1, 1, 1, 1, 1));
    feed(sim, 'Maintenance', series(0, 0, 0, 0, 0, 1, 0, 0));
    // Wait 1 minute: ALARM at 1 → actions at 2. The later suppressor flap changes nothing.
    expect(sim.run().notifications.map((n) => [n.minute, n.state])).toEqual([[2, A]]);
  });

  test('an empty template has no alarms', () => {
    const sim = AlarmSimulator.fromTemplate({});
    expect(sim.alarmLogicalIds).toEqual([]);
    expect(sim.run({ minutes: 2 }).notifications).toEqual([]);
  });
});
