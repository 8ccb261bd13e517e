import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ACCOUNT, DESCRIPTION, ONCALL_ROLE_ARN, opsStack, ORR_TAGS, QUOTES_FUNCTION_ARN, readAlias, REGION, roleLogicalId, runbook, updateAlias,
} from './runbook-fixtures';
import { BranchChoice, OperableFunction, Runbook, RunbookParameter, RunbookProps, Step, StepFailure } from '../../src';
import { documentContent } from '../support/runbook-simulation';

const PATH = 'Ops/Freight/Rollback';

/** `arn:<partition>:ssm:eu-west-1:123456789012:<rest>` as CloudFormation renders it. */
const ssmArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${REGION}:${ACCOUNT}:${rest}`]] });

describe('the AWS::SSM::Document', () => {
  const fnName = RunbookParameter.ofString('FunctionName', { description: 'The function.', allowedValues: ['quotes', 'orders'], defaultValue: 'quotes' });
  const version = RunbookParameter.ofString('TargetVersion', { description: 'The version; empty for the previous one.', defaultValue: '', allowedPattern: '^[0-9]*$' });
  const count = RunbookParameter.ofInteger('Count', { description: 'How many.', defaultValue: 2, allowedValues: [1, 2, 3] });
  const dryRun = RunbookParameter.ofBoolean('DryRun', { description: 'Only check.', defaultValue: false });
  const aliases = RunbookParameter.ofStringList('Aliases', { description: 'The aliases.' });
  const s = runbook({
    parameters: [fnName, version, count, dryRun, aliases],
    steps: [readAlias('Read', { inputs: { FunctionName: fnName.reference, Name: 'live' } }), updateAlias('Point')],
    outputs: ['{{ Read.Version }}', 'Read.Version'],
  });
  const content = documentContent(s.runbook);

  test('an Automation document in JSON, updated as a new version, named <workload>-<kebab id>, with the ORR tags', () => {
    Template.fromStack(s.stack).hasResourceProperties('AWS::SSM::Document', {
      DocumentType: 'Automation',
      DocumentFormat: 'JSON',
      UpdateMethod: 'NewVersion',
      Name: 'freight-rollback',
      Tags: ORR_TAGS,
    });
    expect(s.runbook.documentName).toBe('freight-rollback');
  });

  test('schemaVersion 0.3, assumeRole the generated role, and the Markdown as description', () => {
    expect(content.schemaVersion).toBe('0.3');
    expect(content.assumeRole).toBe(`arn:aws:test:::${roleLogicalId(s.runbook)}.Arn`);
    expect(content.description).toBe(s.runbook.markdown);
  });

  test('parameters rendered with type, description, default, allowedValues and allowedPattern', () => {
    expect(content.parameters).toEqual({
      FunctionName: { type: 'String', description: 'The function.', default: 'quotes', allowedValues: ['quotes', 'orders'] },
      TargetVersion: { type: 'String', description: 'The version; empty for the previous one.', default: '', allowedPattern: '^[0-9]*$' },
      Count: { type: 'Integer', description: 'How many.', default: 2, allowedValues: [1, 2, 3] },
      DryRun: { type: 'Boolean', description: 'Only check.', default: false },
      Aliases: { type: 'StringList', description: 'The aliases.' },
    });
    expect([fnName.required, aliases.required, dryRun.required]).toEqual([false, true, false]);
    expect(s.runbook.parameters).toEqual([fnName, version, count, dryRun, aliases]);
  });

  test('outputs, given as {{ Step.Output }} or Step.Output, rendered without the braces', () => {
    expect(content.outputs).toEqual(['Read.Version', 'Read.Version']);
  });

  test('a runbook without parameters or outputs renders neither', () => {
    const c = documentContent(runbook({ steps: [readAlias()] }).runbook);
    expect(Object.keys(c)).toEqual(['schemaVersion', 'description', 'assumeRole', 'mainSteps']);
  });

  test('documentName, ARNs and the automation definition', () => {
    const r = runbook({ steps: [readAlias()], documentName: 'Freight-Rollback_v2.1' });
    Template.fromStack(r.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'Freight-Rollback_v2.1' });
    const stack = Stack.of(r.runbook);
    expect(stack.resolve(r.runbook.documentArn)).toEqual(ssmArn('document/Freight-Rollback_v2.1'));
    expect(stack.resolve(r.runbook.automationDefinitionArn)).toEqual(ssmArn('automation-definition/Freight-Rollback_v2.1:$DEFAULT'));
  });

  test('inside an OperableFunction the default name is <workload>-<service>-<kebab id>', () => {
    const { workload } = opsStack();
    const fn = new OperableFunction(workload, 'Quotes', {
      functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1;') },
    });
    expect(new Runbook(fn, 'RollbackAlias', { description: DESCRIPTION, steps: [readAlias()] }).documentName).toBe('freight-quotes-rollback-alias');
  });

  test('a default name longer than 128 characters is cut to 128', () => {
    const { workload } = opsStack();
    const rb = new Runbook(workload, 'R'.repeat(200), { description: DESCRIPTION, steps: [readAlias()] });
    expect(rb.documentName).toBe(`freight-${'r'.repeat(120)}`);
  });
});

describe('the Markdown description', () => {
  test('purpose, when to use, preconditions, derived changes, approval, rollback, parameters and numbered steps', () => {
    const fnName = RunbookParameter.ofString('FunctionName', { description: 'The function.' });
    const target = RunbookParameter.ofInteger('Target', { description: 'The version.', defaultValue: 1 });
    const s = runbook({
      title: 'Roll back the quotes alias',
      description: { ...DESCRIPTION, preconditions: ['No deployment in progress.'] },
      parameters: [fnName, target],
      steps: [readAlias('Read', { description: 'Read the current version.' }), updateAlias('Point')],
    });
    expect(s.runbook.markdown).toBe([
      '# Roll back the quotes alias', '', 'Point the live alias back.', '',
      '## When to use', '', '- Errors after a deployment', '',
      '## Preconditions', '', '- No deployment in progress.', '',
      '## What it changes', '', '- `lambda:UpdateAlias` (step Point)', '',
      '## Approval', '', 'Step ApproveChange waits for 1 approval(s) from 1 approver(s) before anything changes.', '',
      '## How to roll back', '', 'Run it again.', '',
      '## Parameters', '', '- `FunctionName` (String, required): The function.', '- `Target` (Integer): The version.', '',
      '## Steps', '',
      '1. **Read**: aws:executeAwsApi lambda:GetAlias — Read the current version.',
      '2. **ApproveChange**: aws:approve — Approval gate inserted by cdk-operable: nothing changes before on-call approves.',
      '3. **Point**: aws:executeAwsApi lambda:UpdateAlias',
      '',
    ].join('\n'));
    expect(documentContent(s.runbook).description).toBe(s.runbook.markdown);
  });

  test('description.changes replaces the derived list; the title defaults to the document name', () => {
    const s = runbook({ description: { ...DESCRIPTION, changes: ['The live alias of quotes.'] }, steps: [updateAlias()] });
    expect(s.runbook.markdown).toMatch(/^# freight-rollback\n\nPoint the live alias back\.\n/);
    expect(s.runbook.markdown).toContain('\n## What it changes\n\n- The live alias of quotes.\n');
  });

  test('a read-only runbook: nothing changes, no approval needed, nothing to roll back, no empty sections', () => {
    const s = runbook({ description: { purpose: 'Show the alias.', whenToUse: ['Before a rollback'] }, steps: [readAlias()] });
    expect(s.runbook.markdown).toContain('\n## What it changes\n\n- Nothing: it only reads.\n');
    expect(s.runbook.markdown).toContain('\n## Approval\n\nNot needed: the runbook changes nothing.\n');
    expect(s.runbook.markdown).toContain('\n## How to roll back\n\nNothing to roll back.\n');
    expect(s.runbook.markdown).not.toContain('## Preconditions');
    expect(s.runbook.markdown).not.toContain('## Parameters');
  });

  test('the steps list summarises sleeps, scripts and child runbooks', () => {
    const { workload } = opsStack();
    const child = Runbook.fromDocumentName(workload, 'Child', 'freight-restart', { changesState: false });
    const rb = new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [
        Step.sleep({ name: 'Wait', duration: Duration.minutes(90) }),
        Step.executeScript({ name: 'Plan', script: 'def handler(events, context):\n    return {}\n' }),
        Step.executeAutomation({ name: 'Restart', runbook: child }),
      ],
    });
    expect(rb.markdown).toContain('1. **Wait**: aws:sleep 1 hour 30 minutes\n2. **Plan**: aws:executeScript\n3. **Restart**: aws:executeAutomation freight-restart\n');
  });
});

describe('bad input fails at synth, naming the runbook', () => {
  const read = () => readAlias('Read');
  const cases: Array<[string, () => Partial<RunbookProps>, string]> = [
    ['reserved prefix aws', () => ({ documentName: 'AWS-Rollback' }),
      "Document name 'AWS-Rollback' starts with 'AWS', a prefix Systems Manager reserves for AWS documents: " +
      'choose another name (e.g. prefix it with your workload).'],
    ['reserved prefix amazon', () => ({ documentName: 'amazonRollback' }), "Document name 'amazonRollback' starts with 'amazon', a prefix"],
    ['reserved prefix amzn', () => ({ documentName: 'AmZn-rollback' }), "Document name 'AmZn-rollback' starts with 'AmZn', a prefix"],
    ['invalid characters', () => ({ documentName: 'freight rollback' }),
      "Document name 'freight rollback' is invalid: use 3-128 letters, digits, '_', '-' or '.'."],
    ['too short', () => ({ documentName: 'rb' }), "Document name 'rb' is invalid"],
    ['too long', () => ({ documentName: 'r'.repeat(129) }), `Document name '${'r'.repeat(129)}' is invalid`],
    ['empty steps', () => ({ steps: [] }), 'steps is empty: a runbook needs at least one step, e.g. Step.executeAwsApi({ ... }).'],
    ['duplicate step names', () => ({ steps: [read(), readAlias('Read')] }), "Two steps are named 'Read': step names must be unique."],
    ['unknown nextStep', () => ({ steps: [readAlias('Read', { nextStep: 'Nowhere' }), updateAlias()] }),
      "Step 'Read' goes to step 'Nowhere', which does not exist (steps: Read, Point)."],
    ['unknown onFailure target', () => ({ steps: [readAlias('Read', { onFailure: StepFailure.goTo('Restore') })] }),
      "Step 'Read' goes to step 'Restore', which does not exist (steps: Read)."],
    ['unknown onCancel target', () => ({ steps: [readAlias('Read', { onCancel: StepFailure.goTo('Restore') })] }),
      "Step 'Read' goes to step 'Restore', which does not exist (steps: Read)."],
    ['unknown branch choice', () => ({
      steps: [read(), Step.branch({ name: 'Check', choices: [BranchChoice.stringEquals('{{ Read.Version }}', '7', 'Done')] })],
    }), "Step 'Check' goes to step 'Done', which does not exist (steps: Read, Check)."],
    ['unknown branch default', () => ({
      steps: [read(), Step.branch({ name: 'Check', choices: [BranchChoice.stringEquals('{{ Read.Version }}', '7', 'Read')], defaultStep: 'Else' })],
    }), "Step 'Check' goes to step 'Else', which does not exist (steps: Read, Check)."],
    ['a nextStep loop', () => ({ steps: [readAlias('A', { nextStep: 'B' }), readAlias('B', { nextStep: 'A' })] }),
      'Steps loop without a condition: A → B → A. Break the loop with a branch step, or end it (isEnd).'],
    ['a fall-through loop', () => ({ steps: [readAlias('A'), readAlias('B'), readAlias('C', { nextStep: 'B' })] }),
      'Steps loop without a condition: B → C → B. Break the loop with a branch step, or end it (isEnd).'],
    ['an undeclared parameter', () => ({ steps: [readAlias('Read', { inputs: { FunctionName: '{{ Undeclared }}', Name: 'live' } })] }),
      "Step 'Read' references {{ Undeclared }}, which is not a parameter of the runbook (parameters: none). Declare it with RunbookParameter."],
    ['a missing step output', () => ({ steps: [read(), updateAlias('Point', { inputs: { FunctionVersion: '{{ Read.Missing }}' } })] }),
      "Step 'Point' references {{ Read.Missing }}, but step 'Read' has no output 'Missing' (outputs: Version)."],
    ['a non-existent step', () => ({ steps: [read(), updateAlias('Point', { inputs: { FunctionVersion: '{{Ghost.Version}}' } })] }),
      "Step 'Point' references {{ Ghost.Version }}, but there is no step 'Ghost' (steps: Read, ApproveChange, Point)."],
    ['a missing runbook output', () => ({ steps: [read()], outputs: ['{{ Read.Missing }}'] }),
      "Runbook output references {{ Read.Missing }}, but step 'Read' has no output 'Missing' (outputs: Version)."],
    ['no rollback for a state-changing runbook', () => ({ description: { purpose: 'Roll back.', whenToUse: ['Errors'] }, steps: [updateAlias()] }),
      "Runbook 'freight-rollback' changes state (Point): describe how to roll it back in description.rollback."],
    ['duplicate parameters', () => ({
      parameters: [RunbookParameter.ofString('Name', { description: 'a' }), RunbookParameter.ofInteger('Name', { description: 'b' })],
    }), "Two runbook parameters are named 'Name': give each parameter its own name."],
    ['an invalid parameter name', () => ({ parameters: [RunbookParameter.ofString('function-name', { description: 'a' })] }),
      "Runbook parameter name 'function-name' is invalid: use 1-128 letters, digits or '_'."],
    ['an Integer with a fractional default', () => ({ parameters: [RunbookParameter.ofInteger('Count', { description: 'a', defaultValue: 1.5 })] }),
      "parameter 'Count' defaultValue must be a whole number, got 1.5. An Integer parameter takes whole numbers."],
    ['an Integer with a fractional allowed value', () => ({ parameters: [RunbookParameter.ofInteger('Count', { description: 'a', allowedValues: [1, 2.5] })] }),
      "parameter 'Count' allowedValues [1] must be a whole number (got 2.5), got an array of 2. An Integer parameter takes whole numbers."],
    ['a default outside allowedValues', () => ({
      parameters: [RunbookParameter.ofString('Alias', { description: 'a', defaultValue: 'beta', allowedValues: ['live', 'canary'] })],
    }), "parameter 'Alias' defaultValue 'beta' is not one of its allowedValues (live, canary): change the default, or add it to allowedValues."],
    ['a StringList default outside allowedValues', () => ({
      parameters: [RunbookParameter.ofStringList('Aliases', { description: 'a', defaultValue: ['live', 'beta'], allowedValues: ['live', 'canary'] })],
    }), "parameter 'Aliases' defaultValue 'beta' is not one of its allowedValues (live, canary): change the default, or add it to allowedValues."],
    ['an invalid allowedPattern', () => ({ parameters: [RunbookParameter.ofString('Version', { description: 'a', allowedPattern: '^[0-9+$' })] }),
      "parameter 'Version' allowedPattern '^[0-9+$' is not a regular expression: fix it, or leave allowedPattern out."],
  ];

  test.each(cases)('%s', (_what, props, message) => {
    expect(() => runbook({ steps: [read()], ...props() })).toThrow(`[${PATH}] ${message}`);
  });

  test('outside a Workload', () => {
    const { stack } = opsStack();
    expect(() => new Runbook(stack, 'Loose', { description: DESCRIPTION, steps: [readAlias()] })).toThrow(/\[Ops\/Loose\] is not inside a Workload/);
  });

  test('references to automation: and global: variables and to built-in outputs are fine', () => {
    const plan = Step.executeScript({ name: 'Plan', script: 'def handler(events, context):\n    return {}\n' });
    expect(() => runbook({
      steps: [plan, readAlias('Read', {
        inputs: { FunctionName: '{{ global:ACCOUNT_ID }}', Name: '{{ automation:EXECUTION_ID }}', Qualifier: plan.output('OutputPayload') },
      })],
    })).not.toThrow();
  });
});

describe('role', () => {
  test('addToRolePolicy adds a statement to the generated role', () => {
    const s = runbook({ steps: [readAlias()] });
    s.runbook.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:123456789012:key/abc'] }));
    Template.fromStack(s.stack).hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'Runbook',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'lambda:GetAlias', Effect: 'Allow', Resource: QUOTES_FUNCTION_ARN },
            { Action: 'kms:Decrypt', Effect: 'Allow', Resource: 'arn:aws:kms:eu-west-1:123456789012:key/abc' },
          ],
        },
      }],
    });
  });

  test('a given role is used as is: no role or policy is generated for the runbook, and addToRolePolicy fails', () => {
    const { stack, workload } = opsStack();
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [updateAlias()], role });
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    expect(rb.role).toBe(role);
    expect(stack.resolve(rb.passedRoleArns)).toEqual([{ 'Fn::GetAtt': [roleId, 'Arn'] }]);
    expect(documentContent(rb).assumeRole).toBe(`arn:aws:test:::${roleId}.Arn`);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Policies: Match.absent() });
    expect(() => rb.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }))).toThrow(
      `[${PATH}] addToRolePolicy: this runbook uses the role you gave; grant it what it needs where the role is defined.`);
  });

  test('a role imported from a literal ARN synthesizes', () => {
    const { stack, workload } = opsStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/runbooks');
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [updateAlias()], role });
    expect(rb.passedRoleArns).toEqual(['arn:aws:iam::123456789012:role/runbooks']);
    expect(documentContent(rb).assumeRole).toBe('arn:aws:iam::123456789012:role/runbooks');
  });

  test('grantStart: start the automation, follow its executions, and pass its role to Systems Manager only', () => {
    const s = runbook({ steps: [updateAlias()] });
    const operator = new iam.Role(s.stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    s.runbook.grantStart(operator);
    Template.fromStack(s.stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Stack.of(operator).getLogicalId(operator.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'ssm:StartAutomationExecution',
            Effect: 'Allow',
            Resource: [
              ssmArn('automation-definition/freight-rollback:*'),
              ssmArn('document/freight-rollback'),
              ssmArn('automation-execution/*'),
            ],
          },
          { Action: 'ssm:GetAutomationExecution', Effect: 'Allow', Resource: ssmArn('automation-execution/*') },
          {
            Action: 'iam:PassRole',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [roleLogicalId(s.runbook), 'Arn'] },
            Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
          },
        ],
      },
    });
  });
});

describe('Runbook.fromDocumentName', () => {
  test('defaults: changes state, no approval gate, unknown parameters, no role to pass', () => {
    const { stack, workload } = opsStack();
    const imported = Runbook.fromDocumentName(workload, 'Restart', 'AWS-RestartEC2Instance');
    expect(imported.documentName).toBe('AWS-RestartEC2Instance');
    expect([imported.changesState, imported.hasApprovalGate, imported.parameters, imported.passedRoleArns]).toEqual([true, false, [], []]);
    expect(stack.resolve(imported.automationDefinitionArn)).toEqual(ssmArn('automation-definition/AWS-RestartEC2Instance:$DEFAULT'));
  });

  test('options: changesState, hasApprovalGate, parameters and role', () => {
    const { stack, workload } = opsStack();
    const p = RunbookParameter.ofString('InstanceId', { description: 'The instance.' });
    const imported = Runbook.fromDocumentName(workload, 'Restart', 'shared-restart', {
      changesState: false, hasApprovalGate: true, parameters: [p], role: iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::123456789012:role/restart'),
    });
    expect([imported.changesState, imported.hasApprovalGate, imported.parameters, imported.passedRoleArns])
      .toEqual([false, true, [p], ['arn:aws:iam::123456789012:role/restart']]);
  });

  test('an invalid name fails, naming the import', () => {
    const { workload } = opsStack();
    expect(() => Runbook.fromDocumentName(workload, 'Restart', 'restart ec2')).toThrow(
      "[Ops/Freight/Restart] Document name 'restart ec2' is invalid: use 3-128 letters, digits, '_', '-' or '.'.");
  });

  test('started by an executeAutomation step', () => {
    const { workload } = opsStack();
    const imported = Runbook.fromDocumentName(workload, 'Restart', 'AWS-RestartEC2Instance');
    const rb = new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [Step.executeAutomation({ name: 'Restart', runbook: imported, parameters: { InstanceId: ['i-0abc'] } })],
    });
    expect(documentContent(rb).mainSteps.map((m) => [m.name, m.inputs])).toEqual([
      ['ApproveChange', expect.objectContaining({ Approvers: [ONCALL_ROLE_ARN] })],
      ['Restart', { DocumentName: 'AWS-RestartEC2Instance', RuntimeParameters: { InstanceId: ['i-0abc'] } }],
    ]);
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([true, true]);
  });
});
