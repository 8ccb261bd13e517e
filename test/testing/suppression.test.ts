import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmRule, AlarmState } from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { A, O, pulse, sent, simMetric, simpleAlarm, timeline } from './helpers';
import { AlarmSimulator, MetricSeries } from '../../src';
import { testStack } from '../support/fixtures';

/**
 * A composite `ALARM(child)` whose actions are suppressed by `suppressor` (both metric alarms `>= 1` over a minute),
 * with an SNS action for ALARM and, unless `okActions` is false, one for OK.
 */
interface Scenario {
  readonly child: MetricSeries;
  readonly suppressor: MetricSeries;
  readonly waitPeriod?: Duration;
  readonly extensionPeriod?: Duration;
  readonly okActions?: boolean;
}

function build(stack: Stack, s: Scenario, suppressor?: cloudwatch.IAlarm) {
  const child = simpleAlarm(stack, 'Child', simMetric('Child'));
  const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', {
    compositeAlarmName: 'service-page',
    alarmRule: AlarmRule.fromAlarm(child, AlarmState.ALARM),
    actionsSuppressor: suppressor ?? simpleAlarm(stack, 'Suppressor', simMetric('Suppressor')),
    actionsSuppressorWaitPeriod: s.waitPeriod,
    actionsSuppressorExtensionPeriod: s.extensionPeriod,
  });
  const pages = new sns.Topic(stack, 'Pages');
  composite.addAlarmAction(new actions.SnsAction(pages));
  if (s.okActions !== false) composite.addOkAction(new actions.SnsAction(new sns.Topic(stack, 'Recoveries')));
  return { composite, pages };
}

function simulate(s: Scenario) {
  const { stack } = testStack();
  const { composite, pages } = build(stack, s);
  const sim = AlarmSimulator.fromStack(stack);
  sim.feed(simMetric('Child'), s.child);
  sim.feed(simMetric('Suppressor'), s.suppressor);
  const result = sim.run();
  return { stack, composite, pages, result, sent: sent(result.notificationsFor(composite)) };
}

const minutes = (n: number) => Duration.minutes(n);
const quiet = (length: number) => MetricSeries.constant(0, length);

describe('wait period', () => {
  test('delays the ALARM actions by exactly the wait; the state itself is not delayed', () => {
    // Child in ALARM during minutes 5-14; the suppressor never alarms. Wait 3 minutes: actions at 5 + 3 = 8.
    const { composite, result, sent: actionsRun } = simulate({
      child: pulse(20, 5, 15), suppressor: quiet(20), waitPeriod: minutes(3), extensionPeriod: minutes(2),
    });
    expect(result.firstMinuteInState(composite, A)).toBe(5);
    expect(actionsRun).toEqual([[0, O], [8, A], [15, O]]);
  });

  test('without a suppressor the ALARM actions run in the minute the composite enters ALARM', () => {
    const { stack } = testStack();
    const child = simpleAlarm(stack, 'Child', simMetric('Child'));
    const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: AlarmRule.fromAlarm(child, AlarmState.ALARM) });
    composite.addAlarmAction(new actions.SnsAction(new sns.Topic(stack, 'Pages')));
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Child'), pulse(20, 5, 15));
    expect(sent(sim.run().notificationsFor(composite))).toEqual([[5, A]]);
  });

  test('is rounded up to whole minutes: 90 s waits 2 minutes', () => {
    const { sent: actionsRun } = simulate({ child: pulse(20, 5, 15), suppressor: quiet(20), waitPeriod: Duration.seconds(90) });
    expect(actionsRun).toEqual([[0, O], [7, A], [15, O]]);
  });

  test('defaults to 1 minute (CDK renders 60 s)', () => {
    const { sent: actionsRun } = simulate({ child: pulse(20, 5, 15), suppressor: quiet(20) });
    expect(actionsRun).toEqual([[0, O], [6, A], [15, O]]);
  });

  test('a wait of 0 does not delay', () => {
    const { sent: actionsRun } = simulate({ child: pulse(20, 5, 15), suppressor: quiet(20), waitPeriod: Duration.seconds(0) });
    expect(actionsRun).toEqual([[0, O], [5, A], [15, O]]);
  });

  test('does not delay OK actions', () => {
    // The OK transition at 15 runs at once, although the wait is long.
    const { sent: actionsRun } = simulate({ child: pulse(20, 5, 15), suppressor: quiet(20), waitPeriod: minutes(4) });
    expect(actionsRun).toEqual([[0, O], [9, A], [15, O]]);
  });

  test('a flap shorter than the wait only runs the actions of the current state (OK) when the wait ends', () => {
    // ALARM in minutes 5-6, OK from 7; the wait ends at 8 with the composite OK.
    const { sent: actionsRun } = simulate({ child: pulse(12, 5, 7), suppressor: quiet(12), waitPeriod: minutes(3) });
    expect(actionsRun).toEqual([[0, O], [8, O]]);
  });

  test('a flap shorter than the wait without OK actions sends nothing', () => {
    const { sent: actionsRun } = simulate({ child: pulse(12, 5, 7), suppressor: quiet(12), waitPeriod: minutes(3), okActions: false });
    expect(actionsRun).toEqual([]);
  });
});

