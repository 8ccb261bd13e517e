import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { functionProps } from './function-fixtures';
import { OperableFunction, OperableFunctionProps } from '../../src';
import { freight, testStack } from '../support/fixtures';

/** Construct an OperableFunction 'Quotes' in the freight workload (no synth). */
function build(props: OperableFunctionProps | ((stack: Stack) => OperableFunctionProps)): OperableFunction {
  const { stack } = testStack();
  const { workload } = freight(stack);
  return new OperableFunction(workload, 'Quotes', typeof props === 'function' ? props(stack) : props);
}

const legacy = (stack: Stack) => new lambda.Function(stack, 'Legacy', functionProps());

describe('OperableFunction rejects bad input with an error naming the construct path', () => {
  test('both functionProps and existingFunction', () => {
    expect(() => build((stack) => ({ functionProps: functionProps(), existingFunction: legacy(stack) }))).toThrow(
      '[Test/Freight/Quotes] give either functionProps (to create the function) or existingFunction (to make an existing one operable), not both.');
  });

  test('neither functionProps nor existingFunction', () => {
    expect(() => build({})).toThrow(
      '[Test/Freight/Quotes] give functionProps (to create the function) or existingFunction (to make an existing one operable).');
  });

  test('a latencyThreshold of 0', () => {
    expect(() => build({ functionProps: functionProps(), latencyThreshold: Duration.millis(0) })).toThrow(
      '[Test/Freight/Quotes] latencyThreshold must be longer than zero, got Duration 0 millis. E.g. Duration.millis(400).');
  });

  test.each([0, 101, -5, Number.NaN])('concurrencyAlarmPercent %d', (percent) => {
    expect(() => build({ functionProps: functionProps(), concurrencyAlarmPercent: percent })).toThrow(
      `[Test/Freight/Quotes] concurrencyAlarmPercent must be a finite number above 0 and at most 100, got ${percent}.`);
  });

  test.each([2.5, 0, -1])('concurrencyLimit %d', (limit) => {
    expect(() => build({ functionProps: functionProps(), concurrencyLimit: limit })).toThrow(
      `[Test/Freight/Quotes] concurrencyLimit must be a whole number at least 1, got ${limit}.`);
  });

  test.each(['bad name', '123', 'live:1', 'a'.repeat(129), ''])("aliasName '%s'", (aliasName) => {
    expect(() => build({ functionProps: functionProps(), aliasName })).toThrow(
      `[Test/Freight/Quotes] aliasName must be 1-128 letters, digits, '-' or '_', not only digits, got '${aliasName.slice(0, 80)}`);
  });

  test.each(['live', 'v2_canary', 'prod-1', 'a'.repeat(128)])("aliasName '%s' is valid", (aliasName) => {
    expect(build({ functionProps: functionProps(), aliasName }).alias!.aliasName).toBe(aliasName);
  });

  test.each<[string, Partial<OperableFunctionProps>, string]>([
    ['logRetention', { logRetention: logs.RetentionDays.ONE_WEEK }, 'logRetention (7)'],
    ['lambdaInsights', { lambdaInsights: true }, 'lambdaInsights (true)'],
    ['applicationLogLevel', { applicationLogLevel: lambda.ApplicationLogLevel.DEBUG }, 'applicationLogLevel (DEBUG)'],
    ['systemLogLevel', { systemLogLevel: lambda.SystemLogLevel.WARN }, 'systemLogLevel (WARN)'],
    ['metricsNamespace', { metricsNamespace: 'Freight' }, 'metricsNamespace (Freight)'],
  ])('%s together with existingFunction names the prop and its value', (_, extra, named) => {
    expect(() => build((stack) => ({ existingFunction: legacy(stack), ...extra }))).toThrow(
      `[Test/Freight/Quotes] ${named} configures a function cdk-operable creates; with existingFunction, set it where the function is defined.`);
  });

  test('any create-only setting given counts, even lambdaInsights: false; several are listed together', () => {
    expect(() => build((stack) => ({ existingFunction: legacy(stack), lambdaInsights: false }))).toThrow(
      '[Test/Freight/Quotes] lambdaInsights (false) configures a function cdk-operable creates');
    expect(() => build((stack) => ({ existingFunction: legacy(stack), logRetention: logs.RetentionDays.ONE_DAY, metricsNamespace: 'x' }))).toThrow(
      '[Test/Freight/Quotes] logRetention (1), metricsNamespace (x) configure a function cdk-operable creates; with existingFunction, set them where');
  });

  test('an existing-only setting on the create path is an error too (conflicts are checked both ways)', () => {
    const { stack } = testStack();
    const dlq = new sqs.Queue(stack, 'Dlq');
    expect(() => new OperableFunction(freight(stack).workload, 'Quotes', { functionProps: functionProps(), deadLetterQueue: dlq })).toThrow(
      '[Test/Freight/Quotes] deadLetterQueue describes a function you bring (existingFunction); for the function cdk-operable creates, set ' +
      'functionProps.deadLetterQueue (or deadLetterQueueEnabled) instead: its depth is then alarmed.');
  });

  test('outside any Workload, the error says to create one', () => {
    const { stack } = testStack();
    expect(() => new OperableFunction(stack, 'Quotes', { functionProps: functionProps() })).toThrow(
      "[Test/Quotes] is not inside a Workload. Every operable construct needs an owner: create `new Workload(stack, 'Workload', " +
      "{ workloadName: 'my-workload', owner: { team: 'my-team', onCall: 'my-team-oncall' } })` and define 'Quotes' inside it " +
      '(its scope, or any ancestor, must be the Workload).');
  });

  test('an invalid serviceName', () => {
    expect(() => build({ functionProps: functionProps(), serviceName: 'quotes service' })).toThrow(
      "[Test/Freight/Quotes] serviceName 'quotes service' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
  });
});

describe('OperableFunction: no input is silently dropped, overridden or invalid', () => {
  test.each<[string, Partial<OperableFunctionProps>, string]>([
    ['logRetention 8 (not a CloudWatch Logs value)', { logRetention: 8 as logs.RetentionDays },
      'logRetention must be one of logs.RetentionDays (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999), got 8.'],
    ['logRetention NaN', { logRetention: Number.NaN as logs.RetentionDays }, 'logRetention must be one of logs.RetentionDays'],
    ["applicationLogLevel 'BOGUS'", { applicationLogLevel: 'BOGUS' as lambda.ApplicationLogLevel },
      "applicationLogLevel must be one of lambda.ApplicationLogLevel (INFO, DEBUG, WARN, TRACE, ERROR, FATAL), got 'BOGUS' (a string). E.g. lambda.ApplicationLogLevel.INFO."],
    ["metricsNamespace 'AWS/Lambda'", { metricsNamespace: 'AWS/Lambda' },
      "metricsNamespace 'AWS/Lambda' starts with 'AWS/', which CloudWatch reserves for AWS services: PutMetricData rejects it."],
    ["metricsNamespace ''", { metricsNamespace: '' }, "metricsNamespace must not be empty, got '' (a string)."],
    ['latencyThreshold with latencySlo: false', { latencySlo: false, latencyThreshold: Duration.millis(300) },
      'latencyThreshold is set but latencySlo is false: remove it, or the latencySlo: false.'],
    ['availabilityObjective with availabilitySlo: false', { availabilitySlo: false, availabilityObjective: 99.5 },
      'availabilityObjective is set but availabilitySlo is false: remove it, or the availabilitySlo: false.'],
    ['dashboardName with dashboard: false', { dashboard: false, dashboardName: 'x' }, "dashboardName is 'x' but dashboard is false"],
    ["a boolean given as a string (dashboard: 'false')", { dashboard: 'false' as unknown as boolean }, "dashboard must be true or false, got 'false' (a string)."],
    ['routing: {}', { routing: {} as never }, 'routing must be an AlarmRouting (new AlarmRouting({ page: [AlarmDestination.sns(topic)] })), got a plain object {}.'],
    ['a prop that does not exist (typo)', { safeDeploy: true } as never, 'safeDeploy is not a prop of OperableFunctionProps (did you mean safeDeployment?)'],
    ['the removed featureFlags prop', { featureFlags: {} } as never, 'featureFlags was removed: create new FeatureFlags(thisService'],
  ])('%s', (_, extra, message) => {
    expect(() => build({ functionProps: functionProps(), ...extra })).toThrow(`[Test/Freight/Quotes] ${message}`);
  });

  test.each<[string, Partial<lambda.FunctionProps>, Partial<OperableFunctionProps>, string]>([
    ['applicationLogLevel with functionProps.applicationLogLevelV2', { applicationLogLevelV2: lambda.ApplicationLogLevel.WARN },
      { applicationLogLevel: lambda.ApplicationLogLevel.DEBUG },
      "applicationLogLevel (DEBUG) and functionProps.applicationLogLevelV2 both set the function's application log level: keep one."],
    ['systemLogLevel with functionProps.systemLogLevelV2', { systemLogLevelV2: lambda.SystemLogLevel.WARN }, { systemLogLevel: lambda.SystemLogLevel.DEBUG },
      "systemLogLevel (DEBUG) and functionProps.systemLogLevelV2 both set the function's system log level: keep one."],
    ['functionProps.applicationLogLevelV2 with the deprecated applicationLogLevel', {
      applicationLogLevelV2: lambda.ApplicationLogLevel.WARN, applicationLogLevel: 'DEBUG',
    }, {}, 'functionProps.applicationLogLevelV2 (WARN) and the deprecated functionProps.applicationLogLevel (DEBUG) are both set'],
    ['logRetention with functionProps.logGroup', {}, { logRetention: logs.RetentionDays.ONE_WEEK },
      'logRetention (7) and functionProps.logGroup both set where the logs go'],
    ['metricsNamespace with the Powertools environment variable', { environment: { POWERTOOLS_METRICS_NAMESPACE: 'Mine' } }, { metricsNamespace: 'Freight' },
      "metricsNamespace ('Freight') and functionProps.environment.POWERTOOLS_METRICS_NAMESPACE ('Mine') both set the EMF metrics namespace: keep one."],
    ['log levels for text logs', { loggingFormat: lambda.LoggingFormat.TEXT }, { applicationLogLevel: lambda.ApplicationLogLevel.DEBUG },
      'applicationLogLevel (DEBUG) applies to JSON logs, but functionProps sets a text log format'],
  ])('%s is an error (one of the two would be silently lost)', (name, fnExtra, extra, message) => {
    const { stack } = testStack();
    const logGroup = name.includes('logGroup') ? { logGroup: new logs.LogGroup(stack, 'Logs') } : {};
    expect(() => new OperableFunction(freight(stack).workload, 'Quotes', { functionProps: { ...functionProps(), ...fnExtra, ...logGroup }, ...extra }))
      .toThrow(`[Test/Freight/Quotes] ${message}`);
  });

  test('the settings OperableFunction owns reach the function when functionProps does not set them', () => {
    const { stack } = testStack();
    new OperableFunction(freight(stack).workload, 'Quotes', {
      functionProps: functionProps(), applicationLogLevel: lambda.ApplicationLogLevel.DEBUG, systemLogLevel: lambda.SystemLogLevel.WARN, metricsNamespace: 'Pricing',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN', LogFormat: 'JSON' }),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_METRICS_NAMESPACE: 'Pricing' }) },
    });
  });

  test('props missing altogether are a precise error, not a TypeError', () => {
    expect(() => build(undefined as unknown as OperableFunctionProps)).toThrow('[Test/Freight/Quotes] props must be an object of OperableServiceProps, got undefined.');
  });
});
