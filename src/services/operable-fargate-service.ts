import { Token } from 'aws-cdk-lib';
import * as certificatemanager from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { canaryBurnRate, containerInsightsMetric, deploymentFailureMetric, ecsServiceMetric, fargateAlarmTable } from './fargate-alarms';
import { attachFargateService, buildFargateParts, checkClusterInsights, FargateParts } from './fargate-build';
import { FargateDeployment } from './fargate-deployment';
import { loadBalancerFullName, reportExistingDeployment, targetGroupFullName } from './fargate-existing';
import { checkFargateProps } from './fargate-validation';
import { OperableService, OperableServiceProps } from './operable-service';
import { ServiceSloDefaults } from './service-options';
import { combinedTargetGroupCounts, loadBalancerMetric, TargetGroupDimensions, targetGroupMetric, targetGroupSignals } from './target-group-signals';
import { fail } from '../core/errors';
import { alarmName } from '../core/naming';
import { OpsTags } from '../core/ops-tags';
import { RestartEcsService, ScaleEcsService } from '../runbooks/presets/ecs-service';
import { RollbackEcsService } from '../runbooks/presets/rollback-ecs-service';
import { BurnRatePolicy } from '../slo/burn-rate-policy';
import { ServiceLevelObjective } from '../slo/slo';

const OPERABLE_FARGATE_SYMBOL = Symbol.for('cdk-operable.OperableFargateService');

/**
 * Properties of an operable ECS service on Fargate behind an Application Load Balancer. Give `taskImageOptions` (or a
 * `taskDefinition`) to create the service, its load balancer and (unless given) its cluster; or `existingService` with the
 * `targetGroup` its load balancer forwards to.
 */
export interface OperableFargateServiceProps extends OperableServiceProps, ServiceSloDefaults {
  /**
   * Create the task definition from these options (the ecs-patterns shape): one container logging JSON to a retained log
   * group through awslogs (unless `logDriver` is given), with `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE` and
   * `OTEL_SERVICE_NAME` in its environment (yours win).
   *
   * @default - none; give one of `taskImageOptions`, `taskDefinition` and `existingService`
   */
  readonly taskImageOptions?: ecsPatterns.ApplicationLoadBalancedTaskImageOptions;

  /**
   * Run this task definition; its default (first essential) container serves the load balancer's traffic on its first port.
   *
   * @default - none; give one of `taskImageOptions`, `taskDefinition` and `existingService`
   */
  readonly taskDefinition?: ecs.FargateTaskDefinition;

  /**
   * The cluster to run in (create path).
   *
   * @default - a new cluster with Container Insights (enhanced observability) in `vpc`
   */
  readonly cluster?: ecs.ICluster;

  /**
   * The VPC of the new cluster (create path, without `cluster`).
   *
   * @default - a new VPC across two Availability Zones
   */
  readonly vpc?: ec2.IVpc;

  /**
   * vCPU units of the task definition created from `taskImageOptions`.
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Memory (MiB) of the task definition created from `taskImageOptions`.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * Tasks to run (create path).
   *
   * @default 2 (one per Availability Zone: a stopped task is not an outage)
   */
  readonly desiredCount?: number;

  /**
   * Whether the load balancer is internet-facing (create path).
   *
   * @default true
   */
  readonly publicLoadBalancer?: boolean;

  /**
   * Certificate of an HTTPS listener (create path).
   *
   * @default - an HTTP listener
   */
  readonly certificate?: certificatemanager.ICertificate;

  /**
   * Port of the listener (create path).
   *
   * @default - 443 with a certificate, else 80
   */
  readonly listenerPort?: number;

  /**
   * Health check of the target groups (create path).
   *
   * @default - the load balancer's default: HTTP GET / every 30 seconds
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * How new task definitions are deployed (create path): the ECS deployment controller's canary, linear, blue/green or
   * rolling strategy, rolled back on the deployment alarms and by the circuit breaker.
   *
   * @default FargateDeployment.CANARY_10_PERCENT_10_MINUTES
   */
  readonly deployment?: FargateDeployment;

