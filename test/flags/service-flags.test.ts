import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER, oncall, sampleFlags, withFunction, workloadIn } from './support';
import { Approvers, OperableFunction, OperationalExcellenceChecks, Workload } from '../../src';
import { proceduresFor, ProcedureKind } from '../../src/core/procedures';
import { FeatureFlags, Flag, FlagAttribute } from '../../src/flags';
import { functionProps, logicalIdOf } from '../services/function-fixtures';
import { testStack } from '../support/fixtures';

/** The flags the service tests deploy (moved from test/services/operable-function-flags.test.ts). */
const FLAGS = () => [
  Flag.ofBoolean({ key: 'fast_quotes' }),
  new Flag({ key: 'new_pricing', attributes: { percent: FlagAttribute.ofNumber({ defaultValue: 0, minimum: 0, maximum: 100 }) } }),
];
const READ = ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'];
const EXISTING_FUNCTION = 'cdk-operable:feature-flags-existing-function';

describe('FeatureFlags under an OperableFunction, added to its function', () => {
  const s = withFunction({ flags: FLAGS() }, { approvers: true });
  const template = Template.fromStack(s.stack);
  const json = template.toJSON();
  const fnProps = json.Resources[logicalIdOf(s.fn.lambdaFunction)].Properties;

  test('the flags belong to the service: path, name, monitors (its page composite and the workload page composite)', () => {
    expect(s.flags.node.path).toBe('Test/Freight/Quotes/FeatureFlags');
    expect(s.flags.service).toBe(s.fn);
    expect(s.flags.applicationName).toBe('freight-quotes-feature-flags');
    expect(s.flags.monitors).toEqual([s.fn.pageAlarm, s.fn.rollup.pageAlarm]);
    expect(s.flags.flags.map((f) => f.key)).toEqual(['fast_quotes', 'new_pricing']);
  });

  test('the AppConfig resources keep the logical ids they had under the featureFlags prop', () => {
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
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(s.fn.lambdaFunction.role as iam.Role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: READ,
          Resource: { 'Fn::Join': ['', Match.arrayWith([app, '/environment/', env, '/configuration/', profile])] },
        })]),
      },
    });
  });

  test('each kill switch is registered on the service, so its alarms can name it', () => {
    expect(proceduresFor(s.fn).filter((p) => p.documentName.includes('-disable-'))).toEqual(s.flags.killSwitches.map((runbook, i) => ({
      documentName: runbook.documentName,
      kind: ProcedureKind.RUNBOOK,
      purpose: `turn flag ${['fast_quotes', 'new_pricing'][i]} off in prod`,
      definedBy: runbook,
    })));
    expect(s.flags.killSwitches).toHaveLength(2);
  });

  test('the stack synthesizes (no reference cycle through the page composite) and OPS-FlagMonitors holds', () => {
    const report = new OperationalExcellenceChecks().validateScope(s.stack.node.root as App);
    expect(report.violations.filter((v) => v.ruleName === 'OPS-FlagMonitors')).toEqual([]);
  });

  test('an OperableFunction alone creates nothing of AppConfig', () => {
    const { stack } = testStack();
    new OperableFunction(workloadIn(stack), 'Quotes', { functionProps: HANDLER });
    expect(Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>)
      .filter((r) => r.Type.startsWith('AWS::AppConfig::'))).toEqual([]);
  });

  test('props pass through (environments, monitors, killSwitch)', () => {
    const custom = withFunction({ flags: FLAGS(), environments: ['staging'], monitors: [], killSwitch: false });
    Template.fromStack(custom.stack).hasResourceProperties('AWS::AppConfig::Environment', { Name: 'staging', Monitors: [] });
    expect(proceduresFor(custom.fn).filter((p) => p.documentName.includes('-disable-'))).toEqual([]);
  });
});

