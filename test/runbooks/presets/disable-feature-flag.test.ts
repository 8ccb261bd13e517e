import { App, CfnElement, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Approvers, DisableFeatureFlag, DisableFeatureFlagProps, Runbook, RunbookApproval, Workload } from '../../../src';
import { documentContent, DocumentContent, FakeAws, RunbookRun, simulateRunbook } from '../../support/runbook-simulation';


const FLAGS = {
  version: '1',
  flags: { new_checkout: { name: 'New checkout' }, fast_quotes: { name: 'Fast quotes' } },
  values: { new_checkout: { enabled: true }, fast_quotes: { enabled: true } },
};

interface Fixture {
  app: App;
  stack: Stack;
  workload: Workload;
  application: appconfig.Application;
  environment: appconfig.Environment;
  configuration: appconfig.HostedConfiguration;
  flagsContent: string;
}

/** A stack in eu-west-1 with the freight workload (on-call approves) and an AppConfig application with a feature-flag profile. */
function fixture(approvers = true): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(approvers ? { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) } : {}),
  });
  const application = new appconfig.Application(stack, 'App');
  const environment = new appconfig.Environment(stack, 'Env', { application });
  const flagsContent = JSON.stringify(FLAGS);
  const configuration = new appconfig.HostedConfiguration(stack, 'Flags', {
    application, type: appconfig.ConfigurationType.FEATURE_FLAGS, content: appconfig.ConfigurationContent.fromInlineJson(flagsContent),
  });
  return { app, stack, workload, application, environment, configuration, flagsContent };
}

function build(props: Partial<DisableFeatureFlagProps> = {}, approvers = true): Fixture & { runbook: DisableFeatureFlag } {
  const f = fixture(approvers);
  const { application, environment, configuration, flagsContent } = f;
  return { ...f, runbook: new DisableFeatureFlag(f.workload, 'KillNewCheckout', { application, environment, configuration, flagsContent, flagKey: 'new_checkout', ...props }) };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
/** The ids the document passes (Refs become logical ids in the simulated document). */
const ids = (f: Fixture) => ({
  ApplicationId: logicalId(f.application),
  EnvironmentId: logicalId(f.environment),
  ConfigurationProfileId: Stack.of(f.stack).getLogicalId(f.configuration.node.findChild('ConfigurationProfile') as CfnElement),
});

/** The document's steps by name, with the step fields the simulation helper's type leaves out. */
type RenderedStep = DocumentContent['mainSteps'][number] & { timeoutSeconds?: number; description?: string; outputs?: unknown[] };
function stepsOf(runbook: Runbook): Record<string, RenderedStep> {
  return Object.fromEntries(documentContent(runbook).mainSteps.map((s) => [s.name, s]));
}

function roleStatements(runbook: Runbook): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const stack = Stack.of(runbook);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(runbook.role.node.defaultChild as iam.CfnRole)]
    .Properties.Policies[0].PolicyDocument.Statement;
}

function simulate(runbook: Runbook, options: Parameters<typeof simulateRunbook>[1]): RunbookRun {
  return simulateRunbook(runbook, options);
}

/** Version 4 created; deployment 12 started, deploying, baking, then each of `states`. */
function flagAws(...states: string[]): FakeAws {
  return new FakeAws()
    .when('appconfig', 'CreateHostedConfigurationVersion', undefined, { ApplicationId: 'app', ConfigurationProfileId: 'profile', VersionNumber: 4, ContentType: 'application/json' })
    .when('appconfig', 'StartDeployment', undefined, { DeploymentNumber: 12, State: 'DEPLOYING', ConfigurationVersion: '4' })
    .when('appconfig', 'GetDeployment', undefined, ...['DEPLOYING', 'BAKING', ...states].map((State) => ({ DeploymentNumber: 12, State })));
}

