import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Dimension, logicalIdOf, synthesized, Synthesized } from './function-fixtures';
import { Approvers, OperableFargateService, OperableFargateServiceProps, WorkloadProps } from '../../src';
import { freight, testStack } from '../support/fixtures';

/** Shared helpers of the OperableFargateService tests (not a test file itself). */

export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
export const PATH = '/Test/Freight/Dispatch';
export const RUNBOOK = 'https://runbooks.example.com/freight/dispatch';
export const DASHBOARD_URL = 'https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-dispatch';
export const ONCALL_ROLE_ARN = 'arn:aws:iam::123456789012:role/oncall';
/** The alarms a deployment of the dispatch service rolls back on, in the order the service lists them. */
export const DEPLOYMENT_ALARM_NAMES = ['freight-dispatch-page', 'freight-dispatch-availability-burn14.4x-5m', 'freight-dispatch-latency-burn14.4x-5m',
  'freight-dispatch-canary'];
/** The operational alarms of a Fargate service, in creation order (after the canary alarm). */
export const OPERATIONAL_ALARM_NAMES = ['freight-dispatch-cpu', 'freight-dispatch-memory', 'freight-dispatch-running-tasks',
  'freight-dispatch-unhealthy-targets', 'freight-dispatch-deployment-failed'];

type Props = Partial<OperableFargateServiceProps>;

/**
 * A stack with the freight workload and one OperableFargateService 'Dispatch' (service 'dispatch'), created from the nginx
 * image unless `props` gives another source. `props` and `workloadProps` may be functions of the stack, to build clusters,
 * services or approvers first.
 */
export function fargate(props: Props | ((stack: Stack) => Props) = {},
  workloadProps: Partial<WorkloadProps> | ((stack: Stack) => Partial<WorkloadProps>) = {}): Synthesized & { svc: OperableFargateService } {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack, typeof workloadProps === 'function' ? workloadProps(stack) : workloadProps);
  const given = typeof props === 'function' ? props(stack) : props;
  const source = given.existingService || given.taskDefinition ? {} : { taskImageOptions: { image: IMAGE } };
  const svc = new OperableFargateService(workload, 'Dispatch', { ...source, ...given } as OperableFargateServiceProps);
  return { ...synthesized(stack, workload, pages, tickets), svc };
}

/** The workload's approvers: the on-call role (RestartEcsService and ScaleEcsService are then created). */
export function oncallApprovers(stack: Stack): Approvers {
  return Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', ONCALL_ROLE_ARN)] });
}

/** An ECS service defined in the app outside the workload, and the load balancing in front of it. */
export interface Legacy {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
}

/**
 * A FargateService 'Legacy' (container port 8080) in cluster 'Cluster' (Container Insights enhanced unless `insights` is
 * false), behind the ALB 'Alb' whose HTTP listener forwards to the target group 'Legacy'.
 */
export function legacy(stack: Stack, serviceProps: Partial<ecs.FargateServiceProps> = {}, insights = true): Legacy {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, ...(insights ? { containerInsightsV2: ecs.ContainerInsights.ENHANCED } : {}) });
  const task = new ecs.FargateTaskDefinition(stack, 'LegacyTask');
  task.addContainer('App', { image: IMAGE, portMappings: [{ containerPort: 8080 }] });
  const service = new ecs.FargateService(stack, 'Legacy', { cluster, taskDefinition: task, minHealthyPercent: 100, ...serviceProps });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const targetGroup = loadBalancer.addListener('Http', { port: 80 }).addTargets('Legacy', { port: 8080, targets: [service] });
  return { vpc, cluster, service, loadBalancer, targetGroup };
}

/** The `LoadBalancer` and `TargetGroup` dimensions of a created load balancer and target group, as alarms render them. */
export function targetGroupDimensions(loadBalancer: elbv2.IApplicationLoadBalancer, targetGroup: elbv2.IApplicationTargetGroup): Dimension[] {
  return [
    { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [logicalIdOf(loadBalancer), 'LoadBalancerFullName'] } },
    { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [logicalIdOf(targetGroup), 'TargetGroupFullName'] } },
  ];
}

/** The `ClusterName` and `ServiceName` dimensions of a created cluster and service, as alarms render them. */
export function serviceDimensions(svc: OperableFargateService): Dimension[] {
  return [
    { Name: 'ClusterName', Value: { Ref: logicalIdOf(svc.cluster) } },
    { Name: 'ServiceName', Value: { 'Fn::GetAtt': [logicalIdOf(svc.service), 'Name'] } },
  ];
}

/** The footer line of an alarm description of the dispatch service. */
export function footer(severity: 'PAGE' | 'TICKET', runbook = RUNBOOK): string {
  return `Severity: ${severity} | Owner: pricing | Runbook: ${runbook} | Playbook: none | Dashboard: ${DASHBOARD_URL}`;
}

/** The warnings reported on a construct path (the OperableFargateService by default). */
export function warningsOn(stack: Stack, path = PATH): string[] {
  return Annotations.fromStack(stack).findWarning(path, Match.anyValue()).map((w) => String(w.entry.data));
}

/** The text of an alarm description, plain or in an Fn::Sub. */
export function descriptionOf(alarm: Record<string, unknown>): string {
  const d = alarm.AlarmDescription as string | { 'Fn::Sub': string };
  return typeof d === 'string' ? d : d['Fn::Sub'];
}
