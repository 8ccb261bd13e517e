import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ecsService, gameDay, propertiesOf, world, World } from './gameday-fixtures';
import { IOperableService, RunbookApproval, ServiceLevelObjective, Workload } from '../../src';
import { GameDay, GameDayExperiment, GameDayProps, LambdaFaultConfiguration } from '../../src/gameday';

const PATH = '[Test/Freight/QuotesGameDay]';

/** A service that is not one of the library's classes, only shaped like IOperableService (another team's L3, another copy). */
class ForeignService extends Construct implements IOperableService {
  public readonly serviceName = 'orders';
  public readonly pageAlarm: cloudwatch.IAlarm;
  public readonly ticketAlarm: cloudwatch.IAlarm;
  public readonly runbook = 'freight-orders-restart';
  public readonly slos: ServiceLevelObjective[] = [];

  constructor(scope: Construct, id: string, public readonly workload: Workload, fn?: lambda.IFunction) {
    super(scope, id);
    const metric = new cloudwatch.Metric({ namespace: 'Freight', metricName: 'OrderFaults' });
    this.pageAlarm = metric.createAlarm(this, 'Page', { alarmName: 'freight-orders-page', threshold: 1, evaluationPeriods: 1 });
    this.ticketAlarm = metric.createAlarm(this, 'Ticket', { alarmName: 'freight-orders-ticket', threshold: 1, evaluationPeriods: 1 });
    if (fn) {
      // What an OperableFunction of another copy of the library carries: the Symbol.for brand and its function.
      Object.defineProperty(this, Symbol.for('cdk-operable.OperableFunction'), { value: true });
      Object.defineProperty(this, 'lambdaFunction', { value: fn });
    }
  }

  public addTicketAlarm(): void {}
}

describe('GameDayProps.service takes any IOperableService', () => {
  test('its page alarm stops the experiments, its name tags them, its runbook is exercised', () => {
    const w = world();
    const orders = new ForeignService(w.workload, 'Orders', w.workload);
    const day = new GameDay(w.workload, 'OrdersGameDay', {
      service: orders,
      experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, lambdaFunction: w.quotes.lambdaFunction })],
    });
    const props = propertiesOf(day.experimentTemplates[0]);
    expect([day.serviceName, day.pageAlarm, day.runbook]).toEqual(['orders', orders.pageAlarm, 'freight-orders-restart']);
    expect(props.Description).toContain('Exercises runbook freight-orders-restart. Stops when freight-orders-page fires.');
    expect(props.Tags).toEqual(expect.objectContaining({ 'ops:service': 'orders' }));
  });

  test('a Lambda experiment finds the function of an OperableFunction by its Symbol.for brand, not instanceof', () => {
    const w = world();
    const fn = lambda.Function.fromFunctionArn(w.stack, 'Orders', 'arn:aws:lambda:us-east-1:123456789012:function:orders');
    const orders = new ForeignService(w.workload, 'OrdersService', w.workload, fn);
    const day = new GameDay(w.workload, 'OrdersGameDay', { service: orders, experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })] });
    expect((propertiesOf(day.experimentTemplates[0]).Targets as Record<string, { ResourceArns: unknown }>).Functions.ResourceArns)
      .toEqual(['arn:aws:lambda:us-east-1:123456789012:function:orders']);
  });

  test('the warning ids come from the registry: no GameDay.WARNING_* statics', () => {
    expect(Object.keys(GameDay).filter((k) => k.startsWith('WARNING_'))).toEqual([]);
  });
});

describe('start-runbook settings without a start runbook are errors, not dropped', () => {
  const errors = (w: World) => [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })];

  test('startRunbook: false with approval or documentName', () => {
    const w = world();
    expect(() => gameDay(w, { experiments: errors(w), startRunbook: false, approval: RunbookApproval.whenChangingState() })).toThrow(
      `${PATH} approval configures the start runbook, but the game day creates none (startRunbook is false): remove approval, or the startRunbook: false.`);
  });

  test('no approvers: documentName would be ignored', () => {
    const w = world({ approvers: false });
    expect(() => gameDay(w, { experiments: errors(w), documentName: 'freight-quotes-drill' })).toThrow(`${PATH} documentName configures the start ` +
      "runbook, but the game day creates none (workload 'freight' has no approvers): remove documentName, or give approval (e.g. " +
      'RunbookApproval.by(approvers)) or startRunbook: true.');
  });
});

