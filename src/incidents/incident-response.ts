import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IIncidentContact } from './contacts';
import { IncidentAutomation } from './incident-automation';
import { IIncidentManagerSetup, IncidentManagerSetup } from './incident-manager-setup';
import { ResponsePlan, SHARED_PLAN_CHECKS } from './response-plan';
import { AlarmDestination } from '../core/alarm-destination';
import { Checks, checkProps } from '../core/checks';
import { fail } from '../core/errors';
import { OpsTags } from '../core/ops-tags';
import { Severity } from '../core/severity';
import { Workload } from '../core/workload';

/** The least severe impact Incident Manager knows (5 = no impact). */
const LEAST_IMPACT = 5;

/**
 * Properties of a workload's incident response.
 */
export interface IncidentResponseProps {
  /**
   * The Incident Manager setup (replication set) every plan depends on.
   *
   * @default - the IncidentManagerSetup defined (or imported) in the app; fails when there is none
   */
  readonly setup?: IIncidentManagerSetup;

  /**
   * Who to engage when an incident opens: an escalation plan (recommended), on-call schedules or people; at most 5.
   *
   * @default - none: incidents open but engage nobody (warns `cdk-operable:incident-no-engagement`)
   */
  readonly engagements?: IIncidentContact[];

  /**
   * The runbook to start when an incident opens, with the incident's involved resources.
   *
   * @default - no runbook
   */
  readonly automation?: IncidentAutomation;

  /**
   * The SNS topic of the AWS Chatbot channel responders talk in.
   *
   * @default - no chat channel
   */
  readonly chatChannel?: sns.ITopic;

  /**
   * SNS topics told about incident updates (at most 10).
   *
   * @default - none
   */
  readonly notificationTopics?: sns.ITopic[];

  /**
   * The severities to create a response plan for. Tickets usually go to OpsItems (`AlarmDestination.opsItem`), so
   * only pages open incidents unless TICKET is listed too.
   *
   * @default [Severity.PAGE]
   */
  readonly severities?: Severity[];

  /**
   * The impact of page incidents, 1 (critical) to 5 (no impact). Ticket incidents are one level less severe (at most 5).
   *
   * @default - the workload tier's `incidentImpact`: critical 1, standard 3, best-effort 5
   */
  readonly impact?: number;

  /**
   * The summary of every incident (1-4,000 characters).
   *
   * @default - names the workload, severity, tier, owner and on-call, and points to the runbook in the alarm
   */
  readonly summary?: string;

  /**
   * The first part of each plan's name, `<prefix>-<severity>` (plan names allow letters, digits, '_' and '-').
   *
   * @default - the workload name
   */
  readonly namePrefix?: string;
}

/**
 * A workload's incident response (OPS10-BP01/04/07): one Incident Manager response plan per severity (PAGE by default),
 * with the impact of the workload's tier, a dedupe string so one cause opens one incident, the workload's escalation,
 * an optional chat channel, and a runbook started with the incident's involved resources. Every plan depends on the
 * account's `IncidentManagerSetup`.
 *
 * Route page composites to it with `AlarmDestination.responsePlan(response.pagePlan)` (or `response.destinationFor(
 * Severity.PAGE)`) on a service's or SLO's `routing`; tickets to `AlarmDestination.opsItem(...)`.
 *
 * @example
 * const response = new IncidentResponse(workload, 'IncidentResponse', {
 *   engagements: [escalation],
 *   automation: { runbook: restartQuotes },
 * });
 * new OperableFunction(workload, 'Quotes', {
 *   functionProps,
 *   routing: new AlarmRouting({ page: [AlarmDestination.responsePlan(response.pagePlan)] }),
 * });
 */
export class IncidentResponse extends Construct {
  /** The workload. */
  public readonly workload: Workload;
  /** The response plans, one per severity, in the order of `severities`. */
  public readonly plans: ResponsePlan[];

  private readonly bySeverity = new Map<Severity, ResponsePlan>();

  constructor(scope: Construct, id: string, props: IncidentResponseProps = {}) {
    super(scope, id);
    checkProps(this, 'IncidentResponseProps', props, {
      ...SHARED_PLAN_CHECKS,
      severities: [Checks.arrayOf(Checks.enumOf(Severity, 'Severity'), 'an array of Severity'), 'e.g. severities: [Severity.PAGE].'],
      impact: [Checks.number({ integer: true, min: 1, max: 5 }), 'Give 1 (critical) to 5 (no impact), or leave impact out for the tier\'s.'],
      namePrefix: [Checks.string({ nonEmpty: true, tokens: false }), 'Give a literal prefix (response plan names must be known at synth).'],
    });
    const workload = Workload.of(this);
    this.workload = workload;
    const severities = props.severities ?? [Severity.PAGE];
    if (severities.length === 0) fail(this, 'severities is empty: list at least Severity.PAGE.');
    const duplicate = severities.find((s, i) => severities.indexOf(s) !== i);
    if (duplicate) fail(this, `severities lists ${duplicate} twice.`);
    const pageImpact = props.impact ?? workload.tier.incidentImpact;
    const prefix = props.namePrefix ?? workload.workloadName;
    const setup = props.setup ?? IncidentManagerSetup.find(this);

    this.plans = severities.map((severity) => {
      const plan = new ResponsePlan(this, severity === Severity.PAGE ? 'Page' : 'Ticket', {
        responsePlanName: `${prefix}-${severity.toLowerCase()}`,
        displayName: `${workload.workloadName} ${severity.toLowerCase()} incidents`,
        title: `${workload.workloadName} ${severity}`,
        impact: severity === Severity.PAGE ? pageImpact : Math.min(pageImpact + 1, LEAST_IMPACT),
        summary: props.summary ?? defaultSummary(workload, severity),
        incidentTags: {
          [OpsTags.WORKLOAD]: workload.workloadName,
          [OpsTags.OWNER]: workload.owner.team,
          [OpsTags.ONCALL]: workload.owner.onCall,
          [OpsTags.TIER]: workload.tier.name,
        },
        engagements: props.engagements,
        chatChannel: props.chatChannel,
        notificationTopics: props.notificationTopics,
        automation: props.automation,
        setup,
      });
      this.bySeverity.set(severity, plan);
      return plan;
    });
  }

  /** The plan that page composites open incidents with. */
  public get pagePlan(): ResponsePlan {
    return this.planFor(Severity.PAGE);
  }

  /** The names of the response plans, in the order of `severities`. */
  public get responsePlanNames(): string[] {
    return this.plans.map((p) => p.responsePlanName);
  }

  /**
   * The response plan of a severity; throws when this response has none for it.
   */
  public planFor(severity: Severity): ResponsePlan {
    const plan = this.bySeverity.get(severity);
    if (!plan) {
      fail(this, `has no response plan for severity ${severity} (it has ${[...this.bySeverity.keys()].join(', ')}): ` +
        `add Severity.${severity} to severities.`);
    }
    return plan;
  }

  /**
   * An alarm destination that opens an incident with the plan of `severity` (see `AlarmDestination.responsePlan`).
   */
  public destinationFor(severity: Severity): AlarmDestination {
    return AlarmDestination.responsePlan(this.planFor(severity));
  }
}

function defaultSummary(workload: Workload, severity: Severity): string {
  return `${severity === Severity.PAGE ? 'A page' : 'A ticket'} alarm of workload ${workload.workloadName} (tier ${workload.tier.name}) fired. ` +
    `Owner: ${workload.owner.team}; on-call: ${workload.owner.onCall}. The alarm description names the runbook, playbook and dashboard.`;
}
