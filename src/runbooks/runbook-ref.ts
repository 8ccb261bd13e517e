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
