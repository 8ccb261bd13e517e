import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
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

  /** Roles, users and principals as `aws:approve` lists them (ARNs or user names). */
  public readonly principals: string[];
  /** How many approvals are needed. */
  public readonly minRequiredApprovals: number;
  /**
   * The topic that announces pending approvals.
   * @default - none
   */
  public readonly notificationTopic?: sns.ITopic;

  private constructor(props: ApproversProps) {
    this.principals = [
      ...(props.roles ?? []).map((r) => r.roleArn),
      ...(props.users ?? []).map((u) => u.userArn),
      ...(props.principals ?? []),
    ];
    this.minRequiredApprovals = props.minRequiredApprovals ?? 1;
    this.notificationTopic = props.notificationTopic;
  }

  /**
   * Check the approvers against `aws:approve`'s rules, naming `scope` in the error.
   */
  public validate(scope: IConstruct): void {
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
