import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FargateDeployment } from './fargate-deployment';
import type { OperableFargateServiceProps } from './operable-fargate-service';
import { fail, warn, Warnings } from '../core/errors';

/** The ADOT collector image the optional sidecar runs (pinned; ECS pulls it at deploy time, nothing is fetched at synth). */
export const ADOT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3';

/** What the create path built before the service exists (internal). */
export interface FargateParts {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly containerPort: number;
  readonly logGroup?: logs.ILogGroup;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  /** The target group production traffic goes to first (blue). */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The second target group a canary, linear or blue/green deployment shifts traffic to (green). */
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  readonly productionRule: elbv2.ApplicationListenerRule;
}

/** The settings the create path reads, resolved (internal). */
export interface FargateBuildInput {
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly logRetention: logs.RetentionDays;
  readonly deployment: FargateDeployment;
}

/**
 * The cluster (Container Insights with enhanced observability when created here), the task definition with a container
 * logging to a retained log group (and the ADOT collector sidecar when asked), the load balancer, its listener and the
 * production listener rule forwarding to the target group(s) a deployment shifts traffic between.
 */
export function buildFargateParts(scope: Construct, props: OperableFargateServiceProps, input: FargateBuildInput): FargateParts {
  const cluster = props.cluster ?? new ecs.Cluster(scope, 'Cluster', {
    vpc: props.vpc,
    containerInsightsV2: ecs.ContainerInsights.ENHANCED,
  });
  if (props.cluster) checkClusterInsights(scope, props.cluster);
  const vpc = cluster.vpc;

  let taskDefinition: ecs.FargateTaskDefinition;
  let container: ecs.ContainerDefinition;
  let logGroup: logs.ILogGroup | undefined;
  if (props.taskDefinition) {
    taskDefinition = props.taskDefinition;
    if (!taskDefinition.defaultContainer) {
      fail(scope, `taskDefinition ${taskDefinition.node.path} has no container: add its containers before giving it to OperableFargateService.`);
    }
    container = taskDefinition.defaultContainer!;
    checkLogging(scope, taskDefinition);
  } else {
    const image = props.taskImageOptions!;
    taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
      family: image.family,
      executionRole: image.executionRole,
      taskRole: image.taskRole,
    });
    const own = image.logDriver === undefined ? new logs.LogGroup(scope, 'LogGroup', { retention: input.logRetention, removalPolicy: RemovalPolicy.RETAIN }) : undefined;
    logGroup = own;
    container = taskDefinition.addContainer(image.containerName ?? 'web', {
      image: image.image,
      command: image.command,
      entryPoint: image.entryPoint,
      secrets: image.secrets,
      dockerLabels: image.dockerLabels,
      environment: {
        POWERTOOLS_SERVICE_NAME: input.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: input.metricsNamespace,
        OTEL_SERVICE_NAME: input.serviceName,
        ...image.environment,
      },
      logging: image.logDriver ?? ecs.LogDrivers.awsLogs({ streamPrefix: input.serviceName, logGroup: own, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      portMappings: [{ containerPort: image.containerPort ?? 80 }],
    });
    if (image.logDriver !== undefined) checkLogging(scope, taskDefinition);
  }
  if (props.adotSidecar) addAdotSidecar(scope, taskDefinition, logGroup, input.logRetention);
  const containerPort = container.containerPort;

  const https = props.certificate !== undefined;
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc, internetFacing: props.publicLoadBalancer ?? true });
  const listener = loadBalancer.addListener('Listener', {
    port: props.listenerPort ?? (https ? 443 : 80),
    protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
    certificates: https ? [props.certificate!] : undefined,
    defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' }),
  });
  const group = (id: string) => new elbv2.ApplicationTargetGroup(scope, id, {
    vpc,
    port: containerPort,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    healthCheck: props.healthCheck,
    deregistrationDelay: Duration.seconds(30),
  });
  const targetGroup = group('TargetGroup');
  const alternateTargetGroup = input.deployment.shiftsTraffic ? group('AlternateTargetGroup') : undefined;
  const productionRule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', {
    listener,
    priority: 1,
    conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
    action: alternateTargetGroup
      ? elbv2.ListenerAction.weightedForward([{ targetGroup, weight: 100 }, { targetGroup: alternateTargetGroup, weight: 0 }])
      : elbv2.ListenerAction.forward([targetGroup]),
  });
  return { cluster, taskDefinition, container, containerPort, logGroup, loadBalancer, listener, targetGroup, alternateTargetGroup, productionRule };
}

