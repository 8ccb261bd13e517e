import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { automationContent, isAutomationDocument } from '../../automation-content';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/** Automation documents run as a role of their own, not as whoever starts them. */
export default defineRule({
  name: 'RunbookRole',
  area: 'runbooks',
  bestPractices: ['OPS07-BP03'],
  level: NagMessageLevel.ERROR,
  info: 'The Automation document has no assumeRole: it runs with the permissions of whoever starts it.',
  explanation: 'OPS07-BP03 Use runbooks to perform procedures: a runbook must do the same thing whoever runs it, at 3 a.m. or ' +
    'from an alarm, with a least-privilege role that can be reviewed.',
  fix: 'Use cdk-operable Runbook (it creates a least-privilege role from the steps), or set assumeRole to a role ARN or ' +
    'an AutomationAssumeRole parameter in the content.',
}, (node) => {
  const doc = render(node);
  if (!isAutomationDocument(doc)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const role = automationContent(doc).assumeRole;
  return role !== undefined && role !== '' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
