import { App, CfnWaitConditionHandle, Tags } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as ssmcontacts from 'aws-cdk-lib/aws-ssmcontacts';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import { check, findings, fnProps, newStack } from './helpers';
import { OperationalExcellenceChecks, ServiceTier, Workload } from '../../../src';

const RULE = 'OPS-OwnershipTags';
const OWNERSHIP = { 'ops:owner': 'pricing', 'ops:oncall': 'pricing-oncall@example.com', 'ops:tier': 'standard' };

function tagAll(scope: Parameters<typeof Tags.of>[0], tags: Record<string, string> = OWNERSHIP): void {
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
}

describe('OPS-OwnershipTags', () => {
  test('an untagged resource gets one finding per missing key, on its own construct path', () => {
    const { app, stack } = newStack();
    new sns.Topic(stack, 'Topic');
    expect(findings(app, RULE)).toEqual([
      { ruleName: 'OPS-OwnershipTags[ops:owner]', constructPath: 'Test/Topic/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:oncall]', constructPath: 'Test/Topic/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:tier]', constructPath: 'Test/Topic/Resource' },
    ]);
  });

  test('only the missing keys are reported, and findings group every resource missing the same key', () => {
    const { app, stack } = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const queue = new sqs.Queue(stack, 'Queue');
    Tags.of(topic).add('ops:owner', 'pricing');
    Tags.of(queue).add('ops:owner', 'pricing');
    Tags.of(queue).add('ops:tier', 'critical');
    expect(findings(app, RULE)).toEqual([
      { ruleName: 'OPS-OwnershipTags[ops:oncall]', constructPath: 'Test/Topic/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:oncall]', constructPath: 'Test/Queue/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:tier]', constructPath: 'Test/Topic/Resource' },
    ]);
  });

  test('tags added with Tags.of(stack) comply: they are seen once the app is synthesized (aspects)', () => {
    const { app, stack } = newStack();
    new sns.Topic(stack, 'Topic');
    new sqs.Queue(stack, 'Queue');
    new lambda.Function(stack, 'Fn', fnProps());
    tagAll(stack);
    expect(findings(app, RULE)).toEqual([]);
  });

  test('tags added with Tags.of(app) comply across stacks', () => {
    const app = new App();
    new sns.Topic(newStack('One', app).stack, 'Topic');
    new sqs.Queue(newStack('Two', app).stack, 'Queue');
    tagAll(app);
    expect(findings(app, RULE)).toEqual([]);
  });

  test('without synth the aspects have not run yet: the pack reads the tree as it is (why the helper synthesizes)', () => {
    const { app, stack } = newStack();
    new sns.Topic(stack, 'Topic');
    tagAll(stack);
    const report = new OperationalExcellenceChecks().validateScope(app);
    expect(report.violations.filter((v) => v.ruleName.startsWith(`${RULE}[`)).map((v) => v.ruleName)).toEqual([
      'OPS-OwnershipTags[ops:owner]', 'OPS-OwnershipTags[ops:oncall]', 'OPS-OwnershipTags[ops:tier]',
    ]);
    app.synth();
    expect(new OperationalExcellenceChecks().validateScope(app).violations.filter((v) => v.ruleName.startsWith(RULE))).toEqual([]);
  });

  test('a blank tag value counts as missing', () => {
    const { app, stack } = newStack();
    new sns.CfnTopic(stack, 'Topic', {
      tags: [{ key: 'ops:owner', value: '  ' }, { key: 'ops:oncall', value: 'pricing-oncall' }, { key: 'ops:tier', value: 'standard' }],
    });
    expect(findings(app, RULE)).toEqual([{ ruleName: 'OPS-OwnershipTags[ops:owner]', constructPath: 'Test/Topic' }]);
  });

  test('tags set on the L1 and tags set by a property override (escape hatch) comply: the rendered template is read', () => {
    const { app, stack } = newStack();
    new sns.CfnTopic(stack, 'L1', { tags: Object.entries(OWNERSHIP).map(([key, value]) => ({ key, value })) });
    const overridden = new sqs.CfnQueue(stack, 'Overridden');
    overridden.addPropertyOverride('Tags', Object.entries(OWNERSHIP).map(([Key, Value]) => ({ Key, Value })));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('a property override that replaces the tags removes them', () => {
    const { app, stack } = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    tagAll(stack);
    (topic.node.defaultChild as sns.CfnTopic).addPropertyOverride('Tags', [{ Key: 'ops:owner', Value: 'pricing' }]);
    expect(findings(app, RULE)).toEqual([
      { ruleName: 'OPS-OwnershipTags[ops:oncall]', constructPath: 'Test/Topic/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:tier]', constructPath: 'Test/Topic/Resource' },
    ]);
  });

  test('map-style tags (AWS::SSM::Parameter) are read too', () => {
    const { app, stack } = newStack();
    new ssm.StringParameter(stack, 'Untagged', { stringValue: 'x' });
    tagAll(new ssm.StringParameter(stack, 'Tagged', { stringValue: 'x' }));
    const template = app.synth().getStackByName('Test').template as { Resources: Record<string, { Properties: { Name?: unknown; Tags?: unknown } }> };
    expect(Object.values(template.Resources).map((r) => r.Properties.Tags)).toEqual([undefined, OWNERSHIP]);
    expect(findings(app, RULE)).toEqual([
      { ruleName: 'OPS-OwnershipTags[ops:owner]', constructPath: 'Test/Untagged/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:oncall]', constructPath: 'Test/Untagged/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:tier]', constructPath: 'Test/Untagged/Resource' },
    ]);
  });

  test('resources whose tags live in another property (EFS FileSystemTags, Cognito UserPoolTags, Route 53 HostedZoneTags) comply', () => {
    const { app, stack } = newStack();
    new efs.FileSystem(stack, 'Files', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] }) });
    new cognito.UserPool(stack, 'Users');
    new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    tagAll(stack);
    const template = app.synth().getStackByName('Test').template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const props = (type: string) => Object.values(template.Resources).find((r) => r.Type === type)!.Properties;
    expect(props('AWS::EFS::FileSystem').FileSystemTags).toEqual(expect.arrayContaining([{ Key: 'ops:owner', Value: 'pricing' }]));
    expect(props('AWS::Cognito::UserPool').UserPoolTags).toEqual(expect.objectContaining({ 'ops:owner': 'pricing' }));
    expect(props('AWS::Route53::HostedZone').HostedZoneTags).toEqual(expect.arrayContaining([{ Key: 'ops:owner', Value: 'pricing' }]));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('L1 resources with the newer tag manager (cdkTagManager, e.g. an Incident Manager response plan) are checked too', () => {
    const { app, stack } = newStack();
    new ssmincidents.CfnResponsePlan(stack, 'Plan', { name: 'pricing-page', incidentTemplate: { title: 'pricing', impact: 1 } });
    expect(findings(app, RULE).map((f) => f.constructPath)).toEqual(['Test/Plan', 'Test/Plan', 'Test/Plan']);
  });

  test('SSM Contacts resources are exempt: the service rejects ":" in tag keys', () => {
    const { app, stack } = newStack();
    new ssmcontacts.CfnContact(stack, 'Contact', { alias: 'pricing-oncall', displayName: 'Pricing on-call', type: 'PERSONAL' });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('resources CloudFormation cannot tag are not applicable (Lambda permission, wait condition handle, IAM policy)', () => {
    const { app, stack } = newStack();
    const fn = new lambda.Function(stack, 'Fn', fnProps());
    tagAll(fn);
    fn.addPermission('Invoke', { principal: new iam.ServicePrincipal('events.amazonaws.com') });
    new CfnWaitConditionHandle(stack, 'Handle');
    new lambda.CfnPermission(stack, 'Permission', { action: 'lambda:InvokeFunction', functionName: 'f', principal: 's3.amazonaws.com' });
    new iam.CfnPolicy(stack, 'Policy', {
      policyName: 'p',
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
      roles: ['r'],
    });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('a cdk-operable Workload tags every resource under it; resources outside it are still reported', () => {
    const { app, stack } = newStack();
    const workload = new Workload(stack, 'Freight', {
      workloadName: 'freight',
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
      tier: ServiceTier.CRITICAL,
    });
    new sns.Topic(workload, 'Inside');
    new sqs.Queue(workload, 'Queue');
    new sns.Topic(stack, 'Outside');
    const report = check(app);
    expect(report.of(RULE)).toEqual([
      { ruleName: 'OPS-OwnershipTags[ops:owner]', constructPath: 'Test/Outside/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:oncall]', constructPath: 'Test/Outside/Resource' },
      { ruleName: 'OPS-OwnershipTags[ops:tier]', constructPath: 'Test/Outside/Resource' },
    ]);
    expect(report.report.violations.find((v) => v.ruleName === 'OPS-OwnershipTags[ops:owner]')!.severity).toBe('error');
    expect(report.report.success).toBe(false);
  });
});
