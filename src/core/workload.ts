import { Aspects, AspectPriority, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { AlarmRouting } from './alarm-routing';
import { Approvers } from './approvers';
import { Checks, checkProps, checkRequired, describeValue } from './checks';
import { fail } from './errors';
import { CloudWatchLimitsCheck } from './limits';
import { validateName } from './naming';
import { OpsTags } from './ops-tags';
import { Owner } from './owner';
import { ServiceTier } from './service-tier';

const WORKLOAD_SYMBOL = Symbol.for('cdk-operable.Workload');
const WORKLOADS_IN_STACK = Symbol.for('cdk-operable.WorkloadsInStack');

/**
 * Properties of a workload.
 */
export interface WorkloadProps {
  /**
   * Name of the workload, e.g. `freight`. Becomes the `ops:workload` tag and the first part of every alarm name.
   */
  readonly workloadName: string;

  /**
   * Who owns the workload and how to reach on-call.
   */
  readonly owner: Owner;

  /**
   * How critical the workload is; drives default objectives, log retention and incident impact.
   *
   * @default ServiceTier.STANDARD
   */
  readonly tier?: ServiceTier;

  /**
   * Base URL of the workload's runbooks. Alarms link `<base>/<service>/<slo>` unless they name their own.
   * Must be a path-style `http(s)` URL (no `?`, `#` or `&`: it also becomes the `ops:runbook` tag).
   *
   * @default - alarms name no runbook unless given one; each such SLO warns `cdk-operable:no-runbook`
   */
  readonly runbookBaseUrl?: string;

  /**
   * Where page and ticket composites notify.
   *
   * @default - no destinations; each SLO warns `cdk-operable:no-page-destination`
   */
  readonly routing?: AlarmRouting;

  /**
   * Who approves the workload's state-changing runbooks (usually its on-call roles). Runbooks that change
   * production wait for them unless opted out.
   *
   * @default - none: runbooks that change state need approvers of their own or an explicit opt-out
   */
  readonly approvers?: Approvers;

  /**
   * Check every alarm, composite alarm and tagged resource under the workload against CloudWatch limits at synth
   * (reported as synth errors on the offending construct).
   *
   * @default true
   */
  readonly validateCloudWatchLimits?: boolean;
}

/**
 * A workload: the unit of ownership. Every operable construct is defined inside one, finds it with
 * `Workload.of(this)`, and inherits its owner, tier, runbook base URL and alarm routing.
 *
 * Every taggable resource under the workload gets the ORR tags `ops:workload`, `ops:owner`, `ops:oncall`
 * and `ops:tier` (OPS02-BP01). Stacks may be defined inside a workload, or a workload inside a stack.
 *
 * @example
 * const workload = new Workload(stack, 'Freight', {
 *   workloadName: 'freight',
 *   owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
 *   tier: ServiceTier.CRITICAL,
 *   runbookBaseUrl: 'https://runbooks.example.com/freight',
 *   routing: new AlarmRouting({ page: [AlarmDestination.sns(pagerTopic)] }),
 * });
 */
export class Workload extends Construct {
  /**
   * The workload `scope` is defined in. Throws, telling the user what to create, when there is none.
   */
  public static of(scope: IConstruct): Workload {
    const found = Workload.find(scope);
    if (!found) {
      fail(scope, 'is not inside a Workload. Every operable construct needs an owner: create ' +
        "`new Workload(stack, 'Workload', { workloadName: 'my-workload', owner: { team: 'my-team', onCall: 'my-team-oncall' } })` " +
        `and define '${scope.node.id}' inside it (its scope, or any ancestor, must be the Workload).`);
    }
    return found;
  }

  /**
   * The workload `scope` is defined in, or undefined when there is none.
   */
  public static find(scope: IConstruct): Workload | undefined {
    for (const s of [...scope.node.scopes].reverse()) {
      if (Workload.isWorkload(s)) return s;
    }
    return undefined;
  }

  /**
   * Whether `x` is a Workload (works across copies of this library).
   */
  public static isWorkload(x: unknown): x is Workload {
    return x !== null && typeof x === 'object' && WORKLOAD_SYMBOL in (x as object);
  }

  /** Name of the workload. */
  public readonly workloadName: string;
  /** Owner of the workload. */
  public readonly owner: Owner;
  /** Tier of the workload. */
  public readonly tier: ServiceTier;
  /**
   * Base URL of the workload's runbooks.
   * @default - none
   */
  public readonly runbookBaseUrl?: string;
  /**
   * Alarm routing.
   * @default - none
   */
  public readonly routing?: AlarmRouting;

  /**
   * Approvers of state-changing runbooks.
   * @default - none
   */
  public readonly approvers?: Approvers;

  private readonly pageAlarms: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    Object.defineProperty(this, WORKLOAD_SYMBOL, { value: true });
    validateWorkloadProps(this, props);

    this.workloadName = validateName(this, 'workloadName', props.workloadName);
    this.owner = props.owner;
    this.tier = props.tier ?? ServiceTier.STANDARD;
    this.tier._validate(this, 'tier');
    this.routing = props.routing;
    this.routing?._validate(this, 'routing');
    this.approvers = props.approvers;
    props.approvers?.validate(this);
    claimWorkloadName(this);

    if (props.runbookBaseUrl !== undefined) {
      const base = Token.isUnresolved(props.runbookBaseUrl) ? props.runbookBaseUrl : props.runbookBaseUrl.replace(/\/+$/, '');
      if (!Token.isUnresolved(base) && !/^https?:\/\/[^\s]+$/.test(base)) {
        fail(this, `runbookBaseUrl '${props.runbookBaseUrl}' must be an http(s) URL, e.g. 'https://runbooks.example.com/freight'.`);
      }
      OpsTags.validate(this, OpsTags.RUNBOOK, base, 'runbookBaseUrl');
      this.runbookBaseUrl = base;
    }

    this.own(this);

    if (props.validateCloudWatchLimits ?? true) {
      Aspects.of(this).add(new CloudWatchLimitsCheck(), { priority: AspectPriority.READONLY });
    }
  }

  /**
   * Tag resources outside this workload's construct subtree as owned by it (`ops:workload`, `ops:owner`, `ops:oncall`,
   * `ops:tier`): e.g. a topic the routing needs before the workload exists, or a queue created at stack level.
   * Everything inside the workload is tagged already.
   */
  public own(scope: IConstruct): void {
    OpsTags.apply(scope, OpsTags.WORKLOAD, this.workloadName);
    OpsTags.apply(scope, OpsTags.OWNER, this.owner.team);
    OpsTags.apply(scope, OpsTags.ONCALL, this.owner.onCall);
    OpsTags.apply(scope, OpsTags.TIER, this.tier.name);
  }

  /**
   * Record a composite that pages for part of this workload (an SLO's or a service's), so workload-level
   * composites and dashboards can roll it up.
   */
  public registerPageAlarm(alarm: cloudwatch.IAlarm): void {
    if (!this.pageAlarms.includes(alarm)) this.pageAlarms.push(alarm);
  }

  /**
   * The composites that page for parts of this workload, in registration order.
   */
  public get registeredPageAlarms(): cloudwatch.IAlarm[] {
    return [...this.pageAlarms];
  }

  /**
   * The default runbook URL of a service: `<runbookBaseUrl>/<service>`, or undefined without a runbook base URL.
   */
  public runbookServiceUrl(serviceName: string): string | undefined {
    return this.runbookBaseUrl ? `${this.runbookBaseUrl}/${serviceName}` : undefined;
  }

  /**
   * The default runbook URL for a topic of a service: `<runbookBaseUrl>/<service>/<topic>`,
   * or undefined when the workload has no runbook base URL.
   */
  public runbookUrl(serviceName: string, topic: string): string | undefined {
    return this.runbookBaseUrl ? `${this.runbookBaseUrl}/${serviceName}/${topic}` : undefined;
  }
}

