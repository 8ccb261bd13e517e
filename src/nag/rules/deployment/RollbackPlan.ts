import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { automationContent, isAutomationDocument } from '../../automation-content';
import {
  aliasesOf, deploymentGroupsOfAlias, deploymentGroupsOfEcsService, ecsDeploymentController, ecsRollsBack, rollsBackAutomatically,
} from '../../deployment-evidence';
import { AppIndex, RenderedResource, appIndex, isFrameworkFunction, literals, referencedIds, render, str } from '../../evidence';
import { actionMatches, roleGrants, roleNamedBy } from '../../iam-evidence';
import { defineRule } from '../../rule';

/** What the runbooks of the app may point back: the resources their roles may call lambda:UpdateAlias on (built once). */
function aliasUpdaters(index: AppIndex): { refs: Set<string>; arns: string[] } {
  return index.memo('rollback-alias-updaters', () => {
    const refs = new Set<string>();
    const arns: string[] = [];
    for (const doc of index.ofType('AWS::SSM::Document').filter(isAutomationDocument)) {
      const role = roleNamedBy(index, doc, automationContent(doc).assumeRole);
      if (!role) continue;
      for (const st of roleGrants(index, role).statements) {
        if (st.Effect === 'Deny' || !literals(st.Action).some((a) => actionMatches(a, 'lambda:UpdateAlias'))) continue;
        for (const resource of Array.isArray(st.Resource) ? st.Resource : [st.Resource]) {
          referencedIds(resource).forEach((id) => refs.add(`${role.stack.node.path}\u0000${id}`));
          arns.push(literals(resource).join(''));
        }
      }
    }
    return { refs, arns };
  });
}

/** Whether a runbook of the app may point one of the function's aliases back (its role may update the alias). */
function hasRollbackRunbook(index: AppIndex, fn: RenderedResource, aliases: RenderedResource[]): boolean {
  const { refs, arns } = aliasUpdaters(index);
  const stack = fn.stack.node.path;
  if ([fn, ...aliases].some((r) => refs.has(`${stack}\u0000${r.logicalId}`))) return true;
  const name = str(fn.properties.FunctionName);
  const byName = name === undefined ? undefined : new RegExp(`:function:${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:|$)`);
  return arns.some((arn) => arn === '*' || (byName !== undefined && byName.test(arn)));
}

function lambdaPlan(index: AppIndex, fn: RenderedResource): NagRuleResult {
  const aliases = aliasesOf(index, fn);
  if (aliases.length === 0) return ['NoAlias'];
  const automatic = aliases.some((alias) => deploymentGroupsOfAlias(index, alias).some(rollsBackAutomatically));
  return automatic || hasRollbackRunbook(index, fn, aliases) ? NagRuleCompliance.COMPLIANT : ['NoRollback'];
}

function ecsPlan(index: AppIndex, service: RenderedResource): NagRuleResult {
  const controller = ecsDeploymentController(service);
  if (controller === 'EXTERNAL') return NagRuleCompliance.NOT_APPLICABLE;
  if (controller === 'CODE_DEPLOY') {
    return deploymentGroupsOfEcsService(index, service).some(rollsBackAutomatically) ? NagRuleCompliance.COMPLIANT : ['NoRollback'];
  }
  const { breaker, alarms } = ecsRollsBack(service);
  return breaker || alarms ? NagRuleCompliance.COMPLIANT : ['NoRollback'];
}

/**
 * Every Lambda function and ECS service can be reverted to its last good version without a new build: a function
 * through an alias, which a CodeDeploy deployment group rolls back automatically or a runbook of the app may point
 * back (its role may call lambda:UpdateAlias on it); an ECS service by its deployment circuit breaker or deployment
 * alarms with rollback, or a CodeDeploy group that rolls back. Findings: NoAlias (nothing to revert to), NoRollback.
 * Services deployed by an external controller are not concerned.
 */
export default defineRule({
  name: 'RollbackPlan',
  area: 'deployment',
  bestPractices: ['OPS06-BP01'],
  level: NagMessageLevel.WARN,
  info: 'A bad change to this function or ECS service cannot be reverted without a new build: no alias to point back, or neither ' +
    'an automatic rollback nor a rollback runbook (the finding in brackets says which).',
  explanation: 'OPS06-BP01 Plan for unsuccessful changes: when a deployment causes an undesired outcome, reverting to the known ' +
    'good version must be a planned, rehearsed step (an automatic rollback, a one-click runbook), not a rebuild under pressure.',
  fix: 'Lambda: OperableFunction (an alias, CodeDeploy with automatic rollback, and the workload\'s RollbackLambdaAlias runbook when ' +
    'it has approvers), or new RollbackLambdaAlias(workload, id, { aliases: [alias] }); ECS: circuitBreaker: { enable: true, ' +
    'rollback: true }, or deployment alarms with rollback.',
}, (node) => {
  if (node.cfnResourceType === 'AWS::Lambda::Function') {
    const fn = render(node);
    return isFrameworkFunction(fn) ? NagRuleCompliance.NOT_APPLICABLE : lambdaPlan(appIndex(node), fn);
  }
  if (node.cfnResourceType === 'AWS::ECS::Service') {
    return ecsPlan(appIndex(node), render(node));
  }
  return NagRuleCompliance.NOT_APPLICABLE;
});
