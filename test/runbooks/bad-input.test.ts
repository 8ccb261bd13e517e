import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DESCRIPTION, opsStack, QUOTES_FUNCTION_ARN, readAlias, runbook, statements, updateAlias } from './runbook-fixtures';
import { BranchChoice, Runbook, RunbookParameter, RunbookProps, Step, StepFailure } from '../../src';

/**
 * No input is silently accepted (issue #10 §2): value objects built without a scope (`StepFailure.goTo('')`,
 * `BranchChoice.numericEquals(v, NaN, ...)`, steps and parameters given the wrong shape) are recorded and fail the
 * runbook that uses them, naming its path, the prop, the value and the fix; so do Durations that are not whole seconds,
 * empty descriptions, `resources: ['*']` without the opt-in, and plain-JavaScript props of the wrong shape.
 */

const PATH = 'Ops/Freight/Rollback';
const WHOLE = 'Use Duration.seconds(n) or Duration.minutes(n) with a whole n: Automation counts in whole seconds.';

describe('value objects are checked where a runbook uses them', () => {
  test.each([
    ["goTo('')", StepFailure.goTo(''), "StepFailure.goTo('')"],
    ["goTo('Not a step')", StepFailure.goTo('Not a step'), "StepFailure.goTo('Not a step')"],
    ['goTo(undefined) from plain JavaScript', StepFailure.goTo(undefined as unknown as string), 'StepFailure.goTo(undefined)'],
  ])('StepFailure.%s does not throw, and fails the runbook naming the step, the prop and the steps to go to', (_what, failure, shown) => {
    expect(() => runbook({ steps: [readAlias('Read', { onFailure: failure }), updateAlias('Point')] })).toThrow(
      `[${PATH}] Step 'Read' onFailure is ${shown}, which is not a step name: go to a step of this runbook by its name (steps: Read, Point).`);
    expect(() => runbook({ steps: [readAlias('Read', { onCancel: failure })] })).toThrow(`[${PATH}] Step 'Read' onCancel is ${shown}`);
  });

  test.each([NaN, Infinity, -Infinity])('BranchChoice numeric comparisons with %d fail the runbook (they rendered null)', (value) => {
    for (const factory of [BranchChoice.numericEquals, BranchChoice.numericGreater, BranchChoice.numericLesser]) {
      const choice = factory('{{ Read.Version }}', value, 'Read');
      expect(() => runbook({ steps: [readAlias('Read'), Step.branch({ name: 'Check', choices: [readChoice(), choice] })] })).toThrow(
        `[${PATH}] Step 'Check' choices[1] value must be a finite number, got ${value}. BranchChoice.${choice.comparison.charAt(0).toLowerCase()}` +
        `${choice.comparison.slice(1)} compares with a finite number known at synth: NaN and Infinity cannot be written in the document.`);
    }
  });

  test('BranchChoice with a value of the wrong type, an empty variable or no nextStep (plain JavaScript)', () => {
    const check = (choice: BranchChoice) => () => runbook({ steps: [readAlias('Read'), Step.branch({ name: 'Check', choices: [choice] })] });
    expect(check(BranchChoice.stringEquals('{{ Read.Version }}', 7 as unknown as string, 'Read'))).toThrow(
      `[${PATH}] Step 'Check' choices[0] value must be a string, got 7. BranchChoice.stringEquals compares with a string.`);
    expect(check(BranchChoice.booleanEquals('{{ Read.Version }}', 'true' as unknown as boolean, 'Read'))).toThrow(
      `[${PATH}] Step 'Check' choices[0] value must be true or false, got 'true' (a string). BranchChoice.booleanEquals compares with true or false.`);
    expect(check(BranchChoice.stringEquals(' ', '7', 'Read'))).toThrow(
      `[${PATH}] Step 'Check' choices[0] variable must not be empty, got ' ' (a string). Give the value to test, e.g. '{{ Step.Output }}'`);
    expect(check(BranchChoice.stringEquals('{{ Read.Version }}', '7', undefined as unknown as string))).toThrow(
      `[${PATH}] Step 'Check' choices[0] nextStep must be a string, got undefined. Give the name of the step to go to.`);
  });
});

function readChoice(): BranchChoice {
  return BranchChoice.stringEquals('{{ Read.Version }}', '7', 'Read');
}

