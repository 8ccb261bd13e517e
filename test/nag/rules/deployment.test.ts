import { Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagRuleCompliance } from 'cdk-nag';
import { appAndStack, checkRule, resultsOf, violationsOf } from './helpers-2';
import { OperableFunction } from '../../../src/services';
import { freight } from '../../support/fixtures';

const SAFE = 'OPS-SafeDeployment';
const FLAGS = 'OPS-FlagMonitors';
const COMPLIANT = NagRuleCompliance.COMPLIANT;

function fn(stack: Stack, id = 'Quotes', extra: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...extra,
  });
}

function alarmOn(stack: Stack, id: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, { metric, threshold: 1, evaluationPeriods: 1 });
}

/** A function 'Quotes' with a 'live' alias on its current version, and an errors alarm on the alias. */
function aliased(stack: Stack): { alias: lambda.Alias; errors: cloudwatch.Alarm } {
  const f = fn(stack);
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: f.currentVersion });
  return { alias, errors: alarmOn(stack, 'Errors', alias.metricErrors({ period: Duration.minutes(1) })) };
}

function deploymentGroup(stack: Stack, alias: lambda.Alias, props: Partial<codedeploy.LambdaDeploymentGroupProps> = {}) {
  return new codedeploy.LambdaDeploymentGroup(stack, 'Deploy', {
    alias,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    ...props,
  });
}

describe('OPS-SafeDeployment on Lambda functions', () => {
  test('an alias updated by a deployment group that watches an alarm and rolls back on it complies', () => {
    const { app, stack } = appAndStack();
    const { alias, errors } = aliased(stack);
    deploymentGroup(stack, alias, { alarms: [errors], autoRollback: { deploymentInAlarm: true } });
    expect(checkRule(app, SAFE)).toEqual({ violations: [], results: [{ constructPath: 'Test/Quotes/Resource', result: COMPLIANT }] });
  });

  test('a function without an alias: NoAlias', () => {
    const { app, stack } = appAndStack();
    fn(stack);
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoAlias]', constructPath: 'Test/Quotes/Resource' }]);
  });

  test('a version and an alias but no deployment group (all-at-once on every deploy): NoCodeDeploy', () => {
    const { app, stack } = appAndStack();
    aliased(stack);
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoCodeDeploy]', constructPath: 'Test/Quotes/Resource' }]);
  });

  test('a deployment group with no alarms: NoDeploymentAlarms and NoRollbackOnAlarm', () => {
    const { app, stack } = appAndStack();
    const { alias } = aliased(stack);
    deploymentGroup(stack, alias);
    expect(violationsOf(app, SAFE)).toEqual([
      { ruleName: 'OPS-SafeDeployment[NoDeploymentAlarms]', constructPath: 'Test/Quotes/Resource' },
      { ruleName: 'OPS-SafeDeployment[NoRollbackOnAlarm]', constructPath: 'Test/Quotes/Resource' },
    ]);
  });

  test('alarms ignored by the deployment group (ignoreAlarmConfiguration): NoDeploymentAlarms only', () => {
    const { app, stack } = appAndStack();
    const { alias, errors } = aliased(stack);
    deploymentGroup(stack, alias, { alarms: [errors], ignoreAlarmConfiguration: true });
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoDeploymentAlarms]', constructPath: 'Test/Quotes/Resource' }]);
  });

  test('alarms watched but deploymentInAlarm: false: NoRollbackOnAlarm only', () => {
    const { app, stack } = appAndStack();
    const { alias, errors } = aliased(stack);
    deploymentGroup(stack, alias, { alarms: [errors], autoRollback: { deploymentInAlarm: false } });
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoRollbackOnAlarm]', constructPath: 'Test/Quotes/Resource' }]);
  });

  test('an escape hatch that disables the alarm configuration is seen (the rule reads the rendered template)', () => {
    const { app, stack } = appAndStack();
    const { alias, errors } = aliased(stack);
    const group = deploymentGroup(stack, alias, { alarms: [errors] });
    (group.node.defaultChild as codedeploy.CfnDeploymentGroup).addPropertyOverride('AlarmConfiguration.Enabled', false);
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoDeploymentAlarms]', constructPath: 'Test/Quotes/Resource' }]);
  });

  test('with two aliases, the best-configured deployment group counts', () => {
    const { app, stack } = appAndStack();
    const { alias, errors } = aliased(stack);
    deploymentGroup(stack, alias, { alarms: [errors] });
    const quotes = alias.lambda as lambda.Function;
    const canary = new lambda.Alias(stack, 'Canary', { aliasName: 'canary', version: quotes.currentVersion });
    new codedeploy.LambdaDeploymentGroup(stack, 'DeployCanary', { alias: canary, deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE });
    expect(resultsOf(app, SAFE)).toEqual([{ constructPath: 'Test/Quotes/Resource', result: COMPLIANT }]);
  });

  test('functions CDK adds to run its custom resources (AwsCustomResource, providers) are not applicable', () => {
    const { app, stack } = appAndStack();
    new cr.AwsCustomResource(stack, 'Lookup', {
      onUpdate: { service: 'SSM', action: 'getParameter', parameters: { Name: '/freight/flag' }, physicalResourceId: cr.PhysicalResourceId.of('flag') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    new cr.Provider(stack, 'Provider', { onEventHandler: fn(stack, 'OnEvent') });
    expect(stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287')).toBeDefined();
    expect(checkRule(app, SAFE)).toEqual({
      violations: [{ ruleName: 'OPS-SafeDeployment[NoAlias]', constructPath: 'Test/OnEvent/Resource' }],
      results: [{ constructPath: 'Test/OnEvent/Resource', result: ['NoAlias'] }],
    });
  });

  test('an OperableFunction (canary through its live alias, rolled back on its alarms) complies', () => {
    const { app, stack } = appAndStack();
    const { workload } = freight(stack);
    new OperableFunction(workload, 'Quotes', {
      functionProps: {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      },
    });
    expect(checkRule(app, SAFE)).toEqual({ violations: [], results: [{ constructPath: 'Test/Freight/Quotes/Function/Resource', result: COMPLIANT }] });
  });
});

/** A Fargate service 'Web' in a cluster of a new VPC, with one nginx container. */
function fargate(stack: Stack, props: Partial<ecs.FargateServiceProps> = {}): ecs.FargateService {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 80 }] });
  return new ecs.FargateService(stack, 'Web', { cluster, taskDefinition, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, ...props });
}