describe('DisableFeatureFlag document', () => {
  test('steps: the approval gate first (CreateVersion changes state), then create, deploy, wait and verify', () => {
    const { runbook } = build();
    const content = documentContent(runbook);
    expect(content.mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ApproveChange:aws:approve',
      'CreateVersion:aws:executeAwsApi',
      'Deploy:aws:executeAwsApi',
      'WaitForDeployment:aws:waitForAwsResourceProperty',
      'VerifyComplete:aws:assertAwsResourceProperty',
    ]);
    expect(content.parameters).toBeUndefined();
    expect(content.outputs).toEqual(['CreateVersion.Version', 'Deploy.Number']);
    expect(content.mainSteps[0].inputs.Message).toBe(
      'Approve runbook freight-kill-new-checkout (execution {{ automation:EXECUTION_ID }}): it changes CreateVersion, Deploy.');
  });

  test('step inputs: the content with new_checkout off, deployed all at once, then polled by deployment number', () => {
    const f = build();
    const steps = stepsOf(f.runbook);
    const { Content, ...create } = steps.CreateVersion.inputs;
    expect(create).toEqual({
      Service: 'appconfig',
      Api: 'CreateHostedConfigurationVersion',
      ApplicationId: ids(f).ApplicationId,
      ConfigurationProfileId: ids(f).ConfigurationProfileId,
      ContentType: 'application/json',
      Description: 'Kill switch: new_checkout off',
    });
    expect(JSON.parse(Content as string)).toEqual({ ...FLAGS, values: { new_checkout: { enabled: false }, fast_quotes: { enabled: true } } });
    expect(Content).toBe(f.runbook.disabledContent);
    expect(steps.CreateVersion.outputs).toEqual([{ Name: 'Version', Selector: '$.VersionNumber', Type: 'String' }]);
    expect(steps.Deploy.inputs).toEqual({
      Service: 'appconfig', Api: 'StartDeployment', ...ids(f), ConfigurationVersion: '{{ CreateVersion.Version }}', DeploymentStrategyId: 'AppConfig.AllAtOnce',
    });
    expect(steps.Deploy.outputs).toEqual([{ Name: 'Number', Selector: '$.DeploymentNumber', Type: 'Integer' }]);
    expect(steps.WaitForDeployment.inputs).toEqual({
      Service: 'appconfig',
      Api: 'GetDeployment',
      ApplicationId: ids(f).ApplicationId,
      EnvironmentId: ids(f).EnvironmentId,
      DeploymentNumber: '{{ Deploy.Number }}',
      PropertySelector: '$.State',
      DesiredValues: ['COMPLETE', 'ROLLED_BACK'],
    });
    expect(steps.VerifyComplete.inputs.DesiredValues).toEqual(['COMPLETE']);
  });

  test('by default WaitForDeployment outlasts the 10-minute bake of AppConfig.AllAtOnce', () => {
    expect(stepsOf(build().runbook).WaitForDeployment.timeoutSeconds).toBeGreaterThan(600);
  });

  test('a custom deploymentStrategyId and timeout', () => {
    const { runbook } = build({ deploymentStrategyId: 'quick01', timeout: Duration.minutes(30) });
    const steps = stepsOf(runbook);
    expect(steps.Deploy.inputs.DeploymentStrategyId).toBe('quick01');
    expect(steps.Deploy.description).toBe('Deploy it with quick01.');
    expect(steps.WaitForDeployment.timeoutSeconds).toBe(1800);
  });

  test('Markdown: title with the flag, purpose, when to use, preconditions and how to roll back', () => {
    const md = documentContent(build().runbook).description;
    expect(md.startsWith("# Turn off feature flag new_checkout\n\nTurn off the feature flag 'new_checkout' in this environment at once, " +
      'keeping every other flag as defined in code.\n')).toBe(true);
    expect(md).toContain("## When to use\n\n- The feature behind 'new_checkout' hurts users (its SLO burns, errors or complaints rise).\n");
    expect(md).toContain('## Preconditions\n\n- No other AppConfig deployment runs in the environment (AppConfig allows one at a time).\n');
    expect(md).toContain('## What it changes\n\n- `appconfig:CreateHostedConfigurationVersion` (step CreateVersion)\n- `appconfig:StartDeployment` (step Deploy)\n');
    expect(md).toContain("## How to roll back\n\nDeploy the previous configuration version again, or turn 'new_checkout' back on in code and deploy.\n");
  });

  test('named freight-kill-new-checkout by default; documentName and RunbookApproval.none are honoured', () => {
    const def = build();
    Template.fromStack(def.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-kill-new-checkout', DocumentType: 'Automation' });
    const custom = build({ documentName: 'checkout-kill-switch', approval: RunbookApproval.none('kill switch: must work without waiting') });
    const content = documentContent(custom.runbook);
    expect(content.mainSteps.map((s) => s.name)).toEqual(['CreateVersion', 'Deploy', 'WaitForDeployment', 'VerifyComplete']);
    expect(content.description).toContain('## Approval\n\nNot gated: kill switch: must work without waiting\n');
    Template.fromStack(custom.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'checkout-kill-switch' });
  });
});

