import { Duration } from 'aws-cdk-lib';
import { readAlias, runbook, updateAlias } from './runbook-fixtures';
import { BranchChoice, RunbookParameter, Step, StepFailure } from '../../src';
import { FakeAws, simulateRunbook } from '../support/runbook-simulation';

/**
 * Runs of synthesized runbooks against a scripted AWS (approval steps approve unless told otherwise). Each runbook
 * takes the function name as a parameter: the simulator cannot load a document without parameters.
 */

const FUNCTION_NAME = RunbookParameter.ofString('FunctionName', { description: 'The function.', defaultValue: 'quotes' });
const INPUTS = { FunctionName: FUNCTION_NAME.reference, Name: 'live' };
const ALIAS = { FunctionName: 'quotes', Name: 'live' };
const read = (name: string, options: Parameters<typeof readAlias>[1] = {}) => readAlias(name, { inputs: INPUTS, ...options });
const point = (name: string, version: string, options: Parameters<typeof updateAlias>[1] = {}) =>
  updateAlias(name, { inputs: { ...INPUTS, FunctionVersion: version }, ...options });

/** Read the alias, gate, point it to the version before (a Python step computes it), verify. */
function rollback() {
  const current = read('Read');
  const plan = Step.executeScript({
    name: 'Plan',
    script: 'def handler(events, context):\n    return {"Target": str(int(events["Current"]) - 1)}\n',
    inputs: { Current: current.output('Version') },
    outputs: [{ name: 'Target', selector: '$.Payload.Target' }],
  });
  return runbook({
    parameters: [FUNCTION_NAME],
    steps: [
      current,
      plan,
      point('Point', plan.output('Target')),
      Step.assertAwsResourceProperty({
        name: 'Verify',
        service: 'lambda',
        api: 'GetAlias',
        inputs: INPUTS,
        resources: ['arn:aws:lambda:eu-west-1:123456789012:function:quotes'],
        propertySelector: '$.FunctionVersion',
        desiredValues: [plan.output('Target')],
      }),
    ],
    outputs: [current.output('Version'), plan.output('Target')],
  }).runbook;
}

describe('a gated rollback', () => {
  test('approved: reads, computes the target in Python, waits for approval, moves the alias and verifies it', () => {
    const aws = new FakeAws()
      .when('lambda', 'GetAlias', ALIAS, { FunctionVersion: '7' }, { FunctionVersion: '6' })
      .when('lambda', 'UpdateAlias', undefined, { FunctionVersion: '6' });
    const run = simulateRunbook(rollback(), { aws });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['Read', 'Plan', 'ApproveChange', 'Point', 'Verify']);
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([{ ...ALIAS, FunctionVersion: '6' }]);
    expect(run.outputs).toMatchObject({ 'Read.Version': '7', 'Plan.Target': '6' });
  });

  test('rejected: the automation fails at the gate and nothing changes', () => {
    const aws = new FakeAws().when('lambda', 'GetAlias', ALIAS, { FunctionVersion: '7' });
    const run = simulateRunbook(rollback(), { aws, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['Read', 'Plan', 'ApproveChange']);
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([]);
  });
});

describe('jumps', () => {
  test('nextStep skips the steps in between (and, retargeted, still passes the gate)', () => {
    const { runbook: rb } = runbook({
      parameters: [FUNCTION_NAME],
      steps: [
        read('Read', { nextStep: 'Point' }),
        Step.executeAwsApi({
          name: 'Skipped',
          service: 'lambda',
          api: 'GetFunctionConfiguration',
          inputs: { FunctionName: 'quotes' },
          resources: ['arn:aws:lambda:eu-west-1:123456789012:function:quotes'],
        }),
        point('Point', '6'),
      ],
    });
    const aws = new FakeAws().when('lambda', 'GetAlias', undefined, { FunctionVersion: '7' }).when('lambda', 'UpdateAlias', undefined, {});
    const run = simulateRunbook(rb, { aws });
    expect([run.status, run.steps]).toEqual(['Success', ['Read', 'ApproveChange', 'Point']]);
    expect(aws.callsTo('lambda', 'GetFunctionConfiguration')).toEqual([]);
  });

  const withRestore = (onFailure: StepFailure) => runbook({
    parameters: [FUNCTION_NAME],
    steps: [
      read('Read'),
      point('Point', '6', { onFailure }),
      read('Check', { isEnd: true }),
      point('Restore', '{{ Read.Version }}'),
    ],
  }).runbook;

  test('onFailure goTo: a failed step jumps to the restoring step', () => {
    const aws = new FakeAws()
      .when('lambda', 'GetAlias', undefined, { FunctionVersion: '7' })
      .fails('lambda', 'UpdateAlias', 'ResourceConflictException')
      .when('lambda', 'UpdateAlias', { ...ALIAS, FunctionVersion: '7' }, {});
    const run = simulateRunbook(withRestore(StepFailure.goTo('Restore')), { aws });
    // The simulator lists the steps that succeeded; the failed attempt shows in the calls.
    expect([run.status, run.steps]).toEqual(['Success', ['Read', 'ApproveChange', 'Restore']]);
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([{ ...ALIAS, FunctionVersion: '6' }, { ...ALIAS, FunctionVersion: '7' }]);
  });

  test('onFailure continue: a failed step goes on with the next one; abort (the default) stops', () => {
    const failing = () => new FakeAws().when('lambda', 'GetAlias', undefined, { FunctionVersion: '7' }).fails('lambda', 'UpdateAlias', 'Throttled');
    const continued = simulateRunbook(withRestore(StepFailure.CONTINUE), { aws: failing() });
    expect([continued.status, continued.steps]).toEqual(['Success', ['Read', 'ApproveChange', 'Check']]);
    expect(continued.error).toBeUndefined();
    const aborted = simulateRunbook(withRestore(StepFailure.ABORT), { aws: failing() });
    expect([aborted.status, aborted.steps, aborted.error]).toEqual(['Failed', ['Read', 'ApproveChange', 'Point'], 'Throttled']);
  });

  describe('branch', () => {
    const rb = () => runbook({
      parameters: [FUNCTION_NAME],
      steps: [
        read('Read'),
        Step.branch({ name: 'Check', choices: [BranchChoice.stringEquals('{{ Read.Version }}', '6', 'AlreadyThere')], defaultStep: 'Point' }),
        point('Point', '6', { isEnd: true }),
        Step.sleep({ name: 'AlreadyThere', duration: Duration.seconds(1) }),
      ],
    }).runbook;

    test('the choice that holds: the alias is not touched', () => {
      const aws = new FakeAws().when('lambda', 'GetAlias', undefined, { FunctionVersion: '6' });
      const run = simulateRunbook(rb(), { aws });
      expect([run.status, run.steps]).toEqual(['Success', ['Read', 'Check', 'AlreadyThere']]);
      expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([]);
    });

    test('no choice holds: the default, through the gate', () => {
      const aws = new FakeAws().when('lambda', 'GetAlias', undefined, { FunctionVersion: '7' }).when('lambda', 'UpdateAlias', undefined, {});
      const run = simulateRunbook(rb(), { aws, inputs: { FunctionName: 'orders' } });
      expect([run.status, run.steps]).toEqual(['Success', ['Read', 'Check', 'ApproveChange', 'Point']]);
      expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([{ FunctionName: 'orders', Name: 'live', FunctionVersion: '6' }]);
    });
  });
});
