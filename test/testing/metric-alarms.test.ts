import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { A, changes, I, O, pulse, series, simMetric, SimpleAlarmOptions, simpleAlarm, timeline } from './helpers';
import { AlarmSimulator, MetricSeries } from '../../src';
import { testStack } from '../support/fixtures';

const { GREATER_THAN_OR_EQUAL_TO_THRESHOLD: GTE, GREATER_THAN_THRESHOLD: GT, LESS_THAN_THRESHOLD: LT, LESS_THAN_OR_EQUAL_TO_THRESHOLD: LTE } =
  cloudwatch.ComparisonOperator;

/** One alarm on `Sim/Errors` (Sum over `periodMinutes`), fed `data`. */
function simulate(data: MetricSeries, periodMinutes: number, options: SimpleAlarmOptions = {}, minutes?: number) {
  const { stack } = testStack();
  const metric = simMetric('Errors', 'Sum', periodMinutes);
  const alarm = simpleAlarm(stack, 'Alarm', metric, options);
  const sim = AlarmSimulator.fromStack(stack);
  sim.feed(metric, data);
  return { alarm, result: sim.run(minutes === undefined ? {} : { minutes }) };
}

describe('Sum alarm with a 5-minute period, step input', () => {
  // 40 minutes: 0 errors per minute, then 5 per minute during minutes 10-19, then 0 again.
  // The 5-minute window [t-4, t] holds 5 × |[t-4, t] ∩ [10, 19]| errors:
  // t=10: 5, t=11: 10, t=12: 15 ... t=21: 15, t=22: 10, t=23: 5, t=24: 0.
  const step = pulse(40, 10, 20, 5);

  test('>= 10: ALARM in minute 11 (the second minute of the step), OK in minute 23', () => {
    const { alarm, result } = simulate(step, 5, { threshold: 10, comparisonOperator: GTE });
    expect(changes(result, alarm)).toEqual([[0, O], [11, A], [23, O]]);
    expect(result.stateAt(alarm, 10)).toBe(O);
    expect(result.stateAt(alarm, 11)).toBe(A);
    expect(result.stateAt(alarm, 22)).toBe(A);
    expect(result.stateAt(alarm, 23)).toBe(O);
    expect(result.firstMinuteInState(alarm, A)).toBe(11);
    expect(result.firstMinuteInState(alarm, O, 12)).toBe(23);
    expect(result.minutesInState(alarm, A)).toBe(12);
    expect(result.minutesInState(alarm, A, 20, 30)).toBe(3);
  });

  test('transitions carry the previous state', () => {
    const { alarm, result } = simulate(step, 5, { threshold: 10, comparisonOperator: GTE });
    expect(result.transitions(alarm)).toEqual([
      { minute: 0, state: O, previousState: I },
      { minute: 11, state: A, previousState: O },
      { minute: 23, state: O, previousState: A },
    ]);
  });

  test('> 10: ALARM in minute 12, OK in minute 22', () => {
    const { alarm, result } = simulate(step, 5, { threshold: 10, comparisonOperator: GT });
    expect(changes(result, alarm)).toEqual([[0, O], [12, A], [22, O]]);
  });

  test('< 5: ALARM while the window holds less than 5 errors', () => {
    const { alarm, result } = simulate(step, 5, { threshold: 5, comparisonOperator: LT });
    expect(changes(result, alarm)).toEqual([[0, A], [10, O], [24, A]]);
  });

  test('<= 5: ALARM while the window holds at most 5 errors', () => {
    const { alarm, result } = simulate(step, 5, { threshold: 5, comparisonOperator: LTE });
    expect(changes(result, alarm)).toEqual([[0, A], [11, O], [23, A]]);
  });

  test('2 evaluation periods of 5 minutes look at windows ending at t and t-5', () => {
    // The window sum is >= 10 for t in [11, 22]; both t and t-5 are in it for t in [16, 22].
    const { alarm, result } = simulate(step, 5, { threshold: 10, comparisonOperator: GTE, evaluationPeriods: 2 });
    expect(changes(result, alarm)).toEqual([[0, O], [16, A], [23, O]]);
  });

  test('windows reaching before minute 0 only hold the minutes simulated', () => {
    // 3 per minute: the window sums are 3, 6, 9, 12 in minutes 0-3.
    const { alarm, result } = simulate(MetricSeries.constant(3, 6), 5, { threshold: 10, comparisonOperator: GTE });
    expect(changes(result, alarm)).toEqual([[0, O], [3, A]]);
  });

  test('a window is missing only when none of its minutes has a datapoint', () => {
    const data = series(NaN, NaN, 4, NaN, NaN, NaN, NaN, NaN);
    const { alarm, result } = simulate(data, 3, { threshold: 4, treatMissingData: cloudwatch.TreatMissingData.MISSING });
    // Minute 2's datapoint is in the 3-minute windows ending at 2, 3 and 4.
    expect(timeline(result, alarm)).toEqual([I, I, A, A, A, I, I, I]);
  });

  test('run({ minutes }) simulates past the end of the series as missing data', () => {
    const { alarm, result } = simulate(series(1, 1), 1, { treatMissingData: cloudwatch.TreatMissingData.MISSING }, 4);
    expect(result.minutes).toBe(4);
    expect(timeline(result, alarm)).toEqual([A, A, I, I]);
  });

  test('run({ minutes }) can stop before the end of the series', () => {
    const { alarm, result } = simulate(series(0, 0, 1, 1), 1, {}, 2);
    expect(result.minutes).toBe(2);
    expect(timeline(result, alarm)).toEqual([O, O]);
  });
});