describe('DisableFeatureFlag simulation', () => {
  test('creates the version with the flag off, deploys it all at once and waits until COMPLETE', () => {
    const f = build();
    const aws = flagAws('COMPLETE');
    const run = simulate(f.runbook, { aws });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ApproveChange', 'CreateVersion', 'Deploy', 'WaitForDeployment', 'VerifyComplete']);
    expect(run.outputs).toMatchObject({ 'CreateVersion.Version': '4', 'Deploy.Number': 12 });
    const [created] = aws.callsTo('appconfig', 'CreateHostedConfigurationVersion');
    expect(created).toMatchObject({
      ApplicationId: ids(f).ApplicationId,
      ConfigurationProfileId: ids(f).ConfigurationProfileId,
      ContentType: 'application/json',
      Description: 'Kill switch: new_checkout off',
    });
    const content = JSON.parse(created.Content as string);
    expect(content.values.new_checkout.enabled).toBe(false);
    expect(content.values.fast_quotes.enabled).toBe(true);
    expect(content.flags).toEqual(FLAGS.flags);
    expect(aws.callsTo('appconfig', 'StartDeployment')).toEqual([{ ...ids(f), ConfigurationVersion: '4', DeploymentStrategyId: 'AppConfig.AllAtOnce' }]);
    expect(aws.callsTo('appconfig', 'GetDeployment')).toContainEqual({ ApplicationId: ids(f).ApplicationId, EnvironmentId: ids(f).EnvironmentId, DeploymentNumber: 12 });
  });

  test('a deployment ROLLED_BACK (an alarm fired) ends the wait and fails VerifyComplete', () => {
    const { runbook } = build();
    const run = simulate(runbook, { aws: flagAws('ROLLING_BACK', 'ROLLED_BACK') });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange', 'CreateVersion', 'Deploy', 'WaitForDeployment', 'VerifyComplete']);
    expect(run.error).toContain('Did not find desired response (COMPLETE)');
  });

  test('a deployment still baking when the wait times out fails WaitForDeployment', () => {
    const { runbook } = build();
    const run = simulate(runbook, { aws: flagAws('BAKING'), waitTimeoutSeconds: 1 });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange', 'CreateVersion', 'Deploy', 'WaitForDeployment']);
  });

  test('StartDeployment failing (another deployment runs) stops at Deploy', () => {
    const { runbook } = build();
    const aws = flagAws('COMPLETE').fails('appconfig', 'StartDeployment', 'ConflictException: Deployment 11 is already in progress');
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange', 'CreateVersion', 'Deploy']);
    expect(run.error).toBe('ConflictException: Deployment 11 is already in progress');
    expect(aws.callsTo('appconfig', 'GetDeployment')).toEqual([]);
  });

  test('a rejected approval changes nothing', () => {
    const { runbook } = build();
    const aws = flagAws('COMPLETE');
    const run = simulate(runbook, { aws, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange']);
    expect(aws.calls).toEqual([]);
  });
});

describe('DisableFeatureFlag role', () => {
  const arn = (...parts: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]] });

  test('CreateHostedConfigurationVersion, StartDeployment and GetDeployment on the application, profile, environment, strategy and deployments', () => {
    const f = build();
    const { ApplicationId: app, EnvironmentId: env, ConfigurationProfileId: profile } = ids(f);
    const application = arn(':appconfig:eu-west-1:123456789012:application/', { Ref: app });
    const profileArn = arn(':appconfig:eu-west-1:123456789012:application/', { Ref: app }, '/configurationprofile/', { Ref: profile });
    const environment = arn(':appconfig:eu-west-1:123456789012:application/', { Ref: app }, '/environment/', { Ref: env });
    const statements = roleStatements(f.runbook);
    expect(statements).toEqual([
      { Action: 'appconfig:CreateHostedConfigurationVersion', Effect: 'Allow', Resource: [application, profileArn] },
      {
        Action: 'appconfig:StartDeployment',
        Effect: 'Allow',
        Resource: [application, profileArn, environment, arn(':appconfig:eu-west-1:123456789012:deploymentstrategy/AppConfig.AllAtOnce')],
      },
      {
        Action: 'appconfig:GetDeployment',
        Effect: 'Allow',
        Resource: [application, environment, arn(':appconfig:eu-west-1:123456789012:application/', { Ref: app }, '/environment/', { Ref: env }, '/deployment/*')],
      },
    ]);
    expect(statements.flatMap((s) => s.Action).filter((a) => a.includes('*'))).toEqual([]);
  });

  test('a custom strategy is the one StartDeployment may use', () => {
    const f = build({ deploymentStrategyId: 'quick01' });
    const deploy = roleStatements(f.runbook).find((s) => s.Action === 'appconfig:StartDeployment')!;
    expect(deploy.Resource).toContainEqual(arn(':appconfig:eu-west-1:123456789012:deploymentstrategy/quick01'));
    expect(deploy.Resource).not.toContainEqual(arn(':appconfig:eu-west-1:123456789012:deploymentstrategy/AppConfig.AllAtOnce'));
  });
});