describe('Durations that are not whole seconds name the runbook, the step and the prop', () => {
  test.each([
    ['a step timeout', () => readAlias('Read', { timeout: Duration.millis(1500) }), "Step 'Read' timeout", 'Duration 1 second 500 millis'],
    ['a sleep', () => Step.sleep({ name: 'Wait', duration: Duration.millis(2500) }), "Step 'Wait' duration", 'Duration 2 seconds 500 millis'],
    ['an approval timeout', () => Step.approve({ name: 'Approve', message: 'Go?', timeout: Duration.millis(60_500) }), "Step 'Approve' timeout",
      'Duration 1 minute 500 millis'],
  ])('%s', (_what, step, prop, shown) => {
    expect(() => runbook({ steps: [step(), readAlias('Last')] })).toThrow(`[${PATH}] ${prop} must be a whole number of seconds, got ${shown}. ${WHOLE}`);
  });

  test('a sleep duration that is not a Duration (plain JavaScript) is named, not a TypeError', () => {
    expect(() => runbook({ steps: [Step.sleep({ name: 'Wait', duration: 30 as unknown as Duration })] })).toThrow(
      `[${PATH}] Step 'Wait' duration must be a Duration (e.g. Duration.minutes(5)), got 30.`);
    expect(() => runbook({ steps: [Step.sleep({ name: 'Wait' } as never)] })).toThrow(`[${PATH}] Step 'Wait' duration is required, got undefined.`);
  });
});

describe('the description: no empty purpose, whenToUse entries or rollback', () => {
  const cases: Array<[string, Partial<RunbookProps['description']>, string]> = [
    ['an empty purpose', { purpose: '' }, "description.purpose must not be empty, got '' (a string). Say what the runbook achieves"],
    ['a whitespace purpose', { purpose: '  \n' }, 'description.purpose must not be empty'],
    ['no purpose (plain JavaScript)', { purpose: undefined }, 'description.purpose is required, got undefined.'],
    ['an empty whenToUse entry', { whenToUse: ['Errors', ' '] }, 'description.whenToUse [1] must not be empty'],
    ['an empty whenToUse', { whenToUse: [] }, 'description.whenToUse is empty: name at least one situation to run the runbook in'],
    ['a whenToUse string (plain JavaScript)', { whenToUse: 'Errors' as unknown as string[] },
      "description.whenToUse must be an array of non-empty strings, got 'Errors' (a string)."],
    ['an empty rollback', { rollback: '' }, "description.rollback must not be empty, got '' (a string). Say how to undo what the runbook did"],
    ['an empty precondition', { preconditions: [''] }, 'description.preconditions [0] must not be empty'],
    ['an empty change', { changes: [''] }, 'description.changes [0] must not be empty'],
  ];
  test.each(cases)('%s', (_what, description, message) => {
    expect(() => runbook({ description: { ...DESCRIPTION, ...description }, steps: [updateAlias()] })).toThrow(`[${PATH}] ${message}`);
  });

  test('no description at all (plain JavaScript)', () => {
    expect(() => runbook({ description: undefined as never, steps: [readAlias()] })).toThrow(
      `[${PATH}] description is required, got undefined.`);
  });
});

