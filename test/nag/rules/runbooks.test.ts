import { App, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagRuleCompliance } from 'cdk-nag';
import { appAndStack, checkRule, resultsOf, violationsOf } from './helpers-2';
import { Playbook, Runbook, RunbookApproval } from '../../../src/runbooks';
import { DESCRIPTION, opsStack, readAlias, updateAlias } from '../../runbooks/runbook-fixtures';
import { freight } from '../../support/fixtures';

const ROLE = 'OPS-RunbookRole';
const APPROVAL = 'OPS-RunbookApproval';
const COMPLIANT = NagRuleCompliance.COMPLIANT;
const NON_COMPLIANT = NagRuleCompliance.NON_COMPLIANT;
const ROLE_PARAMETER = '{{ AutomationAssumeRole }}';
const FUNCTION = { FunctionName: 'quotes', Name: 'live' };

type StepJson = Record<string, unknown>;

const approve: StepJson = { name: 'Approve', action: 'aws:approve', inputs: { Approvers: ['arn:aws:iam::123456789012:role/oncall'], MinRequiredApprovals: 1 } };
const updateAliasStep: StepJson = { name: 'Point', action: 'aws:executeAwsApi', inputs: { Service: 'lambda', Api: 'UpdateAlias', ...FUNCTION, FunctionVersion: '7' } };
const getAliasStep: StepJson = { name: 'Read', action: 'aws:executeAwsApi', inputs: { Service: 'lambda', Api: 'GetAlias', ...FUNCTION } };
const describeAlarmsStep: StepJson = { name: 'Alarms', action: 'aws:executeAwsApi', inputs: { Service: 'cloudwatch', Api: 'DescribeAlarms' } };
const scriptStep: StepJson = {
  name: 'Summarize',
  action: 'aws:executeScript',
  inputs: { Runtime: 'python3.11', Handler: 'handler', Script: 'def handler(event, context):\n  return {}' },
};

/** Automation content (schema 0.3) with these steps, assuming `assumeRole` unless it is `null`. */
function content(steps: StepJson[], extra: Record<string, unknown> = {}, assumeRole: unknown = ROLE_PARAMETER): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description: 'Point the live alias of quotes.',
    ...(assumeRole === null ? {} : { assumeRole }),
    parameters: { AutomationAssumeRole: { type: 'String', default: '' } },
    mainSteps: steps,
    ...extra,
  };
}

/** An L1 document 'Doc' of stack 'Test' with this content. */
function doc(docContent: unknown, props: Partial<ssm.CfnDocumentProps> = {}): { app: App; stack: Stack; document: ssm.CfnDocument } {
  const { app, stack } = appAndStack();
  const document = new ssm.CfnDocument(stack, 'Doc', { documentType: 'Automation', content: docContent, ...props });
  return { app, stack, document };
}

