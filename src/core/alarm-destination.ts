import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { brand, hasBrand } from './brand';
import { fail } from './errors';

/** Incident Manager response plan names: 1-200 letters, digits, '_' or '-'. */
const RESPONSE_PLAN_NAME = /^[a-zA-Z0-9_-]{1,200}$/;

/**
 * An Incident Manager response plan defined in the app, which alarms can open incidents with
 * (e.g. `IncidentResponse.pagePlan`).
 */
export interface IResponsePlan extends IConstruct {
  /** The response plan's name (alarm actions name the plan, not its ARN). */
  readonly responsePlanName: string;
}

/**
 * The kind of an alarm destination, as the rule pack and the readiness report classify it.
 */
export enum AlarmDestinationKind {
  /** An SNS topic (chat, e-mail, a paging integration subscribed to it). */
  SNS = 'sns',
  /** An AWS Systems Manager Incident Manager response plan: opens an incident and engages on-call. */
  INCIDENT_MANAGER = 'incident-manager',
  /** An AWS Systems Manager OpsCenter OpsItem: a ticket. */
  OPS_ITEM = 'ops-item',
  /** A Lambda function. */
  LAMBDA = 'lambda',
  /** Any other alarm action. */
  CUSTOM = 'custom',
}

/**
 * Where a composite alarm notifies. Create with a static factory.
 *
 * Destinations are attached to composite alarms only (see `AlarmRouting`); window alarms never notify.
 */
export class AlarmDestination {
  /**
   * Notify an SNS topic.
   */
  public static sns(topic: sns.ITopic): AlarmDestination {
    const cfnName = (topic.node.defaultChild as sns.CfnTopic | undefined)?.topicName;
    const name = !Token.isUnresolved(topic.topicName) ? topic.topicName
      : typeof cfnName === 'string' && !Token.isUnresolved(cfnName) ? cfnName : topic.node.path;
    return new AlarmDestination(AlarmDestinationKind.SNS, `SNS topic ${name}`,
      () => new actions.SnsAction(topic));
  }

  /**
   * Open an incident with an Incident Manager response plan, given by *name* (not ARN).
   */
  public static incidentManager(responsePlanName: string): AlarmDestination {
    let problem: string | undefined;
    if (typeof responsePlanName !== 'string') {
      problem = `AlarmDestination.incidentManager needs a response plan name (a string), got ${typeof responsePlanName}.`;
    } else if (!Token.isUnresolved(responsePlanName) && !RESPONSE_PLAN_NAME.test(responsePlanName)) {
      const hint = responsePlanName.startsWith('arn:') ? ' Pass the response plan name (the part after "response-plan/"), not its ARN.' : '';
      problem = `AlarmDestination.incidentManager('${responsePlanName}'): not a valid response plan name (1-200 letters, digits, '_' or '-').${hint}`;
    }
    return new AlarmDestination(AlarmDestinationKind.INCIDENT_MANAGER, `Incident Manager response plan ${responsePlanName}`,
      () => new actions.SsmIncidentAction(responsePlanName), problem);
  }

  /**
   * Open an incident with a response plan defined in the app (e.g. `IncidentResponse.pagePlan`). The action names the
   * plan, and every alarm it is attached to depends on the plan, so the plan exists before an alarm can fire.
   */
  public static responsePlan(plan: IResponsePlan): AlarmDestination {
    const name = plan.responsePlanName;
    if (Token.isUnresolved(name)) {
      fail(plan, 'AlarmDestination.responsePlan: the response plan name is a token; alarm actions need the name at synth. ' +
        'Give the plan a literal name, or use AlarmDestination.incidentManager(name).');
    }
    if (!RESPONSE_PLAN_NAME.test(name)) {
      fail(plan, `AlarmDestination.responsePlan: '${name}' is not a valid response plan name (1-200 letters, digits, '_' or '-').`);
    }
    return new AlarmDestination(AlarmDestinationKind.INCIDENT_MANAGER, `Incident Manager response plan ${name}`,
      () => new ResponsePlanAction(plan, name));
  }

