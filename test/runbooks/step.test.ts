import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DESCRIPTION, opsStack, QUOTES_FUNCTION_ARN, readAlias, runbook, updateAlias } from './runbook-fixtures';
import {
  Approvers, BranchChoice, Runbook, RunbookApproval, RunbookParameter, ScriptRuntime, Step, StepFailure, StepOutputType,
} from '../../src';
import { documentContent } from '../support/runbook-simulation';

const PATH = 'Ops/Freight/Rollback';
const SCRIPT = 'def handler(events, context):\n    return {"Target": "6"}\n';
const ALIAS = { FunctionName: 'quotes', Name: 'live' };
const ECS_SERVICE_ARN = 'arn:aws:ecs:eu-west-1:123456789012:service/freight/quotes';

/**
 * The step `name` as the synthesized document lists it. The runbook opts out of the approval gate and ends with a
 * read step, so that its role has a policy (see the BUG test in role.test.ts).
 */
function rendered(steps: Step[], name = steps[0].name): Record<string, unknown> {
  const rb = runbook({ steps: [...steps, readAlias('Last')], approval: RunbookApproval.none('step rendering test') }).runbook;
  return documentContent(rb).mainSteps.find((m) => m.name === name)! as unknown as Record<string, unknown>;
}

describe('rendering', () => {
  test('executeAwsApi: Service and Api first, then the parameters, then the outputs with their types', () => {
    const step = readAlias('Read', {
      inputs: { Name: 'live', FunctionName: 'quotes' },
      outputs: [
        { name: 'Version', selector: '$.FunctionVersion' },
        { name: 'Weights', selector: '$.RoutingConfig.AdditionalVersionWeights', outputType: StepOutputType.STRING_MAP },
        { name: 'Revision', selector: '$.RevisionId', outputType: StepOutputType.STRING },
      ],
    });
    const json = rendered([step]);
    expect(json).toEqual({
      name: 'Read',
      action: 'aws:executeAwsApi',
      inputs: { Service: 'lambda', Api: 'GetAlias', Name: 'live', FunctionName: 'quotes' },
      outputs: [
        { Name: 'Version', Selector: '$.FunctionVersion', Type: 'String' },
        { Name: 'Weights', Selector: '$.RoutingConfig.AdditionalVersionWeights', Type: 'StringMap' },
        { Name: 'Revision', Selector: '$.RevisionId', Type: 'String' },
      ],
    });
    expect(Object.keys(json.inputs as object)).toEqual(['Service', 'Api', 'Name', 'FunctionName']);
    expect(Object.keys(json)).toEqual(['name', 'action', 'inputs', 'outputs']);
  });

  test('executeAwsApi without inputs or outputs', () => {
    expect(rendered([Step.executeAwsApi({ name: 'List', service: 'ec2', api: 'DescribeInstances' })]))
      .toEqual({ name: 'List', action: 'aws:executeAwsApi', inputs: { Service: 'ec2', Api: 'DescribeInstances' } });
  });

  test.each([
    ['waitForAwsResourceProperty', Step.waitForAwsResourceProperty, 'aws:waitForAwsResourceProperty'],
    ['assertAwsResourceProperty', Step.assertAwsResourceProperty, 'aws:assertAwsResourceProperty'],
  ])('%s: Service, Api, the parameters, then PropertySelector and DesiredValues', (_what, factory, action) => {
    const step = factory({
      name: 'Stable',
      service: 'ecs',
      api: 'DescribeServices',
      inputs: { cluster: 'freight', services: ['quotes'] },
      resources: [ECS_SERVICE_ARN],
      propertySelector: '$.services[0].deployments[0].rolloutState',
      desiredValues: ['COMPLETED', 'IN_PROGRESS'],
    });
    const json = rendered([step]);
    expect(json).toEqual({
      name: 'Stable',
      action,
      inputs: {
        Service: 'ecs',
        Api: 'DescribeServices',
        cluster: 'freight',
        services: ['quotes'],
        PropertySelector: '$.services[0].deployments[0].rolloutState',
        DesiredValues: ['COMPLETED', 'IN_PROGRESS'],
      },
    });
    expect(Object.keys(json.inputs as object)).toEqual(['Service', 'Api', 'cluster', 'services', 'PropertySelector', 'DesiredValues']);
  });

  test('approve: Approvers, MinRequiredApprovals and Message (the step approvers over the workload ones)', () => {
    const { stack } = opsStack();
    const approvers = Approvers.of({
      roles: [iam.Role.fromRoleArn(stack, 'Lead', 'arn:aws:iam::123456789012:role/lead')],
      users: [iam.User.fromUserArn(stack, 'Ana', 'arn:aws:iam::123456789012:user/ana')],
      principals: ['bob'],
      minRequiredApprovals: 2,
    });
    expect(rendered([Step.approve({ name: 'Approve', message: 'Go?', approvers })])).toEqual({
      name: 'Approve',
      action: 'aws:approve',
      inputs: {
        Approvers: ['arn:aws:iam::123456789012:role/lead', 'arn:aws:iam::123456789012:user/ana', 'bob'],
        MinRequiredApprovals: 2,
        Message: 'Go?',
      },
    });
  });

  test.each([
    [Duration.minutes(90), 'PT1H30M'],
    [Duration.seconds(45), 'PT45S'],
    [Duration.seconds(1), 'PT1S'],
    [Duration.hours(1), 'PT1H'],
    [Duration.seconds(3601), 'PT1H1S'],
    [Duration.seconds(61), 'PT1M1S'],
    [Duration.days(7), 'PT168H'],
  ])('sleep %s: Duration %s', (duration, iso) => {
    expect(rendered([Step.sleep({ name: 'Wait', duration })])).toEqual({ name: 'Wait', action: 'aws:sleep', inputs: { Duration: iso } });
  });

  test('branch: every operator, and the Default', () => {
    const v = '{{ Read.Version }}';
    const choices = [
      BranchChoice.stringEquals(v, '7', 'Done'),
      BranchChoice.startsWith(v, '1', 'Done'),
      BranchChoice.contains(v, '$', 'Done'),
      BranchChoice.numericEquals(v, 7, 'Done'),
      BranchChoice.numericGreater(v, 10, 'Done'),
      BranchChoice.numericLesser(v, 2, 'Done'),
      BranchChoice.booleanEquals(v, true, 'Done'),
    ];
    expect(choices.map((c) => [c.variable, c.comparison, c.nextStep])[0]).toEqual([v, 'StringEquals', 'Done']);
    const json = rendered([readAlias('Read'), Step.branch({ name: 'Check', choices, defaultStep: 'Read' }), readAlias('Done')], 'Check');
    expect(json).toEqual({
      name: 'Check',
      action: 'aws:branch',
      inputs: {
        Choices: [
          { NextStep: 'Done', Variable: v, StringEquals: '7' },
          { NextStep: 'Done', Variable: v, StartsWith: '1' },
          { NextStep: 'Done', Variable: v, Contains: '$' },
          { NextStep: 'Done', Variable: v, NumericEquals: 7 },
          { NextStep: 'Done', Variable: v, NumericGreater: 10 },
          { NextStep: 'Done', Variable: v, NumericLesser: 2 },
          { NextStep: 'Done', Variable: v, BooleanEquals: true },
        ],
        Default: 'Read',
      },
    });
  });

  test('branch without a default has none', () => {
    const json = rendered([readAlias('Read'), Step.branch({ name: 'Check', choices: [BranchChoice.stringEquals('{{ Read.Version }}', '7', 'Read')] })], 'Check');
    expect(json.inputs).toEqual({ Choices: [{ NextStep: 'Read', Variable: '{{ Read.Version }}', StringEquals: '7' }] });
  });

  test("executeScript: python3.11 and handler 'handler' by default, the script, no InputPayload without inputs", () => {
    expect(rendered([Step.executeScript({ name: 'Plan', script: SCRIPT })])).toEqual({
      name: 'Plan',
      action: 'aws:executeScript',
      inputs: { Runtime: 'python3.11', Handler: 'handler', Script: SCRIPT },
    });
  });

  test('executeScript: PowerShell 7.4, a handler, InputPayload and outputs', () => {
    const json = rendered([readAlias('Read'), Step.executeScript({
      name: 'Plan',
      runtime: ScriptRuntime.POWERSHELL_7_4,
      handler: 'Main',
      script: '$input = $env:InputPayload | ConvertFrom-Json\n@{ Target = 6 }',
      inputs: { Current: '{{ Read.Version }}', Steps: 1 },
      outputs: [{ name: 'Target', selector: '$.Payload.Target', outputType: StepOutputType.INTEGER }],
    })], 'Plan');
    expect(json).toEqual({
      name: 'Plan',
      action: 'aws:executeScript',
      inputs: {
        Runtime: 'PowerShell 7.4',
        Handler: 'Main',
        Script: '$input = $env:InputPayload | ConvertFrom-Json\n@{ Target = 6 }',
        InputPayload: { Current: '{{ Read.Version }}', Steps: 1 },
      },
      outputs: [{ Name: 'Target', Selector: '$.Payload.Target', Type: 'Integer' }],
    });
  });

  test('executeAutomation: DocumentName and RuntimeParameters (none when not given)', () => {
    const { workload } = opsStack();
    const child = Runbook.fromDocumentName(workload, 'Restart', 'freight-restart', { changesState: false });
    const rb = new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [
        Step.executeAutomation({ name: 'Run', runbook: child, parameters: { FunctionName: ['quotes'], Aliases: ['live', 'canary'] } }),
        Step.executeAutomation({ name: 'RunAgain', runbook: child }),
      ],
    });
    expect(documentContent(rb).mainSteps).toEqual([
      { name: 'Run', action: 'aws:executeAutomation', inputs: { DocumentName: 'freight-restart', RuntimeParameters: { FunctionName: ['quotes'], Aliases: ['live', 'canary'] } } },
      { name: 'RunAgain', action: 'aws:executeAutomation', inputs: { DocumentName: 'freight-restart' } },
    ]);
  });

  test('common options, in the document order; Abort (the default) is left out', () => {
    const json = rendered([
      updateAlias('Point', {
        description: 'Point the alias back.',
        maxAttempts: 3,
        timeout: Duration.minutes(5),
        onFailure: StepFailure.goTo('Restore'),
        onCancel: StepFailure.goTo('Restore'),
        nextStep: 'Verify',
      }),
      updateAlias('Restore', { onFailure: StepFailure.CONTINUE, isEnd: true }),
      readAlias('Verify', { onFailure: StepFailure.ABORT, onCancel: StepFailure.ABORT }),
    ]);
    expect(json).toEqual({
      name: 'Point',
      action: 'aws:executeAwsApi',
      description: 'Point the alias back.',
      maxAttempts: 3,
      timeoutSeconds: 300,
      onFailure: 'step:Restore',
      onCancel: 'step:Restore',
      nextStep: 'Verify',
      inputs: { Service: 'lambda', Api: 'UpdateAlias', ...ALIAS, FunctionVersion: '7' },
    });
    expect(Object.keys(json)).toEqual(['name', 'action', 'description', 'maxAttempts', 'timeoutSeconds', 'onFailure', 'onCancel', 'nextStep', 'inputs']);
    const rb = runbook({ steps: [updateAlias('Point', { onFailure: StepFailure.CONTINUE, isEnd: true }), readAlias('Verify')] }).runbook;
    expect(documentContent(rb).mainSteps[1]).toMatchObject({ name: 'Point', onFailure: 'Continue', isEnd: true });
    expect(Object.keys(documentContent(rb).mainSteps[2])).toEqual(['name', 'action', 'inputs', 'outputs']);
  });
});

