import { MetricSeries, TrafficSeries } from '../../src';

describe('MetricSeries', () => {
  test('constant repeats the value for every minute', () => {
    const s = MetricSeries.constant(3, 4);
    expect(s.length).toBe(4);
    expect(s.toArray()).toEqual([3, 3, 3, 3]);
  });

  test('constant with 0 minutes is empty', () => {
    expect(MetricSeries.constant(3, 0).toArray()).toEqual([]);
  });

  test('fromValues keeps values, NaN marks a missing datapoint', () => {
    const s = MetricSeries.fromValues([1, NaN, 3.5]);
    expect(s.length).toBe(3);
    expect(s.valueAt(0)).toBe(1);
    expect(s.valueAt(1)).toBeUndefined();
    expect(s.valueAt(2)).toBe(3.5);
    expect(s.toArray()).toEqual([1, NaN, 3.5]);
  });

  test('valueAt past the end or before the start is undefined', () => {
    const s = MetricSeries.fromValues([7]);
    expect(s.valueAt(1)).toBeUndefined();
    expect(s.valueAt(-1)).toBeUndefined();
  });

  test('missing has no datapoint at all', () => {
    const s = MetricSeries.missing(3);
    expect(s.length).toBe(3);
    expect([0, 1, 2].map((t) => s.valueAt(t))).toEqual([undefined, undefined, undefined]);
    expect(s.toArray().every(Number.isNaN)).toBe(true);
  });

  test('concat appends series in order and leaves the originals alone', () => {
    const first = MetricSeries.constant(1, 2);
    const joined = first.concat(MetricSeries.missing(1), MetricSeries.fromValues([5, 6]));
    expect(joined.length).toBe(5);
    expect(joined.toArray()).toEqual([1, 1, NaN, 5, 6]);
    expect(first.toArray()).toEqual([1, 1]);
  });

  test('toArray returns a copy', () => {
    const s = MetricSeries.fromValues([1, 2]);
    const values = s.toArray();
    values[0] = 99;
    expect(s.valueAt(0)).toBe(1);
  });

  test.each([
    ['constant', () => MetricSeries.constant(1, -1), -1],
    ['constant', () => MetricSeries.constant(1, 1.5), 1.5],
    ['missing', () => MetricSeries.missing(-3), -3],
  ])('%s rejects a bad number of minutes', (where, build, minutes) => {
    expect(build).toThrow(`MetricSeries.${where}: minutes must be a whole number ≥ 0, got ${minutes}.`);
  });
});

