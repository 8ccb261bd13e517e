import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { alarmArn, HANDLER, logicalId, only, profileId, resources, sampleFlags, standalone, withFunction, workloadIn } from './support';
import { OperableFunction, OperationalExcellenceChecks } from '../../src';
import { FeatureFlags, Flag } from '../../src/flags';
import { testStack } from '../support/fixtures';

const ORR_TAGS = [
  { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
  { Key: 'ops:owner', Value: 'pricing' },
  { Key: 'ops:service', Value: 'quotes' },
  { Key: 'ops:tier', Value: 'standard' },
  { Key: 'ops:workload', Value: 'freight' },
];
const APPCONFIG_TYPES = ['Application', 'Environment', 'ConfigurationProfile', 'DeploymentStrategy', 'Deployment'].map((t) => `AWS::AppConfig::${t}`);

describe('defaults, under a service (FeatureFlags under an OperableFunction)', () => {
  const s = withFunction();
  const template = Template.fromStack(s.stack);
  const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: logicalId(s.stack, c) });

  test('an application named <workload>-<service>-<id>, described', () => {
    expect(only(s.stack, 'AWS::AppConfig::Application').Properties).toEqual({
      Name: 'freight-quotes-feature-flags',
      Description: 'Feature flags of service quotes of workload freight (cdk-operable).',
      Tags: ORR_TAGS,
    });
    expect(s.flags.applicationName).toBe('freight-quotes-feature-flags');
  });

  test("one environment 'prod', monitored by the service's and the workload's page composites through one role", () => {
    const role = logicalId(s.stack, s.flags.node.findChild('MonitorRole'));
    expect(only(s.stack, 'AWS::AppConfig::Environment').Properties).toEqual({
      ApplicationId: ref(s.flags.application),
      Name: 'prod',
      Monitors: [
        { AlarmArn: alarmArn('freight-quotes-page'), AlarmRoleArn: { 'Fn::GetAtt': [role, 'Arn'] } },
        { AlarmArn: alarmArn('freight-page'), AlarmRoleArn: { 'Fn::GetAtt': [role, 'Arn'] } },
      ],
      Tags: ORR_TAGS,
    });
    expect(s.flags.monitors).toEqual([s.fn.pageAlarm, s.fn.rollup.pageAlarm]);
    expect(s.flags.environments.map((e) => e.name)).toEqual(['prod']);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'appconfig.amazonaws.com' } }] },
      Policies: [{ PolicyName: 'DescribeAlarms', PolicyDocument: { Statement: [{ Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: '*' }] } }],
    });
  });

  test('the monitors name composites that exist in the template, with those names', () => {
    const names = resources(s.stack, 'AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties.AlarmName);
    expect(names).toEqual(expect.arrayContaining(['freight-quotes-page', 'freight-page']));
  });

  test('a FeatureFlags profile named feature-flags, hosted, with a JSON Schema validator', () => {
    expect(only(s.stack, 'AWS::AppConfig::ConfigurationProfile').Properties).toEqual({
      ApplicationId: ref(s.flags.application),
      Name: 'feature-flags',
      Type: 'AWS.AppConfig.FeatureFlags',
      LocationUri: 'hosted',
      Description: 'Flags fast_quotes, new_checkout',
      Validators: [{ Type: 'JSON_SCHEMA', Content: s.flags.validatorSchema }],
      Tags: ORR_TAGS,
    });
    expect(JSON.parse(s.flags.validatorSchema!)).toMatchObject({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'freight-quotes-feature-flags/feature-flags' });
  });

  test('a linear strategy: 20 % every 2 minutes over 10 minutes, then 10 minutes of bake', () => {
    expect(only(s.stack, 'AWS::AppConfig::DeploymentStrategy').Properties).toEqual({
      Name: 'freight-quotes-feature-flags-rollout',
      Description: "Rolls out freight-quotes-feature-flags; the environment's monitors roll it back.",
      GrowthType: 'LINEAR',
      GrowthFactor: 20,
      DeploymentDurationInMinutes: 10,
      FinalBakeTimeInMinutes: 10,
      ReplicateTo: 'NONE',
      Tags: ORR_TAGS,
    });
  });

  test('the first version is deployed to prod with that strategy, after the monitored composites exist', () => {
    const [[, deployment]] = resources(s.stack, 'AWS::AppConfig::Deployment');
    const [[versionId]] = resources(s.stack, 'AWS::AppConfig::HostedConfigurationVersion');
    expect(deployment.Properties).toEqual({
      ApplicationId: ref(s.flags.application),
      EnvironmentId: ref(s.flags.environments[0]),
      ConfigurationProfileId: { Ref: profileId(s.stack, s.flags) },
      ConfigurationVersion: { Ref: versionId },
      DeploymentStrategyId: ref(s.flags.deploymentStrategy as appconfig.DeploymentStrategy),
      Description: 'Flags fast_quotes, new_checkout',
      Tags: ORR_TAGS,
    });
    expect(deployment.DependsOn).toEqual([logicalId(s.stack, s.fn.pageAlarm), logicalId(s.stack, s.fn.rollup.pageAlarm)]);
  });

  test('every AppConfig resource carries the ORR tags; no deletion protection override', () => {
    for (const type of APPCONFIG_TYPES) {
      for (const [, r] of resources(s.stack, type)) {
        expect(r.Properties.Tags).toEqual(ORR_TAGS);
        expect(r.Properties.DeletionProtectionCheck).toBeUndefined();
      }
    }
  });

  test('the template deploys without a dependency cycle and the rule pack finds no OPS-FlagMonitors violation', () => {
    expect(() => s.app.synth()).not.toThrow();
    const report = new OperationalExcellenceChecks().validateScope(s.app);
    expect(report.violations.filter((v) => v.ruleName === 'OPS-FlagMonitors')).toEqual([]);
  });
});