  /**
   * More alarms that roll a deployment back (create path), besides the page composite, each SLO's fast-burn alarm and the
   * canary alarm. ECS reads them by name: give alarms with a fixed `alarmName` (a name read from a reference to an alarm
   * that watches this service would be a circular dependency).
   *
   * @default - none
   */
  readonly deploymentAlarms?: cloudwatch.IAlarm[];

  /**
   * Retention of the log group cdk-operable creates for the container (create path: `taskImageOptions` without a
   * `logDriver`) and for the ADOT sidecar.
   *
   * @default - the workload tier's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Add the AWS Distro for OpenTelemetry collector as a sidecar (create path): OTLP traces to X-Ray, metrics as EMF. Costs
   * 32 CPU units and 64 MiB of each task, plus X-Ray traces (US$ 5 per million recorded) and EMF log ingestion.
   *
   * @default false
   */
  readonly adotSidecar?: boolean;

  /**
   * Make an ECS service defined elsewhere operable (with `targetGroup`). Its SLOs, alarms, dashboard and runbooks are the
   * same; it gets the `ops:service` and ownership tags and is otherwise not modified: a missing deployment alarm or
   * circuit breaker is reported as a `cdk-operable:ecs-existing-service` warning naming the alarms to add
   * (`deploymentAlarmNames`).
   *
   * @default - none
   */
  readonly existingService?: ecs.IBaseService;

  /**
   * The target group the existing service's load balancer forwards to (existing path; required there).
   *
   * @default - none
   */
  readonly targetGroup?: elbv2.IApplicationTargetGroup;

  /**
   * The second target group of an existing service deployed blue/green or canary (existing path).
   *
   * @default - none: the service serves from `targetGroup` only
   */
  readonly alternateTargetGroup?: elbv2.IApplicationTargetGroup;

  /**
   * The load balancer forwarding to `targetGroup` (existing path).
   *
   * @default - the load balancer the target group is attached to in this app (required for an imported target group)
   */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;

  /**
   * Ticket when the service's average CPU utilization stays at or above this percentage for 15 minutes.
   *
   * @default 85
   */
  readonly cpuAlarmPercent?: number;

  /**
   * Ticket when the service's average memory utilization stays at or above this percentage for 15 minutes.
   *
   * @default 90
   */
  readonly memoryAlarmPercent?: number;

  /**
   * Requests a target group must receive in a minute for the canary alarm to count its errors (the low-traffic guard).
   *
   * @default 20
   */
  readonly canaryMinRequests?: number;

  /**
   * Create the service's runbooks: RollbackEcsService (to the last known-good task definition), RestartEcsService and
   * ScaleEcsService, each behind the workload's approval (a workload without approvers cannot have them).
   *
   * @default - true when the workload has approvers
   */
  readonly runbooks?: boolean;

  /**
   * The most tasks the scaling runbook may set.
   *
   * @default - 4 × the desired count (at least 4)
   */
  readonly maxTaskCount?: number;
}

/**
 * An ECS service on Fargate behind an Application Load Balancer with the whole operational Definition of Done: Container
 * Insights (enhanced) on the cluster it creates, JSON logs to a retained log group, availability and latency SLOs on
 * what users feel (the target groups' 5XX over requests, `TargetResponseTime` in seconds), saturation and health
 * tickets, the ECS deployment controller's canary deployment rolled back by the page composite, the SLOs' fast-burn
 * alarms and a canary alarm, rollback/restart/scale runbooks, an investigation playbook (golden signals, recent container
 * errors and stopped-task reasons), a dashboard, and ORR tags.
 *
 * @example
 * new OperableFargateService(workload, 'Dispatch', {
 *   taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), containerPort: 80 },
 * });
 */
