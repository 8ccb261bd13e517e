import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT, escalation, idOf, incidentApp, inspectRunbook, json, ofType } from './incident-fixtures';
import { AlarmDestinationKind, ServiceTier, Severity, Workload } from '../../src';
import { IncidentManagerSetup, IncidentResponse } from '../../src/incidents';

const ORR_TAGS = (tier: string) => [
  { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
  { Key: 'ops:owner', Value: 'pricing' },
  { Key: 'ops:tier', Value: tier },
  { Key: 'ops:workload', Value: 'freight' },
];
const INCIDENT_TAGS = (tier: string) => [
  { Key: 'ops:workload', Value: 'freight' },
  { Key: 'ops:owner', Value: 'pricing' },
  { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
  { Key: 'ops:tier', Value: tier },
];

function summary(severity: 'page' | 'ticket', tier: string) {
  return `A ${severity} alarm of workload freight (tier ${tier}) fired. Owner: pricing; on-call: pricing-oncall@example.com. ` +
    'The alarm description names the runbook, playbook and dashboard.';
}

describe('IncidentResponse defaults', () => {
  test('one PAGE plan named <workload>-page: title, impact of the tier, summary, dedupe string, incident and ORR tags', () => {
    const { stack, workload } = incidentApp();
    const response = new IncidentResponse(workload, 'IncidentResponse', { engagements: [escalation(workload)] });

    expect(response.plans).toHaveLength(1);
    expect(ofType(stack, 'AWS::SSMIncidents::ResponsePlan')).toHaveLength(1);
    expect(json(stack).Resources[idOf(response.pagePlan)].Properties).toEqual({
      Name: 'freight-page',
      DisplayName: 'freight page incidents',
      IncidentTemplate: {
        Title: 'freight PAGE',
        Impact: 3,
        Summary: summary('page', 'standard'),
        DedupeString: 'freight-page',
        IncidentTags: INCIDENT_TAGS('standard'),
      },
      Engagements: [{ 'Fn::GetAtt': [idOf(workload.node.findChild('Escalation')), 'Arn'] }],
      Tags: ORR_TAGS('standard'),
    });
    expect(response.responsePlanNames).toEqual(['freight-page']);
    expect(response.planFor(Severity.PAGE)).toBe(response.pagePlan);
    expect(response.workload).toBe(workload);
    // Logical ids are API: renaming the construct or the plan id replaces the plan.
    expect(idOf(response.pagePlan)).toBe('FreightIncidentResponsePage87C77F57');
  });

  test.each([
    [ServiceTier.CRITICAL, 1],
    [ServiceTier.STANDARD, 3],
    [ServiceTier.BEST_EFFORT, 5],
  ])('tier %p: page impact %p (ServiceTier.incidentImpact)', (tier, impact) => {
    const { stack, workload } = incidentApp({ tier });
    const response = new IncidentResponse(workload, 'IncidentResponse');
    Template.fromStack(stack).hasResourceProperties('AWS::SSMIncidents::ResponsePlan', {
      Name: 'freight-page',
      IncidentTemplate: { Impact: impact, Summary: summary('page', tier.name), IncidentTags: INCIDENT_TAGS(tier.name) },
      Tags: ORR_TAGS(tier.name),
    });
    expect(response.pagePlan.impact).toBe(impact);
  });

  test('a custom tier brings its own impact', () => {
    const tier = ServiceTier.custom({
      name: 'internal',
      description: 'x',
      availabilityObjective: 99,
      latencyObjective: 95,
      latencyThreshold: Duration.seconds(2),
      logRetention: ServiceTier.STANDARD.logRetention,
      incidentImpact: 4,
    });
    const { workload } = incidentApp({ tier });
    expect(new IncidentResponse(workload, 'IncidentResponse').pagePlan.impact).toBe(4);
  });

  test('uses the IncidentManagerSetup of the app and depends on it; engaging nobody warns', () => {
    const { stack, workload, setup } = incidentApp();
    const response = new IncidentResponse(workload, 'IncidentResponse');
    expect(response.pagePlan.setup).toBe(setup);
    expect(response.pagePlan.resource.obtainDependencies()).toEqual([setup!.replicationSet]);
    Annotations.fromStack(stack).hasWarning('/Freight/Freight/IncidentResponse/Page',
      "response plan 'freight-page' engages nobody: incidents open, but nobody is paged. Engage an escalation plan " +
      '(engagements: [escalationPlan]), OPS10-BP04. [ack: cdk-operable:incident-no-engagement]');
  });
});

describe('IncidentResponse overrides', () => {
  test('PAGE and TICKET plans: the ticket one level less severe, named <prefix>-ticket', () => {
    const { stack, workload } = incidentApp({ tier: ServiceTier.CRITICAL });
    const response = new IncidentResponse(workload, 'IncidentResponse', { severities: [Severity.PAGE, Severity.TICKET] });
    const ticket = response.planFor(Severity.TICKET);

    expect(response.responsePlanNames).toEqual(['freight-page', 'freight-ticket']);
    expect(json(stack).Resources[idOf(ticket)].Properties!.IncidentTemplate).toEqual({
      Title: 'freight TICKET',
      Impact: 2,
      Summary: summary('ticket', 'critical'),
      DedupeString: 'freight-ticket',
      IncidentTags: INCIDENT_TAGS('critical'),
    });
    expect(json(stack).Resources[idOf(ticket)].Properties!.DisplayName).toBe('freight ticket incidents');
    expect(idOf(ticket)).toBe('FreightIncidentResponseTicket92510DA7');
  });

  test('the ticket impact stops at 5', () => {
    const { workload } = incidentApp({ tier: ServiceTier.BEST_EFFORT });
    const response = new IncidentResponse(workload, 'IncidentResponse', { severities: [Severity.TICKET] });
    expect(response.planFor(Severity.TICKET).impact).toBe(5);
    expect(response.plans.map((p) => p.responsePlanName)).toEqual(['freight-ticket']);
  });

  test('impact, summary, name prefix, engagements, chat channel, notification topics, runbook and setup', () => {
    const { stack, workload } = incidentApp({ setup: false });
    const setup = IncidentManagerSetup.fromReplicationSetArn(stack, 'Existing', `arn:aws:ssm-incidents::${ACCOUNT}:replication-set/x`);
    const chat = new sns.Topic(stack, 'Chat');
    const updates = new sns.Topic(stack, 'Updates');
    const plan = escalation(workload);
    const runbook = inspectRunbook(workload);
    const response = new IncidentResponse(workload, 'IncidentResponse', {
      setup,
      impact: 2,
      summary: 'Quotes are failing.',
      namePrefix: 'freight_quotes',
      severities: [Severity.PAGE, Severity.TICKET],
      engagements: [plan],
      chatChannel: chat,
      notificationTopics: [updates],
      automation: { runbook, parameters: { Mode: ['deep'] } },
    });
    const page = json(stack).Resources[idOf(response.pagePlan)].Properties!;
    expect(page).toMatchObject({
      Name: 'freight_quotes-page',
      IncidentTemplate: {
        Title: 'freight PAGE',
        Impact: 2,
        Summary: 'Quotes are failing.',
        DedupeString: 'freight_quotes-page',
        NotificationTargets: [{ SnsTopicArn: { Ref: idOf(updates) } }],
      },
      Engagements: [{ 'Fn::GetAtt': [idOf(plan), 'Arn'] }],
      ChatChannel: { ChatbotSns: [{ Ref: idOf(chat) }] },
      Actions: [{ SsmAutomation: { DocumentName: 'freight-inspect', Parameters: [{ Key: 'Mode', Values: ['deep'] }] } }],
    });
    expect(json(stack).Resources[idOf(response.planFor(Severity.TICKET))].Properties!.IncidentTemplate).toMatchObject({ Impact: 3 });
    expect(response.pagePlan.setup).toBe(setup);
    // One role per plan (each trusts only incidents of its plan); one topic policy statement per topic.
    expect(ofType(stack, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes('ssm-incidents'))).toHaveLength(2);
    expect(ofType(stack, 'AWS::SNS::TopicPolicy').map(([, r]) => (r.Properties!.PolicyDocument as { Statement: unknown[] }).Statement.length)).toEqual([1, 1]);
  });

  test('destinationFor: an Incident Manager destination for the plan of a severity', () => {
    const { workload } = incidentApp();
    const response = new IncidentResponse(workload, 'IncidentResponse');
    const destination = response.destinationFor(Severity.PAGE);
    expect([destination.kind, destination.description]).toEqual([AlarmDestinationKind.INCIDENT_MANAGER, 'Incident Manager response plan freight-page']);
  });
});

describe('IncidentResponse validation', () => {
  test('a plan for a severity it does not have', () => {
    const { workload } = incidentApp();
    const response = new IncidentResponse(workload, 'IncidentResponse');
    expect(() => response.planFor(Severity.TICKET))
      .toThrow('[Freight/Freight/IncidentResponse] has no response plan for severity TICKET (it has PAGE): add Severity.TICKET to severities.');
  });

  test('no severities, a severity twice', () => {
    const { workload } = incidentApp();
    expect(() => new IncidentResponse(workload, 'A', { severities: [] })).toThrow('[Freight/Freight/A] severities is empty: list at least Severity.PAGE.');
    expect(() => new IncidentResponse(workload, 'B', { severities: [Severity.PAGE, Severity.PAGE] }))
      .toThrow('[Freight/Freight/B] severities lists PAGE twice.');
  });

  test('a workload name that is no response plan name needs a name prefix', () => {
    const { workload } = incidentApp({ workloadName: 'freight.eu' });
    expect(() => new IncidentResponse(workload, 'IncidentResponse')).toThrow('[Freight/Freight/IncidentResponse/Page] response plan name ' +
      "'freight.eu-page' is invalid: use 1-200 letters, digits, '_' or '-' (Incident Manager rejects anything else).");
    expect(new IncidentResponse(workload, 'Prefixed', { namePrefix: 'freight-eu' }).responsePlanNames).toEqual(['freight-eu-page']);
  });

  test('impact out of range', () => {
    const { workload } = incidentApp();
    expect(() => new IncidentResponse(workload, 'IncidentResponse', { impact: 0 }))
      .toThrow('[Freight/Freight/IncidentResponse] impact must be a whole number at least 1 and at most 5, got 0. Give 1 (critical) to 5 ' +
        "(no impact), or leave impact out for the tier's.");
  });

  test('outside a workload', () => {
    const stack = new Stack(new App(), 'Loose', { env: { account: ACCOUNT, region: 'us-east-1' } });
    expect(() => new IncidentResponse(stack, 'IncidentResponse')).toThrow('[Loose/IncidentResponse] is not inside a Workload.');
  });

  test('no setup anywhere in the app', () => {
    const { workload } = incidentApp({ setup: false });
    expect(() => new IncidentResponse(workload, 'IncidentResponse')).toThrow('[Freight/Freight/IncidentResponse/Page] response plan ' +
      "'freight-page' needs Incident Manager's replication set, and the app defines none (yet): create `new IncidentManagerSetup(" +
      "platformStack, 'IncidentManager')` before the response plans, import an existing one with IncidentManagerSetup.fromReplicationSetArn(...), " +
      'or pass setup.');
  });

  test('the workload stays the only Workload construct of the scope', () => {
    const { workload } = incidentApp();
    expect(Workload.of(new IncidentResponse(workload, 'IncidentResponse'))).toBe(workload);
  });
});
