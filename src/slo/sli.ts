import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { brand, hasBrand } from '../core/brand';
import { Checks, checkProps, checkRequired, isDuration } from '../core/checks';
import { fail } from '../core/errors';

/**
 * A ratio SLI: the fraction of events that were bad. Give `bad` or `good`, and `total`.
 */
export interface RatioSliProps {
  /**
   * Bad events, e.g. `fn.metricErrors()` or API Gateway `5XXError` (statistic Sum).
   *
   * @default - derived as `total - good`; give exactly one of `bad` and `good`
   */
  readonly bad?: cloudwatch.IMetric;

  /**
   * Good events (statistic Sum), when that is what you count.
   *
   * @default - not used; give exactly one of `bad` and `good`
   */
  readonly good?: cloudwatch.IMetric;

  /**
   * All valid events, e.g. `fn.metricInvocations()` (statistic Sum or SampleCount).
   */
  readonly total: cloudwatch.IMetric;
}

/**
 * A latency SLI: the fraction of requests slower than a threshold, read with CloudWatch percentile rank.
 */
export interface LatencySliProps {
  /**
   * The latency metric, e.g. Lambda `Duration` or API Gateway `Latency`. Its statistic is replaced by
   * `PR(:threshold)` (percentage of samples at or under the threshold) and `SampleCount`.
   */
  readonly metric: cloudwatch.IMetric;

  /**
   * Requests slower than this are bad.
   *
   * @default - the workload tier's `latencyThreshold`
   */
  readonly threshold?: Duration;

  /**
   * The time unit the metric is published in, to express the threshold in: `Unit.MILLISECONDS`, `SECONDS` or
   * `MICROSECONDS`. Required for your own metrics; AWS metrics whose unit the library knows (Lambda `Duration` and API
   * Gateway `Latency` in milliseconds, ALB `TargetResponseTime` in seconds, ...) use theirs, and a different unit given for
   * them is an error.
   *
   * @default - the known unit of an AWS metric (see `Sli.KNOWN_LATENCY_UNITS`); required for any other metric
   */
  readonly unit?: cloudwatch.Unit;
}

/**
 * A percentage SLI: a metric whose Average is the percentage of good events, one sample per event.
 */
export interface PercentGoodSliProps {
  /**
   * The metric, e.g. a Synthetics canary's `SuccessPercent` (100 or 0 per run). Its statistic is replaced by
   * `Average` (percentage good) and `SampleCount` (events).
   */
  readonly metric: cloudwatch.IMetric;
}

/**
 * What an SLI measures.
 */
export enum SliKind {
  /** Bad events over total events (availability, error rate). */
  RATIO = 'RATIO',
  /** Requests slower than a threshold over all requests. */
  LATENCY = 'LATENCY',
  /** A percentage-of-good metric with one sample per event (canary runs). */
  PERCENT_GOOD = 'PERCENT_GOOD',
}

/**
 * Metric-math building blocks of an SLI (internal): expressions over the ids in `usingMetrics`.
 */
export interface SliExpressions {
  readonly usingMetrics: Record<string, cloudwatch.IMetric>;
  /** Bad events in the period. */
  readonly bad: string;
  /** All events in the period. */
  readonly total: string;
  /** Bad fraction in the period (0..1). */
  readonly ratio: string;
  /** Number of metrics the alarm queries. */
  readonly metricCount: number;
}

const COUNT_STATISTICS = ['Sum', 'SampleCount'];
const TIME_UNITS = [cloudwatch.Unit.MILLISECONDS, cloudwatch.Unit.SECONDS, cloudwatch.Unit.MICROSECONDS];

/** The time unit of each AWS latency metric the library knows, as `<namespace>/<metric name>`. */
const KNOWN_UNITS: Record<string, cloudwatch.Unit> = {
  'AWS/Lambda/Duration': cloudwatch.Unit.MILLISECONDS,
  'AWS/Lambda/PostRuntimeExtensionsDuration': cloudwatch.Unit.MILLISECONDS,
  'AWS/ApiGateway/Latency': cloudwatch.Unit.MILLISECONDS,
  'AWS/ApiGateway/IntegrationLatency': cloudwatch.Unit.MILLISECONDS,
  'AWS/ApplicationELB/TargetResponseTime': cloudwatch.Unit.SECONDS,
  'AWS/ELB/Latency': cloudwatch.Unit.SECONDS,
  'AWS/DynamoDB/SuccessfulRequestLatency': cloudwatch.Unit.MILLISECONDS,
  'AWS/AppSync/Latency': cloudwatch.Unit.MILLISECONDS,
  'AWS/States/ExecutionTime': cloudwatch.Unit.MILLISECONDS,
  'AWS/CloudFront/OriginLatency': cloudwatch.Unit.MILLISECONDS,
  'AWS/Synthetics/Duration': cloudwatch.Unit.MILLISECONDS,
  'AWS/Events/IngestionToInvocationStartLatency': cloudwatch.Unit.MILLISECONDS,
  'AWS/ApplicationSignals/Latency': cloudwatch.Unit.MILLISECONDS,
  'ApplicationSignals/Latency': cloudwatch.Unit.MILLISECONDS,
  'AWS/RDS/ReadLatency': cloudwatch.Unit.SECONDS,
  'AWS/RDS/WriteLatency': cloudwatch.Unit.SECONDS,
  'AWS/SQS/ApproximateAgeOfOldestMessage': cloudwatch.Unit.SECONDS,
};

