import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import { Construct } from 'constructs';
import { IIncidentContact, isIncidentContact } from './contacts';
import { IncidentAutomation, isRunbookLike, renderAutomation } from './incident-automation';
import { IIncidentManagerSetup, IncidentManagerSetup, isDefinedSetup } from './incident-manager-setup';
import { IResponsePlan } from '../core/alarm-destination';
import { Check, Checks, checkProps, checkRequired } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';

/** Response plan names (Incident Manager): 1-200 letters, digits, '_' or '-'. */
const RESPONSE_PLAN_NAME = /^[a-zA-Z0-9_-]{1,200}$/;
/** Limits of AWS::SSMIncidents::ResponsePlan. */
const LIMITS = { displayName: 200, title: 200, summary: 4000, dedupeString: 1000, engagements: 5, notificationTargets: 10, incidentTags: 50 };

const isTopic = (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as sns.ITopic).topicArn === 'string';
const TOPIC = Checks.instance(isTopic, 'an SNS topic (sns.ITopic)');

/** Runtime shape checks of the props a response plan shares with `IncidentResponse` (internal). */
export const SHARED_PLAN_CHECKS: Record<string, readonly [Check, string?]> = {
  engagements: [Checks.arrayOf(Checks.instance(isIncidentContact, 'a contact (an EscalationPlan, OnCallSchedule, OnCallContact or imported contact)'),
    'an array of contacts')],
  chatChannel: [TOPIC],
  notificationTopics: [Checks.arrayOf(TOPIC, 'an array of SNS topics')],
  automation: [Checks.instance((v) => v !== null && typeof v === 'object' && isRunbookLike((v as IncidentAutomation).runbook),
    'an IncidentAutomation ({ runbook, parameters?, ... }) whose runbook is a Runbook'), 'e.g. automation: { runbook: restartQuotes }.'],
  setup: [Checks.instance(IncidentManagerSetup.isIncidentManagerSetup, 'an IncidentManagerSetup (defined, or imported with fromReplicationSetArn)')],
  summary: [Checks.string()],
};

/**
 * Properties of a response plan.
 */
export interface ResponsePlanProps {
  /** The plan's unique name: 1-200 letters, digits, '_' or '-'. Alarms open incidents by this name. */
  readonly responsePlanName: string;

  /**
   * The plan's display name in the console (1-200 characters).
   *
   * @default - the response plan name
   */
  readonly displayName?: string;

  /** The title of incidents opened with this plan (at most 200 characters). */
  readonly title: string;

  /** The impact of incidents opened with this plan: 1 (critical) to 5 (no impact). */
  readonly impact: number;

  /**
   * A summary of incidents opened with this plan (1-4,000 characters).
   *
   * @default - none
   */
  readonly summary?: string;

  /**
   * Incidents with the same dedupe string are merged into the open one, so one cause opens one incident
   * (1-1,000 characters).
   *
   * @default - the response plan name: while an incident of this plan is open, further alarms join it
   */
  readonly dedupeString?: string;

  /**
   * Tags added to every incident record opened with this plan (at most 50).
   *
   * @default - none
   */
  readonly incidentTags?: { [key: string]: string };

  /**
   * Who to engage when an incident opens: escalation plans (recommended), on-call schedules or people; at most 5.
   *
   * @default - none: incidents open but engage nobody (warns `cdk-operable:incident-no-engagement`)
   */
  readonly engagements?: IIncidentContact[];

  /**
   * The SNS topic of the AWS Chatbot channel responders talk in. Incident Manager is allowed to publish to it.
   *
   * @default - no chat channel
   */
  readonly chatChannel?: sns.ITopic;

  /**
   * SNS topics told about incident updates (at most 10). Incident Manager is allowed to publish to them.
   *
   * @default - none
   */
  readonly notificationTopics?: sns.ITopic[];

  /**
   * The runbook to start when an incident opens, with the incident's involved resources.
   *
   * @default - no runbook
   */
  readonly automation?: IncidentAutomation;

  /**
   * The Incident Manager setup (replication set) the plan depends on.
   *
   * @default - the IncidentManagerSetup defined (or imported) in the app; fails when there is none
   */
  readonly setup?: IIncidentManagerSetup;
}

