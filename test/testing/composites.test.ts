import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmRule, AlarmState, AtLeastThreshold, IAlarmRule } from 'aws-cdk-lib/aws-cloudwatch';
import { A, changes, I, O, series, simMetric, simpleAlarm, timeline } from './helpers';
import { AlarmSimulator } from '../../src';
import { testStack } from '../support/fixtures';

/**
 * Four metric alarms, each `>= 1` over one minute:
 *   a = [O, A, O, A, A]   b = [O, O, A, A, O]   c = [O, O, O, A, A]   (missing data not breaching)
 *   d = [I, O, I, A, I]   (missing data → INSUFFICIENT_DATA)
 */
interface Children { a: cloudwatch.Alarm; b: cloudwatch.Alarm; c: cloudwatch.Alarm; d: cloudwatch.Alarm }

function children(stack: Stack): Children {
  return {
    a: simpleAlarm(stack, 'A', simMetric('A')),
    b: simpleAlarm(stack, 'B', simMetric('B')),
    c: simpleAlarm(stack, 'C', simMetric('C')),
    d: simpleAlarm(stack, 'D', simMetric('D'), { treatMissingData: cloudwatch.TreatMissingData.MISSING }),
  };
}

function feedChildren(sim: AlarmSimulator): void {
  sim.feed(simMetric('A'), series(0, 1, 0, 1, 1));
  sim.feed(simMetric('B'), series(0, 0, 1, 1, 0));
  sim.feed(simMetric('C'), series(0, 0, 0, 1, 1));
  sim.feed(simMetric('D'), series(NaN, 0, NaN, 1, NaN));
}

/** Simulate one composite alarm with the rule built from the children. */
function simulate(rule: (x: Children) => IAlarmRule) {
  const { stack } = testStack();
  const x = children(stack);
  const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: rule(x) });
  const sim = AlarmSimulator.fromStack(stack);
  feedChildren(sim);
  const result = sim.run();
  return { ...x, composite, result, states: timeline(result, composite) };
}

const alarm = (a: cloudwatch.IAlarm) => AlarmRule.fromAlarm(a, AlarmState.ALARM);

describe('the children', () => {
  test('have the timelines the composite tests rely on', () => {
    const { a, b, c, d, result } = simulate(() => AlarmRule.fromBoolean(false));
    expect(timeline(result, a)).toEqual([O, A, O, A, A]);
    expect(timeline(result, b)).toEqual([O, O, A, A, O]);
    expect(timeline(result, c)).toEqual([O, O, O, A, A]);
    expect(timeline(result, d)).toEqual([I, O, I, A, I]);
  });
});

describe('AND, OR, NOT', () => {
  test('allOf: ALARM in the same minute both children are', () => {
    const { composite, result, states } = simulate(({ a, b }) => AlarmRule.allOf(alarm(a), alarm(b)));
    expect(states).toEqual([O, O, O, A, O]);
    expect(result.transitions(composite)).toEqual([
      { minute: 0, state: O, previousState: I },
      { minute: 3, state: A, previousState: O },
      { minute: 4, state: O, previousState: A },
    ]);
  });

  test('anyOf', () => {
    expect(simulate(({ a, b }) => AlarmRule.anyOf(alarm(a), alarm(b))).states).toEqual([O, A, A, A, A]);
  });

  test('not', () => {
    expect(simulate(({ a }) => AlarmRule.not(alarm(a))).states).toEqual([A, O, A, O, O]);
  });

  test('nested: (a AND b) OR NOT c', () => {
    expect(simulate(({ a, b, c }) => AlarmRule.anyOf(AlarmRule.allOf(alarm(a), alarm(b)), AlarmRule.not(alarm(c)))).states)
      .toEqual([A, A, A, A, O]);
  });

  test('NOT of INSUFFICIENT_DATA is true: NOT ALARM(d) is ALARM while d has no data', () => {
    expect(simulate(({ d }) => AlarmRule.not(alarm(d))).states).toEqual([A, A, A, O, A]);
  });
});

