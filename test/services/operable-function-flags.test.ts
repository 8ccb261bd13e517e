import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { functionProps, logicalIdOf, setup } from './function-fixtures';
import { OperationalExcellenceChecks } from '../../src';
import { FeatureFlags, Flag, FlagAttribute } from '../../src/flags';

const FLAGS = {
  flags: [
    Flag.boolean({ key: 'fast_quotes' }),
    new Flag({ key: 'new_pricing', attributes: { percent: FlagAttribute.number({ defaultValue: 0, minimum: 0, maximum: 100 }) } }),
  ],
};

describe('OperableFunction featureFlags', () => {
  const s = setup({ featureFlags: FLAGS });
  const json = s.template.toJSON();
  const fnProps = json.Resources[logicalIdOf(s.fn.lambdaFunction)].Properties;

  test('one prop gives the service FeatureFlags under it, monitored by its page composite and the workload page composite', () => {
    expect(s.fn.featureFlags).toBeInstanceOf(FeatureFlags);
    expect(s.fn.featureFlags!.node.path).toBe('Test/Freight/Quotes/FeatureFlags');
    expect(s.fn.featureFlags!.applicationName).toBe('freight-quotes-feature-flags');
    expect(s.fn.featureFlags!.monitors).toEqual([s.fn.pageAlarm, s.fn.rollup.pageAlarm]);
    expect(s.fn.featureFlags!.flags.map((f) => f.key)).toEqual(['fast_quotes', 'new_pricing']);
  });

  test('the AppConfig resources keep their logical ids', () => {
    const ids = Object.entries(json.Resources as Record<string, { Type: string }>)
      .filter(([, r]) => r.Type.startsWith('AWS::AppConfig::')).map(([id, r]) => `${r.Type} ${id}`);
    expect(ids).toEqual([
      'AWS::AppConfig::Application FreightQuotesFeatureFlagsApplication556C146D',
      'AWS::AppConfig::Environment FreightQuotesFeatureFlagsEnvironmentProd1F984438',
      'AWS::AppConfig::DeploymentStrategy FreightQuotesFeatureFlagsDeploymentStrategy1B4CC066',
      'AWS::AppConfig::ConfigurationProfile FreightQuotesFeatureFlagsConfigurationConfigurationProfile60025E87',
      'AWS::AppConfig::HostedConfigurationVersion FreightQuotesFeatureFlagsConfigurationC3343E65',
      'AWS::AppConfig::Deployment FreightQuotesFeatureFlagsConfigurationDeployment6754ADFB650F6',
    ]);
  });

  test('the created function gets the environment variables, the AppConfig extension layer and read access', () => {
    const app = { Ref: 'FreightQuotesFeatureFlagsApplication556C146D' };
    const env = { Ref: 'FreightQuotesFeatureFlagsEnvironmentProd1F984438' };
    const profile = { Ref: 'FreightQuotesFeatureFlagsConfigurationConfigurationProfile60025E87' };
    const path = ['/applications/', app, '/environments/', env, '/configurations/', profile];
    expect(fnProps.Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'quotes',
      POWERTOOLS_METRICS_NAMESPACE: 'freight',
      FEATURE_FLAGS_APPLICATION: app,
      FEATURE_FLAGS_ENVIRONMENT: env,
      FEATURE_FLAGS_PROFILE: profile,
      FEATURE_FLAGS_URL: { 'Fn::Join': ['', ['http://localhost:2772', ...path].reduce<unknown[]>(joinStrings, [])] },
      AWS_APPCONFIG_EXTENSION_PREFETCH_LIST: { 'Fn::Join': ['', path] },
    });
    expect(fnProps.Layers).toEqual(['arn:aws:lambda:us-east-1:027255383542:layer:AWS-AppConfig-Extension:128']);
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(s.fn.lambdaFunction.role as iam.Role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
          Resource: { 'Fn::Join': ['', Match.arrayWith([app, '/environment/', env, '/configuration/', profile])] },
        })]),
      },
    });
  });

  test('the stack synthesizes (no reference cycle through the page composite) and OPS-FlagMonitors holds', () => {
    const report = new OperationalExcellenceChecks().validateScope(s.stack.node.root as App);
    expect(report.violations.filter((v) => v.ruleName === 'OPS-FlagMonitors')).toEqual([]);
  });

  test('without featureFlags, nothing of AppConfig', () => {
    const plain = setup();
    expect(plain.fn.featureFlags).toBeUndefined();
    expect(Object.values(plain.template.toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type.startsWith('AWS::AppConfig::'))).toEqual([]);
  });

  test('featureFlags props pass through (environments, monitors, killSwitch)', () => {
    const custom = setup({ featureFlags: { ...FLAGS, environments: ['staging'], monitors: [], killSwitch: false } });
    custom.template.hasResourceProperties('AWS::AppConfig::Environment', { Name: 'staging', Monitors: [] });
  });
});

describe('OperableFunction featureFlags with an existing function', () => {
  test('read access for its role and a warning: the function itself is not modified', () => {
    const s = setup((stack) => ({ existingFunction: new lambda.Function(stack, 'Existing', functionProps()), featureFlags: FLAGS }));
    const props = Template.fromStack(s.stack).toJSON().Resources[logicalIdOf(s.fn.lambdaFunction)].Properties;
    expect(props.Environment).toBeUndefined();
    expect(props.Layers).toBeUndefined();
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(s.fn.lambdaFunction.role as iam.Role) }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'] })] },
    });
    Annotations.fromStack(s.stack).hasWarning('/Test/Freight/Quotes/FeatureFlags', Match.stringLikeRegexp(
      "^existingFunction is not modified: add the AppConfig Lambda extension layer and the environment variables of this construct's " +
      'environmentVariables\\(\\) where the function is defined.*cdk-operable:feature-flags-existing-function'));
  });
});

/** How CloudFormation joins literal pieces: adjacent strings merge. */
function joinStrings(parts: unknown[], part: unknown): unknown[] {
  const last = parts[parts.length - 1];
  return typeof part === 'string' && typeof last === 'string' ? [...parts.slice(0, -1), last + part] : [...parts, part];
}
