/**
 * Who owns a workload and how to reach them (OPS02-BP01: resources have identified owners).
 *
 * The values become the `ops:owner` and `ops:oncall` tags and the `Owner:` field of every alarm description,
 * so they must be valid CloudFormation tag values: letters, digits, spaces and `+ - = . _ : / @`.
 */
export interface Owner {
  /**
   * The owning team, e.g. `freight-pricing`.
   */
  readonly team: string;

  /**
   * How to reach the person on call: a pager alias, rotation name or e-mail, e.g. `pricing-oncall@example.com`.
   */
  readonly onCall: string;

  /**
   * Where to escalate when on-call does not respond: a manager, a second rotation or a team e-mail.
   *
   * @default - no escalation contact is recorded
   */
  readonly escalation?: string;

  /**
   * The chat channel the team handles incidents in, e.g. `#pricing-incidents`.
   *
   * @default - no chat channel is recorded
   */
  readonly chatChannel?: string;
}
