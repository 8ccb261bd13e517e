import { Token } from 'aws-cdk-lib';
import * as ssmcontacts from 'aws-cdk-lib/aws-ssmcontacts';
import { Construct, IConstruct } from 'constructs';
import { EscalationPlan, IIncidentContact, isIncidentContact, validateAlias, validateDisplayName, withoutOpsTags } from './contacts';
import { Checks, checkProps, checkRequired, describeValue } from '../core/checks';
import { fail } from '../core/errors';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';

const ROTATION_RECURRENCE_SYMBOL = Symbol.for('cdk-operable.RotationRecurrence');
const ON_CALL_SCHEDULE_SYMBOL = Symbol.for('cdk-operable.OnCallSchedule');

/** Rotation names (AWS::SSMContacts::Rotation): 1-255 letters, digits or '_'. */
const ROTATION_NAME = /^[a-zA-Z0-9_]{1,255}$/;
/** Hand-off times: 24-hour `HH:MM`. */
const HAND_OFF_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Rotation start: `YYYY-MM-DDTHH:MM:SS`, local to the rotation's time zone. */
const START_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
/** A rotation holds at most this many contacts. */
const MAX_ROTATION_CONTACTS = 25;
const MAX_RECURRENCE_MULTIPLIER = 100;

/**
 * A day of the week.
 */
export enum DayOfWeek {
  /** Monday. */
  MONDAY = 'MON',
  /** Tuesday. */
  TUESDAY = 'TUE',
  /** Wednesday. */
  WEDNESDAY = 'WED',
  /** Thursday. */
  THURSDAY = 'THU',
  /** Friday. */
  FRIDAY = 'FRI',
  /** Saturday. */
  SATURDAY = 'SAT',
  /** Sunday. */
  SUNDAY = 'SUN',
}

/**
 * Options of a rotation recurrence.
 */
export interface RotationRecurrenceOptions {
  /**
   * How many days (daily) or weeks (weekly) one shift lasts: 1 to 100.
   *
   * @default 1
   */
  readonly shiftLength?: number;

  /**
   * How many contacts are on call at the same time.
   *
   * @default 1
   */
  readonly onCallsPerShift?: number;
}

/**
 * When shifts of an on-call rotation hand off. Create with a static factory.
 */
export class RotationRecurrence {
  /**
   * Whether `x` is a RotationRecurrence (works across copies of this library).
   */
  public static isRotationRecurrence(x: unknown): x is RotationRecurrence {
    return x !== null && typeof x === 'object' && ROTATION_RECURRENCE_SYMBOL in (x as object);
  }

  /**
   * Hand off every day (or every `shiftLength` days) at `handOffTime` (`HH:MM`, 24-hour, in the rotation's time zone).
   */
  public static daily(handOffTime: string, options: RotationRecurrenceOptions = {}): RotationRecurrence {
    return new RotationRecurrence('daily', handOffTime, undefined, options);
  }

  /**
   * Hand off every week (or every `shiftLength` weeks) on `day` at `handOffTime` (`HH:MM`, 24-hour, in the rotation's time zone).
   */
  public static weekly(day: DayOfWeek, handOffTime: string, options: RotationRecurrenceOptions = {}): RotationRecurrence {
    return new RotationRecurrence('weekly', handOffTime, day, options);
  }

  /** `daily` or `weekly`. */
  public readonly frequency: string;
  /** The hand-off time, `HH:MM`. */
  public readonly handOffTime: string;
  /** How many days or weeks a shift lasts. */
  public readonly shiftLength: number;
  /** How many contacts are on call at once. */
  public readonly onCallsPerShift: number;
  /**
   * The hand-off day of weekly rotations.
   * @default - none (daily)
   */
  public readonly day?: DayOfWeek;

  /** Problems found without a scope: the schedule that uses the recurrence reports the first one. */
  private readonly problems: string[] = [];

