import { CfnResource, Duration, Tags, Token } from 'aws-cdk-lib';
import * as ssmcontacts from 'aws-cdk-lib/aws-ssmcontacts';
import { Construct, IConstruct } from 'constructs';
import { Checks, checkProps, checkRequired, describeValue, isDuration } from '../core/checks';
import { fail } from '../core/errors';
import { OpsTags } from '../core/ops-tags';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';

const CONTACT_CHANNEL_SYMBOL = Symbol.for('cdk-operable.ContactChannel');
const ON_CALL_CONTACT_SYMBOL = Symbol.for('cdk-operable.OnCallContact');
const ESCALATION_PLAN_SYMBOL = Symbol.for('cdk-operable.EscalationPlan');
/** Any element: for required arrays whose elements are checked elsewhere. */
const ANY = () => undefined;

/** SSM Contacts aliases (CreateContact): 1-255 lower-case letters, digits, '_' or '-'. */
const ALIAS = /^[a-z0-9_-]{1,255}$/;
/** Contact display names (AWS::SSMContacts::Contact): 1-255 letters, digits, '_', '-' or spaces. */
const DISPLAY_NAME = /^[a-zA-Z0-9_ -]{1,255}$/;
/** Contact channel names: 1-255 letters, digits, '_', '-' or spaces. */
const CHANNEL_NAME = /^[a-zA-Z0-9_ -]{1,255}$/;
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Phone numbers in E.164 format. */
const PHONE = /^\+[1-9]\d{1,14}$/;
/** Engagement retries and escalation stages are whole minutes in these ranges. */
const MAX_RETRY_MINUTES = 60;
const MAX_STAGE_MINUTES = 30;

/**
 * A contact Incident Manager can engage: a person, an on-call schedule or an escalation plan.
 */
export interface IIncidentContact extends IConstruct {
  /** ARN of the contact. */
  readonly contactArn: string;

  /** The contact's alias. */
  readonly alias: string;
}

/**
 * How a contact channel reaches a person.
 */
export enum ContactChannelType {
  /** An e-mail. */
  EMAIL = 'EMAIL',
  /** A text message. */
  SMS = 'SMS',
  /** A phone call. */
  VOICE = 'VOICE',
}

/**
 * Options of a contact channel.
 */
export interface ContactChannelOptions {
  /**
   * The channel's name: 1-255 letters, digits, '_', '-' or spaces.
   *
   * @default - the channel type in lower case: `email`, `sms` or `voice`
   */
  readonly name?: string;

  /**
   * Do not send the activation code when the channel is created; Incident Manager cannot engage the channel until it is
   * activated.
   *
   * @default false
   */
  readonly deferActivation?: boolean;
}

/**
 * A way to reach a person: e-mail, SMS or voice. Create with a static factory.
 */
export class ContactChannel {
  /**
   * Whether `x` is a ContactChannel (works across copies of this library).
   */
  public static isContactChannel(x: unknown): x is ContactChannel {
    return x !== null && typeof x === 'object' && CONTACT_CHANNEL_SYMBOL in (x as object);
  }

  /** An e-mail address. */
  public static email(address: string, options: ContactChannelOptions = {}): ContactChannel {
    return new ContactChannel(ContactChannelType.EMAIL, address, options);
  }

  /** Text messages to a phone number in E.164 format, e.g. `+15555550100`. */
  public static sms(phoneNumber: string, options: ContactChannelOptions = {}): ContactChannel {
    return new ContactChannel(ContactChannelType.SMS, phoneNumber, options);
  }

  /** Phone calls to a number in E.164 format, e.g. `+15555550100`. */
  public static voice(phoneNumber: string, options: ContactChannelOptions = {}): ContactChannel {
    return new ContactChannel(ContactChannelType.VOICE, phoneNumber, options);
  }

  /** The channel type. */
  public readonly channelType: ContactChannelType;
  /** The address: an e-mail address or a phone number. */
  public readonly address: string;
  /** The channel's name. */
  public readonly name: string;
  /** Whether activation is deferred. */
  public readonly deferActivation: boolean;

  /** The options as given, checked when a contact uses the channel. */
  private readonly options: unknown;

  private constructor(channelType: ContactChannelType, address: string, options: ContactChannelOptions) {
    Object.defineProperty(this, CONTACT_CHANNEL_SYMBOL, { value: true });
    this.channelType = channelType;
    this.address = address;
    this.options = options;
    const o: ContactChannelOptions = options !== null && typeof options === 'object' ? options : {};
    this.name = o.name ?? channelType.toLowerCase();
    this.deferActivation = o.deferActivation ?? false;
  }