describe('OPS-SafeDeployment on ECS services', () => {
  test('the deployment circuit breaker with rollback complies', () => {
    const { app, stack } = appAndStack();
    fargate(stack, { circuitBreaker: { enable: true, rollback: true } });
    expect(checkRule(app, SAFE)).toEqual({ violations: [], results: [{ constructPath: 'Test/Web/Service', result: COMPLIANT }] });
  });

  test('a circuit breaker without rollback: NoRollback', () => {
    const { app, stack } = appAndStack();
    fargate(stack, { circuitBreaker: { enable: true, rollback: false } });
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoRollback]', constructPath: 'Test/Web/Service' }]);
  });

  test('deployment alarms that roll back complies', () => {
    const { app, stack } = appAndStack();
    const cpu = alarmOn(stack, 'Cpu', new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName: 'CPUUtilization' }));
    fargate(stack, { deploymentAlarms: { alarmNames: [cpu.alarmName], behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM } });
    expect(checkRule(app, SAFE)).toEqual({ violations: [], results: [{ constructPath: 'Test/Web/Service', result: COMPLIANT }] });
  });

  test('deployment alarms that only fail the deployment: NoRollback', () => {
    const { app, stack } = appAndStack();
    const cpu = alarmOn(stack, 'Cpu', new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName: 'CPUUtilization' }));
    fargate(stack, { deploymentAlarms: { alarmNames: [cpu.alarmName], behavior: ecs.AlarmBehavior.FAIL_ON_ALARM } });
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoRollback]', constructPath: 'Test/Web/Service' }]);
  });

  test('neither circuit breaker nor deployment alarms: NoRollback', () => {
    const { app, stack } = appAndStack();
    fargate(stack);
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoRollback]', constructPath: 'Test/Web/Service' }]);
  });

  test('an EXTERNAL deployment controller is not applicable (another tool deploys)', () => {
    const { app, stack } = appAndStack();
    fargate(stack, { deploymentController: { type: ecs.DeploymentControllerType.EXTERNAL } });
    expect(checkRule(app, SAFE)).toEqual({ violations: [], results: [] });
  });

  test('a CODE_DEPLOY controller without a deployment group: NoCodeDeploy', () => {
    const { app, stack } = appAndStack();
    fargate(stack, { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } });
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoCodeDeploy]', constructPath: 'Test/Web/Service' }]);
  });

  test('a CODE_DEPLOY controller: the deployment group of the service must watch alarms and roll back on them', () => {
    const { app, stack } = appAndStack();
    const service = fargate(stack, { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } });
    const cpu = alarmOn(stack, 'Cpu', service.metricCpuUtilization());
    const application = new codedeploy.CfnApplication(stack, 'App', { computePlatform: 'ECS' });
    const group = new codedeploy.CfnDeploymentGroup(stack, 'Deploy', {
      applicationName: application.ref,
      serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      ecsServices: [{ clusterName: service.cluster.clusterName, serviceName: service.serviceName }],
      alarmConfiguration: { enabled: true, alarms: [{ name: cpu.alarmName }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    expect(violationsOf(app, SAFE)).toEqual([{ ruleName: 'OPS-SafeDeployment[NoRollbackOnAlarm]', constructPath: 'Test/Web/Service' }]);

    group.autoRollbackConfiguration = { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] };
    expect(checkRule(app, SAFE)).toEqual({ violations: [], results: [{ constructPath: 'Test/Web/Service', result: COMPLIANT }] });
  });
});

