import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { auroraCluster, ecsService, gameDay, inlineStatements, logicalId, propertiesOf, resources, world } from './gameday-fixtures';
import { ServiceTier } from '../../src';
import { GameDay, GameDayExperiment, LambdaFaultConfiguration } from '../../src/gameday';

const FUNCTION_ARN = { 'Fn::GetAtt': ['FreightQuotesFunction4B76B3B8', 'Arn'] };
const CONFIG_OBJECTS = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FisConfigB9FDE769', 'Arn'] }, '/FisConfigs/*']] };
const TAG_LOOKUPS = { Effect: 'Allow', Action: 'tag:GetResources', Resource: '*' };
const LOG_DELIVERY = {
  Effect: 'Allow',
  Action: ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy'],
  Resource: '*',
};
const IN_CLUSTER = { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': ['ClusterEB0386A7', 'Arn'] } } };
const TASKS_OF_CLUSTER = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-east-1:123456789012:task/', { Ref: 'ClusterEB0386A7' }, '/*']] };
const ECS_TARGET = { Parameters: { cluster: { Ref: 'ClusterEB0386A7' }, service: { 'Fn::GetAtt': ['ApiService89E3D990', 'Name'] } }, ResourceType: 'aws:ecs:task' };

/** The one template and role statements of a game day with this one experiment. */
function only(day: GameDay) {
  const props = propertiesOf(day.experimentTemplates[0]);
  const [action] = Object.values(props.Actions as Record<string, Record<string, unknown>>);
  const [target] = Object.values(props.Targets as Record<string, Record<string, unknown>>);
  return { props, action, target, statements: inlineStatements(day.roles[0].node.defaultChild as iam.CfnRole) };
}

describe('GameDayExperiment.lambdaInvocationErrors', () => {
  test('defaults: 25% of invocations for PT10M without running the code; FIS extension permissions scoped to the configuration folder', () => {
    const w = world();
    const { action, target, statements } = only(gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })] }));
    expect(action.Parameters).toEqual({ duration: 'PT10M', invocationPercentage: '25', preventExecution: 'true' });
    expect(target).toEqual({ ResourceType: 'aws:lambda:function', ResourceArns: [FUNCTION_ARN], SelectionMode: 'ALL' });
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['s3:DeleteObject', 's3:PutObject'], Resource: CONFIG_OBJECTS },
      { Effect: 'Allow', Action: 'lambda:GetFunction', Resource: [FUNCTION_ARN, { 'Fn::Join': ['', [FUNCTION_ARN, ':*']] }] },
      TAG_LOOKUPS,
      LOG_DELIVERY,
    ]);
  });

  test('overrides: percent, duration, preventExecution false, and a function given as an alias targets its function', () => {
    const w = world();
    const day = gameDay(w, {
      experiments: [GameDayExperiment.lambdaInvocationErrors({
        configuration: w.faults, lambdaFunction: w.quotes.alias, percent: 100, duration: Duration.seconds(90), preventExecution: false,
      })],
    });
    const { action, target, props } = only(day);
    expect(action.Parameters).toEqual({ duration: 'PT1M30S', invocationPercentage: '100', preventExecution: 'false' });
    expect(target.ResourceArns).toEqual([FUNCTION_ARN]);
    expect(props.Description).toContain(': Make 100% of the invocations of the quotes function fail, for 90 seconds.');
  });

  test('a version stands for its function too', () => {
    const w = world();
    const version = (w.quotes.lambdaFunction as lambda.Function).currentVersion;
    const experiment = GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, lambdaFunction: version });
    const { target } = only(gameDay(w, { experiments: [experiment] }));
    expect(target.ResourceArns).toEqual([FUNCTION_ARN]);
  });

  test('a KMS-encrypted configuration bucket: the role may generate data keys for the objects FIS writes', () => {
    const w = world();
    const key = new kms.Key(w.stack, 'Key');
    const bucket = new s3.Bucket(w.stack, 'Encrypted', { encryptionKey: key });
    const day = gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: LambdaFaultConfiguration.fromBucket(bucket, 'chaos/') })] });
    expect(only(day).statements[0].Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(bucket), 'Arn'] }, '/chaos/*']] });
    const policies = resources(w.stack, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(logicalId(day.roles[0] as iam.Role)));
    expect(policies.map(([, p]) => (p.Properties.PolicyDocument as { Statement: unknown[] }).Statement)).toEqual([[
      { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } },
    ]]);
  });
});

