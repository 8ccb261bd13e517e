import { dirname } from 'path';
import {
  ApproveSimulation, ApproveStep, AssertAwsResourceSimulation, AutomationStep, AutomationStepSimulation, DataType, DataTypeEnum, DictFormat,
  ExecuteScriptStep, GenericVariable, HardCodedNumber, HardCodedString, HardCodedStringList, IAwsInvoker, Invocation, MockSleep, OnCancel,
  OnFailure, ResponseCode, Simulation, StepRef, StringDocument, StringVariable,
} from '@cdklabs/cdk-ssm-documents';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { Runbook } from '../../src';

/**
 * Runbook simulation for tests: the synthesized `AWS::SSM::Document` content, loaded with cdk-ssm-documents'
 * `StringDocument.fromJson` and run by its `Simulation` against a scripted fake of AWS (no AWS calls, scripts run
 * in the local Python).
 *
 * cdk-ssm-documents 0.0.74 loads JSON with a few gaps, which this helper closes so the simulation follows the
 * document as Automation would: it restores `nextStep`, `onFailure` and `onCancel` (dropped by the JSON import),
 * passes script inputs with their real types (the import types them all as strings), interpolates `{{ }}` in
 * `DesiredValues` and compares them with the selected property's string form (as Automation does), and lets a
 * wait time out after `waitTimeoutSeconds` of wall clock (sleeps are mocked).
 */

/** A step of a document's mainSteps. */
interface DocumentStep {
  readonly name: string;
  readonly action: string;
  readonly nextStep?: string;
  readonly onFailure?: string;
  readonly onCancel?: string;
  readonly inputs: {
    readonly [key: string]: unknown;
    readonly Approvers?: string[];
    readonly Message?: string;
    readonly MinRequiredApprovals?: number;
    readonly NotificationArn?: string;
    readonly DesiredValues?: string[];
  };
}

/** An Automation document's content. */
export interface DocumentContent {
  readonly [key: string]: unknown;
  readonly description: string;
  readonly assumeRole?: string;
  readonly parameters?: Record<string, { readonly type: string; readonly default?: unknown; readonly allowedValues?: unknown[] }>;
  readonly mainSteps: DocumentStep[];
  readonly outputs?: string[];
}

/** A scripted AWS: responses per call, in order (the last repeats), and a record of every call made. */
export class FakeAws implements IAwsInvoker {
  public readonly calls: Array<{ service: string; api: string; params: Record<string, unknown> }> = [];
  private readonly rules: Array<{ service: string; api: string; params?: Record<string, unknown>; responses: unknown[]; error?: string }> = [];

  /** Answer `service:Api` (with exactly `params`, when given) with `responses` in turn. */
  public when(service: string, api: string, params: Record<string, unknown> | undefined, ...responses: Record<string, unknown>[]): this {
    this.rules.push({ service, api, params, responses: responses.length > 0 ? responses : [{}] });
    return this;
  }

  /** Fail `service:Api` with `message`. */
  public fails(service: string, api: string, message: string): this {
    this.rules.push({ service, api, responses: [], error: message });
    return this;
  }

  /** The calls to `service:Api`, in order. */
  public callsTo(service: string, api: string): Array<Record<string, unknown>> {
    return this.calls.filter((c) => c.service === service && c.api === api).map((c) => c.params);
  }

  public invoke(invocation: Invocation): unknown {
    // The JSON import gives wait and assert steps the service as a plain string.
    const service = typeof invocation.service === 'string' ? invocation.service as string : invocation.service.namespace;
    const api = invocation.awsApi.charAt(0).toUpperCase() + invocation.awsApi.slice(1);
    const params = JSON.parse(JSON.stringify(invocation.awsParams)) as Record<string, unknown>;
    this.calls.push({ service, api, params });
    const rule = [...this.rules].reverse().find((r) => r.service === service && r.api === api &&
      (r.params === undefined || JSON.stringify(sorted(r.params)) === JSON.stringify(sorted(params))));
    if (!rule) throw new Error(`FakeAws: no answer for ${service}:${api} ${JSON.stringify(params)}`);
    if (rule.error) throw new Error(rule.error);
    return rule.responses.length > 1 ? rule.responses.shift() : rule.responses[0];
  }
}

/** What a simulated run did. */
export interface RunbookRun {
  readonly status: 'Success' | 'Failed' | 'Cancelled';
  readonly steps: string[];
  readonly outputs: Record<string, unknown>;
  readonly error?: string;
}