describe('overrides', () => {
  test('applicationName, profileName, two environments: each monitored and deployed (one deployment per environment)', () => {
    const s = withFunction({ applicationName: 'checkout-flags', profileName: 'flags', environments: ['staging', 'prod'] });
    expect(only(s.stack, 'AWS::AppConfig::Application').Properties.Name).toBe('checkout-flags');
    expect(only(s.stack, 'AWS::AppConfig::ConfigurationProfile').Properties.Name).toBe('flags');
    const envs = resources(s.stack, 'AWS::AppConfig::Environment');
    expect(envs.map(([, r]) => [r.Properties.Name, r.Properties.Monitors.length])).toEqual([['staging', 2], ['prod', 2]]);
    const deployments = resources(s.stack, 'AWS::AppConfig::Deployment');
    expect(deployments.map(([, d]) => d.Properties.EnvironmentId)).toEqual(envs.map(([id]) => ({ Ref: id })));
    const pages = [logicalId(s.stack, s.fn.pageAlarm), logicalId(s.stack, s.fn.rollup.pageAlarm)];
    expect(deployments.map(([, d]) => d.DependsOn)).toEqual([pages, pages]);
    expect(s.flags.environment('staging')).toBe(s.flags.environments[0]);
  });

  test('monitors replace the defaults: a named alarm of the stack by ARN, an imported one as given, an unnamed one by GetAtt', () => {
    const { stack } = testStack();
    const workload = workloadIn(stack);
    const metric = new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Errors' });
    const named = metric.createAlarm(stack, 'Named', { alarmName: 'checkout-errors', threshold: 1, evaluationPeriods: 1 });
    const unnamed = metric.createAlarm(stack, 'Unnamed', { threshold: 1, evaluationPeriods: 1 });
    const imported = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:shared');
    const flags = new FeatureFlags(workload, 'Flags', { flags: sampleFlags(), monitors: [named, imported, unnamed] });
    const monitors = only(stack, 'AWS::AppConfig::Environment').Properties.Monitors as unknown as Array<{ AlarmArn: unknown }>;
    expect(monitors.map((m) => m.AlarmArn)).toEqual([
      alarmArn('checkout-errors'),
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:shared',
      { 'Fn::GetAtt': [logicalId(stack, unnamed), 'Arn'] },
    ]);
    expect(flags.monitors).toEqual([named, imported, unnamed]);
    expect(only(stack, 'AWS::AppConfig::Deployment').DependsOn).toEqual([logicalId(stack, named)]);
    // Outside a service with monitors given, no rollup is created.
    expect(resources(stack, 'AWS::CloudWatch::CompositeAlarm')).toEqual([]);
  });

  test('monitors: [] turns rollback off: no monitors, no role, and the rule pack reports OPS-FlagMonitors', () => {
    const s = withFunction({ monitors: [] });
    expect(only(s.stack, 'AWS::AppConfig::Environment').Properties.Monitors).toEqual([]);
    expect(s.flags.node.tryFindChild('MonitorRole')).toBeUndefined();
    s.app.synth();
    const report = new OperationalExcellenceChecks().validateScope(s.app);
    expect(report.violations.filter((v) => v.ruleName === 'OPS-FlagMonitors').flatMap((v) => v.violatingResources.map((r) => r.constructPath)))
      .toEqual(['Test/Freight/Quotes/FeatureFlags/EnvironmentProd/Resource']);
  });

  test('rolloutStrategy creates a strategy with that curve', () => {
    const s = withFunction({
      rolloutStrategy: appconfig.RolloutStrategy.exponential({
        growthFactor: 10, deploymentDuration: Duration.minutes(30), finalBakeTime: Duration.minutes(15),
      }),
    });
    expect(only(s.stack, 'AWS::AppConfig::DeploymentStrategy').Properties).toMatchObject({
      GrowthType: 'EXPONENTIAL', GrowthFactor: 10, DeploymentDurationInMinutes: 30, FinalBakeTimeInMinutes: 15,
    });
  });

  test('existingDeploymentStrategy: an existing strategy is used, none is created', () => {
    const { stack } = testStack();
    const workload = workloadIn(stack);
    new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
    const existing = appconfig.DeploymentStrategy.fromDeploymentStrategyId(stack, 'Quick', appconfig.DeploymentStrategyId.LINEAR_20_PERCENT_EVERY_6_MINUTES);
    const flags = new FeatureFlags(workload, 'Flags', { flags: sampleFlags(), existingDeploymentStrategy: existing });
    expect(resources(stack, 'AWS::AppConfig::DeploymentStrategy')).toEqual([]);
    expect(only(stack, 'AWS::AppConfig::Deployment').Properties.DeploymentStrategyId).toBe('AppConfig.Linear20PercentEvery6Minutes');
    expect(flags.deploymentStrategy).toBe(existing);
  });

  test('schemaValidator: false attaches no validator', () => {
    const s = withFunction({ schemaValidator: false });
    expect(only(s.stack, 'AWS::AppConfig::ConfigurationProfile').Properties.Validators).toBeUndefined();
    expect(s.flags.validatorSchema).toBeUndefined();
  });

  test('deletionProtectionCheck reaches the environments and the profile', () => {
    const s = withFunction({ deletionProtectionCheck: appconfig.DeletionProtectionCheck.BYPASS });
    expect(only(s.stack, 'AWS::AppConfig::Environment').Properties.DeletionProtectionCheck).toBe('BYPASS');
    expect(only(s.stack, 'AWS::AppConfig::ConfigurationProfile').Properties.DeletionProtectionCheck).toBe('BYPASS');
  });
});

