/**
 * How urgently an alarm needs a human.
 */
export enum Severity {
  /**
   * Wake someone up: the error budget burns fast enough that waiting for working hours breaks the SLO.
   */
  PAGE = 'PAGE',

  /**
   * Handle in working hours: the budget burns, but slowly enough to be a ticket.
   */
  TICKET = 'TICKET',
}
