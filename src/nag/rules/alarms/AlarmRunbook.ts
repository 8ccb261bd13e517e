import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { ALARM_TYPES, alarmActions, namedRunbook } from '../../alarm-evidence';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/** Every alarm that notifies names the runbook or playbook to follow. */
export default defineRule({
  name: 'AlarmRunbook',
  area: 'alarms',
  bestPractices: ['OPS07-BP03', 'OPS10-BP02'],
  level: NagMessageLevel.ERROR,
  info: `The alarm notifies but names no runbook or playbook (no '${OpsTags.RUNBOOK}' tag, no 'Runbook:' or 'Playbook:' in its description).`,
  explanation: 'OPS10-BP02 Have a process per alert, OPS07-BP03 Use runbooks: the person paged at 3 a.m. needs the procedure in the alert, ' +
    'not a search through a wiki.',
  fix: `Set runbookUrl / runbook on the cdk-operable Workload, service or SLO; or tag the alarm '${OpsTags.RUNBOOK}' with a URL or SSM ` +
    "document name; or end its description with 'Runbook: <url>'.",
}, (node) => {
  if (!ALARM_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (alarmActions(alarm).length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return namedRunbook(alarm) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
