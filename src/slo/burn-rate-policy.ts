import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BurnRateWindow } from './burn-rate-window';
import { brand, hasBrand } from '../core/brand';
import { Check, Checks, describeValue, isDuration } from '../core/checks';
import { fail } from '../core/errors';
import { describeWindow } from '../core/naming';
import { Severity } from '../core/severity';

/**
 * The largest low-traffic guard accepted: larger values are not whole numbers CloudWatch metric math can write
 * (they render in exponent notation, e.g. `1e+21`), and no window holds that many events.
 */
export const MAX_MIN_BAD_EVENTS = 1_000_000_000;

/**
 * How the burn-rate conditions of one severity are combined into its composite alarm.
 */
export enum PairCombination {
  /**
   * `(L1 AND S1) OR (L2 AND S2 AND NOT L1) OR …` with pairs ordered from the shortest long window up: a slower
   * pair counts only while no faster pair's long window is in ALARM. The composite then resets as fast as the
   * fastest pair — 5 minutes after a short outage with the workbook windows instead of 30 — at no extra cost.
   * Trade-off: errors arriving in bursts more than one short window apart re-notify per burst (pagers
   * de-duplicate them into the open incident).
   */
  FAST_RESET = 'FAST_RESET',

  /**
   * `(L1 AND S1) OR (L2 AND S2) OR …`, the plain workbook rule: fires while any pair fires, so it also holds
   * through bursty errors, but resets only when the slowest firing pair's short window clears.
   */
  ANY_PAIR = 'ANY_PAIR',
}

/**
 * Options of a burn-rate policy.
 */
export interface BurnRatePolicyOptions {
  /**
   * Name shown in docs and reports.
   *
   * @default 'custom'
   */
  readonly name?: string;

  /**
   * How conditions of the same severity are combined.
   *
   * @default PairCombination.FAST_RESET
   */
  readonly combination?: PairCombination;

  /**
   * Low-traffic guard: a long window only counts as burning once it holds at least this many bad events.
   * Applied to long windows only — a guarded short window would miss real burns at moderate traffic.
   * An SLO can override it. 0 turns the guard off.
   *
   * @default 5
   */
  readonly minBadEvents?: number;

  /**
   * How long the ticket composite waits for the page composite to fire before notifying.
   *
   * @default Duration.minutes(2)
   */
  readonly ticketSuppressionWait?: Duration;

  /**
   * How long the ticket stays suppressed after the page composite recovers. The default covers the ticket's
   * own reset after an incident, so the aftermath of a page never opens a ticket.
   *
   * @default - the longest ticket short window
   */
  readonly ticketSuppressionExtension?: Duration;
}

/**
 * A set of burn-rate conditions for an SLO: which budget burns page and which open a ticket.
 */
