import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagRuleCompliance } from 'cdk-nag';
import { Evaluated, ownedStack } from './evaluated';
import { fnProps } from './helpers';

/**
 * Safe change: a way back for every deployable (OPS-RollbackPlan, OPS06-BP01), changes that reach a fraction first
 * (OPS-GradualRollout, OPS05-BP09 / OPS06-BP03) and validated configuration (OPS-ConfigurationValidation, OPS05-BP03).
 * One app, synthesized once.
 */

const ROLLBACK = 'OPS-RollbackPlan';
const GRADUAL = 'OPS-GradualRollout';
const VALIDATION = 'OPS-ConfigurationValidation';
const COMPLIANT = NagRuleCompliance.COMPLIANT;
const NON_COMPLIANT = NagRuleCompliance.NON_COMPLIANT;

/** A function with a `live` alias. */
function aliased(stack: Stack, id: string): { fn: lambda.Function; alias: lambda.Alias } {
  const fn = new lambda.Function(stack, id, fnProps());
  return { fn, alias: new lambda.Alias(stack, `${id}Live`, { aliasName: 'live', version: fn.currentVersion }) };
}

/** An Automation document whose role may call `actions` on `resources`. */
function runbook(stack: Stack, id: string, actions: string[], resources: string[]): void {
  const role = new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions, resources }));
  new ssm.CfnDocument(stack, id, {
    documentType: 'Automation',
    content: {
      schemaVersion: '0.3',
      assumeRole: role.roleArn,
      mainSteps: [{ name: 'Point', action: 'aws:executeAwsApi', inputs: { Service: 'lambda', Api: 'UpdateAlias', FunctionName: 'x', Name: 'live' } }],
    },
  });
}

describe('safe change: RollbackPlan, GradualRollout, ConfigurationValidation', () => {
  let evaluated: Evaluated;

  beforeAll(() => {
    const app = new App();
    const stack = ownedStack(app, 'Changes');
    new lambda.Function(stack, 'Unversioned', fnProps());
    aliased(stack, 'AliasOnly');
    const canary = aliased(stack, 'Canary');
    new codedeploy.LambdaDeploymentGroup(stack, 'CanaryDeployment', {
      alias: canary.alias, deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    });
    const allAtOnce = aliased(stack, 'AllAtOnce');
    new codedeploy.LambdaDeploymentGroup(stack, 'AllAtOnceDeployment', {
      alias: allAtOnce.alias, deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
    });
    // A runbook whose role may update the alias is the way back; one that may only read it is not.
    const byRunbook = aliased(stack, 'ByRunbook');
    runbook(stack, 'Rollback', ['lambda:UpdateAlias'], [byRunbook.alias.functionArn]);
    const readOnly = aliased(stack, 'ReadOnly');
    runbook(stack, 'Reader', ['lambda:GetAlias'], [readOnly.alias.functionArn]);
    // A custom CodeDeploy configuration routing all traffic at once (L1, as the template shows it).
    const application = new codedeploy.CfnApplication(stack, 'CodeDeployApp', { computePlatform: 'Lambda' });
    const config = new codedeploy.CfnDeploymentConfig(stack, 'AtOnceConfig', {
      computePlatform: 'Lambda', trafficRoutingConfig: { type: 'AllAtOnce' },
    });
    new codedeploy.CfnDeploymentGroup(stack, 'CustomGroup', {
      applicationName: application.ref,
      serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      deploymentConfigName: config.ref,
      deploymentStyle: { deploymentOption: 'WITH_TRAFFIC_CONTROL', deploymentType: 'BLUE_GREEN' },
    });

    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx') });
    new ecs.FargateService(stack, 'Breaker', { cluster, taskDefinition: task, circuitBreaker: { rollback: true } });
    new ecs.FargateService(stack, 'Rolling', { cluster, taskDefinition: task });
    new ecs.FargateService(stack, 'External', { cluster, taskDefinition: task, deploymentController: { type: ecs.DeploymentControllerType.EXTERNAL } });

    const application2 = new appconfig.Application(stack, 'Settings');
    const environment = new appconfig.Environment(stack, 'Prod', { application: application2 });
    const gradual = new appconfig.DeploymentStrategy(stack, 'Gradual', {
      rolloutStrategy: appconfig.RolloutStrategy.linear({
        growthFactor: 20, deploymentDuration: Duration.minutes(10), finalBakeTime: Duration.minutes(10),
      }),
    });
    new appconfig.HostedConfiguration(stack, 'Validated', {
      application: application2,
      content: appconfig.ConfigurationContent.fromInlineJson('{"limit":10}'),
      validators: [appconfig.JsonSchemaValidator.fromInline('{"type":"object"}')],
      deploymentStrategy: gradual,
      deployTo: [environment],
    });
    new appconfig.HostedConfiguration(stack, 'Unvalidated', {
      application: application2,
      content: appconfig.ConfigurationContent.fromInlineJson('{"limit":10}'),
      deploymentStrategy: appconfig.DeploymentStrategy.fromDeploymentStrategyId(stack, 'AtOnce', appconfig.DeploymentStrategyId.ALL_AT_ONCE),
      deployTo: [environment],
    });
    new appconfig.HostedConfiguration(stack, 'Flags', {
      application: application2,
      type: appconfig.ConfigurationType.FEATURE_FLAGS,
      content: appconfig.ConfigurationContent.fromInlineJson('{"version":"1","flags":{"on":{"name":"on"}},"values":{"on":{"enabled":false}}}'),
    });
    evaluated = Evaluated.of(app);
  });

  test('OPS-RollbackPlan: functions need an alias and an automatic rollback or a runbook that may point it back; ECS services a circuit breaker', () => {
    expect(evaluated.results(ROLLBACK)).toEqual({
      'Changes/AliasOnly/Resource': ['NoRollback'],
      'Changes/AllAtOnce/Resource': COMPLIANT,
      'Changes/Breaker/Service': COMPLIANT,
      'Changes/ByRunbook/Resource': COMPLIANT,
      'Changes/Canary/Resource': COMPLIANT,
      'Changes/ReadOnly/Resource': ['NoRollback'],
      'Changes/Rolling/Service': ['NoRollback'],
      'Changes/Unversioned/Resource': ['NoAlias'],
    });
    expect(evaluated.violations(ROLLBACK).map((v) => v.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
  });

  test('OPS-GradualRollout: AllAtOnce CodeDeploy configurations (predefined or custom) and AppConfig strategies are found', () => {
    expect(evaluated.results(GRADUAL)).toEqual({
      'Changes/AllAtOnceDeployment/Resource': ['AllAtOnce'],
      'Changes/CanaryDeployment/Resource': COMPLIANT,
      'Changes/CustomGroup': ['AllAtOnce'],
      'Changes/Unvalidated/DeploymentFDBB6': ['AllAtOnce'],
      'Changes/Validated/DeploymentFDBB6': COMPLIANT,
    });
  });

  test('OPS-ConfigurationValidation: a profile with a validator or of feature flags complies; a free-form one without a validator does not', () => {
    expect(evaluated.results(VALIDATION)).toEqual({
      'Changes/Flags/ConfigurationProfile': COMPLIANT,
      'Changes/Unvalidated/ConfigurationProfile': NON_COMPLIANT,
      'Changes/Validated/ConfigurationProfile': COMPLIANT,
    });
  });
});