  private constructor(frequency: string, handOffTime: string, day: DayOfWeek | undefined, options: RotationRecurrenceOptions) {
    Object.defineProperty(this, ROTATION_RECURRENCE_SYMBOL, { value: true });
    const where = `RotationRecurrence.${frequency}`;
    const o: RotationRecurrenceOptions = options !== null && typeof options === 'object' ? options : {};
    if (o !== options) this.problems.push(`${where}: options must be an object ({ shiftLength?, onCallsPerShift? }), got ${describeValue(options)}.`);
    if (typeof handOffTime !== 'string' || (!Token.isUnresolved(handOffTime) && !HAND_OFF_TIME.test(handOffTime))) {
      this.problems.push(`${where}: handOffTime ${typeof handOffTime === 'string' ? `'${handOffTime}'` : describeValue(handOffTime)} must be HH:MM ` +
        "in 24-hour time, e.g. '09:00'.");
    }
    if (frequency === 'weekly' && !Object.values(DayOfWeek).includes(day as DayOfWeek)) {
      this.problems.push(`${where}: day must be a DayOfWeek (e.g. DayOfWeek.MONDAY), got ${describeValue(day)}.`);
    }
    this.shiftLength = o.shiftLength ?? 1;
    if (!Number.isInteger(this.shiftLength) || this.shiftLength < 1 || this.shiftLength > MAX_RECURRENCE_MULTIPLIER) {
      this.problems.push(`${where}: shiftLength must be a whole number from 1 to ${MAX_RECURRENCE_MULTIPLIER}, got ${describeValue(this.shiftLength)}.`);
    }
    this.onCallsPerShift = o.onCallsPerShift ?? 1;
    if (!Number.isInteger(this.onCallsPerShift) || this.onCallsPerShift < 1) {
      this.problems.push(`${where}: onCallsPerShift must be a whole number of at least 1, got ${describeValue(this.onCallsPerShift)}.`);
    }
    this.frequency = frequency;
    this.handOffTime = handOffTime;
    this.day = day;
  }

  /**
   * Fail, naming `scope` and `prop`, when the factory was given bad input.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.problems.length > 0) fail(scope, `${prop}: ${this.problems[0]}`);
  }

  /**
   * The recurrence as `AWS::SSMContacts::Rotation` declares it.
   * @internal
   */
  public _render(): ssmcontacts.CfnRotation.RecurrenceSettingsProperty {
    return {
      numberOfOnCalls: this.onCallsPerShift,
      recurrenceMultiplier: this.shiftLength,
      ...(this.day ? { weeklySettings: [{ dayOfWeek: this.day, handOffTime: this.handOffTime }] } : { dailySettings: [this.handOffTime] }),
    };
  }
}

/**
 * Properties of an on-call schedule.
 */
export interface OnCallScheduleProps {
  /** The schedule's unique alias: 1-255 lower-case letters, digits, '_' or '-', e.g. `pricing-primary`. */
  readonly alias: string;

  /**
   * The schedule's display name: 1-255 letters, digits, '_', '-' or spaces.
   *
   * @default - the alias
   */
  readonly displayName?: string;

  /** The people who take shifts, in shift order: 1 to 25 personal contacts (`OnCallContact`). */
  readonly contacts: IIncidentContact[];

  /** When shifts hand off. */
  readonly recurrence: RotationRecurrence;

  /** When the rotation starts, `YYYY-MM-DDTHH:MM:SS` in `timeZone`, e.g. `2025-01-06T09:00:00`. */
  readonly startTime: string;

  /**
   * The rotation's time zone, an IANA name such as `Europe/Berlin` or `America/Los_Angeles`.
   *
   * @default 'UTC'
   */
  readonly timeZone?: string;

  /**
   * The rotation's name: 1-255 letters, digits or '_'.
   *
   * @default - the alias, with '-' replaced by '_'
   */
  readonly rotationName?: string;
}

/**
 * An on-call schedule (an `ONCALL_SCHEDULE` contact) backed by one rotation: whoever is on shift is engaged when an
 * escalation plan or response plan engages the schedule.
 *
 * @example
 * const primary = new OnCallSchedule(platform, 'Primary', {
 *   alias: 'pricing-primary',
 *   contacts: [jane, joe],
 *   recurrence: RotationRecurrence.weekly(DayOfWeek.MONDAY, '09:00'),
 *   startTime: '2025-01-06T09:00:00',
 *   timeZone: 'Europe/Berlin',
 * });
 */
export class OnCallSchedule extends Construct implements IIncidentContact {
  /**
   * Whether `x` is an OnCallSchedule (works across copies of this library).
   */
  public static isOnCallSchedule(x: unknown): x is OnCallSchedule {
    return x !== null && typeof x === 'object' && ON_CALL_SCHEDULE_SYMBOL in (x as object);
  }

  /** ARN of the schedule contact. */
  public readonly contactArn: string;
  /** The schedule's alias. */
  public readonly alias: string;
  /** The rotation's name. */
  public readonly rotationName: string;
  /** The underlying `AWS::SSMContacts::Rotation`. */
  public readonly rotation: ssmcontacts.CfnRotation;
  /** The underlying `AWS::SSMContacts::Contact` of type `ONCALL_SCHEDULE`. */
  public readonly contact: ssmcontacts.CfnContact;

