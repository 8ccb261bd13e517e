import { IConstruct } from 'constructs';
import { Kinds, NON_EMPTY_STRINGS, PARAMETER_VALUES } from './kinds';
import { BranchChoice, STEP_NAME, StepFailure, StepOutputType } from './step-parts';
import { Check, Checks, checkValue, describeValue } from '../core/checks';
import { fail } from '../core/errors';

/**
 * The checks of step options (internal). Steps are built by static factories that have no construct to name, so a
 * runbook checks each of its steps before anything else: the shape a plain-JavaScript caller may get wrong, options
 * that do not apply to the action, Durations that are not whole seconds, value objects recorded as invalid
 * (`StepFailure.goTo('')`, `BranchChoice.numericEquals(v, NaN, ...)`), and the `resources: ['*']` opt-in.
 */

type Table = Record<string, readonly [Check, string?]>;

const WHOLE_SECONDS = 'Use Duration.seconds(n) or Duration.minutes(n) with a whole n: Automation counts in whole seconds.';

const OUTPUTS: Check = (v) => {
  if (!Array.isArray(v)) return "must be an array of StepOutput ({ name: 'Version', selector: '$.FunctionVersion' })";
  for (let i = 0; i < v.length; i++) {
    const o = v[i] as Record<string, unknown> | null;
    if (o === null || typeof o !== 'object') return `[${i}] must be a StepOutput ({ name, selector, outputType }) (got ${describeValue(o)})`;
    if ('type' in o) return `[${i}] has 'type', which is now called outputType: rename it`;
    for (const key of ['name', 'selector']) {
      const problem = Checks.string({ nonEmpty: true })(o[key]);
      if (problem) return `[${i}].${key} ${problem} (got ${describeValue(o[key])})`;
    }
    const type = o.outputType === undefined ? undefined : Checks.enumOf(StepOutputType, 'StepOutputType')(o.outputType);
    if (type) return `[${i}].outputType ${type} (got ${describeValue(o.outputType)})`;
  }
  return undefined;
};

const COMMON: Table = {
  description: [Checks.string()],
  onFailure: [Kinds.failure],
  onCancel: [Kinds.failure],
  nextStep: [Checks.string({ nonEmpty: true }), 'Give the name of a step of this runbook.'],
  isEnd: [Checks.boolean],
  timeout: [Checks.duration({ wholeSeconds: true }), WHOLE_SECONDS],
  maxAttempts: [Checks.number()],
};

const CALL: Table = {
  service: [Checks.string(), "Give the service's namespace, e.g. 'lambda'."],
  api: [Checks.string(), "Give the API in PascalCase, e.g. 'UpdateAlias'."],
  inputs: [Checks.object('an object of API parameters')],
  resources: [Checks.arrayOf(Checks.string(), 'an array of ARNs')],
  allResources: [Checks.boolean],
  iamActions: [NON_EMPTY_STRINGS],
};

const PROPERTY: Table = {
  ...CALL,
  propertySelector: [Checks.string(), "Give a JSONPath into the response, e.g. '$.services[0].status'."],
  desiredValues: [Checks.arrayOf(Checks.string(), 'an array of strings'), "Give the values that satisfy it, e.g. ['ACTIVE']."],
};

/** What each action takes besides the common options, and which of those it needs. */
const ACTIONS: Record<string, { table: Table; required: string[] }> = {
  'aws:executeAwsApi': { table: { ...CALL, outputs: [OUTPUTS] }, required: ['service', 'api'] },
  'aws:waitForAwsResourceProperty': { table: PROPERTY, required: ['service', 'api', 'propertySelector', 'desiredValues'] },
  'aws:assertAwsResourceProperty': { table: PROPERTY, required: ['service', 'api', 'propertySelector', 'desiredValues'] },
  'aws:approve': { table: { message: [Checks.string({ nonEmpty: true }), 'Say what the approvers approve.'], approvers: [Kinds.approvers] }, required: ['message'] },
  'aws:sleep': { table: { duration: [Checks.duration({ wholeSeconds: true }), WHOLE_SECONDS] }, required: ['duration'] },
  'aws:branch': {
    table: { choices: [Checks.arrayOf(Kinds.choice, 'an array of BranchChoice')], defaultStep: [Checks.string({ nonEmpty: true })] },
    required: ['choices'],
  },
  'aws:executeScript': {
    table: {
      script: [Checks.string()],
      runtime: [Kinds.runtime],
      handler: [Checks.string({ nonEmpty: true })],
      inputs: [Checks.object('an object (the script\'s events)')],
      outputs: [OUTPUTS],
      iamActions: [NON_EMPTY_STRINGS],
      resources: [Checks.arrayOf(Checks.string(), 'an array of ARNs')],
      allResources: [Checks.boolean],
    },
    required: ['script'],
  },
  'aws:executeAutomation': { table: { runbook: [Kinds.runbook], parameters: [PARAMETER_VALUES] }, required: ['runbook'] },
};