export class OperableFargateService extends OperableService {
  /** Whether `x` is an OperableFargateService (works across copies of this library). */
  public static isOperableFargateService(x: unknown): x is OperableFargateService {
    return x !== null && typeof x === 'object' && OPERABLE_FARGATE_SYMBOL in (x as object);
  }

  /** The ECS service. */
  public readonly service: ecs.IBaseService;
  /**
   * The cluster.
   */
  public readonly cluster: ecs.ICluster;
  /** The target group production traffic goes to. */
  public readonly targetGroup: elbv2.IApplicationTargetGroup;
  /**
   * The second target group a canary, linear or blue/green deployment shifts traffic to.
   * @default - none for a rolling deployment
   */
  public readonly alternateTargetGroup?: elbv2.IApplicationTargetGroup;
  /**
   * The load balancer.
   * @default - none when it could not be told (existing path)
   */
  public readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  /**
   * The task definition.
   * @default - none for an existing service
   */
  public readonly taskDefinition?: ecs.FargateTaskDefinition;
  /**
   * The container's log group.
   * @default - none when the container logs elsewhere or the service exists
   */
  public readonly logGroup?: logs.ILogGroup;
  /**
   * The availability SLO.
   * @default - none when availabilitySlo is false
   */
  public readonly availability?: ServiceLevelObjective;
  /**
   * The latency SLO.
   * @default - none when latencySlo is false
   */
  public readonly latency?: ServiceLevelObjective;
  /** The canary alarm: the highest burn rate of one target group, which rolls deployments back. */
  public readonly canaryAlarm: cloudwatch.Alarm;
  /**
   * The runbook that restarts the service's tasks.
   * @default - none when runbooks is false
   */
  public readonly restartRunbook?: RestartEcsService;
  /**
   * The runbook that scales the service.
   * @default - none when runbooks is false
   */
  public readonly scaleRunbook?: ScaleEcsService;
  /**
   * The runbook that rolls the service back to its last known-good task definition.
   * @default - none when runbooks is false
   */
  public readonly rollbackRunbook?: RollbackEcsService;

  private readonly deploymentAlarmList: string[];

