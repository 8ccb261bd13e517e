import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Kinds, PARAMETER_VALUES } from './kinds';
import { IRunbook, KNOWN_PARAMETERS, startRunbookStatements } from './runbook-ref';
import { Checks, checkProps, checkRequired } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';

/**
 * Properties of an automated response.
 */
export interface AutoRemediationProps {
  /** The alarm whose transition to ALARM starts the runbook. */
  readonly alarm: cloudwatch.IAlarm;

  /** The runbook to start. */
  readonly runbook: IRunbook;

  /**
   * The runbook's parameters, as lists of values, e.g. `{ FunctionName: ['quotes'] }`.
   *
   * @default - none (the runbook's defaults)
   */
  readonly parameters?: { [key: string]: string[] };

  /**
   * Whether the rule is enabled. Disable it to keep the response defined but off during an incident.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * An automated response (OPS10-BP07): when the alarm enters ALARM, EventBridge starts the runbook through an
 * `automation-definition` target (aws-events-targets has no Systems Manager Automation target) with a role that may
 * start only this runbook and pass only its role. Opt-in, one per alarm.
 *
 * @example
 * new AutoRemediation(workload, 'RestartOnSaturation', { alarm: saturation, runbook: restart });
 */
export class AutoRemediation extends Construct {
  /** The EventBridge rule. */
  public readonly rule: events.Rule;
  /** The role EventBridge starts the runbook with. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AutoRemediationProps) {
    super(scope, id);
    checkProps(this, 'AutoRemediationProps', props, {
      parameters: [PARAMETER_VALUES],
      enabled: [Checks.boolean],
    });
    checkRequired(this, 'alarm', props.alarm, Kinds.alarm, 'Give the alarm whose transition to ALARM starts the runbook.');
    checkRequired(this, 'runbook', props.runbook, Kinds.runbook, 'Give the runbook to start.');
    const runbook = props.runbook;
    const given = Object.keys(props.parameters ?? {});
    const missing = runbook.parameters.filter((p) => p.required && !given.includes(p.name)).map((p) => p.name);
    if (missing.length > 0) {
      fail(this, `runbook '${runbook.documentName}' needs parameter(s) ${missing.join(', ')}, which the automated response does not pass: ` +
        `add them to parameters (given: ${given.join(', ') || 'none'}).`);
    }
    const unknown = given.filter((g) => !runbook.parameters.some((p) => p.name === g));
    if (unknown.length > 0 && KNOWN_PARAMETERS.has(runbook)) {
      fail(this, `parameters ${unknown.join(', ')} are not parameters of runbook '${runbook.documentName}' ` +
        `(it takes ${runbook.parameters.map((p) => p.name).join(', ') || 'none'}): remove them.`);
    }
    if (runbook.hasApprovalGate) {
      warn(this, Warnings.AUTO_REMEDIATION_APPROVAL, `runbook '${runbook.documentName}' waits for an approval, so this ` +
        'response only starts it and pages approvers; give the runbook approval: RunbookApproval.none(reason) to let it act unattended.');
    }
    const stack = Stack.of(this);
    // A fixed name lets the role's trust policy name the rule without a reference cycle (rule → target role → rule).
    const ruleName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName,
      description: `Starts runbook ${runbook.documentName} when ${props.alarm.alarmName} enters ALARM (cdk-operable).`,
      enabled: props.enabled ?? true,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [props.alarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    this.role = new iam.Role(this, 'Role', {
      description: `Lets EventBridge start runbook ${runbook.documentName} (cdk-operable)`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName }) },
      }),
    });
    startRunbookStatements(stack, runbook).forEach((s) => this.role.addToPrincipalPolicy(s));
    const role = this.role;
    this.rule.addTarget({
      bind: () => ({
        arn: runbook.automationDefinitionArn,
        role,
        input: events.RuleTargetInput.fromObject(props.parameters ?? {}),
        retryPolicy: { maximumEventAgeInSeconds: Duration.hours(1).toSeconds(), maximumRetryAttempts: 3 },
      }),
    });
  }
}
