import { Fn, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { fail, warn, Warnings } from '../core/errors';

/** What an OperableFargateService reads from a service it did not create (internal). */

/** `targetgroup/<name>/<id>` of a target group: its attribute when defined here, else cut from its ARN. */
export function targetGroupFullName(tg: elbv2.IApplicationTargetGroup): string {
  if (tg instanceof elbv2.ApplicationTargetGroup) return tg.targetGroupFullName;
  return Fn.select(5, Fn.split(':', tg.targetGroupArn));
}

/** `app/<name>/<id>` of the load balancer forwarding to a target group. */
export function loadBalancerFullName(scope: Construct, tg: elbv2.IApplicationTargetGroup, lb?: elbv2.IApplicationLoadBalancer): string {
  if (lb) {
    const resource = Fn.select(5, Fn.split(':', lb.loadBalancerArn));
    const parts = Fn.split('/', resource);
    return Fn.join('/', [Fn.select(1, parts), Fn.select(2, parts), Fn.select(3, parts)]);
  }
  if (tg instanceof elbv2.ApplicationTargetGroup) {
    try {
      return tg.firstLoadBalancerFullName;
    } catch {
      // not attached to a load balancer in this app
    }
  }
  return fail(scope, `targetGroup ${tg.node.path} is not attached to a load balancer in this app: give loadBalancer (the Application Load Balancer forwarding to it), ` +
    'whose name its metrics are published under.');
}

/** An existing service is not modified: report a missing circuit breaker or deployment alarm with the names to add. */
export function reportExistingDeployment(scope: Construct, service: ecs.IBaseService, names: string[]): void {
  const cfn = service.node.defaultChild instanceof ecs.CfnService ? service.node.defaultChild : undefined;
  if (!cfn) {
    warn(scope, Warnings.ECS_EXISTING_SERVICE, `existingService ${service.node.path} is imported: cdk-operable cannot check that its deployments ` +
      `roll back. Give it deploymentAlarms with rollback on ${names.join(', ')} and the circuit breaker with rollback (OPS06-BP04).`);
    return;
  }
  const config = Stack.of(scope).resolve(cfn.deploymentConfiguration) as
    { alarms?: { alarmNames?: string[]; enable?: boolean; rollback?: boolean }; deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean } }
    | undefined;
  const missing = names.filter((n) => !(config?.alarms?.enable && config.alarms.rollback && (config.alarms.alarmNames ?? []).includes(n)));
  const breaker = config?.deploymentCircuitBreaker?.enable && config.deploymentCircuitBreaker.rollback;
  if (missing.length > 0 || !breaker) {
    warn(scope, Warnings.ECS_EXISTING_SERVICE, `existingService ${service.node.path} is not modified by cdk-operable, and its deployments ` +
      [missing.length > 0 ? `do not roll back on ${missing.join(', ')}` : undefined, breaker ? undefined : 'have no circuit breaker with rollback']
        .filter((p) => p).join(' and ') +
      ": give it deploymentAlarms: { alarmNames: <this service's deploymentAlarmNames>, behavior: AlarmBehavior.ROLLBACK_ON_ALARM } and " +
      'circuitBreaker: { enable: true, rollback: true } (OPS06-BP04).');
  }
}
