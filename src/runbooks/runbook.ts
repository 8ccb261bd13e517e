import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { RunbookApproval } from './approval';
import { defaultDocumentName, validateDocumentName } from './document-name';
import { ImportedRunbook, ImportedRunbookOptions } from './imported-runbook';
import { Kinds } from './kinds';
import { RunbookParameter } from './parameter';
import { StepPermission } from './permissions';
import { checkDescription, renderMarkdown, RunbookDescription } from './runbook-description';
import { insertGate, RunbookGraph, unguarded } from './runbook-graph';
import { IRunbook, KNOWN_PARAMETERS } from './runbook-ref';
import { Step, StepContext } from './step';
import { Checks, checkProps, checkRequired, describeValue } from '../core/checks';
import { compactString } from '../core/compact';
import { fail } from '../core/errors';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { findServiceContext } from '../core/service-context';
import { Workload } from '../core/workload';

export { RunbookApproval } from './approval';
export { validateDocumentName } from './document-name';

/**
 * Subclasses with another Markdown layout (playbooks) pass it under this key of their props (internal: not part of
 * the public props, so other languages never see it).
 */
export const MARKDOWN_OVERRIDE = Symbol.for('cdk-operable.Runbook.markdown');

/**
 * Subclasses (presets, playbooks) that must check their own props pass, under this key, a function that builds the
 * runbook's props once the construct exists (internal): their errors then name the construct's own path.
 */
const BUILD_PROPS = Symbol.for('cdk-operable.Runbook.build');

/** Props for `super(scope, id, ...)` that `build` produces with the new construct as its scope (internal). */
export function buildProps(build: (self: Runbook) => RunbookProps): RunbookProps {
  return { [BUILD_PROPS]: build } as unknown as RunbookProps;
}

/**
 * Properties of a runbook.
 */
export interface RunbookProps {
  /** What the runbook is for, rendered as the document's Markdown description. */
  readonly description: RunbookDescription;

  /** The steps, run in order unless a step jumps. */
  readonly steps: Step[];

  /**
   * The runbook's inputs.
   *
   * @default - none
   */
  readonly parameters?: RunbookParameter[];

  /**
   * Step outputs the runbook returns, as `Step.Output` or `step.output('Output')`.
   *
   * @default - none
   */
  readonly outputs?: string[];

  /**
   * The title of the Markdown description.
   *
   * @default - the document name
   */
  readonly title?: string;

  /**
   * The document's name: 3-128 letters, digits, '_', '-' or '.', not starting with aws, amazon or amzn, and unique
   * in the account and region (two runbooks with the same name fail synth). A token is checked once it resolves.
   *
   * @default `<workload>-<service>-<id in kebab case>` (without the service outside a service)
   */
  readonly documentName?: string;

  /**
   * Whether the runbook waits for an approval before changing anything.
   *
   * @default RunbookApproval.whenChangingState()
   */
  readonly approval?: RunbookApproval;

  /**
   * The role the runbook runs with. When given, it is used as is: grant it what the steps need yourself.
   *
   * @default - a role allowed exactly the IAM actions of the steps, on the resources they name
   */
  readonly role?: iam.IRole;
}

/**
 * A runbook as code: an SSM Automation document (schemaVersion 0.3) with typed parameters, a Markdown description,
 * and a least-privilege role derived from its steps (OPS07-BP03, OPS10-BP02). Changes to production wait for the
 * workload's approvers unless opted out; updates create a new document version, so content changes never fail a
 * deployment.
 *
 * @example
 * new Runbook(workload, 'RestartQuotes', {
 *   description: { purpose: 'Restart the quotes tasks', whenToUse: ['Tasks leak memory'], rollback: 'None needed.' },
 *   steps: [Step.executeAwsApi({ name: 'Restart', service: 'ecs', api: 'UpdateService',
 *     inputs: { cluster: 'freight', service: 'quotes', forceNewDeployment: true }, resources: [service.serviceArn] })],
 * });
 */
export class Runbook extends Construct implements IRunbook {
  /**
   * A runbook defined elsewhere (an AWS-owned or shared document), for `Step.executeAutomation` and automated
   * responses.
   */
  public static fromDocumentName(scope: Construct, id: string, documentName: string, options: ImportedRunbookOptions = {}): IRunbook {
    return new ImportedRunbook(scope, id, documentName, options);
  }

