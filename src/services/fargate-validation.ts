import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { FargateDeployment } from './fargate-deployment';
import type { OperableFargateServiceProps } from './operable-fargate-service';
import { SERVICE_PROP_CHECKS, SLO_DEFAULT_CHECKS } from './operable-service';
import { Check, Checks, checkProps, describeValue } from '../core/checks';
import { fail } from '../core/errors';

const has = (key: string, what: string) => Checks.instance((v) => typeof (v as Record<string, unknown> | undefined)?.[key] === 'string', what);

/** Every prop of OperableFargateServiceProps and its check (a prop missing here is reported as unknown). */
const CHECKS: Record<string, readonly [Check, string?]> = {
  ...SERVICE_PROP_CHECKS,
  ...SLO_DEFAULT_CHECKS,
  taskImageOptions: [Checks.object('ecsPatterns.ApplicationLoadBalancedTaskImageOptions ({ image: ecs.ContainerImage.fromRegistry(...) })')],
  taskDefinition: [has('taskDefinitionArn', 'an ecs.FargateTaskDefinition')],
  cluster: [has('clusterName', 'an ecs.ICluster')],
  vpc: [has('vpcId', 'an ec2.IVpc')],
  cpu: [Checks.number({ integer: true, min: 256 }), 'Fargate task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384.'],
  memoryLimitMiB: [Checks.number({ integer: true, min: 512 }), 'E.g. 512, 1024, 2048 (Fargate pairs memory with cpu).'],
  desiredCount: [Checks.number({ integer: true, min: 1 }), 'At least 1; 2 or more keeps serving while a task is replaced.'],
  publicLoadBalancer: [Checks.boolean],
  certificate: [has('certificateArn', 'an acm.ICertificate')],
  listenerPort: [Checks.number({ integer: true, min: 1, max: 65535 })],
  healthCheck: [Checks.object('elbv2.HealthCheck')],
  deployment: [Checks.instance(FargateDeployment.isFargateDeployment, 'a FargateDeployment (e.g. FargateDeployment.canary({ stepPercent: 10 }))')],
  deploymentAlarms: [Checks.arrayOf(has('alarmArn', 'a cloudwatch.IAlarm'))],
  logRetention: [Checks.enumOf(logs.RetentionDays, 'logs.RetentionDays'), 'E.g. logs.RetentionDays.SIX_MONTHS.'],
  adotSidecar: [Checks.boolean],
  existingService: [has('serviceArn', 'an ecs.IBaseService (a FargateService or an imported service)')],
  targetGroup: [has('targetGroupArn', 'an elbv2.IApplicationTargetGroup')],
  alternateTargetGroup: [has('targetGroupArn', 'an elbv2.IApplicationTargetGroup')],
  loadBalancer: [has('loadBalancerArn', 'an elbv2.IApplicationLoadBalancer')],
  cpuAlarmPercent: [Checks.number({ above: 0, max: 100 })],
  memoryAlarmPercent: [Checks.number({ above: 0, max: 100 })],
  canaryMinRequests: [Checks.number({ integer: true, min: 1 })],
  runbooks: [Checks.boolean],
  maxTaskCount: [Checks.number({ integer: true, min: 1 })],
};

/** Props that configure a service cdk-operable creates. */
const CREATE_ONLY = ['taskImageOptions', 'taskDefinition', 'cluster', 'vpc', 'cpu', 'memoryLimitMiB', 'desiredCount', 'publicLoadBalancer',
  'certificate', 'listenerPort', 'healthCheck', 'deployment', 'deploymentAlarms', 'logRetention', 'adotSidecar'] as const;
/** Props that describe a service you bring. */
const EXISTING_ONLY = ['targetGroup', 'alternateTargetGroup', 'loadBalancer'] as const;

/** Check the props of an OperableFargateService: their shapes, and that each one applies to the path taken. */
export function checkFargateProps(scope: IConstruct, props: OperableFargateServiceProps): void {
  checkProps(scope, 'OperableFargateServiceProps', props, CHECKS, '', { exhaustive: true });
  const sources = (['taskImageOptions', 'taskDefinition', 'existingService'] as const).filter((k) => props[k] !== undefined);
  if (sources.length !== 1) {
    fail(scope, sources.length === 0
      ? 'give taskImageOptions (or a taskDefinition) to create the service, or existingService (with its targetGroup) to make an existing one operable.'
      : `give one of taskImageOptions, taskDefinition and existingService, not ${sources.join(' and ')}.`);
  }
  const list = (keys: readonly string[]) => keys.map((k) => `${k} (${describeValue((props as Record<string, unknown>)[k])})`).join(', ');
  if (props.existingService) {
    const given = CREATE_ONLY.filter((k) => props[k] !== undefined);
    if (given.length > 0) {
      fail(scope, `${list(given)} ${given.length === 1 ? 'configures' : 'configure'} a service cdk-operable creates; with existingService, set ` +
        `${given.length === 1 ? 'it' : 'them'} where the service is defined (its deploymentAlarms: this construct's deploymentAlarmNames).`);
    }
    if (props.targetGroup === undefined) {
      fail(scope, 'existingService needs targetGroup: the target group its load balancer forwards to, whose 5XX, requests and response time are ' +
        "the service's SLIs.");
    }
    return;
  }
  const given = EXISTING_ONLY.filter((k) => props[k] !== undefined);
  if (given.length > 0) {
    fail(scope, `${given.join(', ')} ${given.length === 1 ? 'describes' : 'describe'} the load balancing of a service you bring (existingService); ` +
      'cdk-operable creates the load balancer and target groups of the service it creates: remove it.');
  }
  if (props.cluster && props.vpc) {
    fail(scope, `give cluster or vpc, not both: the cluster ${props.cluster.node.path} already has a VPC.`);
  }
  if (props.taskDefinition) {
    const imageOnly = (['cpu', 'memoryLimitMiB'] as const).filter((k) => props[k] !== undefined);
    if (imageOnly.length > 0) {
      fail(scope, `${list(imageOnly)} ${imageOnly.length === 1 ? 'sizes' : 'size'} the task definition created from taskImageOptions; taskDefinition ${props.taskDefinition.node.path} ` +
        `has its own: set ${imageOnly.length === 1 ? 'it' : 'them'} there.`);
    }
  }
  if (props.taskImageOptions?.enableLogging === false) {
    fail(scope, 'taskImageOptions.enableLogging is false, but an operable service logs: its playbook and dashboard read the container\'s ' +
      'logs. Remove enableLogging, or give taskImageOptions.logDriver to log elsewhere (FireLens).');
  }
  const ownLogs = props.taskDefinition !== undefined || props.taskImageOptions?.logDriver !== undefined;
  if (props.logRetention !== undefined && ownLogs && !props.adotSidecar) {
    fail(scope, `logRetention (${props.logRetention} days) is for the log group cdk-operable creates for the container, but ` +
      `${props.taskDefinition ? 'taskDefinition' : 'taskImageOptions.logDriver'} is yours: set the retention on your log group instead, or remove logRetention.`);
  }
  if (props.listenerPort !== undefined && props.certificate === undefined && props.listenerPort === 443) {
    fail(scope, 'listenerPort is 443 but no certificate is given: an HTTPS listener needs one (certificate), or use another port for HTTP.');
  }
}