  /**
   * Check the address and options, naming `scope` and `prop` (where the channel was given) in the error.
   * @internal
   */
  public _validate(scope: IConstruct, prop = 'channels'): void {
    const factory = `ContactChannel.${this.channelType.toLowerCase()}`;
    checkProps(scope, 'ContactChannelOptions', this.options, {
      name: [Checks.string({ nonEmpty: true })],
      deferActivation: [Checks.boolean],
    }, `${prop}: ${factory}() options.`);
    checkRequired(scope, `${prop}: ${factory}() address`, this.address, Checks.string({ nonEmpty: true }),
      this.channelType === ContactChannelType.EMAIL ? "e.g. 'oncall@example.com'." : "a phone number in E.164 format, e.g. '+15555550100'.");
    if (!Token.isUnresolved(this.address)) {
      if (this.channelType === ContactChannelType.EMAIL && !EMAIL_ADDRESS.test(this.address)) {
        fail(scope, `e-mail channel '${this.name}': '${this.address}' is not an e-mail address.`);
      }
      if (this.channelType !== ContactChannelType.EMAIL && !PHONE.test(this.address)) {
        fail(scope, `${this.channelType} channel '${this.name}': '${this.address}' is not a phone number in E.164 format, e.g. '+15555550100'.`);
      }
    }
    if (!Token.isUnresolved(this.name) && !CHANNEL_NAME.test(this.name)) {
      fail(scope, `contact channel name '${this.name}' is invalid: use 1-255 letters, digits, '_', '-' or spaces.`);
    }
  }
}

/**
 * Properties of an on-call contact.
 */
export interface OnCallContactProps {
  /** The contact's unique alias: 1-255 lower-case letters, digits, '_' or '-', e.g. `jane-doe`. */
  readonly alias: string;

  /**
   * The contact's full name: 1-255 letters, digits, '_', '-' or spaces.
   *
   * @default - the alias
   */
  readonly displayName?: string;

  /** How to reach the person: one or more channels, all engaged at once when the contact is engaged. */
  readonly channels: ContactChannel[];

  /**
   * How long to wait before engaging a channel again when the engagement fails: 0 to 60 whole minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly retryInterval?: Duration;
}

/**
 * A person Incident Manager can engage (a `PERSONAL` contact), with its contact channels and an engagement plan that
 * engages every channel at once. Rotations and escalation plans engage people through it.
 *
 * @example
 * const jane = new OnCallContact(platform, 'Jane', {
 *   alias: 'jane-doe',
 *   channels: [ContactChannel.email('jane@example.com'), ContactChannel.sms('+15555550100')],
 * });
 */
export class OnCallContact extends Construct implements IIncidentContact {
  /**
   * Whether `x` is an OnCallContact (works across copies of this library).
   */
  public static isOnCallContact(x: unknown): x is OnCallContact {
    return x !== null && typeof x === 'object' && ON_CALL_CONTACT_SYMBOL in (x as object);
  }

  /** ARN of the contact. */
  public readonly contactArn: string;
  /** The contact's alias. */
  public readonly alias: string;
  /** The underlying `AWS::SSMContacts::Contact`. */
  public readonly contact: ssmcontacts.CfnContact;
  /** One `AWS::SSMContacts::ContactChannel` per channel, in order. */
  public readonly channels: ssmcontacts.CfnContactChannel[];
  /** The engagement plan (`AWS::SSMContacts::Plan`): a separate resource, since it names the channels. */
  public readonly engagementPlan: ssmcontacts.CfnPlan;

  constructor(scope: Construct, id: string, props: OnCallContactProps) {
    super(scope, id);
    Object.defineProperty(this, ON_CALL_CONTACT_SYMBOL, { value: true });
    checkProps(this, 'OnCallContactProps', props, {
      displayName: [Checks.string()],
      channels: [Checks.arrayOf(Checks.instance(ContactChannel.isContactChannel, 'a ContactChannel (ContactChannel.email(...), .sms(...) or .voice(...))'),
        'an array of ContactChannel')],
      retryInterval: [Checks.duration(), 'e.g. Duration.minutes(5).'],
    });
    this.alias = validateAlias(this, props.alias);
    checkRequired(this, 'channels', props.channels, Checks.arrayOf(ANY, 'an array of ContactChannel'),
      "e.g. channels: [ContactChannel.email('oncall@example.com')].");
    if (props.channels.length === 0) {
      fail(this, `contact '${props.alias}' has no channels: give at least one, e.g. channels: [ContactChannel.email('oncall@example.com')].`);
    }
    props.channels.forEach((c, i) => c._validate(this, `channels[${i}]`));
    const names = props.channels.map((c) => c.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) fail(this, `contact '${props.alias}' has two channels named '${duplicate}': give one a name of its own.`);
    const retry = wholeMinutes(this, 'retryInterval', props.retryInterval ?? Duration.minutes(5), MAX_RETRY_MINUTES);
    claimPhysicalName(this, PhysicalNameKind.CONTACT, this.alias);

    this.contact = new ssmcontacts.CfnContact(this, 'Resource', {
      alias: this.alias,
      displayName: validateDisplayName(this, props.displayName ?? this.alias),
      type: 'PERSONAL',
    });
    withoutOpsTags(this.contact);
    this.contactArn = this.contact.attrArn;
    this.channels = props.channels.map((c, i) => new ssmcontacts.CfnContactChannel(this, `Channel${i}`, {
      contactId: this.contactArn,
      channelName: c.name,
      channelType: c.channelType,
      channelAddress: c.address,
      deferActivation: c.deferActivation,
    }));
    this.engagementPlan = new ssmcontacts.CfnPlan(this, 'EngagementPlan', {
      contactId: this.contactArn,
      stages: [{
        durationInMinutes: 0,
        targets: this.channels.map((ch) => ({ channelTargetInfo: { channelId: ch.attrArn, retryIntervalInMinutes: retry } })),
      }],
    });
  }
}

/**
 * One stage of an escalation plan.
 */
export interface EscalationStage {
  /** Who to engage in this stage: people or on-call schedules (not escalation plans); at least one. */
  readonly targets: IIncidentContact[];

