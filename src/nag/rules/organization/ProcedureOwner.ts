import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { OpsTags } from '../../../core/ops-tags';
import { isAutomationDocument } from '../../automation-content';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

const RESPONSE_PLAN = 'AWS::SSMIncidents::ResponsePlan';
const EXPERIMENT_TEMPLATE = 'AWS::FIS::ExperimentTemplate';

/** The owner an incident response plan gives the incidents it opens (an `ops:owner` incident tag). */
function incidentOwner(plan: Record<string, unknown>): string | undefined {
  const tags = (plan.IncidentTemplate as { IncidentTags?: unknown } | undefined)?.IncidentTags;
  const owner = (Array.isArray(tags) ? tags : []).find((t) => (t as { Key?: unknown })?.Key === OpsTags.OWNER) as { Value?: unknown } | undefined;
  return typeof owner?.Value === 'string' ? owner.Value : undefined;
}

/**
 * The procedures defined as code name their owner: SSM Automation documents (runbooks and playbooks), Incident Manager
 * response plans (the incident process; the `ops:owner` incident tag counts too) and FIS experiment templates (game
 * days) carry a non-empty `ops:owner` tag.
 */
export default defineRule({
  name: 'ProcedureOwner',
  area: 'organization',
  bestPractices: ['OPS02-BP02'],
  level: NagMessageLevel.WARN,
  info: `The runbook, playbook, response plan or game-day experiment names no owner (no '${OpsTags.OWNER}' tag): nobody is known ` +
    'to keep it correct.',
  explanation: 'OPS02-BP02 Processes and procedures have identified owners: a procedure nobody owns drifts from the system it ' +
    'operates and fails the engineer who runs it during an incident; the owner is who reviews and updates it.',
  fix: `Define it inside a cdk-operable Workload (it tags everything with '${OpsTags.OWNER}'), or Tags.of(procedure).add('${OpsTags.OWNER}', team).`,
}, (node) => {
  const resource = render(node);
  if (!isAutomationDocument(resource) && resource.type !== RESPONSE_PLAN && resource.type !== EXPERIMENT_TEMPLATE) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const owner = resource.tags[OpsTags.OWNER] ?? (resource.type === RESPONSE_PLAN ? incidentOwner(resource.properties) : undefined);
  return owner?.trim() ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