/**
 * A service level indicator built from any CloudWatch metrics — AWS service metrics or your own EMF metrics.
 */
export class Sli {
  /**
   * The time unit of each AWS latency metric the library knows, as `<namespace>/<metric name>` → unit; a latency SLI on
   * one of these needs no `unit`.
   */
  public static readonly KNOWN_LATENCY_UNITS: { [metric: string]: cloudwatch.Unit } = { ...KNOWN_UNITS };

  /**
   * Bad events over total events, e.g. `Sli.ratio({ bad: fn.metricErrors(), total: fn.metricInvocations() })`.
   * Its input is checked by the SLO that uses it (the error then names the SLO).
   */
  public static ratio(props: RatioSliProps): Sli {
    return new Sli(SliKind.RATIO, props, undefined);
  }

  /**
   * Requests slower than `threshold` over all requests, from the latency metric's percentile rank.
   * Its input is checked by the SLO that uses it (the error then names the SLO).
   */
  public static latency(props: LatencySliProps): Sli {
    return new Sli(SliKind.LATENCY, undefined, props);
  }

  /**
   * The share of good events from a percentage metric with one sample per event, e.g.
   * `Sli.percentGood({ metric: canary.metricSuccessPercent() })`: bad fraction `(100 - Average)/100`.
   */
  public static percentGood(props: PercentGoodSliProps): Sli {
    return new Sli(SliKind.PERCENT_GOOD, undefined, undefined, props);
  }

  /**
   * Whether `x` is an Sli (works across copies of this library).
   */
  public static isSli(x: unknown): x is Sli {
    return hasBrand(x, 'Sli');
  }

  /** What the SLI measures. */
  public readonly kind: SliKind;

  private readonly ratioProps?: RatioSliProps;
  private readonly latencyProps?: LatencySliProps;
  private readonly percentProps?: PercentGoodSliProps;

  private constructor(kind: SliKind, ratio?: RatioSliProps, latency?: LatencySliProps, percent?: PercentGoodSliProps) {
    brand(this, 'Sli');
    this.kind = kind;
    this.ratioProps = ratio;
    this.latencyProps = latency;
    this.percentProps = percent;
  }

  /**
   * The latency threshold this SLI was given.
   *
   * @default - none: ratio SLIs have no threshold, and latency SLIs without one use the workload tier's
   */
  public get threshold(): Duration | undefined {
    return isDuration(this.latencyProps?.threshold) ? this.latencyProps!.threshold : undefined;
  }

  /** Check the factory input, naming the construct that uses the SLI and its `sli` prop. */
  private validate(scope: IConstruct): void {
    const metric = (v: unknown) => typeof (v as cloudwatch.IMetric | undefined)?.toMetricConfig === 'function';
    const isMetric = Checks.instance(metric, 'a cloudwatch.IMetric (e.g. fn.metricErrors())');
    if (this.ratioProps) {
      const p = this.ratioProps as unknown;
      checkProps(scope, 'RatioSliProps', p, { bad: [isMetric], good: [isMetric] }, 'sli: Sli.ratio ');
      checkRequired(scope, 'sli: Sli.ratio total', this.ratioProps.total, isMetric, 'Give the metric counting all valid events.');
      if ((this.ratioProps.bad === undefined) === (this.ratioProps.good === undefined)) {
        fail(scope, `sli: Sli.ratio needs exactly one of \`bad\` and \`good\` (plus \`total\`), got ${this.ratioProps.bad ? 'both' : 'neither'}. ` +
          'Give bad (e.g. fn.metricErrors()) when you count failures, good when you count successes.');
      }
    } else if (this.percentProps) {
      checkProps(scope, 'PercentGoodSliProps', this.percentProps, {}, 'sli: Sli.percentGood ');
      checkRequired(scope, 'sli: Sli.percentGood metric', this.percentProps.metric, isMetric);
    } else {
      const p = this.latencyProps as unknown as LatencySliProps;
      checkProps(scope, 'LatencySliProps', p, {
        threshold: [Checks.duration({ positive: true }), 'E.g. threshold: Duration.millis(400).'],
        unit: [Checks.enumOf(TIME_UNITS, 'the time units of cloudwatch.Unit'), 'Use Unit.MILLISECONDS, Unit.SECONDS or Unit.MICROSECONDS.'],
      }, 'sli: Sli.latency ');
      checkRequired(scope, 'sli: Sli.latency metric', p.metric, isMetric);
    }
  }

