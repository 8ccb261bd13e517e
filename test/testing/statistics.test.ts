import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { A, changes, I, O, series, simMetric, SimpleAlarmOptions, simpleAlarm, timeline } from './helpers';
import { AlarmSimulator, MetricSeries } from '../../src';
import { testStack } from '../support/fixtures';

const { GREATER_THAN_OR_EQUAL_TO_THRESHOLD: GTE, GREATER_THAN_THRESHOLD: GT, LESS_THAN_THRESHOLD: LT } = cloudwatch.ComparisonOperator;

/**
 * One alarm on `Sim/Latency` with `statistic` over `periodMinutes`, fed `data`; `counts`, when given, is fed as
 * the SampleCount of the same metric.
 */
function simulate(statistic: string, periodMinutes: number, data: MetricSeries, options: SimpleAlarmOptions, counts?: MetricSeries) {
  const { stack } = testStack();
  const metric = simMetric('Latency', statistic, periodMinutes);
  const alarm = simpleAlarm(stack, 'Alarm', metric, { treatMissingData: cloudwatch.TreatMissingData.MISSING, ...options });
  const sim = AlarmSimulator.fromStack(stack);
  sim.feed(metric, data);
  if (counts) sim.feed(simMetric('Latency', 'SampleCount', periodMinutes), counts);
  return { alarm, result: sim.run() };
}

describe('Average', () => {
  // 2-minute windows. Averages 10 (from 9 samples) and 100 (from 1 sample) alternate.
  const averages = series(10, 100, 10, 100);
  const counts = series(9, 1, 9, 1);

  test('is weighted by the SampleCount series of the same metric when it is fed', () => {
    // Every full window: (10·9 + 100·1) / 10 = 19; minute 0 alone: 10.
    const atLeast19 = simulate('Average', 2, averages, { threshold: 19, comparisonOperator: GTE }, counts);
    expect(timeline(atLeast19.result, atLeast19.alarm)).toEqual([O, A, A, A]);
    const above19 = simulate('Average', 2, averages, { threshold: 19, comparisonOperator: GT }, counts);
    expect(timeline(above19.result, above19.alarm)).toEqual([O, O, O, O]);
  });

  test('is a plain mean of the minutes without a SampleCount series', () => {
    // Every full window: (10 + 100) / 2 = 55.
    const atLeast55 = simulate('Average', 2, averages, { threshold: 55, comparisonOperator: GTE });
    expect(timeline(atLeast55.result, atLeast55.alarm)).toEqual([O, A, A, A]);
    const above55 = simulate('Average', 2, averages, { threshold: 55, comparisonOperator: GT });
    expect(timeline(above55.result, above55.alarm)).toEqual([O, O, O, O]);
  });

  test('the same alarm alarms on the plain mean but not on the weighted one', () => {
    const plain = simulate('Average', 2, averages, { threshold: 50 });
    const weighted = simulate('Average', 2, averages, { threshold: 50 }, counts);
    expect(changes(plain.result, plain.alarm)).toEqual([[0, O], [1, A]]);
    expect(changes(weighted.result, weighted.alarm)).toEqual([[0, O]]);
  });

  test('minutes without a datapoint (or with no samples) do not count', () => {
    // Window of minutes 1-2: minute 1 missing, minute 2 = 40 → 40. Minute 4 has 0 samples: window 3-4 = 80 only.
    const weighted = simulate('Average', 2, series(20, NaN, 40, 80, 1000), { threshold: 40 }, series(1, NaN, 1, 1, 0));
    // Windows: [20], [20], [40], [40, 80] → 60, [80] → 80.
    expect(timeline(weighted.result, weighted.alarm)).toEqual([O, O, A, A, A]);
    const plain = simulate('Average', 2, series(20, NaN, 40, 80, 1000), { threshold: 100 });
    // Windows: 20, 20, 40, 60, 540.
    expect(timeline(plain.result, plain.alarm)).toEqual([O, O, O, O, A]);
  });
});

