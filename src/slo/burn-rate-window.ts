import { Duration, Token } from 'aws-cdk-lib';
import { fail } from '../core/errors';
import { validatePeriod } from '../core/limits';
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

  private constructor(props: BurnRateWindowProps) {
    const label = `BurnRateWindow ${props.severity} ${props.burnRate}×`;
    if (!Number.isFinite(props.burnRate) || props.burnRate <= 0) {
      fail(undefined, `${label}: burnRate must be a number greater than 0, got ${props.burnRate}.`);
    }
    for (const [name, d] of [['longWindow', props.longWindow], ['shortWindow', props.shortWindow]] as const) {
      if (Token.isUnresolved(d.toSeconds({ integral: false }))) fail(undefined, `${label}: ${name} must be known at synth time.`);
      const seconds = d.toSeconds({ integral: false });
      if (seconds < 60) {
        fail(undefined, `${label}: ${name} is ${seconds} s; burn-rate windows must be at least 60 s (high-resolution periods cannot hold an SLO window).`);
      }
      validatePeriod(undefined, `${label}: ${name}`, seconds, 1);
    }
    if (props.shortWindow.toSeconds() >= props.longWindow.toSeconds()) {
      fail(undefined, `${label}: shortWindow (${describeWindow(props.shortWindow)}) must be shorter than longWindow (${describeWindow(props.longWindow)}); ` +
        'the SRE Workbook uses about 1/12 of the long window.');
    }
    this.severity = props.severity;
    this.burnRate = props.burnRate;
    this.longWindow = props.longWindow;
    this.shortWindow = props.shortWindow;
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
