import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { auroraCluster, ecsService, gameDay, world, World } from './gameday-fixtures';
import { OperableRestApi } from '../../src';
import { GameDay, GameDayExperiment, GameDayProps, LambdaFaultConfiguration } from '../../src/gameday';

const PATH = '[Test/Freight/QuotesGameDay]';

/** Build a game day in a fresh world; `experiments` may use the world (its fault configuration, stack). */
function build(experiments: (w: World) => GameDayExperiment[], props: Partial<GameDayProps> = {}): GameDay {
  const w = world();
  return gameDay(w, { experiments: experiments(w), ...props });
}

const errors = (options: Partial<Parameters<typeof GameDayExperiment.lambdaInvocationErrors>[0]> = {}) =>
  (w: World) => [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, ...options })];
const latency = (options: Partial<Parameters<typeof GameDayExperiment.lambdaAddedLatency>[0]> = {}) =>
  (w: World) => [GameDayExperiment.lambdaAddedLatency({ configuration: w.faults, ...options })];
const ecsLatency = (options: Partial<Parameters<typeof GameDayExperiment.ecsNetworkLatency>[0]> = {}) =>
  (w: World) => [GameDayExperiment.ecsNetworkLatency({ service: ecsService(w.stack), ...options })];

describe('FIS targets and parameters', () => {
  test.each([0, 101, 12.5, -5])('Lambda percent %p', (percent) => {
    expect(() => build(errors({ percent }))).toThrow(`${PATH} experiment 'lambda-invocation-errors': percent must be a whole number from 1 to 100 ` +
      `(the share of invocations FIS injects the fault into), got ${percent}.`);
  });

  test('a percent known only at deploy time', () => {
    expect(() => build(errors({ percent: Token.asNumber({ Ref: 'Percent' }) }))).toThrow(`${PATH} experiment 'lambda-invocation-errors': percent must ` +
      'be known at synth (the share of invocations FIS injects the fault into), got a token.');
  });

  test.each([0, 150])('ECS stop-tasks percent %p', (percent) => {
    expect(() => build((w) => [GameDayExperiment.ecsStopTasks({ service: ecsService(w.stack), percent })])).toThrow(
      `${PATH} experiment 'ecs-stop-tasks': percent must be a whole number from 1 to 100 (the share of running tasks FIS stops), got ${percent}.`);
  });

  test('ECS network latency percent and flowsPercent', () => {
    expect(() => build(ecsLatency({ percent: 0 }))).toThrow(`${PATH} experiment 'ecs-network-latency': percent must be a whole number from 1 to 100 ` +
      '(the share of running tasks FIS affects), got 0.');
    expect(() => build(ecsLatency({ flowsPercent: 120 }))).toThrow(`${PATH} experiment 'ecs-network-latency': flowsPercent must be a whole number ` +
      'from 1 to 100 (the share of network flows FIS delays), got 120.');
  });

  test.each([
    [Duration.seconds(30), 'must be from 1 minute to 12 hours (the FIS action limits), got 30 seconds.'],
    [Duration.hours(13), 'must be from 1 minute to 12 hours (the FIS action limits), got 13 hours.'],
    [Duration.millis(61_500), 'must be a whole number of seconds (FIS takes an ISO 8601 duration such as PT10M), got 61500 ms.'],
    [Duration.seconds(Token.asNumber({ Ref: 'Minutes' })), 'must be known at synth (FIS takes an ISO 8601 duration such as PT10M), got a token.'],
  ])('Lambda duration %s', (duration, message) => {
    expect(() => build(errors({ duration }))).toThrow(`${PATH} experiment 'lambda-invocation-errors': duration ${message}`);
  });

  test('ECS network latency duration', () => {
    expect(() => build(ecsLatency({ duration: Duration.days(1) }))).toThrow(
      `${PATH} experiment 'ecs-network-latency': duration must be from 1 minute to 12 hours (the FIS action limits), got 1 day.`);
  });

  test('Lambda delay: whole milliseconds up to 15 minutes', () => {
    expect(() => build(latency({ delay: Duration.minutes(16) }))).toThrow(`${PATH} experiment 'lambda-added-latency': delay must be a whole number of ` +
      'milliseconds from 0 to 900000 (FIS startupDelayMilliseconds, 15 minutes), got 960000 ms.');
    expect(() => build(latency({ delay: Duration.millis(0.5) }))).toThrow(`${PATH} experiment 'lambda-added-latency': delay must be a whole number of ` +
      'milliseconds from 0 to 900000 (FIS startupDelayMilliseconds, 15 minutes), got 0.5 ms.');
    expect(() => build(latency({ delay: Duration.millis(Token.asNumber({ Ref: 'Delay' })) }))).toThrow(
      `${PATH} experiment 'lambda-added-latency': delay must be known at synth, got a token.`);
  });

  test('ECS jitter and sources', () => {
    expect(() => build(ecsLatency({ jitter: Duration.millis(2.5) }))).toThrow(
      `${PATH} experiment 'ecs-network-latency': jitter must be a whole number of milliseconds, got 2.5 ms.`);
    expect(() => build(ecsLatency({ delay: Duration.seconds(Token.asNumber({ Ref: 'Delay' })) }))).toThrow(
      `${PATH} experiment 'ecs-network-latency': delay must be known at synth, got a token.`);
    expect(() => build(ecsLatency({ sources: ['DYNAMODB', 'a b'] }))).toThrow(`${PATH} experiment 'ecs-network-latency': sources entry 'a b' is ` +
      'invalid: give an IPv4 address, a CIDR block, a domain name, an AZ name or id, ALL, DYNAMODB or S3, without spaces or commas.');
    expect(() => build(ecsLatency({ sources: ['S3,DYNAMODB'] }))).toThrow("sources entry 'S3,DYNAMODB' is invalid");
    expect(() => build(ecsLatency({ sources: [] }))).toThrow(
      `${PATH} experiment 'ecs-network-latency': sources is empty: leave it out for all traffic (ALL), or list destinations.`);
  });

  test('an Aurora cluster without a reader cannot fail over', () => {
    expect(() => build((w) => [GameDayExperiment.auroraFailover({ cluster: auroraCluster(w.stack, 0) })])).toThrow(
      `${PATH} experiment 'aurora-failover': cluster Test/Orders has 1 instance(s) and no reader to fail over to: add a reader instance ` +
      '(aws:rds:failover-db-cluster promotes one).');
  });
});