describe('GameDayExperiment.lambdaAddedLatency', () => {
  test('defaults: the workload tier latency threshold (standard: 1 s) on 25% of invocations for PT10M', () => {
    const w = world();
    const { action, props } = only(gameDay(w, { experiments: [GameDayExperiment.lambdaAddedLatency({ configuration: w.faults })] }));
    expect(action.ActionId).toBe('aws:lambda:invocation-add-delay');
    expect(action.Parameters).toEqual({ duration: 'PT10M', invocationPercentage: '25', startupDelayMilliseconds: '1000' });
    expect(props.Description).toContain(': Delay 25% of the invocations of the quotes function by 1000 ms, for 10 minutes.');
  });

  test('the default delay follows the tier (critical: 500 ms); delay, percent and duration override', () => {
    const critical = world({ workload: { tier: ServiceTier.CRITICAL } });
    expect(only(gameDay(critical, { experiments: [GameDayExperiment.lambdaAddedLatency({ configuration: critical.faults })] }))
      .action.Parameters).toEqual({ duration: 'PT10M', invocationPercentage: '25', startupDelayMilliseconds: '500' });
    const w = world();
    const day = gameDay(w, {
      experiments: [
        GameDayExperiment.lambdaAddedLatency({ configuration: w.faults, delay: Duration.seconds(5), percent: 50, duration: Duration.hours(1) }),
      ],
    });
    expect(only(day).action.Parameters).toEqual({ duration: 'PT1H', invocationPercentage: '50', startupDelayMilliseconds: '5000' });
  });
});

describe('GameDayExperiment.ecsStopTasks', () => {
  test('defaults: 50% of the service tasks, found by cluster and service; the role stops tasks of that cluster only', () => {
    const w = world();
    const api = ecsService(w.stack);
    const { action, target, statements, props } = only(gameDay(w, { experiments: [GameDayExperiment.ecsStopTasks({ service: api })] }));
    expect(action).toEqual({
      ActionId: 'aws:ecs:stop-task',
      Description: 'Stop 50% of the running tasks of the quotes ECS service.',
      Targets: { Tasks: 'Tasks' },
    });
    expect(target).toEqual({ ...ECS_TARGET, SelectionMode: 'PERCENT(50)' });
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['ecs:DescribeTasks', 'ecs:StopTask'], Resource: TASKS_OF_CLUSTER, Condition: IN_CLUSTER },
      { Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: IN_CLUSTER },
      TAG_LOOKUPS,
      LOG_DELIVERY,
    ]);
    expect((props.Tags as Record<string, string>)['ops:gameday']).toBe('ecs-stop-tasks');
  });

  test('percent overrides the share of tasks', () => {
    const w = world();
    const api = ecsService(w.stack);
    expect(only(gameDay(w, { experiments: [GameDayExperiment.ecsStopTasks({ service: api, percent: 100 })] })).target.SelectionMode).toBe('PERCENT(100)');
  });
});

