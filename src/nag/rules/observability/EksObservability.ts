import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AppIndex, RenderedResource, appIndex, referencedIds, render, str } from '../../evidence';
import { defineRule } from '../../rule';

/** The EKS add-on that installs the CloudWatch agent and Fluent Bit with enhanced Container Insights and Application Signals. */
const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';

/** A cluster referenced by logical id in a stack, or named literally in an account and region. */
const byId = (r: RenderedResource, logicalId: string) => `${r.stack.node.path}\u0000${logicalId}`;
const byName = (r: RenderedResource, name: string) => `${r.stack.account}\u0000${r.stack.region}\u0000${name}`;

/** The clusters the observability add-ons of the app are installed on, by reference and by literal name (built once). */
function observedClusters(index: AppIndex): Set<string> {
  return index.memo('eks-observability-addons', () => {
    const clusters = new Set<string>();
    for (const addon of index.ofType('AWS::EKS::Addon')) {
      if (addon.properties.AddonName !== OBSERVABILITY_ADDON) continue;
      for (const id of referencedIds(addon.properties.ClusterName)) clusters.add(byId(addon, id));
      const name = str(addon.properties.ClusterName);
      if (name !== undefined) clusters.add(byName(addon, name));
    }
    return clusters;
  });
}

/**
 * EKS clusters have Container Insights with enhanced observability and Application Signals: an `AWS::EKS::Addon` named
 * `amazon-cloudwatch-observability` whose `ClusterName` references the cluster in its stack, or names it literally
 * (in the same account and region).
 */
export default defineRule({
  name: 'EksObservability',
  area: 'observability',
  bestPractices: ['OPS04-BP02', 'OPS08-BP01'],
  level: NagMessageLevel.WARN,
  info: 'The EKS cluster has no amazon-cloudwatch-observability add-on: no Container Insights with enhanced observability and no ' +
    'Application Signals.',
  explanation: 'OPS04-BP02 Implement application telemetry, OPS08-BP01 Analyze workload metrics: pod, container and node metrics ' +
    '(restarts, throttling, memory pressure) and the request rate, errors and latency of each workload are what tell a sick pod ' +
    'from a sick node or a sick service; the add-on collects them with enhanced observability and Application Signals on by default.',
  fix: 'new eks.Addon(this, \'Observability\', { cluster, addonName: \'amazon-cloudwatch-observability\' }) (OperableEksCluster ' +
    'installs it); on a CfnCluster, a CfnAddon with that addonName and clusterName: cluster.ref. When the agent is installed ' +
    'another way (Helm chart, manifests), acknowledge with that reason.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::EKS::Cluster') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const cluster = render(node);
  const observed = observedClusters(appIndex(node));
  const name = str(cluster.properties.Name);
  return observed.has(byId(cluster, cluster.logicalId)) || (name !== undefined && observed.has(byName(cluster, name)))
    ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
