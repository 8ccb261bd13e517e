import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { Approvers, RollbackLambdaAlias, RollbackLambdaAliasProps, Runbook, RunbookApproval, Workload } from '../../../src';
import { documentContent, FakeAws, RunbookRun, simulateRunbook } from '../../support/runbook-simulation';

interface Fixture { app: App; stack: Stack; workload: Workload; fn: lambda.Function; alias: lambda.Alias }

/** A stack in eu-west-1 with the freight workload (on-call approves) and a function 'Quotes' with a 'live' alias. */
function fixture(approvers = true): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(approvers ? { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) } : {}),
  });
  const fn = new lambda.Function(stack, 'Quotes', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  return { app, stack, workload, fn, alias };
}

function build(props: (f: Fixture) => RollbackLambdaAliasProps = (f) => ({ aliases: [f.alias] })): Fixture & { runbook: RollbackLambdaAlias } {
  const f = fixture();
  return { ...f, runbook: new RollbackLambdaAlias(f.workload, 'RollbackQuotes', props(f)) };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);

/** The inline policy statements of the runbook's role. */
function roleStatements(runbook: Runbook): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const stack = Stack.of(runbook);
  const role = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(runbook.role.node.defaultChild as iam.CfnRole)];
  return role.Properties.Policies[0].PolicyDocument.Statement;
}

/** Simulate (the run's `error` is a failed script's exception message). */
function simulate(runbook: Runbook, options: Parameters<typeof simulateRunbook>[1]): RunbookRun {
  return simulateRunbook(runbook, options);
}

/** The alias is on 7; 6 exists; after UpdateAlias it reads 6. */
function rollbackAws(current = '7', after = '6'): FakeAws {
  return new FakeAws()
    .when('lambda', 'GetAlias', undefined, { Name: 'live', FunctionVersion: current }, { Name: 'live', FunctionVersion: after })
    .when('lambda', 'GetFunctionConfiguration', undefined, { FunctionName: 'quotes', Version: after })
    .when('lambda', 'UpdateAlias', undefined, { Name: 'live', FunctionVersion: after });
}

