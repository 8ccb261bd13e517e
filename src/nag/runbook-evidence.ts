import { AutomationContent, AutomationStep, automationContent } from './automation-content';
import { AppIndex, RenderedResource, literals } from './evidence';
import { roleGrants, roleNamedBy } from './iam-evidence';
import { changesState, factsOf, permissionsOfCall } from '../core/iam-catalog';

/**
 * What an Automation document in a template may change (internal): read by the RunbookApproval rule and by the
 * readiness review's runbook inventory, so both judge a document the same way.
 */

/** Actions that never change anything. */
const READ_ONLY_ACTIONS = ['aws:approve', 'aws:assertAwsResourceProperty', 'aws:waitForAwsResourceProperty', 'aws:sleep', 'aws:branch', 'aws:pause'];

/**
 * Whether the document's assume role may change state: a role of the same template whose every allowed action IAM
 * classes as Read or List cannot. Unknown roles, managed policies and wildcards may.
 */
function roleMayChangeState(index: AppIndex, doc: RenderedResource, assumeRole: unknown): boolean {
  const role = roleNamedBy(index, doc, assumeRole);
  if (!role || role.properties.ManagedPolicyArns !== undefined) return true;
  return roleGrants(index, role).statements.some((st) => st.Effect !== 'Deny' && (st.NotAction !== undefined ||
    literals(st.Action).some((action) => {
      const facts = action.includes('*') ? undefined : factsOf(action);
      return facts === undefined || changesState(facts);
    })));
}

/**
 * Which scripts may change state. A script calls AWS only as the document's role, so none can when the role cannot.
 * Otherwise the document's own statement decides when it makes one: a "## What it changes" section of its description
 * naming the changing steps as `(step <Name>)`, or saying "Nothing" (cdk-operable runbooks write it from the IAM actions
 * each step declares). Without a statement, every script may.
 */
export function scriptsThatMayChangeState(index: AppIndex, doc: RenderedResource, content: AutomationContent): (step: AutomationStep) => boolean {
  if (!roleMayChangeState(index, doc, content.assumeRole)) return () => false;
  const section = /(?:^|\n)## What it changes\n([\s\S]*?)(?=\n## |$)/.exec(content.description ?? '')?.[1];
  const named = new Set([...(section ?? '').matchAll(/\(step ([A-Za-z0-9_]+)\)/g)].map((m) => m[1]));
  if (section === undefined || (named.size === 0 && !/\bNothing\b/.test(section))) return () => true;
  return (step) => named.has(step.name ?? '');
}

/**
 * Whether a step may change state: API calls by the IAM access level of their action; scripts as
 * `scriptMayChangeState` says (see above); commands, Lambda invocations and the rest always.
 */
export function stepChangesState(step: AutomationStep, scriptMayChangeState: (step: AutomationStep) => boolean = () => true): boolean {
  if (READ_ONLY_ACTIONS.includes(step.action ?? '')) return false;
  if (step.action === 'aws:executeScript') return scriptMayChangeState(step);
  if (step.action === 'aws:loop') {
    const inner = step.inputs?.Steps;
    return Array.isArray(inner) && inner.some((s) => stepChangesState(s as AutomationStep, scriptMayChangeState));
  }
  if (step.action === 'aws:executeAwsApi') {
    const { permissions } = permissionsOfCall(String(step.inputs?.Service ?? '').toLowerCase(), String(step.inputs?.Api ?? ''));
    return permissions === undefined || changesState(permissions.primary) || permissions.implied.some(changesState);
  }
  return true;
}

/** Whether any step of an Automation document may change state. */
export function runbookChangesState(index: AppIndex, doc: RenderedResource): boolean {
  const content = automationContent(doc);
  const scripts = scriptsThatMayChangeState(index, doc, content);
  return content.steps.some((step) => stepChangesState(step, scripts));
}