describe("resources: ['*'] needs the explicit opt-in allResources: true", () => {
  test("['*'] without the opt-in fails, telling how to opt in (it gave Resource: * silently)", () => {
    for (const resources of [['*'], [QUOTES_FUNCTION_ARN, '*']]) {
      expect(() => runbook({ steps: [updateAlias('Point', { resources })] })).toThrow(
        `[${PATH}] Step 'Point' lists resources ['*'], which would allow the call on every resource: name the ARNs it acts on, ` +
        'or set allResources: true (without resources) to allow every resource deliberately.');
    }
    expect(() => runbook({ steps: [Step.executeScript({ name: 'Plan', script: 'x = 1', iamActions: ['lambda:UpdateAlias'], resources: ['*'] })] }))
      .toThrow(`[${PATH}] Step 'Plan' lists resources ['*']`);
  });

  test('allResources: true grants the call on *, and the Markdown says so', () => {
    const rb = runbook({
      steps: [
        readAlias('Read'),
        Step.executeAwsApi({ name: 'History', service: 'cloudwatch', api: 'DescribeAlarmHistory', allResources: true }),
        Step.executeScript({ name: 'Plan', script: 'x = 1', iamActions: ['lambda:GetAlias'], allResources: true }),
      ],
    }).runbook;
    expect(statements(rb)).toEqual([
      { Action: 'lambda:GetAlias', Effect: 'Allow', Resource: QUOTES_FUNCTION_ARN },
      { Action: ['cloudwatch:DescribeAlarmHistory', 'lambda:GetAlias'], Effect: 'Allow', Resource: '*' },
    ]);
    expect(rb.markdown).toContain('2. **History**: aws:executeAwsApi cloudwatch:DescribeAlarmHistory (on every resource)\n3. **Plan**: aws:executeScript (on every resource)\n');
  });

  test('allResources together with resources is an error, both for calls and scripts', () => {
    expect(() => runbook({ steps: [updateAlias('Point', { allResources: true })] })).toThrow(
      `[${PATH}] Step 'Point' sets allResources: true and lists resources (${QUOTES_FUNCTION_ARN}): give one of them ` +
      '(allResources allows the call on every resource, so the list would mean nothing).');
    expect(() => runbook({
      steps: [Step.executeScript({ name: 'Plan', script: 'x = 1', iamActions: ['lambda:GetAlias'], resources: [QUOTES_FUNCTION_ARN], allResources: true })],
    })).toThrow(`[${PATH}] Step 'Plan' sets allResources: true and lists resources`);
  });

  test('script resources or allResources without iamActions are an error (they were dropped)', () => {
    expect(() => runbook({ steps: [Step.executeScript({ name: 'Plan', script: 'x = 1', resources: [QUOTES_FUNCTION_ARN] })] })).toThrow(
      `[${PATH}] Step 'Plan' gives resources without iamActions, so the role would get nothing on them: list the IAM actions the script calls ` +
      'in iamActions, or remove it.');
    expect(() => runbook({ steps: [Step.executeScript({ name: 'Plan', script: 'x = 1', allResources: true })] })).toThrow(
      `[${PATH}] Step 'Plan' gives allResources without iamActions`);
  });
});

describe('document names given as tokens are checked at synth, once they resolve', () => {
  test.each([
    ['AWS-Rollback', "Document name 'AWS-Rollback' starts with 'AWS', a prefix Systems Manager reserves for AWS documents"],
    ['freight rollback', "Document name 'freight rollback' is invalid: use 3-128 letters, digits, '_', '-' or '.'."],
  ])('%s', (name, message) => {
    const { stack, workload } = opsStack();
    new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [readAlias()], documentName: Lazy.string({ produce: () => name }) });
    expect(() => Template.fromStack(stack)).toThrow(`[${PATH}] ${message}`);
  });

  test('a valid token name synthesizes; an imported AWS document may start with AWS', () => {
    const { stack, workload } = opsStack();
    new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [readAlias()], documentName: Lazy.string({ produce: () => 'freight-rollback-v2' }) });
    Runbook.fromDocumentName(workload, 'Restart', Lazy.string({ produce: () => 'AWS-RestartEC2Instance' }));
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-rollback-v2' });
  });

  test('an imported name that is invalid fails at synth when it resolves', () => {
    const { stack, workload } = opsStack();
    Runbook.fromDocumentName(workload, 'Restart', Lazy.string({ produce: () => 'restart ec2' }));
    expect(() => Template.fromStack(stack)).toThrow("[Ops/Freight/Restart] Document name 'restart ec2' is invalid");
  });
});