describe('OPS-FlagMonitors', () => {
  function environment(monitors?: appconfig.Monitor[]) {
    const { app, stack } = appAndStack();
    const application = new appconfig.Application(stack, 'Flags');
    const alarm = alarmOn(stack, 'Errors', new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Errors' }));
    new appconfig.Environment(stack, 'Prod', { application, monitors: monitors ?? [] });
    return { app, stack, alarm };
  }

  test('an environment with an alarm monitor complies', () => {
    const { app, stack } = appAndStack();
    const application = new appconfig.Application(stack, 'Flags');
    const alarm = alarmOn(stack, 'Errors', new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Errors' }));
    new appconfig.Environment(stack, 'Prod', { application, monitors: [appconfig.Monitor.fromCloudWatchAlarm(alarm)] });
    expect(checkRule(app, FLAGS)).toEqual({ violations: [], results: [{ constructPath: 'Test/Prod/Resource', result: COMPLIANT }] });
  });

  test('an environment without monitors fails', () => {
    const { app } = environment();
    expect(violationsOf(app, FLAGS)).toEqual([{ ruleName: FLAGS, constructPath: 'Test/Prod/Resource' }]);
  });

  test('a monitor given as a CloudFormation property with a literal alarm ARN complies', () => {
    const { app } = environment([appconfig.Monitor.fromCfnMonitorsProperty({
      alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-page',
      alarmRoleArn: 'arn:aws:iam::123456789012:role/appconfig-monitor',
    })]);
    expect(checkRule(app, FLAGS)).toEqual({ violations: [], results: [{ constructPath: 'Test/Prod/Resource', result: COMPLIANT }] });
  });

  test('an L1 environment whose monitors are removed by an escape hatch fails', () => {
    const { app, stack } = appAndStack();
    const application = new appconfig.CfnApplication(stack, 'Flags', { name: 'flags' });
    const env = new appconfig.CfnEnvironment(stack, 'Prod', {
      applicationId: application.ref,
      name: 'prod',
      monitors: [{ alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-page' }],
    });
    expect(resultsOf(app, FLAGS)).toEqual([{ constructPath: 'Test/Prod', result: COMPLIANT }]);
    env.addPropertyDeletionOverride('Monitors');
    expect(violationsOf(app, FLAGS)).toEqual([{ ruleName: FLAGS, constructPath: 'Test/Prod' }]);
  });
});
