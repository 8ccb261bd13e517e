import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { ALARM_TYPES } from '../../alarm-evidence';
import { appIndex, render } from '../../evidence';
import { isPagingAlarm, namedPlaybook } from '../../playbook-evidence';
import { defineRule } from '../../rule';

/**
 * Every alarm that pages names a playbook to investigate with: the footer's `Playbook:` field (a URL or a document
 * name), or a runbook that is an Automation document of the app which only reads (an investigation). Alarms stating a
 * severity other than PAGE, and alarms without actions (window alarms, status roll-ups), are not concerned.
 */
export default defineRule({
  name: 'AlarmPlaybook',
  area: 'alarms',
  bestPractices: ['OPS07-BP04'],
  level: NagMessageLevel.WARN,
  info: "The alarm pages but names no playbook: no 'Playbook:' in its description, and its runbook is not an investigation " +
    '(a read-only Automation document).',
  explanation: 'OPS07-BP04 Use playbooks to investigate issues: a page says something is wrong, not what; the engineer paged ' +
    'needs the investigation steps (symptoms, what to check first, hypotheses), ideally automated, before choosing a runbook.',
  fix: 'cdk-operable services and SLOs: generatePlaybook: true (or playbook: \'<url or document>\'); or new Playbook(...) and name it in the ' +
    "footer with AlarmDescription.render({ ..., playbook }); plain aws-cdk-lib: end the alarm description with 'Playbook: <url>', or " +
    `tag the alarm '${OpsTags.RUNBOOK}' with a read-only ssm.CfnDocument (Automation) that gathers the evidence.`,
}, (node) => {
  if (!ALARM_TYPES.includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const alarm = render(node);
  if (!isPagingAlarm(alarm)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return namedPlaybook(appIndex(node), alarm) !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
