import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, Approvers, OperableFunction, Workload } from '../src';
import { FeatureFlags, Flag, FlagAttribute } from '../src/flags';

/**
 * Feature flags for a service: `FeatureFlags` under an operable Lambda function create an AppConfig application, a `prod`
 * environment monitored by the service's and the workload's page composites, a FeatureFlags profile with a JSON Schema
 * validator, the initial deployment and a kill-switch runbook per flag (approved by the on-call role). The function
 * reads its flags through the AppConfig Lambda extension. The rollout is shortened to one step and a minute of bake
 * (the default takes 20 minutes) and deletion protection is bypassed, for an ephemeral stack.
 * After deployment the assertions read the profile and environment back, invoke the function until it sees the
 * deployed flags, and check a kill-switch document is active.
 * Snapshot produced with `npx projen integ:update` (integ-runner --dry-run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableFeatureFlags');
const topic = new sns.Topic(stack, 'Pages');
const oncall = new iam.Role(stack, 'Oncall', { assumedBy: new iam.AccountRootPrincipal(), description: 'On-call engineers approve runbooks' });
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  runbookBaseUrl: 'https://runbooks.example.com/integ',
  approvers: Approvers.of({ roles: [oncall] }),
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
const quotes = new OperableFunction(workload, 'Quotes', {
  functionProps: {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    // Reads the flags from the extension and answers `key=enabled,...` in key order.
    code: lambda.Code.fromInline([
      'exports.handler = async () => {',
      '  const flags = await (await fetch(process.env.FEATURE_FLAGS_URL)).json();',
      "  return Object.keys(flags).sort().map((k) => `${k}=${flags[k].enabled}`).join(',');",
      '};',
    ].join('\n')),
    timeout: Duration.seconds(10),
  },
});
const flags = new FeatureFlags(quotes, 'FeatureFlags', {
  flags: [
    Flag.ofBoolean({ key: 'fast_quotes', description: 'Quotes from the cache' }),
    new Flag({
      key: 'new_pricing',
      enabled: true,
      attributes: { percent: FlagAttribute.ofNumber({ defaultValue: 10, minimum: 0, maximum: 100 }) },
    }),
  ],
  rolloutStrategy: appconfig.RolloutStrategy.linear({
    growthFactor: 100, deploymentDuration: Duration.minutes(0), finalBakeTime: Duration.minutes(1),
  }),
  deletionProtectionCheck: appconfig.DeletionProtectionCheck.BYPASS,
});
flags.addToFunction(quotes.lambdaFunction);

const integ = new IntegTest(app, 'FeatureFlagsIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('AppConfig', 'getConfigurationProfile', {
  ApplicationId: flags.application.applicationId,
  ConfigurationProfileId: flags.configuration.configurationProfileId,
}).expect(ExpectedResult.objectLike({ Name: 'feature-flags', Type: 'AWS.AppConfig.FeatureFlags', Validators: [{ Type: 'JSON_SCHEMA' }] }));

integ.assertions.awsApiCall('AppConfig', 'getEnvironment', {
  ApplicationId: flags.application.applicationId,
  EnvironmentId: flags.environments[0].environmentId,
}).expect(ExpectedResult.objectLike({ Name: 'prod', State: 'ReadyForDeployment' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

integ.assertions.invokeFunction({ functionName: quotes.lambdaFunction.functionName })
  .expect(ExpectedResult.objectLike({ Payload: '"fast_quotes=false,new_pricing=true"' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

integ.assertions.awsApiCall('SSM', 'describeDocument', { Name: flags.killSwitch('new_pricing')!.documentName })
  .expect(ExpectedResult.objectLike({ Document: { DocumentType: 'Automation', Status: 'Active' } }));
