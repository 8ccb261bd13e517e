import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmDestination, AlarmDestinationKind } from './alarm-destination';
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
  /** Page destinations. */
  public readonly page: AlarmDestination[];
  /** Ticket destinations. */
  public readonly ticket: AlarmDestination[];
  /** Whether OK transitions notify too. */
  public readonly notifyOnRecovery: boolean;

  constructor(props: AlarmRoutingProps = {}) {
    this.page = [...(props.page ?? [])];
    this.ticket = [...(props.ticket ?? [])];
    this.notifyOnRecovery = props.notifyOnRecovery ?? false;
    for (const [severity, list] of [[Severity.PAGE, this.page], [Severity.TICKET, this.ticket]] as const) {
      if (list.length > MAX_ACTIONS_PER_STATE) {
        fail(undefined, `AlarmRouting: ${list.length} ${severity} destinations given (${list.map((d) => d.description).join('; ')}), ` +
          `but CloudWatch allows at most ${MAX_ACTIONS_PER_STATE} actions per alarm state. Fan out through one SNS topic instead.`);
      }
    }
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
