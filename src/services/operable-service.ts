import { Duration, Lazy, Reference, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ServiceLogQuery, ServiceSloDefaults, ServiceSloOptions, AnomalyAlarmOptions, OperationalAlarmOptions } from './service-options';
import { servicePlaybook } from './service-playbook';
import { WorkloadRollup } from './workload-rollup';
import { AlarmDescription } from '../core/alarm-description';
import { AlarmRouting } from '../core/alarm-routing';
import { Checks, checkProps } from '../core/checks';
import { compactAlarm, compactString } from '../core/compact';
import { fail, warn, Warnings } from '../core/errors';
import { GoldenSignals } from '../core/golden-signals';
import { alarmName, kebab, validateName } from '../core/naming';
import { OpsTags } from '../core/ops-tags';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { CloudWatchPricing } from '../core/pricing';
import { ProcedureKind, proceduresFor, tagRunbookLate } from '../core/procedures';
import { attachServiceContext, RunbookLink, SloConditions } from '../core/service-context';
import { Severity } from '../core/severity';
import { Workload } from '../core/workload';
import { ServiceDashboard } from '../dashboards/service-dashboard';
import { Playbook } from '../runbooks/playbook';
import { validateDocumentName } from '../runbooks/runbook';
import { Sli } from '../slo/sli';
import { ServiceLevelObjective } from '../slo/slo';
import { SLO_OPTION_CHECKS } from '../slo/slo-validation';

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
   * The runbook every alarm of the service names: a URL or an SSM Automation document name. It wins over the runbooks
   * cdk-operable finds for each alarm.
   *
   * @default - per alarm, the most specific runbook that exists for it (e.g. the rollback runbook of a function's alias,
   * the redrive runbook of its dead-letter queue, the kill switch of its feature flags), else
   * `<workload runbookBaseUrl>/<service>`, else none (with a `cdk-operable:no-runbook` warning)
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
   * Create the service dashboard. When false, `dashboardName` is an error.
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

const OPERABLE_SERVICE_SYMBOL = Symbol.for('cdk-operable.OperableService');

/** The metrics of a service's default SLOs (internal). */
interface DefaultSloMetrics {
  readonly bad: cloudwatch.IMetric;
  readonly total: cloudwatch.IMetric;
  readonly latency: cloudwatch.IMetric;
}

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
  /** The SLOs of the service. */
  readonly slos: ServiceLevelObjective[];
  /**
   * The service dashboard.
   * @default - none
   */
  readonly dashboard?: ServiceDashboard;

  /** Add an alarm that opens a ticket through the service's ticket composite (the alarm itself gets no actions). */
  addTicketAlarm(alarm: cloudwatch.IAlarm): void;
}

/** The checks of the props every service shares (each service adds its own). */
export const SERVICE_PROP_CHECKS = {
  serviceName: [Checks.string({ tokens: false }), "E.g. 'quotes'."],
  runbook: [Checks.procedure, "E.g. 'https://runbooks.example.com/quotes' or a runbook's documentName."],
  playbook: [Checks.procedure, "E.g. a Playbook's documentName."],
  generatePlaybook: [Checks.boolean],
  routing: [Checks.instance(AlarmRouting.isAlarmRouting, 'an AlarmRouting (new AlarmRouting({ page: [AlarmDestination.sns(topic)] }))')],
  dashboard: [Checks.boolean],
  dashboardName: [Checks.string()],
} as const;

/** The checks of the default-SLO settings (ServiceSloDefaults). */
export const SLO_DEFAULT_CHECKS = {
  availabilityObjective: SLO_OPTION_CHECKS.objective,
  latencyObjective: SLO_OPTION_CHECKS.objective,
  latencyThreshold: [Checks.duration({ positive: true }), 'E.g. Duration.millis(400).'],
  policy: SLO_OPTION_CHECKS.policy,
  availabilitySlo: [Checks.boolean],
  latencySlo: [Checks.boolean],
} as const;