describe('RollbackLambdaAlias document', () => {
  test('steps run read, plan, check, then the approval gate right before PointAlias, then Verify', () => {
    const { runbook } = build();
    expect(documentContent(runbook).mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ReadAlias:aws:executeAwsApi',
      'Plan:aws:executeScript',
      'CheckTarget:aws:executeAwsApi',
      'ApproveChange:aws:approve',
      'PointAlias:aws:executeAwsApi',
      'Verify:aws:assertAwsResourceProperty',
    ]);
    expect(runbook.hasApprovalGate).toBe(true);
    expect(runbook.changesState).toBe(true);
  });

  test('parameters: FunctionName and AliasName limited to the aliases given (default: the first alias), TargetVersion digits or empty', () => {
    const { runbook, fn } = build();
    expect(documentContent(runbook).parameters).toEqual({
      FunctionName: { type: 'String', description: 'The function whose alias to move back.', allowedValues: [logicalId(fn)] },
      AliasName: { type: 'String', description: 'The alias to move back.', allowedValues: ['live'], default: 'live' },
      TargetVersion: {
        type: 'String',
        description: 'The version to point the alias to; empty for the version before the current one.',
        default: '',
        allowedPattern: '^[0-9]*$',
      },
    });
    expect(runbook.parameters.map((p) => [p.name, p.required])).toEqual([['FunctionName', true], ['AliasName', false], ['TargetVersion', false]]);
  });

  test('the steps call the APIs with the parameters and the planned target', () => {
    const steps = documentContent(build().runbook).mainSteps;
    const inputs = Object.fromEntries(steps.map((s) => [s.name, s.inputs]));
    expect(inputs.ReadAlias).toEqual({ Service: 'lambda', Api: 'GetAlias', FunctionName: '{{ FunctionName }}', Name: '{{ AliasName }}' });
    expect(inputs.Plan.InputPayload).toEqual({ Current: '{{ ReadAlias.Version }}', Target: '{{ TargetVersion }}' });
    expect(inputs.CheckTarget).toEqual({ Service: 'lambda', Api: 'GetFunctionConfiguration', FunctionName: '{{ FunctionName }}', Qualifier: '{{ Plan.Target }}' });
    expect(inputs.PointAlias).toEqual({
      Service: 'lambda',
      Api: 'UpdateAlias',
      FunctionName: '{{ FunctionName }}',
      Name: '{{ AliasName }}',
      FunctionVersion: '{{ Plan.Target }}',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(inputs.Verify).toMatchObject({ Api: 'GetAlias', PropertySelector: '$.FunctionVersion', DesiredValues: ['{{ Plan.Target }}'] });
    expect(inputs.ApproveChange).toEqual({
      Approvers: ['arn:aws:iam::123456789012:role/oncall'],
      MinRequiredApprovals: 1,
      Message: 'Approve runbook freight-rollback-quotes (execution {{ automation:EXECUTION_ID }}): it changes PointAlias.',
    });
  });

  test('outputs the version it rolled back from and the one it rolled back to', () => {
    expect(documentContent(build().runbook).outputs).toEqual(['ReadAlias.Version', 'Plan.Target']);
  });

  test('the Markdown has the title, purpose, when to use, preconditions, changes and how to roll back', () => {
    const md = documentContent(build().runbook).description;
    expect(md.startsWith('# Roll back a Lambda alias\n\nPoint a Lambda alias back to the previous published version (or TargetVersion) and verify it moved.\n')).toBe(true);
    expect(md).toContain('## When to use\n\n' +
      "- The service's page alarm fired after a deployment, and CodeDeploy's automatic rollback did not run (it was over).\n" +
      '- A release needs undoing quickly while the fix is prepared.\n');
    expect(md).toContain('## Preconditions\n\n- No CodeDeploy deployment of the function is in progress (it would move the alias again).\n' +
      '- The target version was published and still exists.\n');
    expect(md).toContain('## What it changes\n\n- `lambda:UpdateAlias` (step PointAlias)\n');
    expect(md).toContain('## Approval\n\nStep ApproveChange waits for 1 approval(s) from 1 approver(s) before anything changes.\n');
    expect(md).toContain('## How to roll back\n\nRun the runbook again with TargetVersion set to the version it rolled back from (output ReadAlias.Version).\n');
    expect(md).toContain('4. **ApproveChange**: aws:approve');
  });

  test("the document is named 'freight-rollback-quotes' by default, an Automation document updated as a new version", () => {
    const { stack, runbook } = build();
    expect(runbook.documentName).toBe('freight-rollback-quotes');
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', {
      Name: 'freight-rollback-quotes', DocumentType: 'Automation', DocumentFormat: 'JSON', UpdateMethod: 'NewVersion',
    });
  });

  test('documentName overrides the name; RunbookApproval.none removes the gate and records the reason', () => {
    const { stack, runbook } = build((f) => ({
      aliases: [f.alias], documentName: 'quotes-rollback', approval: RunbookApproval.none('runs from the deployment alarm, unattended'),
    }));
    const content = documentContent(runbook);
    expect(content.mainSteps.map((s) => s.name)).toEqual(['ReadAlias', 'Plan', 'CheckTarget', 'PointAlias', 'Verify']);
    expect(runbook.hasApprovalGate).toBe(false);
    expect(content.description).toContain('## Approval\n\nNot gated: runs from the deployment alarm, unattended\n');
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Name: 'quotes-rollback' });
  });

  test('RunbookApproval.by uses the given approvers in the gate', () => {
    const { runbook } = build((f) => ({
      aliases: [f.alias], approval: RunbookApproval.by(Approvers.of({ principals: ['arn:aws:iam::123456789012:role/release-manager'] })),
    }));
    expect(documentContent(runbook).mainSteps.find((s) => s.name === 'ApproveChange')!.inputs.Approvers).toEqual(['arn:aws:iam::123456789012:role/release-manager']);
  });
});