  constructor(scope: Construct, id: string, props: OnCallScheduleProps) {
    super(scope, id);
    Object.defineProperty(this, ON_CALL_SCHEDULE_SYMBOL, { value: true });
    checkProps(this, 'OnCallScheduleProps', props, {
      displayName: [Checks.string()],
      contacts: [Checks.arrayOf(Checks.instance(isIncidentContact, 'a personal contact (OnCallContact)'), 'an array of OnCallContact')],
      recurrence: [Checks.instance(RotationRecurrence.isRotationRecurrence, 'a RotationRecurrence'), "e.g. RotationRecurrence.weekly(DayOfWeek.MONDAY, '09:00')."],
      startTime: [Checks.string()],
      timeZone: [Checks.string()],
      rotationName: [Checks.string()],
    });
    this.alias = validateAlias(this, props.alias);
    checkRequired(this, 'contacts', props.contacts, Checks.arrayOf(() => undefined, 'an array of OnCallContact'), 'List the people who take shifts.');
    checkRequired(this, 'recurrence', props.recurrence, Checks.object('a RotationRecurrence'), "e.g. RotationRecurrence.weekly(DayOfWeek.MONDAY, '09:00').");
    checkRequired(this, 'startTime', props.startTime, Checks.string(), "e.g. startTime: '2025-01-06T09:00:00'.");
    props.recurrence._validate(this, 'recurrence');
    this.rotationName = props.rotationName ?? props.alias.replace(/-/g, '_');
    if (!Token.isUnresolved(this.rotationName) && !ROTATION_NAME.test(this.rotationName)) {
      fail(this, `rotationName '${this.rotationName}' is invalid: use 1-255 letters, digits or '_'.`);
    }
    if (props.contacts.length === 0 || props.contacts.length > MAX_ROTATION_CONTACTS) {
      fail(this, `on-call schedule '${props.alias}' has ${props.contacts.length} contacts; a rotation takes 1 to ${MAX_ROTATION_CONTACTS} people.`);
    }
    const group = props.contacts.find((c) => EscalationPlan.isEscalationPlan(c) || OnCallSchedule.isOnCallSchedule(c));
    if (group) {
      fail(this, `on-call schedule '${props.alias}': contacts lists '${group.alias}' (${group.node.path}), which is not a person: rotations take ` +
        'personal contacts (OnCallContact) only.');
    }
    if (props.recurrence.onCallsPerShift > props.contacts.length) {
      fail(this, `on-call schedule '${props.alias}' puts ${props.recurrence.onCallsPerShift} people on call per shift but has only ` +
        `${props.contacts.length} contact(s): add contacts or lower onCallsPerShift.`);
    }
    validateStartTime(this, props.startTime);
    const timeZone = validateTimeZone(this, props.timeZone ?? 'UTC');
    claimPhysicalName(this, PhysicalNameKind.CONTACT, this.alias);

    this.rotation = new ssmcontacts.CfnRotation(this, 'Rotation', {
      name: this.rotationName,
      contactIds: props.contacts.map((c) => c.contactArn),
      recurrence: props.recurrence._render(),
      startTime: props.startTime,
      timeZoneId: timeZone,
    });
    this.contact = new ssmcontacts.CfnContact(this, 'Resource', {
      alias: this.alias,
      displayName: validateDisplayName(this, props.displayName ?? this.alias),
      type: 'ONCALL_SCHEDULE',
      plan: [{ rotationIds: [this.rotation.attrArn] }],
    });
    withoutOpsTags(this.rotation);
    withoutOpsTags(this.contact);
    this.contactArn = this.contact.attrArn;
  }
}

function validateStartTime(scope: IConstruct, startTime: string): void {
  if (Token.isUnresolved(startTime)) return;
  const m = START_TIME.exec(startTime);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!m || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    fail(scope, `startTime '${startTime}' must be a date and time YYYY-MM-DDTHH:MM:SS (no offset; it is read in timeZone), e.g. '2025-01-06T09:00:00'.`);
  }
}

function validateTimeZone(scope: IConstruct, timeZone: string): string {
  if (Token.isUnresolved(timeZone)) return timeZone;
  let known = TIME_ZONE.test(timeZone);
  if (known) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      known = false;
    }
  }
  if (!known) fail(scope, `timeZone '${timeZone}' is not an IANA time zone name, e.g. 'Europe/Berlin', 'America/Los_Angeles' or 'UTC'.`);
  return timeZone;
}