  /**
   * The SLI's plain metrics with labels, for an investigation playbook (math expressions are left out).
   * @internal
   */
  public _playbookMetrics(): Array<{ label: string; metric: cloudwatch.IMetric }> {
    const plain = (label: string, metric?: cloudwatch.IMetric, statistic?: string) => {
      if (!metric || !metric.toMetricConfig().metricStat) return [];
      return [{ label, metric: statistic && metric instanceof cloudwatch.Metric ? metric.with({ statistic }) : metric }];
    };
    if (this.ratioProps) {
      const p = this.ratioProps;
      return [...plain('Total events', p.total), ...plain('Bad events', p.bad), ...plain('Good events', p.good)];
    }
    if (this.percentProps) return [...plain('Percent good', this.percentProps.metric, 'Average'), ...plain('Samples', this.percentProps.metric, 'SampleCount')];
    return [...plain('Latency p99', this.latencyProps!.metric, 'p99'), ...plain('Requests', this.latencyProps!.metric, 'SampleCount')];
  }

  /**
   * Metric-math building blocks, checked against `scope`. `defaultThreshold` fills in a latency threshold.
   * @internal
   */
  public _expressions(scope: IConstruct, defaultThreshold: Duration): SliExpressions {
    this.validate(scope);
    if (this.ratioProps) {
      const p = this.ratioProps;
      checkCountMetric(scope, 'total', p.total);
      const total = flatten('total', p.total);
      if (p.bad) {
        checkCountMetric(scope, 'bad', p.bad);
        const bad = flatten('bad', p.bad);
        return {
          usingMetrics: { ...bad.usingMetrics, ...total.usingMetrics },
          bad: `FILL(${bad.text},0)`,
          total: total.text,
          ratio: `FILL(${bad.text},0)/${total.text}`,
          metricCount: countMetrics(p.bad) + countMetrics(p.total),
        };
      }
      checkCountMetric(scope, 'good', p.good!);
      const good = flatten('good', p.good!);
      return {
        usingMetrics: { ...good.usingMetrics, ...total.usingMetrics },
        bad: `(${total.text}-FILL(${good.text},0))`,
        total: total.text,
        ratio: `(${total.text}-FILL(${good.text},0))/${total.text}`,
        metricCount: countMetrics(p.good!) + countMetrics(p.total),
      };
    }
    if (this.percentProps) {
      const base = plainMetric(scope, 'Sli.percentGood', this.percentProps.metric);
      return {
        usingMetrics: { pct: base.with({ statistic: 'Average' }), n: base.with({ statistic: 'SampleCount' }) },
        bad: '((100-pct)/100*n)',
        total: 'n',
        ratio: '(100-pct)/100',
        metricCount: 2,
      };
    }
    const p = this.latencyProps!;
    const base = plainMetric(scope, 'Sli.latency', p.metric);
    const threshold = thresholdValue(scope, p.threshold ?? defaultThreshold, latencyUnit(scope, p));
    return {
      usingMetrics: {
        pr: base.with({ statistic: `PR(:${threshold})` }),
        n: base.with({ statistic: 'SampleCount' }),
      },
      bad: '((100-pr)/100*n)',
      total: 'n',
      ratio: '(100-pr)/100',
      metricCount: 2,
    };
  }
}

/**
 * A metric as a metric-math term over plain metrics only: a plain metric is its id; a math expression is its text in
 * parentheses, its own ids renamed `<id>_<inner id>` (recursively). Windows, burn-rate graphs and the Application Signals
 * SLO then rename and re-period every metric they use, which nested expressions (whose ids would repeat) do not allow.
 */
