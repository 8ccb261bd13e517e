import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AutomationStep, automationContent, isAutomationDocument } from '../../automation-content';
import { appIndex, render } from '../../evidence';
import { defineRule } from '../../rule';
import { runbookChangesState, scriptsThatMayChangeState, stepChangesState } from '../../runbook-evidence';

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
