import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { RenderedResource, appIndex, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

const monitored = (r: RenderedResource, piKey: string) =>
  r.properties[piKey] === true || (typeof r.properties.MonitoringInterval === 'number' && r.properties.MonitoringInterval > 0);

/**
 * RDS instances and Aurora clusters have Enhanced Monitoring (for instances the check of cdk-nag's
 * RDSEnhancedMonitoringEnabled, read from the rendered template so property overrides count) or Performance Insights;
 * an Aurora cluster complies when it or every one of its instances does. The instances of an Aurora cluster of the app
 * are judged with their cluster (cluster-level monitoring covers them), not on their own.
 */
export default defineRule({
  name: 'DatabaseMonitoring',
  area: 'observability',
  bestPractices: ['OPS04-BP04', 'OPS08-BP01'],
  level: NagMessageLevel.WARN,
  info: 'The database has neither Enhanced Monitoring nor Performance Insights.',
  explanation: 'OPS04-BP04 Implement dependency telemetry, OPS08-BP01 Analyze workload metrics: the database is the dependency ' +
    'most services share; OS-level metrics and query load are what tell a slow query from a failover.',
  fix: 'Instances: monitoringInterval: Duration.seconds(60) or enablePerformanceInsights: true; Aurora: the same on the cluster ' +
    '(monitoringInterval, enablePerformanceInsights) or on every instance.',
}, (node) => {
  if (node.cfnResourceType === 'AWS::RDS::DBInstance') {
    const instance = render(node);
    const index = appIndex(node);
    if ([...referencedIds(instance.properties.DBClusterIdentifier)]
      .some((id) => index.byLogicalId(instance.stack, id)?.type === 'AWS::RDS::DBCluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return monitored(instance, 'EnablePerformanceInsights') ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  if (node.cfnResourceType !== 'AWS::RDS::DBCluster') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const cluster = render(node);
  if (monitored(cluster, 'PerformanceInsightsEnabled')) {
    return NagRuleCompliance.COMPLIANT;
  }
  const members = appIndex(node).ofType('AWS::RDS::DBInstance')
    .filter((i) => i.stack === cluster.stack && referencedIds(i.properties.DBClusterIdentifier).has(cluster.logicalId));
  return members.length > 0 && members.every((i) => monitored(i, 'EnablePerformanceInsights'))
    ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
