import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER, logicalId, profileId, resources, sampleFlags, standalone, workloadIn } from './support';
import { OperableFunction } from '../../src';
import { FeatureFlags } from '../../src/flags';

/** The ids a function reads, as template references. */
function ids(stack: Stack, flags: FeatureFlags, environment = 0) {
  return {
    app: { Ref: logicalId(stack, flags.application) },
    env: { Ref: logicalId(stack, flags.environments[environment]) },
    profile: { Ref: profileId(stack, flags) },
  };
}

const configurationArn = (i: ReturnType<typeof ids>) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':appconfig:us-east-1:123456789012:application/', i.app, '/environment/', i.env,
    '/configuration/', i.profile]],
});

const path = (i: ReturnType<typeof ids>, prefix = '') => ({
  'Fn::Join': ['', [`${prefix}/applications/`, i.app, '/environments/', i.env, '/configurations/', i.profile]],
});

function functionProperties(stack: Stack, fn: lambda.Function) {
  return Template.fromStack(stack).toJSON().Resources[logicalId(stack, fn)].Properties;
}

describe('grantRead', () => {
  test('StartConfigurationSession and GetLatestConfiguration on this profile, in every environment', () => {
    const { stack, flags } = standalone({ environments: ['staging', 'prod'] });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    flags.grantRead(role);
    const [[, policy]] = resources(stack, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(logicalId(stack, role)));
    expect(policy.Properties.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
        Effect: 'Allow',
        Resource: [configurationArn(ids(stack, flags, 0)), configurationArn(ids(stack, flags, 1))],
      }],
    });
  });
});

describe('environmentVariables', () => {
  test('the ids, the extension URL and the prefetch list of the first environment, or the one named', () => {
    const { stack, flags } = standalone({ environments: ['staging', 'prod'] });
    const resolve = (v: Record<string, string>) => stack.resolve(v);
    const staging = ids(stack, flags, 0);
    expect(resolve(flags.environmentVariables())).toEqual({
      FEATURE_FLAGS_APPLICATION: staging.app,
      FEATURE_FLAGS_ENVIRONMENT: staging.env,
      FEATURE_FLAGS_PROFILE: staging.profile,
      FEATURE_FLAGS_URL: path(staging, 'http://localhost:2772'),
      AWS_APPCONFIG_EXTENSION_PREFETCH_LIST: path(staging),
    });
    expect(resolve(flags.environmentVariables('prod')).FEATURE_FLAGS_ENVIRONMENT).toEqual(ids(stack, flags, 1).env);
  });
});

describe('addToFunction', () => {
  /** A stack in `env` (region-agnostic when null) with freight, its quotes service, flags 'Flags' and a plain function. */
  function withPlainFunction(props: Partial<lambda.FunctionProps> = {}, env: { account: string; region: string } | null = { account: '123456789012', region: 'us-east-1' }) {
    const app = new App();
    const stack = new Stack(app, 'Test', env ? { env } : {});
    const workload = workloadIn(stack);
    new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
    const flags = new FeatureFlags(workload, 'Flags', { flags: sampleFlags() });
    const fn = new lambda.Function(stack, 'Reader', { ...HANDLER, ...props });
    return { stack, flags, fn };
  }

  test('environment variables, read access and the x86_64 AppConfig extension layer of the region', () => {
    const { stack, flags, fn } = withPlainFunction();
    flags.addToFunction(fn);
    const props = functionProperties(stack, fn);
    const i = ids(stack, flags);
    expect(props.Environment.Variables).toEqual({
      FEATURE_FLAGS_APPLICATION: i.app,
      FEATURE_FLAGS_ENVIRONMENT: i.env,
      FEATURE_FLAGS_PROFILE: i.profile,
      FEATURE_FLAGS_URL: path(i, 'http://localhost:2772'),
      AWS_APPCONFIG_EXTENSION_PREFETCH_LIST: path(i),
    });
    expect(props.Layers).toEqual(['arn:aws:lambda:us-east-1:027255383542:layer:AWS-AppConfig-Extension:128']);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, fn.role as iam.Role) }],
      PolicyDocument: { Statement: [{ Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'], Resource: configurationArn(i) }] },
    });
  });

  test('the arm64 layer for an arm64 function; added once when called twice', () => {
    const { stack, flags, fn } = withPlainFunction({ architecture: lambda.Architecture.ARM_64 }, { account: '123456789012', region: 'eu-west-1' });
    flags.addToFunction(fn);
    flags.addToFunction(fn);
    expect(functionProperties(stack, fn).Layers).toEqual(['arn:aws:lambda:eu-west-1:434848589818:layer:AWS-AppConfig-Extension-Arm64:63']);
  });

  test('in a region-agnostic stack, the layer comes from a mapping by region', () => {
    const { stack, flags, fn } = withPlainFunction({}, null);
    flags.addToFunction(fn);
    expect(functionProperties(stack, fn).Layers).toEqual([{ 'Fn::FindInMap': ['CdkOperableAppConfigExtension', { Ref: 'AWS::Region' }, 'x8664'] }]);
    const mapping = Template.fromStack(stack).toJSON().Mappings.CdkOperableAppConfigExtension;
    expect(mapping['us-east-1']).toEqual({
      x8664: 'arn:aws:lambda:us-east-1:027255383542:layer:AWS-AppConfig-Extension:128',
      arm64: 'arn:aws:lambda:us-east-1:027255383542:layer:AWS-AppConfig-Extension-Arm64:61',
    });
    expect(Object.keys(mapping).length).toBeGreaterThan(25);
  });

  test('a region without a known layer fails, naming the way out', () => {
    const { flags, fn } = withPlainFunction({}, { account: '123456789012', region: 'xx-test-1' });
    expect(() => flags.addToFunction(fn)).toThrow('[Test/Freight/Flags] aws-cdk-lib knows no AppConfig Lambda extension layer for x86-64 in xx-test-1: ' +
      'pass lambdaExtension: false and add the layer (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-integration-lambda-extensions-versions.html) yourself.');
    expect(() => flags.addToFunction(fn, { lambdaExtension: false })).not.toThrow();
  });

  test('lambdaExtension: false adds no layer; pollInterval sets the extension poll interval; environmentName picks the environment', () => {
    const { stack, flags, fn } = withPlainFunction();
    flags.addToFunction(fn, { lambdaExtension: false, pollInterval: Duration.seconds(30), environmentName: 'prod' });
    const props = functionProperties(stack, fn);
    expect(props.Layers).toBeUndefined();
    expect(props.Environment.Variables.AWS_APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS).toBe('30');
  });
});
