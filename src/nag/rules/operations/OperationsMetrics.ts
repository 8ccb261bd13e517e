import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { appIndex } from '../../evidence';
import { MIN_HISTORY_DAYS, deploymentMeasurement, deploymentSourceOf } from '../../operations-evidence';
import { defineRule } from '../../rule';

/**
 * The deployments of every deployment group, ECS service and pipeline are measured: an enabled EventBridge rule copies
 * the source's deployment events into a log group (NotCaptured), a metric filter on it counts them (NotCounted), and the
 * log keeps at least 90 days, a quarter to compare with the one before (ShortHistory). Resources that deploy nothing
 * are not concerned.
 */
export default defineRule({
  name: 'OperationsMetrics',
  area: 'operations',
  bestPractices: ['OPS09-BP01', 'OPS11-BP05'],
  level: NagMessageLevel.WARN,
  info: 'The deployments of this deployment group, ECS service or pipeline are not measured: no retained event log receives ' +
    'them, or no metric filter counts them (the finding in brackets says which).',
  explanation: 'OPS09-BP01 Measure operations goals and KPIs with metrics, OPS11-BP05 Define drivers for improvement: deployment ' +
    'frequency, change failure rate and time to restore (the DORA figures) need every deployment and its outcome recorded, with ' +
    `a history (${MIN_HISTORY_DAYS} days or more) to set a baseline against.`,
  fix: 'new OperationsHealthDashboard(workload, \'OperationsHealth\') (cdk-operable: capture rules for CodeDeploy and ECS, a retained ' +
    'event log, Deployments and FailedDeployments metric filters); with plain aws-cdk-lib, an events.Rule on source aws.codedeploy ' +
    '/ aws.ecs / aws.codepipeline targeting a logs.LogGroup (retention ≥ THREE_MONTHS) and a logs.MetricFilter counting the events.',
}, (node) => {
  const source = deploymentSourceOf(node);
  if (source === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const measured = deploymentMeasurement(appIndex(node), source);
  if (measured.eventLogs.length === 0) return ['NotCaptured'];
  const findings = [
    ...(measured.metricFilters.length === 0 ? ['NotCounted'] : []),
    ...(measured.retained ? [] : ['ShortHistory']),
  ];
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
