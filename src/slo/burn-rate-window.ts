import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { brand } from '../core/brand';
import { Check, Checks, describeValue } from '../core/checks';
import { fail } from '../core/errors';
import { periodProblem } from '../core/limits';
import { describeWindow, formatBurnRate } from '../core/naming';
import { Severity } from '../core/severity';

/**
 * A burn-rate alert condition without its severity.
 */
export interface BurnRateWindowOptions {
  /**
   * How many times faster than sustainable the error budget must burn, e.g. 14.4.
   */
  readonly burnRate: number;

  /**
   * The long window: decides how much budget must be spent before the alert fires.
   */
  readonly longWindow: Duration;

  /**
   * The short window (about 1/12 of the long one): makes the alert stop soon after the errors stop.
   */
  readonly shortWindow: Duration;
}

/**
 * A burn-rate alert condition with its severity.
 */
export interface BurnRateWindowProps extends BurnRateWindowOptions {
  /**
   * Page or ticket.
   */
  readonly severity: Severity;
}

/**
 * One multiwindow burn-rate condition: the error budget burns at least `burnRate`× over *both* the long and the
 * short window (Google SRE Workbook ch. 5). Each window becomes one metric-math alarm.
 */
export class BurnRateWindow {
  /**
   * A condition that pages.
   */
  public static page(options: BurnRateWindowOptions): BurnRateWindow {
    return new BurnRateWindow({ ...options, severity: Severity.PAGE });
  }

  /**
   * A condition that opens a ticket.
   */
  public static ticket(options: BurnRateWindowOptions): BurnRateWindow {
    return new BurnRateWindow({ ...options, severity: Severity.TICKET });
  }

  /**
   * A condition with an explicit severity.
   */
  public static of(props: BurnRateWindowProps): BurnRateWindow {
    return new BurnRateWindow(props);
  }

  /** Page or ticket. */
  public readonly severity: Severity;
  /** Burn-rate threshold. */
  public readonly burnRate: number;
  /** Long window. */
  public readonly longWindow: Duration;
  /** Short window. */
  public readonly shortWindow: Duration;

  private readonly problems: string[];

  private constructor(props: BurnRateWindowProps) {
    brand(this, 'BurnRateWindow');
    this.problems = windowProblems(props);
    this.severity = props.severity;
    this.burnRate = props.burnRate;
    this.longWindow = props.longWindow;
    this.shortWindow = props.shortWindow;
  }

  /**
   * Fail, naming `scope` and `prop`, when the condition was built from bad input.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.problems.length > 0) fail(scope, `${prop}: ${this.problems[0]}`);
  }

  /**
   * Percentage of the error budget spent when this condition fires at its threshold: `burnRate × longWindow / period`.
   */
  public budgetConsumedPercent(period: Duration): number {
    return Number(((this.burnRate * this.longWindow.toSeconds()) / period.toSeconds() * 100).toPrecision(6));
  }

  /**
   * One-line description, e.g. `14.4× over 1 hour and 5 minutes`.
   */
  public describe(): string {
    return `${formatBurnRate(this.burnRate).replace(/x$/, '×')} over ${describeWindow(this.longWindow)} and ${describeWindow(this.shortWindow)}`;
  }
}

/** What is wrong with a condition's props, if anything (checked when an SLO uses it, so the error can name the SLO). */
function windowProblems(props: BurnRateWindowProps): string[] {
  if (props === null || typeof props !== 'object') return [`BurnRateWindow needs BurnRateWindowProps, got ${describeValue(props)}.`];
  const label = `BurnRateWindow ${String(props.severity)} ${String(props.burnRate)}×`;
  const problem = (field: string, value: unknown, check: Check, fix: string): string | undefined => {
    const p = check(value);
    return p ? `${label}: ${field} ${p}, got ${describeValue(value)}. ${fix}` : undefined;
  };
  const problems = [
    problem('severity', props.severity, Checks.enumOf(Severity, 'Severity'), 'Use BurnRateWindow.page(...) or BurnRateWindow.ticket(...).'),
    problem('burnRate', props.burnRate, Checks.number({ above: 0 }), 'E.g. 14.4 (the workbook\'s fast page).'),
    ...(['longWindow', 'shortWindow'] as const).map((name) => problem(name, props[name], Checks.duration({ minSeconds: 60 }),
      'Burn-rate windows are at least 60 s (high-resolution periods cannot hold an SLO window), e.g. Duration.minutes(5).')),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) return problems;
  for (const name of ['longWindow', 'shortWindow'] as const) {
    const period = periodProblem(props[name].toSeconds({ integral: false }), 1);
    if (period) problems.push(`${label}: ${name} ${describeWindow(props[name])}: ${period}.`);
  }
  if (props.shortWindow.toSeconds({ integral: false }) >= props.longWindow.toSeconds({ integral: false })) {
    problems.push(`${label}: shortWindow (${describeWindow(props.shortWindow)}) must be shorter than longWindow (${describeWindow(props.longWindow)}); ` +
      'the SRE Workbook uses about 1/12 of the long window.');
  }
  return problems;
}
