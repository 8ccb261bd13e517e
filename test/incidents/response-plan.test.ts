import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT, FUNCTION_ARN, escalation, idOf, importedRole, incidentApp, inspectRunbook, json, ofType } from './incident-fixtures';
import { Runbook, RunbookApproval, RunbookParameter, Step } from '../../src';
import { EscalationPlan, IncidentAutomation, IncidentManagerSetup, ResponsePlan, ResponsePlanProps } from '../../src/incidents';

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const PLAN = '/Freight/Plan';

/** A response plan `quotes-page` in the freight stack (setup in the platform stack), with `props`. */
function plan(props: Partial<ResponsePlanProps> = {}, options: Parameters<typeof incidentApp>[0] = {}) {
  const app = incidentApp(options);
  const p = new ResponsePlan(app.stack, 'Plan', { responsePlanName: 'quotes-page', title: 'Quotes down', impact: 2, ...props });
  return { ...app, plan: p };
}

/** The statements of each inline policy of a role resource. */
function inlineStatements(role: { Properties?: Record<string, unknown> }): unknown[][] {
  return ((role.Properties!.Policies ?? []) as Array<{ PolicyDocument: { Statement: unknown[] } }>).map((p) => p.PolicyDocument.Statement);
}

function planProps(stack: Stack, p: ResponsePlan): Record<string, unknown> {
  return json(stack).Resources[idOf(p)].Properties!;
}

describe('ResponsePlan defaults', () => {
  test('name, display name and dedupe string from the name; no summary, engagements, chat, notifications or actions', () => {
    const { stack, plan: p } = plan();
    expect(planProps(stack, p)).toEqual({
      Name: 'quotes-page',
      DisplayName: 'quotes-page',
      IncidentTemplate: { Title: 'Quotes down', Impact: 2, DedupeString: 'quotes-page' },
    });
    expect([p.responsePlanName, p.impact, p.automationRole]).toEqual(['quotes-page', 2, undefined]);
    expect(stack.resolve(p.responsePlanArn)).toEqual({ 'Fn::GetAtt': [idOf(p), 'Arn'] });
  });

  test('engaging nobody warns cdk-operable:incident-no-engagement', () => {
    const { stack } = plan();
    Annotations.fromStack(stack).hasWarning(PLAN, "response plan 'quotes-page' engages nobody: incidents open, but nobody is paged. " +
      'Engage an escalation plan (engagements: [escalationPlan]), OPS10-BP04. [ack: cdk-operable:incident-no-engagement]');
  });

  test('depends on the replication set: a stack dependency across stacks, DependsOn within one', () => {
    const { app, stack, platform, plan: p } = plan();
    expect(p.resource.obtainDependencies().map((d) => d.node.path)).toEqual([`${platform.node.path}/IncidentManager/Resource`]);
    expect(app.synth().getStackArtifact(stack.artifactId).dependencies.map((d) => d.id)).toContain('Platform');

    const local = new Stack(undefined, 'Local', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const setup = new IncidentManagerSetup(local, 'IncidentManager');
    const q = new ResponsePlan(local, 'Plan', { responsePlanName: 'x', title: 'x', impact: 1, setup });
    expect(json(local).Resources[idOf(q)].DependsOn).toEqual([idOf(setup)]);
  });
});

describe('ResponsePlan overrides', () => {
  test('display name, summary, dedupe string, incident tags, engagements, chat channel and notification topics', () => {
    const app = incidentApp();
    const chat = new sns.Topic(app.stack, 'Chat');
    const updates = new sns.Topic(app.stack, 'Updates');
    const contact = escalation(app.stack);
    const p = new ResponsePlan(app.stack, 'Plan', {
      responsePlanName: 'quotes-page',
      displayName: 'Quotes pages',
      title: 'Quotes down',
      impact: 1,
      summary: 'Quotes fail.',
      dedupeString: 'quotes',
      incidentTags: { team: 'pricing' },
      engagements: [contact],
      chatChannel: chat,
      notificationTopics: [updates],
    });
    expect(planProps(app.stack, p)).toEqual({
      Name: 'quotes-page',
      DisplayName: 'Quotes pages',
      IncidentTemplate: {
        Title: 'Quotes down',
        Impact: 1,
        Summary: 'Quotes fail.',
        DedupeString: 'quotes',
        IncidentTags: [{ Key: 'team', Value: 'pricing' }],
        NotificationTargets: [{ SnsTopicArn: { Ref: idOf(updates) } }],
      },
      Engagements: [{ 'Fn::GetAtt': [idOf(contact), 'Arn'] }],
      ChatChannel: { ChatbotSns: [{ Ref: idOf(chat) }] },
    });
    Template.fromStack(app.stack).resourcePropertiesCountIs('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'IncidentManagerPublish',
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'ssm-incidents.amazonaws.com' },
          Resource: Match.anyValue(),
          Condition: { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } },
        }],
        Version: '2012-10-17',
      },
    }, 2);
  });
});

