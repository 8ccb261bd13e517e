import { readAlias, runbook } from './runbook-fixtures';
import * as src from '../../src';
import { BranchChoice, RunbookParameter, RunbookParameterType, Step, StepFailure, StepOutputType } from '../../src';
import { Warnings } from '../../src/core/errors';
import { documentContent } from '../support/runbook-simulation';

/**
 * Names fit for every jsii language (issue #10 §5): no member named with a reserved word of Java, C#, Python or Go
 * (`string`, `boolean`, `default`, `continue`, `type`, `operator`, `ref`).
 */

const PATH = 'Ops/Freight/Rollback';

describe('RunbookParameter: ofString/ofInteger/ofBoolean/ofStringList, defaultValue, parameterType, reference', () => {
  const parameters = [
    RunbookParameter.ofString('Alias', { description: 'The alias.', defaultValue: 'live', allowedValues: ['live', 'canary'], allowedPattern: '^[a-z]+$' }),
    RunbookParameter.ofInteger('Count', { description: 'How many.', defaultValue: 2, allowedValues: [1, 2, 3] }),
    RunbookParameter.ofBoolean('DryRun', { description: 'Only check.', defaultValue: false }),
    RunbookParameter.ofStringList('Targets', { description: 'The targets.', defaultValue: ['a'] }),
  ];
  const rb = runbook({ parameters, steps: [readAlias('Read', { inputs: { FunctionName: 'quotes', Name: parameters[0].reference } })] }).runbook;

  test('the SSM types as an enum, the defaults rendered as default, the reference as {{ Name }}', () => {
    expect(parameters.map((p) => p.parameterType)).toEqual([
      RunbookParameterType.STRING, RunbookParameterType.INTEGER, RunbookParameterType.BOOLEAN, RunbookParameterType.STRING_LIST,
    ]);
    expect(Object.values(RunbookParameterType)).toEqual(['String', 'Integer', 'Boolean', 'StringList']);
    expect(parameters[0].reference).toBe('{{ Alias }}');
    expect(parameters.map((p) => p.required)).toEqual([false, false, false, false]);
    expect(documentContent(rb).parameters).toEqual({
      Alias: { type: 'String', description: 'The alias.', default: 'live', allowedValues: ['live', 'canary'], allowedPattern: '^[a-z]+$' },
      Count: { type: 'Integer', description: 'How many.', default: 2, allowedValues: [1, 2, 3] },
      DryRun: { type: 'Boolean', description: 'Only check.', default: false },
      Targets: { type: 'StringList', description: 'The targets.', default: ['a'] },
    });
    expect(documentContent(rb).mainSteps[0].inputs.Name).toBe('{{ Alias }}');
    expect(rb.markdown).toContain('- `Alias` (String): The alias.\n- `Count` (Integer): How many.\n');
  });

  test('the reserved names are gone', () => {
    const statics = RunbookParameter as unknown as Record<string, unknown>;
    expect([statics.string, statics.integer, statics.boolean, statics.stringList]).toEqual([undefined, undefined, undefined, undefined]);
    const p = parameters[0] as unknown as Record<string, unknown>;
    expect([p.type, p.ref]).toEqual([undefined, undefined]);
  });

  test("a plain-JavaScript caller still passing 'default' is told the new name, not silently given a required parameter", () => {
    const old = RunbookParameter.ofString('Alias', { description: 'The alias.', default: 'live' } as never);
    expect(() => runbook({ parameters: [old], steps: [readAlias()] })).toThrow(
      `[${PATH}] parameter 'Alias' has 'default', which is now called defaultValue: rename it.`);
  });
});

describe('StepFailure: ABORT and CONTINUE constants (an enum-like class), goTo kept', () => {
  test('constants, the same object every time, rendered as Abort (left out) and Continue', () => {
    expect([StepFailure.ABORT.value, StepFailure.CONTINUE.value, StepFailure.goTo('Read').value]).toEqual(['Abort', 'Continue', 'step:Read']);
    expect(StepFailure.ABORT).toBe(StepFailure.ABORT);
    expect([StepFailure.ABORT.stepName, StepFailure.CONTINUE.stepName, StepFailure.goTo('Read').stepName]).toEqual([undefined, undefined, 'Read']);
    const statics = StepFailure as unknown as Record<string, unknown>;
    expect([statics.abort, statics.continue]).toEqual([undefined, undefined]);
    const rb = runbook({ steps: [readAlias('Read', { onFailure: StepFailure.CONTINUE, onCancel: StepFailure.ABORT }), readAlias('Last')] }).runbook;
    expect(documentContent(rb).mainSteps[0]).toMatchObject({ name: 'Read', onFailure: 'Continue' });
    expect(documentContent(rb).mainSteps[0].onCancel).toBeUndefined();
  });
});

describe('StepOutput.outputType and BranchChoice.comparison', () => {
  test('outputType sets the output Type; comparison names what Automation compares', () => {
    const read = readAlias('Read', { outputs: [{ name: 'Version', selector: '$.FunctionVersion', outputType: StepOutputType.INTEGER }] });
    const choice = BranchChoice.numericGreater(read.output('Version'), 6, 'Read');
    const rb = runbook({ steps: [read, Step.branch({ name: 'Check', choices: [choice] })] }).runbook;
    expect(documentContent(rb).mainSteps[0]).toMatchObject({ outputs: [{ Name: 'Version', Selector: '$.FunctionVersion', Type: 'Integer' }] });
    expect([choice.comparison, (choice as unknown as Record<string, unknown>).operator]).toEqual(['NumericGreater', undefined]);
  });

  test("a plain-JavaScript output still using 'type' is told the new name, not silently typed String", () => {
    const read = readAlias('Read', { outputs: [{ name: 'Version', selector: '$.FunctionVersion', type: StepOutputType.INTEGER } as never] });
    expect(() => runbook({ steps: [read] })).toThrow(
      `[${PATH}] Step 'Read' outputs [0] has 'type', which is now called outputType: rename it, got an array of 1.`);
  });
});

describe('the module exports', () => {
  test('RunbookParameterType is exported; the local warning-id constant AutoRemediationWarnings is not (Warnings has the id)', () => {
    expect(src.RunbookParameterType.STRING_LIST).toBe('StringList');
    expect((src as Record<string, unknown>).AutoRemediationWarnings).toBeUndefined();
    expect(Warnings.AUTO_REMEDIATION_APPROVAL.id).toBe('cdk-operable:auto-remediation-approval');
  });
});