describe('OPS-RunbookRole', () => {
  test('an Automation document whose content object has an assumeRole complies', () => {
    const { app } = doc(content([getAliasStep]));
    expect(checkRule(app, ROLE)).toEqual({ violations: [], results: [{ constructPath: 'Test/Doc', result: COMPLIANT }] });
  });

  test('an Automation document without assumeRole fails', () => {
    const { app } = doc(content([getAliasStep], {}, null));
    expect(checkRule(app, ROLE)).toEqual({
      violations: [{ ruleName: ROLE, constructPath: 'Test/Doc' }],
      results: [{ constructPath: 'Test/Doc', result: NON_COMPLIANT }],
    });
  });

  test('an empty assumeRole fails', () => {
    const { app } = doc(content([getAliasStep], {}, ''));
    expect(violationsOf(app, ROLE)).toEqual([{ ruleName: ROLE, constructPath: 'Test/Doc' }]);
  });

  test('content as a JSON string is read: with assumeRole it complies, without it fails', () => {
    // aws-cdk-lib types Content as an object; CloudFormation takes a string too, written here with an override.
    const withRole = doc({});
    withRole.document.addPropertyOverride('Content', JSON.stringify(content([getAliasStep])));
    expect(resultsOf(withRole.app, ROLE)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
    const without = doc({});
    without.document.addPropertyOverride('Content', JSON.stringify(content([getAliasStep], {}, null)));
    expect(resultsOf(without.app, ROLE)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });

  test('content as an Fn::Sub of a JSON string naming a role of the template complies', () => {
    const { app, stack } = appAndStack();
    const role = new iam.Role(stack, 'AutomationRole', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    new ssm.CfnDocument(stack, 'Doc', { documentType: 'Automation', content: Fn.sub(JSON.stringify(content([getAliasStep], {}, `\${${roleId}.Arn}`))) });
    expect(resultsOf(app, ROLE)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
  });

  test('YAML content is read with a pattern for assumeRole', () => {
    const yaml = (role: string) => `schemaVersion: '0.3'\n${role}mainSteps:\n  - name: Read\n    action: aws:executeAwsApi\n` +
      '    inputs:\n      Service: lambda\n      Api: GetAlias\n';
    const withRole = doc({}, { documentFormat: 'YAML' });
    withRole.document.addPropertyOverride('Content', yaml("assumeRole: '{{ AutomationAssumeRole }}'\n"));
    expect(resultsOf(withRole.app, ROLE)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
    const without = doc({}, { documentFormat: 'YAML' });
    without.document.addPropertyOverride('Content', yaml(''));
    expect(resultsOf(without.app, ROLE)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });

  test('an assumeRole added by an escape hatch is seen', () => {
    const { app, document } = doc(content([getAliasStep], {}, null));
    document.addPropertyOverride('Content.assumeRole', ROLE_PARAMETER);
    expect(resultsOf(app, ROLE)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
  });

  test('a Command document (and any other type) is not applicable', () => {
    const { app } = doc({ schemaVersion: '2.2', mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['uptime'] } }] },
      { documentType: 'Command' });
    expect(checkRule(app, ROLE)).toEqual({ violations: [], results: [] });
  });
});

describe('OPS-RunbookApproval on hand-written documents', () => {
  test('a lambda UpdateAlias step without aws:approve fails', () => {
    const { app } = doc(content([getAliasStep, updateAliasStep]));
    expect(checkRule(app, APPROVAL)).toEqual({
      violations: [{ ruleName: APPROVAL, constructPath: 'Test/Doc' }],
      results: [{ constructPath: 'Test/Doc', result: NON_COMPLIANT }],
    });
  });

  test('an aws:approve step before it complies', () => {
    const { app } = doc(content([getAliasStep, approve, updateAliasStep]));
    expect(checkRule(app, APPROVAL)).toEqual({ violations: [], results: [{ constructPath: 'Test/Doc', result: COMPLIANT }] });
  });

  test('an aws:approve step after the state-changing step does not gate it', () => {
    const { app } = doc(content([updateAliasStep, approve, getAliasStep]));
    expect(violationsOf(app, APPROVAL)).toEqual([{ ruleName: APPROVAL, constructPath: 'Test/Doc' }]);
  });

  test('a jump over the approval to the state-changing step does not count as gated', () => {
    const { app } = doc(content([{ ...getAliasStep, nextStep: 'Point' }, approve, updateAliasStep]));
    expect(violationsOf(app, APPROVAL)).toEqual([{ ruleName: APPROVAL, constructPath: 'Test/Doc' }]);
  });

  test('a branch whose every path passes the approval complies; one that skips it fails', () => {
    const branch = (skip: boolean): StepJson => ({
      name: 'Route',
      action: 'aws:branch',
      inputs: { Choices: [{ NextStep: skip ? 'Point' : 'Approve', Variable: '{{ Read.Version }}', StringEquals: '7' }], Default: 'Approve' },
    });
    const gated = doc(content([getAliasStep, branch(false), approve, updateAliasStep]));
    expect(resultsOf(gated.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
    const skipping = doc(content([getAliasStep, branch(true), approve, updateAliasStep]));
    expect(resultsOf(skipping.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });

  test('a read-only document (Describe, Get, waits, branches) complies without approval', () => {
    const wait: StepJson = {
      name: 'Wait',
      action: 'aws:waitForAwsResourceProperty',
      inputs: { Service: 'lambda', Api: 'GetAlias', ...FUNCTION, PropertySelector: '$.FunctionVersion', DesiredValues: ['7'] },
    };
    const { app } = doc(content([describeAlarmsStep, getAliasStep, wait, { name: 'Pause', action: 'aws:sleep', inputs: { Duration: 'PT1M' } }]));
    expect(checkRule(app, APPROVAL)).toEqual({ violations: [], results: [{ constructPath: 'Test/Doc', result: COMPLIANT }] });
  });

  test('commands, Lambda invocations and unknown APIs may change state: they fail without approval', () => {
    for (const step of [
      { name: 'Run', action: 'aws:runCommand', inputs: { DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-1'], Parameters: { commands: ['reboot'] } } },
      { name: 'Invoke', action: 'aws:invokeLambdaFunction', inputs: { FunctionName: 'fixer' } },
      { name: 'Unknown', action: 'aws:executeAwsApi', inputs: { Service: 'lambda', Api: 'NoSuchApi' } },
      { name: 'Loop', action: 'aws:loop', inputs: { Iterators: ['a'], Steps: [updateAliasStep] } },
    ]) {
      const { app } = doc(content([step]));
      expect([step.name, resultsOf(app, APPROVAL)]).toEqual([step.name, [{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]]);
    }
  });

  test('a description stating why it is not gated complies', () => {
    const description = '# Restart\n\nRestarts the quotes tasks.\n\n## Approval\n\nNot gated: runs unattended as an automated response\n';
    const { app } = doc(content([updateAliasStep], { description }));
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
    const empty = doc(content([updateAliasStep], { description: '## Approval\n\nNot gated:' }));
    expect(resultsOf(empty.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });

  test('JSON-string and YAML content are read for steps too', () => {
    const json = doc({});
    json.document.addPropertyOverride('Content', JSON.stringify(content([getAliasStep, updateAliasStep])));
    expect(resultsOf(json.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
    const yaml = (action: string) => `schemaVersion: '0.3'\nassumeRole: '{{ AutomationAssumeRole }}'\nmainSteps:\n  - name: Step\n    action: ${action}\n`;
    const command = doc({}, { documentFormat: 'YAML' });
    command.document.addPropertyOverride('Content', yaml('aws:runCommand'));
    expect(resultsOf(command.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
    const sleep = doc({}, { documentFormat: 'YAML' });
    sleep.document.addPropertyOverride('Content', yaml("'aws:sleep'"));
    expect(resultsOf(sleep.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
  });

  test('a Command document is not applicable', () => {
    const { app } = doc({ schemaVersion: '2.2', mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['reboot'] } }] },
      { documentType: 'Command' });
    expect(checkRule(app, APPROVAL)).toEqual({ violations: [], results: [] });
  });
});

describe('OPS-RunbookApproval on aws:executeScript, by what the assumed role allows', () => {
  /** A document running a script as the role 'ScriptRole' of the template, which `allow` configures. */
  function scripted(allow: (role: iam.Role) => void, roleProps: Partial<iam.RoleProps> = {}) {
    const { app, stack } = appAndStack();
    const role = new iam.Role(stack, 'ScriptRole', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com'), ...roleProps });
    allow(role);
    new ssm.CfnDocument(stack, 'Doc', { documentType: 'Automation', content: content([scriptStep], {}, role.roleArn) });
    return app;
  }
  const statement = (actions: string[], effect = iam.Effect.ALLOW) => new iam.PolicyStatement({ effect, actions, resources: ['*'] });

  test('a role that only allows reads (cloudwatch:DescribeAlarms) complies', () => {
    const app = scripted((role) => role.addToPolicy(statement(['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData'])));
    expect(checkRule(app, APPROVAL)).toEqual({ violations: [], results: [{ constructPath: 'Test/Doc', result: COMPLIANT }] });
  });

  test('read-only inline policies of the role comply too', () => {
    const app = scripted(() => undefined, {
      inlinePolicies: { Read: new iam.PolicyDocument({ statements: [statement(['cloudwatch:DescribeAlarms'])] }) },
    });
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
  });

  test('a role that allows lambda:UpdateAlias fails', () => {
    const app = scripted((role) => role.addToPolicy(statement(['cloudwatch:DescribeAlarms', 'lambda:UpdateAlias'])));
    expect(checkRule(app, APPROVAL)).toEqual({
      violations: [{ ruleName: APPROVAL, constructPath: 'Test/Doc' }],
      results: [{ constructPath: 'Test/Doc', result: NON_COMPLIANT }],
    });
  });

  test('a Deny of a mutating action does not make the role mutating', () => {
    const app = scripted((role) => {
      role.addToPolicy(statement(['cloudwatch:DescribeAlarms']));
      role.addToPolicy(statement(['lambda:UpdateAlias'], iam.Effect.DENY));
    });
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
  });

  test('wildcard actions, managed policies and roles outside the template may change state', () => {
    const wildcard = scripted((role) => role.addToPolicy(statement(['cloudwatch:Describe*'])));
    expect(resultsOf(wildcard, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
    const managed = scripted(() => undefined, { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
    expect(resultsOf(managed, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
    const outside = doc(content([scriptStep], {}, 'arn:aws:iam::123456789012:role/automation'));
    expect(resultsOf(outside.app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });
});

describe('cdk-operable runbooks and playbooks comply with both rules', () => {
  const both = (app: App) => ({ role: checkRule(app, ROLE), approval: checkRule(app, APPROVAL) });
  const compliant = (path: string) => ({ violations: [], results: [{ constructPath: path, result: COMPLIANT }] });

  test('a state-changing Runbook gated with the workload approvers', () => {
    const { stack, workload } = opsStack();
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [readAlias(), updateAlias()] });
    expect(rb.hasApprovalGate).toBe(true);
    expect(both(stack.node.root as App)).toEqual({ role: compliant('Ops/Freight/Rollback/Document'), approval: compliant('Ops/Freight/Rollback/Document') });
  });

  test("a state-changing Runbook with RunbookApproval.none('reason')", () => {
    const { stack, workload } = opsStack(null);
    const rb = new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [updateAlias()],
      approval: RunbookApproval.none('runs unattended as an automated response'),
    });
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([true, false]);
    expect(both(stack.node.root as App)).toEqual({ role: compliant('Ops/Freight/Rollback/Document'), approval: compliant('Ops/Freight/Rollback/Document') });
  });

  test('a read-only Runbook without approvers', () => {
    const { stack, workload } = opsStack(null);
    new Runbook(workload, 'Inspect', { description: DESCRIPTION, steps: [readAlias()] });
    expect(both(stack.node.root as App)).toEqual({ role: compliant('Ops/Freight/Inspect/Document'), approval: compliant('Ops/Freight/Inspect/Document') });
  });

  test('a Playbook (scripts run as its read-only role)', () => {
    const { app, stack } = appAndStack();
    const { workload } = freight(stack);
    const errors = cloudwatch.Alarm.fromAlarmArn(stack, 'ErrorsAlarm', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-quotes-errors');
    const pb = new Playbook(workload, 'InvestigateQuotes', {
      symptoms: ['quotes pages'], checks: ['Open the dashboard'], hypotheses: ['A bad deployment'], nextSteps: ['Roll back'], alarms: [errors],
    });
    expect(pb.changesState).toBe(false);
    expect(both(app)).toEqual({ role: compliant('Test/Freight/InvestigateQuotes/Document'), approval: compliant('Test/Freight/InvestigateQuotes/Document') });
  });
});

describe('OPS-RunbookApproval trusts the document\'s own "What it changes" statement about its scripts', () => {
  /** A script, then an approval, then UpdateAlias, run as a role that may update the alias; described by `description`. */
  function declared(description: string) {
    const { app, stack } = appAndStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:UpdateAlias'], resources: ['*'] }));
    new ssm.CfnDocument(stack, 'Doc', {
      documentType: 'Automation',
      content: content([scriptStep, approve, updateAliasStep], { description }, role.roleArn),
    });
    return app;
  }

  test('a script the section does not name is read-only: the gate after it gates the change', () => {
    const app = declared('# Roll back\n\nPoint the alias back.\n\n## What it changes\n\n- `lambda:UpdateAlias` (step Point)\n\n## Approval\n\nStep Approve waits.\n');
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: COMPLIANT }]);
  });

  test('a script the section names changes state before the gate: fails', () => {
    const app = declared('# Roll back\n\n## What it changes\n\n- `lambda:UpdateAlias` (step Summarize), (step Point)\n');
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });

  test('without a statement every script may change state as the role: fails', () => {
    const app = declared('# Roll back\n\nPoint the alias back.\n');
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });

  test('a section that names no step and does not say "Nothing" is no statement', () => {
    const app = declared('# Roll back\n\n## What it changes\n\n- the live alias\n');
    expect(resultsOf(app, APPROVAL)).toEqual([{ constructPath: 'Test/Doc', result: NON_COMPLIANT }]);
  });
});
