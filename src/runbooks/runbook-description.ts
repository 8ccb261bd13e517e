import { IConstruct } from 'constructs';
import { RunbookApproval } from './approval';
import { NON_EMPTY_STRINGS } from './kinds';
import { heading, paragraph, section } from './markdown';
import { RunbookParameter } from './parameter';
import { StepPermission } from './permissions';
import { Step } from './step';
import { Approvers } from '../core/approvers';
import { Checks, checkProps, checkRequired } from '../core/checks';
import { fail } from '../core/errors';

/**
 * The Markdown description of a runbook: what it is for, when to run it, and how to undo it.
 */
export interface RunbookDescription {
  /** What the runbook achieves, in one or two sentences ("Point the live alias back to the previous version"); not empty. */
  readonly purpose: string;

  /** The situations to run it in (alarms, symptoms): at least one, none empty. */
  readonly whenToUse: string[];

  /**
   * What must hold before running it.
   *
   * @default - none listed
   */
  readonly preconditions?: string[];

  /**
   * What it changes.
   *
   * @default - the state-changing API calls of its steps
   */
  readonly changes?: string[];

  /**
   * How to undo what it did (not empty).
   *
   * @default - "Nothing to roll back." for runbooks that change nothing; required for the others
   */
  readonly rollback?: string;
}

/** Check a runbook's description (`prop` names it in errors, e.g. `description`). */
export function checkDescription(scope: IConstruct, prop: string, description: RunbookDescription): void {
  checkRequired(scope, prop, description, Checks.object('a RunbookDescription ({ purpose, whenToUse, rollback })'));
  const fix = 'An empty entry leaves on-call guessing: write it, or leave the entry out.';
  checkRequired(scope, `${prop}.purpose`, description.purpose, Checks.string({ nonEmpty: true }),
    "Say what the runbook achieves in a sentence, e.g. 'Point the live alias back to the previous version.'");
  checkRequired(scope, `${prop}.whenToUse`, description.whenToUse, NON_EMPTY_STRINGS, fix);
  if (description.whenToUse.length === 0) {
    fail(scope, `${prop}.whenToUse is empty: name at least one situation to run the runbook in (an alarm, a symptom).`);
  }
  checkProps(scope, 'RunbookDescription', description, {
    preconditions: [NON_EMPTY_STRINGS, fix],
    changes: [NON_EMPTY_STRINGS, fix],
    rollback: [Checks.string({ nonEmpty: true }), 'Say how to undo what the runbook did (or why nothing needs undoing).'],
  }, `${prop}.`);
}

/** What the Markdown of a runbook is made of. */
export interface MarkdownInput {
  readonly description: RunbookDescription;
  readonly title?: string;
  readonly parameters?: RunbookParameter[];
  readonly documentName: string;
  readonly steps: Step[];
  readonly changing: Set<string>;
  readonly permissions: Map<string, StepPermission[]>;
  readonly approval: RunbookApproval;
  readonly gated: boolean;
  readonly approvers?: Approvers;
}

/** The Markdown description of a runbook: purpose, when to use, preconditions, changes, approval, rollback, parameters, steps. */
export function renderMarkdown(m: MarkdownInput): string {
  const d = m.description;
  const changes = d.changes ?? [...m.changing].map((s) => {
    const actions = (m.permissions.get(s) ?? []).filter((p) => p.changesState).flatMap((p) => p.actions);
    return `${actions.map((a) => `\`${a}\``).join(', ')} (step ${s})`;
  });
  const gate = m.steps.find((s) => s.action === 'aws:approve');
  const gateApprovers = gate?._approvers() ?? m.approvers;
  const who = gateApprovers ? `${gateApprovers.minRequiredApprovals} approval(s) from ${gateApprovers.principals.length} approver(s)` : 'approval';
  const approvalText = m.approval._mode === 'none'
    ? `Not gated: ${m.approval._reason}`
    : m.gated
      ? `Step ${gate!.name} waits for ${who} before anything changes.`
      : gate
        ? `Step ${gate.name} waits for ${who}.`
        : 'Not needed: the runbook changes nothing.';
  const parameters = m.parameters?.map((p) => `\`${p.name}\` (${p.parameterType}${p.required ? ', required' : ''}): ${p.description}`);
  return [
    heading(m.title ?? m.documentName, d.purpose),
    section('When to use', d.whenToUse),
    section('Preconditions', d.preconditions),
    section('What it changes', changes.length > 0 ? changes : ['Nothing: it only reads.']),
    paragraph('Approval', approvalText),
    paragraph('How to roll back', d.rollback ?? 'Nothing to roll back.'),
    section('Parameters', parameters),
    section('Steps', m.steps.map((s) => `**${s.name}**: ${s._summary()}${s.description ? ` — ${s.description}` : ''}`), true),
  ].join('');
}