describe('RollbackLambdaAlias simulation', () => {
  test('rolls the alias from 7 back to 6 and verifies it', () => {
    const { runbook, fn } = build();
    const aws = rollbackAws();
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn) } });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ReadAlias', 'Plan', 'CheckTarget', 'ApproveChange', 'PointAlias', 'Verify']);
    expect(run.outputs).toMatchObject({ 'ReadAlias.Version': '7', 'Plan.Target': '6', 'ApproveChange.ApprovalStatus': 'Approved' });
    expect(aws.callsTo('lambda', 'GetFunctionConfiguration')).toEqual([{ FunctionName: logicalId(fn), Qualifier: '6' }]);
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([
      { FunctionName: logicalId(fn), Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} } },
    ]);
    expect(aws.callsTo('lambda', 'GetAlias')).toEqual([{ FunctionName: logicalId(fn), Name: 'live' }, { FunctionName: logicalId(fn), Name: 'live' }]);
  });

  test('TargetVersion picks the version, and AliasName the alias', () => {
    const { runbook, fn } = build((f) => ({ aliases: [f.alias, new lambda.Alias(f.stack, 'Prod', { aliasName: 'prod', version: f.fn.currentVersion })] }));
    expect(documentContent(runbook).parameters!.AliasName).toMatchObject({ allowedValues: ['live', 'prod'], default: 'live' });
    const aws = rollbackAws('7', '4');
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn), AliasName: 'prod', TargetVersion: '4' } });
    expect(run.status).toBe('Success');
    expect(run.outputs).toMatchObject({ 'ReadAlias.Version': '7', 'Plan.Target': '4' });
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([
      { FunctionName: logicalId(fn), Name: 'prod', FunctionVersion: '4', RoutingConfig: { AdditionalVersionWeights: {} } },
    ]);
  });

  test.each<[string, string, Record<string, string>, string]>([
    ['version 1 (no previous version)', '1', {}, 'The alias points to version 1: there is no previous version. Give TargetVersion.'],
    ['$LATEST', '$LATEST', {}, 'The alias points to $LATEST, not a published version: give TargetVersion.'],
    ['TargetVersion equal to the current version', '7', { TargetVersion: '7' }, 'The alias already points to version 7.'],
  ])('the alias on %s fails in Plan, before any change', (_, current, inputs, message) => {
    const { runbook, fn } = build();
    const aws = rollbackAws(current);
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn), ...inputs } });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadAlias', 'Plan']);
    expect(run.error).toBe(message);
    expect(aws.callsTo('lambda', 'GetFunctionConfiguration')).toEqual([]);
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([]);
  });

  test('an alias on $LATEST rolls back to the given TargetVersion', () => {
    const { runbook, fn } = build();
    const aws = rollbackAws('$LATEST', '5');
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn), TargetVersion: '5' } });
    expect(run.status).toBe('Success');
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([
      { FunctionName: logicalId(fn), Name: 'live', FunctionVersion: '5', RoutingConfig: { AdditionalVersionWeights: {} } },
    ]);
  });

  test('a target version that does not exist fails CheckTarget, before the approval and UpdateAlias', () => {
    const { runbook, fn } = build();
    const aws = rollbackAws('7', '6')
      .fails('lambda', 'GetFunctionConfiguration', 'ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:123456789012:function:quotes:6');
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn) } });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadAlias', 'Plan', 'CheckTarget']);
    expect(run.error).toBe('ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:123456789012:function:quotes:6');
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([]);
  });

  test('a rejected approval fails the run before UpdateAlias', () => {
    const { runbook, fn } = build();
    const aws = rollbackAws();
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn) }, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadAlias', 'Plan', 'CheckTarget', 'ApproveChange']);
    expect(run.error).toBe('Step rejected by approvers');
    expect(aws.callsTo('lambda', 'UpdateAlias')).toEqual([]);
  });

  test('Verify fails when the alias still points elsewhere after UpdateAlias (e.g. CodeDeploy moved it again)', () => {
    const { runbook, fn } = build();
    const aws = new FakeAws()
      .when('lambda', 'GetAlias', undefined, { FunctionVersion: '7' }, { FunctionVersion: '8' })
      .when('lambda', 'GetFunctionConfiguration', undefined, { Version: '6' })
      .when('lambda', 'UpdateAlias', undefined, { FunctionVersion: '6' });
    const run = simulate(runbook, { aws, inputs: { FunctionName: logicalId(fn) } });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadAlias', 'Plan', 'CheckTarget', 'ApproveChange', 'PointAlias', 'Verify']);
    expect(run.error).toBe('Did not find desired response (6) when selecting $.FunctionVersion in {"FunctionVersion":"8"}');
    expect(aws.callsTo('lambda', 'UpdateAlias')).toHaveLength(1);
  });
});

