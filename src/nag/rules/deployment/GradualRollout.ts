import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

/** The predefined AppConfig strategy that deploys to every target at once. */
const APPCONFIG_ALL_AT_ONCE = 'AppConfig.AllAtOnce';

/** The resource of the same stack a value references with this type, if any. */
function referenced(index: AppIndex, from: RenderedResource, value: unknown, type: string): RenderedResource | undefined {
  return [...referencedIds(value)].map((id) => index.byLogicalId(from.stack, id)).find((r) => r?.type === type);
}

/**
 * Whether a CodeDeploy deployment group shifts everything at once: a predefined `...AllAtOnce` configuration, or a
 * custom configuration of the app whose traffic routing is `AllAtOnce` or that keeps no healthy host. Without a
 * configuration CodeDeploy deploys one instance at a time.
 */
function codeDeployAllAtOnce(index: AppIndex, group: RenderedResource): boolean {
  const config = group.properties.DeploymentConfigName;
  const custom = referenced(index, group, config, 'AWS::CodeDeploy::DeploymentConfig');
  if (custom) {
    const routing = (custom.properties.TrafficRoutingConfig as { Type?: unknown } | undefined)?.Type;
    const healthy = custom.properties.MinimumHealthyHosts as { Value?: unknown } | undefined;
    return routing === 'AllAtOnce' || (routing === undefined && healthy?.Value === 0);
  }
  return /AllAtOnce$/.test(literals(config).join(''));
}

/** Whether an AppConfig deployment reaches every target at once: the predefined AllAtOnce strategy, or a growth of 100 % or no duration. */
function appConfigAllAtOnce(index: AppIndex, deployment: RenderedResource): boolean {
  const id = deployment.properties.DeploymentStrategyId;
  const strategy = referenced(index, deployment, id, 'AWS::AppConfig::DeploymentStrategy');
  if (strategy) {
    const p = strategy.properties;
    return p.GrowthFactor === 100 || p.DeploymentDurationInMinutes === 0;
  }
  return literals(id).join('') === APPCONFIG_ALL_AT_ONCE;
}

/**
 * Changes reach a fraction of users first: CodeDeploy deployment groups use a canary, linear or one-at-a-time
 * configuration, and AppConfig deployments a strategy that grows gradually over time. Finding AllAtOnce.
 */
export default defineRule({
  name: 'GradualRollout',
  area: 'deployment',
  bestPractices: ['OPS05-BP09', 'OPS06-BP03'],
  level: NagMessageLevel.WARN,
  info: 'The deployment group or configuration deployment shifts all traffic or all targets at once (an AllAtOnce configuration or strategy).',
  explanation: 'OPS05-BP09 Make frequent, small, reversible changes, OPS06-BP03 Employ safe deployment strategies: a change that ' +
    'reaches a fraction of users first, while alarms watch, is small in impact and reversed before most users see it.',
  fix: 'CodeDeploy: deploymentConfig LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES or a LINEAR_* configuration (OperableFunction ' +
    'defaults to the canary); ECS: EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES. AppConfig: a linear or exponential RolloutStrategy ' +
    '(FeatureFlags defaults to 20 % every 2 minutes with a bake time).',
}, (node) => {
  if (node.cfnResourceType === 'AWS::CodeDeploy::DeploymentGroup') {
    return codeDeployAllAtOnce(appIndex(node), render(node)) ? ['AllAtOnce'] : NagRuleCompliance.COMPLIANT;
  }
  if (node.cfnResourceType === 'AWS::AppConfig::Deployment') {
    return appConfigAllAtOnce(appIndex(node), render(node)) ? ['AllAtOnce'] : NagRuleCompliance.COMPLIANT;
  }
  return NagRuleCompliance.NOT_APPLICABLE;
});
