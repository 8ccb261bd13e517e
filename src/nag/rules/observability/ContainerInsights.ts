import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * ECS clusters have Container Insights (the check of cdk-nag's ECSClusterCloudWatchContainerInsights: enabled or enhanced),
 * read from the rendered template so that cluster settings set by a property override count.
 */
export default defineRule({
  name: 'ContainerInsights',
  area: 'observability',
  bestPractices: ['OPS04-BP02', 'OPS08-BP01'],
  level: NagMessageLevel.WARN,
  info: 'The ECS cluster does not have CloudWatch Container Insights enabled.',
  explanation: 'OPS04-BP02 Implement application telemetry, OPS08-BP01 Analyze workload metrics: task-level CPU, memory, ' +
    'restarts and network are needed to tell a sick task from a sick service.',
  fix: 'containerInsightsV2: ecs.ContainerInsights.ENHANCED (or ENABLED) on the cluster. When the account-level default turns it ' +
    'on, acknowledge with that reason.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::ECS::Cluster') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const settings = render(node).properties.ClusterSettings;
  const enabled = Array.isArray(settings) && settings.some((s: { Name?: unknown; Value?: unknown } | undefined) =>
    s?.Name === 'containerInsights' && (s.Value === 'enabled' || s.Value === 'enhanced'));
  return enabled ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
