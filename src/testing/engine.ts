import { AlarmModel, CompositeAlarmModel, MetricAlarmModel, metricKey, MetricQuery } from './alarm-model';
import { evaluateRule } from './alarm-rule';
import { evaluateMath } from './metric-math';
import { fail } from '../core/errors';

/** Alarm states, as stored per minute (internal). */
export const STATE_NAMES = ['INSUFFICIENT_DATA', 'OK', 'ALARM'] as const;
export type StateName = typeof STATE_NAMES[number];
const INSUFFICIENT = 0;
const OK = 1;
const ALARM = 2;

export interface Transition { readonly minute: number; readonly state: StateName; readonly previousState: StateName }
export interface Notification {
  readonly minute: number;
  readonly alarmLogicalId: string;
  readonly alarmName: string;
  readonly state: StateName;
  readonly action: string;
}

export interface EngineOutput {
  readonly minutes: number;
  readonly states: Map<string, Uint8Array>;
  readonly transitions: Map<string, Transition[]>;
  readonly notifications: Notification[];
  /** Alarm logical id → metric keys it depends on (directly or through children) that were not fed. */
  readonly unfed: Map<string, string[]>;
}

/**
 * Step every alarm minute by minute with CloudWatch semantics (internal). At evaluation minute `t` a metric alarm
 * sees each query aggregated over the sliding window `[t - period + 1, t]` (the datapoints published so far);
 * composites are evaluated after their children in the same minute.
 */
export function simulate(alarms: Map<string, AlarmModel>, series: Map<string, Float64Array>, minutes: number,
  quotas: Map<string, number> = new Map()): EngineOutput {
  const states = new Map<string, Uint8Array>();
  const transitions = new Map<string, Transition[]>();
  const notifications: Notification[] = [];
  const unfed = new Map<string, string[]>();
  const aggregator = new Aggregator(series, minutes);

  const metricAlarms = [...alarms.values()].filter((a): a is MetricAlarmModel => a.type === 'metric');
  const values = new Map<string, { values: Float64Array; period: number }>();
  for (const alarm of metricAlarms) {
    const missing = new Set<string>();
    values.set(alarm.logicalId, alarmValues(alarm, aggregator, minutes, missing, quotas));
    unfed.set(alarm.logicalId, [...missing]);
    states.set(alarm.logicalId, new Uint8Array(minutes));
    transitions.set(alarm.logicalId, []);
  }
  const composites = topologicalComposites(alarms);
  for (const c of composites) {
    const missing = new Set<string>();
    for (const child of [...c.children, ...(c.suppressor ? [c.suppressor] : [])]) {
      for (const key of unfed.get(child) ?? []) missing.add(key);
    }
    unfed.set(c.logicalId, [...missing]);
    states.set(c.logicalId, new Uint8Array(minutes));
    transitions.set(c.logicalId, []);
  }

  const current = new Map<string, number>([...alarms.keys()].map((id) => [id, INSUFFICIENT]));
  const suppression = new Map<string, { mode: 'none' | 'alarm' | 'wait' | 'extension'; until: number; pending: boolean }>(
    composites.filter((c) => c.suppressor).map((c) => [c.logicalId, { mode: 'none', until: 0, pending: false }]));

  const notify = (alarm: AlarmModel, minute: number, state: number) => {
    if (!alarm.actionsEnabled) return;
    const name = STATE_NAMES[state];
    for (const action of alarm.actions[name]) {
      notifications.push({ minute, alarmLogicalId: alarm.logicalId, alarmName: alarm.alarmName, state: name, action });
    }
  };
  const record = (alarm: AlarmModel, minute: number, next: number): boolean => {
    const previous = current.get(alarm.logicalId)!;
    states.get(alarm.logicalId)![minute] = next;
    if (previous === next) return false;
    current.set(alarm.logicalId, next);
    transitions.get(alarm.logicalId)!.push({ minute, state: STATE_NAMES[next], previousState: STATE_NAMES[previous] });
    return true;
  };

  for (let t = 0; t < minutes; t++) {
    for (const alarm of metricAlarms) {
      const v = values.get(alarm.logicalId)!;
      const next = evaluateMetricAlarm(alarm, v.values, v.period, t, current.get(alarm.logicalId)!);
      if (record(alarm, t, next)) notify(alarm, t, next);
    }
    for (const c of composites) {
      const next = evaluateRule(c.rule, (ref) => STATE_NAMES[current.get(c.resolveRef(ref))!]) ? ALARM : OK;
      const changed = record(c, t, next);
      const s = suppression.get(c.logicalId);
      if (!s) {
        if (changed) notify(c, t, next);
        continue;
      }
      // Actions suppression (PutCompositeAlarm): suppressed while the suppressor is in ALARM, for the extension
      // period after it leaves ALARM, and for up to the wait period after the composite enters ALARM while
      // waiting for the suppressor. When a period ends, the composite acts on its current state.
      const suppressorInAlarm = current.get(c.suppressor!) === ALARM;
      if (suppressorInAlarm) {
        s.mode = 'alarm';
      } else if (s.mode === 'alarm') {
        s.mode = 'extension';
        s.until = t + c.extensionMinutes;
      }
      // A period that ends this minute ends before this minute's transition is judged.
      let flushed = false;
      if ((s.mode === 'wait' || s.mode === 'extension') && t >= s.until) {
        s.mode = 'none';
        if (s.pending) {
          notify(c, t, current.get(c.logicalId)!);
          flushed = true;
        }
        s.pending = false;
      }
      if (changed && !flushed) {
        if (s.mode !== 'none') {
          s.pending = true;
        } else if (next === ALARM && c.waitMinutes > 0) {
          s.mode = 'wait';
          s.until = t + c.waitMinutes;
          s.pending = true;
        } else {
          notify(c, t, next);
        }
      }
    }
  }
  return { minutes, states, transitions, notifications, unfed };
}

