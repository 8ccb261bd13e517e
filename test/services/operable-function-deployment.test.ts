import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { aliasDimensions, functionProps, logicalIdOf, metricsOf, Resource, setup, synthesized } from './function-fixtures';
import { OperableFunction } from '../../src';
import { freight, testStack } from '../support/fixtures';

const CODEDEPLOY_LAMBDA_POLICY = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited']],
};

/** The AlarmNames of the alarms a deployment group watches (each `Name` is a Ref to an alarm of the template). */
function watchedAlarmNames(resources: Record<string, Resource>, group: Resource): string[] {
  const config = group.Properties!.AlarmConfiguration as { Alarms: Array<{ Name: { Ref: string } }> };
  return config.Alarms.map((a) => resources[a.Name.Ref].Properties!.AlarmName as string);
}

/** `n` plain alarms of the stack to pass as deploymentAlarms. */
function extraAlarms(scope: Construct, n: number): cloudwatch.Alarm[] {
  return Array.from({ length: n }, (_, i) => new cloudwatch.Alarm(scope, `Extra${i}`, {
    alarmName: `freight-extra-${i}`,
    metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: `Extra${i}`, period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
  }));
}

describe('the live alias and safe deployment (defaults)', () => {
  const s = setup();
  const fnId = logicalIdOf(s.fn.lambdaFunction);
  const groupId = logicalIdOf(s.fn.deploymentGroup!);
  const group = s.resources[groupId];
  const applicationId = s.of('AWS::CodeDeploy::Application')[0][0];
  const roleId = s.of('AWS::IAM::Role').find(([, r]) => JSON.stringify(r.Properties).includes('codedeploy.amazonaws.com'))![0];

  test("an alias 'live' on the function's current version, updated through CodeDeploy", () => {
    const versionId = logicalIdOf((s.fn.lambdaFunction as lambda.Function).currentVersion);
    expect(s.resources[logicalIdOf(s.fn.alias!)]).toEqual({
      Type: 'AWS::Lambda::Alias',
      Properties: { Name: 'live', FunctionName: { Ref: fnId }, FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] } },
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: applicationId }, DeploymentGroupName: { Ref: groupId } } },
    });
    expect(s.resources[versionId].Type).toBe('AWS::Lambda::Version');
  });

  test('a blue/green deployment group: canary 10 % for 5 minutes, rolled back on failure, stop and alarm', () => {
    expect(group.Properties).toMatchObject({
      ApplicationName: { Ref: applicationId },
      ServiceRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'] },
    });
  });

  test('it watches exactly the service page composite and the fast-burn (14.4x over 5 minutes) alarm of each SLO', () => {
    expect((group.Properties!.AlarmConfiguration as { Enabled: boolean }).Enabled).toBe(true);
    expect(watchedAlarmNames(s.resources, group)).toEqual([
      'freight-quotes-page',
      'freight-quotes-availability-burn14.4x-5m',
      'freight-quotes-latency-burn14.4x-5m',
    ]);
    expect(group.Properties!.AlarmConfiguration).toEqual({
      Enabled: true,
      Alarms: [
        { Name: { Ref: logicalIdOf(s.fn.pageAlarm) } },
        { Name: { Ref: logicalIdOf(s.fn.availability!.fastBurnAlarm) } },
        { Name: { Ref: logicalIdOf(s.fn.latency!.fastBurnAlarm) } },
      ],
    });
  });

  test('a CodeDeploy Lambda application and a service role with AWSCodeDeployRoleForLambdaLimited', () => {
    s.template.hasResourceProperties('AWS::CodeDeploy::Application', { ComputePlatform: 'Lambda' });
    expect(s.resources[roleId].Properties).toMatchObject({
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' } }] },
      Description: 'CodeDeploy service role for the Lambda deployments of workload freight',
      ManagedPolicyArns: [CODEDEPLOY_LAMBDA_POLICY],
    });
  });
});

