import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import type { OperationalAlarmOptions } from './service-options';
import { TargetGroupDimensions, targetGroupMetric } from './target-group-signals';
import { Workload } from '../core/workload';

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** What decides an ECS service's operational alarms (internal). */
export interface FargateAlarmInput {
  readonly service: ecs.IBaseService;
  readonly targetGroups: TargetGroupDimensions[];
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  /** The metric counting the service's failed deployments. */
  readonly deploymentFailures: cloudwatch.IMetric;
}

/** A metric of an ECS service (dimensions `ClusterName` and `ServiceName`) in `namespace`. */
function serviceMetric(namespace: string, service: ecs.IBaseService, metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
    statistic,
    period,
  });
}

/** Container Insights service metrics (namespace `ECS/ContainerInsights`; the cluster must have Container Insights). */
export function containerInsightsMetric(service: ecs.IBaseService, metricName: string, statistic: string, period = ONE_MINUTE): cloudwatch.Metric {
  return serviceMetric('ECS/ContainerInsights', service, metricName, statistic, period);
}

/** An `AWS/ECS` service metric (CPU or memory utilization). */
export function ecsServiceMetric(service: ecs.IBaseService, metricName: string, statistic: string, period = FIVE_MINUTES): cloudwatch.Metric {
  return serviceMetric('AWS/ECS', service, metricName, statistic, period);
}

/**
 * The saturation and health ticket alarms of an ECS service, as a table: CPU and memory utilization, fewer running tasks
 * than desired, unhealthy targets, failed deployments.
 */
export function fargateAlarmTable(input: FargateAlarmInput): Array<{ id: string; options: OperationalAlarmOptions }> {
  const name = `ECS service ${input.service.serviceName}`;
  const fifteen = 'for 15 minutes';
  const unhealthy = Object.fromEntries(input.targetGroups.map((tg, i) => [`u${i}`, targetGroupMetric(tg, 'UnHealthyHostCount', 'Maximum', ONE_MINUTE)]));
  return [
    {
      id: 'CpuUtilization',
      options: {
        metric: ecsServiceMetric(input.service, 'CPUUtilization', 'Average'),
        threshold: input.cpuPercent,
        evaluationPeriods: 3,
        summary: `${name} used ${input.cpuPercent}% or more of its CPU ${fifteen}: scale out, or give its tasks more CPU.`,
        alarmNameSuffix: 'cpu',
      },
    },
    {
      id: 'MemoryUtilization',
      options: {
        metric: ecsServiceMetric(input.service, 'MemoryUtilization', 'Average'),
        threshold: input.memoryPercent,
        evaluationPeriods: 3,
        summary: `${name} used ${input.memoryPercent}% or more of its memory ${fifteen}: tasks near their limit are stopped (OutOfMemory).`,
        alarmNameSuffix: 'memory',
      },
    },
    {
      id: 'RunningTasks',
      options: {
        // Running below desired for 10 minutes: tasks fail to start or keep stopping (a deployment runs extra tasks, never fewer).
        metric: new cloudwatch.MathExpression({
          expression: 'FILL(desired,0) - FILL(running,0)',
          usingMetrics: {
            desired: containerInsightsMetric(input.service, 'DesiredTaskCount', 'Maximum'),
            running: containerInsightsMetric(input.service, 'RunningTaskCount', 'Minimum'),
          },
          label: 'Desired minus running tasks',
          period: ONE_MINUTE,
        }),
        threshold: 1,
        evaluationPeriods: 10,
        summary: `${name} ran fewer tasks than desired for 10 minutes: look at the stopped tasks' reasons (image pull, health checks, ` +
          'OutOfMemory, capacity).',
        alarmNameSuffix: 'running-tasks',
      },
    },
    {
      id: 'UnhealthyTargets',
      options: {
        metric: new cloudwatch.MathExpression({
          expression: Object.keys(unhealthy).map((k) => `FILL(${k},0)`).join(' + '),
          usingMetrics: unhealthy,
          label: 'Unhealthy targets',
          period: ONE_MINUTE,
        }),
        threshold: 1,
        evaluationPeriods: 10,
        summary: `Targets of ${name} failed their load balancer health checks for 10 minutes.`,
        alarmNameSuffix: 'unhealthy-targets',
      },
    },
    {
      id: 'DeploymentFailures',
      options: {
        metric: input.deploymentFailures,
        threshold: 1,
        summary: `A deployment of ${name} failed or was rolled back (ECS SERVICE_DEPLOYMENT_FAILED): the previous revision serves; find ` +
          'why in the deployment events before deploying again.',
        alarmNameSuffix: 'deployment-failed',
      },
    },
  ];
}

