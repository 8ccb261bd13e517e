import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { AlarmDestination, AlarmDestinationKind } from './alarm-destination';
import { brand, hasBrand } from './brand';
import { describeValue } from './checks';
import { fail } from './errors';
import { Severity } from './severity';

/** Destinations that may also be told about recovery (OK actions). */
const RECOVERY_KINDS = [AlarmDestinationKind.SNS, AlarmDestinationKind.LAMBDA, AlarmDestinationKind.CUSTOM];

/** CloudWatch allows at most this many actions per alarm state. */
const MAX_ACTIONS_PER_STATE = 5;

/**
 * Properties of an alarm routing.
 */
export interface AlarmRoutingProps {
  /**
   * Where page composites notify.
   *
   * @default - pages notify nobody; the SLO warns (`cdk-operable:no-page-destination`) and the rule pack reports it
   */
  readonly page?: AlarmDestination[];

  /**
   * Where ticket composites notify.
   *
   * @default - tickets notify nobody; the SLO warns (`cdk-operable:no-ticket-destination`)
   */
  readonly ticket?: AlarmDestination[];

  /**
   * Also notify the SNS, Lambda and custom destinations when a composite returns to OK (lets a pager resolve its
   * incident). Incident Manager and OpsItem destinations only take ALARM actions.
   *
   * @default false
   */
  readonly notifyOnRecovery?: boolean;
}

/**
 * Maps a severity to the destinations that hear about it.
 *
 * Routing is attached to composite alarms only — the page and ticket composites of each SLO — so one incident
 * notifies once; window alarms carry no actions.
 */
export class AlarmRouting {
  /**
   * Whether `x` is an AlarmRouting (works across copies of this library).
   */
  public static isAlarmRouting(x: unknown): x is AlarmRouting {
    return hasBrand(x, 'AlarmRouting');
  }

  /** Page destinations. */
  public readonly page: AlarmDestination[];
  /** Ticket destinations. */
  public readonly ticket: AlarmDestination[];
  /** Whether OK transitions notify too. */
  public readonly notifyOnRecovery: boolean;

  private readonly problems: string[] = [];

  constructor(props: AlarmRoutingProps = {}) {
    brand(this, 'AlarmRouting');
    const given = (props ?? {}) as AlarmRoutingProps;
    const list = (name: 'page' | 'ticket'): AlarmDestination[] => {
      const value = given[name] as unknown;
      if (value === undefined) return [];
      if (!Array.isArray(value)) {
        this.problems.push(`AlarmRouting ${name} must be an array of AlarmDestination, got ${describeValue(value)}.`);
        return [];
      }
      value.forEach((d, i) => {
        if (!AlarmDestination.isAlarmDestination(d)) {
          this.problems.push(`AlarmRouting ${name}[${i}] must be an AlarmDestination (AlarmDestination.sns(topic), ...), got ${describeValue(d)}.`);
        }
      });
      return value.filter((d) => AlarmDestination.isAlarmDestination(d));
    };
    this.page = list('page');
    this.ticket = list('ticket');
    if (given.notifyOnRecovery !== undefined && typeof given.notifyOnRecovery !== 'boolean') {
      this.problems.push(`AlarmRouting notifyOnRecovery must be true or false, got ${describeValue(given.notifyOnRecovery)}.`);
    }
    this.notifyOnRecovery = given.notifyOnRecovery === true;
    for (const [severity, destinations] of [[Severity.PAGE, this.page], [Severity.TICKET, this.ticket]] as const) {
      if (destinations.length > MAX_ACTIONS_PER_STATE) {
        this.problems.push(`AlarmRouting has ${destinations.length} ${severity} destinations (${destinations.map((d) => d.description).join('; ')}), ` +
          `but CloudWatch allows at most ${MAX_ACTIONS_PER_STATE} actions per alarm state. Fan out through one SNS topic instead.`);
      }
    }
  }

  /**
   * Fail, naming `scope` and `prop`, when the routing (or one of its destinations) was built from bad input.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.problems.length > 0) fail(scope, `${prop}: ${this.problems[0]}`);
    for (const d of [...this.page, ...this.ticket]) d._validate(scope, prop);
  }

  /**
   * The destinations for a severity.
   */
  public destinationsFor(severity: Severity): AlarmDestination[] {
    return severity === Severity.PAGE ? [...this.page] : [...this.ticket];
  }

  /**
   * Attach this routing's destinations for `severity` to a composite alarm.
   *
   * Only composite alarms are accepted: window alarms must stay silent so an incident notifies once.
   */
  public applyTo(composite: cloudwatch.CompositeAlarm, severity: Severity): void {
    this._validate(composite, 'routing');
    const destinations = this.destinationsFor(severity);
    if (destinations.length === 0) return;
    composite.addAlarmAction(...destinations.map((d) => d.toAlarmAction()));
    if (this.notifyOnRecovery) {
      // OK actions may only be SNS topics or Lambda functions (PutCompositeAlarm): a recovery must not open a
      // second incident or OpsItem.
      const recovery = destinations.filter((d) => RECOVERY_KINDS.includes(d.kind));
      if (recovery.length > 0) composite.addOkAction(...recovery.map((d) => d.toAlarmAction()));
    }
  }
}