describe('plain-JavaScript props of the wrong shape get a precise error, not a TypeError', () => {
  const cases: Array<[string, () => Partial<RunbookProps>, string]> = [
    ['steps: {}', () => ({ steps: {} as never }), 'steps must be an array of Steps (Step.executeAwsApi(...), Step.approve(...), ...), got a plain object {}.'],
    ['no steps', () => ({ steps: undefined as never }), 'steps is required, got undefined. Give the steps, e.g. [Step.executeAwsApi({ ... })].'],
    ['a step that is not a Step', () => ({ steps: [{ name: 'Read' } as never] }),
      'steps [0] must be a Step (Step.executeAwsApi(...), Step.approve(...), ...) (got a plain object {"name":"Read"})'],
    ["approval: 'none'", () => ({ approval: 'none' as never }),
      "approval must be a RunbookApproval (RunbookApproval.whenChangingState(), .by(approvers) or .none('reason')), got 'none' (a string)."],
    ['parameters: null', () => ({ parameters: null as never }), 'parameters must be an array of RunbookParameter, got null.'],
    ['outputs: a string', () => ({ outputs: 'Read.Version' as never }), "outputs must be an array of step outputs, got 'Read.Version' (a string)."],
    ['an empty title', () => ({ title: '' }), "title must not be empty, got '' (a string). Give a title, or leave it out for the document name."],
    ['documentName: a number', () => ({ documentName: 42 as never }), 'documentName must be a string, got 42.'],
    ['role: an ARN string', () => ({ role: 'arn:aws:iam::123456789012:role/x' as never }), 'role must be an IAM role (iam.IRole)'],
    ['step options null', () => ({ steps: [Step.executeAwsApi(null as never)] }),
      'steps[0] (aws:executeAwsApi) was built from options null: give the step factory an object of options.'],
    ['a step option that does not apply to the action', () => ({ steps: [Step.approve({ name: 'Approve', message: 'Go?', resources: ['x'] } as never)] }),
      "Step 'Approve' (aws:approve) does not take resources: remove it (it takes name, description, onFailure"],
    ["isEnd: 'true'", () => ({ steps: [readAlias('Read', { isEnd: 'true' as never })] }), "Step 'Read' isEnd must be true or false, got 'true' (a string)."],
    ['maxAttempts NaN', () => ({ steps: [readAlias('Read', { maxAttempts: NaN })] }), "Step 'Read' maxAttempts must be a finite number, got NaN."],
    ['onFailure a string', () => ({ steps: [readAlias('Read', { onFailure: 'Abort' as never })] }),
      "Step 'Read' onFailure must be a StepFailure (StepFailure.ABORT, StepFailure.CONTINUE or StepFailure.goTo('Step')), got 'Abort' (a string)."],
    ['inputs a string', () => ({ steps: [readAlias('Read', { inputs: 'x' as never })] }), "Step 'Read' inputs must be an object of API parameters"],
    ['parameters of a child runbook not lists', () => ({
      steps: [Step.executeAutomation({
        name: 'Run',
        runbook: { documentName: 'x', automationDefinitionArn: 'a', parameters: [], passedRoleArns: [] } as never,
        parameters: { Name: 'quotes' } as never,
      })],
    }), "Step 'Run' parameters must map each parameter to a list of strings (Name must be an array)"],
  ];
  test.each(cases)('%s', (_what, props, message) => {
    expect(() => runbook({ steps: [readAlias()], ...props() })).toThrow(`[${PATH}] ${message}`);
  });

  test('props that are not an object', () => {
    const { workload } = opsStack();
    expect(() => new Runbook(workload, 'Rollback', null as never)).toThrow(`[${PATH}] props must be an object of RunbookProps, got null.`);
  });
});

describe('RunbookParameter options are checked where a runbook uses them', () => {
  const cases: Array<[string, () => RunbookParameter, string]> = [
    ['options null', () => RunbookParameter.ofString('Alias', null as never), "parameter 'Alias' options must be an object of StringParameterOptions, got null."],
    ['an empty description', () => RunbookParameter.ofString('Alias', { description: ' ' }), "parameter 'Alias' description must not be empty"],
    ['no description', () => RunbookParameter.ofString('Alias', {} as never), "parameter 'Alias' description is required, got undefined."],
    ['an Integer default given as a string', () => RunbookParameter.ofInteger('Count', { description: 'c', defaultValue: '2' as never }),
      "parameter 'Count' defaultValue must be a whole number, got '2' (a string). An Integer parameter takes whole numbers."],
    ['a Boolean with allowedValues (dropped before)', () => RunbookParameter.ofBoolean('DryRun', { description: 'd', allowedValues: [true] } as never),
      "parameter 'DryRun' is a Boolean parameter, which does not take allowedValues (it takes description, defaultValue): remove it, or declare another parameter type."],
    ['empty allowedValues', () => RunbookParameter.ofString('Alias', { description: 'a', allowedValues: [] }),
      "parameter 'Alias' allowedValues is empty, so no value would be accepted: list the allowed values, or leave allowedValues out."],
    ['a StringList default that is a string', () => RunbookParameter.ofStringList('Targets', { description: 't', defaultValue: 'a' as never }),
      "parameter 'Targets' defaultValue must be an array of strings, got 'a' (a string)."],
  ];
  test.each(cases)('%s', (_what, parameter, message) => {
    const p = parameter();
    expect(() => runbook({ parameters: [p], steps: [readAlias()] })).toThrow(`[${PATH}] ${message}`);
  });
});

describe('the generated role is unchanged by the checks', () => {
  test('a role given as an iam.IRole is still accepted', () => {
    const { stack, workload } = opsStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/runbooks');
    expect(new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [updateAlias()], role }).role).toBe(role);
  });
});
