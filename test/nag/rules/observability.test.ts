import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { check, findings, fnProps, newStack } from './helpers';
import { OperableFunction, OperableRestApi, ServiceTier, Workload } from '../../../src';

/** A REST API with one GET method on its root. */
function restApi(scope: Construct, id: string, props: apigateway.RestApiProps = {}): apigateway.RestApi {
  const api = new apigateway.RestApi(scope, id, { restApiName: id.toLowerCase(), cloudWatchRole: false, ...props });
  api.root.addMethod('GET', new apigateway.MockIntegration());
  return api;
}

/** A synthetics canary with these environment variables. */
function canary(scope: Construct, id: string, environmentVariables: Record<string, string> = {}): synthetics.Canary {
  return new synthetics.Canary(scope, id, {
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
    test: synthetics.Test.custom({ handler: 'index.handler', code: synthetics.Code.fromInline('exports.handler = async () => {};') }),
    environmentVariables,
  });
}

/** A workload `freight` of the pricing team. */
function freight(stack: Stack): Workload {
  return new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    tier: ServiceTier.STANDARD,
    runbookBaseUrl: 'https://runbooks.example.com/freight',
  });
}

const cfnOf = <T>(construct: Construct) => construct.node.defaultChild as T;

/** A function CDK adds itself: the LogRetention provider singleton (untraced, plain-text logs). */
function frameworkFunction(stack: Stack): void {
  new logs.LogRetention(stack, 'Retention', { logGroupName: '/aws/lambda/x', retention: logs.RetentionDays.ONE_WEEK });
  expect(stack.node.children.map((c) => c.node.id)).toContain('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
}

describe('OPS-Tracing', () => {
  const RULE = 'OPS-Tracing';

  test('Lambda functions: Tracing.ACTIVE complies; no tracing or PASS_THROUGH fails; CDK\'s own functions are not applicable', () => {
    const { app, stack } = newStack();
    new lambda.Function(stack, 'Active', fnProps({ tracing: lambda.Tracing.ACTIVE }));
    frameworkFunction(stack);
    new lambda.Function(stack, 'Untraced', fnProps());
    new lambda.Function(stack, 'PassThrough', fnProps({ tracing: lambda.Tracing.PASS_THROUGH }));
    expect(check(app).paths(RULE)).toEqual(['Test/PassThrough/Resource', 'Test/Untraced/Resource']);
  });

  test('REST API stages trace with deployOptions.tracingEnabled; HTTP API stages are not applicable', () => {
    const { app, stack } = newStack();
    restApi(stack, 'Traced', { deployOptions: { tracingEnabled: true } });
    restApi(stack, 'Untraced');
    new apigwv2.HttpApi(stack, 'Http');
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Untraced/DeploymentStage.prod/Resource' }]);
  });

  test('Step Functions state machines trace with tracingEnabled', () => {
    const { app, stack } = newStack();
    const definitionBody = sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass'));
    new sfn.StateMachine(stack, 'Traced', { definitionBody, tracingEnabled: true });
    new sfn.StateMachine(stack, 'Untraced', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass2')) });
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Untraced/Resource' }]);
  });

  test('tracing turned on or off by a property override is seen (the rendered template is read)', () => {
    const { app, stack } = newStack();
    cfnOf<lambda.CfnFunction>(new lambda.Function(stack, 'OverriddenOn', fnProps())).addPropertyOverride('TracingConfig.Mode', 'Active');
    const off = new lambda.Function(stack, 'OverriddenOff', fnProps({ tracing: lambda.Tracing.ACTIVE }));
    cfnOf<lambda.CfnFunction>(off).addPropertyDeletionOverride('TracingConfig');
    restApi(stack, 'Api');
    cfnOf<apigateway.CfnStage>(restApi(stack, 'Api2').deploymentStage).addPropertyOverride('TracingEnabled', true);
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    cfnOf<sfn.CfnStateMachine>(machine).addPropertyOverride('TracingConfiguration', { Enabled: true });
    expect(check(app).paths(RULE)).toEqual(['Test/Api/DeploymentStage.prod/Resource', 'Test/OverriddenOff/Resource']);
  });
});

describe('OPS-LogRetention', () => {
  const RULE = 'OPS-LogRetention';

  test('log groups: a retention complies, none (INFINITE) fails; a retention set or removed by override is seen', () => {
    const { app, stack } = newStack();
    new logs.LogGroup(stack, 'Kept', { retention: logs.RetentionDays.ONE_MONTH });
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
    cfnOf<logs.CfnLogGroup>(new logs.LogGroup(stack, 'OverriddenOn', { retention: logs.RetentionDays.INFINITE }))
      .addPropertyOverride('RetentionInDays', 30);
    cfnOf<logs.CfnLogGroup>(new logs.LogGroup(stack, 'OverriddenOff')).addPropertyDeletionOverride('RetentionInDays');
    expect(check(app).paths(RULE)).toEqual(['Test/Forever/Resource', 'Test/OverriddenOff/Resource']);
  });

  test('functions: an explicit log group or a logRetention (Custom::LogRetention) complies; Lambda\'s default log group or INFINITE fails', () => {
    const { app, stack } = newStack();
    const logGroup = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    new lambda.Function(stack, 'WithLogGroup', fnProps({ logGroup }));
    new lambda.Function(stack, 'WithLogRetention', fnProps({ logRetention: logs.RetentionDays.ONE_MONTH }));
    new lambda.Function(stack, 'RetainedForever', fnProps({ logRetention: logs.RetentionDays.INFINITE }));
    new lambda.Function(stack, 'Plain', fnProps());
    expect(check(app).paths(RULE)).toEqual(['Test/Plain/Resource', 'Test/RetainedForever/Resource']);
  });

  test('a LogRetention on /aws/lambda/<name> covers the function of that name only', () => {
    const { app, stack } = newStack();
    new lambda.Function(stack, 'Named', fnProps({ functionName: 'quotes' }));
    new lambda.Function(stack, 'Other', fnProps({ functionName: 'prices' }));
    new logs.LogRetention(stack, 'Retention', { logGroupName: '/aws/lambda/quotes', retention: logs.RetentionDays.ONE_MONTH });
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Other/Resource' }]);
  });
});

describe('OPS-StructuredLogs', () => {
  const RULE = 'OPS-StructuredLogs';

  test('loggingFormat JSON complies; TEXT and the default fail; CDK\'s own functions are not applicable', () => {
    const { app, stack } = newStack();
    new lambda.Function(stack, 'Json', fnProps({ loggingFormat: lambda.LoggingFormat.JSON }));
    frameworkFunction(stack);
    new lambda.Function(stack, 'Text', fnProps({ loggingFormat: lambda.LoggingFormat.TEXT }));
    new lambda.Function(stack, 'Default', fnProps());
    cfnOf<lambda.CfnFunction>(new lambda.Function(stack, 'Overridden', fnProps())).addPropertyOverride('LoggingConfig.LogFormat', 'JSON');
    expect(check(app).paths(RULE)).toEqual(['Test/Default/Resource', 'Test/Text/Resource']);
  });
});

describe('OPS-StructuredLogs on API stages', () => {
  const RULE = 'OPS-StructuredLogs';

  test('a REST stage with JSON access logs complies; no access logs or CLF access logs fail; an HTTP stage without access logs fails', () => {
    const { app, stack } = newStack();
    const destination = new apigateway.LogGroupLogDestination(new logs.LogGroup(stack, 'AccessLogs'));
    restApi(stack, 'Json', { deployOptions: { accessLogDestination: destination, accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields() } });
    restApi(stack, 'Clf', { deployOptions: { accessLogDestination: destination, accessLogFormat: apigateway.AccessLogFormat.clf() } });
    restApi(stack, 'NoLogs');
    new apigwv2.HttpApi(stack, 'Http');
    expect(check(app).paths(RULE)).toEqual([
      'Test/Clf/DeploymentStage.prod/Resource', 'Test/Http/DefaultStage/Resource', 'Test/NoLogs/DeploymentStage.prod/Resource',
    ]);
  });
});

describe('OPS-ServiceLevelObjective', () => {
  const RULE = 'OPS-ServiceLevelObjective';

  /** An alarm on the API's 5XX errors, with this description. */
  function apiAlarm(api: apigateway.RestApi, id: string, description: string, tags: Record<string, string> = {}): cloudwatch.Alarm {
    const a = api.metricServerError().createAlarm(api, id, { threshold: 1, evaluationPeriods: 1, alarmDescription: description });
    for (const [k, v] of Object.entries(tags)) Tags.of(a).add(k, v);
    return a;
  }

  test('a REST API stage with two burn-rate alarms on its ApiName complies; with one, or with plain thresholds, it fails', () => {
    const { app, stack } = newStack();
    const slo = restApi(stack, 'Slo');
    apiAlarm(slo, 'Fast', 'Availability error budget burn rate 14.4x over 1h');
    apiAlarm(slo, 'Slow', 'Availability: burns 6x its error budget over 6h');
    const one = restApi(stack, 'One');
    apiAlarm(one, 'Fast', 'Availability error budget burn rate 14.4x over 1h');
    const plain = restApi(stack, 'Plain');
    apiAlarm(plain, 'Errors', '5XX errors above 1');
    apiAlarm(plain, 'MoreErrors', '5XX errors above 10');
    const tagged = restApi(stack, 'Tagged');
    apiAlarm(tagged, 'A', 'fast window', { 'ops:slo': 'availability' });
    apiAlarm(tagged, 'B', 'slow window', { 'ops:slo': 'availability' });
    expect(check(app).paths(RULE)).toEqual(['Test/One/DeploymentStage.prod/Resource', 'Test/Plain/DeploymentStage.prod/Resource']);
  });

  test('burn-rate alarms on another API do not count', () => {
    const { app, stack } = newStack();
    restApi(stack, 'Quotes');
    const other = restApi(stack, 'Prices');
    apiAlarm(other, 'Fast', 'burn rate 14.4x');
    apiAlarm(other, 'Slow', 'burn rate 6x');
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Quotes/DeploymentStage.prod/Resource' }]);
  });

  test('load balancers: an ALB is checked, a network load balancer is not applicable; Lambda URLs and HTTP API stages are checked', () => {
    const { app, stack } = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    new lambda.Function(stack, 'Fn', fnProps()).addFunctionUrl();
    new apigwv2.HttpApi(stack, 'Http');
    expect(check(app).paths(RULE)).toEqual(['Test/Alb/Resource', 'Test/Fn/FunctionUrl/Resource', 'Test/Http/DefaultStage/Resource']);
  });

  test('an OperableRestApi complies (availability and latency SLOs on its stage), and with a health path its canary too', () => {
    const { app, stack } = newStack();
    const service = new OperableRestApi(freight(stack), 'QuoteApi', { restApiProps: { restApiName: 'quotes' }, healthCheckPath: '/health' });
    service.api.root.addResource('health').addMethod('GET', new apigateway.MockIntegration());
    const report = check(app);
    expect(['OPS-ServiceLevelObjective', 'OPS-ApiCanary', 'OPS-Tracing', 'OPS-LogRetention', 'OPS-ServiceDashboard'].flatMap((id) => report.of(id)))
      .toEqual([]);
  });

  test('an OperableRestApi without a health path has no canary: OPS-ApiCanary reports its API', () => {
    const { app, stack } = newStack();
    const service = new OperableRestApi(freight(stack), 'QuoteApi', { restApiProps: { restApiName: 'quotes' } });
    service.api.root.addMethod('GET', new apigateway.MockIntegration());
    const report = check(app);
    expect(report.of(RULE)).toEqual([]);
    expect(report.of('OPS-ApiCanary')).toEqual([{ ruleName: 'OPS-ApiCanary', constructPath: 'Test/Freight/QuoteApi/Api/Resource' }]);
  });
});

describe('OPS-ApiCanary', () => {
  const RULE = 'OPS-ApiCanary';

  test('a public REST API probed by a canary whose environment references its URL complies; one without a canary fails', () => {
    const { app, stack } = newStack();
    const probed = restApi(stack, 'Probed');
    canary(stack, 'Canary', { URL: probed.urlForPath('/health') });
    restApi(stack, 'Unprobed');
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Unprobed/Resource' }]);
  });

  test('a PRIVATE REST API is not applicable; HTTP APIs are checked (a canary on the endpoint complies); a WebSocket API is not applicable', () => {
    const { app, stack } = newStack();
    restApi(stack, 'Private', { endpointTypes: [apigateway.EndpointType.PRIVATE] });
    restApi(stack, 'Regional', { endpointTypes: [apigateway.EndpointType.REGIONAL] });
    const probed = new apigwv2.HttpApi(stack, 'Probed');
    canary(stack, 'Canary', { URL: probed.apiEndpoint });
    new apigwv2.HttpApi(stack, 'Http');
    new apigwv2.WebSocketApi(stack, 'Ws');
    expect(check(app).paths(RULE)).toEqual(['Test/Http/Resource', 'Test/Regional/Resource']);
  });

  test('a canary tagged with the API\'s ops:service and ops:workload complies; the same service of another workload does not', () => {
    const { app, stack } = newStack();
    const api = restApi(stack, 'Api');
    const sameService = canary(stack, 'Same');
    Tags.of(api).add('ops:service', 'quotes');
    Tags.of(api).add('ops:workload', 'freight');
    Tags.of(sameService).add('ops:service', 'quotes');
    Tags.of(sameService).add('ops:workload', 'freight');
    expect(findings(app, RULE)).toEqual([]);
    const second = newStack();
    const api2 = restApi(second.stack, 'Api');
    Tags.of(api2).add('ops:service', 'quotes');
    Tags.of(api2).add('ops:workload', 'freight');
    const other = canary(second.stack, 'Other');
    Tags.of(other).add('ops:service', 'quotes');
    Tags.of(other).add('ops:workload', 'billing');
    expect(findings(second.app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Api/Resource' }]);
  });
});

describe('OPS-ServiceDashboard', () => {
  const RULE = 'OPS-ServiceDashboard';

  /** A service `name` (tagged ops:service on every resource) with a queue and a function, in workload `workload`. */
  function service(stack: Stack, id: string, name: string, workload = 'freight') {
    const scope = new Construct(stack, id);
    const queue = new sqs.Queue(scope, 'Queue');
    const fn = new lambda.Function(scope, 'Fn', fnProps());
    Tags.of(scope).add('ops:service', name);
    Tags.of(scope).add('ops:workload', workload);
    return { scope, queue, fn };
  }

  test('a service without a dashboard is reported once, on its first resource; an untagged component on its own (NotOnDashboard)', () => {
    const { app, stack } = newStack();
    service(stack, 'Quotes', 'quotes');
    new sqs.Queue(stack, 'Untagged');
    new sns.Topic(stack, 'NotAComponent');
    expect(findings(app, RULE)).toEqual([
      { ruleName: RULE, constructPath: 'Test/Quotes/Queue/Resource' },
      { ruleName: `${RULE}[NotOnDashboard]`, constructPath: 'Test/Untagged/Resource' },
    ]);
  });

  test('the same service name in two workloads is two services', () => {
    const { app, stack } = newStack();
    service(stack, 'Freight', 'quotes', 'freight');
    service(stack, 'Billing', 'quotes', 'billing');
    expect(check(app).paths(RULE)).toEqual(['Test/Billing/Queue/Resource', 'Test/Freight/Queue/Resource']);
  });

  test('a dashboard tagged with the service, named after it, or showing its resources\' metrics complies', () => {
    const tagged = newStack();
    service(tagged.stack, 'Quotes', 'quotes');
    const board = new cloudwatch.Dashboard(tagged.stack, 'Board');
    Tags.of(board).add('ops:service', 'quotes');
    Tags.of(board).add('ops:workload', 'freight');
    expect(findings(tagged.app, RULE)).toEqual([]);

    const named = newStack();
    service(named.stack, 'Quotes', 'quotes');
    new cloudwatch.Dashboard(named.stack, 'Board', { dashboardName: 'Freight-Quotes-Health' });
    expect(findings(named.app, RULE)).toEqual([]);

    const showing = newStack();
    const { fn } = service(showing.stack, 'Quotes', 'quotes');
    new cloudwatch.Dashboard(showing.stack, 'Board', { widgets: [[new cloudwatch.GraphWidget({ left: [fn.metricErrors()] })]] });
    expect(findings(showing.app, RULE)).toEqual([]);
  });

  test('a dashboard of another service does not count', () => {
    const { app, stack } = newStack();
    service(stack, 'Quotes', 'quotes');
    const { fn } = service(stack, 'Prices', 'prices');
    new cloudwatch.Dashboard(stack, 'Board', { dashboardName: 'prices', widgets: [[new cloudwatch.GraphWidget({ left: [fn.metricErrors()] })]] });
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Quotes/Queue/Resource' }]);
  });

  test('an OperableFunction has its ServiceDashboard (and JSON logs, tracing and a retained log group)', () => {
    const { app, stack } = newStack();
    new OperableFunction(freight(stack), 'Quotes', { functionProps: fnProps(), latencyThreshold: Duration.millis(300) });
    const report = check(app);
    expect(['OPS-ServiceDashboard', 'OPS-StructuredLogs', 'OPS-Tracing', 'OPS-LogRetention'].flatMap((id) => report.of(id))).toEqual([]);
  });
});

describe('OPS-ContainerInsights', () => {
  const RULE = 'OPS-ContainerInsights';

  test('containerInsightsV2 ENHANCED or ENABLED complies; none or DISABLED fails; an override turning it on is seen', () => {
    const { app, stack } = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    new ecs.Cluster(stack, 'Enhanced', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    new ecs.Cluster(stack, 'Enabled', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    new ecs.Cluster(stack, 'Disabled', { vpc, containerInsightsV2: ecs.ContainerInsights.DISABLED });
    new ecs.Cluster(stack, 'Plain', { vpc });
    cfnOf<ecs.CfnCluster>(new ecs.Cluster(stack, 'Overridden', { vpc }))
      .addPropertyOverride('ClusterSettings', [{ Name: 'containerInsights', Value: 'enhanced' }]);
    expect(check(app).paths(RULE)).toEqual(['Test/Disabled/Resource', 'Test/Plain/Resource']);
  });
});

describe('OPS-DatabaseMonitoring', () => {
  const RULE = 'OPS-DatabaseMonitoring';

  function database(): { app: ReturnType<typeof newStack>['app']; stack: Stack; vpc: ec2.Vpc; vpcSubnets: ec2.SubnetSelection } {
    const { app, stack } = newStack();
    return { app, stack, vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } };
  }

  test('instances: Enhanced Monitoring or Performance Insights complies, neither fails; overrides are seen', () => {
    const { app, stack, vpc, vpcSubnets } = database();
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
    new rds.DatabaseInstance(stack, 'Monitored', { engine, vpc, vpcSubnets, monitoringInterval: Duration.seconds(60) });
    new rds.DatabaseInstance(stack, 'Insights', { engine, vpc, vpcSubnets, enablePerformanceInsights: true });
    new rds.DatabaseInstance(stack, 'Plain', { engine, vpc, vpcSubnets });
    const removed = new rds.DatabaseInstance(stack, 'Removed', { engine, vpc, vpcSubnets, monitoringInterval: Duration.seconds(60) });
    cfnOf<rds.CfnDBInstance>(removed).addPropertyDeletionOverride('MonitoringInterval');
    cfnOf<rds.CfnDBInstance>(new rds.DatabaseInstance(stack, 'Added', { engine, vpc, vpcSubnets })).addPropertyOverride('MonitoringInterval', 60);
    expect(check(app).paths(RULE)).toEqual(['Test/Plain/Resource', 'Test/Removed/Resource']);
  });

  test('Aurora: monitoring on every instance, cluster-level Enhanced Monitoring or cluster Performance Insights complies; none fails once', () => {
    const { app, stack, vpc, vpcSubnets } = database();
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
    const props = { engine, vpc, vpcSubnets, writer: rds.ClusterInstance.provisioned('writer') };
    new rds.DatabaseCluster(stack, 'Instances', { ...props, monitoringInterval: Duration.seconds(60) });
    new rds.DatabaseCluster(stack, 'ClusterLevel', { ...props, monitoringInterval: Duration.seconds(60), enableClusterLevelEnhancedMonitoring: true });
    new rds.DatabaseCluster(stack, 'Insights', { ...props, enablePerformanceInsights: true });
    new rds.DatabaseCluster(stack, 'Plain', { ...props });
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Plain/Resource' }]);
  });

  test('Aurora: monitoring on only some instances fails on the cluster', () => {
    const { app, stack, vpc, vpcSubnets } = database();
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
    const cluster = new rds.DatabaseCluster(stack, 'Partial', {
      engine, vpc, vpcSubnets, writer: rds.ClusterInstance.provisioned('writer'), readers: [rds.ClusterInstance.provisioned('reader')],
    });
    cfnOf<rds.CfnDBInstance>(cluster.node.findChild('writer')).addPropertyOverride('MonitoringInterval', 60);
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Partial/Resource' }]);
  });
});
