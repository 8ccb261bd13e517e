import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmRule, AlarmState } from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { A, changes, O, series, simMetric, simpleAlarm, timeline } from './helpers';
import { AlarmSimulator } from '../../src';
import { testStack } from '../support/fixtures';

describe('unfed metrics', () => {
  function build() {
    const { stack } = testStack();
    const fed = simpleAlarm(stack, 'Fed', simMetric('Fed'));
    const unfed = simpleAlarm(stack, 'Unfed', simMetric('Errors', 'Sum', 1, { Service: 'quotes', Stage: 'prod' }));
    const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', {
      alarmRule: AlarmRule.anyOf(AlarmRule.fromAlarm(fed, AlarmState.ALARM), AlarmRule.fromAlarm(unfed, AlarmState.ALARM)),
    });
    const onlyFed = new cloudwatch.CompositeAlarm(stack, 'OnlyFed', { alarmRule: AlarmRule.fromAlarm(fed, AlarmState.ALARM) });
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Fed'), series(0, 1));
    return { fed, unfed, composite, onlyFed, result: sim.run() };
  }
  // Key: namespace|metric name|dimensions sorted by name|statistic.
  const KEY = 'Sim|Errors|Service=quotes,Stage=prod|Sum';

  test('are listed by key', () => {
    expect(build().result.unfedMetrics).toEqual([KEY]);
  });

  test('make every question about an alarm that depends on them throw, naming the metric', () => {
    const { unfed, result } = build();
    const message = `SimulationResult: alarm '${result.logicalIdOf(unfed)}' depends on metrics that were not fed: ${KEY}. ` +
      'Feed them (AlarmSimulator.feed / feedIdentity / feedSlo) or the answer would only reflect missing data.';
    expect(() => result.transitions(unfed)).toThrow(message);
    expect(() => result.transitionsOf(result.logicalIdOf(unfed))).toThrow(message);
    expect(() => result.stateAt(unfed, 0)).toThrow(message);
    expect(() => result.firstMinuteInState(unfed, A)).toThrow(message);
    expect(() => result.minutesInState(unfed, A)).toThrow(message);
    expect(() => result.notificationsFor(unfed)).toThrow(message);
  });

  test('propagate to composites that read the alarm, not to others', () => {
    const { fed, composite, onlyFed, result } = build();
    expect(() => result.transitions(composite)).toThrow(/alarm 'Composite[0-9A-F]+' depends on metrics that were not fed: Sim\|Errors\|Service=quotes,Stage=prod\|Sum/);
    expect(changes(result, fed)).toEqual([[0, O], [1, A]]);
    expect(changes(result, onlyFed)).toEqual([[0, O], [1, A]]);
  });

  test('a math alarm lists each metric it misses', () => {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Ratio', new cloudwatch.MathExpression({
      expression: 'bad / total', usingMetrics: { bad: simMetric('Bad'), total: simMetric('Total') }, period: Duration.minutes(1),
    }));
    const sim = AlarmSimulator.fromStack(stack);
    const result = sim.run({ minutes: 3 });
    expect(result.unfedMetrics).toEqual(['Sim|Bad||Sum', 'Sim|Total||Sum']);
    expect(() => result.transitions(alarm)).toThrow(/not fed: (Sim\|Bad\|\|Sum; Sim\|Total\|\|Sum|Sim\|Total\|\|Sum; Sim\|Bad\|\|Sum)\./);
  });

  test('the statistic is part of the key: feeding Sum does not feed Average', () => {
    const { stack } = testStack();
    simpleAlarm(stack, 'Latency', simMetric('Latency', 'Average'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Latency', 'Sum'), series(1));
    expect(sim.run().unfedMetrics).toEqual(['Sim|Latency||Average']);
  });

  test('the SampleCount that weights an Average is optional', () => {
    const { stack } = testStack();
    simpleAlarm(stack, 'Latency', simMetric('Latency', 'Average'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Latency', 'Average'), series(1));
    expect(sim.run().unfedMetrics).toEqual([]);
  });
});

describe('asking about alarms', () => {
  function build() {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Errors', simMetric('Errors'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Errors'), series(0, 0, 1, 1, 1, 0, 0, 0, 0, 0));
    return { stack, alarm, result: sim.run() };
  }

  test('an unknown logical id throws', () => {
    expect(() => build().result.transitionsOf('Nope')).toThrow("SimulationResult: no alarm with logical id 'Nope' in the simulated template.");
  });

  test('an alarm of another stack throws', () => {
    const { result } = build();
    const other = simpleAlarm(testStack('Other').stack, 'Elsewhere', simMetric('Errors'));
    expect(() => result.transitions(other)).toThrow("[Other/Elsewhere] is not in the simulated stack 'Test'");
    expect(() => result.stateAt(other, 0)).toThrow("[Other/Elsewhere] is not in the simulated stack 'Test'");
  });

  // Regression: an alarm of another stack at the same construct path has the same logical id; answering for it
  // would silently describe the simulated stack's alarm.
  test('an alarm of another stack at the same construct path throws instead of answering for a different alarm', () => {
    const { result } = build();
    const twin = simpleAlarm(testStack('Other').stack, 'Errors', simMetric('SomethingElse'));
    expect(() => result.transitions(twin)).toThrow("[Other/Errors] is not in the simulated stack 'Test'");
  });

  test('an imported alarm throws', () => {
    const { stack, result } = build();
    const imported = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:x');
    expect(() => result.transitions(imported)).toThrow(/is an imported alarm; the simulator only knows alarms defined in the stack/);
  });

  test.each([-1, 10, 1.5])('stateAt(%s) is outside the simulation', (minute) => {
    const { alarm, result } = build();
    expect(() => result.stateAt(alarm, minute)).toThrow(`SimulationResult.stateAt: minute ${minute} is outside the simulation (0-9).`);
  });

  test('firstMinuteInState and minutesInState', () => {
    const { alarm, result } = build();
    expect(result.firstMinuteInState(alarm, A)).toBe(2);
    expect(result.firstMinuteInState(alarm, A, 3)).toBe(3);
    expect(result.firstMinuteInState(alarm, A, 5)).toBeUndefined();
    expect(result.firstMinuteInState(alarm, cloudwatch.AlarmState.INSUFFICIENT_DATA)).toBeUndefined();
    expect(result.minutesInState(alarm, A)).toBe(3);
    expect(result.minutesInState(alarm, O)).toBe(7);
    expect(result.minutesInState(alarm, A, 3, 4)).toBe(1);
  });

  test('alarmLogicalIds lists metric and composite alarms only', () => {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Errors', simMetric('Errors'));
    new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: AlarmRule.fromAlarm(alarm, AlarmState.ALARM) });
    new sns.Topic(stack, 'Pages');
    const ids = AlarmSimulator.fromStack(stack).alarmLogicalIds;
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^Errors[0-9A-F]{8}$/);
    expect(ids[1]).toMatch(/^Composite[0-9A-F]{8}$/);
  });
});

