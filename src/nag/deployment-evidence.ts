import { AppIndex, RenderedResource, referencedIds } from './evidence';

/**
 * How the template deploys functions and ECS services (internal): a function's aliases, the CodeDeploy deployment
 * groups that shift an alias or an ECS service, indexed once per evaluation. Read by the deployment rules.
 */

const key = (r: RenderedResource, id: string) => `${r.stack.node.path}\u0000${id}`;

function byReference(index: AppIndex, memoKey: string, type: string, value: (r: RenderedResource) => unknown): Map<string, RenderedResource[]> {
  return index.memo(memoKey, () => {
    const out = new Map<string, RenderedResource[]>();
    for (const r of index.ofType(type)) {
      for (const id of referencedIds(value(r))) {
        const k = key(r, id);
        out.set(k, [...(out.get(k) ?? []), r]);
      }
    }
    return out;
  });
}

/** The Lambda aliases of a function (same stack, by reference). */
export function aliasesOf(index: AppIndex, fn: RenderedResource): RenderedResource[] {
  return byReference(index, 'deploy-aliases', 'AWS::Lambda::Alias', (a) => a.properties.FunctionName).get(key(fn, fn.logicalId)) ?? [];
}

/** The CodeDeploy deployment groups that shift traffic on an alias (its `CodeDeployLambdaAliasUpdate` update policy). */
export function deploymentGroupsOfAlias(index: AppIndex, alias: RenderedResource): RenderedResource[] {
  const update = alias.updatePolicy.CodeDeployLambdaAliasUpdate as { DeploymentGroupName?: unknown } | undefined;
  return [...referencedIds(update?.DeploymentGroupName)].map((id) => index.byLogicalId(alias.stack, id))
    .filter((g): g is RenderedResource => g?.type === 'AWS::CodeDeploy::DeploymentGroup');
}

/** The CodeDeploy deployment groups that deploy an ECS service (same stack, by reference). */
export function deploymentGroupsOfEcsService(index: AppIndex, service: RenderedResource): RenderedResource[] {
  return byReference(index, 'deploy-ecs-groups', 'AWS::CodeDeploy::DeploymentGroup', (g) => g.properties.ECSServices)
    .get(key(service, service.logicalId)) ?? [];
}

/** The deployment controller of an ECS service: ECS (the default), CODE_DEPLOY or EXTERNAL. */
export function ecsDeploymentController(service: RenderedResource): string {
  const type = (service.properties.DeploymentController as { Type?: unknown } | undefined)?.Type;
  return typeof type === 'string' ? type : 'ECS';
}

/** Whether a CodeDeploy deployment group rolls back automatically (on any event: failure, stop, alarm). */
export function rollsBackAutomatically(group: RenderedResource): boolean {
  const rollback = group.properties.AutoRollbackConfiguration as { Enabled?: unknown; Events?: unknown } | undefined;
  return rollback?.Enabled === true && (rollback.Events === undefined || (Array.isArray(rollback.Events) && rollback.Events.length > 0));
}

/** Whether an ECS service (ECS deployment controller) rolls a failed deployment back: circuit breaker or alarms with rollback. */
export function ecsRollsBack(service: RenderedResource): { breaker: boolean; alarms: boolean } {
  const config = service.properties.DeploymentConfiguration as {
    DeploymentCircuitBreaker?: { Enable?: unknown; Rollback?: unknown };
    Alarms?: { Enable?: unknown; Rollback?: unknown; AlarmNames?: unknown };
  } | undefined;
  return {
    breaker: config?.DeploymentCircuitBreaker?.Enable === true && config.DeploymentCircuitBreaker.Rollback === true,
    alarms: config?.Alarms?.Enable === true && config.Alarms.Rollback === true &&
      Array.isArray(config.Alarms.AlarmNames) && config.Alarms.AlarmNames.length > 0,
  };
}
