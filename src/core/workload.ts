import { Aspects, AspectPriority, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { AlarmRouting } from './alarm-routing';
import { Approvers } from './approvers';
import { fail } from './errors';
import { CloudWatchLimitsCheck } from './limits';
import { validateName } from './naming';
import { OpsTags } from './ops-tags';
import { Owner } from './owner';
import { ServiceTier } from './service-tier';

const WORKLOAD_SYMBOL = Symbol.for('cdk-operable.Workload');

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

    this.workloadName = validateName(this, 'workloadName', props.workloadName);
    this.owner = props.owner;
    this.tier = props.tier ?? ServiceTier.STANDARD;
    this.routing = props.routing;
    this.approvers = props.approvers;
    props.approvers?.validate(this);

    if (props.runbookBaseUrl !== undefined && !Token.isUnresolved(props.runbookBaseUrl)) {
      const base = props.runbookBaseUrl.replace(/\/+$/, '');
      if (!/^https?:\/\/[^\s]+$/.test(base)) {
        fail(this, `runbookBaseUrl '${props.runbookBaseUrl}' must be an http(s) URL, e.g. 'https://runbooks.example.com/freight'.`);
      }
      OpsTags.validate(this, OpsTags.RUNBOOK, base);
      this.runbookBaseUrl = base;
    } else {
      this.runbookBaseUrl = props.runbookBaseUrl;
    }

    for (const [field, value] of [['owner.team', props.owner.team], ['owner.onCall', props.owner.onCall]] as const) {
      if (value === undefined || value === null || `${value}`.trim() === '') {
        fail(this, `${field} is empty: every workload needs an owning team and an on-call contact (OPS02-BP01).`);
      }
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