  /** The document's name. */
  public readonly documentName: string;
  /** `arn:…:document/<name>`. */
  public readonly documentArn: string;
  /** `arn:…:automation-definition/<name>:$DEFAULT`. */
  public readonly automationDefinitionArn: string;
  /** The role the runbook runs with. */
  public readonly role: iam.IRole;
  /** The steps, including an approval gate the runbook inserted. */
  public readonly steps: Step[];
  /** The runbook's parameters. */
  public readonly parameters: RunbookParameter[];
  /** Whether any step changes the state of resources. */
  public readonly changesState: boolean;
  /** Whether an approval guards every state-changing step. */
  public readonly hasApprovalGate: boolean;
  /** The Markdown description (also the document's `description`). */
  public readonly markdown: string;
  /** The underlying `AWS::SSM::Document`. */
  public readonly document: ssm.CfnDocument;

  private readonly policy?: iam.PolicyDocument;
  private readonly givenRole: boolean;

  /** The runbook's role, which whoever starts it must be allowed to pass. */
  public get passedRoleArns(): string[] {
    return [this.role.roleArn];
  }

  constructor(scope: Construct, id: string, props: RunbookProps) {
    super(scope, id);
    const build = props !== null && typeof props === 'object' ? (props as unknown as Record<symbol, unknown>)[BUILD_PROPS] : undefined;
    if (typeof build === 'function') props = build(this);
    checkRunbookProps(this, props);
    const workload = Workload.of(this);
    const service = findServiceContext(this);
    this.documentName = props.documentName ?? defaultDocumentName(workload.workloadName, service?.serviceName, id);
    validateDocumentName(this, this.documentName);
    claimPhysicalName(this, PhysicalNameKind.DOCUMENT, this.documentName);
    this.parameters = props.parameters ?? [];
    KNOWN_PARAMETERS.add(this);
    this.parameters.forEach((p) => p.validate(this));
    const names = this.parameters.map((p) => p.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) fail(this, `Two runbook parameters are named '${duplicate}': give each parameter its own name.`);
    const stepNames = props.steps.map((s) => s.name);
    props.steps.forEach((s, i) => s._check(this, i, stepNames));

    const approval = props.approval ?? RunbookApproval.whenChangingState();
    const ctx: StepContext = { scope: this, approvers: approval._approvers ?? workload.approvers };
    new RunbookGraph(this, props.steps).checkTargets();
    const permissions = new Map(props.steps.map((s) => [s.name, s._permissions(ctx)]));
    const changing = new Set(props.steps.filter((s) => permissions.get(s.name)!.some((p) => p.changesState)).map((s) => s.name));
    this.changesState = changing.size > 0;
    const alreadyGated = props.steps.some((s) => s.action === 'aws:approve');
    const wantsGate = approval._mode === 'explicit' || (approval._mode === 'auto' && this.changesState);
    if (approval._mode === 'none' && (typeof approval._reason !== 'string' || !approval._reason.trim())) {
      const given = typeof approval._reason === 'string' ? `'${approval._reason}'` : describeValue(approval._reason);
      fail(this, `approval is RunbookApproval.none(${given}) without a reason: say why the runbook may run unattended ` +
        '(e.g. "runs unattended as an automated response; only restarts tasks").');
    }
    let steps = props.steps;
    if (wantsGate && !alreadyGated) {
      if (!ctx.approvers) {
        fail(this, `Runbook '${this.documentName}' changes production state (${[...changing].join(', ')}) and needs an approval gate, ` +
          `but workload '${workload.workloadName}' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), ` +
          "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
      }
      steps = insertGate(this, steps, changing, (name) => Step.approve({
        name,
        description: 'Approval gate inserted by cdk-operable: nothing changes before on-call approves.',
        message: `Approve runbook ${this.documentName} (execution {{ automation:EXECUTION_ID }}): it changes ${[...changing].join(', ')}.`,
        approvers: ctx.approvers,
      }));
    }
    const graph = new RunbookGraph(this, steps);
    graph.checkTargets();
    graph.checkCycles();
    const open = unguarded(this, steps, changing);
    this.hasApprovalGate = steps.some((s) => s.action === 'aws:approve') && open.length === 0;
    if (wantsGate && open.length > 0) {
      fail(this, `Step(s) ${open.join(', ')} change state but can run before any approval step: move the approval before them, ` +
        "or opt out with RunbookApproval.none('reason').");
    }
    const rendered = steps.map((s) => s._render(ctx));
    graph.checkReferences(this.parameters, (s) => s._referencingInputs(ctx), props.outputs ?? []);
    this.steps = steps;

    if (this.changesState && !props.description.rollback) {
      fail(this, `Runbook '${this.documentName}' changes state (${[...changing].join(', ')}): describe how to roll it back in description.rollback.`);
    }
    const override = (props as unknown as Record<symbol, ((steps: Step[], documentName: string) => string) | undefined>)[MARKDOWN_OVERRIDE];
    this.markdown = override
      ? override(steps, this.documentName)
      : renderMarkdown({
        description: props.description,
        title: props.title,
        parameters: props.parameters,
        documentName: this.documentName,
        steps,
        changing,
        permissions,
        approval,
        gated: this.hasApprovalGate,
        approvers: ctx.approvers,
      });

    this.givenRole = props.role !== undefined;
    if (props.role) {
      this.role = props.role;
    } else {
      const needed = steps.flatMap((s) => permissions.get(s.name) ?? s._permissions(ctx));
      // An inline policy must have statements: a runbook that calls nothing gets none (until addToRolePolicy).
      this.policy = needed.length > 0 ? new iam.PolicyDocument({ statements: statementsOf(needed) }) : undefined;
      const stack = Stack.of(this);
      this.role = new iam.Role(this, 'Role', {
        description: `Runs the ${this.documentName} runbook (cdk-operable)`,
        assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }) },
        }),
        inlinePolicies: this.policy ? { Runbook: this.policy } : undefined,
      });
    }

    const content = {
      schemaVersion: '0.3',
      description: this.markdown,
      assumeRole: this.role.roleArn,
      ...(this.parameters.length > 0 ? { parameters: Object.fromEntries(this.parameters.map((p) => [p.name, p._render()])) } : {}),
      mainSteps: rendered,
      ...(props.outputs?.length ? { outputs: props.outputs.map((o) => o.replace(/^\{\{\s*|\s*\}\}$/g, '')) } : {}),
    };
    const contentText = Stack.of(this).toJsonString(content);
    this.document = new ssm.CfnDocument(this, 'Document', {
      name: this.documentName,
      documentType: 'Automation',
      documentFormat: 'JSON',
      // A fixed name with the default 'Replace' fails every content change; NewVersion also moves $DEFAULT.
      updateMethod: 'NewVersion',
      // A compact JSON string (one Fn::Sub) when it holds references; without any, the object (aws-cdk-lib accepts
      // only an object there).
      content: Lazy.any({
        produce: () => {
          const resolved = Stack.of(this).resolve(compactString(this, contentText));
          return typeof resolved === 'string' ? JSON.parse(resolved) : resolved;
        },
      }),
    });
    const stack = Stack.of(this);
    this.documentArn = stack.formatArn({ service: 'ssm', resource: 'document', resourceName: this.documentName });
    this.automationDefinitionArn = stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${this.documentName}:$DEFAULT` });
  }

  /**
   * Allow the generated role more (for what a step needs beyond its call, e.g. `kms:Decrypt` on an encrypted queue).
   * Fails for a role you gave: change that role where it is defined.
   */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    if (this.givenRole) fail(this, 'addToRolePolicy: this runbook uses the role you gave; grant it what it needs where the role is defined.');
    if (this.policy) this.policy.addStatements(statement);
    else this.role.addToPrincipalPolicy(statement);
  }

  /**
   * Let `grantee` start the runbook and follow its executions (it must be allowed to pass the runbook's role).
   */
  public grantStart(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:StartAutomationExecution'],
      resourceArns: [
        stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${this.documentName}:*` }),
        this.documentArn,
        stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }),
      ],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetAutomationExecution'],
      resourceArns: [stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' })],
    });
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    }));
    return grant;
  }
}

