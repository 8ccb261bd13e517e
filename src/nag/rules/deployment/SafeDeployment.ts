import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { aliasesOf, deploymentGroupsOfAlias, deploymentGroupsOfEcsService, ecsDeploymentController, ecsRollsBack } from '../../deployment-evidence';
import { AppIndex, RenderedResource, appIndex, isFrameworkFunction, render } from '../../evidence';
import { defineRule } from '../../rule';

/** The problems of a CodeDeploy deployment group as a safety net: missing alarms, missing automatic rollback on alarm. */
function groupFindings(group: RenderedResource): string[] {
  const alarms = group.properties.AlarmConfiguration as { Enabled?: unknown; Alarms?: unknown } | undefined;
  const rollback = group.properties.AutoRollbackConfiguration as { Enabled?: unknown; Events?: unknown } | undefined;
  const findings: string[] = [];
  if (alarms?.Enabled !== true || !Array.isArray(alarms.Alarms) || alarms.Alarms.length === 0) findings.push('NoDeploymentAlarms');
  if (rollback?.Enabled !== true || !Array.isArray(rollback.Events) || !rollback.Events.includes('DEPLOYMENT_STOP_ON_ALARM')) {
    findings.push('NoRollbackOnAlarm');
  }
  return findings;
}

function lambdaFindings(index: AppIndex, fn: RenderedResource): NagRuleResult {
  const aliases = aliasesOf(index, fn);
  if (aliases.length === 0) return ['NoAlias'];
  const groups = aliases.flatMap((alias) => deploymentGroupsOfAlias(index, alias));
  if (groups.length === 0) return ['NoCodeDeploy'];
  const best = groups.map(groupFindings).sort((a, b) => a.length - b.length)[0];
  return best.length === 0 ? NagRuleCompliance.COMPLIANT : best;
}

function ecsFindings(index: AppIndex, service: RenderedResource): NagRuleResult {
  const controller = ecsDeploymentController(service);
  if (controller === 'CODE_DEPLOY') {
    const groups = deploymentGroupsOfEcsService(index, service);
    if (groups.length === 0) return ['NoCodeDeploy'];
    const best = groups.map(groupFindings).sort((a, b) => a.length - b.length)[0];
    return best.length === 0 ? NagRuleCompliance.COMPLIANT : best;
  }
  if (controller === 'EXTERNAL') return NagRuleCompliance.NOT_APPLICABLE;
  const { breaker, alarms } = ecsRollsBack(service);
  return breaker || alarms ? NagRuleCompliance.COMPLIANT : ['NoRollback'];
}

/**
 * Lambda functions deploy through an alias with a CodeDeploy deployment group that watches alarms and rolls back on
 * them; ECS services use the deployment circuit breaker with rollback, or deployment alarms with rollback.
 * Findings say what is missing: NoAlias, NoCodeDeploy, NoDeploymentAlarms, NoRollbackOnAlarm (Lambda, CodeDeploy ECS),
 * NoRollback (ECS).
 */
export default defineRule({
  name: 'SafeDeployment',
  area: 'deployment',
  bestPractices: ['OPS05-BP04', 'OPS06-BP03', 'OPS06-BP04'],
  level: NagMessageLevel.WARN,
  info: 'A bad deployment of this function or ECS service is not rolled back automatically (the finding in brackets says what is missing).',
  explanation: 'OPS05-BP04 Use build and deployment management systems, OPS06-BP03 Employ safe deployment strategies, OPS06-BP04 ' +
    'Automate testing and rollback: a deployment system (CodeDeploy, the ECS deployment controller) that shifts traffic gradually, ' +
    'watches alarms and rolls back limits a bad change to minutes and a fraction of users.',
  fix: 'Lambda: OperableFunction (deployment: canary or linear through an alias, rollback on its alarms), or a LambdaDeploymentGroup ' +
    'with alarms and autoRollback.deploymentInAlarm. ECS: circuitBreaker: { enable: true, rollback: true } or deploymentAlarms.',
}, (node) => {
  if (node.cfnResourceType === 'AWS::Lambda::Function') {
    const fn = render(node);
    return isFrameworkFunction(fn) ? NagRuleCompliance.NOT_APPLICABLE : lambdaFindings(appIndex(node), fn);
  }
  if (node.cfnResourceType === 'AWS::ECS::Service') {
    return ecsFindings(appIndex(node), render(node));
  }
  return NagRuleCompliance.NOT_APPLICABLE;
});
