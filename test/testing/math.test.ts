import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { A, changes, I, O, series, simMetric, SimpleAlarmOptions, simpleAlarm, timeline } from './helpers';
import { AlarmSimulator, MetricSeries } from '../../src';
import { testStack } from '../support/fixtures';

const { GREATER_THAN_THRESHOLD: GT, LESS_THAN_THRESHOLD: LT } = cloudwatch.ComparisonOperator;
const m = simMetric('M');
const n = simMetric('N');

/** A stack with one alarm on a 1-minute math expression over `m` (Sim/M) and `n` (Sim/N). */
function mathStack(expression: string, options: SimpleAlarmOptions = {}, periodMinutes = 1) {
  const { stack } = testStack();
  const metric = new cloudwatch.MathExpression({ expression, usingMetrics: { m, n }, period: Duration.minutes(periodMinutes) });
  const alarm = simpleAlarm(stack, 'Alarm', metric, { treatMissingData: cloudwatch.TreatMissingData.MISSING, ...options });
  return { stack, alarm };
}

/** Simulate a math alarm fed `mValues` for m and `nValues` (default: 1 every minute) for n. */
function simulate(expression: string, mValues: MetricSeries, options: SimpleAlarmOptions = {}, nValues?: MetricSeries, periodMinutes = 1) {
  const { stack, alarm } = mathStack(expression, options, periodMinutes);
  const sim = AlarmSimulator.fromStack(stack);
  sim.feed(m, mValues);
  sim.feed(n, nValues ?? MetricSeries.constant(1, mValues.length));
  const result = sim.run();
  return { alarm, result, states: timeline(result, alarm) };
}

describe('functions', () => {
  test('IF(c, a, b) picks per minute', () => {
    // m ≥ 3 would alarm in minutes 1, 2 and 3; the IF zeroes minute 2 (4 is not above 5).
    expect(simulate('IF(m > 5, m, 0)', series(1, 6, 4, 10), { threshold: 3 }).states).toEqual([O, A, O, A]);
  });

  test('IF(c, a) without else is missing when the condition is false', () => {
    const { alarm, result, states } = simulate('IF(m > 5, m)', series(1, 6, 4, 10), { threshold: 3 });
    expect(states).toEqual([I, A, I, A]);
    expect(changes(result, alarm)).toEqual([[1, A], [2, I], [3, A]]);
  });

  test('IF with a missing condition is missing', () => {
    expect(simulate('IF(m, 5, 5)', series(1, NaN, 0), { threshold: 5 }).states).toEqual([A, I, A]);
  });

  test('FILL(x, value) replaces missing datapoints', () => {
    expect(simulate('m', series(NaN, 1, NaN), { threshold: 5 }).states).toEqual([I, O, I]);
    expect(simulate('FILL(m, 10)', series(NaN, 1, NaN), { threshold: 5 }).states).toEqual([A, O, A]);
  });

  test('FILL with a negative constant', () => {
    expect(simulate('FILL(m, -1)', series(NaN, 1, NaN), { threshold: 0, comparisonOperator: LT }).states).toEqual([A, O, A]);
  });

  test('ABS', () => {
    expect(simulate('ABS(m)', series(-6, 2, -1, 7), { threshold: 5 }).states).toEqual([A, O, O, A]);
  });

  test('CEIL', () => {
    // CEIL: 2 1 2 -1; without it 1.2 would not reach 2.
    expect(simulate('CEIL(m)', series(1.2, 0.5, 2, -1.5), { threshold: 2 }).states).toEqual([A, O, A, O]);
  });

  test('FLOOR', () => {
    // FLOOR: 1 2 3 -2; without it 1.9 would exceed 1.5.
    expect(simulate('FLOOR(m)', series(1.9, 2.1, 3, -1.5), { threshold: 1.5, comparisonOperator: GT }).states).toEqual([O, A, A, O]);
  });

  test('functions propagate missing datapoints', () => {
    expect(simulate('ABS(m) + CEIL(m) + FLOOR(m)', series(NaN, 1), { threshold: 3 }).states).toEqual([I, A]);
  });
});

