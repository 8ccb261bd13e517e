import { RunbookApproval } from '../runbook';

/**
 * Options every preset runbook takes.
 */
export interface PresetRunbookProps {
  /**
   * The document's name.
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
