import { IConstruct } from 'constructs';

/**
 * The error cdk-operable throws for bad input at synth time.
 *
 * Internal on purpose: aws-cdk-lib's `ValidationError` is internal to aws-cdk-lib, and a class extending
 * `Error` cannot cross the jsii boundary. Users match on the message, which always names the construct path,
 * the offending value and the fix.
 */
export class OperableError extends Error {
  public readonly constructPath?: string;

  constructor(message: string, scope?: IConstruct) {
    super(scope ? `[${scope.node.path}] ${message}` : message);
    this.name = 'OperableError';
    this.constructPath = scope?.node.path;
  }
}

/** Throw an `OperableError` naming the construct path. */
export function fail(scope: IConstruct | undefined, message: string): never {
  throw new OperableError(message, scope);
}

/**
 * Warning ids users can acknowledge with `Annotations.of(scope).acknowledgeWarning(id, reason)`.
 * One place so docs and tests agree on them.
 */
export const WarningIds = {
  NO_RUNBOOK: 'cdk-operable:no-runbook',
  NO_PAGE_DESTINATION: 'cdk-operable:no-page-destination',
  NO_TICKET_DESTINATION: 'cdk-operable:no-ticket-destination',
  LOW_OBJECTIVE: 'cdk-operable:low-objective',
  STACK_SIZE: 'cdk-operable:stack-size',
} as const;
