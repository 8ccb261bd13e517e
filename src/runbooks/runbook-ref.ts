import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { RunbookParameter } from './parameter';

/**
 * An Automation document that steps, automated responses and incident plans can start.
 */
export interface IRunbook extends IConstruct {
  /** The document's name. */
  readonly documentName: string;

  /**
   * `arn:…:automation-definition/<name>:$DEFAULT`: what EventBridge targets and `ssm:StartAutomationExecution`
   * permissions name.
   */
  readonly automationDefinitionArn: string;

  /** Roles whoever starts the runbook must be allowed to pass: its `assumeRole`, if it has one. */
  readonly passedRoleArns: string[];

  /** Whether running it changes the state of resources (a reason to gate it with an approval). */
  readonly changesState: boolean;

  /** Whether it waits for an approval before changing anything. */
  readonly hasApprovalGate: boolean;

  /** Its parameters, so callers can be checked for the required ones. */
  readonly parameters: RunbookParameter[];
}

/**
 * Runbooks whose parameters are all known — defined in this app, or imported with their parameters — so callers
 * passing an undeclared parameter can be told (internal).
 */
export const KNOWN_PARAMETERS = new WeakSet<IRunbook>();

/**
 * The statements a service role needs to start `runbook` on its own (internal; EventBridge for AutoRemediation,
 * Incident Manager for response plans): `ssm:StartAutomationExecution` on this document only, and `iam:PassRole` of the
 * runbook's own role(s) to SSM only.
 */
export function startRunbookStatements(stack: Stack, runbook: IRunbook): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({
    actions: ['ssm:StartAutomationExecution'],
    resources: [
      stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${runbook.documentName}:*` }),
      stack.formatArn({ service: 'ssm', resource: 'document', resourceName: runbook.documentName }),
      stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }),
    ],
  })];
  if (runbook.passedRoleArns.length > 0) {
    statements.push(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: runbook.passedRoleArns,
      conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    }));
  }
  return statements;
}
