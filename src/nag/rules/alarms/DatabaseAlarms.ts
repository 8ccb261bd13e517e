import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { componentAlarms, isComponent } from '../../component-evidence';
import { appIndex, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Aurora clusters and standalone RDS instances are watched by at least one metric alarm on their own metrics (a
 * `DBClusterIdentifier` or `DBInstanceIdentifier` dimension references them or names them; for a cluster, an alarm on
 * one of its instances counts). Instances of a cluster are judged with their cluster.
 */
export default defineRule({
  name: 'DatabaseAlarms',
  area: 'alarms',
  bestPractices: ['OPS04-BP04', 'OPS08-BP04'],
  level: NagMessageLevel.WARN,
  info: 'No alarm watches this database\'s metrics: CPU, connections, freeable memory, replica lag or deadlocks can exhaust it ' +
    'without anyone knowing.',
  explanation: 'OPS04-BP04 Implement dependency telemetry, OPS08-BP04 Create actionable alerts: the database is the dependency ' +
    'most services share; when it saturates or fails over, every service behind it fails, so it needs alarms of its own.',
  fix: 'Alarm on its metrics and route the alarm: cluster.metricCPUUtilization().createAlarm(...), ' +
    'cluster.metricDatabaseConnections(), instance.metricFreeableMemory(); name the FailoverAuroraCluster runbook in them.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::RDS::DBCluster' && node.cfnResourceType !== 'AWS::RDS::DBInstance') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const database = render(node);
  if (!isComponent(database)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return componentAlarms(appIndex(node), database).length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
