import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { validateDocumentName } from './document-name';
import { Kinds } from './kinds';
import { RunbookParameter } from './parameter';
import { IRunbook, KNOWN_PARAMETERS } from './runbook-ref';
import { Checks, checkProps, describeValue } from '../core/checks';
import { fail } from '../core/errors';

/**
 * Options of an imported runbook.
 */
export interface ImportedRunbookOptions {
  /**
   * Whether running it changes state.
   *
   * @default true
   */
  readonly changesState?: boolean;

  /**
   * Whether it waits for an approval before changing anything.
   *
   * @default false
   */
  readonly hasApprovalGate?: boolean;

  /**
   * Its parameters, so callers are checked for the required ones.
   *
   * @default - unknown: callers are not checked
   */
  readonly parameters?: RunbookParameter[];

  /**
   * The role it runs with, which callers must be allowed to pass.
   *
   * @default - none
   */
  readonly role?: iam.IRole;
}

/** A runbook defined elsewhere (internal: `Runbook.fromDocumentName` returns it as an `IRunbook`). */
export class ImportedRunbook extends Construct implements IRunbook {
  public readonly automationDefinitionArn: string;
  public readonly changesState: boolean;
  public readonly hasApprovalGate: boolean;
  public readonly parameters: RunbookParameter[];
  public readonly passedRoleArns: string[];

  constructor(scope: Construct, id: string, public readonly documentName: string, options: ImportedRunbookOptions) {
    super(scope, id);
    validateDocumentName(this, documentName, true);
    if (options === null || typeof options !== 'object') fail(this, `options must be an object of ImportedRunbookOptions, got ${describeValue(options)}.`);
    checkProps(this, 'ImportedRunbookOptions', options, {
      changesState: [Checks.boolean],
      hasApprovalGate: [Checks.boolean],
      parameters: [Checks.arrayOf(Kinds.parameter, 'an array of RunbookParameter')],
      role: [Kinds.role],
    });
    this.changesState = options.changesState ?? true;
    this.hasApprovalGate = options.hasApprovalGate ?? false;
    this.parameters = options.parameters ?? [];
    this.parameters.forEach((p) => p.validate(this));
    if (options.parameters) KNOWN_PARAMETERS.add(this);
    this.passedRoleArns = options.role ? [options.role.roleArn] : [];
    this.automationDefinitionArn = Stack.of(this).formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${documentName}:$DEFAULT` });
  }
}