describe('comparisons and logic (1 for true, 0 for false)', () => {
  // m = 1 2 3, n = 2 2 2; the alarm fires when the expression is 1.
  test.each([
    ['m < n', [A, O, O]],
    ['m <= n', [A, A, O]],
    ['m > n', [O, O, A]],
    ['m >= n', [O, A, A]],
    ['m == n', [O, A, O]],
    ['m != n', [A, O, A]],
  ])('%s', (expression, expected) => {
    expect(simulate(expression, series(1, 2, 3), { threshold: 1 }, series(2, 2, 2)).states).toEqual(expected);
  });

  test('a comparison equals exactly 1 when true', () => {
    expect(simulate('m > n', series(1, 3), { threshold: 1, comparisonOperator: GT }, series(2, 2)).states).toEqual([O, O]);
  });

  // m = 0 1 0 1, n = 0 0 1 1.
  test.each([
    ['m AND n', [O, O, O, A]],
    ['m && n', [O, O, O, A]],
    ['m OR n', [O, A, A, A]],
    ['m || n', [O, A, A, A]],
    ['NOT m', [A, O, A, O]],
    ['!m', [A, O, A, O]],
    ['NOT (m OR n)', [A, O, O, O]],
    // AND binds tighter than OR: m OR (n AND 0) = m.
    ['m OR n AND 0', [O, A, O, A]],
    ['(m OR n) AND 0', [O, O, O, O]],
  ])('%s', (expression, expected) => {
    expect(simulate(expression, series(0, 1, 0, 1), { threshold: 1 }, series(0, 0, 1, 1)).states).toEqual(expected);
  });

  test('any non-zero value is true', () => {
    expect(simulate('m AND n', series(-2, 0.5), { threshold: 1 }, series(7, 3)).states).toEqual([A, A]);
  });

  test('logic on a missing datapoint is missing', () => {
    expect(simulate('m OR n', series(NaN, 1), { threshold: 1 }, series(1, 1)).states).toEqual([I, A]);
  });
});

describe('arithmetic', () => {
  test('precedence: ^ before * and /, before + and -', () => {
    // 2 + m · n^2 = 2 + 1 · 9 = 11.
    expect(simulate('2 + m * n ^ 2', series(1), { threshold: 11 }, series(3)).states).toEqual([A]);
    expect(simulate('2 + m * n ^ 2', series(1), { threshold: 11, comparisonOperator: GT }, series(3)).states).toEqual([O]);
    // (2 + 1) · 3 − 8 / 2 = 5.
    expect(simulate('(2 + m) * n - 8 / 2', series(1), { threshold: 5 }, series(3)).states).toEqual([A]);
    expect(simulate('(2 + m) * n - 8 / 2', series(1), { threshold: 5, comparisonOperator: GT }, series(3)).states).toEqual([O]);
  });

  test('unary minus and plus', () => {
    expect(simulate('-m', series(-3, 3), { threshold: 3 }).states).toEqual([A, O]);
    expect(simulate('+m - -n', series(1, 3), { threshold: 3 }, series(1, 1)).states).toEqual([O, A]);
  });

  test('a missing operand makes the result missing', () => {
    expect(simulate('m + n', series(1, 1, 1), { threshold: 1 }, series(1, NaN, 1)).states).toEqual([A, I, A]);
  });

  test('division by zero is a missing datapoint, not Infinity', () => {
    // m/n: 1, 1/0 = Infinity, 0/0 = NaN. Infinity would breach; missing does not.
    expect(simulate('m / n', series(1, 1, 0), { threshold: 1 }, series(1, 0, 0)).states).toEqual([A, I, I]);
    expect(simulate('FILL(m / n, 0)', series(1, 1, 0), { threshold: 1 }, series(1, 0, 0)).states).toEqual([A, O, O]);
    expect(simulate('m / n', series(1, 1, 0), { threshold: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING }, series(1, 0, 0)).states)
      .toEqual([A, O, O]);
    expect(simulate('m / n', series(1, 1, 0), { threshold: 1, treatMissingData: cloudwatch.TreatMissingData.BREACHING }, series(1, 0, 0)).states)
      .toEqual([A, A, A]);
  });

  test('metrics of an expression are aggregated over the expression period', () => {
    // 2-minute sums of m: 1 2 2 → × 2 = 2 4 4.
    expect(simulate('m * 2', series(1, 1, 1), { threshold: 4 }, undefined, 2).states).toEqual([O, A, A]);
  });

  test('an error rate in percent', () => {
    // 100·m/n with m = errors, n = requests: 0.5 %, 2 %, no requests.
    expect(simulate('100 * m / n', series(1, 4, 0), { threshold: 1, comparisonOperator: GT }, series(200, 200, 0)).states)
      .toEqual([O, A, I]);
  });
});

