import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { appIndex } from '../../evidence';
import { deploymentMeasurement, deploymentSourceOf } from '../../operations-evidence';
import { defineRule } from '../../rule';

/**
 * The deployments of every deployment group, ECS service and pipeline are on a dashboard: one showing the metrics
 * counted from the event log that receives them, or querying that log (Logs Insights widgets).
 */
export default defineRule({
  name: 'OperationsDashboard',
  area: 'operations',
  bestPractices: ['OPS09-BP02'],
  level: NagMessageLevel.WARN,
  info: 'No dashboard shows the deployments of this deployment group, ECS service or pipeline (their counted metrics or the event ' +
    'log they are captured in).',
  explanation: 'OPS09-BP02 Communicate status and trends to ensure visibility into operation: operations leaders and the team see ' +
    'at a glance how often the workload changes, how often a change fails and how long restoring takes, and where that trends.',
  fix: 'new OperationsHealthDashboard(workload, \'OperationsHealth\') (cdk-operable); with plain aws-cdk-lib, a cloudwatch.Dashboard ' +
    'with a GraphWidget of the deployment metric filters\' metrics, or a LogQueryWidget over the event log.',
}, (node) => {
  const source = deploymentSourceOf(node);
  if (source === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return deploymentMeasurement(appIndex(node), source).shown ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