function flatten(id: string, metric: cloudwatch.IMetric): { text: string; usingMetrics: Record<string, cloudwatch.IMetric> } {
  const math = metric.toMetricConfig().mathExpression;
  if (!math) return { text: id, usingMetrics: { [id]: metric } };
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  const inner: Record<string, string> = {};
  for (const [childId, child] of Object.entries(math.usingMetrics)) {
    const flat = flatten(`${id}_${childId}`, child);
    inner[childId] = flat.text;
    Object.assign(usingMetrics, flat.usingMetrics);
  }
  const ids = Object.keys(inner).sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const text = ids.length === 0 ? math.expression : math.expression.replace(new RegExp(`\\b(${ids.join('|')})\\b`, 'g'), (m) => inner[m]);
  return { text: `(${text})`, usingMetrics };
}

/** The plain metric behind an IMetric, without its statistic; math expressions are refused. */
function plainMetric(scope: IConstruct, where: string, metric: cloudwatch.IMetric): cloudwatch.Metric {
  const stat = metric.toMetricConfig().metricStat;
  if (!stat) {
    fail(scope, `sli: ${where} needs a plain metric (namespace, name, dimensions), not a math expression: it reads the raw samples. ` +
      'Pass the cloudwatch.Metric the expression is built from.');
  }
  return new cloudwatch.Metric({
    namespace: stat!.namespace,
    metricName: stat!.metricName,
    dimensionsMap: Object.fromEntries((stat!.dimensions ?? []).map((d) => [d.name, String(d.value)])),
    account: stat!.account,
    region: stat!.region,
  });
}

function checkCountMetric(scope: IConstruct, role: string, metric: cloudwatch.IMetric): void {
  const stat = metric.toMetricConfig().metricStat;
  if (stat && !COUNT_STATISTICS.includes(stat.statistic)) {
    fail(scope, `sli: Sli.ratio ${role} metric ${stat.namespace}/${stat.metricName} uses statistic '${stat.statistic}', ` +
      "but a ratio SLI counts events. Use metric.with({ statistic: 'Sum' }) (or 'SampleCount').");
  }
}

/** Number of metrics (not expressions) an IMetric queries. */
export function countMetrics(metric: cloudwatch.IMetric): number {
  const config = metric.toMetricConfig();
  if (config.metricStat) return 1;
  if (config.mathExpression) {
    return Object.values(config.mathExpression.usingMetrics).reduce((n, m) => n + countMetrics(m), 0);
  }
  return 0;
}

/**
 * The unit the latency metric is published in: the one the metric carries (`unitFilter`) or the user gave, checked against
 * the known unit of an AWS metric; required for any metric whose unit the library does not know.
 */
function latencyUnit(scope: IConstruct, p: LatencySliProps): cloudwatch.Unit {
  const stat = p.metric.toMetricConfig().metricStat!;
  const key = `${stat.namespace}/${stat.metricName}`;
  const known = KNOWN_UNITS[key];
  const given = p.unit ?? (stat.unitFilter && TIME_UNITS.includes(stat.unitFilter) ? stat.unitFilter : undefined);
  if (known !== undefined && given !== undefined && given !== known) {
    fail(scope, `sli: Sli.latency unit is ${given}, but ${key} is published in ${known}: a threshold in the wrong unit makes an SLO that ` +
      `never (or always) burns. Leave unit out for ${key}.`);
  }
  const unit = given ?? known;
  if (unit === undefined) {
    fail(scope, `sli: Sli.latency needs the unit of ${key}: the library does not know what unit it is published in, and a threshold in ` +
      'the wrong unit makes an SLO that never (or always) burns. Pass unit: cloudwatch.Unit.MILLISECONDS (or SECONDS, MICROSECONDS).');
  }
  return unit;
}

function thresholdValue(scope: IConstruct, threshold: Duration, unit: cloudwatch.Unit): number {
  const ms = threshold.toMilliseconds({ integral: false });
  if (Token.isUnresolved(ms)) fail(scope, 'sli: Sli.latency threshold must be known at synth time, got a token.');
  if (ms <= 0) fail(scope, `sli: Sli.latency threshold must be greater than zero, got ${threshold.toHumanString()}.`);
  switch (unit) {
    case cloudwatch.Unit.MILLISECONDS: return round(ms);
    case cloudwatch.Unit.SECONDS: return round(ms / 1000);
    case cloudwatch.Unit.MICROSECONDS: return round(ms * 1000);
    default:
      return fail(scope, `sli: Sli.latency unit '${unit}' is not a time unit; use Unit.MILLISECONDS, SECONDS or MICROSECONDS.`);
  }
}

function round(n: number): number {
  return Number(n.toPrecision(10));
}
