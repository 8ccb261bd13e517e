import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { COVERED_TYPES, componentAlarms } from '../../component-evidence';
import { appIndex, isFrameworkFunction, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Cross-resource: every function, API stage, ECS service, table and queue is watched by at least one metric alarm on
 * its own metrics (an alarm dimension references it, or names it literally).
 */
export default defineRule({
  name: 'AlarmCoverage',
  area: 'alarms',
  bestPractices: ['OPS04-BP01', 'OPS08-BP04'],
  level: NagMessageLevel.ERROR,
  info: 'No alarm watches this resource\'s own metrics: it can fail, throttle or back up without anyone knowing.',
  explanation: 'OPS04-BP01 Identify key performance indicators, OPS08-BP04 Create actionable alerts: each component that serves ' +
    'or carries work needs at least one alarm on its own health (errors, throttles, backlog, age).',
  fix: 'Wrap it in a cdk-operable service (OperableFunction, OperableRestApi, ...) or SLO, or create an alarm on one of its metrics ' +
    '(e.g. fn.metricErrors().createAlarm(...), queue.metricApproximateAgeOfOldestMessage().createAlarm(...)) and route it.',
}, (node) => {
  if (!COVERED_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const resource = render(node);
  if (isFrameworkFunction(resource)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return componentAlarms(appIndex(node), resource).length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