describe('outside a service', () => {
  test("named <workload>-<id>, monitored by the workload's page composite only, untagged by any service", () => {
    const s = standalone();
    expect(only(s.stack, 'AWS::AppConfig::Application').Properties).toMatchObject({
      Name: 'freight-flags', Description: 'Feature flags of workload freight (cdk-operable).',
    });
    expect(s.flags.monitors).toEqual([s.service!.rollup.pageAlarm]);
    const env = only(s.stack, 'AWS::AppConfig::Environment').Properties;
    expect((env.Monitors as unknown as Array<{ AlarmArn: unknown }>).map((m) => m.AlarmArn)).toEqual([alarmArn('freight-page')]);
    expect((env.Tags as unknown as Array<{ Key: string }>).map((t) => t.Key)).toEqual(['ops:oncall', 'ops:owner', 'ops:tier', 'ops:workload']);
    expect(() => s.app.synth()).not.toThrow();
  });

  test('a service added after the flags still counts: the rollup pages for it', () => {
    const { app, stack } = testStack();
    const workload = workloadIn(stack);
    new FeatureFlags(workload, 'Flags', { flags: [Flag.ofBoolean({ key: 'a' })] });
    new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
    expect(() => app.synth()).not.toThrow();
  });

  test('with no page composite in the stack the default monitor could never fire: synth fails', () => {
    const s = standalone({}, { service: false });
    expect(() => s.app.synth()).toThrow(
      "FeatureFlags 'freight-flags' is monitored by workload 'freight''s page composite, but no service or SLO of the workload pages in stack " +
      "'Test', so no flag rollout would ever roll back. Define the flags under an operable service (or give service), add a service to this stack, or pass monitors.");
  });
});

describe('the no-kill-switch warning', () => {
  test('without approvers and without a decision, the flags warn; killSwitch: false silences it', () => {
    const s = standalone();
    Annotations.fromStack(s.stack).hasWarning('/Test/Freight/Flags', Match.stringLikeRegexp(
      "^no kill-switch runbook: workload 'freight' has no approvers. Set approvers on the Workload, give killSwitchApproval .*cdk-operable:no-kill-switch"));
    const quiet = standalone({ killSwitch: false });
    expect(Annotations.fromStack(quiet.stack).findWarning('/Test/Freight/Flags', Match.anyValue())).toEqual([]);
  });
});
