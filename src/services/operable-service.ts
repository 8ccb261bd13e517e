import { Annotations, Duration, Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { WorkloadRollup } from './workload-rollup';
import { AlarmDescription } from '../core/alarm-description';
import { AlarmRouting } from '../core/alarm-routing';
import { compactAlarm, compactString } from '../core/compact';
import { fail, WarningIds } from '../core/errors';
import { alarmName, kebab, validateName } from '../core/naming';
import { OpsTags } from '../core/ops-tags';
import { CloudWatchPricing } from '../core/pricing';
import { attachServiceContext, SloConditions } from '../core/service-context';
import { Severity } from '../core/severity';
import { Workload } from '../core/workload';
import { GoldenSignals } from '../core/golden-signals';
import { ServiceDashboard } from '../dashboards/service-dashboard';
import { Playbook } from '../runbooks/playbook';
import { validateDocumentName } from '../runbooks/runbook';
import { BurnRatePolicy } from '../slo/burn-rate-policy';
import { Sli } from '../slo/sli';
import { ServiceLevelObjective } from '../slo/slo';

/**
 * Properties every operable service shares.
 */
export interface OperableServiceProps {
  /**
   * Name of the service: the `ops:service` tag and the second part of alarm and dashboard names.
   *
   * @default - the construct id in kebab case, e.g. `QuoteApi` → `quote-api`
   */
  readonly serviceName?: string;

  /**
   * The runbook every alarm of the service links to: a URL or an SSM Automation document name.
   *
   * @default - `<workload runbookBaseUrl>/<service>`, or none (with a `cdk-operable:no-runbook` warning)
   */
  readonly runbook?: string;

  /**
   * The playbook every alarm of the service links to (a URL or an SSM Automation document name), when it is
   * defined elsewhere.
   *
   * @default - the generated investigation playbook's name when `generatePlaybook`, else none
   */
  readonly playbook?: string;

  /**
   * Generate an investigation playbook (an SSM Automation document: the alarm's history, the golden signals, a Logs
   * Insights query, and a summary) and name it in the footer of every alarm of the service.
   *
   * @default - true when the service would otherwise name neither a runbook nor a playbook
   */
  readonly generatePlaybook?: boolean;

  /**
   * Where the service's page and ticket composites notify.
   *
   * @default - the workload's routing
   */
  readonly routing?: AlarmRouting;

  /**
   * Create the service dashboard.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Name of the service dashboard.
   *
   * @default `<workload>-<service>`
   */
  readonly dashboardName?: string;
}

/**
 * What an SLO added with `addSlo` takes: an SLO's properties without its service.
 */
export interface ServiceSloOptions {
  /** What is measured. */
  readonly sli: Sli;
  /**
   * Target percentage.
   * @default - the workload tier's objective
   */
  readonly objective?: number;
  /**
   * Rolling period.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
  /**
   * Burn-rate policy.
   * @default BurnRatePolicy.SRE_WORKBOOK
   */
  readonly policy?: BurnRatePolicy;
  /**
   * Low-traffic guard on long windows.
   * @default - the policy's
   */
  readonly minBadEvents?: number;
  /**
   * Name of the SLO.
   * @default - the construct id in kebab case
   */
  readonly sloName?: string;
  /**
   * What good looks like to users.
   * @default - generated from the SLI
   */
  readonly description?: string;
  /**
   * Also create an Application Signals SLO.
   * @default false
   */
  readonly applicationSignals?: boolean;
}

/**
 * An operational alarm that opens a ticket through its service.
 */
export interface OperationalAlarmOptions {
  /** What is watched. */
  readonly metric: cloudwatch.IMetric;
  /** The threshold. */
  readonly threshold: number;
  /** One line saying what is wrong, for the alarm description. */
  readonly summary: string;
  /**
   * How the metric is compared with the threshold.
   * @default ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * Periods evaluated.
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods needed to alarm.
   * @default - all evaluated periods
   */
  readonly datapointsToAlarm?: number;
  /**
   * How missing data is treated.
   * @default TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /**
   * Last part of the alarm name, `<workload>-<service>-<suffix>`.
   * @default - the construct id in kebab case
   */
  readonly alarmNameSuffix?: string;
}

/**
 * An anomaly-detection alarm that opens a ticket through its service.
 */
export interface AnomalyAlarmOptions {
  /** What is watched (a rate or count with a daily or weekly pattern). */
  readonly metric: cloudwatch.IMetric;
  /** One line saying what is wrong, for the alarm description. */
  readonly summary: string;
  /**
   * Width of the expected band, in standard deviations.
   * @default 3
   */
  readonly stdDevs?: number;
  /**
   * Which side of the band breaches.
   * @default ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * Periods evaluated (all must breach).
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Last part of the alarm name, `<workload>-<service>-<suffix>`.
   * @default - the construct id in kebab case
   */
  readonly alarmNameSuffix?: string;
}

/** A Logs Insights query a service shows on its dashboard (internal). */
export interface ServiceLogQuery {
  readonly title: string;
  readonly logGroups: logs.ILogGroup[];
  readonly query: string;
}

const OPERABLE_SERVICE_SYMBOL = Symbol.for('cdk-operable.OperableService');

/**
 * An operable service, as game days, feature flags and the workload rollup accept it: any construct that pages and
 * tickets through its own composites for one named service of a workload.
 */
export interface IOperableService extends IConstruct {
  /** Name of the service (the `ops:service` tag). */
  readonly serviceName: string;
  /** The workload the service belongs to. */
  readonly workload: Workload;
  /** The composite that pages for the service. */
  readonly pageAlarm: cloudwatch.IAlarm;
  /** The composite that opens a ticket for the service; suppressed while it pages. */
  readonly ticketAlarm: cloudwatch.IAlarm;

  /** Add an alarm that opens a ticket through the service's ticket composite (the alarm itself gets no actions). */
  addTicketAlarm(alarm: cloudwatch.IAlarm): void;
}

/**
 * The base of every operable service (OperableFunction, OperableRestApi, OperableHttpApi): ownership tags, one
 * page composite and one ticket composite for all of the service's SLOs and operational alarms — so an incident
 * that burns several SLOs pages once — the service dashboard, and registration in the workload rollup.
 */
export abstract class OperableService extends Construct implements IOperableService {
  /**
   * Whether `x` is an operable service of this library (works across copies of it).
   */
  public static isOperableService(x: unknown): x is OperableService {
    return x !== null && typeof x === 'object' && OPERABLE_SERVICE_SYMBOL in (x as object);
  }

  /** Name of the service. */
  public readonly serviceName: string;
  /** The workload the service belongs to. */
  public readonly workload: Workload;
  /**
   * The runbook the service's alarms link to.
   * @default - none
   */
  public readonly runbook?: string;
  /**
   * The playbook the service's alarms link to.
   * @default - none
   */
  public readonly playbook?: string;
  /** The composite that pages when any SLO of the service burns fast. */
  public readonly pageAlarm: cloudwatch.CompositeAlarm;
  /** The composite that opens a ticket on slow burns and operational alarms; suppressed while the page fires. */
  public readonly ticketAlarm: cloudwatch.CompositeAlarm;
  /**
   * The service dashboard.
   * @default - none when `dashboard: false`
   */
  public readonly dashboard?: ServiceDashboard;
  /** The workload rollup (workload page composite and dashboard) this service is part of. */
  public readonly rollup: WorkloadRollup;

  private readonly generatePlaybook: boolean;
  private playbookConstruct?: Playbook;
  private readonly conditions: SloConditions[] = [];
  private readonly ticketAlarms: cloudwatch.IAlarm[] = [];
  private readonly sloList: ServiceLevelObjective[] = [];

  protected constructor(scope: Construct, id: string, props: OperableServiceProps) {
    super(scope, id);
    Object.defineProperty(this, OPERABLE_SERVICE_SYMBOL, { value: true });
    this.workload = Workload.of(this);
    this.serviceName = validateName(this, 'serviceName', props.serviceName ?? kebab(id));
    this.runbook = props.runbook ?? this.workload.runbookServiceUrl(this.serviceName);
    if (props.generatePlaybook && props.playbook !== undefined) {
      fail(this, `give playbook ('${props.playbook}', one defined elsewhere) or generatePlaybook, not both.`);
    }
    this.generatePlaybook = props.generatePlaybook ?? (this.runbook === undefined && props.playbook === undefined);
    this.playbook = props.playbook ?? (this.generatePlaybook ? `${this.workload.workloadName}-${this.serviceName}-playbook` : undefined);
    if (this.playbook !== undefined && this.generatePlaybook) validateDocumentName(this, this.playbook);
    if (this.runbook !== undefined) OpsTags.validate(this, OpsTags.RUNBOOK, this.runbook);
    OpsTags.apply(this, OpsTags.SERVICE, this.serviceName);

    if (props.dashboard ?? true) {
      this.dashboard = new ServiceDashboard(this, 'Dashboard', {
        serviceName: this.serviceName,
        dashboardName: props.dashboardName,
        runbook: this.runbook,
        playbook: this.playbook,
      });
    }
    attachServiceContext(this, {
      serviceName: this.serviceName,
      runbook: this.runbook,
      playbook: this.playbook,
      dashboardUrl: this.dashboard?.dashboardUrl,
      combiner: { addSloConditions: (c) => this.addSloConditions(c) },
    });

    this.pageAlarm = new cloudwatch.CompositeAlarm(this, 'Page', {
      compositeAlarmName: alarmName(this, [this.workload.workloadName, this.serviceName, 'page']),
      alarmDescription: this.describe(Severity.PAGE, () =>
        `Page: service ${this.serviceName} is burning an SLO's error budget fast (${this.sloSummary()}).`),
      alarmRule: lazyRule(this, () => this.conditions.map((c) => c.page)),
    });
    this.ticketAlarm = new cloudwatch.CompositeAlarm(this, 'Ticket', {
      compositeAlarmName: alarmName(this, [this.workload.workloadName, this.serviceName, 'ticket']),
      alarmDescription: this.describe(Severity.TICKET, () =>
        `Ticket: service ${this.serviceName} needs attention: slow error-budget burn (${this.sloSummary()}) or an operational alarm ` +
        `(${plural(this.ticketAlarms.length, 'alarm')}); suppressed while the service pages.`),
      alarmRule: lazyRule(this, () => [...this.conditions.flatMap((c) => (c.ticket ? [c.ticket] : [])), ...this.ticketAlarms]),
      actionsSuppressor: this.pageAlarm,
      actionsSuppressorWaitPeriod: Duration.minutes(2),
      actionsSuppressorExtensionPeriod: Duration.hours(6),
    });
    // The suppression periods follow the SLOs' policies, which are only known once the SLOs exist.
    const cfnTicket = this.ticketAlarm.node.defaultChild as cloudwatch.CfnCompositeAlarm;
    cfnTicket.actionsSuppressorWaitPeriod = Lazy.number({
      produce: () => Math.max(120, ...this.conditions.map((c) => c.ticketSuppressionWaitSeconds)),
    });
    cfnTicket.actionsSuppressorExtensionPeriod = Lazy.number({
      produce: () => Math.max(60, ...this.conditions.map((c) => c.ticketSuppressionExtensionSeconds)),
    });

    if (this.runbookTag !== undefined) {
      OpsTags.applyRunbook(this.pageAlarm, this.runbookTag);
      OpsTags.applyRunbook(this.ticketAlarm, this.runbookTag);
    }
    const routing = props.routing ?? this.workload.routing ?? new AlarmRouting();
    routing.applyTo(this.pageAlarm, Severity.PAGE);
    routing.applyTo(this.ticketAlarm, Severity.TICKET);
    if (routing.page.length === 0) {
      Annotations.of(this).addWarningV2(WarningIds.NO_PAGE_DESTINATION,
        'the service page composite notifies nobody: give the workload (or this service) an AlarmRouting with page destinations (OPS08-BP04).');
    }
    if (routing.ticket.length === 0) {
      Annotations.of(this).addWarningV2(WarningIds.NO_TICKET_DESTINATION,
        'the service ticket composite notifies nobody: give the workload (or this service) an AlarmRouting with ticket destinations.');
    }
    if (this.runbook === undefined && this.playbook === undefined) {
      Annotations.of(this).addWarningV2(WarningIds.NO_RUNBOOK,
        "the service's alarms name no runbook or playbook: set the workload's runbookBaseUrl, this service's runbook, or generatePlaybook " +
        '(OPS07-BP03, OPS10-BP02).');
    }
    this.workload.registerPageAlarm(this.pageAlarm);
    // The status widget shows what notifies and the operational alarms; window alarms show as burn-rate graphs.
    this.dashboard?.addAlarms(this.pageAlarm, this.ticketAlarm);
    this.rollup = WorkloadRollup.of(this);
    this.rollup.addService(this);
    this.node.addValidation({
      validate: () => (this.conditions.length === 0
        ? [`Service '${this.serviceName}' has no SLO, so its page composite can never fire. Keep the default SLOs or add one with addSlo().`]
        : []),
    });
  }

  /**
   * The generated investigation playbook.
   * @default - none unless `generatePlaybook`
   */
  public get playbookDocument(): Playbook | undefined {
    return this.playbookConstruct;
  }

  /** The SLOs of the service. */
  public get slos(): ServiceLevelObjective[] {
    return [...this.sloList];
  }

  /** Every alarm of the service: SLO window alarms, operational alarms and the two composites. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.conditions.flatMap((c) => c.windowAlarms), ...this.ticketAlarms, this.pageAlarm, this.ticketAlarm];
  }

  /** Monthly list price (US$) of the service's alarms and dashboard; see `CloudWatchPricing`. */
  public get estimatedMonthlyCostUsd(): number {
    return CloudWatchPricing.estimateMonthlyUsd(this);
  }

  /**
   * Add an SLO to the service. It pages and tickets through the service's composites.
   */
  public addSlo(id: string, options: ServiceSloOptions): ServiceLevelObjective {
    return new ServiceLevelObjective(this, id, { ...options, serviceName: this.serviceName });
  }

  /**
   * Create an operational alarm (contract name and description, no actions) that tickets through the service.
   */
  public addOperationalAlarm(id: string, options: OperationalAlarmOptions): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: alarmName(this, [this.workload.workloadName, this.serviceName, validateName(this, 'alarmNameSuffix', options.alarmNameSuffix ?? kebab(id))]),
      alarmDescription: this.describe(Severity.TICKET, () => `${options.summary} Tickets through ${this.serviceName}'s ticket composite; no actions of its own.`),
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    compactAlarm(alarm);
    if (this.runbookTag !== undefined) OpsTags.applyRunbook(alarm, this.runbookTag);
    this.addTicketAlarm(alarm);
    return alarm;
  }

  /**
   * Create an anomaly-detection alarm (contract name and description, no actions) that tickets through the service.
   */
  public addAnomalyAlarm(id: string, options: AnomalyAlarmOptions): cloudwatch.AnomalyDetectionAlarm {
    const alarm = new cloudwatch.AnomalyDetectionAlarm(this, id, {
      alarmName: alarmName(this, [this.workload.workloadName, this.serviceName, validateName(this, 'alarmNameSuffix', options.alarmNameSuffix ?? kebab(id))]),
      alarmDescription: this.describe(Severity.TICKET, () => `${options.summary} Tickets through ${this.serviceName}'s ticket composite; no actions of its own.`),
      metric: options.metric,
      stdDevs: options.stdDevs ?? 3,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    compactAlarm(alarm);
    if (this.runbookTag !== undefined) OpsTags.applyRunbook(alarm, this.runbookTag);
    this.addTicketAlarm(alarm);
    return alarm;
  }

  /**
   * Add an alarm that opens a ticket through the service's ticket composite (the alarm itself gets no actions).
   */
  public addTicketAlarm(alarm: cloudwatch.IAlarm): void {
    if (!this.ticketAlarms.includes(alarm)) this.ticketAlarms.push(alarm);
    this.dashboard?.addAlarms(alarm);
    this.playbookConstruct?.addAlarm(alarm);
  }

  /**
   * Show the service's golden signals and recent-errors query on its dashboard, and build the investigation
   * playbook from them (internal: each service kind calls it once it knows its metrics).
   * @internal
   */
  public _addSignals(signals: GoldenSignals, logQuery?: ServiceLogQuery): void {
    this.dashboard?.addGoldenSignals(signals);
    if (logQuery) this.dashboard?.addLogQuery(logQuery.title, logQuery.logGroups, logQuery.query);
    if (!this.generatePlaybook || this.playbookConstruct) return;
    const dashboard = this.dashboard ? `Open the dashboard ${this.dashboard.dashboardName}: which golden signal moved first, and when?` : undefined;
    this.playbookConstruct = new Playbook(this, 'Playbook', {
      documentName: this.playbook,
      title: `Investigate ${this.serviceName} (${this.workload.workloadName})`,
      symptoms: [
        `The page composite ${this.workload.workloadName}-${this.serviceName}-page fired: an SLO of ${this.serviceName} burns its error budget fast.`,
        `The ticket composite ${this.workload.workloadName}-${this.serviceName}-ticket fired: a slow burn, or an operational alarm (saturation, failures).`,
      ],
      checks: [
        'Run this playbook with the firing alarm as AlarmName and read its Summary output.',
        ...(dashboard ? [dashboard] : []),
        'Was anything deployed or reconfigured in the last hour (a release, a feature flag, an infrastructure change)?',
      ],
      hypotheses: [
        'A recent deployment or configuration change introduced errors or latency.',
        'A dependency (database, downstream API, queue) is slow or failing.',
        'Traffic outgrew capacity: throttles, concurrency, connection limits.',
        'A client sends bad requests (a rise in 4XX or validation errors).',
      ],
      nextSteps: [
        'A deployment: roll it back, then investigate.',
        'A dependency: check its dashboard and on-call; fail over or shed load if you can.',
        'Capacity: raise the limit or scale out, then review the capacity plan.',
        `Not clear within 30 minutes: escalate to ${this.workload.owner.escalation ?? this.workload.owner.onCall}.`,
      ],
      alarms: this.alarms,
      signals,
      logGroups: logQuery?.logGroups,
      logQuery: logQuery?.query,
    });
  }

  private get runbookTag(): string | undefined {
    return this.runbook ?? this.playbook;
  }

  private addSloConditions(conditions: SloConditions): { pageAlarm: cloudwatch.IAlarm; ticketAlarm?: cloudwatch.IAlarm } {
    const slo = conditions.slo as ServiceLevelObjective;
    const clash = this.sloList.find((other) => other.sloName === slo.sloName);
    if (clash) {
      fail(slo, `sloName '${slo.sloName}' is already used by ${clash.node.path} in service '${this.serviceName}': alarm names would collide. ` +
        'Give one of them another sloName.');
    }
    this.conditions.push(conditions);
    this.sloList.push(slo);
    conditions.windowAlarms.forEach((a) => this.playbookConstruct?.addAlarm(a));
    this.dashboard?.addSlo(slo);
    return { pageAlarm: this.pageAlarm, ticketAlarm: this.ticketAlarm };
  }

  private sloSummary(): string {
    return this.sloList.map((s) => `${s.sloName} ${s.objective}%`).join(', ') || 'no SLO';
  }

  private describe(severity: Severity, summary: () => string): string {
    return compactString(this, Lazy.string({
      produce: () => AlarmDescription.render({
        summary: summary(),
        severity,
        owner: this.workload.owner.team,
        runbook: this.runbook,
        playbook: this.playbook,
        dashboard: this.dashboard?.dashboardUrl,
      }, this),
    }));
  }
}

/** A composite rule rendered at synth from the rules known then; `FALSE` when there are none. */
function lazyRule(scope: Construct, rules: () => cloudwatch.IAlarmRule[]): cloudwatch.IAlarmRule {
  return cloudwatch.AlarmRule.fromString(compactString(scope, Lazy.string({
    produce: () => {
      const all = rules();
      return all.length === 0 ? 'FALSE' : cloudwatch.AlarmRule.anyOf(...all).renderAlarmRule();
    },
  })));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
