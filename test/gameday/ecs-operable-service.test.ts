import * as iam from 'aws-cdk-lib/aws-iam';
import { inlineStatements, logicalId, propertiesOf, world } from './gameday-fixtures';
import { OperableFargateService } from '../../src';
import { GameDay, GameDayExperiment } from '../../src/gameday';
import { IMAGE, oncallApprovers } from '../services/fargate-fixtures';
import { freight, testStack } from '../support/fixtures';

/** Experiment template `i` of a game day: its properties, one action, one target and its role's statements. */
function template(day: GameDay, i = 0) {
  const props = propertiesOf(day.experimentTemplates[i]);
  const [action] = Object.values(props.Actions as Record<string, Record<string, unknown>>);
  const [target] = Object.values(props.Targets as Record<string, Record<string, unknown>>);
  return { props, action, target, statements: inlineStatements(day.roles[i].node.defaultChild as iam.CfnRole) };
}

/** The freight workload (approvers: the on-call role) with the OperableFargateService 'Dispatch'. */
function dispatch() {
  const { stack } = testStack();
  const { workload } = freight(stack, { approvers: oncallApprovers(stack) });
  const svc = new OperableFargateService(workload, 'Dispatch', { taskImageOptions: { image: IMAGE } });
  return { stack, workload, svc };
}

describe('ECS experiments on an OperableFargateService game day service', () => {
  let stop: ReturnType<typeof template>;
  let latency: ReturnType<typeof template>;
  let w: ReturnType<typeof dispatch>;
  let cluster: string;
  let service: string;
  beforeAll(() => {
    w = dispatch();
    const day = new GameDay(w.workload, 'DispatchGameDay', {
      service: w.svc,
      experiments: [GameDayExperiment.ecsStopTasks({}), GameDayExperiment.ecsNetworkLatency({})],
    });
    stop = template(day, 0);
    latency = template(day, 1);
    [cluster, service] = [logicalId(w.svc.cluster), logicalId(w.svc.service)];
  });

  test('ecsStopTasks({}) targets the tasks of the service: its cluster and name in the FIS target parameters', () => {
    expect(stop.action.ActionId).toBe('aws:ecs:stop-task');
    expect(stop.target).toEqual({
      ResourceType: 'aws:ecs:task',
      Parameters: { cluster: { Ref: cluster }, service: { 'Fn::GetAtt': [service, 'Name'] } },
      SelectionMode: 'PERCENT(50)',
    });
    expect(stop.action.Description).toBe('Stop 50% of the running tasks of the dispatch ECS service.');
  });

  test("the role stops tasks of the service's cluster only", () => {
    const inCluster = { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [cluster, 'Arn'] } } };
    expect(stop.statements.slice(0, 2)).toEqual([
      {
        Effect: 'Allow',
        Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-east-1:123456789012:task/', { Ref: cluster }, '/*']] },
        Condition: inCluster,
      },
      { Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: inCluster },
    ]);
  });

  test("the service's page composite stops the experiment, which exercises the service's runbook", () => {
    expect(stop.props.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [logicalId(w.svc.pageAlarm), 'Arn'] } }]);
    expect(stop.props.Description).toContain(`Exercises runbook ${w.svc.runbook}. Stops when freight-dispatch-page fires.`);
    expect(w.svc.runbook).toBe('freight-dispatch-rollback-runbook');
    expect((stop.props.Tags as Record<string, string>)['ops:service']).toBe('dispatch');
  });

  test('ecsNetworkLatency({}) targets the same tasks', () => {
    expect(latency.action.ActionId).toBe('aws:ecs:task-network-latency');
    expect(latency.target).toEqual({
      ResourceType: 'aws:ecs:task',
      Parameters: { cluster: { Ref: cluster }, service: { 'Fn::GetAtt': [service, 'Name'] } },
      SelectionMode: 'PERCENT(50)',
    });
  });
});

describe('ECS experiments on a game day of an OperableFunction', () => {
  test('without a service option: the exact error naming the service and its class', () => {
    const w = world();
    expect(() => new GameDay(w.workload, 'QuotesGameDay', { service: w.quotes, experiments: [GameDayExperiment.ecsStopTasks({})] })).toThrow(
      "[Test/Freight/QuotesGameDay] experiment 'ecs-stop-tasks' acts on the tasks of an ECS service, but service 'quotes' is an OperableFunction, " +
      'not an OperableFargateService: give service.');
  });

  test('with the Fargate service given as the option, the experiment targets it', () => {
    const w = world();
    const fargate = new OperableFargateService(w.workload, 'Dispatch', { taskImageOptions: { image: IMAGE } });
    const day = new GameDay(w.workload, 'QuotesGameDay', { service: w.quotes, experiments: [GameDayExperiment.ecsStopTasks({ service: fargate.service })] });
    expect(template(day).target.Parameters).toEqual({ cluster: { Ref: logicalId(fargate.cluster) }, service: { 'Fn::GetAtt': [logicalId(fargate.service), 'Name'] } });
  });
});
