import { CfnElement, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmModel, metricKey, readAlarms } from './alarm-model';
import { EngineOutput, quotaKey, simulate, STATE_NAMES } from './engine';
import { renderIntrinsic } from './intrinsics';
import { MetricSeries, TrafficSeries } from './series';
import { fail } from '../core/errors';
import { ServiceLevelObjective } from '../slo/slo';

/**
 * A metric and statistic, as an alarm queries it.
 */
export interface MetricIdentity {
  /** Namespace, e.g. `AWS/Lambda`. */
  readonly metricNamespace: string;
  /** Metric name, e.g. `Errors`. */
  readonly metricName: string;
  /**
   * Dimensions. Values that are CloudFormation references are written `${LogicalId}`.
   * @default - no dimensions
   */
  readonly dimensions?: Record<string, string>;
  /** Statistic as the alarm states it, e.g. `Sum`, `SampleCount`, `PR(:300)`. */
  readonly statistic: string;
}

/**
 * How long to simulate.
 */
export interface SimulationOptions {
  /**
   * Minutes to simulate.
   * @default - the length of the longest series fed
   */
  readonly minutes?: number;
}

/**
 * One state change of an alarm.
 */
export interface AlarmStateChange {
  /** Evaluation minute of the change. */
  readonly minute: number;
  /** New state. */
  readonly state: cloudwatch.AlarmState;
  /** Previous state. */
  readonly previousState: cloudwatch.AlarmState;
}

/**
 * One action an alarm executed.
 */
export interface AlarmNotification {
  /** Evaluation minute. */
  readonly minute: number;
  /** Logical id of the alarm that acted. */
  readonly alarmLogicalId: string;
  /** Name of the alarm that acted (the logical id when the template names none). */
  readonly alarmName: string;
  /** The state the action is for. */
  readonly state: cloudwatch.AlarmState;
  /** The action, references written `${LogicalId}`, e.g. `${PagesTopic}`. */
  readonly action: string;
}

/**
 * A promtool-like harness for CloudWatch alarms: feed 1-minute datapoints to the metrics of a synthesized stack
 * and get every alarm's state timeline and the notifications actually sent — no AWS account needed.
 *
 * Evaluates metric alarms every minute over sliding windows (`Period`, `EvaluationPeriods`, `DatapointsToAlarm`,
 * all four `TreatMissingData` modes), the metric-math functions alarms use (arithmetic, comparisons,
 * `AND`/`OR`/`NOT`, `IF`, `FILL`, `ABS`, `CEIL`, `FLOOR`), composite alarm rules (`ALARM/OK/INSUFFICIENT_DATA`,
 * `AND`, `OR`, `NOT`, `TRUE`, `FALSE`, `AT_LEAST`, parentheses) and composite actions suppression
 * (`ActionsSuppressor` with wait and extension periods). Anything it cannot simulate throws.
 *
 * @example
 * const sim = AlarmSimulator.fromStack(stack);
 * sim.feedSlo(slo, TrafficSeries.steady({ minutes: 4320, requestsPerMinute: 100 })
 *   .then(TrafficSeries.outage({ minutes: 60, requestsPerMinute: 100 })));
 * const result = sim.run();
 * result.firstMinuteInState(slo.pageAlarm, cloudwatch.AlarmState.ALARM); // 4320: paged in the first minute
 */
export class AlarmSimulator {
  /**
   * Simulate the alarms of a stack (synthesizes its app stage).
   */
  public static fromStack(stack: Stack): AlarmSimulator {
    const stage = Stage.of(stack);
    if (!stage) fail(stack, 'is not in an App or Stage, so it cannot be synthesized for simulation.');
    const template = stage!.synth().getStackArtifact(stack.artifactId).template;
    return new AlarmSimulator(template, stack);
  }

  /**
   * Simulate the alarms of a CloudFormation template (as JSON).
   */
  public static fromTemplate(template: Record<string, unknown>): AlarmSimulator {
    return new AlarmSimulator(template, undefined);
  }

  private readonly alarms: Map<string, AlarmModel>;
  private readonly series = new Map<string, Float64Array>();
  private readonly quotas = new Map<string, number>();

  private constructor(template: Record<string, unknown>, private readonly stack: Stack | undefined) {
    this.alarms = readAlarms(template);
  }