describe('expressions the simulator refuses', () => {
  const build = (expression: string) => () => AlarmSimulator.fromStack(mathStack(expression).stack);

  test('an unsupported function throws when the simulator is built, naming it and the supported ones', () => {
    expect(build('RATE(m)')).toThrow(/function RATE is not supported by the simulator \(supported: IF, FILL, ABS, CEIL, FLOOR, SERVICE_QUOTA\)/);
    expect(build('RATE(m)')).toThrow(/in metric math 'RATE\(m\)'/);
  });

  test.each(['SUM(METRICS())', 'RUNNING_SUM(m)', 'LOG(m)', 'MAX(m)', 'PERIOD(m)'])('%s throws', (expression) => {
    const fn = expression.split('(')[0];
    expect(build(expression)).toThrow(new RegExp(`function ${fn} is not supported by the simulator`));
  });

  test('FILL(m, REPEAT) throws', () => {
    expect(build('FILL(m, REPEAT)')).toThrow(/REPEAT/);
    expect(build('FILL(m, LINEAR)')).toThrow(/LINEAR/);
  });

  // Regression: REPEAT and LINEAR are fill modes, not functions, and get the FILL-specific message.
  test('FILL(m, REPEAT) explains that only constant fill values are simulated', () => {
    expect(build('FILL(m, REPEAT)')).toThrow(/FILL is only simulated with a constant fill value/);
  });

  test('FILL with a metric as the fill value throws', () => {
    expect(build('FILL(m, n)')).toThrow(/FILL is only simulated with a constant fill value/);
  });

  test('wrong arity', () => {
    expect(build('IF(m)')).toThrow(/IF takes 2 or 3 arguments/);
    expect(build('FILL(m)')).toThrow(/FILL takes 2 arguments/);
    expect(build('ABS(m, n)')).toThrow(/ABS takes 1 argument/);
  });

  test('strings and unknown characters', () => {
    expect(build('m + "x"')).toThrow(/unsupported character '"'/);
    expect(build('MAX([m, n])')).toThrow(/unsupported character '\['.*strings and SEARCH are not simulated/);
  });

  test('syntax errors', () => {
    expect(build('m +')).toThrow(/unexpected end in metric math 'm \+'/);
    expect(build('(m + n')).toThrow(/expected '\)'/);
    expect(build('m n')).toThrow(/unexpected 'n'/);
    expect(build('m + )')).toThrow(/unexpected '\)'/);
  });

  test('an id that is not a query of the alarm', () => {
    expect(build('m + x')).toThrow(/expression '\w+' references unknown id 'x'/);
  });

  test('feeding a math expression instead of its metrics', () => {
    const { stack } = mathStack('m + n');
    const sim = AlarmSimulator.fromStack(stack);
    expect(() => sim.feed(new cloudwatch.MathExpression({ expression: 'm + n', usingMetrics: { m, n } }), series(1)))
      .toThrow(/AlarmSimulator.feed needs a plain metric/);
  });
});

describe('several alarms sharing metrics', () => {
  test('each alarm evaluates its own expression over the same series', () => {
    const { stack } = testStack();
    const ratio = new cloudwatch.MathExpression({ expression: 'm / n', usingMetrics: { m, n }, period: Duration.minutes(1) });
    const sum = new cloudwatch.MathExpression({ expression: 'm + n', usingMetrics: { m, n }, period: Duration.minutes(1) });
    const ratioAlarm = simpleAlarm(stack, 'Ratio', ratio, { threshold: 0.5 });
    const sumAlarm = simpleAlarm(stack, 'Sum', sum, { threshold: 10 });
    const plain = simpleAlarm(stack, 'Plain', m, { threshold: 3 });
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(m, series(1, 3, 6));
    sim.feed(n, series(4, 4, 4));
    const result = sim.run();
    expect(timeline(result, ratioAlarm)).toEqual([O, A, A]);
    expect(timeline(result, sumAlarm)).toEqual([O, O, A]);
    expect(timeline(result, plain)).toEqual([O, A, A]);
  });
});