/** The runbook's document content as Automation receives it (`${Logical.Attr}` → `arn:aws:test:::Logical.Attr`). */
export function documentContent(runbook: Runbook): DocumentContent {
  const stack = Stack.of(runbook);
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Properties: { Content: unknown } }> };
  const content = template.Resources[stack.getLogicalId(runbook.document)].Properties.Content;
  // Without references the content is the object itself; with some, one Fn::Sub JSON string.
  if (typeof content === 'object' && content !== null && !('Fn::Sub' in content)) return content as DocumentContent;
  const text = typeof content === 'string' ? content : (content as { 'Fn::Sub': string })['Fn::Sub']
    .replace(/\$\{([A-Za-z0-9]+)\.([A-Za-z0-9]+)\}/g, 'arn:aws:test:::$1.$2')
    .replace(/\$\{AWS::([A-Za-z]+)\}/g, 'test-$1')
    .replace(/\$\{([A-Za-z0-9]+)\}/g, '$1')
    .replace(/\$\{!/g, '${');
  return JSON.parse(text);
}

/** Run the runbook's synthesized document against `aws`, approving (or rejecting) every approval step. */
export function simulateRunbook(runbook: Runbook, options: {
  aws: FakeAws;
  inputs?: Record<string, unknown>;
  approve?: boolean;
  waitTimeoutSeconds?: number;
}): RunbookRun {
  const content = documentContent(runbook);
  // The JSON import needs a parameters section, which documents without parameters leave out.
  const doc = StringDocument.fromJson(new Stack(new App(), 'Simulation'), 'Doc', JSON.stringify({ parameters: {}, ...content }));
  const byName = new Map(content.mainSteps.map((s) => [s.name, s]));
  for (const step of doc.collectedSteps() as AutomationStep[]) restore(step, byName.get(step.name)!, options.waitTimeoutSeconds ?? 2);
  const log = console.log;
  const logError = console.error;
  const stderr: string[] = [];
  console.log = () => undefined;
  console.error = (...args: unknown[]) => { stderr.push(args.map(String).join(' ')); };
  try {
    const result = Simulation.ofAutomation(doc, {
      awsInvoker: options.aws,
      sleepHook: new MockSleep(),
      approveHook: { ask: () => options.approve ?? true },
    }).simulate(defaults(content, options.inputs ?? {}));
    const status = result.responseCode === ResponseCode.SUCCESS ? 'Success' : result.responseCode === ResponseCode.CANCELED ? 'Cancelled' : 'Failed';
    return { status, steps: result.executedSteps ?? [], outputs: result.outputs ?? {}, error: errorOf(result.stackTrace, stderr) };
  } finally {
    console.log = log;
    console.error = logError;
  }
}

/** The failure: the first line of the trace, or for a script, the exception its Python traceback ends with. */
function errorOf(stackTrace: string | undefined, stderr: string[]): string | undefined {
  const first = stackTrace?.split('\n')[0];
  if (!first?.startsWith('Traceback')) return first;
  const raised = [...`${stackTrace}\n${stderr.join('\n')}`.matchAll(/^\s*(?:\w+\.)*\w*(?:Exception|Error): (.*)$/gm)].map((m) => m[1]);
  return raised.length > 0 ? raised[raised.length - 1] : first;
}

/** Runbook parameters with their defaults filled in, as Automation fills them. */
function defaults(content: DocumentContent, inputs: Record<string, unknown>): Record<string, unknown> {
  const declared = content.parameters ?? {};
  return { ...Object.fromEntries(Object.entries(declared).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, p.default])), ...inputs };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function restore(step: AutomationStep, json: DocumentStep, waitTimeoutSeconds: number): void {
  const s = step as unknown as Mutable<AutomationStep> & Record<string, unknown>;
  if (json.nextStep) s.explicitNextStep = StepRef.fromName(json.nextStep);
  s.onFailure = failure(json.onFailure);
  s.onCancel = failure(json.onCancel);
  if (json.action === 'aws:executeAwsApi' && s.outputs === undefined) s.outputs = [];
  if (json.action === 'aws:waitForAwsResourceProperty') s.timeoutSeconds = waitTimeoutSeconds;
  if (step instanceof ExecuteScriptStep) {
    const inputs = (step as unknown as { inputs: Record<string, unknown> }).inputs;
    for (const [k, v] of Object.entries(inputs)) if (v instanceof StringVariable) inputs[k] = new AnyVariable(v.reference);
  }
  if (step instanceof ApproveStep) {
    const a = s as unknown as Record<string, unknown>;
    a.approvers = new HardCodedStringList(json.inputs.Approvers);
    a.message = new HardCodedString(json.inputs.Message);
    a.minRequiredApprovals = new HardCodedNumber(json.inputs.MinRequiredApprovals ?? 1);
    a.notificationArn = json.inputs.NotificationArn ? new HardCodedString(json.inputs.NotificationArn) : undefined;
  }
  if (Array.isArray(json.inputs.DesiredValues)) {
    const refs = json.inputs.DesiredValues.flatMap((v) => [...v.matchAll(/\{\{\s*([^{}\s]+)\s*\}\}/g)].map((m) => m[1]));
    const listInputs = step.listInputs.bind(step);
    s.listInputs = () => [...new Set([...listInputs(), ...refs])];
  }
}