  constructor(scope: Construct, id: string, props: OperableFargateServiceProps) {
    super(scope, id, props);
    Object.defineProperty(this, OPERABLE_FARGATE_SYMBOL, { value: true });
    checkFargateProps(this, props);
    const tier = this.workload.tier;
    const deployment = props.deployment ?? FargateDeployment.CANARY_10_PERCENT_10_MINUTES;
    const logRetention = props.logRetention ?? tier.logRetention;

    let parts: FargateParts | undefined;
    let groups: TargetGroupDimensions[];
    if (props.existingService) {
      this.cluster = props.existingService.cluster;
      this.targetGroup = props.targetGroup!;
      this.alternateTargetGroup = props.alternateTargetGroup;
      this.loadBalancer = props.loadBalancer;
      const lb = loadBalancerFullName(this, props.targetGroup!, props.loadBalancer);
      groups = [props.targetGroup!, ...(props.alternateTargetGroup ? [props.alternateTargetGroup] : [])]
        .map((tg) => ({ targetGroupFullName: targetGroupFullName(tg), loadBalancerFullName: lb }));
      checkClusterInsights(this, this.cluster);
      this.workload.own(props.existingService);
      OpsTags.apply(props.existingService, OpsTags.SERVICE, this.serviceName);
    } else {
      parts = buildFargateParts(this, props, {
        serviceName: this.serviceName,
        metricsNamespace: this.workload.workloadName,
        logRetention,
        deployment,
      });
      this.cluster = parts.cluster;
      this.taskDefinition = parts.taskDefinition;
      this.logGroup = parts.logGroup;
      this.loadBalancer = parts.loadBalancer;
      this.targetGroup = parts.targetGroup;
      this.alternateTargetGroup = parts.alternateTargetGroup;
      groups = [parts.targetGroup, ...(parts.alternateTargetGroup ? [parts.alternateTargetGroup] : [])]
        .map((tg) => ({ targetGroupFullName: tg.targetGroupFullName, loadBalancerFullName: parts!.loadBalancer.loadBalancerFullName }));
    }

    // SLOs on what users feel: every target group the service serves from (a canary splits traffic between two).
    const { bad, total } = combinedTargetGroupCounts(groups);
    // Latency: one plain metric. A load balancer cdk-operable created serves only this service, so its own
    // TargetResponseTime is the service's across both target groups; otherwise the (single) target group's.
    const latencyMetric = parts
      ? loadBalancerMetric(parts.loadBalancer.loadBalancerFullName, 'TargetResponseTime', 'Average')
      : targetGroupSignals(groups[0]).latency;
    const slos = this._addDefaultSlos(props, { bad, total, latency: latencyMetric });
    this.availability = slos.availability;
    this.latency = slos.latency;

    // The canary alarm reads the fast page pair of the availability SLO's policy (default: 14.4×).
    const policySlo = this.availability ?? this.latency;
    const fastBurn = Math.max(...(policySlo?.policy ?? BurnRatePolicy.SRE_WORKBOOK).pageWindows.map((w) => w.burnRate));
    const budget = policySlo?.errorBudget ?? (1 - tier.availabilityObjective / 100);
    const canaryName = alarmName(this, [this.workload.workloadName, this.serviceName, 'canary']);
    this.canaryAlarm = this.addOperationalAlarm('CanaryAlarm', {
      metric: canaryBurnRate(groups, Number(budget.toPrecision(6)), props.canaryMinRequests ?? 20),
      threshold: fastBurn,
      evaluationPeriods: 3,
      alarmNameSuffix: 'canary',
      summary: `A target group of ${this.serviceName} burned its error budget ${fastBurn}× or faster for 3 minutes (during a canary or linear ` +
        'deployment: the new revision fails); it rolls the deployment back.',
    });

    this.deploymentAlarmList = [
      literalName(this.pageAlarm),
      ...this.slos.map((s) => literalName(s.fastBurnAlarm)),
      canaryName,
      ...(props.deploymentAlarms ?? []).map((a) => a.alarmName),
    ];

    if (parts) {
      const service = new ecs.FargateService(this, 'Service', {
        cluster: parts.cluster,
        taskDefinition: parts.taskDefinition,
        desiredCount: props.desiredCount ?? 2,
        minHealthyPercent: 100,
        circuitBreaker: { enable: true, rollback: true },
        deploymentAlarms: { alarmNames: this.deploymentAlarmList, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
        propagateTags: ecs.PropagatedTagSource.SERVICE,
        ...deployment._serviceProps(this),
      });
      attachFargateService(service, parts);
      this.service = service;
    } else {
      this.service = props.existingService!;
      reportExistingDeployment(this, this.service, this.deploymentAlarmList);
    }

    // The ECS event log is the workload's (shared by its services): the tier's retention, not one service's setting.
    const { metric: failures, eventLog } = deploymentFailureMetric(this, this.service, this.workload.workloadName, this.serviceName,
      tier.logRetention);
    for (const { id: alarmId, options } of fargateAlarmTable({
      service: this.service,
      targetGroups: groups,
      cpuPercent: props.cpuAlarmPercent ?? 85,
      memoryPercent: props.memoryAlarmPercent ?? 90,
      deploymentFailures: failures,
    })) this.addOperationalAlarm(alarmId, options);
    this._watches(this.service);

    const runbooks = props.runbooks ?? this.workload.approvers !== undefined;
    if (!runbooks && props.maxTaskCount !== undefined) {
      fail(this, `maxTaskCount is ${props.maxTaskCount} but the service gets no runbooks (${props.runbooks === false ? 'runbooks is false'
        : `workload '${this.workload.workloadName}' has no approvers`}): it bounds the scaling runbook. Remove maxTaskCount, or give the ` +
        'workload approvers.');
    }
    if (runbooks) {
      const desired = props.desiredCount ?? 2;
      // Most specific first for the page composite: rolling back a bad release is the first move.
      this.rollbackRunbook = new RollbackEcsService(this, 'RollbackRunbook', { service: this.service });
      this.restartRunbook = new RestartEcsService(this, 'RestartRunbook', { service: this.service });
      this.scaleRunbook = new ScaleEcsService(this, 'ScaleRunbook', { service: this.service, maxCount: props.maxTaskCount ?? Math.max(4, desired * 4) });
    }

    // Golden signals as plain metrics (the playbook reads each with GetMetricData): the load balancer's own when
    // cdk-operable created it for this service, else the target group's; the SLOs count the load balancer's 5XX too.
    const plainMetric = (metricName: string) => (parts ? loadBalancerMetric(parts.loadBalancer.loadBalancerFullName, metricName, 'Sum')
      : targetGroupMetric(groups[0], metricName, 'Sum'));
    this.dashboard?.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Tasks: running vs desired',
        left: [containerInsightsMetric(this.service, 'RunningTaskCount', 'Minimum'), containerInsightsMetric(this.service, 'DesiredTaskCount', 'Maximum'),
          containerInsightsMetric(this.service, 'PendingTaskCount', 'Maximum')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: '5XX: from the tasks vs from the load balancer',
        left: [plainMetric('HTTPCode_Target_5XX_Count').with({ label: 'Targets 5XX' }), plainMetric('HTTPCode_ELB_5XX_Count').with({ label: 'Load balancer 5XX' })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Deployments: failed, canary burn rate',
        left: [failures],
        right: [this.canaryAlarm.metric],
        width: 12,
      }),
    );
    this._addSignals({
      traffic: plainMetric('RequestCount'),
      errors: plainMetric('HTTPCode_Target_5XX_Count'),
      latency: latencyMetric,
      saturation: [ecsServiceMetric(this.service, 'CPUUtilization', 'Average'), ecsServiceMetric(this.service, 'MemoryUtilization', 'Average')],
    }, {
      title: `${this.serviceName}: recent errors and stopped tasks`,
      logGroups: [...(this.logGroup ? [this.logGroup] : []), eventLog],
      query: recentErrorsAndStoppedTasks(this.service),
    });
  }