export class BurnRatePolicy {
  /**
   * Google SRE Workbook ch. 5, table 5-8: page at 14.4× over 1 h/5 min (2 % of a 30-day budget) or
   * 6× over 6 h/30 min (5 %); ticket at 1× over 3 d/6 h (10 %). Six window alarms, two composites.
   */
  public static readonly SRE_WORKBOOK = BurnRatePolicy.of([
    BurnRateWindow.page({ burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) }),
    BurnRateWindow.page({ burnRate: 6, longWindow: Duration.hours(6), shortWindow: Duration.minutes(30) }),
    BurnRateWindow.ticket({ burnRate: 1, longWindow: Duration.days(3), shortWindow: Duration.hours(6) }),
  ], { name: 'sre-workbook' });

  /**
   * `SRE_WORKBOOK` plus the workbook's 3× over 1 d/2 h ticket (10 % of the budget), as Sloth and Pyrra ship it:
   * a moderate burn tickets within a day instead of three. Eight window alarms, two composites.
   */
  public static readonly SRE_WORKBOOK_WITH_DAILY_TICKET = BurnRatePolicy.of([
    BurnRateWindow.page({ burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) }),
    BurnRateWindow.page({ burnRate: 6, longWindow: Duration.hours(6), shortWindow: Duration.minutes(30) }),
    BurnRateWindow.ticket({ burnRate: 3, longWindow: Duration.days(1), shortWindow: Duration.hours(2) }),
    BurnRateWindow.ticket({ burnRate: 1, longWindow: Duration.days(3), shortWindow: Duration.hours(6) }),
  ], { name: 'sre-workbook-with-daily-ticket' });

  /**
   * For services with about one request a minute or less: the workbook's burn rates and long windows with
   * short windows three times longer (15 min, 1 h, 12 h), so sparse errors keep a pair firing instead of
   * flapping it, plus the default 5-bad-event guard on long windows. Resets slower (15 min).
   */
  public static readonly LOW_TRAFFIC = BurnRatePolicy.of([
    BurnRateWindow.page({ burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(15) }),
    BurnRateWindow.page({ burnRate: 6, longWindow: Duration.hours(6), shortWindow: Duration.hours(1) }),
    BurnRateWindow.ticket({ burnRate: 1, longWindow: Duration.days(3), shortWindow: Duration.hours(12) }),
  ], { name: 'low-traffic' });

  /**
   * A policy of your own. Needs at least one page condition; tickets are optional.
   */
  public static of(windows: BurnRateWindow[], options: BurnRatePolicyOptions = {}): BurnRatePolicy {
    return new BurnRatePolicy(windows, options);
  }

  /**
   * Whether `x` is a BurnRatePolicy (works across copies of this library).
   */
  public static isBurnRatePolicy(x: unknown): x is BurnRatePolicy {
    return hasBrand(x, 'BurnRatePolicy');
  }

  /** Name shown in docs and reports. */
  public readonly name: string;
  /** All conditions. */
  public readonly windows: BurnRateWindow[];
  /** How conditions of one severity are combined. */
  public readonly combination: PairCombination;
  /** Default low-traffic guard for long windows. */
  public readonly minBadEvents: number;
  /** Ticket suppression wait period. */
  public readonly ticketSuppressionWait: Duration;
  /** Ticket suppression extension period. */
  public readonly ticketSuppressionExtension: Duration;

  private readonly problems: string[];

  private constructor(windows: BurnRateWindow[], options: BurnRatePolicyOptions) {
    brand(this, 'BurnRatePolicy');
    const opts = (options ?? {}) as BurnRatePolicyOptions;
    this.name = typeof opts.name === 'string' ? opts.name : 'custom';
    this.problems = policyProblems(this.name, windows, opts);
    const valid = this.problems.length === 0;
    this.windows = Array.isArray(windows) ? [...windows] : [];
    this.combination = opts.combination ?? PairCombination.FAST_RESET;
    this.minBadEvents = opts.minBadEvents ?? 5;
    this.ticketSuppressionWait = opts.ticketSuppressionWait ?? Duration.minutes(2);
    const ticketShorts = valid ? this.windows.filter((w) => w.severity === Severity.TICKET).map((w) => w.shortWindow.toSeconds()) : [];
    this.ticketSuppressionExtension = opts.ticketSuppressionExtension
      ?? Duration.seconds(ticketShorts.length > 0 ? Math.max(...ticketShorts) : 60);
  }

  /**
   * Fail, naming `scope` and `prop`, when the policy (or one of its conditions) was built from bad input.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    for (const w of this.windows) w._validate(scope, prop);
    if (this.problems.length > 0) fail(scope, `${prop}: ${this.problems[0]}`);
  }

  /** The page conditions, ordered from the shortest long window up. */
  public get pageWindows(): BurnRateWindow[] {
    return this.ordered(Severity.PAGE);
  }

  /** The ticket conditions, ordered from the shortest long window up. */
  public get ticketWindows(): BurnRateWindow[] {
    return this.ordered(Severity.TICKET);
  }

  /** The longest long window of any condition. */
  public get longestWindow(): Duration {
    return Duration.seconds(Math.max(...this.windows.map((w) => w.longWindow.toSeconds())));
  }

  private ordered(severity: Severity): BurnRateWindow[] {
    return this.windows.filter((w) => w.severity === severity)
      .sort((a, b) => a.longWindow.toSeconds() - b.longWindow.toSeconds() || b.burnRate - a.burnRate);
  }
}

/** What is wrong with a policy, if anything (checked when an SLO uses it, so the error can name the SLO). */
function policyProblems(name: string, windows: BurnRateWindow[], options: BurnRatePolicyOptions): string[] {
  const label = `BurnRatePolicy '${name}'`;
  if (!Array.isArray(windows) || windows.some((w) => !hasBrand(w, 'BurnRateWindow'))) {
    return [`${label} needs an array of BurnRateWindow (BurnRateWindow.page(...), BurnRateWindow.ticket(...)), got ${describeValue(windows)}.`];
  }
  const problems: string[] = [];
  const option = (field: string, value: unknown, check: Check, fix: string) => {
    const p = value === undefined ? undefined : check(value);
    if (p) problems.push(`${label}: ${field} ${p}, got ${describeValue(value)}. ${fix}`);
  };
  option('minBadEvents', options.minBadEvents, Checks.number({ integer: true, min: 0, max: MAX_MIN_BAD_EVENTS }), '0 turns the guard off; the presets use 5.');
  option('combination', options.combination, Checks.enumOf(PairCombination, 'PairCombination'), 'Use PairCombination.FAST_RESET or ANY_PAIR.');
  option('ticketSuppressionWait', options.ticketSuppressionWait, Checks.duration({ wholeSeconds: true }), 'E.g. Duration.minutes(2).');
  option('ticketSuppressionExtension', options.ticketSuppressionExtension, Checks.duration({ wholeSeconds: true }), 'E.g. Duration.hours(6).');
  if (problems.length > 0) return problems;
  // Conditions with bad input report themselves (BurnRateWindow._validate); the checks below need valid ones.
  if (windows.some((w) => !Number.isFinite(w.burnRate) || !isDuration(w.longWindow) || !isDuration(w.shortWindow))) return [];
  if (!windows.some((w) => w.severity === Severity.PAGE)) {
    problems.push(`${label} has no page condition: add at least one BurnRateWindow.page(...), or nothing ever pages.`);
  }
  const seen = new Map<string, string>();
  for (const w of windows) {
    for (const [role, d] of [['long', w.longWindow], ['short', w.shortWindow]] as const) {
      const key = `${w.burnRate}@${d.toSeconds({ integral: false })}`;
      const previous = seen.get(key);
      if (previous !== undefined && (previous !== role || role === 'long')) {
        problems.push(`${label}: two conditions use a ${w.burnRate}× ${describeWindow(d)} window (as ${previous} and ${role} window). ` +
          'Each (burn rate, window) may appear once, as the long or the short window of one condition.');
      }
      seen.set(key, role);
    }
  }
  return problems;
}