function failure(value: string | undefined): OnFailure {
  if (value === undefined || value === 'Abort') return OnFailure.abort();
  if (value === 'Continue') return OnFailure.continue();
  return OnCancel.invokeStepByName(value.replace(/^step:/, ''));
}

/** A reference to a value of any type (script inputs). */
class AnyVariable extends GenericVariable {
  protected assertType(_value: unknown): void {}
}

// Automation interpolates DesiredValues and compares the selected value's string form with them.
const original = AssertAwsResourceSimulation.prototype.executeStep;
AssertAwsResourceSimulation.prototype.executeStep = function executeStep(this: unknown, inputs: Record<string, unknown>) {
  const step = (this as { assertStep: { desiredValues: string[] } }).assertStep;
  const saved = step.desiredValues;
  step.desiredValues = saved.map((v) => v.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_, ref: string) => String(inputs[ref])));
  const includes = step.desiredValues.includes.bind(step.desiredValues);
  step.desiredValues.includes = (x: unknown) => includes(typeof x === 'string' ? x : JSON.stringify(x));
  try {
    return original.call(this as AssertAwsResourceSimulation, inputs);
  } finally {
    step.desiredValues = saved;
  }
};

// Automation converts an output to its declared type where it can (Integer or Boolean to String, String to Integer or
// Boolean, a one-item list to its item); the simulator only checks the type. This selection does what Automation does.
const jsonPathModule = require.resolve('jsonpath-plus', { paths: [dirname(require.resolve('@cdklabs/cdk-ssm-documents'))] });
// eslint-disable-next-line @typescript-eslint/no-require-imports -- cdk-ssm-documents' own JSONPath library, the one its simulator uses
const { JSONPath } = require(jsonPathModule) as { JSONPath: (options: { path: string; json: unknown }) => unknown[] };
type SimulatedStep = { name: string; listOutputs(): Array<{ name: string; selector: string; outputType: DataTypeEnum }> };
const simulation = AutomationStepSimulation.prototype as unknown as Record<string, unknown>;
simulation.getSelectedResponse = function getSelectedResponse(this: unknown, response: unknown) {
  const step = (this as { step: SimulatedStep }).step;
  const selected: Record<string, unknown> = {};
  for (const out of step.listOutputs()) {
    const found = response === undefined ? undefined : JSONPath({ path: out.selector, json: JSON.parse(JSON.stringify(response)) })[0];
    if (found === undefined) throw new Error(`Output ${out.name} specified selector ${out.selector} but not found in response ${JSON.stringify(response)}`);
    const value = convert(found, out.outputType);
    if (!new DataType(out.outputType).validateType(value)) {
      throw new Error(`Output ${out.name}: ${JSON.stringify(found)} cannot be converted to ${DataTypeEnum[out.outputType]}`);
    }
    selected[`${step.name}.${out.name}`] = value;
  }
  return selected;
};

function convert(value: unknown, type: DataTypeEnum): unknown {
  const item = Array.isArray(value) && value.length === 1 && typeof value[0] !== 'object' ? value[0] : value;
  switch (type) {
    case DataTypeEnum.STRING: return typeof item === 'number' || typeof item === 'boolean' ? String(item) : item;
    case DataTypeEnum.INTEGER: return typeof item === 'string' && /^-?\d+$/.test(item) ? Number(item) : item;
    case DataTypeEnum.BOOLEAN: return item === 'true' ? true : item === 'false' ? false : item;
    case DataTypeEnum.STRING_LIST: return Array.isArray(value) ? value : [String(value)];
    default: return value;
  }
}

// A rejected approval fails the step in Automation.
const approve = ApproveSimulation.prototype.executeStep;
ApproveSimulation.prototype.executeStep = function executeStep(this: ApproveSimulation, inputs: Record<string, unknown>) {
  const result = approve.call(this, inputs) as { ApprovalStatus: string };
  if (result.ApprovalStatus !== 'Approved') throw new Error('Step rejected by approvers');
  return result;
};

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
  return value;
}

/** The construct's logical id in its stack. */
export function logicalIdOf(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as never);
}

// Automation passes a list where an API input is exactly one reference to a list output ({{ Candidates.RevisionArns }});
// cdk-ssm-documents 0.0.74 pastes the list inside the input's quotes (invalid JSON). This puts the list there instead.
const resolveApiParams = DictFormat.prototype.resolve;
DictFormat.prototype.resolve = function resolve(this: { format: unknown }, inputs: Record<string, unknown>): string {
  const lists = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const ref = /^\{\{\s*([^{}\s]+)\s*\}\}$/.exec(value)?.[1];
      return ref !== undefined && Array.isArray(inputs[ref]) ? inputs[ref] : value;
    }
    if (Array.isArray(value)) return value.map(lists);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lists(v)]));
    return value;
  };
  const format = this.format;
  this.format = lists(format);
  try {
    return resolveApiParams.call(this as unknown as DictFormat, inputs);
  } finally {
    this.format = format;
  }
};