/**
 * An Incident Manager response plan (OPS10-BP01): the incident template, who to engage, the chat channel, and the
 * runbook started with the incident's involved resources. It depends explicitly on the account's replication set.
 * Route alarms to it with `AlarmDestination.responsePlan(plan)`.
 *
 * Usually created by `IncidentResponse`, one per severity of a workload.
 */
export class ResponsePlan extends Construct implements IResponsePlan {
  /** The plan's name. */
  public readonly responsePlanName: string;
  /** ARN of the plan. */
  public readonly responsePlanArn: string;
  /** The impact of its incidents, 1 (critical) to 5 (no impact). */
  public readonly impact: number;
  /** The setup the plan depends on. */
  public readonly setup: IIncidentManagerSetup;
  /** The underlying `AWS::SSMIncidents::ResponsePlan`. */
  public readonly resource: ssmincidents.CfnResponsePlan;
  /**
   * The role Incident Manager starts the runbook with.
   * @default - none, when the plan starts no runbook
   */
  public readonly automationRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: ResponsePlanProps) {
    super(scope, id);
    checkProps(this, 'ResponsePlanProps', props, {
      ...SHARED_PLAN_CHECKS,
      displayName: [Checks.string()],
      title: [Checks.string()],
      dedupeString: [Checks.string()],
      incidentTags: [Checks.object('an object of tag values by key')],
    });
    checkRequired(this, 'responsePlanName', props.responsePlanName, Checks.string(), "e.g. responsePlanName: 'freight-page'.");
    checkRequired(this, 'title', props.title, Checks.string(), "e.g. title: 'freight PAGE'.");
    checkRequired(this, 'impact', props.impact, Checks.number(), 'Give 1 (critical) to 5 (no impact).');
    const name = props.responsePlanName;
    if (Token.isUnresolved(name)) fail(this, 'responsePlanName must be a plain string known at synth (alarm actions name the plan), got a token.');
    if (!RESPONSE_PLAN_NAME.test(name)) {
      fail(this, `response plan name '${name}' is invalid: use 1-200 letters, digits, '_' or '-' (Incident Manager rejects anything else).`);
    }
    this.responsePlanName = name;
    if (Token.isUnresolved(props.impact) || !Number.isInteger(props.impact) || props.impact < 1 || props.impact > 5) {
      fail(this, `impact must be a whole number from 1 (critical) to 5 (no impact), got ${props.impact}.`);
    }
    this.impact = props.impact;
    const displayName = props.displayName ?? name;
    checkLength(this, 'displayName', displayName, 1, LIMITS.displayName);
    checkLength(this, 'title', props.title, 1, LIMITS.title);
    if (props.summary !== undefined) checkLength(this, 'summary', props.summary, 1, LIMITS.summary);
    const dedupeString = props.dedupeString ?? name;
    checkLength(this, 'dedupeString', dedupeString, 1, LIMITS.dedupeString);

    const engagements = props.engagements ?? [];
    if (engagements.length > LIMITS.engagements) {
      fail(this, `engagements has ${engagements.length} contacts (${engagements.map((e) => e.alias).join(', ')}); a response plan engages at most ` +
        `${LIMITS.engagements}: engage an escalation plan that stages them.`);
    }
    const twice = engagements.find((e, i) => engagements.indexOf(e) !== i);
    if (twice) fail(this, `engagements lists contact '${twice.alias}' (${twice.node.path}) twice: engage each contact once.`);
    if (engagements.length === 0) {
      warn(this, Warnings.INCIDENT_NO_ENGAGEMENT, `response plan '${name}' engages nobody: incidents open, but nobody ` +
        'is paged. Engage an escalation plan (engagements: [escalationPlan]), OPS10-BP04.');
    }
    const topics = props.notificationTopics ?? [];
    if (topics.length > LIMITS.notificationTargets) {
      fail(this, `notificationTopics has ${topics.length} topics; a response plan notifies at most ${LIMITS.notificationTargets}.`);
    }
    const incidentTags = Object.entries(props.incidentTags ?? {});
    if (incidentTags.length > LIMITS.incidentTags) fail(this, `incidentTags has ${incidentTags.length} tags; incidents take at most ${LIMITS.incidentTags}.`);
    for (const [key, value] of incidentTags) {
      if (!/^(?!aws:)[a-zA-Z0-9+\-=._:/]{1,128}$/.test(key) || typeof value !== 'string' || value.length === 0 || value.length > 256) {
        fail(this, `incident tag '${key}=${value}' is invalid: keys are 1-128 letters, digits or + - = . _ : / (not starting with aws:), values 1-256 characters.`);
      }
    }

    this.setup = props.setup ?? IncidentManagerSetup.find(this) ?? fail(this, `response plan '${name}' needs Incident Manager's replication set, ` +
      "and the app defines none (yet): create `new IncidentManagerSetup(platformStack, 'IncidentManager')` before the response plans, " +
      'import an existing one with IncidentManagerSetup.fromReplicationSetArn(...), or pass setup.');
    this.checkSetup(this.setup);

    const automation = props.automation ? renderAutomation(this, name, props.automation) : undefined;
    claimPhysicalName(this, PhysicalNameKind.RESPONSE_PLAN, name);
    this.automationRole = automation?.role;
    for (const topic of [...topics, ...(props.chatChannel ? [props.chatChannel] : [])]) allowIncidentManager(topic);

    this.resource = new ssmincidents.CfnResponsePlan(this, 'Resource', {
      name,
      displayName,
      incidentTemplate: {
        title: props.title,
        impact: props.impact,
        summary: props.summary,
        dedupeString,
        ...(incidentTags.length > 0 ? { incidentTags: incidentTags.map(([key, value]) => ({ key, value })) } : {}),
        ...(topics.length > 0 ? { notificationTargets: topics.map((t) => ({ snsTopicArn: t.topicArn })) } : {}),
      },
      engagements: engagements.length > 0 ? engagements.map((e) => e.contactArn) : undefined,
      chatChannel: props.chatChannel ? { chatbotSns: [props.chatChannel.topicArn] } : undefined,
      actions: automation ? [automation.action] : undefined,
    });
    this.responsePlanArn = this.resource.attrArn;
    // The replication set must exist before any plan; the runbook and the role's policy before an incident starts it.
    if (isDefinedSetup(this.setup)) this.resource.addResourceDependency(this.setup.replicationSet, 'a response plan needs the replication set');
    // The runbook must exist before an incident can start it; the role is referenced (GetAtt) and its policy is inline.
    if (props.automation) this.resource.node.addDependency(props.automation.runbook);
  }

  private checkSetup(setup: IIncidentManagerSetup): void {
    const [here, there] = [Stack.of(this), Stack.of(setup)];
    if (!Token.isUnresolved(here.account) && !Token.isUnresolved(there.account) && here.account !== there.account) {
      fail(this, `response plan '${this.responsePlanName}' is in account ${here.account}, but its setup ${setup.node.path} is in account ` +
        `${there.account}: the replication set is per account; use the setup of ${here.account}.`);
    }
    const regions = setup.regions.filter((r) => !Token.isUnresolved(r));
    if (!Token.isUnresolved(here.region) && regions.length > 0 && regions.length === setup.regions.length && !regions.includes(here.region)) {
      fail(this, `response plan '${this.responsePlanName}' is in region ${here.region}, which the replication set ${setup.node.path} does not ` +
        `include (${regions.join(', ')}): add the region to the setup's regions, or define the plan in one of them.`);
    }
  }
}

function checkLength(scope: Construct, what: string, value: string, min: number, max: number): void {
  if (Token.isUnresolved(value)) return;
  if (value.length < min || value.length > max) fail(scope, `${what} is ${value.length} characters; it must be ${min}-${max}.`);
}

/** Topics Incident Manager may publish to already (one statement per topic: Sids must be unique). */
const ALLOWED_TOPICS = new WeakSet<sns.ITopic>();

/** Let Incident Manager publish to a topic of this app (imported topics keep their own policy). */
function allowIncidentManager(topic: sns.ITopic): void {
  if (ALLOWED_TOPICS.has(topic)) return;
  ALLOWED_TOPICS.add(topic);
  const account = Stack.of(topic).account;
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'IncidentManagerPublish',
    principals: [new iam.ServicePrincipal('ssm-incidents.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEqualsIfExists: { 'aws:SourceAccount': account } },
  }));
}