describe('TreatMissingData', () => {
  // 1-minute period, one evaluation period, alarm when >= 1; minutes 0, 1, 4 and 5 have no datapoint.
  const gappy = series(NaN, NaN, 0, 5, NaN, NaN, 0);
  const run = (treatMissingData: cloudwatch.TreatMissingData) => simulate(gappy, 1, { treatMissingData });

  test('missing: INSUFFICIENT_DATA from the start and whenever the window is empty', () => {
    const { alarm, result } = run(cloudwatch.TreatMissingData.MISSING);
    expect(timeline(result, alarm)).toEqual([I, I, O, A, I, I, O]);
    expect(result.transitions(alarm)).toEqual([
      { minute: 2, state: O, previousState: I },
      { minute: 3, state: A, previousState: O },
      { minute: 4, state: I, previousState: A },
      { minute: 6, state: O, previousState: I },
    ]);
  });

  test('missing is the default when the alarm does not set TreatMissingData', () => {
    const { stack } = testStack();
    const metric = simMetric('Errors');
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1, comparisonOperator: GTE });
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(metric, gappy);
    expect(timeline(sim.run(), alarm)).toEqual([I, I, O, A, I, I, O]);
  });

  test('notBreaching: a gap counts as good', () => {
    const { alarm, result } = run(cloudwatch.TreatMissingData.NOT_BREACHING);
    expect(timeline(result, alarm)).toEqual([O, O, O, A, O, O, O]);
    expect(changes(result, alarm)).toEqual([[0, O], [3, A], [4, O]]);
  });

  test('breaching: a gap counts as bad, including before the first datapoint', () => {
    const { alarm, result } = run(cloudwatch.TreatMissingData.BREACHING);
    expect(timeline(result, alarm)).toEqual([A, A, O, A, A, A, O]);
    expect(changes(result, alarm)).toEqual([[0, A], [2, O], [3, A], [6, O]]);
  });

  test('ignore: INSUFFICIENT_DATA until the first datapoint, then a gap keeps the state (ALARM through the gap)', () => {
    const { alarm, result } = run(cloudwatch.TreatMissingData.IGNORE);
    expect(timeline(result, alarm)).toEqual([I, I, O, A, A, A, O]);
    expect(changes(result, alarm)).toEqual([[2, O], [3, A], [6, O]]);
  });

  test('ignore keeps OK through a gap too', () => {
    const { alarm, result } = simulate(series(0, NaN, NaN, 1), 1, { treatMissingData: cloudwatch.TreatMissingData.IGNORE });
    expect(timeline(result, alarm)).toEqual([O, O, O, A]);
  });

  test('breaching with 3 evaluation periods: minutes before the start count as breaching', () => {
    // All 3 of [t-2, t] must breach (DatapointsToAlarm defaults to EvaluationPeriods); missing minutes, including
    // minutes before 0, count as breaching. t=0: [-,-,0] → 2 of 3 → OK.
    const { alarm, result } = simulate(series(0, 0, 0, 5, NaN, NaN, 0, 0, 0), 1, {
      evaluationPeriods: 3, treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    // t=3: [0,0,5] → 1 of 3; t=4: [0,5,-] → 2; t=5: [5,-,-] → 3 → ALARM; t=6: [-,-,0] → 2 → OK.
    expect(timeline(result, alarm)).toEqual([O, O, O, O, O, A, O, O, O]);
  });
});

describe('EvaluationPeriods 3 with DatapointsToAlarm 2', () => {
  // Breaching minutes: 1, 4, 6, 7.
  const data = series(0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0);

  test('alarms once 2 of the last 3 datapoints breach, recovers when fewer than 2 do', () => {
    // Breaching count in [t-2, t]: 0 1 1 1 1 1 2 2 2 1 0 → isolated breaches (1 and 4) never alarm.
    const { alarm, result } = simulate(data, 1, { evaluationPeriods: 3, datapointsToAlarm: 2 });
    expect(timeline(result, alarm)).toEqual([O, O, O, O, O, O, A, A, A, O, O]);
    expect(changes(result, alarm)).toEqual([[0, O], [6, A], [9, O]]);
  });

  test('without DatapointsToAlarm all 3 must breach, which never happens here', () => {
    const { alarm, result } = simulate(data, 1, { evaluationPeriods: 3 });
    expect(changes(result, alarm)).toEqual([[0, O]]);
  });

  test('2 of 3 with missing data: breaching fills gaps, notBreaching does not', () => {
    const gappy = series(0, 0, 1, NaN, 0, 0);
    // Windows: t=2 [0,0,1] → 1; t=3 [0,1,-]; t=4 [1,-,0]; t=5 [-,0,0].
    const breaching = simulate(gappy, 1, { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: cloudwatch.TreatMissingData.BREACHING });
    expect(timeline(breaching.result, breaching.alarm)).toEqual([A, O, O, A, A, O]);
    const notBreaching = simulate(gappy, 1, { evaluationPeriods: 3, datapointsToAlarm: 2 });
    expect(timeline(notBreaching.result, notBreaching.alarm)).toEqual([O, O, O, O, O, O]);
  });

  test('2 of 3 over 5-minute periods samples windows ending at t, t-5 and t-10', () => {
    // 3 per minute in minutes 0-4 and 10-14, nothing else; alarm when a 5-minute sum >= 15, i.e. only the windows
    // ending at 4 and 14. At t=14 the windows ending at 14, 9 and 4 hold 15, 0 and 15 → 2 of 3 breach.
    const values = Array.from({ length: 20 }, (_, t) => (t < 5 || (t >= 10 && t < 15) ? 3 : 0));
    const { alarm, result } = simulate(MetricSeries.fromValues(values), 5, { threshold: 15, evaluationPeriods: 3, datapointsToAlarm: 2 });
    expect(changes(result, alarm)).toEqual([[0, O], [14, A], [15, O]]);
  });
});