describe('GameDayExperiment.ecsNetworkLatency', () => {
  test('defaults: the tier latency threshold and 10 ms jitter on 50% of the tasks for PT10M, through the tc document', () => {
    const w = world();
    const api = ecsService(w.stack);
    const { action, target, statements } = only(gameDay(w, { experiments: [GameDayExperiment.ecsNetworkLatency({ service: api })] }));
    expect(action.ActionId).toBe('aws:ecs:task-network-latency');
    expect(action.Parameters).toEqual({ duration: 'PT10M', delayMilliseconds: '1000', jitterMilliseconds: '10' });
    expect(target).toEqual({ ...ECS_TARGET, SelectionMode: 'PERCENT(50)' });
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: TASKS_OF_CLUSTER, Condition: IN_CLUSTER },
      {
        Effect: 'Allow',
        Action: 'ecs:DescribeContainerInstances',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-east-1:123456789012:container-instance/', { Ref: 'ClusterEB0386A7' }, '/*']] },
        Condition: IN_CLUSTER,
      },
      { Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: IN_CLUSTER },
      { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ssm:CancelCommand', 'ssm:ListCommands'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1::document/AWSFIS-Run-Network-Latency-Sources']] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:managed-instance/*']] },
        ],
      },
      TAG_LOOKUPS,
      LOG_DELIVERY,
    ]);
  });

  test('overrides: every parameter, and the ECS fault injection endpoints use their own SSM document', () => {
    const w = world();
    const api = ecsService(w.stack);
    const day = gameDay(w, {
      experiments: [GameDayExperiment.ecsNetworkLatency({
        service: api,
        percent: 25,
        duration: Duration.minutes(5),
        delay: Duration.millis(300),
        jitter: Duration.millis(50),
        flowsPercent: 40,
        sources: ['DYNAMODB', '10.0.0.0/16', 'payments.internal.example.com'],
        useEcsFaultInjectionEndpoints: true,
      })],
    });
    const { action, target, statements, props } = only(day);
    expect(action.Parameters).toEqual({
      duration: 'PT5M',
      delayMilliseconds: '300',
      jitterMilliseconds: '50',
      flowsPercent: '40',
      sources: 'DYNAMODB,10.0.0.0/16,payments.internal.example.com',
      useEcsFaultInjectionEndpoints: 'true',
    });
    expect(target.SelectionMode).toBe('PERCENT(25)');
    expect(statements[4].Resource).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1::document/AWSFIS-Run-Network-Latency-ECS']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:managed-instance/*']] },
    ]);
    expect(props.Description).toContain(': Add 300 ms of network latency to 25% of the tasks of the quotes ECS service, for 5 minutes.');
  });
});

describe('GameDayExperiment.auroraFailover', () => {
  test('fails the cluster over; the role may fail over and describe that cluster only', () => {
    const w = world();
    const orders = auroraCluster(w.stack);
    const { action, target, statements, props } = only(gameDay(w, {
      experiments: [GameDayExperiment.auroraFailover({ cluster: orders, runbook: 'freight-failover-orders' })],
    }));
    const clusterArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:cluster:', { Ref: logicalId(orders) }]] };
    expect(action).toEqual({ ActionId: 'aws:rds:failover-db-cluster', Description: 'Fail the quotes Aurora cluster over to a reader.', Targets: { Clusters: 'Clusters' } });
    expect(target).toEqual({ ResourceType: 'aws:rds:cluster', ResourceArns: [clusterArn], SelectionMode: 'ALL' });
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['rds:DescribeDBClusters', 'rds:FailoverDBCluster'], Resource: clusterArn },
      TAG_LOOKUPS,
      LOG_DELIVERY,
    ]);
    expect(props.Description).toContain('Exercises runbook freight-failover-orders.');
    expect((props.Tags as Record<string, string>)['ops:gameday']).toBe('aurora-failover');
  });

  test('an imported cluster (instances unknown) is targeted by its ARN, and an imported stop alarm is named by its ARN', () => {
    const w = world();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(w.stack, 'Imported', { clusterIdentifier: 'orders' });
    const page = cloudwatch.Alarm.fromAlarmArn(w.stack, 'Page', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-orders-page');
    const day = gameDay(w, { experiments: [GameDayExperiment.auroraFailover({ cluster })], stopConditions: [page] });
    const { target, props } = only(day);
    expect(target.ResourceArns).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:cluster:orders']] }]);
    expect(props.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-orders-page' }]);
    expect(props.Description).toContain('Stops when freight-orders-page fires.');
  });

  test('kinds and action ids', () => {
    const w = world();
    const api = ecsService(w.stack);
    const orders = auroraCluster(w.stack);
    const all = [
      GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults }),
      GameDayExperiment.lambdaAddedLatency({ configuration: w.faults }),
      GameDayExperiment.ecsStopTasks({ service: api }),
      GameDayExperiment.ecsNetworkLatency({ service: api }),
      GameDayExperiment.auroraFailover({ cluster: orders }),
    ];
    expect(all.map((e) => [e.kind, e.actionId, e.name])).toEqual([
      [GameDayExperiment.LAMBDA_INVOCATION_ERRORS, 'aws:lambda:invocation-error', 'lambda-invocation-errors'],
      [GameDayExperiment.LAMBDA_ADDED_LATENCY, 'aws:lambda:invocation-add-delay', 'lambda-added-latency'],
      [GameDayExperiment.ECS_STOP_TASKS, 'aws:ecs:stop-task', 'ecs-stop-tasks'],
      [GameDayExperiment.ECS_NETWORK_LATENCY, 'aws:ecs:task-network-latency', 'ecs-network-latency'],
      [GameDayExperiment.AURORA_FAILOVER, 'aws:rds:failover-db-cluster', 'aurora-failover'],
    ]);
    const day = gameDay(w, { experiments: all });
    expect(resources(w.stack, 'AWS::FIS::ExperimentTemplate').map(([, r]) => (r.Properties.Tags as Record<string, string>)['ops:gameday'])).toEqual([
      'lambda-invocation-errors', 'lambda-added-latency', 'ecs-stop-tasks', 'ecs-network-latency', 'aurora-failover',
    ]);
    expect(day.experimentTemplates).toHaveLength(5);
  });
});