describe('TrafficSeries', () => {
  test('steady: constant total, bad = total × errorRate, good and percentGood derived', () => {
    const t = TrafficSeries.steady({ minutes: 3, requestsPerMinute: 200, errorRate: 0.25 });
    expect(t.minutes).toBe(3);
    expect(t.total.toArray()).toEqual([200, 200, 200]);
    expect(t.bad.toArray()).toEqual([50, 50, 50]);
    expect(t.good.toArray()).toEqual([150, 150, 150]);
    expect(t.percentGood.toArray()).toEqual([75, 75, 75]);
  });

  test('steady defaults to no errors', () => {
    const t = TrafficSeries.steady({ minutes: 2, requestsPerMinute: 10 });
    expect(t.bad.toArray()).toEqual([0, 0]);
    expect(t.percentGood.toArray()).toEqual([100, 100]);
  });

  test('steady keeps fractional bad counts (deterministic, not rounded)', () => {
    const t = TrafficSeries.steady({ minutes: 1, requestsPerMinute: 10, errorRate: 0.05 });
    expect(t.bad.valueAt(0)).toBeCloseTo(0.5, 12);
  });

  test('percentGood is missing in minutes without requests', () => {
    const t = TrafficSeries.steady({ minutes: 2, requestsPerMinute: 0 });
    expect(t.percentGood.valueAt(0)).toBeUndefined();
    expect(t.percentGood.valueAt(1)).toBeUndefined();
  });

  test('outage: every request is bad', () => {
    const t = TrafficSeries.outage({ minutes: 2, requestsPerMinute: 40 });
    expect(t.total.toArray()).toEqual([40, 40]);
    expect(t.bad.toArray()).toEqual([40, 40]);
    expect(t.good.toArray()).toEqual([0, 0]);
    expect(t.percentGood.toArray()).toEqual([0, 0]);
  });

  test('outage overrides any errorRate given', () => {
    const t = TrafficSeries.outage({ minutes: 1, requestsPerMinute: 40, errorRate: 0.1 });
    expect(t.bad.toArray()).toEqual([40]);
  });

  test.each([
    // burnRate, objective, expected error rate = burnRate × (1 − objective/100)
    [10, 99.9, 0.01],
    [1, 99.9, 0.001],
    [2, 99, 0.02],
    [14.4, 99.5, 0.072],
  ])('atBurnRate %s× at %s %% errs at rate %s', (burnRate, objective, errorRate) => {
    const t = TrafficSeries.atBurnRate({ minutes: 2, requestsPerMinute: 1000, burnRate, objective });
    expect(t.total.toArray()).toEqual([1000, 1000]);
    for (const bad of t.bad.toArray()) expect(bad).toBeCloseTo(1000 * errorRate, 9);
  });

  test('atBurnRate rejects a burn that needs more than 100 % errors', () => {
    // 1001 × 0.1 % > 1
    expect(() => TrafficSeries.atBurnRate({ minutes: 1, requestsPerMinute: 1, burnRate: 1001, objective: 99.9 }))
      .toThrow(/errorRate must be between 0 and 1/);
  });

  test('then concatenates phases', () => {
    const t = TrafficSeries.steady({ minutes: 2, requestsPerMinute: 10 })
      .then(TrafficSeries.outage({ minutes: 1, requestsPerMinute: 20 }))
      .then(TrafficSeries.steady({ minutes: 1, requestsPerMinute: 0 }));
    expect(t.minutes).toBe(4);
    expect(t.total.toArray()).toEqual([10, 10, 20, 0]);
    expect(t.bad.toArray()).toEqual([0, 0, 20, 0]);
    expect(t.good.toArray()).toEqual([10, 10, 0, 0]);
    expect(t.percentGood.toArray()).toEqual([100, 100, 0, NaN]);
  });

  describe('randomErrors', () => {
    const props = { minutes: 1000, requestsPerMinute: 50, errorRate: 0.05 };

    test('the same seed gives the same series', () => {
      const a = TrafficSeries.randomErrors({ ...props, seed: 42 });
      const b = TrafficSeries.randomErrors({ ...props, seed: 42 });
      expect(a.bad.toArray()).toEqual(b.bad.toArray());
      expect(a.total.toArray()).toEqual(b.total.toArray());
    });

    test('a different seed gives a different series', () => {
      const a = TrafficSeries.randomErrors({ ...props, seed: 42 });
      const b = TrafficSeries.randomErrors({ ...props, seed: 43 });
      expect(a.bad.toArray()).not.toEqual(b.bad.toArray());
    });

    test('bad counts are whole numbers between 0 and requestsPerMinute; total is constant', () => {
      const t = TrafficSeries.randomErrors({ ...props, seed: 7 });
      expect(t.total.toArray().every((v) => v === 50)).toBe(true);
      expect(t.bad.toArray().every((v) => Number.isInteger(v) && v >= 0 && v <= 50)).toBe(true);
    });

    test.each([
      // n, p: covers the geometric-skipping path (p ≤ 0.5) and the complement path (p > 0.5).
      [100, 0.01],
      [10, 0.3],
      [10, 0.7],
    ])('the mean bad count over 100,000 minutes is n·p (n=%s, p=%s) within 5 sigma', (n, p) => {
      const minutes = 100_000;
      const t = TrafficSeries.randomErrors({ minutes, requestsPerMinute: n, errorRate: p, seed: 2024 });
      const total = t.bad.toArray().reduce((s, v) => s + v, 0);
      // The sum of `minutes` independent Binomial(n, p) draws is Binomial(minutes·n, p): mean minutes·n·p,
      // standard deviation sqrt(minutes·n·p·(1−p)). A correct sampler lands within 5 sigma except with
      // probability ~6e-7; a biased one (e.g. an off-by-one in the geometric skip) lands far outside.
      const mean = minutes * n * p;
      const sigma = Math.sqrt(minutes * n * p * (1 - p));
      expect(Math.abs(total - mean)).toBeLessThanOrEqual(5 * sigma);

      // The spread must be binomial too (a sampler returning round(n·p) every minute would pass the mean check).
      // Per-minute variance σ² = npq; the sample variance over N minutes has standard deviation
      // sqrt((μ4 − σ⁴) / N) with the binomial fourth central moment μ4 = npq·(1 + 3(n−2)pq). Again 5 sigma.
      const q = 1 - p;
      const perMinuteMean = total / minutes;
      const variance = t.bad.toArray().reduce((s, v) => s + (v - perMinuteMean) ** 2, 0) / (minutes - 1);
      const mu4 = n * p * q * (1 + 3 * (n - 2) * p * q);
      const varianceSigma = Math.sqrt((mu4 - (n * p * q) ** 2) / minutes);
      expect(Math.abs(variance - n * p * q)).toBeLessThanOrEqual(5 * varianceSigma);
    });

    test('errorRate 0 gives no errors and errorRate 1 fails everything', () => {
      expect(TrafficSeries.randomErrors({ minutes: 5, requestsPerMinute: 10, errorRate: 0, seed: 1 }).bad.toArray())
        .toEqual([0, 0, 0, 0, 0]);
      expect(TrafficSeries.randomErrors({ minutes: 3, requestsPerMinute: 10, errorRate: 1, seed: 1 }).bad.toArray())
        .toEqual([10, 10, 10]);
    });
  });

  describe('validation', () => {
    test('negative minutes', () => {
      expect(() => TrafficSeries.steady({ minutes: -1, requestsPerMinute: 1 }))
        .toThrow('TrafficSeries.steady: minutes must be a whole number ≥ 0, got -1.');
      expect(() => TrafficSeries.randomErrors({ minutes: -5, requestsPerMinute: 1, seed: 1 }))
        .toThrow('TrafficSeries.randomErrors: minutes must be a whole number ≥ 0, got -5.');
    });

    test('errorRate above 1 or below 0', () => {
      expect(() => TrafficSeries.steady({ minutes: 1, requestsPerMinute: 1, errorRate: 1.5 }))
        .toThrow('TrafficSeries.steady: errorRate must be between 0 and 1, got 1.5.');
      expect(() => TrafficSeries.steady({ minutes: 1, requestsPerMinute: 1, errorRate: -0.1 }))
        .toThrow(/errorRate must be between 0 and 1, got -0.1/);
      expect(() => TrafficSeries.randomErrors({ minutes: 1, requestsPerMinute: 1, errorRate: 2, seed: 1 }))
        .toThrow('TrafficSeries.randomErrors: errorRate must be between 0 and 1, got 2.');
      expect(() => TrafficSeries.steady({ minutes: 1, requestsPerMinute: 1, errorRate: NaN }))
        .toThrow(/errorRate must be between 0 and 1, got NaN/);
    });

    test('negative or non-finite requestsPerMinute', () => {
      expect(() => TrafficSeries.steady({ minutes: 1, requestsPerMinute: -1 }))
        .toThrow('TrafficSeries.steady: requestsPerMinute must be ≥ 0, got -1.');
      expect(() => TrafficSeries.steady({ minutes: 1, requestsPerMinute: Infinity }))
        .toThrow(/requestsPerMinute must be ≥ 0, got Infinity/);
    });

    test('randomErrors needs a whole requestsPerMinute', () => {
      expect(() => TrafficSeries.randomErrors({ minutes: 1, requestsPerMinute: 2.5, errorRate: 0.1, seed: 1 }))
        .toThrow('TrafficSeries.randomErrors: requestsPerMinute must be a whole number, got 2.5.');
    });
  });
});