describe('run', () => {
  test('simulates the longest series fed by default', () => {
    const { stack } = testStack();
    const a = simpleAlarm(stack, 'A', simMetric('A'));
    simpleAlarm(stack, 'B', simMetric('B'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('A'), series(1, 1));
    sim.feed(simMetric('B'), series(0, 0, 0, 0, 0));
    const result = sim.run();
    expect(result.minutes).toBe(5);
    // A's series ends after minute 1: missing, and missing data is not breaching.
    expect(timeline(result, a)).toEqual([A, A, O, O, O]);
  });

  test('feeding a metric again replaces its series', () => {
    const { stack } = testStack();
    const a = simpleAlarm(stack, 'A', simMetric('A'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('A'), series(1, 1, 1, 1));
    sim.feed(simMetric('A'), series(0, 1));
    const result = sim.run();
    expect(result.minutes).toBe(2);
    expect(timeline(result, a)).toEqual([O, A]);
  });

  test('can run several times', () => {
    const { stack } = testStack();
    const a = simpleAlarm(stack, 'A', simMetric('A'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('A'), series(0, 1));
    expect(timeline(sim.run(), a)).toEqual([O, A]);
    expect(timeline(sim.run({ minutes: 1 }), a)).toEqual([O]);
  });

  test('needs a whole number of minutes above 0', () => {
    const { stack } = testStack();
    simpleAlarm(stack, 'A', simMetric('A'));
    const sim = AlarmSimulator.fromStack(stack);
    expect(() => sim.run()).toThrow('AlarmSimulator.run: minutes must be a whole number above 0, got 0 (feed a series or pass minutes).');
    expect(() => sim.run({ minutes: 2.5 })).toThrow(/minutes must be a whole number above 0, got 2.5/);
    expect(() => sim.run({ minutes: -1 })).toThrow(/minutes must be a whole number above 0, got -1/);
  });

  test('a stack without metrics runs for the minutes asked', () => {
    const { stack } = testStack();
    const always = new cloudwatch.CompositeAlarm(stack, 'Always', { alarmRule: AlarmRule.fromBoolean(true) });
    const result = AlarmSimulator.fromStack(stack).run({ minutes: 3 });
    expect(result.unfedMetrics).toEqual([]);
    expect(timeline(result, always)).toEqual([A, A, A]);
  });
});

describe('feeding', () => {
  test('dimension values that are CloudFormation references are rendered ${LogicalId.Attribute}', () => {
    const { stack } = testStack();
    const topic = new sns.Topic(stack, 'Pages');
    const metric = topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(1) });
    const alarm = simpleAlarm(stack, 'Failed', metric);
    const sim = AlarmSimulator.fromStack(stack);
    const topicId = stack.resolve((topic.node.defaultChild as sns.CfnTopic).logicalId);
    expect(sim.run({ minutes: 1 }).unfedMetrics).toEqual([`AWS/SNS|NumberOfNotificationsFailed|TopicName=\${${topicId}.TopicName}|Sum`]);

    sim.feedIdentity({
      metricNamespace: 'AWS/SNS', metricName: 'NumberOfNotificationsFailed', dimensions: { TopicName: `\${${topicId}.TopicName}` }, statistic: 'Sum',
    }, series(0, 1));
    expect(timeline(sim.run(), alarm)).toEqual([O, A]);

    sim.feed(metric, series(1, 0));
    expect(timeline(sim.run(), alarm)).toEqual([A, O]);
  });

  test('feedIdentity: dimension order does not matter, dimensions default to none', () => {
    const { stack } = testStack();
    const withDims = simpleAlarm(stack, 'WithDims', simMetric('X', 'Sum', 1, { b: '2', a: '1' }));
    const noDims = simpleAlarm(stack, 'NoDims', simMetric('Y'));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feedIdentity({ metricNamespace: 'Sim', metricName: 'X', dimensions: { a: '1', b: '2' }, statistic: 'Sum' }, series(1));
    sim.feedIdentity({ metricNamespace: 'Sim', metricName: 'Y', statistic: 'Sum' }, series(0));
    const result = sim.run();
    expect(result.unfedMetrics).toEqual([]);
    expect(timeline(result, withDims)).toEqual([A]);
    expect(timeline(result, noDims)).toEqual([O]);
  });

  test('a stack that is not in an App or Stage cannot be simulated', () => {
    const root = new Construct(undefined as unknown as Construct, 'Root');
    const stack = new Stack(root, 'Lonely');
    expect(() => AlarmSimulator.fromStack(stack)).toThrow(/is not in an App or Stage/);
  });
});
