import { App, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as ssmcontacts from 'aws-cdk-lib/aws-ssmcontacts';
import * as incidents from 'aws-cdk-lib/aws-ssmincidents';
import { NagRuleCompliance } from 'cdk-nag';
import { Evaluated, ownedStack } from './evaluated';
import { AlarmDescription, Approvers, Severity, Workload } from '../../../src/core';
import { ContactChannel, EscalationPlan, IncidentManagerSetup, IncidentResponse, OnCallContact } from '../../../src/incidents';
import { AutoRemediation, Playbook, Runbook, RunbookApproval, RunbookParameter, Step } from '../../../src/runbooks';
import { freight, quotesMetric } from '../../support/fixtures';

/**
 * Incident process and response: response plans that engage and escalate (OPS-EscalationPath), automated responses that
 * can start their runbook (OPS-AutomatedResponse), pages that name a playbook to investigate with (OPS-AlarmPlaybook).
 * One app, synthesized once.
 */

const ESCALATION = 'OPS-EscalationPath';
const AUTOMATED = 'OPS-AutomatedResponse';
const PLAYBOOK = 'OPS-AlarmPlaybook';
const COMPLIANT = NagRuleCompliance.COMPLIANT;
const NON_COMPLIANT = NagRuleCompliance.NON_COMPLIANT;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:quotes';

/** A runbook of the workload that points the quotes alias, unattended (an automated response starts it). */
function restart(workload: Workload): Runbook {
  const fn = RunbookParameter.ofString('FunctionName', { description: 'The function.' });
  return new Runbook(workload, 'Restart', {
    description: { purpose: 'Point the alias back.', whenToUse: ['Saturation'], rollback: 'Run it again with the previous version.' },
    parameters: [fn],
    approval: RunbookApproval.none('an automated response: it runs when the alarm fires'),
    steps: [Step.executeAwsApi({
      name: 'Point',
      service: 'lambda',
      api: 'UpdateAlias',
      resources: [FUNCTION_ARN],
      inputs: { FunctionName: fn.reference, Name: 'live', FunctionVersion: '1' },
    })],
  });
}

/** A plain EventBridge rule starting document `platform-restart` (defined elsewhere) through SSM Automation, as `role` (if any). */
function automationRule(stack: Stack, id: string, role?: iam.IRole, enabled = true, document = 'platform-restart'): void {
  const rule = new events.Rule(stack, id, { enabled, eventPattern: { source: ['aws.cloudwatch'] } });
  rule.addTarget({ bind: () => ({ arn: `arn:aws:ssm:us-east-1:123456789012:automation-definition/${document}:$DEFAULT`, role }) });
}

/** A PAGE alarm with an action, described with this playbook (or none). */
function page(stack: Stack, id: string, playbook?: string, runbook?: string): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(stack, id, {
    metric: quotesMetric(id),
    threshold: 1,
    evaluationPeriods: 1,
    alarmDescription: AlarmDescription.render({ summary: `${id} fires`, severity: Severity.PAGE, owner: 'pricing', runbook, playbook }),
  });
  alarm.addAlarmAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:pages' }) });
  return alarm;
}