describe('the Step object', () => {
  test('name, action, description, outputs and output references', () => {
    const step = readAlias('Read', { description: 'Read it.' });
    expect([step.name, step.action, step.description]).toEqual(['Read', 'aws:executeAwsApi', 'Read it.']);
    expect(step.output('Version')).toBe('{{ Read.Version }}');
    expect(step.outputs).toEqual([{ name: 'Version', selector: '$.FunctionVersion' }]);
    step.outputs.pop();
    expect(step.outputs).toHaveLength(1);
    expect(Step.sleep({ name: 'Wait', duration: Duration.seconds(5) }).outputs).toEqual([]);
  });

  test('StepFailure values and ScriptRuntime support', () => {
    expect([StepFailure.ABORT.value, StepFailure.CONTINUE.value, StepFailure.goTo('Restore').value]).toEqual(['Abort', 'Continue', 'step:Restore']);
    expect([StepFailure.ABORT.stepName, StepFailure.goTo('Restore').stepName]).toEqual([undefined, 'Restore']);
    expect(['python3.11', 'python3.12', 'PowerShell 7.4', 'PowerShell 5.1', 'nodejs20.x', 'python2.7'].map((n) => ScriptRuntime.of(n).isSupported))
      .toEqual([true, true, true, false, false, false]);
  });
});