describe('Minimum and Maximum', () => {
  test('Minimum over a 3-minute sliding window', () => {
    // Minima of [t-2, t]: 5 1 1 1 7 2.
    const { alarm, result } = simulate('Minimum', 3, series(5, 1, 7, 8, 9, 2), { threshold: 3, comparisonOperator: LT });
    expect(timeline(result, alarm)).toEqual([O, A, A, A, O, A]);
    expect(changes(result, alarm)).toEqual([[0, O], [1, A], [4, O], [5, A]]);
  });

  test('Maximum over a 3-minute sliding window', () => {
    // Maxima of [t-2, t]: 1 9 9 9 4 10.
    const { alarm, result } = simulate('Maximum', 3, series(1, 9, 2, 3, 4, 10), { threshold: 5, comparisonOperator: GT });
    expect(changes(result, alarm)).toEqual([[0, O], [1, A], [4, O], [5, A]]);
  });

  test('Maximum skips missing minutes and is missing for an empty window', () => {
    // Maxima of [t-1, t]: 3, 3, -, 2, 2.
    const { alarm, result } = simulate('Maximum', 2, series(3, NaN, NaN, 2, 1), { threshold: 3 });
    expect(timeline(result, alarm)).toEqual([A, A, I, O, O]);
  });

  test('Minimum keeps the smaller of equal values in the window until both leave it', () => {
    // Minima of [t-2, t]: 4 4 4 4 6.
    const { alarm, result } = simulate('Minimum', 3, series(4, 4, 9, 6, 6), { threshold: 5, comparisonOperator: LT });
    expect(timeline(result, alarm)).toEqual([A, A, A, A, O]);
  });
});

describe('SampleCount', () => {
  test('is summed over the period', () => {
    // Sums of [t-2, t]: 1 2 3 2 1 0 2.
    const { alarm, result } = simulate('SampleCount', 3, series(1, 1, 1, 0, 0, 0, 2), { threshold: 3 });
    expect(changes(result, alarm)).toEqual([[0, O], [2, A], [3, O]]);
  });
});

describe('percentile rank PR(:300)', () => {
  // Percentage of requests faster than 300 ms, per minute, and the requests per minute (SampleCount).
  const percentGood = series(100, 50, 100);
  const requests = series(90, 10, 10);

  test('is weighted by the SampleCount of the same metric', () => {
    // 2-minute windows: t=1 (100·90 + 50·10) / 100 = 95; t=2 (50·10 + 100·10) / 20 = 75.
    const { alarm, result } = simulate('PR(:300)', 2, percentGood, { threshold: 90, comparisonOperator: LT }, requests);
    expect(timeline(result, alarm)).toEqual([O, O, A]);
  });

  test('is a plain mean without a SampleCount series', () => {
    // 2-minute windows: t=1 (100 + 50) / 2 = 75 already.
    const { alarm, result } = simulate('PR(:300)', 2, percentGood, { threshold: 90, comparisonOperator: LT });
    expect(timeline(result, alarm)).toEqual([O, A, A]);
  });

  test('is rendered as an ExtendedStatistic and matched by the metric fed', () => {
    const { stack } = testStack();
    const metric = simMetric('Latency', 'PR(:300)', 1);
    simpleAlarm(stack, 'Alarm', metric);
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(metric, series(1));
    expect(sim.run().unfedMetrics).toEqual([]);
  });
});

describe('other extended statistics', () => {
  test('p99 with a 1-minute period uses the datapoints as they are', () => {
    const { alarm, result } = simulate('p99', 1, series(100, 300, 100), { threshold: 200, comparisonOperator: GT });
    expect(changes(result, alarm)).toEqual([[0, O], [1, A], [2, O]]);
  });

  test('p99 with a 5-minute period cannot be simulated', () => {
    const { stack } = testStack();
    const metric = simMetric('Latency', 'p99', 5);
    simpleAlarm(stack, 'Alarm', metric);
    const sim = AlarmSimulator.fromStack(stack);
    sim.feed(metric, series(1, 2, 3));
    expect(() => sim.run()).toThrow(/Alarm Alarm[0-9A-F]+: statistic 'p99' cannot be aggregated from 1-minute datapoints over 5 minutes/);
  });

  test('trimmed mean tm90 with a 1-minute period works, with a 2-minute period throws', () => {
    const one = simulate('tm90', 1, series(1, 0), {});
    expect(timeline(one.result, one.alarm)).toEqual([A, O]);
    expect(() => simulate('tm90', 2, series(1, 0), {})).toThrow(/statistic 'tm90' cannot be aggregated/);
  });
});
