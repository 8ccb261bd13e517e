import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { appIndex, render } from '../../evidence';
import { alarmedMetrics, deploymentLogs } from '../../operations-evidence';
import { defineRule } from '../../rule';

/**
 * Operations metrics are held to a target: an event log that receives deployment events (CodeDeploy, ECS, CodePipeline)
 * and whose metric filters count them is watched by an alarm on one of those metrics (a change failure rate or failed
 * deployments over a threshold), so a trend that crosses the goal is raised for review instead of waiting to be
 * noticed. Logs whose deployments are not counted are the operations-metrics rule's finding (NotCounted).
 */
export default defineRule({
  name: 'OperationsReview',
  area: 'operations',
  bestPractices: ['OPS09-BP03', 'OPS11-BP07'],
  level: NagMessageLevel.WARN,
  info: 'The deployment metrics counted from this event log have no target: no alarm watches them (e.g. change failure rate ' +
    'above the goal), so nothing raises a worsening trend for review.',
  explanation: 'OPS09-BP03 Review operations metrics and prioritize improvement, OPS11-BP07 Perform operations metrics reviews: ' +
    'operations goals need targets, and a review is prompted when a figure such as the change failure rate crosses its target, ' +
    'not only at the next scheduled meeting.',
  fix: 'Alarm on the change failure rate of OperationsHealthDashboard (new cloudwatch.Alarm(workload, \'ChangeFailures\', { metric: ' +
    'ops.changeFailureRate(), threshold: 15, evaluationPeriods: 1 }), routed as a TICKET); with plain aws-cdk-lib, an alarm on the ' +
    'metric filters\' FailedDeployments / Deployments metrics.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::Logs::LogGroup') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  const log = deploymentLogs(index).get(render(node));
  if (log === undefined || log.metrics.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarmed = alarmedMetrics(index);
  return log.metrics.some((m) => alarmed.has(m)) ? NagRuleCompliance.COMPLIANT : ['NoTargetAlarm'];
});