describe('alias and deployment overrides', () => {
  test("aliasName names the alias, and the SLOs measure that alias's Resource dimension", () => {
    const s = setup({ aliasName: 'prod' });
    const fnId = logicalIdOf(s.fn.lambdaFunction);
    s.template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'prod' });
    s.template.resourceCountIs('AWS::Lambda::Alias', 1);
    const metrics = metricsOf(s.alarm('freight-quotes-availability-burn14.4x-5m'));
    expect(metrics[1].MetricStat!.Metric.Dimensions).toEqual(aliasDimensions(fnId, 'prod'));
  });

  test('deploymentConfig changes how traffic shifts', () => {
    const s = setup({ deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE });
    s.template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    });
  });

  test('deploymentAlarms are watched after the page composite and the fast-burn alarms', () => {
    const s = setup((stack) => ({ deploymentAlarms: extraAlarms(stack, 2) }));
    expect(watchedAlarmNames(s.resources, s.resources[logicalIdOf(s.fn.deploymentGroup!)])).toEqual([
      'freight-quotes-page',
      'freight-quotes-availability-burn14.4x-5m',
      'freight-quotes-latency-burn14.4x-5m',
      'freight-extra-0',
      'freight-extra-1',
    ]);
  });

  test('10 alarms in all is the most CodeDeploy reads: 7 deploymentAlarms fit, 8 are an error', () => {
    const seven = setup((stack) => ({ deploymentAlarms: extraAlarms(stack, 7) }));
    expect(watchedAlarmNames(seven.resources, seven.resources[logicalIdOf(seven.fn.deploymentGroup!)])).toHaveLength(10);
    expect(() => setup((stack) => ({ deploymentAlarms: extraAlarms(stack, 8) }))).toThrow(
      '[Test/Freight/Quotes] deployment would watch 11 alarms (the page composite, 2 fast-burn alarms and 8 deploymentAlarms); ' +
      'CodeDeploy reads at most 10. Pass fewer deploymentAlarms.');
  });

  test('with one SLO, one fast-burn alarm is watched and 8 deploymentAlarms fit', () => {
    const s = setup((stack) => ({ latencySlo: false, deploymentAlarms: extraAlarms(stack, 8) }));
    const names = watchedAlarmNames(s.resources, s.resources[logicalIdOf(s.fn.deploymentGroup!)]);
    expect(names.slice(0, 2)).toEqual(['freight-quotes-page', 'freight-quotes-availability-burn14.4x-5m']);
    expect(names).toHaveLength(10);
  });

  test('safeDeployment: false keeps the alias but creates no deployment group', () => {
    const s = setup({ safeDeployment: false });
    s.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    expect(s.fn.deploymentGroup).toBeUndefined();
    const alias = s.resources[logicalIdOf(s.fn.alias!)];
    expect(alias.Properties!.Name).toBe('live');
    expect((alias as { UpdatePolicy?: unknown }).UpdatePolicy).toBeUndefined();
  });

  test('without any safe deployment, no CodeDeploy application or deployment role is created', () => {
    const s = setup({ safeDeployment: false });
    s.template.resourceCountIs('AWS::CodeDeploy::Application', 0);
    s.template.resourceCountIs('AWS::IAM::Role', 1); // the function's execution role only
  });
});

describe('two OperableFunctions in one workload', () => {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack);
  const quotes = new OperableFunction(workload, 'Quotes', { functionProps: functionProps() });
  const rates = new OperableFunction(workload, 'Rates', { functionProps: functionProps() });
  const s = synthesized(stack, workload, pages, tickets);

  test('share one CodeDeploy application and one deployment role, whose managed policy is listed once', () => {
    s.template.resourceCountIs('AWS::CodeDeploy::Application', 1);
    s.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 2);
    const roles = s.of('AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties).includes('codedeploy.amazonaws.com'));
    expect(roles).toHaveLength(1);
    expect(roles[0][1].Properties!.ManagedPolicyArns).toEqual([CODEDEPLOY_LAMBDA_POLICY]);
    const [applicationId] = s.of('AWS::CodeDeploy::Application')[0];
    for (const fn of [quotes, rates]) {
      expect(s.resources[logicalIdOf(fn.deploymentGroup!)].Properties).toMatchObject({
        ApplicationName: { Ref: applicationId },
        ServiceRoleArn: { 'Fn::GetAtt': [roles[0][0], 'Arn'] },
      });
    }
    expect(quotes.deploymentGroup!.application).toBe(rates.deploymentGroup!.application);
  });

  test("each deployment group watches its own service's alarms", () => {
    expect(watchedAlarmNames(s.resources, s.resources[logicalIdOf(rates.deploymentGroup!)])).toEqual([
      'freight-rates-page',
      'freight-rates-availability-burn14.4x-5m',
      'freight-rates-latency-burn14.4x-5m',
    ]);
  });
});