  /** Logical ids of the alarms and composite alarms found. */
  public get alarmLogicalIds(): string[] {
    return [...this.alarms.keys()];
  }

  /**
   * Feed 1-minute datapoints for a metric (with the statistic the metric states).
   */
  public feed(metric: cloudwatch.IMetric, series: MetricSeries): void {
    const stat = metric.toMetricConfig().metricStat;
    if (!stat) fail(undefined, 'AlarmSimulator.feed needs a plain metric; feed the metrics a math expression uses instead.');
    const dimensions: Record<string, string> = {};
    for (const d of stat!.dimensions ?? []) dimensions[d.name] = this.render(d.value);
    this.feedIdentity({
      metricNamespace: this.render(stat!.namespace),
      metricName: this.render(stat!.metricName),
      dimensions,
      statistic: stat!.statistic,
    }, series);
  }

  /**
   * Feed 1-minute datapoints for a metric given by identity.
   */
  public feedIdentity(identity: MetricIdentity, series: MetricSeries): void {
    this.series.set(metricKey(identity.metricNamespace, identity.metricName, identity.dimensions ?? {}, identity.statistic), series._values());
  }

  /**
   * Set the service quota AWS applies to a usage metric, what an alarm's `SERVICE_QUOTA(m)` reads (e.g. the account's
   * Lambda concurrency quota for `AWS/Lambda ConcurrentExecutions`). The metric's statistic does not matter.
   */
  public setServiceQuota(metric: cloudwatch.IMetric, quota: number): void {
    const stat = metric.toMetricConfig().metricStat;
    if (!stat) fail(undefined, 'AlarmSimulator.setServiceQuota needs a plain metric (the usage metric SERVICE_QUOTA reads).');
    if (!Number.isFinite(quota) || quota < 0) fail(undefined, `AlarmSimulator.setServiceQuota: quota must be a number of at least 0, got ${quota}.`);
    const dimensions: Record<string, string> = {};
    for (const d of stat!.dimensions ?? []) dimensions[d.name] = this.render(d.value);
    this.quotas.set(quotaKey(this.render(stat!.namespace), this.render(stat!.metricName), dimensions), quota);
  }

  /**
   * Feed an SLO's SLI metrics from traffic: total and bad (or good) events for a ratio SLI; percentile rank and
   * sample count for a latency SLI (bad = slower than the threshold); average percentage and sample count for a
   * percent-good SLI.
   */
  public feedSlo(slo: ServiceLevelObjective, traffic: TrafficSeries): void {
    const sources: Record<string, MetricSeries> = {
      bad: traffic.bad,
      good: traffic.good,
      total: traffic.total,
      pr: traffic.percentGood,
      pct: traffic.percentGood,
      n: traffic.total,
    };
    for (const [id, metric] of Object.entries(slo._sli.usingMetrics)) {
      if (!metric.toMetricConfig().metricStat) {
        fail(slo, `SLI metric '${id}' is a math expression; feed the metrics it uses with AlarmSimulator.feed().`);
      }
      this.feed(metric, sources[id]);
    }
  }

  /**
   * Run the simulation.
   */
  public run(options: SimulationOptions = {}): SimulationResult {
    const longest = Math.max(0, ...[...this.series.values()].map((s) => s.length));
    const minutes = options.minutes ?? longest;
    if (!Number.isInteger(minutes) || minutes <= 0) {
      fail(undefined, `AlarmSimulator.run: minutes must be a whole number above 0, got ${minutes} (feed a series or pass minutes).`);
    }
    return SimulationResult._create(simulate(this.alarms, this.series, minutes, this.quotas), this.stack);
  }

  private render(value: unknown): string {
    if (typeof value === 'string' && !Token.isUnresolved(value)) return value;
    if (!this.stack) fail(undefined, 'AlarmSimulator.fromTemplate cannot resolve CDK tokens in a metric; use feedIdentity().');
    return renderIntrinsic(this.stack!.resolve(value));
  }
}

/**
 * What a simulation produced: per-alarm state timelines and the notifications sent.
 */
export class SimulationResult {
  /** @internal */
  public static _create(output: EngineOutput, stack: Stack | undefined): SimulationResult {
    return new SimulationResult(output, stack);
  }

  /** Minutes simulated. */
  public readonly minutes: number;

  /** Every action executed, in order. */
  public readonly notifications: AlarmNotification[];