describe('TRUE and FALSE', () => {
  test('fromBoolean(true) is ALARM from minute 0', () => {
    const { composite, result, states } = simulate(() => AlarmRule.fromBoolean(true));
    expect(states).toEqual([A, A, A, A, A]);
    expect(changes(result, composite)).toEqual([[0, A]]);
  });

  test('fromBoolean(false) is OK from minute 0', () => {
    const { composite, result, states } = simulate(() => AlarmRule.fromBoolean(false));
    expect(states).toEqual([O, O, O, O, O]);
    expect(changes(result, composite)).toEqual([[0, O]]);
  });

  test('combined with alarms', () => {
    expect(simulate(({ a }) => AlarmRule.anyOf(AlarmRule.fromBoolean(false), AlarmRule.allOf(AlarmRule.fromBoolean(true), alarm(a)))).states)
      .toEqual([O, A, O, A, A]);
  });
});

describe('OK and INSUFFICIENT_DATA states', () => {
  test('OK(d)', () => {
    expect(simulate(({ d }) => AlarmRule.fromAlarm(d, AlarmState.OK)).states).toEqual([O, A, O, O, O]);
  });

  test('INSUFFICIENT_DATA(d)', () => {
    expect(simulate(({ d }) => AlarmRule.fromAlarm(d, AlarmState.INSUFFICIENT_DATA)).states).toEqual([A, O, A, O, A]);
  });
});

describe('AT_LEAST', () => {
  // ALARM counts among a, b, c per minute: 0 1 1 3 2.
  test('a count: at least 2 of 3 in ALARM', () => {
    expect(simulate(({ a, b, c }) => AlarmRule.atLeast(AlarmState.ALARM, { operands: [a, b, c], threshold: AtLeastThreshold.count(2) })).states)
      .toEqual([O, O, O, A, A]);
  });

  test('a count: at least 3 of 3 in ALARM', () => {
    expect(simulate(({ a, b, c }) => AlarmRule.atLeast(AlarmState.ALARM, { operands: [a, b, c], threshold: AtLeastThreshold.count(3) })).states)
      .toEqual([O, O, O, A, O]);
  });

  test.each([
    // 1 of 3 is 33.3 %: enough for 33 %, not for 34 %.
    [33, [O, A, A, A, A]],
    [34, [O, O, O, A, A]],
    [66, [O, O, O, A, A]],
    [67, [O, O, O, A, O]],
    [100, [O, O, O, A, O]],
  ])('a percentage: at least %s %% of 3 in ALARM', (percentage, expected) => {
    const threshold = AtLeastThreshold.percentage(percentage as number);
    expect(simulate(({ a, b, c }) => AlarmRule.atLeast(AlarmState.ALARM, { operands: [a, b, c], threshold })).states).toEqual(expected);
  });

  test('NOT a state: at least 2 of a, d not OK (INSUFFICIENT_DATA counts)', () => {
    // not OK: a 0 1 0 1 1, d 1 0 1 1 1 → 1 1 1 2 2.
    expect(simulate(({ a, d }) => AlarmRule.atLeastNot(AlarmState.OK, { operands: [a, d], threshold: AtLeastThreshold.count(2) })).states)
      .toEqual([O, O, O, A, A]);
    // ALARM only: a 0 1 0 1 1, d 0 0 0 1 0 → 0 1 0 2 1.
    expect(simulate(({ a, d }) => AlarmRule.atLeast(AlarmState.ALARM, { operands: [a, d], threshold: AtLeastThreshold.count(2) })).states)
      .toEqual([O, O, O, A, O]);
  });

  test('NOT ALARM as a percentage', () => {
    // not ALARM among a, b, c: 3 2 2 0 1; 50 % of 3 needs 2.
    const threshold = AtLeastThreshold.percentage(50);
    expect(simulate(({ a, b, c }) => AlarmRule.atLeastNot(AlarmState.ALARM, { operands: [a, b, c], threshold })).states).toEqual([A, A, A, O, O]);
  });

  test('INSUFFICIENT_DATA', () => {
    expect(simulate(({ a, d }) => AlarmRule.atLeast(AlarmState.INSUFFICIENT_DATA, { operands: [a, d], threshold: AtLeastThreshold.count(1) })).states)
      .toEqual([A, O, A, O, A]);
  });
});

