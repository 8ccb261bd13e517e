import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { alarmActions, ancestorComposites, childAlarms, statedSeverity } from '../../alarm-evidence';
import { COMPONENT_TYPES, componentAlarms, deadLetterQueues, isComponent } from '../../component-evidence';
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

/**
 * Whether an alarm watching a component reaches a person: it, or a composite that (transitively) includes it, pages
 * (an Incident Manager response plan, or an SNS topic with a subscription, among its actions) and states no severity
 * other than PAGE.
 */
function pagedThrough(index: AppIndex, alarm: RenderedResource): boolean {
  return [alarm, ...ancestorComposites(index, alarm)].some((a) => {
    const severity = statedSeverity(a);
    return (severity === undefined || severity === 'PAGE') && alarmActions(a).some((action) => isPagingAction(index, a, action));
  });
}

/**
 * Critical-tier page composites route to Incident Manager or an SNS topic somebody is subscribed to; and every
 * critical-tier component (its own `ops:tier` tag) is watched by an alarm that pages, directly or through a composite
 * (finding NoPagingAlarm, reported at WARN). Dead-letter queues are left out: what pages for them is their source.
 */
export default defineRule({
  name: 'CriticalPaging',
  area: 'alarms',
  bestPractices: ['OPS10-BP03', 'OPS10-BP04'],
  level: NagMessageLevel.ERROR,
  levelOn: (node) => (COMPONENT_TYPES.includes(node.cfnResourceType) ? NagMessageLevel.WARN : undefined),
  levelNote: 'WARN on components',
  info: `A '${CRITICAL}'-tier page composite, or a '${CRITICAL}'-tier component, pages nobody: no Incident Manager response plan and ` +
    'no SNS topic with a subscription among the actions of the composite, or of any paging alarm watching the component.',
  explanation: 'OPS10-BP03 Prioritize operational events based on business impact, OPS10-BP04 Define escalation paths: the most ' +
    'critical services must engage on-call and escalate, not land in a ticket queue or an unsubscribed topic.',
  fix: 'Route the page severity to AlarmDestination.incidentManager(responsePlanName) or to an SNS topic with a paging subscription ' +
    '(AlarmRouting page destinations on the Workload); for a component, wrap it in a cdk-operable service or SLO, or add a PAGE ' +
    'alarm on its metrics routed that way; or lower the tier.',
}, (node) => {
  if (COMPONENT_TYPES.includes(node.cfnResourceType)) {
    const component = render(node);
    if (!isComponent(component) || component.tags[OpsTags.TIER]?.toLowerCase() !== CRITICAL) return NagRuleCompliance.NOT_APPLICABLE;
    const index = appIndex(node);
    if (deadLetterQueues(index).has(component)) return NagRuleCompliance.NOT_APPLICABLE;
    return componentAlarms(index, component).some((a) => pagedThrough(index, a)) ? NagRuleCompliance.COMPLIANT : ['NoPagingAlarm'];
  }
  if (node.cfnResourceType !== 'AWS::CloudWatch::CompositeAlarm') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (alarm.tags[OpsTags.TIER]?.toLowerCase() !== CRITICAL || statedSeverity(alarm) !== 'PAGE') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return pages(appIndex(node), alarm, new Set()) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