describe('bad steps fail at synth, naming the runbook and the step', () => {
  const cases: Array<[string, () => Step[], string]> = [
    ['an invalid step name', () => [readAlias('Read back')], "Step name 'Read back' is invalid: use 1-128 letters, digits or '_'."],
    ['a step name over 128 characters', () => [readAlias('R'.repeat(129))], `Step name '${'R'.repeat(129)}' is invalid`],
    ['isEnd with nextStep', () => [readAlias('Read', { isEnd: true, nextStep: 'Other' }), readAlias('Other')],
      "Step 'Read' sets both isEnd and nextStep 'Other': keep one."],
    ['maxAttempts 0', () => [readAlias('Read', { maxAttempts: 0 })], "Step 'Read' has maxAttempts 0: use a whole number of at least 1."],
    ['maxAttempts 1.5', () => [readAlias('Read', { maxAttempts: 1.5 })], "Step 'Read' has maxAttempts 1.5: use a whole number of at least 1."],
    ['onCancel continue', () => [readAlias('Read', { onCancel: StepFailure.CONTINUE })],
      "Step 'Read' sets onCancel to StepFailure.CONTINUE, which Automation does not allow: use StepFailure.ABORT or StepFailure.goTo(step)."],
    ['a timeout over 7 days', () => [readAlias('Read', { timeout: Duration.days(8) })],
      "Step 'Read' has a timeout of 8 days: aws:executeAwsApi allows 1 second to 7 days."],
    ['a timeout of 0', () => [Step.sleep({ name: 'Wait', duration: Duration.seconds(5), timeout: Duration.seconds(0) })],
      "Step 'Wait' has a timeout of 0 seconds: aws:sleep allows 1 second to 7 days."],
    ['an approval timeout over 30 days', () => [Step.approve({ name: 'Approve', message: 'Go?', timeout: Duration.days(31) })],
      "Step 'Approve' has a timeout of 31 days: aws:approve allows 1 second to 30 days."],
    ['a sleep of 0', () => [Step.sleep({ name: 'Wait', duration: Duration.seconds(0) })],
      "Step 'Wait' sleeps 0 seconds: aws:sleep allows 1 second to 7 days."],
    ['a sleep over 7 days', () => [Step.sleep({ name: 'Wait', duration: Duration.hours(170) })],
      "Step 'Wait' sleeps 7 days 2 hours: aws:sleep allows 1 second to 7 days."],
    ['a branch without choices', () => [Step.branch({ name: 'Check', choices: [] })],
      "Step 'Check' is a branch without choices: give at least one BranchChoice."],
    ['an unsupported script runtime', () => [Step.executeScript({ name: 'Plan', script: SCRIPT, runtime: ScriptRuntime.of('nodejs20.x') })],
      "Step 'Plan' uses runtime 'nodejs20.x': aws:executeScript runs Python 3 or PowerShell 7 only."],
    ['an empty script', () => [Step.executeScript({ name: 'Plan', script: ' \n ' })],
      "Step 'Plan' has an empty script: give the inline script, e.g. a Python handler(events, context)."],
    ['Service in inputs', () => [readAlias('Read', { inputs: { Service: 'lambda', FunctionName: 'quotes' } })],
      "Step 'Read' puts Service or Api in inputs: give them as service and api."],
    ['Api in inputs', () => [readAlias('Read', { inputs: { Api: 'GetAlias' } })], "Step 'Read' puts Service or Api in inputs"],
    ['no service (with iamActions)', () => [Step.executeAwsApi({
      name: 'Call',
      service: '',
      api: 'GetAlias',
      iamActions: ['lambda:GetAlias'],
      resources: [QUOTES_FUNCTION_ARN],
    })], "Step 'Call' needs both service and api, got service '' and api 'GetAlias': e.g. service 'lambda', api 'UpdateAlias'."],
    ['an output selector not starting with $', () => [readAlias('Read', { outputs: [{ name: 'Version', selector: 'FunctionVersion' }] })],
      "Step 'Read' output 'Version' has selector 'FunctionVersion': use a JSONPath starting with '$', e.g. '$.Status'."],
    ['an invalid output name', () => [readAlias('Read', { outputs: [{ name: 'Function-Version', selector: '$.FunctionVersion' }] })],
      "Step 'Read' has output name 'Function-Version': use letters, digits or '_'."],
    ['a propertySelector not starting with $', () => [Step.waitForAwsResourceProperty({
      name: 'Stable', service: 'ecs', api: 'DescribeServices', resources: [ECS_SERVICE_ARN], propertySelector: 'services', desiredValues: ['x'],
    })], "Step 'Stable' has propertySelector 'services': use a JSONPath starting with '$'."],
    ['no desiredValues', () => [Step.assertAwsResourceProperty({
      name: 'Stable', service: 'ecs', api: 'DescribeServices', resources: [ECS_SERVICE_ARN], propertySelector: '$.services', desiredValues: [],
    })], "Step 'Stable' has no desiredValues: give the values that satisfy it."],
  ];

  test.each(cases)('%s', (_what, steps, message) => {
    expect(() => runbook({ steps: steps() })).toThrow(`[${PATH}] ${message}`);
  });

  test('an approval may wait up to 30 days', () => {
    expect(rendered([Step.approve({ name: 'Approve', message: 'Go?', timeout: Duration.days(30) })]).timeoutSeconds).toBe(2592000);
  });

  test('an executeScript timeout over 600 seconds', () => {
    expect(() => runbook({ steps: [Step.executeScript({ name: 'Plan', script: SCRIPT, timeout: Duration.minutes(11) })] }))
      .toThrow(`[${PATH}] Step 'Plan' has a timeout of 11 minutes`);
  });
});