function evaluateMetricAlarm(alarm: MetricAlarmModel, values: Float64Array, period: number, t: number, previous: number): number {
  let present = 0;
  let breaching = 0;
  let missing = 0;
  for (let k = 0; k < alarm.evaluationPeriods; k++) {
    const i = t - k * period;
    const v = i >= 0 ? values[i] : NaN;
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    present++;
    if (breaches(alarm.comparison, v, alarm.threshold)) breaching++;
  }
  const m = alarm.datapointsToAlarm;
  switch (alarm.treatMissingData) {
    case 'notBreaching': return breaching >= m ? ALARM : OK;
    case 'breaching': return breaching + missing >= m ? ALARM : OK;
    case 'ignore': return present === 0 ? previous : breaching >= m ? ALARM : OK;
    default: return present === 0 ? INSUFFICIENT : breaching >= m ? ALARM : OK;
  }
}

function breaches(comparison: string, v: number, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold': return v >= threshold;
    case 'GreaterThanThreshold': return v > threshold;
    case 'LessThanThreshold': return v < threshold;
    default: return v <= threshold;
  }
}

function alarmValues(alarm: MetricAlarmModel, aggregator: Aggregator, minutes: number, missing: Set<string>, quotas: Map<string, number>):
{ values: Float64Array; period: number } {
  const memo = new Map<string, Float64Array>();
  const visiting = new Set<string>();
  let period = 1;
  const lookup = (id: string): Float64Array => {
    const cached = memo.get(id);
    if (cached) return cached;
    if (visiting.has(id)) fail(undefined, `Alarm ${alarm.logicalId}: metric query '${id}' refers to itself.`);
    visiting.add(id);
    const q = alarm.queries.get(id)!;
    let result: Float64Array;
    if (q.kind === 'metric') {
      period = Math.max(period, q.metric.periodMinutes);
      result = aggregator.aggregate(q.metric, `Alarm ${alarm.logicalId}`, missing);
    } else {
      result = evaluateMath(q.tree, minutes, lookup, quota);
    }
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };
  const quota = (id: string): Float64Array => {
    const q = alarm.queries.get(id);
    if (q?.kind !== 'metric') fail(undefined, `Alarm ${alarm.logicalId}: SERVICE_QUOTA(${id}) needs a metric query, not an expression.`);
    const key = quotaKey(q.metric.namespace, q.metric.metricName, q.metric.dimensions);
    const value = quotas.get(key);
    if (value === undefined) missing.add(`SERVICE_QUOTA(${key})`);
    return new Float64Array(minutes).fill(value ?? NaN);
  };
  const values = lookup(alarm.returnId);
  return { values, period };
}

/** The key of a service quota: the metric without a statistic. */
export function quotaKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
  return metricKey(namespace, metricName, dimensions, '');
}

/** Sliding-window aggregation of 1-minute series, cached per metric, statistic and period. */
class Aggregator {
  private readonly cache = new Map<string, Float64Array>();

  constructor(private readonly series: Map<string, Float64Array>, private readonly minutes: number) {}