/**
 * The canary alarm: the error-budget burn rate of each target group on its own, the higher of them, per minute. During a
 * canary or linear deployment the new revision serves its share of traffic from one target group, so its errors are
 * not diluted by the old revision's healthy traffic, as they are in the service's SLOs: at a 10 % canary whose tasks
 * fail 20 % of requests, the service burns 20× (a 1-hour fast-burn window needs 43 minutes to see it), the canary's
 * target group 200×, seen in `evaluationPeriods` minutes. A target group with fewer than `minRequests` requests in a
 * minute counts as 0 (the low-traffic guard).
 */
export function canaryBurnRate(targetGroups: TargetGroupDimensions[], errorBudget: number, minRequests: number): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  const rates: string[] = [];
  targetGroups.forEach((tg, i) => {
    const m = (metricName: string) => targetGroupMetric(tg, metricName, 'Sum', ONE_MINUTE);
    usingMetrics[`t${i}`] = m('HTTPCode_Target_5XX_Count');
    usingMetrics[`e${i}`] = m('HTTPCode_ELB_5XX_Count');
    usingMetrics[`n${i}`] = m('RequestCount');
    rates.push(`IF(FILL(n${i},0) >= ${minRequests}, (FILL(t${i},0) + FILL(e${i},0)) / n${i}, 0)`);
  });
  const highest = rates.length === 1 ? rates[0] : `IF(${rates[0]} > ${rates[1]}, ${rates[0]}, ${rates[1]})`;
  return new cloudwatch.MathExpression({
    expression: `${highest} / ${errorBudget}`,
    usingMetrics,
    label: 'Highest target-group burn rate',
    period: ONE_MINUTE,
  });
}

/**
 * The workload's shared capture of ECS events (in its stack): EventBridge rules sending `ECS Deployment State Change` events
 * named SERVICE_DEPLOYMENT_FAILED, and `ECS Task State Change` events of stopped service tasks (with their stoppedReason),
 * to a retained log group (with the resource policy that lets EventBridge write
 * to it; CloudWatch Logs allows 10 resource policies per account and Region); each service counts its own with a metric
 * filter on its ARN.
 */
class DeploymentEvents extends Construct {
  public static of(scope: IConstruct, retention: logs.RetentionDays): DeploymentEvents {
    const workload = Workload.of(scope);
    const id = 'EcsDeploymentEvents';
    return (workload.node.tryFindChild(id) as DeploymentEvents | undefined) ?? new DeploymentEvents(workload, id, retention);
  }

  public readonly logGroup: logs.LogGroup;

  private constructor(scope: Workload, id: string, retention: logs.RetentionDays) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/events/${Stack.of(this).stackName}/${scope.workloadName}/ecs-deployments`,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new logs.CfnResourcePolicy(this, 'Policy', {
      policyName: `${Stack.of(this).stackName}-${scope.workloadName}-ecs-deployment-events`.slice(0, 255),
      policyDocument: Stack.of(this).toJsonString({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: this.logGroup.logGroupArn,
        }],
      }),
    });
    // EventBridge takes the log group's ARN without the ':*' that its Arn attribute ends with.
    const target = {
      id: 'EcsEvents',
      arn: Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    };
    new events.CfnRule(this, 'Rule', {
      description: 'Failed ECS deployments of the workload\'s operable services, counted per service by metric filters (cdk-operable).',
      eventPattern: {
        'source': ['aws.ecs'],
        'detail-type': ['ECS Deployment State Change'],
        'detail': { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      },
      targets: [target],
    });
    new events.CfnRule(this, 'StoppedTasksRule', {
      description: 'Stopped tasks of ECS services and why they stopped, for the services\' playbooks and dashboards (cdk-operable).',
      eventPattern: {
        'source': ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        'detail': { lastStatus: ['STOPPED'], group: [{ prefix: 'service:' }] },
      },
      targets: [target],
    });
  }
}

/** The metric counting the failed deployments of one service (a metric filter on the stack's deployment-event log group). */
export function deploymentFailureMetric(scope: Construct, service: ecs.IBaseService, namespace: string, serviceName: string,
  retention: logs.RetentionDays): { metric: cloudwatch.IMetric; eventLog: logs.ILogGroup } {
  const shared = DeploymentEvents.of(scope, retention);
  const filter = new logs.MetricFilter(scope, 'DeploymentFailureFilter', {
    logGroup: shared.logGroup,
    filterPattern: logs.FilterPattern.stringValue('$.resources[0]', '=', service.serviceArn),
    metricNamespace: namespace,
    metricName: 'EcsDeploymentFailures',
    dimensions: { Service: serviceName },
    metricValue: '1',
    unit: cloudwatch.Unit.COUNT,
  });
  return { metric: filter.metric({ statistic: 'Sum', period: FIVE_MINUTES, dimensionsMap: { Service: serviceName } }), eventLog: shared.logGroup };
}