describe('ResponsePlan automation', () => {
  test('starts the runbook with INVOLVED_RESOURCES and INCIDENT_RECORD_ARN into the declared parameters, plus fixed ones', () => {
    const app = incidentApp();
    const runbook = inspectRunbook(app.workload);
    const p = new ResponsePlan(app.stack, 'Plan', {
      responsePlanName: 'quotes-page', title: 'Quotes down', impact: 2, automation: { runbook, parameters: { Mode: ['deep'] } },
    });
    expect(planProps(app.stack, p).Actions).toEqual([{
      SsmAutomation: {
        DocumentName: 'freight-inspect',
        RoleArn: { 'Fn::GetAtt': [idOf(p.automationRole!), 'Arn'] },
        Parameters: [{ Key: 'Mode', Values: ['deep'] }],
        DynamicParameters: [
          { Key: 'InvolvedResources', Value: { Variable: 'INVOLVED_RESOURCES' } },
          { Key: 'IncidentRecordArn', Value: { Variable: 'INCIDENT_RECORD_ARN' } },
        ],
      },
    }]);
    // The runbook (its document and its role) exists before the plan can start it; the automation role (and its inline
    // policy) through the GetAtt above, with no redundant DependsOn on it (cfn-lint W3005).
    expect(json(app.stack).Resources[idOf(p)].DependsOn).toEqual([idOf(runbook.document), idOf(runbook.role)]);
  });

  test('the role: assumed by ssm-incidents for incidents of this plan only, starts only this runbook, passes only its role', () => {
    const app = incidentApp();
    const runbook = inspectRunbook(app.workload);
    const p = new ResponsePlan(app.stack, 'Plan', {
      responsePlanName: 'quotes-page', title: 'Quotes down', impact: 2, automation: { runbook, parameters: { Mode: ['deep'] } },
    });
    const resources = json(app.stack).Resources;
    expect(resources[idOf(p.automationRole!)].Properties!.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'ssm-incidents.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: { 'aws:SourceArn': partitionArn(`:ssm-incidents:*:${ACCOUNT}:incident-record/quotes-page/*`) },
        },
      }],
    });
    expect(ofType(app.stack, 'AWS::IAM::Policy').filter(([, r]) => JSON.stringify(r.Properties!.Roles) === JSON.stringify([{ Ref: idOf(p.automationRole!) }])))
      .toEqual([]);
    expect(inlineStatements(resources[idOf(p.automationRole!)])).toEqual([[
      {
        Action: 'ssm:StartAutomationExecution',
        Effect: 'Allow',
        Resource: [
          partitionArn(`:ssm:us-east-1:${ACCOUNT}:automation-definition/freight-inspect:*`),
          partitionArn(`:ssm:us-east-1:${ACCOUNT}:document/freight-inspect`),
          partitionArn(`:ssm:us-east-1:${ACCOUNT}:automation-execution/*`),
        ],
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [idOf(runbook.role), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      },
    ]]);
  });

  test('parameters named otherwise; an imported runbook with unknown parameters and no role', () => {
    const app = incidentApp();
    const runbook = inspectRunbook(app.workload, [
      RunbookParameter.ofStringList('Targets', { description: 'Resources.' }),
      RunbookParameter.ofString('Incident', { description: 'Incident ARN.' }),
    ]);
    const p = new ResponsePlan(app.stack, 'Plan', {
      responsePlanName: 'quotes-page',
      title: 'Quotes down',
      impact: 2,
      automation: { runbook, involvedResourcesParameter: 'Targets', incidentRecordArnParameter: 'Incident' },
    });
    const shared = Runbook.fromDocumentName(app.stack, 'Shared', 'sre-collect-diagnostics');
    const q = new ResponsePlan(app.stack, 'Imported', {
      responsePlanName: 'quotes-ticket', title: 'Quotes slow', impact: 4, automation: { runbook: shared, involvedResourcesParameter: 'ResourceArns' },
    });
    expect((planProps(app.stack, p).Actions as [{ SsmAutomation: Record<string, unknown> }])[0].SsmAutomation.DynamicParameters).toEqual([
      { Key: 'Targets', Value: { Variable: 'INVOLVED_RESOURCES' } },
      { Key: 'Incident', Value: { Variable: 'INCIDENT_RECORD_ARN' } },
    ]);
    expect((planProps(app.stack, q).Actions as [{ SsmAutomation: Record<string, unknown> }])[0].SsmAutomation).toEqual({
      DocumentName: 'sre-collect-diagnostics',
      RoleArn: { 'Fn::GetAtt': [idOf(q.automationRole!), 'Arn'] },
      DynamicParameters: [{ Key: 'ResourceArns', Value: { Variable: 'INVOLVED_RESOURCES' } }],
    });
    const statements = inlineStatements(json(app.stack).Resources[idOf(q.automationRole!)]).flat().map((st) => (st as { Action: string }).Action);
    expect(statements).toEqual(['ssm:StartAutomationExecution']);
  });

  test('a runbook without an involved-resources parameter warns', () => {
    const app = incidentApp();
    const runbook = inspectRunbook(app.workload, [RunbookParameter.ofString('Mode', { description: 'Mode.', defaultValue: 'quick' })]);
    const p = new ResponsePlan(app.stack, 'Plan', { responsePlanName: 'quotes-page', title: 'Quotes down', impact: 2, automation: { runbook } });
    expect((planProps(app.stack, p).Actions as [{ SsmAutomation: Record<string, unknown> }])[0].SsmAutomation.DynamicParameters).toBeUndefined();
    Annotations.fromStack(app.stack).hasWarning(PLAN, "runbook 'freight-inspect' gets no involved resources: it declares no StringList parameter " +
      "'InvolvedResources'. Add one, or name another with automation.involvedResourcesParameter. [ack: cdk-operable:incident-runbook-resources]");
  });

  test('a runbook with a given role passes that role', () => {
    const app = incidentApp();
    const runbook = new Runbook(app.workload, 'WithRole', {
      documentName: 'freight-given',
      description: { purpose: 'x', whenToUse: ['x'] },
      parameters: [RunbookParameter.ofStringList('InvolvedResources', { description: 'x' })],
      role: importedRole(app.stack),
      approval: RunbookApproval.none('read-only'),
      steps: [Step.executeAwsApi({ name: 'Read', service: 'lambda', api: 'GetAlias', inputs: { FunctionName: 'quotes', Name: 'live' }, resources: [FUNCTION_ARN] })],
    });
    const p = new ResponsePlan(app.stack, 'Plan', { responsePlanName: 'quotes-page', title: 'Quotes down', impact: 2, automation: { runbook } });
    expect(inlineStatements(json(app.stack).Resources[idOf(p.automationRole!)]).flat())
      .toEqual(expect.arrayContaining([expect.objectContaining({ Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/inspect` })]));
  });

  describe('bad automation', () => {
    const automate = (automation: Partial<IncidentAutomation>, parameters?: RunbookParameter[]) => {
      const app = incidentApp();
      return () => new ResponsePlan(app.stack, 'Plan', {
        responsePlanName: 'quotes-page',
        title: 'Quotes down',
        impact: 2,
        automation: { runbook: inspectRunbook(app.workload, parameters), parameters: { Mode: ['deep'] }, ...automation },
      });
    };

    test('an involved-resources parameter the runbook does not declare, or of the wrong type', () => {
      expect(automate({ involvedResourcesParameter: 'Targets' })).toThrow(`[${PLAN.slice(1)}] automation.involvedResourcesParameter 'Targets' ` +
        "is not a parameter of runbook 'freight-inspect' (it takes InvolvedResources, IncidentRecordArn, Mode).");
      expect(automate({ involvedResourcesParameter: 'Mode', parameters: {} })).toThrow("automation.involvedResourcesParameter 'Mode' of " +
        "runbook 'freight-inspect' is a String, but Incident Manager passes INVOLVED_RESOURCES as a StringList: declare it with RunbookParameter.ofStringList.");
      expect(automate({ incidentRecordArnParameter: 'InvolvedResources', involvedResourcesParameter: 'InvolvedResources' }))
        .toThrow("automation.incidentRecordArnParameter 'InvolvedResources' of runbook 'freight-inspect' is a StringList, but Incident Manager " +
          'passes INCIDENT_RECORD_ARN as a String: declare it with RunbookParameter.ofString.');
    });

    test('fixed parameters: unknown, also dynamic, too many values, a key too long, required ones missing', () => {
      expect(automate({ parameters: { Mode: ['deep'], Depth: ['3'] } }))
        .toThrow("automation.parameters 'Depth' is not a parameter of runbook 'freight-inspect' (it takes InvolvedResources, IncidentRecordArn, Mode).");
      expect(automate({ parameters: { Mode: ['deep'], InvolvedResources: ['arn:aws:sns:us-east-1:1:x'] } }))
        .toThrow("automation.parameters 'InvolvedResources' is also filled by Incident Manager (INVOLVED_RESOURCES): remove it.");
      expect(automate({ parameters: { Mode: Array.from({ length: 11 }, (_, i) => `${i}`) } }))
        .toThrow("automation.parameters 'Mode' has 11 values; a response plan passes 1 to 10 per parameter.");
      expect(automate({ parameters: { Mode: [] } })).toThrow("automation.parameters 'Mode' has 0 values; a response plan passes 1 to 10 per parameter.");
      expect(automate({ parameters: { ['K'.repeat(51)]: ['x'] } })).toThrow(`automation.parameters key '${'K'.repeat(51)}' must be 1-50 characters.`);
      expect(automate({ parameters: {} }))
        .toThrow("runbook 'freight-inspect' needs parameter(s) Mode, which the response plan does not pass: add them to automation.parameters.");
    });
  });
});

describe('ResponsePlan validation', () => {
  test.each([
    ['quotes page', "response plan name 'quotes page' is invalid: use 1-200 letters, digits, '_' or '-' (Incident Manager rejects anything else)."],
    ['freight.quotes', "response plan name 'freight.quotes' is invalid: use 1-200 letters, digits, '_' or '-' (Incident Manager rejects anything else)."],
    ['', "response plan name '' is invalid: use 1-200 letters, digits, '_' or '-' (Incident Manager rejects anything else)."],
    ['p'.repeat(201), `response plan name '${'p'.repeat(201)}' is invalid: use 1-200 letters, digits, '_' or '-' (Incident Manager rejects anything else).`],
  ])('name %p', (responsePlanName, message) => {
    expect(() => plan({ responsePlanName })).toThrow(`[Freight/Plan] ${message}`);
  });

  test('a token name', () => {
    const app = incidentApp();
    expect(() => new ResponsePlan(app.stack, 'Plan', { responsePlanName: Lazy.string({ produce: () => 'p' }), title: 'x', impact: 1 }))
      .toThrow('[Freight/Plan] responsePlanName must be a plain string known at synth (alarm actions name the plan), got a token.');
  });

  test.each([[0], [6], [2.5]])('impact %p', (impact) => {
    expect(() => plan({ impact })).toThrow(`[Freight/Plan] impact must be a whole number from 1 (critical) to 5 (no impact), got ${impact}.`);
  });

  test('template lengths', () => {
    expect(() => plan({ title: 't'.repeat(201) })).toThrow('[Freight/Plan] title is 201 characters; it must be 1-200.');
    expect(() => plan({ title: '' })).toThrow('[Freight/Plan] title is 0 characters; it must be 1-200.');
    expect(() => plan({ summary: 's'.repeat(4001) })).toThrow('[Freight/Plan] summary is 4001 characters; it must be 1-4000.');
    expect(() => plan({ dedupeString: 'd'.repeat(1001) })).toThrow('[Freight/Plan] dedupeString is 1001 characters; it must be 1-1000.');
    expect(() => plan({ displayName: 'd'.repeat(201) })).toThrow('[Freight/Plan] displayName is 201 characters; it must be 1-200.');
  });

  test('more than 5 engagements, more than 10 topics, bad incident tags', () => {
    const app = incidentApp();
    const contacts = Array.from({ length: 6 }, (_, i) => EscalationPlan.fromContactArn(app.stack, `C${i}`, `arn:aws:ssm-contacts:us-east-1:${ACCOUNT}:contact/c${i}`));
    expect(() => new ResponsePlan(app.stack, 'Plan', { responsePlanName: 'p', title: 't', impact: 1, engagements: contacts }))
      .toThrow('[Freight/Plan] engagements has 6 contacts (c0, c1, c2, c3, c4, c5); a response plan engages at most 5: engage an escalation plan that stages them.');
    const topics = Array.from({ length: 11 }, (_, i) => new sns.Topic(app.stack, `T${i}`));
    expect(() => new ResponsePlan(app.stack, 'Plan2', { responsePlanName: 'p', title: 't', impact: 1, notificationTopics: topics }))
      .toThrow('[Freight/Plan2] notificationTopics has 11 topics; a response plan notifies at most 10.');
    expect(() => new ResponsePlan(app.stack, 'Plan3', { responsePlanName: 'p', title: 't', impact: 1, incidentTags: { 'aws:team': 'x' } }))
      .toThrow("[Freight/Plan3] incident tag 'aws:team=x' is invalid: keys are 1-128 letters, digits or + - = . _ : / (not starting with aws:), values 1-256 characters.");
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(() => new ResponsePlan(app.stack, 'Plan4', { responsePlanName: 'p', title: 't', impact: 1, incidentTags: many }))
      .toThrow('[Freight/Plan4] incidentTags has 51 tags; incidents take at most 50.');
  });

  test('no setup in the app', () => {
    expect(() => plan({}, { setup: false })).toThrow("[Freight/Plan] response plan 'quotes-page' needs Incident Manager's replication set, and the " +
      "app defines none (yet): create `new IncidentManagerSetup(platformStack, 'IncidentManager')` before the response plans, import an " +
      'existing one with IncidentManagerSetup.fromReplicationSetArn(...), or pass setup.');
  });

  test('a setup of another account or without the plan\'s region', () => {
    const app = incidentApp({ setup: false });
    const elsewhere = new Stack(app.app, 'Elsewhere', { env: { account: '210987654321', region: 'us-east-1' } });
    const foreign = new IncidentManagerSetup(elsewhere, 'IncidentManager');
    expect(() => new ResponsePlan(app.stack, 'Plan', { responsePlanName: 'p', title: 't', impact: 1, setup: foreign }))
      .toThrow(`[Freight/Plan] response plan 'p' is in account ${ACCOUNT}, but its setup Elsewhere/IncidentManager is in account 210987654321: ` +
        `the replication set is per account; use the setup of ${ACCOUNT}.`);
    const europe = IncidentManagerSetup.fromReplicationSetArn(app.stack, 'Europe', `arn:aws:ssm-incidents::${ACCOUNT}:replication-set/x`, ['eu-west-1', 'eu-central-1']);
    expect(() => new ResponsePlan(app.stack, 'Plan2', { responsePlanName: 'p', title: 't', impact: 1, setup: europe }))
      .toThrow("[Freight/Plan2] response plan 'p' is in region us-east-1, which the replication set Freight/Europe does not include " +
        "(eu-west-1, eu-central-1): add the region to the setup's regions, or define the plan in one of them.");
  });
});
