import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
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
      '[Test/Freight/Quotes] latencyThreshold must be greater than zero, got 0 millis.');
  });

  test.each([0, 101, -5, Number.NaN])('concurrencyAlarmPercent %d', (percent) => {
    expect(() => build({ functionProps: functionProps(), concurrencyAlarmPercent: percent })).toThrow(
      `[Test/Freight/Quotes] concurrencyAlarmPercent must be above 0 and at most 100, got ${percent}.`);
  });

  test.each([2.5, 0, -1])('concurrencyLimit %d', (limit) => {
    expect(() => build({ functionProps: functionProps(), concurrencyLimit: limit })).toThrow(
      `[Test/Freight/Quotes] concurrencyLimit must be a whole number above 0, got ${limit}.`);
  });

  test.each(['bad name', '123', 'live:1', 'a'.repeat(129), ''])("aliasName '%s'", (aliasName) => {
    expect(() => build({ functionProps: functionProps(), aliasName })).toThrow(
      `[Test/Freight/Quotes] aliasName '${aliasName}' is invalid: use 1-128 letters, digits, '-' or '_', not only digits.`);
  });

  test.each(['live', 'v2_canary', 'prod-1', 'a'.repeat(128)])("aliasName '%s' is valid", (aliasName) => {
    expect(build({ functionProps: functionProps(), aliasName }).alias!.aliasName).toBe(aliasName);
  });

  test.each<[string, Partial<OperableFunctionProps>]>([
    ['logRetention', { logRetention: logs.RetentionDays.ONE_WEEK }],
    ['lambdaInsights', { lambdaInsights: true }],
    ['applicationLogLevel', { applicationLogLevel: lambda.ApplicationLogLevel.DEBUG }],
    ['systemLogLevel', { systemLogLevel: lambda.SystemLogLevel.WARN }],
    ['metricsNamespace', { metricsNamespace: 'Freight' }],
  ])('%s together with existingFunction', (_, extra) => {
    expect(() => build((stack) => ({ existingFunction: legacy(stack), ...extra }))).toThrow(
      '[Test/Freight/Quotes] logRetention, applicationLogLevel, systemLogLevel, lambdaInsights and metricsNamespace configure a function ' +
      'cdk-operable creates; with existingFunction, set them where the function is defined.');
  });

  test('any create-only setting given counts, even lambdaInsights: false', () => {
    expect(() => build((stack) => ({ existingFunction: legacy(stack), lambdaInsights: false }))).toThrow(
      '[Test/Freight/Quotes] logRetention, applicationLogLevel, systemLogLevel, lambdaInsights and metricsNamespace configure a function');
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