  public aggregate(q: MetricQuery, where: string, missing: Set<string>): Float64Array {
    const key = metricKey(q.namespace, q.metricName, q.dimensions, q.statistic);
    const cacheKey = `${key}@${q.periodMinutes}`;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      if (!this.series.has(key)) missing.add(key);
      return cached;
    }
    const raw = this.padded(key);
    if (!this.series.has(key)) missing.add(key);
    const p = q.periodMinutes;
    const stat = q.statistic;
    let out: Float64Array;
    if (stat === 'Sum' || stat === 'SampleCount') {
      out = this.windowSum(raw, p);
    } else if (stat === 'Average' || stat.startsWith('PR(')) {
      const countKey = metricKey(q.namespace, q.metricName, q.dimensions, 'SampleCount');
      out = this.series.has(countKey) ? this.weightedMean(raw, this.padded(countKey), p) : this.mean(raw, p);
    } else if (stat === 'Minimum' || stat === 'Maximum') {
      out = this.extreme(raw, p, stat === 'Maximum');
    } else if (p === 1) {
      out = raw;
    } else {
      return fail(undefined, `${where}: statistic '${stat}' cannot be aggregated from 1-minute datapoints over ${p} minutes. ` +
        'Use Sum, SampleCount, Average, Minimum, Maximum or a percentile rank PR(...), or a 1-minute period.');
    }
    this.cache.set(cacheKey, out);
    return out;
  }

  private padded(key: string): Float64Array {
    const out = new Float64Array(this.minutes).fill(NaN);
    const s = this.series.get(key);
    if (s) out.set(s.subarray(0, Math.min(s.length, this.minutes)));
    return out;
  }

  private prefix(values: Float64Array, weights?: Float64Array): { sum: Float64Array; count: Float64Array } {
    const n = values.length;
    const sum = new Float64Array(n + 1);
    const count = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const present = !Number.isNaN(v) && (weights === undefined || !Number.isNaN(weights[i]));
      const w = weights ? weights[i] : 1;
      sum[i + 1] = sum[i] + (present ? v * w : 0);
      count[i + 1] = count[i] + (present ? w : 0);
    }
    return { sum, count };
  }

  private windowSum(values: Float64Array, p: number): Float64Array {
    const { sum } = this.prefix(values);
    const { count } = this.prefix(values.map((v) => (Number.isNaN(v) ? NaN : 1)));
    const out = new Float64Array(values.length);
    for (let t = 0; t < values.length; t++) {
      const lo = Math.max(0, t - p + 1);
      out[t] = count[t + 1] - count[lo] > 0 ? sum[t + 1] - sum[lo] : NaN;
    }
    return out;
  }

  private mean(values: Float64Array, p: number): Float64Array {
    const { sum, count } = this.prefix(values);
    return this.ratio(sum, count, values.length, p);
  }

  private weightedMean(values: Float64Array, weights: Float64Array, p: number): Float64Array {
    const { sum, count } = this.prefix(values, weights);
    return this.ratio(sum, count, values.length, p);
  }

  private ratio(sum: Float64Array, count: Float64Array, n: number, p: number): Float64Array {
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const lo = Math.max(0, t - p + 1);
      const c = count[t + 1] - count[lo];
      out[t] = c > 0 ? (sum[t + 1] - sum[lo]) / c : NaN;
    }
    return out;
  }

  private extreme(values: Float64Array, p: number, max: boolean): Float64Array {
    const out = new Float64Array(values.length);
    const deque: number[] = [];
    let head = 0;
    const better = (a: number, b: number) => (max ? a >= b : a <= b);
    for (let t = 0; t < values.length; t++) {
      const v = values[t];
      if (!Number.isNaN(v)) {
        while (deque.length > head && better(v, values[deque[deque.length - 1]])) deque.pop();
        deque.push(t);
      }
      while (deque.length > head && deque[head] <= t - p) head++;
      out[t] = deque.length > head ? values[deque[head]] : NaN;
    }
    return out;
  }
}

/** Composites ordered so every composite comes after the composites it reads (rule and suppressor). */
function topologicalComposites(alarms: Map<string, AlarmModel>): CompositeAlarmModel[] {
  const order: CompositeAlarmModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: CompositeAlarmModel, path: string[]) => {
    const s = state.get(c.logicalId);
    if (s === 'done') return;
    if (s === 'visiting') fail(undefined, `Composite alarms form a cycle: ${[...path, c.logicalId].join(' -> ')}.`);
    state.set(c.logicalId, 'visiting');
    for (const dep of [...c.children, ...(c.suppressor ? [c.suppressor] : [])]) {
      const d = alarms.get(dep);
      if (d && d.type === 'composite') visit(d, [...path, c.logicalId]);
    }
    state.set(c.logicalId, 'done');
    order.push(c);
  };
  for (const a of alarms.values()) if (a.type === 'composite') visit(a, []);
  return order;
}
