import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { ALARM_TYPES, alarmActions, ancestorComposites, namedRunbook, notifies } from '../../alarm-evidence';
import { COMPONENT_TYPES, componentAlarms, isComponent } from '../../component-evidence';
import { appIndex, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Every alarm that notifies names the runbook or playbook to follow; and every component (function, API stage, ECS
 * service, table, queue, load balancer, target group, database) is watched by an alarm that notifies, directly or
 * through a composite, with a runbook named by it or by that composite (finding NoRunbookAlarm, reported at WARN).
 */
export default defineRule({
  name: 'AlarmRunbook',
  area: 'alarms',
  bestPractices: ['OPS07-BP03', 'OPS10-BP02'],
  level: NagMessageLevel.ERROR,
  levelOn: (node) => (COMPONENT_TYPES.includes(node.cfnResourceType) ? NagMessageLevel.WARN : undefined),
  levelNote: 'WARN on components',
  info: `The alarm notifies but names no runbook or playbook (no '${OpsTags.RUNBOOK}' tag, no 'Runbook:' or 'Playbook:' in its ` +
    'description); or no notifying alarm with a runbook watches this component.',
  explanation: 'OPS10-BP02 Have a process per alert, OPS07-BP03 Use runbooks: the person paged at 3 a.m. needs the procedure in the alert, ' +
    'not a search through a wiki.',
  fix: `Set runbookUrl / runbook on the cdk-operable Workload, service or SLO; or tag the alarm '${OpsTags.RUNBOOK}' with a URL or SSM ` +
    "document name; or end its description with 'Runbook: <url>'. For a component: wrap it in a cdk-operable service or SLO, or " +
    'alarm on its metrics, route the alarm and name a runbook the same way.',
}, (node) => {
  if (COMPONENT_TYPES.includes(node.cfnResourceType)) {
    const component = render(node);
    if (!isComponent(component)) return NagRuleCompliance.NOT_APPLICABLE;
    const index = appIndex(node);
    const handled = componentAlarms(index, component).some((alarm) => notifies(index, alarm) &&
      [alarm, ...ancestorComposites(index, alarm)].some((a) => namedRunbook(a) !== undefined));
    return handled ? NagRuleCompliance.COMPLIANT : ['NoRunbookAlarm'];
  }
  if (!ALARM_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (alarmActions(alarm).length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return namedRunbook(alarm) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
