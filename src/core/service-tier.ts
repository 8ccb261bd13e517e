import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { brand, hasBrand } from './brand';
import { Checks, describeValue } from './checks';
import { fail } from './errors';

/**
 * Properties of a service tier.
 */
export interface ServiceTierProps {
  /**
   * Short name, used as the `ops:tier` tag value, e.g. `critical`.
   */
  readonly name: string;

  /**
   * What the tier means for the business and for on-call, shown in docs and the readiness report.
   */
  readonly description: string;

  /**
   * Default availability objective, in percent (e.g. 99.9) for SLOs that do not set one.
   */
  readonly availabilityObjective: number;

  /**
   * Default latency objective: the percentage of requests that must be faster than `latencyThreshold`.
   */
  readonly latencyObjective: number;

  /**
   * Default latency threshold for latency SLIs that do not set one.
   */
  readonly latencyThreshold: Duration;

  /**
   * How long logs of services in this tier are kept.
   */
  readonly logRetention: RetentionDays;

  /**
   * Incident Manager impact (1 = critical, 5 = no impact) of an incident opened by this tier's page alarm.
   */
  readonly incidentImpact: number;
}

/**
 * How critical a workload is. The tier drives default objectives, log retention, and incident impact,
 * and the rule pack holds critical workloads to a stricter bar (pages must reach a paging destination).
 *
 * Use a preset, or `ServiceTier.custom()` for your own.
 */
export class ServiceTier {
  /**
   * Revenue- or safety-critical, customer-facing: an outage is a business incident.
   * 99.95 % availability, 99 % of requests under 500 ms, logs kept a year, incidents at impact 1.
   * Page alarms must route to Incident Manager or a paging destination.
   */
  public static readonly CRITICAL = new ServiceTier({
    name: 'critical',
    description: 'Revenue- or safety-critical and customer-facing: an outage is a business incident and pages on-call at any hour.',
    availabilityObjective: 99.95,
    latencyObjective: 99,
    latencyThreshold: Duration.millis(500),
    logRetention: RetentionDays.ONE_YEAR,
    incidentImpact: 1,
  });

  /**
   * Customer-facing or a dependency of one: degraded service pages on-call.
   * 99.9 % availability, 99 % of requests under 1 s, logs kept six months, incidents at impact 3.
   */
  public static readonly STANDARD = new ServiceTier({
    name: 'standard',
    description: 'Customer-facing or a dependency of one: fast error-budget burn pages on-call, slow burn opens a ticket.',
    availabilityObjective: 99.9,
    latencyObjective: 99,
    latencyThreshold: Duration.seconds(1),
    logRetention: RetentionDays.SIX_MONTHS,
    incidentImpact: 3,
  });

  /**
   * Internal tools and batch work that can wait: 99.5 % availability, 95 % of requests under 3 s,
   * logs kept a month, incidents at impact 5.
   */
  public static readonly BEST_EFFORT = new ServiceTier({
    name: 'best-effort',
    description: 'Internal tooling or batch work that can wait: alarms exist, but a slow fix is acceptable.',
    availabilityObjective: 99.5,
    latencyObjective: 95,
    latencyThreshold: Duration.seconds(3),
    logRetention: RetentionDays.ONE_MONTH,
    incidentImpact: 5,
  });

  /**
   * A tier of your own. Its props are checked when a Workload uses it (the error then names the workload).
   */
  public static custom(props: ServiceTierProps): ServiceTier {
    return new ServiceTier(props);
  }

  /**
   * Whether `x` is a ServiceTier (works across copies of this library).
   */
  public static isServiceTier(x: unknown): x is ServiceTier {
    return hasBrand(x, 'ServiceTier');
  }

  /** Short name, used as the `ops:tier` tag value. */
  public readonly name: string;
  /** What the tier means. */
  public readonly description: string;
  /** Default availability objective in percent. */
  public readonly availabilityObjective: number;
  /** Default latency objective in percent. */
  public readonly latencyObjective: number;
  /** Default latency threshold. */
  public readonly latencyThreshold: Duration;
  /** Log retention. */
  public readonly logRetention: RetentionDays;
  /** Incident Manager impact, 1 (critical) to 5 (none). */
  public readonly incidentImpact: number;

  private readonly problems: string[];

  private constructor(props: ServiceTierProps) {
    brand(this, 'ServiceTier');
    this.problems = tierProblems(props);
    const p = (props ?? {}) as ServiceTierProps;
    this.name = p.name;
    this.description = p.description;
    this.availabilityObjective = p.availabilityObjective;
    this.latencyObjective = p.latencyObjective;
    this.latencyThreshold = p.latencyThreshold;
    this.logRetention = p.logRetention;
    this.incidentImpact = p.incidentImpact;
  }

  /**
   * Fail, naming `scope` and `prop`, when the tier was built from bad input.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.problems.length > 0) fail(scope, `${prop}: ${this.problems[0]}`);
  }
}

/** What is wrong with custom tier props, if anything. */
function tierProblems(props: ServiceTierProps): string[] {
  if (props === null || typeof props !== 'object') return [`ServiceTier.custom needs ServiceTierProps, got ${describeValue(props)}.`];
  const label = `ServiceTier '${String(props.name)}'`;
  const problems: string[] = [];
  const check = (field: string, value: unknown, problem: string | undefined, fix: string) => {
    if (problem) problems.push(`${label}: ${field} ${problem}, got ${describeValue(value)}. ${fix}`);
  };
  if (typeof props.name !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(props.name)) {
    problems.push(`ServiceTier name ${describeValue(props.name)} must be 1-32 lower-case letters, digits or '-', starting with a letter ` +
      '(it becomes the ops:tier tag), e.g. \'payments-critical\'.');
  }
  check('description', props.description, Checks.string({ nonEmpty: true })(props.description), 'Say what the tier means for on-call.');
  for (const [field, value] of [['availabilityObjective', props.availabilityObjective], ['latencyObjective', props.latencyObjective]] as const) {
    check(field, value, Checks.number({ above: 0, below: 100 })(value), 'Give a percentage such as 99.9.');
  }
  check('incidentImpact', props.incidentImpact, Checks.number({ integer: true, min: 1, max: 5 })(props.incidentImpact),
    'Use 1 (critical) to 5 (no impact).');
  check('latencyThreshold', props.latencyThreshold, Checks.duration({ positive: true })(props.latencyThreshold), 'E.g. Duration.millis(500).');
  check('logRetention', props.logRetention, Checks.enumOf(RetentionDays, 'logs.RetentionDays')(props.logRetention),
    'E.g. logs.RetentionDays.SIX_MONTHS.');
  return problems;
}