describe('DisableFeatureFlag rejects bad input', () => {
  const where = '[Test/Freight/KillNewCheckout]';
  const notInContent = (flags: string) => `${where} flagKey 'new_checkout' is not a flag of flagsContent with a value (flags: ${flags}): ` +
    'give a flag the content defines under both flags and values.';

  test('a flag that is not in the content', () => {
    expect(() => build({ flagKey: 'old_checkout' })).toThrow(`${where} flagKey 'old_checkout' is not a flag of flagsContent with a value ` +
      '(flags: new_checkout, fast_quotes): give a flag the content defines under both flags and values.');
  });

  test('a flag defined without a value', () => {
    expect(() => build({ flagsContent: JSON.stringify({ ...FLAGS, values: { fast_quotes: { enabled: true } } }) })).toThrow(
      notInContent('new_checkout, fast_quotes'));
  });

  test('content without flags', () => {
    expect(() => build({ flagsContent: '{"version":"1"}' })).toThrow(notInContent('none'));
  });

  test.each(['New_checkout', '1checkout', 'new checkout', 'new.checkout', '', 'a'.repeat(65)])("flagKey '%s'", (flagKey) => {
    expect(() => build({ flagKey })).toThrow(
      `${where} flagKey '${flagKey}' is not an AppConfig flag key: use a lowercase letter, then up to 63 letters, digits, '_' or '-'.`);
  });

  test('content that is not JSON', () => {
    expect(() => build({ flagsContent: 'new_checkout: true' })).toThrow(
      `${where} flagsContent is not JSON (it starts 'new_checkout: true'): give the AWS.AppConfig.FeatureFlags document the app deploys.`);
  });

  test("content 'null' fails with the flagsContent error, not a TypeError", () => {
    expect(() => build({ flagsContent: 'null' })).toThrow(notInContent('none'));
  });

  test('content that is a token', () => {
    expect(() => build({ flagsContent: Lazy.string({ produce: () => JSON.stringify(FLAGS) }) })).toThrow(
      `${where} flagsContent must be a plain string known at synth, not a token, got a token. Give the AWS.AppConfig.FeatureFlags JSON the app ` +
      'deploys, as text known at synth (the runbook embeds it with the flag off).');
  });

  test('a workload without approvers fails with the approvers error', () => {
    expect(() => build({}, false)).toThrow(
      "[Test/Freight/KillNewCheckout] Runbook 'freight-kill-new-checkout' changes production state (CreateVersion, Deploy) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });
});