/**
 * The base of every operable service (OperableFunction, OperableRestApi, OperableHttpApi): ownership tags, one
 * page composite and one ticket composite for all of the service's SLOs and operational alarms — so an incident
 * that burns several SLOs pages once — the service dashboard, and registration in the workload rollup.
 *
 * Every alarm of the service names the most specific runbook that exists for it, decided at synth: the runbooks that
 * act on what the alarm watches (registered by the runbook presets on an alias, a queue, a cluster), then those that
 * act on the service (feature-flag kill switches), else the workload's `<runbookBaseUrl>/<service>`.
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
   * The playbook the service's alarms link to.
   * @default - none
   */
  public readonly playbook?: string;
  /** The composite (a `cloudwatch.CompositeAlarm`) that pages when any SLO of the service burns fast. */
  public readonly pageAlarm: cloudwatch.IAlarm;
  /** The composite (a `cloudwatch.CompositeAlarm`) that opens a ticket on slow burns and operational alarms; suppressed while the page fires. */
  public readonly ticketAlarm: cloudwatch.IAlarm;
  /**
   * The service dashboard.
   * @default - none when `dashboard: false`
   */
  public readonly dashboard?: ServiceDashboard;
  /** The workload rollup (workload page composite and dashboard) this service is part of. */
  public readonly rollup: WorkloadRollup;

  private readonly givenRunbook?: string;
  private readonly fallbackRunbook?: string;
  private readonly generatePlaybook: boolean;
  private playbookConstruct?: Playbook;
  private readonly conditions: SloConditions[] = [];
  private readonly ticketAlarms: cloudwatch.IAlarm[] = [];
  private readonly pageAlarms: cloudwatch.IAlarm[] = [];
  private readonly sloList: ServiceLevelObjective[] = [];
  private readonly sloNames = new Map<string, string>();
  /** The operational alarms (one resource each) and what their metrics watch: their runbooks are registered on those. */
  private readonly operationalAlarms = new Map<IConstruct, IConstruct[]>();
  /** What the service's SLOs and composites watch: the function or alias, the stage. */
  private serviceTargets: IConstruct[] = [];

  protected constructor(scope: Construct, id: string, props: OperableServiceProps) {
    super(scope, id);
    Object.defineProperty(this, OPERABLE_SERVICE_SYMBOL, { value: true });
    checkProps(this, 'OperableServiceProps', props, SERVICE_PROP_CHECKS);
    this.workload = Workload.of(this);
    this.serviceName = validateName(this, 'serviceName', props.serviceName ?? kebab(id));
    props.routing?._validate(this, 'routing');
    if (props.dashboard === false && props.dashboardName !== undefined) {
      fail(this, `dashboardName is '${props.dashboardName}' but dashboard is false: remove dashboardName, or the dashboard: false.`);
    }
    this.givenRunbook = props.runbook;
    this.fallbackRunbook = this.workload.runbookServiceUrl(this.serviceName);
    if (props.generatePlaybook && props.playbook !== undefined) {
      fail(this, `playbook is '${props.playbook}' (one defined elsewhere) and generatePlaybook is true: give one of them, not both.`);
    }
    const namesNothing = this.givenRunbook === undefined && this.fallbackRunbook === undefined && props.playbook === undefined;
    this.generatePlaybook = props.generatePlaybook ?? namesNothing;
    this.playbook = props.playbook ?? (this.generatePlaybook ? `${this.workload.workloadName}-${this.serviceName}-playbook` : undefined);
    if (this.playbook !== undefined && this.generatePlaybook) validateDocumentName(this, this.playbook);
    if (this.givenRunbook !== undefined) OpsTags.validate(this, OpsTags.RUNBOOK, this.givenRunbook, 'runbook');
    else if (props.playbook !== undefined) OpsTags.validate(this, OpsTags.RUNBOOK, props.playbook, 'playbook');
    OpsTags.apply(this, OpsTags.SERVICE, this.serviceName);

    if (props.dashboard ?? true) {
      this.dashboard = new ServiceDashboard(this, 'Dashboard', {
        serviceName: this.serviceName,
        dashboardName: props.dashboardName,
      });
      this.dashboard._linkProcedures(() => this.runbook, () => this.playbook);
    }
    attachServiceContext(this, {
      serviceName: this.serviceName,
      scope: this,
      runbooksFor: (alarm) => this.runbooksFor(alarm),
      playbook: () => this.playbook,
      dashboardUrl: this.dashboard?.dashboardUrl,
      combiner: { checkSloName: (slo, name) => this.checkSloName(slo, name), addSloConditions: (c) => this.addSloConditions(c) },
    });

    const page = this.composite('Page', Severity.PAGE, () =>
      `Page: service ${this.serviceName} is burning an SLO's error budget fast (${this.sloSummary()})` +
      (this.pageAlarms.length > 0 ? ` or an operational alarm that pages (${plural(this.pageAlarms.length, 'alarm')}).` : '.'),
    () => [...this.conditions.map((c) => c.page), ...this.pageAlarms]);
    const ticket = this.composite('Ticket', Severity.TICKET, () =>
      `Ticket: service ${this.serviceName} needs attention: slow error-budget burn (${this.sloSummary()}) or an operational alarm ` +
      `(${plural(this.ticketAlarms.length, 'alarm')}); suppressed while the service pages.`,
    () => [...this.conditions.flatMap((c) => (c.ticket ? [c.ticket] : [])), ...this.ticketAlarms], page);
    this.pageAlarm = page;
    this.ticketAlarm = ticket;

    const routing = props.routing ?? this.workload.routing ?? new AlarmRouting();
    routing.applyTo(page, Severity.PAGE);
    routing.applyTo(ticket, Severity.TICKET);
    if (routing.page.length === 0) {
      warn(this, Warnings.NO_PAGE_DESTINATION,
        'the service page composite notifies nobody: give the workload (or this service) an AlarmRouting with page destinations (OPS08-BP04).');
    }
    if (routing.ticket.length === 0) {
      warn(this, Warnings.NO_TICKET_DESTINATION,
        'the service ticket composite notifies nobody: give the workload (or this service) an AlarmRouting with ticket destinations.');
    }
    this.workload.registerPageAlarm(this.pageAlarm);
    // The status widget shows what notifies and the operational alarms; window alarms show as burn-rate graphs.
    this.dashboard?.addAlarms(this.pageAlarm, this.ticketAlarm);
    this.rollup = WorkloadRollup.of(this);
    this.rollup.addService(this);
    this.node.addValidation({
      validate: () => {
        if (this.runbook === undefined && this.playbook === undefined) {
          warn(this, Warnings.NO_RUNBOOK, "the service's alarms name no runbook or playbook: set the workload's runbookBaseUrl, this " +
            "service's runbook, or generatePlaybook (OPS07-BP03, OPS10-BP02).");
        }
        return this.conditions.length === 0
          ? [`Service '${this.serviceName}' has no SLO, so its page composite can never fire. Keep the default SLOs or add one with addSlo().`]
          : [];
      },
    });
  }

  /**
   * The runbook the service's page composite names (URL or SSM document name): the most specific one that exists,
   * read when asked (runbooks created later count).
   * @default - none
   */
  public get runbook(): string | undefined {
    return this.runbooksFor(this.pageAlarm)[0]?.runbook;
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
    return [...this.conditions.flatMap((c) => c.windowAlarms), ...this.pageAlarms, ...this.ticketAlarms, this.pageAlarm, this.ticketAlarm];
  }

  /** Monthly list price (US$) of the service's alarms and dashboard; see `CloudWatchPricing`. */
  public get estimatedMonthlyCostUsd(): number {
    return CloudWatchPricing.estimateMonthlyUsd(this);
  }

  /**
   * Add an SLO to the service. It pages and tickets through the service's composites.
   */
  public addSlo(id: string, options: ServiceSloOptions): ServiceLevelObjective {
    checkProps(this, 'ServiceSloOptions', options, SLO_OPTION_CHECKS, `addSlo('${id}') `);
    return new ServiceLevelObjective(this, id, { ...options, serviceName: this.serviceName });
  }

  /**
   * Create an operational alarm (contract name and description, no actions) that tickets through the service, or
   * with `pages: true` pages through it.
   */
  public addOperationalAlarm(id: string, options: OperationalAlarmOptions): cloudwatch.Alarm {
    const name = alarmName(this, [this.workload.workloadName, this.serviceName, validateName(this, 'alarmNameSuffix', options.alarmNameSuffix ?? kebab(id))]);
    const pages = options.pages ?? false;
    const alarm: cloudwatch.Alarm = new cloudwatch.Alarm(this, id, {
      alarmName: name,
      alarmDescription: this.describe(pages ? Severity.PAGE : Severity.TICKET, () => alarm,
        () => `${options.summary} ${pages ? 'Pages' : 'Tickets'} through ${this.serviceName}'s ${pages ? 'page' : 'ticket'} composite; ` +
          'no actions of its own.'),
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    claimPhysicalName(alarm, PhysicalNameKind.ALARM, name);
    compactAlarm(alarm);
    this.operationalAlarms.set(alarm, watchedResources(options.metric));
    this.tagRunbook(alarm);
    if (pages) this.addPageAlarm(alarm);
    else this.addTicketAlarm(alarm);
    return alarm;
  }

  /**
   * Create an anomaly-detection alarm (contract name and description, no actions) that tickets through the service.
   */
  public addAnomalyAlarm(id: string, options: AnomalyAlarmOptions): cloudwatch.AnomalyDetectionAlarm {
    const name = alarmName(this, [this.workload.workloadName, this.serviceName, validateName(this, 'alarmNameSuffix', options.alarmNameSuffix ?? kebab(id))]);
    const alarm: cloudwatch.AnomalyDetectionAlarm = new cloudwatch.AnomalyDetectionAlarm(this, id, {
      alarmName: name,
      alarmDescription: this.describe(Severity.TICKET, () => alarm,
        () => `${options.summary} Tickets through ${this.serviceName}'s ticket composite; no actions of its own.`),
      metric: options.metric,
      stdDevs: options.stdDevs ?? 3,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    claimPhysicalName(alarm, PhysicalNameKind.ALARM, name);
    compactAlarm(alarm);
    this.operationalAlarms.set(alarm, watchedResources(options.metric));
    this.tagRunbook(alarm);
    this.addTicketAlarm(alarm);
    return alarm;
  }

  /**
   * Add an alarm that pages through the service's page composite (the alarm itself gets no actions): a symptom that
   * needs someone now although no SLO burns.
   */
  public addPageAlarm(alarm: cloudwatch.IAlarm): void {
    if (!this.pageAlarms.includes(alarm)) this.pageAlarms.push(alarm);
    this.dashboard?.addAlarms(alarm);
    this.playbookConstruct?.addAlarm(alarm);
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
   * Create the availability and latency SLOs a service gets by default (`ServiceSloDefaults`), after checking that no
   * setting is given for an SLO that is turned off (internal: each service kind calls it with its metrics).
   * @internal
   */
  protected _addDefaultSlos(defaults: ServiceSloDefaults, metrics: DefaultSloMetrics):
  { availability?: ServiceLevelObjective; latency?: ServiceLevelObjective } {
    checkProps(this, 'ServiceSloDefaults', defaults, SLO_DEFAULT_CHECKS);
    const off = (slo: 'availabilitySlo' | 'latencySlo', props: Array<keyof ServiceSloDefaults>) => {
      const given = props.filter((p) => defaults[p] !== undefined);
      if (defaults[slo] === false && given.length > 0) {
        fail(this, `${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} set but ${slo} is false: remove ${given.length === 1 ? 'it' : 'them'}, ` +
          `or the ${slo}: false.`);
      }
    };
    off('availabilitySlo', ['availabilityObjective']);
    off('latencySlo', ['latencyObjective', 'latencyThreshold']);
    const availability = defaults.availabilitySlo ?? true
      ? this.addSlo('Availability', { sli: Sli.ratio({ bad: metrics.bad, total: metrics.total }), objective: defaults.availabilityObjective, policy: defaults.policy })
      : undefined;
    const latency = defaults.latencySlo ?? true
      ? this.addSlo('Latency', {
        sli: Sli.latency({ metric: metrics.latency, threshold: defaults.latencyThreshold ?? this.workload.tier.latencyThreshold }),
        objective: defaults.latencyObjective,
        policy: defaults.policy,
      })
      : undefined;
    return { availability, latency };
  }

  /**
   * Declare what the service's SLOs and composites watch (the function or alias, the stage), so runbooks acting on it
   * are the most specific ones for those alarms (internal).
   * @internal
   */
  protected _watches(...targets: IConstruct[]): void {
    this.serviceTargets = [...targets];
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
    this.playbookConstruct = servicePlaybook(this, {
      documentName: this.playbook!,
      serviceName: this.serviceName,
      workload: this.workload,
      dashboardName: this.dashboard?.dashboardName,
      alarms: this.alarms,
      signals,
      logQuery,
    });
  }

  /**
   * The runbooks an alarm of the service names, most specific first (read at synth): the service's own runbook when
   * given; else for an operational alarm the runbooks registered on the resources its metrics watch (a dead-letter
   * queue: its redrive runbook), and for the SLO alarms and composites those registered on what the service runs (the
   * alias: its rollback runbook), then those registered on the service (feature-flag kill switches); else
   * `<runbookBaseUrl>/<service>`.
   */
  private runbooksFor(alarm: IConstruct): RunbookLink[] {
    if (this.givenRunbook !== undefined) return [{ runbook: this.givenRunbook }];
    const targets = this.operationalAlarms.get(alarm) ?? [...this.serviceTargets, this];
    const seen = new Set<string>();
    const links = targets.flatMap(proceduresFor)
      .filter((p) => p.kind === ProcedureKind.RUNBOOK && !seen.has(p.documentName) && seen.add(p.documentName))
      .map((p) => ({ runbook: p.documentName, purpose: p.purpose }));
    if (links.length > 0) return links;
    return this.fallbackRunbook !== undefined ? [{ runbook: this.fallbackRunbook }] : [];
  }

  private tagRunbook(alarm: IConstruct): void {
    tagRunbookLate(alarm, () => this.runbooksFor(alarm)[0]?.runbook ?? this.playbook);
  }

  private composite(id: string, severity: Severity, summary: () => string, rules: () => cloudwatch.IAlarmRule[],
    suppressor?: cloudwatch.CompositeAlarm): cloudwatch.CompositeAlarm {
    const name = alarmName(this, [this.workload.workloadName, this.serviceName, id.toLowerCase()]);
    const composite: cloudwatch.CompositeAlarm = new cloudwatch.CompositeAlarm(this, id, {
      compositeAlarmName: name,
      alarmDescription: this.describe(severity, () => composite, summary),
      alarmRule: lazyRule(this, rules),
      ...(suppressor ? {
        actionsSuppressor: suppressor,
        actionsSuppressorWaitPeriod: Duration.minutes(2),
        actionsSuppressorExtensionPeriod: Duration.hours(6),
      } : {}),
    });
    claimPhysicalName(composite, PhysicalNameKind.ALARM, name);
    if (suppressor) {
      // The suppression periods follow the SLOs' policies, which are only known once the SLOs exist.
      const cfn = composite.node.defaultChild as cloudwatch.CfnCompositeAlarm;
      const longest = (floor: number, of: (c: SloConditions) => number) =>
        Lazy.number({ produce: () => Math.max(floor, ...this.conditions.map(of)) });
      cfn.actionsSuppressorWaitPeriod = longest(120, (c) => c.ticketSuppressionWaitSeconds);
      cfn.actionsSuppressorExtensionPeriod = longest(60, (c) => c.ticketSuppressionExtensionSeconds);
    }
    this.tagRunbook(composite);
    return composite;
  }

  private checkSloName(slo: IConstruct, sloName: string): void {
    const clash = this.sloNames.get(sloName);
    if (clash !== undefined && clash !== slo.node.path) {
      fail(slo, `sloName '${sloName}' is already used by ${clash} in service '${this.serviceName}': alarm names would collide. ` +
        'Give one of them another sloName.');
    }
    this.sloNames.set(sloName, slo.node.path);
  }

  private addSloConditions(conditions: SloConditions): { pageAlarm: cloudwatch.IAlarm; ticketAlarm?: cloudwatch.IAlarm } {
    const slo = conditions.slo as ServiceLevelObjective;
    this.conditions.push(conditions);
    this.sloList.push(slo);
    conditions.windowAlarms.forEach((a) => this.playbookConstruct?.addAlarm(a));
    this.dashboard?.addSlo(slo);
    return { pageAlarm: this.pageAlarm, ticketAlarm: this.ticketAlarm };
  }

  private sloSummary(): string {
    return this.sloList.map((s) => `${s.sloName} ${s.objective}%`).join(', ') || 'no SLO';
  }

  private describe(severity: Severity, alarm: () => IConstruct, summary: () => string): string {
    return compactString(this, Lazy.string({
      produce: () => {
        const [first, ...others] = this.runbooksFor(alarm());
        const also = others.length > 0 ? ` Also: ${others.map((o) => `${o.runbook}${o.purpose ? ` (${o.purpose})` : ''}`).join('; ')}.` : '';
        return AlarmDescription.render({
          summary: `${summary()}${also}`,
          severity,
          owner: this.workload.owner.team,
          runbook: first?.runbook,
          playbook: this.playbook,
          dashboard: this.dashboard?.dashboardUrl,
        }, this);
      },
    }));
  }
}

/**
 * The resources a metric watches: the constructs its dimension values reference (a queue's name, a function's name), with
 * the L2 construct that owns each (a queue's runbooks are registered on the `sqs.Queue`). Read from the tokens, no tree walk.
 */
function watchedResources(metric: cloudwatch.IMetric): IConstruct[] {
  const config = metric.toMetricConfig();
  const nested = Object.values(config.mathExpression?.usingMetrics ?? {}).flatMap(watchedResources);
  const values = (config.metricStat?.dimensions ?? []).map((d) => d.value).filter((v): v is string => typeof v === 'string');
  const targets = values.flatMap((v) => Tokenization.reverseString(v).tokens)
    .filter((t): t is Reference => t instanceof Reference)
    .flatMap((r) => (r.target.node.scope ? [r.target, r.target.node.scope] : [r.target]));
  return [...new Set([...targets, ...nested])];
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