/** Merge permissions into statements: one per distinct resource set, actions sorted. */
function statementsOf(permissions: StepPermission[]): iam.PolicyStatement[] {
  const byResources = new Map<string, { resources: string[]; actions: Set<string> }>();
  for (const p of permissions) {
    const key = JSON.stringify(p.resources);
    const entry = byResources.get(key) ?? { resources: p.resources, actions: new Set<string>() };
    p.actions.forEach((a) => entry.actions.add(a));
    byResources.set(key, entry);
  }
  return [...byResources.values()].map((e) => new iam.PolicyStatement({ actions: [...e.actions].sort(), resources: e.resources }));
}


/** The runtime shape of RunbookProps, for plain-JavaScript callers (the description is checked on its own). */
function checkRunbookProps(scope: Runbook, props: RunbookProps): void {
  checkProps(scope, 'RunbookProps', props, {
    steps: [Checks.arrayOf(Kinds.step, 'an array of Steps (Step.executeAwsApi(...), Step.approve(...), ...)')],
    parameters: [Checks.arrayOf(Kinds.parameter, 'an array of RunbookParameter')],
    outputs: [Checks.arrayOf(Checks.string({ nonEmpty: true }), 'an array of step outputs'), "Give outputs as step.output('Name') or 'Step.Name'."],
    title: [Checks.string({ nonEmpty: true }), 'Give a title, or leave it out for the document name.'],
    documentName: [Checks.string()],
    approval: [Kinds.approval],
    role: [Kinds.role],
  });
  checkRequired(scope, 'steps', props.steps, Checks.arrayOf(Kinds.step), 'Give the steps, e.g. [Step.executeAwsApi({ ... })].');
  checkDescription(scope, 'description', props.description);
}