/** Plain-JavaScript callers get a precise error for each prop of the wrong shape, not a TypeError later. */
function validateWorkloadProps(scope: Workload, props: WorkloadProps): void {
  checkProps(scope, 'WorkloadProps', props, {
    workloadName: [Checks.string({ tokens: false }), "Give a name like 'freight'."],
    runbookBaseUrl: [Checks.string(), "Give a URL like 'https://runbooks.example.com/freight'."],
    tier: [Checks.instance(ServiceTier.isServiceTier, 'a ServiceTier (ServiceTier.STANDARD, ServiceTier.CRITICAL, ServiceTier.custom(...))')],
    routing: [Checks.instance(AlarmRouting.isAlarmRouting, 'an AlarmRouting (new AlarmRouting({ page: [AlarmDestination.sns(topic)] }))')],
    approvers: [Checks.instance(Approvers.isApprovers, 'Approvers (Approvers.of({ roles: [oncallRole] }))')],
    validateCloudWatchLimits: [Checks.boolean],
  });
  checkRequired(scope, 'workloadName', props.workloadName, Checks.string({ tokens: false }), "Give a name like 'freight'.");
  checkRequired(scope, 'owner', props.owner, Checks.object('an Owner object { team, onCall }'),
    "Give owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' }: every workload needs an owning team and an on-call contact (OPS02-BP01).");
  const owner = props.owner as unknown as Record<string, unknown>;
  for (const field of ['team', 'onCall'] as const) {
    const value = owner[field];
    if (typeof value !== 'string' || value.trim() === '') {
      fail(scope, `owner.${field} must be a non-empty string, got ${describeValue(value)}. Every workload needs an owning team and an on-call ` +
        'contact (OPS02-BP01).');
    }
  }
  for (const field of ['escalation', 'chatChannel'] as const) {
    if (owner[field] !== undefined && (typeof owner[field] !== 'string' || (owner[field] as string).trim() === '')) {
      fail(scope, `owner.${field} must be a non-empty string when given, got ${describeValue(owner[field])}. Leave it out to record none.`);
    }
  }
}

/** Two workloads of one name in a stack would give their rollups the same alarm and dashboard names. */
function claimWorkloadName(workload: Workload): void {
  const stack = workload.node.scopes.find((s): s is Stack => Stack.isStack(s));
  if (!stack) return; // a workload above its stacks: each stack's rollup is named after the stack too

  const others = (stack as unknown as Record<symbol, Map<string, string> | undefined>)[WORKLOADS_IN_STACK] ?? new Map<string, string>();
  Object.defineProperty(stack, WORKLOADS_IN_STACK, { value: others, configurable: true, enumerable: false });
  const existing = others.get(workload.workloadName);
  if (existing !== undefined && existing !== workload.node.path) {
    fail(workload, `workloadName '${workload.workloadName}' is already used by ${existing} in stack ${stack.node.path}: their alarms and ` +
      'dashboards would have the same names. Use one Workload per workload and stack, or give this one another workloadName.');
  }
  others.set(workload.workloadName, workload.node.path);
}