  private constructor(private readonly output: EngineOutput, private readonly stack: Stack | undefined) {
    this.minutes = output.minutes;
    this.notifications = output.notifications.map((n) => ({ ...n, state: n.state as cloudwatch.AlarmState }));
  }

  /**
   * Metrics that alarms query but were not fed (simulated as having no data).
   */
  public get unfedMetrics(): string[] {
    return [...new Set([...this.output.unfed.values()].flat())].sort();
  }

  /**
   * The logical id of an alarm of the simulated stack.
   */
  public logicalIdOf(alarm: cloudwatch.IAlarm): string {
    const child = alarm.node.defaultChild;
    if (!(child instanceof CfnElement)) fail(alarm, 'is an imported alarm; the simulator only knows alarms defined in the stack.');
    if (this.stack && Stack.of(child as CfnElement) !== this.stack) {
      fail(alarm, `is not in the simulated stack '${this.stack.node.path}'; its logical id could name a different alarm there.`);
    }
    const stack = this.stack ?? Stack.of(child as CfnElement);
    return stack.resolve((child as CfnElement).logicalId);
  }

  /**
   * State changes of an alarm.
   */
  public transitions(alarm: cloudwatch.IAlarm): AlarmStateChange[] {
    return this.transitionsOf(this.logicalIdOf(alarm));
  }

  /**
   * State changes of an alarm given by logical id.
   */
  public transitionsOf(logicalId: string): AlarmStateChange[] {
    this.check(logicalId);
    return this.output.transitions.get(logicalId)!.map((t) => ({
      minute: t.minute,
      state: t.state as cloudwatch.AlarmState,
      previousState: t.previousState as cloudwatch.AlarmState,
    }));
  }

  /**
   * State of an alarm after evaluation minute `minute`.
   */
  public stateAt(alarm: cloudwatch.IAlarm, minute: number): cloudwatch.AlarmState {
    const id = this.logicalIdOf(alarm);
    this.check(id);
    if (!Number.isInteger(minute) || minute < 0 || minute >= this.minutes) {
      fail(undefined, `SimulationResult.stateAt: minute ${minute} is outside the simulation (0-${this.minutes - 1}).`);
    }
    return STATE_NAMES[this.output.states.get(id)![minute]] as cloudwatch.AlarmState;
  }

  /**
   * First evaluation minute at or after `fromMinute` in which the alarm is in `state`, or undefined if never.
   */
  public firstMinuteInState(alarm: cloudwatch.IAlarm, state: cloudwatch.AlarmState, fromMinute?: number): number | undefined {
    const id = this.logicalIdOf(alarm);
    this.check(id);
    const states = this.output.states.get(id)!;
    const code = STATE_NAMES.indexOf(state as typeof STATE_NAMES[number]);
    for (let t = fromMinute ?? 0; t < this.minutes; t++) if (states[t] === code) return t;
    return undefined;
  }

  /**
   * Minutes (between `fromMinute` and `toMinute`, exclusive) the alarm spent in `state`.
   */
  public minutesInState(alarm: cloudwatch.IAlarm, state: cloudwatch.AlarmState, fromMinute?: number, toMinute?: number): number {
    const id = this.logicalIdOf(alarm);
    this.check(id);
    const states = this.output.states.get(id)!;
    const code = STATE_NAMES.indexOf(state as typeof STATE_NAMES[number]);
    let count = 0;
    for (let t = fromMinute ?? 0; t < (toMinute ?? this.minutes); t++) if (states[t] === code) count++;
    return count;
  }

  /**
   * Notifications one alarm sent.
   */
  public notificationsFor(alarm: cloudwatch.IAlarm): AlarmNotification[] {
    const id = this.logicalIdOf(alarm);
    this.check(id);
    return this.notifications.filter((n) => n.alarmLogicalId === id);
  }

  private check(logicalId: string): void {
    const missing = this.output.unfed.get(logicalId);
    if (missing === undefined) fail(undefined, `SimulationResult: no alarm with logical id '${logicalId}' in the simulated template.`);
    if (missing!.length > 0) {
      fail(undefined, `SimulationResult: alarm '${logicalId}' depends on metrics that were not fed: ${missing!.join('; ')}. ` +
        'Feed them (AlarmSimulator.feed / feedIdentity / feedSlo) or the answer would only reflect missing data.');
    }
  }
}