/** Attach the service to its target groups: the production one, and the alternate a traffic-shifting deployment uses. */
export function attachFargateService(service: ecs.FargateService, parts: FargateParts): void {
  const target = service.loadBalancerTarget({
    containerName: parts.container.containerName,
    containerPort: parts.containerPort,
    alternateTarget: parts.alternateTargetGroup ? new ecs.AlternateTarget('AlternateTarget', {
      alternateTargetGroup: parts.alternateTargetGroup,
      productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(parts.productionRule),
    }) : undefined,
  });
  target.attachToApplicationTargetGroup(parts.targetGroup);
}

/** Warn when a given (or existing) cluster defined in the app has no Container Insights; an imported one cannot be checked. */
export function checkClusterInsights(scope: Construct, cluster: ecs.ICluster): void {
  const cfn = cluster instanceof ecs.Cluster ? cluster.node.defaultChild as ecs.CfnCluster : undefined;
  const settings = cfn ? (cfn.clusterSettings as ecs.CfnCluster.ClusterSettingsProperty[] | undefined) ?? [] : undefined;
  const on = settings?.some((s) => s.name === 'containerInsights' && (s.value === 'enhanced' || s.value === 'enabled'));
  if (on) return;
  warn(scope, Warnings.ECS_CONTAINER_INSIGHTS, cfn
    ? `cluster ${cluster.node.path} has no Container Insights: the running-task, restart and per-task CPU/memory metrics the service's ` +
      'alarms and dashboard read are not collected. Set containerInsightsV2: ecs.ContainerInsights.ENHANCED on it (OPS04-BP02, OPS08-BP01).'
    : `cluster ${cluster.node.path} is imported: cdk-operable cannot check that it has Container Insights (ENHANCED), which the ` +
      "service's running-task alarm and dashboard read (OPS04-BP02).");
}

/** Warn when a container of the task definition logs nowhere retained: awslogs to a log group with retention, or FireLens. */
export function checkLogging(scope: Construct, taskDefinition: ecs.TaskDefinition): void {
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const containers = (taskDefinition.node.findAll().filter((c) => c instanceof ecs.ContainerDefinition) as ecs.ContainerDefinition[]);
  for (const c of containers) {
    const driver = c.logDriverConfig?.logDriver;
    if (driver === 'awsfirelens') continue;
    const group = driver === 'awslogs' ? c.logDriverConfig?.options?.['awslogs-group'] : undefined;
    const retained = group !== undefined && taskDefinition.node.scope !== undefined && retainedGroupNamed(scope, group);
    if (!retained) {
      warn(scope, Warnings.ECS_LOGGING, `container ${c.containerName} of ${cfn.node.path} logs ${driver ? `with ${driver}` : 'nowhere'}` +
        `${group !== undefined ? ' to a log group cdk-operable cannot see a retention on' : ''}: use ecs.LogDrivers.awsLogs({ logGroup }) with a ` +
        'log group that has a retention, or FireLens, and log JSON (OPS04-BP02).');
    }
  }
}

function retainedGroupNamed(scope: Construct, groupName: string): boolean {
  const groups = scope.node.root.node.findAll().filter((c) => c instanceof logs.LogGroup) as logs.LogGroup[];
  return groups.some((g) => g.logGroupName === groupName && (g.node.defaultChild as logs.CfnLogGroup).retentionInDays !== undefined);
}

/**
 * The AWS Distro for OpenTelemetry collector as a sidecar (its ECS default configuration: OTLP traces to X-Ray, OTLP and
 * StatsD metrics to CloudWatch as EMF), with the task-role permissions it needs, logging to the service's log group.
 */
function addAdotSidecar(scope: Construct, taskDefinition: ecs.FargateTaskDefinition, logGroup: logs.ILogGroup | undefined,
  retention: logs.RetentionDays): void {
  const group = logGroup ?? new logs.LogGroup(scope, 'AdotLogGroup', { retention, removalPolicy: RemovalPolicy.RETAIN });
  taskDefinition.addContainer('aws-otel-collector', {
    image: ecs.ContainerImage.fromRegistry(ADOT_COLLECTOR_IMAGE),
    command: ['--config=/etc/ecs/ecs-default-config.yaml'],
    essential: false,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'adot', logGroup: group, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    cpu: 32,
    memoryReservationMiB: 64,
  });
  taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
    resources: ['*'],
  }));
  // The default configuration's awsemf exporter writes EMF metrics as log events.
  taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['logs:PutLogEvents', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:DescribeLogGroups'],
    resources: ['*'],
  }));
}
