import { SeededRandom } from './random';
import { fail } from '../core/errors';

/**
 * A metric's values at 1-minute resolution, for the alarm simulator. Minute `i` holds the datapoint for
 * `[i, i+1)`; a missing datapoint (no data published that minute) is stored as NaN.
 */
export class MetricSeries {
  /**
   * The same value every minute.
   */
  public static constant(value: number, minutes: number): MetricSeries {
    checkMinutes('MetricSeries.constant', minutes);
    return new MetricSeries(new Float64Array(minutes).fill(value));
  }

  /**
   * Explicit values, one per minute; NaN marks a missing datapoint.
   */
  public static fromValues(values: number[]): MetricSeries {
    return new MetricSeries(Float64Array.from(values));
  }

  /**
   * No data at all for `minutes` minutes.
   */
  public static missing(minutes: number): MetricSeries {
    checkMinutes('MetricSeries.missing', minutes);
    return new MetricSeries(new Float64Array(minutes).fill(NaN));
  }

  /** @internal */
  public static _of(values: Float64Array): MetricSeries {
    return new MetricSeries(values);
  }

  private readonly values: Float64Array;

  private constructor(values: Float64Array) {
    this.values = values;
  }

  /** Number of minutes. */
  public get length(): number {
    return this.values.length;
  }

  /**
   * This series followed by `others`.
   */
  public concat(...others: MetricSeries[]): MetricSeries {
    const out = new Float64Array(others.reduce((n, o) => n + o.length, this.length));
    out.set(this.values, 0);
    let offset = this.length;
    for (const o of others) {
      out.set(o.values, offset);
      offset += o.length;
    }
    return new MetricSeries(out);
  }

  /**
   * The datapoint of `minute`, or undefined when missing or past the end.
   */
  public valueAt(minute: number): number | undefined {
    const v = this.values[minute];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }

  /**
   * All datapoints, NaN where missing.
   */
  public toArray(): number[] {
    return Array.from(this.values);
  }

  /** @internal */
  public _values(): Float64Array {
    return this.values;
  }
}

/**
 * Steady traffic.
 */
export interface SteadyTrafficProps {
  /** How long, in minutes. */
  readonly minutes: number;
  /** Requests per minute. */
  readonly requestsPerMinute: number;
  /**
   * Fraction of requests that are bad, 0..1.
   * @default 0
   */
  readonly errorRate?: number;
}

/**
 * Traffic burning an SLO's error budget at a given rate.
 */
export interface BurnRateTrafficProps {
  /** How long, in minutes. */
  readonly minutes: number;
  /** Requests per minute. */
  readonly requestsPerMinute: number;
  /** How many times faster than sustainable the budget burns, e.g. 10. */
  readonly burnRate: number;
  /** The SLO objective in percent, e.g. 99.9. */
  readonly objective: number;
}

/**
 * Traffic with random (binomial) errors.
 */
export interface RandomTrafficProps extends SteadyTrafficProps {
  /** Seed: the same seed gives the same series. */
  readonly seed: number;
}

/**
 * Requests and bad requests per minute — the two inputs of an SLI — built from phases:
 * `TrafficSeries.steady(...).then(TrafficSeries.outage(...))`.
 *
 * For a latency SLI, "bad" means slower than the threshold.
 */
export class TrafficSeries {
  /**
   * Constant requests per minute with a constant (deterministic, possibly fractional) error rate.
   */
  public static steady(props: SteadyTrafficProps): TrafficSeries {
    return TrafficSeries.constant('TrafficSeries.steady', props);
  }

  /**
   * Every request fails.
   */
  public static outage(props: SteadyTrafficProps): TrafficSeries {
    return TrafficSeries.constant('TrafficSeries.outage', { ...props, errorRate: 1 });
  }

