import { NagMessageLevel, NagRuleCompliance, rules } from 'cdk-nag';
import { ALARM_TYPES, alarmActions, childAlarms, notifies } from '../../alarm-evidence';
import { RenderedResource, appIndex, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Whether the alarm as rendered has an enabled action of any kind: cdk-nag's CloudWatchAlarmAction reads the L1
 * properties, so an escape hatch that disables or removes the actions would go unseen without this.
 */
const hasEnabledAction = (alarm: RenderedResource) => alarm.properties.ActionsEnabled !== false &&
  ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((key) => {
    const list = alarm.properties[key];
    return Array.isArray(list) && list.length > 0;
  });

/**
 * Every alarm reaches someone: it has an action (cdk-nag's CloudWatchAlarmAction), or it feeds a composite alarm that
 * (transitively) has one. SLO window alarms notify through their composites, so they comply without actions. A status
 * roll-up (a composite without actions over alarms that each notify on their own) complies too: nothing it shows goes unseen.
 */
export default defineRule({
  name: 'AlarmAction',
  area: 'alarms',
  bestPractices: ['OPS08-BP04'],
  level: NagMessageLevel.ERROR,
  info: 'The alarm notifies nobody: it has no action and no composite alarm with an action includes it.',
  explanation: 'OPS08-BP04 Create actionable alerts: an alarm nobody receives is a dashboard light, not an alert; incidents go unseen.',
  fix: 'Give the alarm an action (alarm.addAlarmAction(new SnsAction(topic))), or include it in a composite alarm that has one ' +
    '(cdk-operable SLOs and services do this through AlarmRouting), or delete it.',
}, (node) => {
  if (!ALARM_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (node.cfnResourceType === 'AWS::CloudWatch::Alarm' && rules.cloudwatch.CloudWatchAlarmAction(node) === NagRuleCompliance.COMPLIANT &&
    hasEnabledAction(alarm)) {
    return NagRuleCompliance.COMPLIANT;
  }
  const index = appIndex(node);
  if (notifies(index, alarm)) {
    return NagRuleCompliance.COMPLIANT;
  }
  const children = alarm.type === 'AWS::CloudWatch::CompositeAlarm' ? childAlarms(index, alarm) : [];
  return children.length > 0 && children.every((c) => alarmActions(c).length > 0) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
