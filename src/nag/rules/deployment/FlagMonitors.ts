import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/** AppConfig environments roll back a configuration or feature-flag deployment when an alarm fires. */
export default defineRule({
  name: 'FlagMonitors',
  area: 'deployment',
  bestPractices: ['OPS06-BP01', 'OPS06-BP04'],
  level: NagMessageLevel.ERROR,
  info: 'The AppConfig environment has no alarm monitors: a flag or configuration change that hurts users is not rolled back.',
  explanation: 'OPS06-BP01 Plan for unsuccessful changes, OPS06-BP04 Automate testing and rollback: a feature flag is the plan to ' +
    'turn a change off, and AppConfig rolls a flag or configuration deployment back only when a monitor alarm fires during the ' +
    'deployment or its bake time.',
  fix: 'monitors: [appconfig.Monitor.fromCloudWatchAlarm(pageAlarm)] on the Environment (use the service\'s page composite).',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::AppConfig::Environment') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const monitors = render(node).properties.Monitors;
  const alarmed = Array.isArray(monitors) && monitors.some((m) => (m as { AlarmArn?: unknown })?.AlarmArn !== undefined);
  return alarmed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