/** The name a message uses for a step: `Step 'Name'`, or its position when it has no usable name. */
export function stepLabel(name: unknown, index: number): string {
  return typeof name === 'string' && name !== '' ? `Step '${name}'` : `steps[${index}]`;
}

/**
 * Check the options of one step (`index` in the runbook's list), naming `scope` in the error. `stepNames` are the
 * runbook's step names, for the fix of a bad jump.
 */
export function checkStepOptions(scope: IConstruct, action: string, options: unknown, index: number, stepNames: string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail(scope, `steps[${index}] (${action}) was built from options ${describeValue(options)}: give the step factory an object of options.`);
  }
  const o = options as Record<string, unknown>;
  if (typeof o.name !== 'string' || !STEP_NAME.test(o.name)) {
    fail(scope, `Step name ${typeof o.name === 'string' ? `'${o.name}'` : describeValue(o.name)} is invalid: use 1-128 letters, digits or '_'.`);
  }
  const where = stepLabel(o.name, index);
  const { table, required } = ACTIONS[action];
  const all: Table = { ...COMMON, ...table };
  const extra = Object.keys(o).filter((k) => k !== 'name' && !(k in all) && o[k] !== undefined);
  if (extra.length > 0) {
    fail(scope, `${where} (${action}) does not take ${extra.join(', ')}: remove ${extra.length > 1 ? 'them' : 'it'} ` +
      `(it takes ${['name', ...Object.keys(all)].join(', ')}).`);
  }
  for (const prop of required) {
    if (o[prop] === undefined || o[prop] === null) fail(scope, `${where} ${prop} is required, got ${describeValue(o[prop])}.`);
  }
  for (const [prop, [check, fix]] of Object.entries(all)) checkValue(scope, `${where} ${prop}`, o[prop], check, fix);

  const names = `steps: ${stepNames.join(', ')}`;
  for (const prop of ['onFailure', 'onCancel']) {
    const problem = (o[prop] as StepFailure | undefined)?._problem();
    if (problem) fail(scope, `${where} ${prop} ${problem}: go to a step of this runbook by its name (${names}).`);
  }
  ((o.choices as BranchChoice[] | undefined) ?? []).forEach((choice, i) => {
    const problem = choice._problem();
    if (problem) fail(scope, `${where} choices[${i}] ${problem[0]} ${problem[1]}, got ${describeValue(problem[2])}. ${problem[3]}`);
  });
  checkResources(scope, where, o);
}

/** `resources: ['*']` needs the explicit opt-in `allResources: true`, which never comes with resources. */
function checkResources(scope: IConstruct, where: string, o: Record<string, unknown>): void {
  const resources = o.resources as string[] | undefined;
  if (o.allResources === true && resources !== undefined && resources.length > 0) {
    fail(scope, `${where} sets allResources: true and lists resources (${resources.join(', ')}): give one of them ` +
      '(allResources allows the call on every resource, so the list would mean nothing).');
  }
  if (resources?.includes('*')) {
    fail(scope, `${where} lists resources ['*'], which would allow the call on every resource: name the ARNs it acts on, ` +
      'or set allResources: true (without resources) to allow every resource deliberately.');
  }
  if ('script' in o && o.iamActions === undefined && (resources !== undefined || o.allResources !== undefined)) {
    fail(scope, `${where} gives ${resources !== undefined ? 'resources' : 'allResources'} without iamActions, so the role would get nothing ` +
      'on them: list the IAM actions the script calls in iamActions, or remove it.');
  }
}
