import { brand } from './kinds';
import { Approvers } from '../core/approvers';

/**
 * Whether a runbook waits for an approval before it changes anything.
 */
export class RunbookApproval {
  /**
   * Gate the first state-changing step with the workload's approvers (the default). Runbooks that change nothing
   * get no gate.
   */
  public static whenChangingState(): RunbookApproval {
    return new RunbookApproval('auto');
  }

  /** Gate with these approvers, even when the runbook changes nothing. */
  public static by(approvers: Approvers): RunbookApproval {
    return new RunbookApproval('explicit', approvers);
  }

  /**
   * No approval gate, for runbooks safe to run unattended (e.g. automated responses). The reason is recorded in
   * the runbook's Markdown; it must not be empty.
   */
  public static none(reason: string): RunbookApproval {
    return new RunbookApproval('none', undefined, reason);
  }

  private constructor(
    /** @internal */ public readonly _mode: 'auto' | 'explicit' | 'none',
    /** @internal */ public readonly _approvers?: Approvers,
    /** @internal */ public readonly _reason?: string) {
    brand(this, 'RunbookApproval');
  }
}
