import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

const CONTACT = 'AWS::SSMContacts::Contact';

/**
 * How an engaged contact escalates: `escalates` for an escalation plan with two stages or more, or a contact the
 * template does not define (imported by ARN: its plan is not visible); `single-stage` for an escalation plan of one stage;
 * `none` for a person or an on-call schedule, which engage and wait but never escalate.
 */
function escalation(index: AppIndex, plan: RenderedResource, engagement: unknown): 'escalates' | 'single-stage' | 'none' {
  const contact = [...referencedIds(engagement)].map((id) => index.byLogicalId(plan.stack, id)).find((r) => r?.type === CONTACT);
  if (!contact) return literals(engagement).join('') === '' ? 'none' : 'escalates';
  if (contact.properties.Type !== 'ESCALATION') return 'none';
  const stages = contact.properties.Plan;
  return Array.isArray(stages) && stages.length >= 2 ? 'escalates' : 'single-stage';
}

/**
 * Incident Manager response plans engage someone and escalate: they engage at least one contact (NoEngagement), and
 * one of them is an escalation plan with two stages or more, so an unacknowledged page reaches the next person
 * (SingleStage when the only escalation plans have one stage, NoEscalation when only people or on-call schedules are
 * engaged). Contacts imported by ARN are taken as escalating: their plans are not in the template.
 */
export default defineRule({
  name: 'EscalationPath',
  area: 'incidents',
  bestPractices: ['OPS10-BP01', 'OPS10-BP04'],
  level: NagMessageLevel.WARN,
  info: 'The response plan engages nobody, or nobody it engages escalates: no escalation plan with two stages or more (the ' +
    'finding in brackets says which).',
  explanation: 'OPS10-BP01 Use a process for event, incident, and problem management, OPS10-BP04 Define escalation paths: an ' +
    'incident must engage a responder, and when the first responder does not acknowledge in time the plan must engage the next ' +
    '(a secondary, the team lead) instead of waiting.',
  fix: 'cdk-operable: new EscalationPlan(workload, id, { alias, stages: [{ targets: [primary], duration }, { targets: [lead] }] }) ' +
    'and IncidentResponse engagements: [escalationPlan]; with plain aws-cdk-lib, an ssmcontacts.CfnContact of type ESCALATION with ' +
    'two plan stages, engaged by the response plan.',
}, (node): NagRuleResult => {
  if (node.cfnResourceType !== 'AWS::SSMIncidents::ResponsePlan') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const plan = render(node);
  const engagements = Array.isArray(plan.properties.Engagements) ? plan.properties.Engagements : [];
  if (engagements.length === 0) return ['NoEngagement'];
  const index = appIndex(node);
  const paths = engagements.map((e) => escalation(index, plan, e));
  if (paths.includes('escalates')) return NagRuleCompliance.COMPLIANT;
  return paths.includes('single-stage') ? ['SingleStage'] : ['NoEscalation'];
});
