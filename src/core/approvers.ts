import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { brand, hasBrand } from './brand';
import { Checks, checkProps } from './checks';
import { fail } from './errors';

/** `aws:approve` accepts at most 10 approvers. */
const MAX_APPROVERS = 10;

/**
 * Who may approve a runbook step that changes production (`aws:approve`).
 */
export interface ApproversProps {
  /**
   * IAM roles on-call engineers assume (approvals are recorded against the assumed-role session).
   *
   * @default - none
   */
  readonly roles?: iam.IRole[];

  /**
   * IAM users.
   *
   * @default - none
   */
  readonly users?: iam.IUser[];

  /**
   * IAM user names, user ARNs, role ARNs or assumed-role user ARNs, as `aws:approve` accepts them.
   *
   * @default - none
   */
  readonly principals?: string[];

  /**
   * How many of them must approve.
   *
   * @default 1
   */
  readonly minRequiredApprovals?: number;

  /**
   * SNS topic Automation notifies when a step waits for approval. Its name must start with `Automation`
   * (a Systems Manager rule); the runbook role is allowed to publish to it.
   *
   * @default - no notification: approvers find pending approvals in the Systems Manager console
   */
  readonly notificationTopic?: sns.ITopic;
}

/**
 * The approvers of a workload's state-changing runbooks, usually its on-call (OPS07-BP03: runbooks with approval
 * for production changes). Give them to the `Workload` (`approvers`) or to a single runbook.
 *
 * @example
 * Approvers.of({ roles: [oncallRole], notificationTopic: automationApprovals });
 */
export class Approvers {
  /**
   * Approvers from IAM principals; at least one, at most 10 (an `aws:approve` limit).
   */
  public static of(props: ApproversProps): Approvers {
    return new Approvers(props);
  }

  /**
   * Whether `x` is Approvers (works across copies of this library).
   */
  public static isApprovers(x: unknown): x is Approvers {
    return hasBrand(x, 'Approvers');
  }

  /** Roles, users and principals as `aws:approve` lists them (ARNs or user names). */
  public readonly principals: string[];
  /** How many approvals are needed. */
  public readonly minRequiredApprovals: number;
  /**
   * The topic that announces pending approvals.
   * @default - none
   */
  public readonly notificationTopic?: sns.ITopic;

  private readonly props: ApproversProps;

  private constructor(props: ApproversProps) {
    brand(this, 'Approvers');
    this.props = props;
    const p = (props ?? {}) as ApproversProps;
    const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
    this.principals = [
      ...list(p.roles).map((r) => r?.roleArn),
      ...list(p.users).map((u) => u?.userArn),
      ...list(p.principals),
    ];
    this.minRequiredApprovals = p.minRequiredApprovals ?? 1;
    this.notificationTopic = p.notificationTopic;
  }

  /**
   * Check the approvers against `aws:approve`'s rules, naming `scope` in the error.
   */
  public validate(scope: IConstruct): void {
    const isRole = (r: unknown) => typeof (r as iam.IRole | undefined)?.roleArn === 'string';
    const isUser = (u: unknown) => typeof (u as iam.IUser | undefined)?.userArn === 'string';
    checkProps(scope, 'ApproversProps', this.props, {
      roles: [Checks.arrayOf(Checks.instance(isRole, 'an iam.IRole'), 'an array of iam.IRole')],
      users: [Checks.arrayOf(Checks.instance(isUser, 'an iam.IUser'), 'an array of iam.IUser')],
      principals: [Checks.arrayOf(Checks.string({ nonEmpty: true }), 'an array of IAM principal ARNs or user names')],
      minRequiredApprovals: [Checks.number({ integer: true, min: 1 })],
      notificationTopic: [Checks.instance((t) => typeof (t as sns.ITopic | undefined)?.topicArn === 'string', 'an sns.ITopic')],
    }, 'approvers.');
    const n = this.principals.length;
    if (n === 0) fail(scope, 'Approvers has no principals: give at least one role, user or principal ARN.');
    if (n > MAX_APPROVERS) fail(scope, `Approvers has ${n} principals; aws:approve accepts at most ${MAX_APPROVERS}. Approve through a shared on-call role.`);
    const min = this.minRequiredApprovals;
    if (!Number.isInteger(min) || min < 1 || min > n) {
      fail(scope, `minRequiredApprovals ${min} must be a whole number from 1 to the number of approvers (${n}).`);
    }
    const topic = this.notificationTopic;
    if (!topic) return;
    const cfnTopic = topic.node.defaultChild;
    // A topic defined in this app: read the name it is given (the L2 topicName is always a token).
    const name = cfnTopic instanceof sns.CfnTopic ? cfnTopic.topicName : topic.topicName;
    if (cfnTopic instanceof sns.CfnTopic && (name === undefined || Token.isUnresolved(name))) {
      fail(scope, `notificationTopic ${topic.node.path} has a generated name; Systems Manager only notifies topics named ` +
        "'Automation...': give it topicName: 'AutomationApprovals' (or another name starting with 'Automation').");
    }
    if (name !== undefined && !Token.isUnresolved(name) && !name.startsWith('Automation')) {
      fail(scope, `notificationTopic '${name}' must have a name starting with 'Automation' for Systems Manager to notify it ` +
        "(e.g. topicName: 'AutomationApprovals').");
    }
  }
}
