import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Approvers, AutoRemediation, IRunbook, Playbook, Runbook, RunbookApproval, RunbookParameter, Step, Workload } from '../../src';
import { freight, quotesMetric, resourcesOf, testStack } from '../support/fixtures';
import { logicalIdOf } from '../support/runbook-simulation';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:quotes';
const RULE_NAME = 'Test-Freight-RestartOnSaturation-B0F2B8C0';
const PATH = '/Test/Freight/RestartOnSaturation';
const ACK = '\\[ack: cdk-operable:auto-remediation-approval\\]';
const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${rest}`]] });

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** A runbook 'freight-restart' that points the quotes alias (changes state); FunctionName required, Version optional. */
function restart(workload: Workload, props: { approval?: RunbookApproval; id?: string } = {}): Runbook {
  const fn = RunbookParameter.ofString('FunctionName', { description: 'The function.' });
  const version = RunbookParameter.ofString('Version', { description: 'The version.', defaultValue: '1' });
  return new Runbook(workload, props.id ?? 'Restart', {
    description: { purpose: 'Point the alias back.', whenToUse: ['Saturation'], rollback: 'Run it again with the previous version.' },
    parameters: [fn, version],
    approval: props.approval,
    steps: [Step.executeAwsApi({
      name: 'Point',
      service: 'lambda',
      api: 'UpdateAlias',
      resources: [FUNCTION_ARN],
      inputs: { FunctionName: fn.reference, Name: 'live', FunctionVersion: version.reference },
    })],
  });
}

/** The freight workload (with approvers), an alarm 'Saturation' and an automated response 'RestartOnSaturation'. */
function setup(props: { enabled?: boolean; approval?: RunbookApproval } = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack, { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) });
  const alarm = new cloudwatch.Alarm(stack, 'Saturation', { metric: quotesMetric('Saturation'), threshold: 1, evaluationPeriods: 1 });
  const runbook = restart(workload, { approval: props.approval });
  const response = new AutoRemediation(workload, 'RestartOnSaturation', { alarm, runbook, parameters: { FunctionName: ['quotes'] }, ...props });
  const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  return { stack, workload, alarm, runbook, response, json, template: Template.fromStack(stack) };
}

function ruleOf(s: ReturnType<typeof setup>): Record<string, unknown> {
  return s.json.Resources[logicalIdOf(s.response.rule)].Properties!;
}

/** The statements of the response role's only policy (no inline or managed policies besides). */
function statementsOf(s: { json: { Resources: Record<string, Resource> }; response: AutoRemediation }): unknown[] {
  const roleId = logicalIdOf(s.response.role);
  const policies = resourcesOf(s.json, 'AWS::IAM::Policy').filter(([, r]) => JSON.stringify(r.Properties!.Roles) === JSON.stringify([{ Ref: roleId }]));
  expect(policies).toHaveLength(1);
  expect(s.json.Resources[roleId].Properties!.Policies).toBeUndefined();
  expect(s.json.Resources[roleId].Properties!.ManagedPolicyArns).toBeUndefined();
  return (policies[0][1].Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
}

describe('AutoRemediation rule and target', () => {
  const s = setup({ approval: RunbookApproval.none('only points the alias; safe unattended') });

  test('one enabled rule with a fixed name on the alarm entering ALARM', () => {
    s.template.resourceCountIs('AWS::Events::Rule', 1);
    const rule = ruleOf(s);
    expect(rule.Name).toBe(RULE_NAME);
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern).toEqual({
      'source': ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      'resources': [{ 'Fn::GetAtt': [logicalIdOf(s.alarm), 'Arn'] }],
      'detail': { state: { value: ['ALARM'] } },
    });
    expect(rule.Description).toEqual({ 'Fn::Join': ['', ['Starts runbook freight-restart when ', { Ref: logicalIdOf(s.alarm) }, ' enters ALARM (cdk-operable).']] });
  });

  test("the target: the runbook's $DEFAULT automation definition, the role, the parameters as input, and retries", () => {
    expect(ruleOf(s).Targets).toEqual([{
      Id: 'Target0',
      Arn: partitionArn('ssm:us-east-1:123456789012:automation-definition/freight-restart:$DEFAULT'),
      RoleArn: { 'Fn::GetAtt': [logicalIdOf(s.response.role), 'Arn'] },
      Input: JSON.stringify({ FunctionName: ['quotes'] }),
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
    }]);
    expect(s.stack.resolve(s.runbook.automationDefinitionArn)).toEqual(
      partitionArn('ssm:us-east-1:123456789012:automation-definition/freight-restart:$DEFAULT'));
  });

  test('the role trusts EventBridge for this account and this rule only', () => {
    const role = s.json.Resources[logicalIdOf(s.response.role)].Properties!;
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnEquals: { 'aws:SourceArn': partitionArn(`events:us-east-1:123456789012:rule/${RULE_NAME}`) },
        },
      }],
    });
    expect(role.Description).toBe('Lets EventBridge start runbook freight-restart (cdk-operable)');
  });

  test("exactly two statements: start this runbook, and pass only the runbook's role to SSM", () => {
    expect(statementsOf(s)).toEqual([
      {
        Action: 'ssm:StartAutomationExecution',
        Effect: 'Allow',
        Resource: [
          partitionArn('ssm:us-east-1:123456789012:automation-definition/freight-restart:*'),
          partitionArn('ssm:us-east-1:123456789012:document/freight-restart'),
          partitionArn('ssm:us-east-1:123456789012:automation-execution/*'),
        ],
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalIdOf(s.runbook.role as iam.Role), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      },
    ]);
  });

  test('RunbookApproval.none: no approval-gate warning', () => {
    expect(s.runbook.hasApprovalGate).toBe(false);
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.stringLikeRegexp(ACK));
  });
});

describe('AutoRemediation options', () => {
  test('enabled: false keeps the rule, DISABLED', () => {
    const s = setup({ enabled: false, approval: RunbookApproval.none('safe') });
    expect(ruleOf(s).State).toBe('DISABLED');
    expect(ruleOf(s).Targets).toHaveLength(1);
  });

  test('a runbook with an approval gate: a warning that the response only starts it and pages approvers', () => {
    const s = setup();
    expect(s.runbook.hasApprovalGate).toBe(true);
    Annotations.fromStack(s.stack).hasWarning(PATH, Match.stringLikeRegexp(
      "^runbook 'freight-restart' waits for an approval, so this response only starts it and pages approvers; give the runbook approval: " +
      'RunbookApproval\\.none\\(reason\\) to let it act unattended\\. ' + ACK));
    expect(Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp(ACK))).toHaveLength(1);
  });

  test('no parameters given: the input is an empty object (the runbook defaults)', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Alarm', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-quotes-saturation');
    const runbook = Runbook.fromDocumentName(workload, 'Shared', 'freight-shared-restart', { changesState: true });
    const response = new AutoRemediation(workload, 'RestartOnSaturation', { alarm, runbook });
    const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
    const rule = json.Resources[logicalIdOf(response.rule)].Properties as { Targets: Array<{ Input: string }>; EventPattern: { resources: unknown } };
    expect(rule.Targets[0].Input).toBe('{}');
    expect(rule.EventPattern.resources).toEqual(['arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-quotes-saturation']);
  });

  test('an imported runbook without a role: no iam:PassRole statement', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const alarm = new cloudwatch.Alarm(stack, 'Saturation', { metric: quotesMetric('Saturation'), threshold: 1, evaluationPeriods: 1 });
    const runbook = Runbook.fromDocumentName(workload, 'Shared', 'freight-shared-restart');
    const response = new AutoRemediation(workload, 'RestartOnSaturation', { alarm, runbook, parameters: { FunctionName: ['quotes'] } });
    const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
    expect(statementsOf({ json, response })).toEqual([{
      Action: 'ssm:StartAutomationExecution',
      Effect: 'Allow',
      Resource: [
        partitionArn('ssm:us-east-1:123456789012:automation-definition/freight-shared-restart:*'),
        partitionArn('ssm:us-east-1:123456789012:document/freight-shared-restart'),
        partitionArn('ssm:us-east-1:123456789012:automation-execution/*'),
      ],
    }]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(ACK));
  });

  test('an imported runbook with a role and an approval gate: PassRole on that role, and the warning', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const alarm = new cloudwatch.Alarm(stack, 'Saturation', { metric: quotesMetric('Saturation'), threshold: 1, evaluationPeriods: 1 });
    const role = iam.Role.fromRoleArn(stack, 'SharedRole', 'arn:aws:iam::123456789012:role/shared-automation');
    const runbook = Runbook.fromDocumentName(workload, 'Shared', 'freight-shared-restart', { role, hasApprovalGate: true });
    new AutoRemediation(workload, 'RestartOnSaturation', { alarm, runbook });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: 'arn:aws:iam::123456789012:role/shared-automation',
          Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        }]),
      },
    });
    Annotations.fromStack(stack).hasWarning(PATH, Match.stringLikeRegexp(`^runbook 'freight-shared-restart' waits for an approval.*${ACK}`));
  });
});

describe('AutoRemediation parameter checks', () => {
  type RunbookOf = (w: Workload, s: Stack) => IRunbook;
  function respond(parameters: Record<string, string[]> | undefined, runbookOf: RunbookOf) {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Alarm', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-quotes-saturation');
    return new AutoRemediation(workload, 'RestartOnSaturation', { alarm, runbook: runbookOf(workload, stack), parameters });
  }
  const none = RunbookApproval.none('safe');

  test('a required parameter missing', () => {
    expect(() => respond(undefined, (w) => restart(w, { approval: none }))).toThrow(
      "[Test/Freight/RestartOnSaturation] runbook 'freight-restart' needs parameter(s) FunctionName, which the automated response does not pass: " +
      'add them to parameters (given: none).');
    expect(() => respond({ Version: ['2'] }, (w) => restart(w, { approval: none }))).toThrow(/needs parameter\(s\) FunctionName,/);
  });

  test('a parameter the runbook does not take', () => {
    expect(() => respond({ FunctionName: ['quotes'], Qualifier: ['live'], Extra: ['x'] }, (w) => restart(w, { approval: none }))).toThrow(
      "[Test/Freight/RestartOnSaturation] parameters Qualifier, Extra are not parameters of runbook 'freight-restart' (it takes FunctionName, Version): " +
      'remove them.');
  });

  test('optional parameters may be left out; all given is fine', () => {
    expect(() => respond({ FunctionName: ['quotes'] }, (w) => restart(w, { approval: none }))).not.toThrow();
    expect(() => respond({ FunctionName: ['quotes'], Version: ['3'] }, (w) => restart(w, { approval: none }))).not.toThrow();
  });

  test('an imported runbook whose parameters are unknown: anything goes; with parameters listed, they are checked', () => {
    expect(() => respond({ Anything: ['x'] }, (w) => Runbook.fromDocumentName(w, 'Shared', 'freight-shared'))).not.toThrow();
    const listed = (w: Workload) => Runbook.fromDocumentName(w, 'Shared', 'freight-shared', {
      parameters: [RunbookParameter.ofString('InstanceId', { description: 'The instance.' })],
    });
    expect(() => respond(undefined, listed)).toThrow("runbook 'freight-shared' needs parameter(s) InstanceId, which the automated response does not pass");
    expect(() => respond({ InstanceId: ['i-1'], Force: ['true'] }, listed)).toThrow(
      "parameters Force are not parameters of runbook 'freight-shared' (it takes InstanceId): remove them.");
  });

  test("a playbook needs AlarmName: an automated investigation passes the alarm's name", () => {
    const playbookOf = (w: Workload, s: Stack) => new Playbook(w, 'Investigate', {
      symptoms: ['s'],
      checks: ['c'],
      hypotheses: ['h'],
      nextSteps: ['n'],
      alarms: [cloudwatch.Alarm.fromAlarmArn(s, 'Investigated', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-quotes-saturation')],
    });
    expect(() => respond(undefined, playbookOf)).toThrow(
      "runbook 'freight-investigate' needs parameter(s) AlarmName, which the automated response does not pass: add them to parameters (given: none).");
    expect(() => respond({ AlarmName: ['freight-quotes-saturation'] }, playbookOf)).not.toThrow();
  });

  test('a Runbook that takes no parameters rejects any', () => {
    const parameterless = (w: Workload) => new Runbook(w, 'Flush', {
      description: { purpose: 'Flush.', whenToUse: ['Stale cache'], rollback: 'Nothing to undo.' },
      approval: none,
      steps: [Step.executeAwsApi({
        name: 'Point',
        service: 'lambda',
        api: 'UpdateAlias',
        resources: [FUNCTION_ARN],
        inputs: { FunctionName: 'quotes', Name: 'live', FunctionVersion: '1' },
      })],
    });
    expect(() => respond({ FunctionName: ['quotes'] }, parameterless)).toThrow(/parameters FunctionName are not parameters of runbook 'freight-flush'/);
  });
});