describe('plain JavaScript input fails at the game day, naming the prop and the value', () => {
  const build = (props: (w: World) => Partial<GameDayProps>) => () => {
    const w = world();
    return gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })], ...props(w) } as GameDayProps);
  };

  test.each([
    [() => ({ experiments: [{}] }), 'experiments [0] must be a GameDayExperiment (from its static factories) (got a plain object {}), got an array of 1. ' +
      'e.g. experiments: [GameDayExperiment.ecsStopTasks({ service })].'],
    [() => ({ startRunbook: 'yes' }), "startRunbook must be true or false, got 'yes' (a string)."],
    [() => ({ logRetention: 8 }), 'logRetention must be one of logs.RetentionDays'],
    [() => ({ runbook: '' }), "runbook must not be empty, got '' (a string). Give a URL or an SSM Automation document name, or leave runbook out."],
    [() => ({ stopConditions: [{}] }), 'stopConditions [0] must be a CloudWatch alarm (cloudwatch.IAlarm) (got a plain object {}), got an array of 1.'],
    [() => ({ service: { serviceName: 'quotes' } }), 'service must be an operable service (IOperableService, e.g. an OperableFunction)'],
  ])('case %#', (props, message) => {
    expect(build(props as (w: World) => Partial<GameDayProps>)).toThrow(`${PATH} ${message}`);
  });

  test('experiment options are checked where the game day plans them', () => {
    const w = world();
    let n = 0;
    const day = (experiment: GameDayExperiment) => () => new GameDay(w.workload, `Day${n++}`, { service: w.quotes, experiments: [experiment] });
    expect(day(GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, preventExecution: 'false' as unknown as boolean }))).toThrow(
      "[Test/Freight/Day0] experiment 'lambda-invocation-errors': preventExecution must be true or false, got 'false' (a string).");
    expect(day(GameDayExperiment.lambdaAddedLatency({} as never))).toThrow("[Test/Freight/Day1] experiment 'lambda-added-latency': configuration is " +
      'required, got undefined. e.g. LambdaFaultConfiguration.fromBucket(bucket).');
    expect(day(GameDayExperiment.ecsStopTasks({ service: {} as never }))).toThrow(
      "[Test/Freight/Day2] experiment 'ecs-stop-tasks': service must be an ECS service (ecs.IBaseService), got a plain object {}.");
    expect(day(GameDayExperiment.ecsNetworkLatency({ service: ecsService(w.stack), sources: [1 as unknown as string] }))).toThrow(
      "[Test/Freight/Day3] experiment 'ecs-network-latency': sources [0] must be a string (got 1), got an array of 1.");
    expect(day(GameDayExperiment.auroraFailover(null as never))).toThrow(
      "[Test/Freight/Day4] experiment 'aurora-failover': its factory needs an options object, got null.");
    expect(day(GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, runbook: '' }))).toThrow(
      "[Test/Freight/Day5] experiment 'lambda-invocation-errors': runbook must not be empty, got '' (a string).");
    expect(day(GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, duration: 10 as never }))).toThrow(
      "[Test/Freight/Day6] experiment 'lambda-invocation-errors': duration must be a Duration (e.g. Duration.minutes(10)), got 10.");
  });

  test('a LambdaFaultConfiguration made without a bucket fails where it is used, not without a path', () => {
    const w = world();
    const faults = LambdaFaultConfiguration.fromBucket(undefined as unknown as s3.IBucket);
    expect(() => gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: faults })] })).toThrow(
      `${PATH} experiment 'lambda-invocation-errors': configuration: bucket must be an S3 bucket (s3.IBucket), got undefined: pass the bucket FIS ` +
      'and the extension exchange configurations in, e.g. LambdaFaultConfiguration.fromBucket(bucket).');
  });

  test('applyTo takes a function defined in this app', () => {
    const w = world();
    const imported = lambda.Function.fromFunctionArn(w.stack, 'Legacy', 'arn:aws:lambda:us-east-1:123456789012:function:legacy');
    expect(() => w.faults.applyTo(imported as lambda.Function)).toThrow('[Test/Legacy] applyTo takes a lambda.Function defined in this app, got ' +
      'Test/Legacy (an instance of Import): prepare an imported function, alias or version where its function is defined');
  });
});