  /**
   * How long to wait for an acknowledgement before the next stage starts: 0 to 30 whole minutes.
   *
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;

  /**
   * Whether an acknowledgement by a target of this stage stops the escalation.
   *
   * @default true
   */
  readonly acknowledgementStopsEscalation?: boolean;
}

/**
 * Properties of an escalation plan.
 */
export interface EscalationPlanProps {
  /** The plan's unique alias: 1-255 lower-case letters, digits, '_' or '-', e.g. `pricing-escalation`. */
  readonly alias: string;

  /**
   * The plan's display name: 1-255 letters, digits, '_', '-' or spaces.
   *
   * @default - the alias
   */
  readonly displayName?: string;

  /** The stages, engaged in order until someone acknowledges. */
  readonly stages: EscalationStage[];
}

/**
 * An escalation plan (an `ESCALATION` contact, OPS10-BP04): stages that engage people or on-call schedules in turn until
 * someone acknowledges. Response plans engage it.
 *
 * @example
 * const escalation = new EscalationPlan(platform, 'PricingEscalation', {
 *   alias: 'pricing-escalation',
 *   stages: [{ targets: [primarySchedule] }, { targets: [teamLead], duration: Duration.minutes(15) }],
 * });
 */
export class EscalationPlan extends Construct implements IIncidentContact {
  /**
   * A contact defined elsewhere (an escalation plan, on-call schedule or person), by ARN
   * (`arn:aws:ssm-contacts:<region>:<account>:contact/<alias>`).
   */
  public static fromContactArn(scope: Construct, id: string, contactArn: string): IIncidentContact {
    return new ImportedContact(scope, id, contactArn);
  }

  /**
   * Whether `x` is an EscalationPlan defined in this app (works across copies of this library).
   */
  public static isEscalationPlan(x: unknown): x is EscalationPlan {
    return x !== null && typeof x === 'object' && ESCALATION_PLAN_SYMBOL in (x as object);
  }

  /** ARN of the escalation plan. */
  public readonly contactArn: string;
  /** The plan's alias. */
  public readonly alias: string;
  /** The underlying `AWS::SSMContacts::Contact`. */
  public readonly contact: ssmcontacts.CfnContact;

  constructor(scope: Construct, id: string, props: EscalationPlanProps) {
    super(scope, id);
    Object.defineProperty(this, ESCALATION_PLAN_SYMBOL, { value: true });
    checkProps(this, 'EscalationPlanProps', props, {
      displayName: [Checks.string()],
      stages: [Checks.arrayOf(Checks.object('a stage ({ targets, duration?, acknowledgementStopsEscalation? })'), 'an array of stages')],
    });
    this.alias = validateAlias(this, props.alias);
    checkRequired(this, 'stages', props.stages, Checks.arrayOf(ANY, 'an array of stages'), 'e.g. stages: [{ targets: [primarySchedule] }].');
    if (props.stages.length === 0) fail(this, `escalation plan '${props.alias}' has no stages: give at least one stage with targets.`);
    const plan = props.stages.map((stage, i) => {
      checkProps(this, 'EscalationStage', stage, {
        targets: [Checks.arrayOf(Checks.instance(isIncidentContact, 'a contact (an OnCallContact, OnCallSchedule or imported contact)'), 'an array of contacts')],
        duration: [Checks.duration(), 'e.g. Duration.minutes(10).'],
        acknowledgementStopsEscalation: [Checks.boolean],
      }, `stages[${i}].`);
      checkRequired(this, `stages[${i}].targets`, stage.targets, Checks.arrayOf(ANY, 'an array of contacts'), 'engage at least one contact or schedule.');
      if (stage.targets.length === 0) fail(this, `stage ${i + 1} of escalation plan '${props.alias}' has no targets: engage at least one contact or schedule.`);
      const nested = stage.targets.find((t) => EscalationPlan.isEscalationPlan(t));
      if (nested) {
        fail(this, `stage ${i + 1} of escalation plan '${props.alias}' targets escalation plan '${nested.alias}': ` +
          'escalation plans engage people and on-call schedules; add its stages here instead.');
      }
      return {
        durationInMinutes: wholeMinutes(this, `stage ${i + 1} duration`, stage.duration ?? Duration.minutes(10), MAX_STAGE_MINUTES),
        targets: stage.targets.map((t) => ({
          contactTargetInfo: { contactId: t.contactArn, isEssential: stage.acknowledgementStopsEscalation ?? true },
        })),
      };
    });
    claimPhysicalName(this, PhysicalNameKind.CONTACT, this.alias);
    this.contact = new ssmcontacts.CfnContact(this, 'Resource', {
      alias: this.alias,
      displayName: validateDisplayName(this, props.displayName ?? this.alias),
      type: 'ESCALATION',
      plan,
    });
    withoutOpsTags(this.contact);
    this.contactArn = this.contact.attrArn;
  }
}

class ImportedContact extends Construct implements IIncidentContact {
  public readonly alias: string;

