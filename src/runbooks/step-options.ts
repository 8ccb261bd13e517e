import { Duration } from 'aws-cdk-lib';
import { IRunbook } from './runbook-ref';
import { BranchChoice, ScriptRuntime, StepFailure, StepOutput } from './step-parts';
import { Approvers } from '../core/approvers';

/**
 * Options every step has.
 */
export interface StepOptions {
  /** The step's name, unique in the runbook: letters, digits and '_'. */
  readonly name: string;

  /**
   * What the step does, shown in the console and the runbook's Markdown.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * What happens when the step fails.
   *
   * @default StepFailure.ABORT
   */
  readonly onFailure?: StepFailure;

  /**
   * What happens when the automation is cancelled during the step.
   *
   * @default StepFailure.ABORT
   */
  readonly onCancel?: StepFailure;

  /**
   * The step to run next.
   *
   * @default - the next step in the list
   */
  readonly nextStep?: string;

  /**
   * Whether the automation ends after this step succeeds.
   *
   * @default false
   */
  readonly isEnd?: boolean;

  /**
   * How long the step may run before it fails: a whole number of seconds, from 1 second to 7 days (30 days for
   * `aws:approve`, 600 seconds for `aws:executeScript`).
   *
   * @default - Automation's default for the action (1 hour for most, 7 days for aws:approve)
   */
  readonly timeout?: Duration;

  /**
   * How many times the step is tried before it fails.
   *
   * @default 1
   */
  readonly maxAttempts?: number;
}

/**
 * A call to an AWS API made by a step.
 */
export interface AwsApiCallOptions extends StepOptions {
  /** The service's namespace as Automation (boto3) names it, e.g. `lambda`, `ecs`, `rds`. */
  readonly service: string;

  /** The API operation in PascalCase, e.g. `UpdateAlias`. */
  readonly api: string;

  /**
   * The API's parameters, e.g. `{ FunctionName: 'quotes', Name: 'live' }`. Values may reference parameters and
   * outputs (`{{ Name }}`, `{{ Step.Output }}`).
   *
   * @default - no parameters
   */
  readonly inputs?: { [key: string]: unknown };

  /**
   * ARNs the call acts on: the runbook role is allowed the call on these only. Required when IAM scopes the
   * call's action to resources; wildcards inside an ARN (`…:function:quotes-*`) are allowed. A bare `'*'` is not:
   * to allow the call on every resource, set `allResources: true` instead (and give no resources).
   *
   * @default - none: only for actions IAM does not scope to resources, or with `allResources`
   */
  readonly resources?: string[];

  /**
   * Allow the call on every resource (`Resource: *`), deliberately: for calls that must see resources the runbook
   * cannot name at synth (e.g. CloudWatch returns a composite alarm's history only to callers allowed on `*`).
   * The runbook's Markdown marks the step "on every resource", so reviewers see the wildcard was chosen. Give it
   * instead of `resources`, never with them.
   *
   * @default false: the call is allowed only on `resources`
   */
  readonly allResources?: boolean;

  /**
   * The IAM actions the call needs, when cdk-operable cannot derive them (an API newer than its IAM data, or a
   * service authorized by other means such as API Gateway). No wildcards.
   *
   * @default - derived from `service` and `api`
   */
  readonly iamActions?: string[];
}

/**
 * Options of an `aws:executeAwsApi` step.
 */
export interface ExecuteAwsApiOptions extends AwsApiCallOptions {
  /**
   * Values selected from the response.
   *
   * @default - none
   */
  readonly outputs?: StepOutput[];
}

/**
 * Options of `aws:waitForAwsResourceProperty` and `aws:assertAwsResourceProperty` steps.
 */
export interface AwsResourcePropertyOptions extends AwsApiCallOptions {
  /** JSONPath to the property in the response, e.g. `$.services[0].deployments[0].rolloutState`. */
  readonly propertySelector: string;

  /** The values that satisfy the step, e.g. `['COMPLETED']`. */
  readonly desiredValues: string[];
}

/**
 * Options of an `aws:approve` step.
 */
export interface ApproveOptions extends StepOptions {
  /** What the approvers are asked to approve. */
  readonly message: string;

  /**
   * Who approves.
   *
   * @default - the workload's approvers
   */
  readonly approvers?: Approvers;
}

/**
 * Options of an `aws:sleep` step.
 */
export interface SleepOptions extends StepOptions {
  /** How long to wait: a whole number of seconds, from 1 second to 7 days. */
  readonly duration: Duration;
}

/**
 * Options of an `aws:branch` step.
 */
export interface BranchOptions extends StepOptions {
  /** The choices, tried in order. */
  readonly choices: BranchChoice[];

  /**
   * The step to go to when no choice holds.
   *
   * @default - the automation fails when no choice holds
   */
  readonly defaultStep?: string;
}

/**
 * Options of an `aws:executeScript` step (inline scripts only: nothing is downloaded).
 */
export interface ExecuteScriptOptions extends StepOptions {
  /** The inline script. For Python, a module defining the handler function `handler(events, context)`. */
  readonly script: string;

  /**
   * The runtime.
   *
   * @default ScriptRuntime.PYTHON_3_11
   */
  readonly runtime?: ScriptRuntime;

  /**
   * The function the script's runtime calls.
   *
   * @default 'handler'
   */
  readonly handler?: string;

  /**
   * The script's input (`events` in Python). Values may reference parameters and outputs.
   *
   * @default - none
   */
  readonly inputs?: { [key: string]: unknown };

  /**
   * Values selected from what the script returns (`$.Payload.<key>`).
   *
   * @default - none
   */
  readonly outputs?: StepOutput[];

  /**
   * IAM actions the script calls through boto3 (or the AWS Tools for PowerShell). No wildcards.
   *
   * @default - the script calls no AWS API
   */
  readonly iamActions?: string[];

  /**
   * ARNs the script's calls act on (with `iamActions` only). A bare `'*'` is not allowed: set `allResources: true`
   * instead.
   *
   * @default - none: only for actions IAM does not scope to resources, or with `allResources`
   */
  readonly resources?: string[];

  /**
   * Allow the script's `iamActions` on every resource (`Resource: *`), deliberately. Give it instead of
   * `resources`, never with them.
   *
   * @default false: the actions are allowed only on `resources`
   */
  readonly allResources?: boolean;
}

/**
 * Options of an `aws:executeAutomation` step.
 */
export interface ExecuteAutomationOptions extends StepOptions {
  /** The runbook to run. */
  readonly runbook: IRunbook;

  /**
   * Its parameters, as lists of values, e.g. `{ FunctionName: ['quotes'] }`.
   *
   * @default - none
   */
  readonly parameters?: { [key: string]: string[] };
}
