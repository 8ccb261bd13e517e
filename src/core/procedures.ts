import { AspectPriority, Aspects, CfnResource, IAspect, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { OpsTags } from './ops-tags';

/**
 * A procedure (an SSM Automation runbook or playbook) that acts on, or investigates, a resource (internal).
 *
 * Runbooks register themselves on what they act on (a Lambda alias, a queue, a cluster, a service); the alarms that
 * watch that resource then name the most specific procedure that exists for them (DESIGN.md: "every alarm names the
 * most specific runbook/playbook that exists for it"), read late so a runbook created after the alarm still counts.
 */
export interface Procedure {
  /** The SSM document name (what the alarm footer and the `ops:runbook` tag name). */
  readonly documentName: string;
  /** Runbook: achieves a known outcome; playbook: finds out what is wrong. */
  readonly kind: ProcedureKind;
  /** When to run it, a few words for the alarm summary, e.g. `roll the alias back`. */
  readonly purpose: string;
  /** The construct that defines it. */
  readonly definedBy: IConstruct;
}

/** What a procedure does. */
export enum ProcedureKind {
  RUNBOOK = 'runbook',
  PLAYBOOK = 'playbook',
}

const PROCEDURES = Symbol.for('cdk-operable.Procedures');

/** Record that `procedure` acts on `target` (several procedures may act on one target; each is recorded once). */
export function registerProcedure(target: IConstruct, procedure: Procedure): void {
  const holder = target as unknown as Record<symbol, Procedure[] | undefined>;
  let list = holder[PROCEDURES];
  if (!list) {
    list = [];
    Object.defineProperty(target, PROCEDURES, { value: list, enumerable: false });
  }
  if (!list.some((p) => p.documentName === procedure.documentName)) list.push(procedure);
}

/** The procedures registered on `target`, in registration order. */
export function proceduresFor(target: IConstruct): Procedure[] {
  return [...((target as unknown as Record<symbol, Procedure[] | undefined>)[PROCEDURES] ?? [])];
}

/**
 * Tag an alarm (or composite) with the runbook it names, decided at synth (internal): `produce` runs once the whole app
 * is built, so a runbook created after the alarm still counts. The tag is set below the priority of `Tags.of(x).add`,
 * so a user's own `ops:runbook` tag wins. Nothing is tagged when `produce` returns undefined.
 */
export function tagRunbookLate(alarm: IConstruct, produce: () => string | undefined): void {
  Aspects.of(alarm).add(new RunbookTag(alarm, produce), { priority: AspectPriority.MUTATING });
}

/** Below `Tags`' default priority (100): a tag the user adds explicitly wins. */
const RUNBOOK_TAG_PRIORITY = 50;

class RunbookTag implements IAspect {
  constructor(private readonly alarm: IConstruct, private readonly produce: () => string | undefined) {}

  public visit(node: IConstruct): void {
    if (node !== this.alarm.node.defaultChild || !(node instanceof CfnResource)) return;
    const tags = TagManager.isTaggableV2(node) ? node.cdkTagManager : TagManager.isTaggable(node) ? node.tags : undefined;
    if (!tags) return;
    const value = this.produce();
    if (value === undefined) return;
    OpsTags.validate(this.alarm, OpsTags.RUNBOOK, value, 'runbook');
    tags.setTag(OpsTags.RUNBOOK, value, RUNBOOK_TAG_PRIORITY);
  }
}
