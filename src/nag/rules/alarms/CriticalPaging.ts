import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { alarmActions, childAlarms, statedSeverity } from '../../alarm-evidence';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

const CRITICAL = 'critical';

/** Whether an alarm action engages a human now: an Incident Manager response plan, or an SNS topic someone subscribes to. */
function isPagingAction(index: AppIndex, alarm: RenderedResource, action: unknown): boolean {
  const text = literals(action).join('');
  if (/:ssm-incidents:.*response-plan\//.test(text)) return true;
  for (const id of referencedIds(action)) {
    const target = index.byLogicalId(alarm.stack, id);
    if (target?.type === 'AWS::SSMIncidents::ResponsePlan') return true;
    if (target?.type === 'AWS::SNS::Topic') {
      const inline = target.properties.Subscription;
      const subscribed = (Array.isArray(inline) && inline.length > 0) || index.ofType('AWS::SNS::Subscription')
        .some((s) => s.stack === target.stack && referencedIds(s.properties.TopicArn).has(target.logicalId));
      if (subscribed) return true;
    }
  }
  // An imported topic (literal ARN): its subscriptions live elsewhere, e.g. a paging integration.
  return typeof action === 'string' && /^arn:[^:]+:sns:/.test(action);
}

function pages(index: AppIndex, alarm: RenderedResource, seen: Set<RenderedResource>): boolean {
  if (alarmActions(alarm).some((a) => isPagingAction(index, alarm, a))) return true;
  if (seen.has(alarm) || alarm.type !== 'AWS::CloudWatch::CompositeAlarm') return false;
  seen.add(alarm);
  // A status roll-up with no actions of its own complies when every alarm it rolls up pages.
  const children = childAlarms(index, alarm);
  return alarmActions(alarm).length === 0 && children.length > 0 && children.every((c) => pages(index, c, seen));
}

/** Critical-tier page composites route to Incident Manager or an SNS topic somebody is subscribed to. */
export default defineRule({
  name: 'CriticalPaging',
  area: 'alarms',
  bestPractices: ['OPS10-BP03', 'OPS10-BP04'],
  level: NagMessageLevel.ERROR,
  info: `A page composite of a '${CRITICAL}'-tier resource does not page anyone: no Incident Manager response plan and no SNS topic ` +
    'with a subscription among its alarm actions.',
  explanation: 'OPS10-BP03 Prioritize operational events based on business impact, OPS10-BP04 Define escalation paths: the most ' +
    'critical services must engage on-call and escalate, not land in a ticket queue or an unsubscribed topic.',
  fix: 'Route the page severity to AlarmDestination.incidentManager(responsePlanName) or to an SNS topic with a paging subscription ' +
    '(AlarmRouting page destinations on the Workload), or lower the tier.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::CloudWatch::CompositeAlarm') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (alarm.tags[OpsTags.TIER]?.toLowerCase() !== CRITICAL || statedSeverity(alarm) !== 'PAGE') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return pages(appIndex(node), alarm, new Set()) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