describe('suppressor in ALARM', () => {
  test('going ALARM during the wait suppresses; the composite acts when the extension after it ends', () => {
    // Child ALARM 5-14; wait 3 → until 8; suppressor ALARM 7-9 → suppressed; OK at 10 → extension 2 → act at 12.
    const { composite, result, sent: actionsRun } = simulate({
      child: pulse(20, 5, 15), suppressor: pulse(20, 7, 10), waitPeriod: minutes(3), extensionPeriod: minutes(2),
    });
    expect(actionsRun).toEqual([[0, O], [12, A], [15, O]]);
    expect(timeline(result, composite).slice(4, 16)).toEqual([O, A, A, A, A, A, A, A, A, A, A, O]);
  });

  test('going ALARM in the same minute as the composite suppresses at once', () => {
    // Both ALARM at 5; suppressor OK at 8 → extension 2 → act at 10.
    const { sent: actionsRun } = simulate({
      child: pulse(20, 5, 15), suppressor: pulse(20, 5, 8), waitPeriod: minutes(3), extensionPeriod: minutes(2),
    });
    expect(actionsRun).toEqual([[0, O], [10, A], [15, O]]);
  });

  test('already in ALARM: the composite acts on ALARM when the extension ends', () => {
    // Suppressor ALARM 2-6; composite ALARM 4-19 (suppressed); suppressor OK at 7 → extension 4 → act at 11.
    const { sent: actionsRun } = simulate({
      child: pulse(22, 4, 20), suppressor: pulse(22, 2, 7), waitPeriod: minutes(3), extensionPeriod: minutes(4),
    });
    expect(actionsRun).toEqual([[0, O], [11, A], [20, O]]);
  });

  test('an incident entirely under the suppressor never pages; OK actions run when the extension ends', () => {
    // Composite ALARM 5-14, suppressor ALARM 7-17. At 18 the suppressor is OK → extension 2 → at 20 the composite is
    // OK, so it runs its OK actions — and never its ALARM actions.
    const { sent: actionsRun } = simulate({
      child: pulse(25, 5, 15), suppressor: pulse(25, 7, 18), waitPeriod: minutes(3), extensionPeriod: minutes(2),
    });
    expect(actionsRun).toEqual([[0, O], [20, O]]);
  });

  test('the same incident without OK actions sends nothing at all', () => {
    const { sent: actionsRun } = simulate({
      child: pulse(25, 5, 15), suppressor: pulse(25, 7, 18), waitPeriod: minutes(3), extensionPeriod: minutes(2), okActions: false,
    });
    expect(actionsRun).toEqual([]);
  });

  test('the extension keeps suppressing a composite that enters ALARM after the suppressor recovered', () => {
    // Suppressor ALARM 2-3, OK at 4 → extension 3 until 7. Composite ALARM at 5 (during the extension) → acts at 7.
    const { sent: actionsRun } = simulate({
      child: pulse(12, 5, 12), suppressor: pulse(12, 2, 4), waitPeriod: minutes(1), extensionPeriod: minutes(3),
    });
    expect(actionsRun).toEqual([[0, O], [7, A]]);
  });

  test('a suppressor flapping while the composite is steady sends nothing', () => {
    const { sent: actionsRun } = simulate({ child: quiet(12), suppressor: pulse(12, 2, 4), extensionPeriod: minutes(2) });
    expect(actionsRun).toEqual([[0, O]]);
  });

  test('the suppressor may be a composite defined after the composite it suppresses (referenced by ARN)', () => {
    const { stack } = testStack();
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:maintenance';
    const { composite } = build(stack, { child: quiet(1), suppressor: quiet(1), waitPeriod: minutes(3), extensionPeriod: minutes(2) },
      cloudwatch.CompositeAlarm.fromCompositeAlarmArn(stack, 'MaintenanceRef', arn));
    const window = simpleAlarm(stack, 'Window', simMetric('Suppressor'));
    new cloudwatch.CompositeAlarm(stack, 'Maintenance', { compositeAlarmName: 'maintenance', alarmRule: AlarmRule.fromAlarm(window, AlarmState.ALARM) });
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(simMetric('Child'), pulse(20, 5, 15));
    sim.feed(simMetric('Suppressor'), pulse(20, 7, 10));
    // As in the first test of this block: suppressed from 7, the suppressor composite is OK at 10, acts at 12.
    expect(sent(sim.run().notificationsFor(composite))).toEqual([[0, O], [12, A], [15, O]]);
  });
});

describe('notifications of a suppressed composite', () => {
  test('name the composite and render the SNS topic as ${LogicalId}', () => {
    const { stack, composite, pages, result } = simulate({
      child: pulse(20, 5, 15), suppressor: quiet(20), waitPeriod: minutes(3), okActions: false,
    });
    const topicId = stack.resolve((pages.node.defaultChild as sns.CfnTopic).logicalId);
    expect(result.notificationsFor(composite)).toEqual([
      { minute: 8, alarmLogicalId: result.logicalIdOf(composite), alarmName: 'service-page', state: A, action: `\${${topicId}}` },
    ]);
  });
});

describe('a period ending in the minute the composite changes', () => {
  // Suppressor in ALARM during minutes 2-4, so the 2-minute extension runs from 5 and ends at minute 7.
  const base = { suppressor: pulse(20, 2, 5), waitPeriod: minutes(2), extensionPeriod: minutes(2), okActions: false };

  test('a transition pending from inside the extension runs when it ends (ALARM at 6 acts at 7)', () => {
    expect(simulate({ ...base, child: pulse(20, 6, 15) }).sent).toEqual([[7, A]]);
  });

  test('a transition in the minute the extension ends is judged after it ends, so it waits (ALARM at 7 acts at 9)', () => {
    expect(simulate({ ...base, child: pulse(20, 7, 15) }).sent).toEqual([[9, A]]);
  });

  test('a transition after the extension waits as usual (ALARM at 8 acts at 10)', () => {
    expect(simulate({ ...base, child: pulse(20, 8, 15) }).sent).toEqual([[10, A]]);
  });
});