  constructor(scope: Construct, id: string, public readonly contactArn: string) {
    super(scope, id);
    checkRequired(this, 'contactArn', contactArn, Checks.string(), 'Give arn:aws:ssm-contacts:<region>:<account>:contact/<alias>.');
    if (Token.isUnresolved(contactArn)) {
      this.alias = contactArn;
    } else {
      const match = /^arn:aws[a-z-]*:ssm-contacts:[a-z0-9-]+:\d{12}:contact\/([a-z0-9_-]+)$/.exec(contactArn);
      if (!match) fail(this, `contactArn '${contactArn}' is not an SSM Contacts contact ARN (arn:aws:ssm-contacts:<region>:<account>:contact/<alias>).`);
      this.alias = match[1];
    }
  }
}

/**
 * SSM Contacts rejects tag keys with ':', so a contact or rotation tagged `ops:owner` would fail to deploy. A Workload
 * never tags these types (`OpsTags.NO_COLON_TAG_KEY_TYPES`); this also removes `ops:*` tags added with a plain
 * `Tags.of(stack)`. The response plans that engage it carry the workload's tags, and OPS-OwnershipTags exempts these types.
 */
export function withoutOpsTags(resource: CfnResource): void {
  for (const key of OpsTags.ALL_KEYS) Tags.of(resource).remove(key, { includeResourceTypes: OpsTags.NO_COLON_TAG_KEY_TYPES });
}

/** A contact Incident Manager can engage: anything with a contact ARN and an alias (duck-typed, for runtime checks). */
export function isIncidentContact(x: unknown): boolean {
  return x !== null && typeof x === 'object' && typeof (x as IIncidentContact).contactArn === 'string' && typeof (x as IIncidentContact).alias === 'string';
}

/**
 * Check a contact alias (escalation plans and on-call schedules too). Aliases of people, escalation plans and on-call
 * schedules share one namespace per account and region (the contact ARN ends in `contact/<alias>`): the owner claims
 * it with `PhysicalNameKind.CONTACT` once its props are checked.
 */
export function validateAlias(scope: IConstruct, alias: string): string {
  checkRequired(scope, 'alias', alias, Checks.string(), "e.g. alias: 'jane-doe'.");
  if (!Token.isUnresolved(alias) && !ALIAS.test(alias)) {
    fail(scope, `contact alias '${alias}' is invalid: use 1-255 lower-case letters, digits, '_' or '-', e.g. 'jane-doe'.`);
  }
  return alias;
}

/** Check a contact display name. */
export function validateDisplayName(scope: IConstruct, displayName: string): string {
  if (!Token.isUnresolved(displayName) && !DISPLAY_NAME.test(displayName)) {
    fail(scope, `contact displayName '${displayName}' is invalid: use 1-255 letters, digits, '_', '-' or spaces.`);
  }
  return displayName;
}

/** A duration as whole minutes from 0 to `max`. */
function wholeMinutes(scope: IConstruct, what: string, duration: Duration, max: number): number {
  if (!isDuration(duration)) fail(scope, `${what} must be a Duration (e.g. Duration.minutes(5)), got ${describeValue(duration)}.`);
  const seconds = duration.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) return duration.toMinutes();
  if (seconds % 60 !== 0 || seconds < 0 || seconds / 60 > max) {
    const given = seconds % 60 === 0 ? `${seconds / 60} minutes` : duration.toHumanString();
    fail(scope, `${what} is ${given}; it must be 0 to ${max} whole minutes.`);
  }
  return seconds / 60;
}
