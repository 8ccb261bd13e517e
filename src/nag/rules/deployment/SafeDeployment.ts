import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex, RenderedResource, appIndex, isFrameworkFunction, referencedIds, render } from '../../evidence';
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
  const aliases = index.ofType('AWS::Lambda::Alias').filter((a) => a.stack === fn.stack && referencedIds(a.properties.FunctionName).has(fn.logicalId));
  if (aliases.length === 0) return ['NoAlias'];
  const groups = aliases.flatMap((alias) => {
    const update = alias.updatePolicy.CodeDeployLambdaAliasUpdate as { DeploymentGroupName?: unknown } | undefined;
    const ids = referencedIds(update?.DeploymentGroupName);
    return index.ofType('AWS::CodeDeploy::DeploymentGroup').filter((g) => g.stack === alias.stack && ids.has(g.logicalId));
  });
  if (groups.length === 0) return ['NoCodeDeploy'];
  const best = groups.map(groupFindings).sort((a, b) => a.length - b.length)[0];
  return best.length === 0 ? NagRuleCompliance.COMPLIANT : best;
}

function ecsFindings(index: AppIndex, service: RenderedResource): NagRuleResult {
  const controller = (service.properties.DeploymentController as { Type?: unknown } | undefined)?.Type;
  if (controller === 'CODE_DEPLOY') {
    const groups = index.ofType('AWS::CodeDeploy::DeploymentGroup').filter((g) => g.stack === service.stack &&
      referencedIds(g.properties.ECSServices).has(service.logicalId));
    if (groups.length === 0) return ['NoCodeDeploy'];
    const best = groups.map(groupFindings).sort((a, b) => a.length - b.length)[0];
    return best.length === 0 ? NagRuleCompliance.COMPLIANT : best;
  }
  if (controller === 'EXTERNAL') return NagRuleCompliance.NOT_APPLICABLE;
  const config = service.properties.DeploymentConfiguration as {
    DeploymentCircuitBreaker?: { Enable?: unknown; Rollback?: unknown };
    Alarms?: { Enable?: unknown; Rollback?: unknown; AlarmNames?: unknown };
  } | undefined;
  const breaker = config?.DeploymentCircuitBreaker?.Enable === true && config.DeploymentCircuitBreaker.Rollback === true;
  const alarms = config?.Alarms?.Enable === true && config.Alarms.Rollback === true &&
    Array.isArray(config.Alarms.AlarmNames) && config.Alarms.AlarmNames.length > 0;
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
  bestPractices: ['OPS06-BP03', 'OPS06-BP04'],
  level: NagMessageLevel.WARN,
  info: 'A bad deployment of this function or ECS service is not rolled back automatically (the finding in brackets says what is missing).',
  explanation: 'OPS06-BP03 Employ safe deployment strategies, OPS06-BP04 Automate testing and rollback: shifting traffic gradually ' +
    'and rolling back on alarms limits a bad change to minutes and a fraction of users.',
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