describe('incident process: EscalationPath, AutomatedResponse, AlarmPlaybook', () => {
  let evaluated: Evaluated;

  beforeAll(() => {
    const app = new App();
    // cdk-operable: a response plan engaging a two-stage escalation plan and starting a runbook; an automated response.
    const stack = ownedStack(app, 'Squad');
    const { workload } = freight(stack, {
      approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }),
    });
    const setup = new IncidentManagerSetup(stack, 'IncidentManager');
    const oncall = new OnCallContact(workload, 'Oncall', { alias: 'pricing-oncall', channels: [ContactChannel.email('oncall@example.com')] });
    const lead = new OnCallContact(workload, 'Lead', { alias: 'pricing-lead', channels: [ContactChannel.email('lead@example.com')] });
    const escalation = new EscalationPlan(workload, 'Escalation', { alias: 'pricing-escalation', stages: [{ targets: [oncall] }, { targets: [lead] }] });
    const runbook = restart(workload);
    new IncidentResponse(workload, 'Incidents', { setup, engagements: [escalation], automation: { runbook, parameters: { FunctionName: ['quotes'] } } });
    const saturation = new cloudwatch.Alarm(stack, 'Saturation', { metric: quotesMetric('Saturation'), threshold: 1, evaluationPeriods: 1 });
    new AutoRemediation(workload, 'RestartOnSaturation', { alarm: saturation, runbook, parameters: { FunctionName: ['quotes'] } });
    // An investigation playbook (read-only Automation) named as the runbook of a page; a page naming a URL playbook.
    const investigate = new Playbook(workload, 'Investigate', {
      symptoms: ['Quotes fail'], checks: ['Recent deployments'], hypotheses: ['A bad version'], nextSteps: ['Roll back'], alarms: [saturation],
    });
    const byDocument = page(stack, 'ByDocument');
    Tags.of(byDocument).add('ops:runbook', investigate.documentName);
    page(stack, 'ByUrl', 'https://playbooks.example.com/quotes');
    page(stack, 'ByMutatingRunbook', undefined, runbook.documentName);
    new cloudwatch.Alarm(stack, 'Ticket', {
      metric: quotesMetric('Ticket'),
      threshold: 1,
      evaluationPeriods: 1,
      alarmDescription: AlarmDescription.render({ summary: 'Slow', severity: Severity.TICKET, owner: 'pricing' }),
    }).addAlarmAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:tickets' }) });

    // Plain aws-cdk-lib: response plans engaging nobody, a person, a one-stage escalation plan, an imported contact.
    const plain = ownedStack(app, 'Plain');
    const person = new ssmcontacts.CfnContact(plain, 'Person', { alias: 'dana', displayName: 'Dana', type: 'PERSONAL' });
    const oneStage = new ssmcontacts.CfnContact(plain, 'OneStage', {
      alias: 'one-stage',
      displayName: 'One stage',
      type: 'ESCALATION',
      plan: [{ durationInMinutes: 5, targets: [{ contactTargetInfo: { contactId: person.attrArn, isEssential: true } }] }],
    });
    const plan = (id: string, engagements?: string[]) => new incidents.CfnResponsePlan(plain, id, {
      name: id.toLowerCase(), incidentTemplate: { title: id, impact: 1 }, engagements,
    });
    plan('Nobody');
    plan('PersonOnly', [person.attrArn]);
    plan('SingleStage', [oneStage.attrArn]);
    plan('Imported', ['arn:aws:ssm-contacts:us-east-1:123456789012:contact/platform-escalation']);
    // Automations without a role, with a role that may not start the document, and a disabled one.
    automationRule(plain, 'NoRole');
    const weak = new iam.Role(plain, 'Weak', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    weak.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetDocument'], resources: ['*'] }));
    automationRule(plain, 'CannotStart', weak);
    const able = new iam.Role(plain, 'AbleRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    able.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: ['arn:aws:ssm:us-east-1:123456789012:automation-definition/platform-restart:*'] }));
    automationRule(plain, 'Disabled', able, false);
    automationRule(plain, 'Able', able);
    // Starting the workload's runbook (an Automation document of the app with a role of its own) needs iam:PassRole of it.
    const noPass = new iam.Role(plain, 'NoPassRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    noPass.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: ['*'] }));
    automationRule(plain, 'NoPass', noPass, true, 'freight-restart');
    new ssm.CfnDocument(plain, 'Unrelated', { documentType: 'Command', content: { schemaVersion: '2.2', mainSteps: [] } });
    evaluated = Evaluated.of(app);
  });

  test('OPS-EscalationPath: the cdk-operable response plan escalates; plain plans report NoEngagement, NoEscalation, SingleStage', () => {
    expect(evaluated.results(ESCALATION)).toEqual({
      'Plain/Imported': COMPLIANT,
      'Plain/Nobody': ['NoEngagement'],
      'Plain/PersonOnly': ['NoEscalation'],
      'Plain/SingleStage': ['SingleStage'],
      'Squad/Freight/Incidents/Page/Resource': COMPLIANT,
    });
  });

  test('OPS-AutomatedResponse: AutoRemediation and the response plan\'s runbook can start; plain rules report NoRole, CannotStart, CannotPassRole, Disabled', () => {
    expect(evaluated.results(AUTOMATED)).toEqual({
      'Plain/Able/Resource': COMPLIANT,
      'Plain/CannotStart/Resource': ['CannotStart'],
      'Plain/Disabled/Resource': ['Disabled'],
      'Plain/NoPass/Resource': ['CannotPassRole'],
      'Plain/NoRole/Resource': ['NoRole'],
      'Squad/Freight/Incidents/Page/Resource': COMPLIANT,
      'Squad/Freight/RestartOnSaturation/Rule/Resource': COMPLIANT,
    });
    expect(evaluated.violations(AUTOMATED).map((v) => v.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
  });

  test('OPS-AlarmPlaybook: pages naming a playbook URL or a read-only Automation document comply; a state-changing runbook is no playbook', () => {
    expect(evaluated.results(PLAYBOOK, 'Squad/By')).toEqual({
      'Squad/ByDocument/Resource': COMPLIANT,
      'Squad/ByMutatingRunbook/Resource': NON_COMPLIANT,
      'Squad/ByUrl/Resource': COMPLIANT,
    });
    // Tickets and alarms without actions are not concerned.
    expect(evaluated.results(PLAYBOOK, 'Squad/Ticket')).toEqual({});
    expect(evaluated.results(PLAYBOOK, 'Squad/Saturation')).toEqual({});
  });
});