describe('composite of composites', () => {
  test('the outer composite sees the inner one in the same minute', () => {
    const { stack } = testStack();
    const { a, b } = children(stack);
    const inner = new cloudwatch.CompositeAlarm(stack, 'Inner', { alarmRule: AlarmRule.allOf(alarm(a), alarm(b)) });
    // NOT inner AND a: inner = [O, O, O, A, O].
    const outer = new cloudwatch.CompositeAlarm(stack, 'Outer', { alarmRule: AlarmRule.allOf(AlarmRule.not(alarm(inner)), alarm(a)) });
    const okOfInner = new cloudwatch.CompositeAlarm(stack, 'OkOfInner', { alarmRule: AlarmRule.fromAlarm(inner, AlarmState.OK) });
    const sim = AlarmSimulator.fromStack(stack);
    feedChildren(sim);
    const result = sim.run();
    expect(timeline(result, inner)).toEqual([O, O, O, A, O]);
    expect(timeline(result, outer)).toEqual([O, A, O, O, A]);
    expect(timeline(result, okOfInner)).toEqual([A, A, A, O, A]);
  });
});

describe('rules written by hand (AlarmRule.fromString)', () => {
  const ref = (a: cloudwatch.IAlarm) => `"${a.alarmArn}"`;

  test('AND binds tighter than OR', () => {
    // a OR (b AND c) = [O, A, O, A, A]; (a OR b) AND c would be [O, O, O, A, A].
    expect(simulate(({ a, b, c }) => AlarmRule.fromString(`ALARM(${ref(a)}) OR ALARM(${ref(b)}) AND ALARM(${ref(c)})`)).states)
      .toEqual([O, A, O, A, A]);
    expect(simulate(({ a, b, c }) => AlarmRule.fromString(`(ALARM(${ref(a)}) OR ALARM(${ref(b)})) AND ALARM(${ref(c)})`)).states)
      .toEqual([O, O, O, A, A]);
  });

  test('NOT binds tighter than AND', () => {
    // (NOT a) AND b = [O, O, A, O, O]; NOT (a AND b) would be [A, A, A, O, A].
    expect(simulate(({ a, b }) => AlarmRule.fromString(`NOT ALARM(${ref(a)}) AND ALARM(${ref(b)})`)).states).toEqual([O, O, A, O, O]);
    expect(simulate(({ a, b }) => AlarmRule.fromString(`NOT (ALARM(${ref(a)}) AND ALARM(${ref(b)}))`)).states).toEqual([A, A, A, O, A]);
  });

  test('unquoted and single-quoted references, TRUE and FALSE, extra whitespace', () => {
    expect(simulate(({ a }) => AlarmRule.fromString(`FALSE OR (TRUE AND ALARM(${a.alarmArn}))`)).states).toEqual([O, A, O, A, A]);
    expect(simulate(({ a }) => AlarmRule.fromString(`  ALARM( '${a.alarmArn}' )  `)).states).toEqual([O, A, O, A, A]);
  });

  test('AT_LEAST written by hand', () => {
    expect(simulate(({ a, b, c }) => AlarmRule.fromString(`AT_LEAST(2, NOT OK, (${ref(a)}, ${ref(b)}, ${ref(c)}))`)).states)
      .toEqual([O, O, O, A, A]);
  });

  test.each([
    ['ALARM(A) XOR ALARM(B)', /unexpected 'XOR ALARM\(B\)'/],
    ['MAYBE(A)', /unsupported keyword 'MAYBE'/],
    ['ALARM(A', /expected '\)'/],
    ['AT_LEAST(2, SOMETIMES, (A, B))', /expected ALARM, OK or INSUFFICIENT_DATA, got 'SOMETIMES'/],
    ['AT_LEAST(many, ALARM, (A, B))', /expected a count or percentage/],
    ['ALARM("A)', /unterminated quoted alarm reference/],
    ['', /unexpected 'end of rule'/],
  ])('%s does not parse', (rule, message) => {
    const { stack } = testStack();
    children(stack);
    new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: AlarmRule.fromString(rule) });
    expect(() => AlarmSimulator.fromStack(stack)).toThrow(message);
  });

  test('a reference to an alarm that is not in the stack', () => {
    const { stack } = testStack();
    new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: AlarmRule.fromString('ALARM(elsewhere)') });
    expect(() => AlarmSimulator.fromStack(stack)).toThrow(/references alarm 'elsewhere', which is not in the template/);
  });

  test('an imported alarm is not in the template either', () => {
    const { stack } = testStack();
    const imported = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:other-stack-alarm');
    new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: alarm(imported) });
    expect(() => AlarmSimulator.fromStack(stack))
      .toThrow(/references alarm 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:other-stack-alarm', which is not in the template/);
  });
});