  /**
   * The names of the alarms that roll a deployment back: the page composite, each SLO's fast-burn alarm, the canary alarm
   * and the `deploymentAlarms` given. For an existing service, give these to its `deploymentAlarms`.
   */
  public get deploymentAlarmNames(): string[] {
    return [...this.deploymentAlarmList];
  }
}

/**
 * Logs Insights query over the container's log group and the workload's ECS event log: the container's recent errors (JSON
 * `level` or text lines) and this service's stopped tasks with why they stopped (ECS `stoppedReason`, each container's
 * exit code and reason).
 */
function recentErrorsAndStoppedTasks(service: ecs.IBaseService): string {
  return [
    'fields @timestamp, @log, detail.stoppedReason, detail.containers.0.exitCode, detail.containers.0.reason, level, message, @message',
    `| filter (@log like /ecs-deployments/ and detail.group = "service:${service.serviceName}") or `
      + '(@log not like /ecs-deployments/ and (level = "ERROR" or level = "FATAL" or @message like /(?i)(error|exception|panic)/))',
    '| sort @timestamp desc',
    '| limit 100',
  ].join('\n');
}

/** The name cdk-operable gave an alarm it created (a literal string: no reference, so no dependency on it). */
function literalName(alarm: cloudwatch.IAlarm): string {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm;
  const name = cfn instanceof cloudwatch.CfnAlarm ? cfn.alarmName : (cfn as cloudwatch.CfnCompositeAlarm).alarmName;
  return typeof name === 'string' && !Token.isUnresolved(name) ? name : alarm.alarmName;
}