  /**
   * Create an OpsCenter OpsItem (a ticket) with the given severity and optional category.
   */
  public static opsItem(severity: actions.OpsItemSeverity, category?: actions.OpsItemCategory): AlarmDestination {
    return new AlarmDestination(AlarmDestinationKind.OPS_ITEM, `OpsItem (severity ${severity}${category ? `, ${category}` : ''})`,
      () => new actions.SsmAction(severity, category));
  }

  /**
   * Invoke a Lambda function (or alias, or version).
   */
  public static lambdaFunction(fn: lambda.IFunction): AlarmDestination {
    return new AlarmDestination(AlarmDestinationKind.LAMBDA, `Lambda function ${fn.node.path}`,
      () => new actions.LambdaAction(fn, { useUniquePermissionId: true }));
  }

  /**
   * Any other alarm action (escape hatch).
   *
   * @param action the action to attach
   * @param description how the destination is named in docs and reports, e.g. `PagerDuty via EventBridge`
   */
  public static fromAlarmAction(action: cloudwatch.IAlarmAction, description: string): AlarmDestination {
    const problem = typeof action?.bind !== 'function' ? 'AlarmDestination.fromAlarmAction needs a cloudwatch.IAlarmAction (an object with bind()).'
      : typeof description !== 'string' || description.trim() === '' ? 'AlarmDestination.fromAlarmAction needs a description naming the destination, e.g. \'PagerDuty via EventBridge\'.'
        : undefined;
    return new AlarmDestination(AlarmDestinationKind.CUSTOM, description, () => action, problem);
  }

  /**
   * Whether `x` is an AlarmDestination (works across copies of this library).
   */
  public static isAlarmDestination(x: unknown): x is AlarmDestination {
    return hasBrand(x, 'AlarmDestination');
  }

  /** What kind of destination this is. */
  public readonly kind: AlarmDestinationKind;

  /** A human-readable description, e.g. `SNS topic pricing-pages`. */
  public readonly description: string;

  private readonly produce: () => cloudwatch.IAlarmAction;
  private readonly problem?: string;
  private action?: cloudwatch.IAlarmAction;

  private constructor(kind: AlarmDestinationKind, description: string, produce: () => cloudwatch.IAlarmAction, problem?: string) {
    brand(this, 'AlarmDestination');
    this.kind = kind;
    this.description = description;
    this.produce = produce;
    this.problem = problem;
  }

  /**
   * Fail, naming `scope` and `prop`, when the destination was built from bad input (the factories cannot name a
   * construct, so they record the problem and the construct that uses the destination reports it).
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.problem) fail(scope, `${prop}: ${this.problem}`);
  }

  /**
   * The CloudWatch alarm action for this destination (created once, then shared).
   */
  public toAlarmAction(): cloudwatch.IAlarmAction {
    this.action = this.action ?? this.produce();
    return this.action;
  }
}

/** Opens an incident with a response plan of the app, and makes the alarm depend on the plan. */
class ResponsePlanAction implements cloudwatch.IAlarmAction {
  private readonly action: actions.SsmIncidentAction;

  constructor(private readonly plan: IResponsePlan, name: string) {
    this.action = new actions.SsmIncidentAction(name);
  }

  public bind(scope: Construct, alarm: cloudwatch.IAlarm): cloudwatch.AlarmActionConfig {
    const [alarmAccount, planAccount] = [Stack.of(scope).account, Stack.of(this.plan).account];
    if (!Token.isUnresolved(alarmAccount) && !Token.isUnresolved(planAccount) && alarmAccount !== planAccount) {
      fail(scope, `routes to response plan ${this.plan.node.path} of account ${planAccount}, but an alarm can only open incidents in its own ` +
        `account (${alarmAccount}): define a response plan in ${alarmAccount}.`);
    }
    scope.node.addDependency(this.plan);
    return this.action.bind(scope, alarm);
  }
}
