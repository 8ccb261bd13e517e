import { IConstruct } from 'constructs';
import { Check, Checks, checkProps, checkRequired } from '../../core/checks';
import { Kinds } from '../kinds';
import { RunbookApproval } from '../runbook';

/**
 * Options every preset runbook takes.
 */
export interface PresetRunbookProps {
  /**
   * The document's name (unique in the account and region).
   *
   * @default `<workload>-<service>-<id in kebab case>`
   */
  readonly documentName?: string;

  /**
   * Whether the runbook waits for an approval before it changes anything.
   *
   * @default RunbookApproval.whenChangingState(): the workload's approvers approve
   */
  readonly approval?: RunbookApproval;
}

/** The `timeout` of a preset: the wait step's timeout, a whole number of seconds up to Automation's 7 days. */
export const PRESET_TIMEOUT: readonly [Check, string] = [
  Checks.duration({ wholeSeconds: true, minSeconds: 1, maxSeconds: 7 * 24 * 3600 }),
  'Use Duration.minutes(n) (a whole number of seconds, at most 7 days: the longest an Automation step may wait).',
];

/**
 * Check a preset's props (internal): the shape a plain-JavaScript caller may get wrong, naming the preset's path.
 * `required` props must be given.
 */
export function checkPresetProps(scope: IConstruct, what: string, props: unknown, table: Record<string, readonly [Check, string?]>,
  required: string[] = []): void {
  checkProps(scope, what, props, {
    documentName: [Checks.string()],
    approval: [Kinds.approval],
    ...table,
  });
  const given = props as Record<string, unknown>;
  for (const prop of required) checkRequired(scope, prop, given[prop], table[prop][0], table[prop][1]);
}