  /**
   * Errors at `burnRate` × the sustainable rate of an SLO: error rate = burnRate × (1 − objective/100).
   */
  public static atBurnRate(props: BurnRateTrafficProps): TrafficSeries {
    const budget = Number((100 - props.objective).toPrecision(12)) / 100;
    return TrafficSeries.constant('TrafficSeries.atBurnRate', {
      minutes: props.minutes, requestsPerMinute: props.requestsPerMinute, errorRate: props.burnRate * budget,
    });
  }

  /**
   * Each minute, each of `requestsPerMinute` requests fails independently with probability `errorRate`
   * (a seeded binomial draw). `requestsPerMinute` must be a whole number.
   */
  public static randomErrors(props: RandomTrafficProps): TrafficSeries {
    checkMinutes('TrafficSeries.randomErrors', props.minutes);
    const p = checkRate('TrafficSeries.randomErrors', props.errorRate ?? 0);
    checkRequests('TrafficSeries.randomErrors', props.requestsPerMinute);
    if (!Number.isInteger(props.requestsPerMinute)) {
      fail(undefined, `TrafficSeries.randomErrors: requestsPerMinute must be a whole number, got ${props.requestsPerMinute}.`);
    }
    const random = new SeededRandom(props.seed);
    const bad = new Float64Array(props.minutes);
    for (let i = 0; i < props.minutes; i++) bad[i] = random.binomial(props.requestsPerMinute, p);
    return new TrafficSeries(new Float64Array(props.minutes).fill(props.requestsPerMinute), bad);
  }

  private static constant(where: string, props: SteadyTrafficProps): TrafficSeries {
    checkMinutes(where, props.minutes);
    const errorRate = checkRate(where, props.errorRate ?? 0);
    checkRequests(where, props.requestsPerMinute);
    return new TrafficSeries(
      new Float64Array(props.minutes).fill(props.requestsPerMinute),
      new Float64Array(props.minutes).fill(props.requestsPerMinute * errorRate),
    );
  }

  private readonly totalValues: Float64Array;
  private readonly badValues: Float64Array;

  private constructor(total: Float64Array, bad: Float64Array) {
    this.totalValues = total;
    this.badValues = bad;
  }

  /** Number of minutes. */
  public get minutes(): number {
    return this.totalValues.length;
  }

  /** Requests per minute. */
  public get total(): MetricSeries {
    return MetricSeries._of(this.totalValues);
  }

  /** Bad requests per minute. */
  public get bad(): MetricSeries {
    return MetricSeries._of(this.badValues);
  }

  /** Good requests per minute. */
  public get good(): MetricSeries {
    return MetricSeries._of(this.totalValues.map((t, i) => t - this.badValues[i]));
  }

  /**
   * Percentage of good requests per minute (what CloudWatch percentile rank `PR(:threshold)` reports for a
   * latency SLI); missing in minutes without requests.
   */
  public get percentGood(): MetricSeries {
    return MetricSeries._of(this.totalValues.map((t, i) => (t > 0 ? 100 * (1 - this.badValues[i] / t) : NaN)));
  }

  /**
   * This traffic followed by `next`.
   */
  public then(next: TrafficSeries): TrafficSeries {
    const total = new Float64Array(this.minutes + next.minutes);
    const bad = new Float64Array(this.minutes + next.minutes);
    total.set(this.totalValues, 0);
    total.set(next.totalValues, this.minutes);
    bad.set(this.badValues, 0);
    bad.set(next.badValues, this.minutes);
    return new TrafficSeries(total, bad);
  }
}

function checkMinutes(where: string, minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < 0) fail(undefined, `${where}: minutes must be a whole number ≥ 0, got ${minutes}.`);
}

function checkRate(where: string, rate: number): number {
  if (!(rate >= 0 && rate <= 1)) fail(undefined, `${where}: errorRate must be between 0 and 1, got ${rate}.`);
  return rate;
}

function checkRequests(where: string, requests: number): void {
  if (!(requests >= 0) || !Number.isFinite(requests)) fail(undefined, `${where}: requestsPerMinute must be ≥ 0, got ${requests}.`);
}
