import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmRule, AlarmState } from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { A, changes, I, O, series, sent, simMetric, simpleAlarm } from './helpers';
import { AlarmSimulator } from '../../src';
import { testStack } from '../support/fixtures';

/** `${LogicalId}` of a topic, as the simulator renders `{ Ref: LogicalId }`. */
const ref = (stack: Stack, topic: sns.Topic) => `\${${stack.resolve((topic.node.defaultChild as sns.CfnTopic).logicalId)}}`;

describe('metric alarm actions', () => {
  // ALARM in minutes 2-3: transitions INSUFFICIENT_DATA → OK at 0, → ALARM at 2, → OK at 4.
  const data = series(0, 0, 1, 1, 0);

  function build(options: { alarmName?: string; actionsEnabled?: boolean } = {}) {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Errors', simMetric('Errors'), options);
    const pages = new sns.Topic(stack, 'Pages');
    const recoveries = new sns.Topic(stack, 'Recoveries');
    alarm.addAlarmAction(new actions.SnsAction(pages));
    alarm.addOkAction(new actions.SnsAction(recoveries));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Errors'), data);
    return { stack, alarm, pages, recoveries, result: sim.run() };
  }

  test('ALARM and OK actions run on each transition, including the initial INSUFFICIENT_DATA → OK', () => {
    const { stack, alarm, pages, recoveries, result } = build({ alarmName: 'errors-high' });
    const id = result.logicalIdOf(alarm);
    expect(result.notifications).toEqual([
      { minute: 0, alarmLogicalId: id, alarmName: 'errors-high', state: O, action: ref(stack, recoveries) },
      { minute: 2, alarmLogicalId: id, alarmName: 'errors-high', state: A, action: ref(stack, pages) },
      { minute: 4, alarmLogicalId: id, alarmName: 'errors-high', state: O, action: ref(stack, recoveries) },
    ]);
    expect(result.notificationsFor(alarm)).toEqual(result.notifications);
  });

  test('an SNS action is rendered as ${TopicLogicalId}', () => {
    const { stack, pages, result } = build();
    const logicalId = stack.resolve((pages.node.defaultChild as sns.CfnTopic).logicalId);
    expect(logicalId).toMatch(/^Pages[0-9A-F]{8}$/);
    expect(result.notifications.filter((n) => n.state === A).map((n) => n.action)).toEqual([`\${${logicalId}}`]);
  });

  test('the alarm name is the logical id when the alarm names none', () => {
    const { alarm, result } = build();
    expect(result.notifications.map((n) => n.alarmName)).toEqual([result.logicalIdOf(alarm), result.logicalIdOf(alarm), result.logicalIdOf(alarm)]);
  });

  test('actionsEnabled: false sends nothing but the state still changes', () => {
    const { alarm, result } = build({ actionsEnabled: false });
    expect(result.notifications).toEqual([]);
    expect(result.notificationsFor(alarm)).toEqual([]);
    expect(changes(result, alarm)).toEqual([[0, O], [2, A], [4, O]]);
  });

  test('every action of the new state runs, in order', () => {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Errors', simMetric('Errors'));
    const first = new sns.Topic(stack, 'First');
    const second = new sns.Topic(stack, 'Second');
    alarm.addAlarmAction(new actions.SnsAction(first), new actions.SnsAction(second));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Errors'), data);
    expect(sim.run().notifications.map((n) => [n.minute, n.action])).toEqual([[2, ref(stack, first)], [2, ref(stack, second)]]);
  });

  test('an action given as a literal ARN is passed through', () => {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Errors', simMetric('Errors'));
    const arn = 'arn:aws:sns:us-east-1:123456789012:elsewhere';
    alarm.addAlarmAction(new actions.SnsAction(sns.Topic.fromTopicArn(stack, 'Elsewhere', arn)));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Errors'), data);
    expect(sim.run().notifications.map((n) => n.action)).toEqual([arn]);
  });

  test('INSUFFICIENT_DATA actions run when the data stops, not for the initial state', () => {
    const { stack } = testStack();
    const alarm = simpleAlarm(stack, 'Errors', simMetric('Errors'), { treatMissingData: cloudwatch.TreatMissingData.MISSING });
    const noData = new sns.Topic(stack, 'NoData');
    alarm.addInsufficientDataAction(new actions.SnsAction(noData));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Errors'), series(NaN, 1, NaN, NaN, 0, NaN));
    const result = sim.run();
    expect(changes(result, alarm)).toEqual([[1, A], [2, I], [4, O], [5, I]]);
    expect(result.notifications.map((n) => [n.minute, n.state, n.action])).toEqual([[2, I, ref(stack, noData)], [5, I, ref(stack, noData)]]);
  });
});

describe('notifications of several alarms', () => {
  test('are ordered by minute, and notificationsFor picks one alarm', () => {
    const { stack } = testStack();
    const topic = new sns.Topic(stack, 'Pages');
    const late = simpleAlarm(stack, 'Late', simMetric('Late'));
    const early = simpleAlarm(stack, 'Early', simMetric('Early'));
    const silent = simpleAlarm(stack, 'Silent', simMetric('Silent'));
    late.addAlarmAction(new actions.SnsAction(topic));
    early.addAlarmAction(new actions.SnsAction(topic));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Late'), series(0, 0, 1));
    sim.feed(simMetric('Early'), series(0, 1, 1));
    sim.feed(simMetric('Silent'), series(1, 1, 1));
    const result = sim.run();
    expect(result.notifications.map((n) => [n.minute, n.alarmLogicalId])).toEqual([
      [1, result.logicalIdOf(early)],
      [2, result.logicalIdOf(late)],
    ]);
    expect(sent(result.notificationsFor(late))).toEqual([[2, A]]);
    expect(result.notificationsFor(silent)).toEqual([]);
  });

  test('a composite sends its own actions; its children with no actions send none', () => {
    const { stack } = testStack();
    const topic = new sns.Topic(stack, 'Pages');
    const a = simpleAlarm(stack, 'A', simMetric('A'));
    const b = simpleAlarm(stack, 'B', simMetric('B'));
    const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', {
      compositeAlarmName: 'both',
      alarmRule: AlarmRule.allOf(AlarmRule.fromAlarm(a, AlarmState.ALARM), AlarmRule.fromAlarm(b, AlarmState.ALARM)),
    });
    composite.addAlarmAction(new actions.SnsAction(topic));
    composite.addOkAction(new actions.SnsAction(topic));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('A'), series(1, 1, 1, 0));
    sim.feed(simMetric('B'), series(0, 1, 1, 1));
    const result = sim.run();
    expect(result.notifications.map((n) => [n.minute, n.alarmName, n.state])).toEqual([[0, 'both', O], [1, 'both', A], [3, 'both', O]]);
    expect(result.notificationsFor(a)).toEqual([]);
  });

  test('a composite with actionsEnabled: false sends nothing', () => {
    const { stack } = testStack();
    const a = simpleAlarm(stack, 'A', simMetric('A'));
    const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: AlarmRule.fromAlarm(a, AlarmState.ALARM), actionsEnabled: false });
    composite.addAlarmAction(new actions.SnsAction(new sns.Topic(stack, 'Pages')));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('A'), series(0, 1));
    const result = sim.run();
    expect(changes(result, composite)).toEqual([[0, O], [1, A]]);
    expect(result.notifications).toEqual([]);
  });
});
