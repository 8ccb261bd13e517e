import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { changesState, factsOf, permissionsOfCall } from '../../../runbooks/iam-catalog';
import { AutomationContent, AutomationStep, automationContent, isAutomationDocument } from '../../automation-content';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

/** Actions that never change anything. */
const READ_ONLY_ACTIONS = ['aws:approve', 'aws:assertAwsResourceProperty', 'aws:waitForAwsResourceProperty', 'aws:sleep', 'aws:branch', 'aws:pause'];

/**
 * Whether the document's assume role may change state: a role of the same template whose every allowed action IAM
 * classes as Read or List cannot. Unknown roles, managed policies and wildcards may.
 */
function roleMayChangeState(index: AppIndex, doc: RenderedResource, assumeRole: unknown): boolean {
  const roleIds = new Set([...referencedIds(assumeRole), ...literals(assumeRole).flatMap((t) => [...t.matchAll(/\$\{([A-Za-z0-9]+)\.Arn\}/g)].map((m) => m[1]))]);
  const role = [...roleIds].map((id) => index.byLogicalId(doc.stack, id)).find((r) => r?.type === 'AWS::IAM::Role');
  if (!role || role.properties.ManagedPolicyArns !== undefined) return true;
  const documents = [
    ...(Array.isArray(role.properties.Policies) ? role.properties.Policies.map((p) => (p as { PolicyDocument?: unknown }).PolicyDocument) : []),
    ...index.ofType('AWS::IAM::Policy').filter((p) => p.stack === role.stack && referencedIds(p.properties.Roles).has(role.logicalId))
      .map((p) => p.properties.PolicyDocument),
  ];
  const statements = documents.flatMap((d) => {
    const st = (d as { Statement?: unknown } | undefined)?.Statement;
    return Array.isArray(st) ? st : st ? [st] : [];
  }) as Array<{ Effect?: unknown; Action?: unknown; NotAction?: unknown }>;
  return statements.some((st) => st.Effect !== 'Deny' && (st.NotAction !== undefined ||
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
function scriptsThatMayChangeState(index: AppIndex, doc: RenderedResource, content: AutomationContent): (step: AutomationStep) => boolean {
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

/**
 * The steps that can run before any aws:approve step has run: reachable from the first step by falling through
 * (unless `isEnd`), `nextStep`, `onFailure` / `onCancel` jumps and branch choices, without passing an approval step.
 */
function reachableBeforeApproval(steps: AutomationStep[]): AutomationStep[] {
  const index = new Map(steps.map((s, i) => [s.name, i]));
  const seen = new Set<number>();
  const pending = steps.length > 0 ? [0] : [];
  while (pending.length > 0) {
    const i = pending.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const step = steps[i] as AutomationStep & { nextStep?: unknown; isEnd?: unknown; onFailure?: unknown; onCancel?: unknown };
    if (step.action === 'aws:approve') continue;
    const targets = [step.nextStep, ...[step.onFailure, step.onCancel].map((h) => (typeof h === 'string' && h.startsWith('step:') ? h.slice(5) : undefined))];
    if (step.action === 'aws:branch') {
      const choices = step.inputs?.Choices;
      targets.push(step.inputs?.Default, ...(Array.isArray(choices) ? choices.map((c) => (c as { NextStep?: unknown })?.NextStep) : []));
    }
    for (const target of targets) {
      const next = typeof target === 'string' ? index.get(target) : undefined;
      if (next !== undefined) pending.push(next);
    }
    if (step.nextStep === undefined && step.isEnd !== true && i + 1 < steps.length) pending.push(i + 1);
  }
  return steps.filter((_, i) => seen.has(i));
}

/**
 * Automation documents that change state wait for a human approval (an aws:approve step that no state-changing step
 * can run before, following jumps and branches) before they do, unless the template states why not (a cdk-operable
 * `RunbookApproval.none(reason)` writes "Not gated: <reason>" into the document description) or the finding is
 * acknowledged with a reason.
 */
export default defineRule({
  name: 'RunbookApproval',
  area: 'runbooks',
  bestPractices: ['OPS07-BP03'],
  level: NagMessageLevel.ERROR,
  info: 'The Automation document changes state with no aws:approve step before it and states no reason to run unattended.',
  explanation: 'OPS07-BP03 Use runbooks to perform procedures: a mutating runbook started by mistake (or by a confused alarm) ' +
    'changes production; an approval gate or a written reason makes that a decision.',
  fix: 'cdk-operable Runbook adds the gate when the workload has approvers (or approval: RunbookApproval.by(approvers)); use ' +
    "RunbookApproval.none('reason') for automated responses; or add an aws:approve step before the first mutating step.",
}, (node) => {
  const doc = render(node);
  if (!isAutomationDocument(doc)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const content = automationContent(doc);
  const index = appIndex(node);
  if (!runbookChangesState(index, doc)) {
    return NagRuleCompliance.COMPLIANT;
  }
  if (/(^|\n)\**Not gated:\**\s*\S/.test(content.description ?? '')) {
    return NagRuleCompliance.COMPLIANT;
  }
  // Gated: an approval exists and no state-changing step can run before it (a gate after the change gates nothing).
  const scripts = scriptsThatMayChangeState(index, doc, content);
  const gated = content.steps.some((s) => s.action === 'aws:approve') &&
    !reachableBeforeApproval(content.steps).some((step) => stepChangesState(step, scripts));
  return gated ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
