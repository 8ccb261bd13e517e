import { Duration, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { brand } from './kinds';
import { permissionsOfIamActions, permissionsOfApiCall, StepPermission } from './permissions';
import { KNOWN_PARAMETERS } from './runbook-ref';
import { checkStepOptions } from './step-checks';
import {
  ApproveOptions, AwsApiCallOptions, AwsResourcePropertyOptions, BranchOptions, ExecuteAutomationOptions, ExecuteAwsApiOptions, ExecuteScriptOptions,
  SleepOptions, StepOptions,
} from './step-options';
import { ScriptRuntime, STEP_NAME, StepFailure, StepOutput, StepOutputType } from './step-parts';
import { Approvers } from '../core/approvers';
import { fail } from '../core/errors';
/** aws:sleep and most actions: up to 7 days; aws:approve up to 30 days. */
const MAX_SLEEP = Duration.days(7);
const MAX_APPROVAL_WAIT = Duration.days(30);
/** aws:executeScript runs for at most 600 seconds. */
const MAX_SCRIPT = Duration.seconds(600);

/** What a step needs from the runbook it renders in (internal). */
export interface StepContext {
  readonly scope: IConstruct;
  readonly approvers?: Approvers;
}

/**
 * One step of a runbook. Build steps with the static factories; each maps to one Automation action.
 *
 * @example
 * Step.executeAwsApi({
 *   name: 'PointAliasBack', service: 'lambda', api: 'UpdateAlias',
 *   inputs: { FunctionName: fn.functionName, Name: 'live', FunctionVersion: '{{ Plan.Previous }}' },
 *   resources: [fn.functionArn],
 * });
 */
export class Step {
  /** `aws:executeAwsApi`: call an AWS API and select outputs from the response. */
  public static executeAwsApi(options: ExecuteAwsApiOptions): Step {
    return new Step('aws:executeAwsApi', options, { outputs: options?.outputs, call: options });
  }

  /** `aws:waitForAwsResourceProperty`: poll an API until a property has one of the desired values. */
  public static waitForAwsResourceProperty(options: AwsResourcePropertyOptions): Step {
    return new Step('aws:waitForAwsResourceProperty', options, { call: options, property: options });
  }

  /** `aws:assertAwsResourceProperty`: fail unless a property has one of the desired values now. */
  public static assertAwsResourceProperty(options: AwsResourcePropertyOptions): Step {
    return new Step('aws:assertAwsResourceProperty', options, { call: options, property: options });
  }

  /** `aws:approve`: wait until approvers approve (or reject, which fails the step). */
  public static approve(options: ApproveOptions): Step {
    return new Step('aws:approve', options, { approve: options });
  }

  /** `aws:sleep`: wait a fixed time. */
  public static sleep(options: SleepOptions): Step {
    return new Step('aws:sleep', options, { sleep: options?.duration });
  }

  /** `aws:branch`: go to the first step whose choice holds. */
  public static branch(options: BranchOptions): Step {
    return new Step('aws:branch', options, { branch: options });
  }

  /** `aws:executeScript`: run an inline Python or PowerShell script. */
  public static executeScript(options: ExecuteScriptOptions): Step {
    return new Step('aws:executeScript', options, { outputs: options?.outputs, script: options });
  }

  /** `aws:executeAutomation`: run another runbook and wait for it. */
  public static executeAutomation(options: ExecuteAutomationOptions): Step {
    return new Step('aws:executeAutomation', options, { automation: options });
  }

  /** The step's name. */
  public readonly name: string;
  /** The Automation action, e.g. `aws:executeAwsApi`. */
  public readonly action: string;
  /** What the step does. @default - none */
  public readonly description?: string;

  private readonly options: StepOptions;
  private readonly details: StepDetails;

  private constructor(action: string, options: StepOptions, details: StepDetails) {
    brand(this, 'Step');
    this.action = action;
    // Options that are not an object (plain JavaScript) are kept as given and reported by the runbook (_check).
    const given = options !== null && typeof options === 'object';
    this.name = given ? options.name : (undefined as unknown as string);
    this.description = given ? options.description : undefined;
    this.options = options;
    this.details = given ? details : {};
  }

  /** `{{ Step.Output }}`: an output of this step (declared, or built in such as a script's `OutputPayload`). */
  public output(name: string): string {
    return `{{ ${this.name}.${name} }}`;
  }

  /** The outputs this step declares. */
  public get outputs(): StepOutput[] {
    return [...(this.details.outputs ?? [])];
  }

  /**
   * Check the step's options (they were given to a factory, which has no construct to name): `index` is the step's
   * position in the runbook's list, `stepNames` the runbook's step names.
   * @internal
   */
  public _check(scope: IConstruct, index: number, stepNames: string[]): void {
    checkStepOptions(scope, this.action, this.options, index, stepNames);
  }

  /**
   * The same step with every jump to `from` (next step, failure or cancel handler, branch target) going to `to`.
   * @internal
   */
  public _retarget(from: string, to: string): Step {
    const swap = (name?: string) => (name === from ? to : name);
    const swapFailure = (f?: StepFailure) => (f?.stepName === from ? StepFailure.goTo(to) : f);
    const options: StepOptions = {
      ...this.options,
      nextStep: swap(this.options.nextStep),
      onFailure: swapFailure(this.options.onFailure),
      onCancel: swapFailure(this.options.onCancel),
    };
    const b = this.details.branch;
    const branch = b ? { ...b, choices: b.choices.map((c) => c._retarget(from, to)), defaultStep: swap(b.defaultStep) } : undefined;
    return new Step(this.action, options, { ...this.details, branch });
  }

  /**
   * Names other steps can reference as `{{ Step.Output }}`: declared outputs plus the action's built-in ones.
   * @internal
   */
  public _outputNames(): string[] {
    const builtIn: Record<string, string[]> = {
      'aws:executeScript': ['OutputPayload'],
      'aws:approve': ['ApprovalStatus', 'ApproverDecisions'],
      'aws:executeAutomation': ['Output', 'ExecutionId', 'Status'],
    };
    return [...(this.details.outputs ?? []).map((o) => o.name), ...(builtIn[this.action] ?? [])];
  }

  /**
   * Steps this one may go to: `[step, unconditional]`. The implicit next step is the caller's business.
   * @internal
   */
  public _jumps(): Array<[string, boolean]> {
    const jumps: Array<[string, boolean]> = [];
    if (this.options.nextStep) jumps.push([this.options.nextStep, true]);
    for (const f of [this.options.onFailure, this.options.onCancel]) if (f?.stepName) jumps.push([f.stepName, false]);
    for (const c of this.details.branch?.choices ?? []) jumps.push([c.nextStep, false]);
    if (this.details.branch?.defaultStep) jumps.push([this.details.branch.defaultStep, false]);
    return jumps;
  }

  /**
   * Whether Automation goes on to the following step in the list after this one succeeds.
   * @internal
   */
  public _fallsThrough(): boolean {
    return !this.options.isEnd && this.options.nextStep === undefined && this.action !== 'aws:branch';
  }

  /**
   * The IAM permissions the step needs, checked against IAM's data.
   * @internal
   */
  public _permissions(ctx: StepContext): StepPermission[] {
    const d = this.details;
    const where = `Step '${this.name}'`;
    if (d.call) {
      const all = d.call.allResources === true;
      return d.call.iamActions
        ? permissionsOfIamActions(ctx.scope, where, d.call.iamActions, d.call.resources, all)
        : permissionsOfApiCall(ctx.scope, where, d.call.service, d.call.api, d.call.resources, all);
    }
    if (d.script?.iamActions) {
      return permissionsOfIamActions(ctx.scope, where, d.script.iamActions, d.script.resources, d.script.allResources === true);
    }
    if (d.approve) {
      const topic = (d.approve.approvers ?? ctx.approvers)?.notificationTopic;
      return topic ? [{ actions: ['sns:Publish'], resources: [topic.topicArn], changesState: false }] : [];
    }
    if (d.automation) {
      const child = d.automation.runbook;
      const stack = Stack.of(ctx.scope);
      const executions = stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' });
      return [
        {
          actions: ['ssm:StartAutomationExecution'],
          resources: [
            stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${child.documentName}:*` }),
            stack.formatArn({ service: 'ssm', resource: 'document', resourceName: child.documentName }),
            executions,
          ],
          changesState: child.changesState,
        },
        { actions: ['ssm:GetAutomationExecution'], resources: [executions], changesState: false },
        ...(child.passedRoleArns.length > 0 ? [{ actions: ['iam:PassRole'], resources: child.passedRoleArns, changesState: false }] : []),
      ];
    }
    return [];
  }

  /**
   * The step as the document's `mainSteps` lists it, after checking its options.
   * @internal
   */
  public _render(ctx: StepContext): Record<string, unknown> {
    this.validate(ctx);
    const o = this.options;
    return {
      name: this.name,
      action: this.action,
      ...(o.description ? { description: o.description } : {}),
      ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
      ...(o.timeout ? { timeoutSeconds: o.timeout.toSeconds() } : {}),
      ...(o.onFailure && o.onFailure.value !== 'Abort' ? { onFailure: o.onFailure.value } : {}),
      ...(o.onCancel && o.onCancel.value !== 'Abort' ? { onCancel: o.onCancel.value } : {}),
      ...(o.isEnd ? { isEnd: true } : {}),
      ...(o.nextStep ? { nextStep: o.nextStep } : {}),
      inputs: this.renderInputs(ctx),
      ...(this.details.outputs?.length
        ? { outputs: this.details.outputs.map((out) => ({ Name: out.name, Selector: out.selector, Type: out.outputType ?? StepOutputType.STRING })) }
        : {}),
    };
  }

  /**
   * The inputs a reference check reads (a script's body is code, not inputs).
   * @internal
   */
  public _referencingInputs(ctx: StepContext): unknown {
    const { Script: _script, ...rest } = this.renderInputs(ctx);
    return rest;
  }

  /**
   * The approvers an approval step names itself (undefined: the runbook's).
   * @internal
   */
  public _approvers(): Approvers | undefined {
    return this.details.approve?.approvers;
  }

  /**
   * For the Markdown: what the step calls, e.g. `lambda:UpdateAlias`.
   * @internal
   */
  public _summary(): string {
    const d = this.details;
    const everywhere = (d.call ?? d.script)?.allResources === true ? ' (on every resource)' : '';
    if (d.call) return `${this.action} ${d.call.service}:${d.call.api}${everywhere}`;
    if (d.script) return `${this.action}${everywhere}`;
    if (d.automation) return `${this.action} ${d.automation.runbook.documentName}`;
    if (d.sleep) return `${this.action} ${d.sleep.toHumanString()}`;
    return this.action;
  }

  private renderInputs(ctx: StepContext): Record<string, unknown> {
    const d = this.details;
    if (d.call) {
      return {
        Service: d.call.service,
        Api: d.call.api,
        ...(d.call.inputs ?? {}),
        ...(d.property ? { PropertySelector: d.property.propertySelector, DesiredValues: d.property.desiredValues } : {}),
      };
    }
    if (d.approve) {
      const approvers = d.approve.approvers ?? ctx.approvers!;
      return {
        Approvers: approvers.principals,
        MinRequiredApprovals: approvers.minRequiredApprovals,
        Message: d.approve.message,
        ...(approvers.notificationTopic ? { NotificationArn: approvers.notificationTopic.topicArn } : {}),
      };
    }
    if (d.sleep) return { Duration: isoDuration(d.sleep) };
    if (d.branch) {
      return { Choices: d.branch.choices.map((c) => c._render()), ...(d.branch.defaultStep ? { Default: d.branch.defaultStep } : {}) };
    }
    if (d.script) {
      return {
        Runtime: (d.script.runtime ?? ScriptRuntime.PYTHON_3_11).name,
        Handler: d.script.handler ?? 'handler',
        Script: d.script.script,
        ...(d.script.inputs ? { InputPayload: d.script.inputs } : {}),
      };
    }
    const a = d.automation!;
    return {
      DocumentName: a.runbook.documentName,
      ...(a.parameters ? { RuntimeParameters: a.parameters } : {}),
    };
  }

  private validate(ctx: StepContext): void {
    const scope = ctx.scope;
    const where = `Step '${this.name}'`;
    const o = this.options;
    if (o.isEnd && o.nextStep) fail(scope, `${where} sets both isEnd and nextStep '${o.nextStep}': keep one.`);
    if (o.maxAttempts !== undefined && (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1)) {
      fail(scope, `${where} has maxAttempts ${o.maxAttempts}: use a whole number of at least 1.`);
    }
    if (o.onCancel?.value === 'Continue') {
      fail(scope, `${where} sets onCancel to StepFailure.CONTINUE, which Automation does not allow: use StepFailure.ABORT or StepFailure.goTo(step).`);
    }
    const maxTimeout = this.action === 'aws:approve' ? MAX_APPROVAL_WAIT : this.action === 'aws:executeScript' ? MAX_SCRIPT : MAX_SLEEP;
    if (o.timeout && (o.timeout.toSeconds() < 1 || o.timeout.toSeconds() > maxTimeout.toSeconds())) {
      fail(scope, `${where} has a timeout of ${o.timeout.toHumanString()}: ${this.action} allows 1 second to ${maxTimeout.toHumanString()}.`);
    }
    for (const out of this.details.outputs ?? []) {
      if (!STEP_NAME.test(out.name)) fail(scope, `${where} has output name '${out.name}': use letters, digits or '_'.`);
      if (!out.selector.startsWith('$')) fail(scope, `${where} output '${out.name}' has selector '${out.selector}': use a JSONPath starting with '$', e.g. '$.Status'.`);
    }
    const d = this.details;
    if (d.property && d.property.desiredValues.length === 0) fail(scope, `${where} has no desiredValues: give the values that satisfy it.`);
    if (d.property && !d.property.propertySelector.startsWith('$')) {
      fail(scope, `${where} has propertySelector '${d.property.propertySelector}': use a JSONPath starting with '$'.`);
    }
    if (d.approve) {
      const approvers = d.approve.approvers ?? ctx.approvers;
      if (!approvers) {
        fail(scope, `${where} is an approval, but no approvers are given and the workload has none: set approvers on the Workload ` +
          '(Approvers.of({ roles: [oncallRole] })) or on the step.');
      }
      approvers.validate(scope);
    }
    if (d.sleep && (d.sleep.toSeconds() < 1 || d.sleep.toSeconds() > MAX_SLEEP.toSeconds())) {
      fail(scope, `${where} sleeps ${d.sleep.toHumanString()}: aws:sleep allows 1 second to 7 days.`);
    }
    if (d.branch && d.branch.choices.length === 0) fail(scope, `${where} is a branch without choices: give at least one BranchChoice.`);
    if (d.script) {
      const runtime = d.script.runtime ?? ScriptRuntime.PYTHON_3_11;
      if (!runtime.isSupported) fail(scope, `${where} uses runtime '${runtime.name}': aws:executeScript runs Python 3 or PowerShell 7 only.`);
      if (d.script.script.trim() === '') fail(scope, `${where} has an empty script: give the inline script, e.g. a Python handler(events, context).`);
    }
    if (d.call && (!d.call.service || !d.call.api)) {
      fail(scope, `${where} needs both service and api, got service '${d.call.service}' and api '${d.call.api}': e.g. service 'lambda', api 'UpdateAlias'.`);
    }
    if (d.call?.inputs && ('Service' in d.call.inputs || 'Api' in d.call.inputs)) {
      fail(scope, `${where} puts Service or Api in inputs: give them as service and api.`);
    }
    if (d.automation) this.validateChildParameters(scope, where, d.automation);
  }

  private validateChildParameters(scope: IConstruct, where: string, a: ExecuteAutomationOptions): void {
    const given = Object.keys(a.parameters ?? {});
    const missing = a.runbook.parameters.filter((p) => p.required && !given.includes(p.name)).map((p) => p.name);
    if (missing.length > 0) {
      fail(scope, `${where} starts runbook '${a.runbook.documentName}' without its required parameter(s) ${missing.join(', ')}: ` +
        'add them to parameters.');
    }
    const unknown = given.filter((g) => !a.runbook.parameters.some((p) => p.name === g));
    if (unknown.length > 0 && KNOWN_PARAMETERS.has(a.runbook)) {
      fail(scope, `${where} passes ${unknown.join(', ')}, which runbook '${a.runbook.documentName}' does not declare ` +
        `(it takes ${a.runbook.parameters.map((p) => p.name).join(', ') || 'none'}).`);
    }
  }
}

interface StepDetails {
  readonly outputs?: StepOutput[];
  readonly call?: AwsApiCallOptions;
  readonly property?: AwsResourcePropertyOptions;
  readonly approve?: ApproveOptions;
  readonly sleep?: Duration;
  readonly branch?: BranchOptions;
  readonly script?: ExecuteScriptOptions;
  readonly automation?: ExecuteAutomationOptions;
}

/** ISO 8601 with a time part only (`PT1H30M`), which every Automation parser reads (a whole number of seconds). */
function isoDuration(d: Duration): string {
  let s = d.toSeconds();
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}