describe('unsupported service types', () => {
  test('a Lambda experiment on a service that is not an OperableFunction needs lambdaFunction', () => {
    const w = world();
    const api = new OperableRestApi(w.workload, 'QuoteApi', { restApiProps: { restApiName: 'quotes' } });
    api.api.root.addMethod('GET');
    expect(() => new GameDay(w.workload, 'QuotesGameDay', { service: api, experiments: errors()(w) })).toThrow(
      `${PATH} experiment 'lambda-invocation-errors' injects faults into a Lambda function, but service 'quote-api' is an OperableRestApi, ` +
      'not an OperableFunction: give lambdaFunction.');
  });

  test('a Lambda experiment without a service needs lambdaFunction', () => {
    const w = world();
    expect(() => new GameDay(w.workload, 'QuotesGameDay', {
      pageAlarm: w.quotes.pageAlarm, serviceName: 'orders', runbook: 'freight-orders-restart', experiments: errors()(w),
    })).toThrow(`${PATH} experiment 'lambda-invocation-errors' injects faults into a Lambda function, but the game day has no service: give lambdaFunction.`);
  });
});

describe('the game day itself', () => {
  test('at least one experiment, with valid, distinct names', () => {
    expect(() => build(() => [])).toThrow(`${PATH} a game day needs at least one experiment: pass experiments, ` +
      'e.g. [GameDayExperiment.ecsStopTasks({ service })].');
    expect(() => build((w) => [...errors()(w), ...errors()(w)])).toThrow(
      `${PATH} two experiments are named 'lambda-invocation-errors': give one of them another name.`);
    expect(() => build((w) => [...errors({ name: 'errors-a' })(w), ...errors({ name: 'errors.a' })(w)])).toThrow(
      `${PATH} experiments 'errors-a' and 'errors.a' differ only in punctuation and would get the same construct id 'ErrorsA': rename one.`);
    expect(() => build(errors({ name: 'errors 10%' }))).toThrow(
      `${PATH} experiment name 'errors 10%' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  });

  test('service or page alarm, not both; a service name without a service', () => {
    const w = world();
    const page = new cloudwatch.Alarm(w.stack, 'Page', { metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Faults' }), threshold: 1, evaluationPeriods: 1 });
    const experiments = errors({ lambdaFunction: w.quotes.lambdaFunction })(w);
    expect(() => new GameDay(w.workload, 'QuotesGameDay', { service: w.quotes, pageAlarm: page, experiments })).toThrow(
      `${PATH} give service (quotes, whose page composite stops the experiments) or pageAlarm, not both; to stop on more alarms, use stopConditions.`);
    expect(() => new GameDay(w.workload, 'A', { service: w.quotes, serviceName: 'orders', experiments })).toThrow(
      "[Test/Freight/A] serviceName 'orders' differs from the service's name 'quotes': leave serviceName out.");
    expect(() => new GameDay(w.workload, 'B', { experiments })).toThrow(
      '[Test/Freight/B] give service (an operable service, whose page composite stops the experiments) or pageAlarm.');
    expect(() => new GameDay(w.workload, 'C', { pageAlarm: page, experiments })).toThrow(
      '[Test/Freight/C] give serviceName (the ops:service tag of the experiment templates) with pageAlarm, or give service.');
    expect(() => new GameDay(w.workload, 'D', { pageAlarm: page, serviceName: 'Orders Service', experiments })).toThrow(
      "[Test/Freight/D] serviceName 'Orders Service' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
  });

  test('every experiment names a runbook', () => {
    const w = world();
    const page = new cloudwatch.Alarm(w.stack, 'Page', { metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Faults' }), threshold: 1, evaluationPeriods: 1 });
    expect(() => new GameDay(w.workload, 'QuotesGameDay', {
      pageAlarm: page, serviceName: 'orders', experiments: errors({ lambdaFunction: w.quotes.lambdaFunction })(w),
    })).toThrow(`${PATH} experiment 'lambda-invocation-errors' names no runbook to exercise: give the game day a runbook (a URL or an SSM document ` +
      'name, e.g. failover.documentName), give the experiment one, or give the service a runbook.');
  });

  test('1 to 5 stop conditions', () => {
    const w = world();
    const alarms = Array.from({ length: 6 }, (_, i) => new cloudwatch.Alarm(w.stack, `A${i}`, {
      metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: `M${i}` }), threshold: 1, evaluationPeriods: 1,
    }));
    const message = (n: number) => `${PATH} stopConditions has ${n} alarms; FIS takes 1 to 5 per experiment template ` +
      "(a game day without a stop condition cannot be stopped by the service's health).";
    expect(() => gameDay(w, { experiments: errors()(w), stopConditions: alarms })).toThrow(message(6));
    expect(() => build(errors(), { stopConditions: [] })).toThrow(message(0));
  });

  test('logRetention only for the log group the game day creates', () => {
    const w = world();
    const own = new logs.LogGroup(w.stack, 'Own', { retention: logs.RetentionDays.ONE_WEEK });
    expect(() => gameDay(w, { experiments: errors()(w), logGroup: own, logRetention: logs.RetentionDays.ONE_DAY })).toThrow(
      `${PATH} logRetention configures the log group the game day creates; with logGroup, set the retention where that log group is defined.`);
  });

  test('the template description fits in 512 characters', () => {
    const runbook = `https://runbooks.example.com/freight/${'very-long-path/'.repeat(25)}quotes`;
    expect(() => build(errors({ runbook }))).toThrow(`${PATH} experiment 'lambda-invocation-errors': its template description is 693 characters; ` +
      'FIS allows 512. Shorten the runbook reference (an SSM document name rather than a long URL) or the service name.');
  });

  test('the start runbook name follows SSM rules; no start runbook without approvers unless opted in', () => {
    expect(() => build(errors(), { documentName: 'aws-quotes-game-day' })).toThrow(
      "[Test/Freight/QuotesGameDay/Start] Document name 'aws-quotes-game-day' starts with 'aws', a prefix Systems Manager reserves for AWS documents: " +
      'choose another name (e.g. prefix it with your workload).');
    const w = world({ approvers: false });
    expect(() => gameDay(w, { experiments: errors()(w), startRunbook: true })).toThrow(
      "[Test/Freight/QuotesGameDay/Start] Runbook 'freight-quotes-game-day' changes production state (StartExperiment) and needs an approval gate, " +
      "but workload 'freight' has no approvers");
  });

  test('experimentTemplate names an unknown experiment', () => {
    const day = build(errors());
    expect(() => day.experimentTemplate('ecs-stop-tasks')).toThrow(
      `${PATH} has no experiment named 'ecs-stop-tasks' (it has lambda-invocation-errors).`);
  });
});

describe('LambdaFaultConfiguration', () => {
  test.each(['/FisConfigs/', 'FisConfigs', 'fis configs/', 'fis/*/'])('prefix %p', (prefix) => {
    const w = world();
    expect(() => LambdaFaultConfiguration.fromBucket(w.bucket, prefix)).toThrow(`[Test/FisConfig] FIS configuration prefix '${prefix}' is invalid: ` +
      "use a folder such as 'FisConfigs/' (letters, digits and ! _ . ' ( ) - /, no leading '/', ending in '/').");
  });

  test('applyTo once per function', () => {
    const w = world();
    const fn = w.quotes.lambdaFunction as lambda.Function;
    w.faults.applyTo(fn);
    expect(() => w.faults.applyTo(fn)).toThrow('[Test/Freight/Quotes/Function] already has the FIS extension ' +
      '(LambdaFaultConfiguration.applyTo was called on it before): call it once per function.');
  });
});