describe('addToFunction on what it must not modify', () => {
  const { stack } = testStack();
  const workload = workloadIn(stack);
  const quotes = new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
  const flags = new FeatureFlags(quotes, 'FeatureFlags', { flags: FLAGS(), killSwitch: false });
  const defined = new lambda.Function(stack, 'Reader', functionProps());
  const alias = new lambda.Alias(stack, 'ReaderLive', { aliasName: 'live', version: defined.currentVersion });
  const imported = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:legacy',
    role: iam.Role.fromRoleArn(stack, 'LegacyRole', 'arn:aws:iam::123456789012:role/legacy'),
  });
  flags.addToFunction(alias);
  flags.addToFunction(imported);
  const template = Template.fromStack(stack);
  const warnings = Annotations.fromStack(stack).findWarning('/Test/Freight/Quotes/FeatureFlags', Match.anyValue())
    .map((w) => w.entry.data as string);

  test('an alias: read access for its function role and a warning; the function itself is not modified', () => {
    const props = template.toJSON().Resources[logicalIdOf(defined)].Properties;
    expect(props.Environment).toBeUndefined();
    expect(props.Layers).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(defined.role as iam.Role) }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: READ })] },
    });
    expect(warnings[0]).toBe('alias Test/ReaderLive is not modified (not a lambda.Function defined in this app) (its function Test/Reader is ' +
      'defined in this app: pass that function instead): it can read the flags, but add the AppConfig Lambda extension layer and the ' +
      'environment variables FEATURE_FLAGS_APPLICATION, FEATURE_FLAGS_ENVIRONMENT, FEATURE_FLAGS_PROFILE, FEATURE_FLAGS_URL, ' +
      "AWS_APPCONFIG_EXTENSION_PREFETCH_LIST of this construct's environmentVariables() where the function is defined. " +
      `[ack: ${EXISTING_FUNCTION}]`);
  });

  test('an imported function: read access for its role and a warning', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['legacy'],
      PolicyDocument: { Statement: [Match.objectLike({ Action: READ })] },
    });
    expect(warnings[1]).toMatch(/^imported function Test\/Imported is not modified \(not a lambda.Function defined in this app\): it can read the flags/);
    expect(warnings).toHaveLength(2);
  });

  test('settings that only a function defined here can take are errors, not dropped', () => {
    expect(() => flags.addToFunction(alias, { lambdaExtension: true })).toThrow('[Test/Freight/Quotes/FeatureFlags] addToFunction: lambdaExtension ' +
      'is true (a boolean), but alias Test/ReaderLive is not a lambda.Function defined in this app, so it cannot be changed here (its function ' +
      'Test/Reader is defined in this app: pass that function instead): remove lambdaExtension and configure the extension where the function is defined.');
    expect(() => flags.addToFunction(imported, { pollInterval: Duration.seconds(30) })).toThrow('[Test/Freight/Quotes/FeatureFlags] addToFunction: ' +
      'pollInterval is Duration 30 seconds, but imported function Test/Imported is not a lambda.Function defined in this app, so it cannot be ' +
      'changed here: remove pollInterval and configure the extension where the function is defined.');
    expect(() => flags.addToFunction('quotes' as unknown as lambda.IFunction)).toThrow(
      "[Test/Freight/Quotes/FeatureFlags] fn must be a Lambda function (lambda.IFunction), got 'quotes' (a string). Pass the function that reads the flags.");
  });
});

describe('an OperableFunction given an existing function defined in this app', () => {
  test('addToFunction modifies it: the caller defined it here and asked for it', () => {
    const { stack } = testStack();
    const existing = new lambda.Function(stack, 'Existing', functionProps());
    const quotes = new OperableFunction(workloadIn(stack), 'Quotes', { existingFunction: existing });
    new FeatureFlags(quotes, 'FeatureFlags', { flags: FLAGS() }).addToFunction(quotes.lambdaFunction);
    const props = Template.fromStack(stack).toJSON().Resources[logicalIdOf(existing)].Properties;
    expect(Object.keys(props.Environment.Variables)).toEqual(expect.arrayContaining(['FEATURE_FLAGS_URL', 'AWS_APPCONFIG_EXTENSION_PREFETCH_LIST']));
    expect(props.Layers).toEqual(['arn:aws:lambda:us-east-1:027255383542:layer:AWS-AppConfig-Extension:128']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(EXISTING_FUNCTION))).toEqual([]);
  });
});

describe('the owning service named with service', () => {
  test('flags outside the service: its page composite monitors them, its name is in theirs, kill switches register on it', () => {
    const { stack } = testStack();
    const workload = workloadIn(stack, true);
    const quotes = new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
    const flags = new FeatureFlags(workload, 'Flags', { flags: [Flag.ofBoolean({ key: 'fast_quotes' })], service: quotes });
    expect([flags.service, flags.applicationName]).toEqual([quotes, 'freight-quotes-flags']);
    expect(flags.monitors).toEqual([quotes.pageAlarm, quotes.rollup.pageAlarm]);
    expect(proceduresFor(quotes).map((p) => p.documentName)).toContain('freight-quotes-flags-prod-disable-fast_quotes');
  });

  test('flags under one service that name another fail, naming both', () => {
    const { stack } = testStack();
    const workload = workloadIn(stack);
    const quotes = new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
    const orders = new OperableFunction(workload, 'Orders', { functionProps: HANDLER });
    expect(() => new FeatureFlags(quotes, 'Flags', { flags: sampleFlags(), service: orders })).toThrow(
      "[Test/Freight/Quotes/Flags] service is Test/Freight/Orders ('orders'), but the flags are defined under service Test/Freight/Quotes ('quotes'), " +
      'which owns them: leave service out, or define the flags outside Test/Freight/Quotes.');
    expect(() => new FeatureFlags(quotes, 'Same', { flags: sampleFlags(), service: quotes })).not.toThrow();
  });

  test('a service of another workload fails', () => {
    const { stack } = testStack();
    const freight = workloadIn(stack);
    const other = new Workload(stack, 'Billing', {
      workloadName: 'billing',
      owner: { team: 'billing', onCall: 'billing-oncall@example.com' },
      approvers: Approvers.of({ roles: [oncall(stack)] }),
    });
    const invoices = new OperableFunction(other, 'Invoices', { functionProps: HANDLER });
    expect(() => new FeatureFlags(freight, 'Flags', { flags: sampleFlags(), service: invoices })).toThrow(
      "[Test/Freight/Flags] service Test/Billing/Invoices belongs to workload 'billing', but the flags are defined in workload 'freight': define " +
      "the flags inside the service's workload, or name a service of 'freight'.");
  });
});

/** How CloudFormation joins literal pieces: adjacent strings merge. */
function joinStrings(parts: unknown[], part: unknown): unknown[] {
  const last = parts[parts.length - 1];
  return typeof part === 'string' && typeof last === 'string' ? [...parts.slice(0, -1), last + part] : [...parts, part];
}