describe('executeAutomation checks the parameters of a child Runbook', () => {
  function withChild(parameters: RunbookParameter[]) {
    const { workload } = opsStack();
    const child = new Runbook(workload, 'Restart', { description: DESCRIPTION, parameters, steps: [readAlias()] });
    return (given?: Record<string, string[]>) => new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [Step.executeAutomation({ name: 'Run', runbook: child, parameters: given })],
    });
  }
  const fnName = () => RunbookParameter.ofString('FunctionName', { description: 'The function.' });
  const alias = () => RunbookParameter.ofString('Alias', { description: 'The alias.', defaultValue: 'live' });

  test('all required parameters given: fine, optional ones may be left out', () => {
    expect(() => withChild([fnName(), alias()])({ FunctionName: ['quotes'] })).not.toThrow();
  });

  test('a required parameter missing', () => {
    expect(() => withChild([fnName(), alias()])({ Alias: ['live'] })).toThrow(
      `[${PATH}] Step 'Run' starts runbook 'freight-restart' without its required parameter(s) FunctionName: add them to parameters.`);
    expect(() => withChild([fnName()])()).toThrow('without its required parameter(s) FunctionName: add them to parameters.');
  });

  test('an unknown parameter', () => {
    expect(() => withChild([fnName(), alias()])({ FunctionName: ['quotes'], Version: ['6'] })).toThrow(
      `[${PATH}] Step 'Run' passes Version, which runbook 'freight-restart' does not declare (it takes FunctionName, Alias).`);
  });

  test('an unknown parameter passed to a child Runbook that takes none', () => {
    expect(() => withChild([])({ Version: ['6'] })).toThrow(
      `[${PATH}] Step 'Run' passes Version, which runbook 'freight-restart' does not declare (it takes none).`);
  });

  test('an unknown parameter passed to an imported runbook declared without parameters', () => {
    const { workload } = opsStack();
    const child = Runbook.fromDocumentName(workload, 'Restart', 'freight-restart', { parameters: [] });
    expect(() => new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [Step.executeAutomation({ name: 'Run', runbook: child, parameters: { Version: ['6'] } })],
    })).toThrow(`[${PATH}] Step 'Run' passes Version, which runbook 'freight-restart' does not declare`);
  });

  test('an imported runbook without declared parameters is not checked', () => {
    const { workload } = opsStack();
    const child = Runbook.fromDocumentName(workload, 'Restart', 'AWS-RestartEC2Instance');
    expect(() => new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [Step.executeAutomation({ name: 'Run', runbook: child, parameters: { InstanceId: ['i-0abc'] } })],
    })).not.toThrow();
  });
});