describe('RollbackLambdaAlias role', () => {
  test('allows exactly GetAlias, GetFunctionConfiguration and UpdateAlias on the function and its versions/aliases', () => {
    const { runbook, fn } = build();
    const arn = { 'Fn::GetAtt': [logicalId(fn), 'Arn'] };
    expect(roleStatements(runbook)).toEqual([{
      Action: ['lambda:GetAlias', 'lambda:GetFunctionConfiguration', 'lambda:UpdateAlias'],
      Effect: 'Allow',
      Resource: [arn, { 'Fn::Join': ['', [arn, ':*']] }],
    }]);
  });

  test('covers every aliased function (aliases given and added), with no wildcard action', () => {
    const f = fixture();
    const other = new lambda.Function(f.stack, 'Orders', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
    const runbook = new RollbackLambdaAlias(f.workload, 'RollbackQuotes', { aliases: [f.alias] });
    runbook.addAlias(new lambda.Alias(f.stack, 'OrdersLive', { aliasName: 'live', version: other.currentVersion }));
    const [statement] = roleStatements(runbook);
    const quotes = { 'Fn::GetAtt': [logicalId(f.fn), 'Arn'] };
    const orders = { 'Fn::GetAtt': [logicalId(other), 'Arn'] };
    expect(statement.Resource).toEqual([quotes, { 'Fn::Join': ['', [quotes, ':*']] }, orders, { 'Fn::Join': ['', [orders, ':*']] }]);
    expect((statement.Action as string[]).filter((a) => a.includes('*'))).toEqual([]);
    expect(documentContent(runbook).parameters!.FunctionName.allowedValues).toEqual([logicalId(f.fn), logicalId(other)]);
  });

  test('trusts only Systems Manager Automation of this account', () => {
    const { stack, runbook } = build();
    const role = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(runbook.role.node.defaultChild as iam.CfnRole)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'ssm.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:123456789012:automation-execution/*']] } },
      },
    }]);
  });
});

describe('RollbackLambdaAlias rejects bad input', () => {
  test('no aliases fails synth validation', () => {
    const f = fixture();
    new RollbackLambdaAlias(f.workload, 'RollbackQuotes');
    expect(() => f.app.synth()).toThrow('RollbackLambdaAlias Test/Freight/RollbackQuotes has no aliases: pass aliases or call addAlias().');
  });

  test('addAlias makes a runbook created without aliases valid', () => {
    const f = fixture();
    const runbook = new RollbackLambdaAlias(f.workload, 'RollbackQuotes');
    runbook.addAlias(f.alias);
    expect(documentContent(runbook).parameters!.FunctionName.allowedValues).toEqual([logicalId(f.fn)]);
  });

  test('adding the same alias twice is idempotent', () => {
    const f = fixture();
    const runbook = new RollbackLambdaAlias(f.workload, 'RollbackQuotes');
    runbook.addAlias(f.alias);
    runbook.addAlias(f.alias);
    const parameters = documentContent(runbook).parameters!;
    expect(parameters.FunctionName.allowedValues).toEqual([logicalId(f.fn)]);
    expect(parameters.AliasName.allowedValues).toEqual(['live']);
  });

  test('two aliases of one function allow the function name once, and both alias names', () => {
    const f = fixture();
    const runbook = new RollbackLambdaAlias(f.workload, 'RollbackQuotes', { aliases: [f.alias] });
    runbook.addAlias(f.alias);
    runbook.addAlias(new lambda.Alias(f.stack, 'Canary', { aliasName: 'canary', version: f.fn.currentVersion }));
    const parameters = documentContent(runbook).parameters!;
    expect(parameters.FunctionName.allowedValues).toEqual([logicalId(f.fn)]);
    expect(parameters.AliasName.allowedValues).toEqual(['live', 'canary']);
    expect(roleStatements(runbook)[0].Resource).toHaveLength(2);
  });

  test('a workload without approvers fails with the approvers error', () => {
    const f = fixture(false);
    expect(() => new RollbackLambdaAlias(f.workload, 'RollbackQuotes', { aliases: [f.alias] })).toThrow(
      "[Test/Freight/RollbackQuotes] Runbook 'freight-rollback-quotes' changes production state (PointAlias) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });

  test('a workload without approvers is fine with RunbookApproval.none', () => {
    const f = fixture(false);
    const runbook = new RollbackLambdaAlias(f.workload, 'RollbackQuotes', { aliases: [f.alias], approval: RunbookApproval.none('automated response') });
    expect(runbook.steps.map((s) => s.name)).not.toContain('ApproveChange');
  });

  test('RunbookApproval.none needs a reason', () => {
    const f = fixture();
    expect(() => new RollbackLambdaAlias(f.workload, 'RollbackQuotes', { aliases: [f.alias], approval: RunbookApproval.none(' ') })).toThrow(
      "[Test/Freight/RollbackQuotes] approval is RunbookApproval.none(' ') without a reason: say why the runbook may run unattended " +
      '(e.g. "runs unattended as an automated response; only restarts tasks").');
  });

  test('a document name with a reserved prefix', () => {
    const f = fixture();
    expect(() => new RollbackLambdaAlias(f.workload, 'RollbackQuotes', { aliases: [f.alias], documentName: 'AWS-RollbackQuotes' })).toThrow(
      "[Test/Freight/RollbackQuotes] Document name 'AWS-RollbackQuotes' starts with 'AWS', a prefix Systems Manager reserves for AWS documents: " +
      'choose another name (e.g. prefix it with your workload).');
  });
});
