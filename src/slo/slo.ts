import { Duration, Lazy, Token } from 'aws-cdk-lib';
import * as applicationsignals from 'aws-cdk-lib/aws-applicationsignals';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { createApplicationSignalsSlo } from './application-signals';
import { budgetRemainingExpression, burnRateExpression, errorBudget, literal, sliPercentExpression, withIdSuffix } from './burn-rate-math';
import { BurnRatePolicy, PairCombination } from './burn-rate-policy';
import { BurnRateWindow } from './burn-rate-window';
import { errorBudgetWidgets } from './error-budget-widgets';
import { Sli, SliExpressions, SliKind } from './sli';
import { sloPlaybook } from './slo-playbook';
import { ServiceLevelObjectiveProps } from './slo-props';
import { validateSloProps } from './slo-validation';
import { AlarmDescription } from '../core/alarm-description';
import { AlarmRouting } from '../core/alarm-routing';
import { compactAlarm, compactString } from '../core/compact';
import { fail, warn, Warnings } from '../core/errors';
import { validateMetricCount } from '../core/limits';
import { alarmName, describeWindow, formatBurnRate, formatWindow, kebab, validateName } from '../core/naming';
import { OpsTags } from '../core/ops-tags';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { CloudWatchPricing } from '../core/pricing';
import { tagRunbookLate } from '../core/procedures';
import { findServiceContext, RunbookLink, ServiceContext } from '../core/service-context';
import { Severity } from '../core/severity';
import { Workload } from '../core/workload';
import { Playbook } from '../runbooks/playbook';


/**
 * A service level objective with multiwindow, multi-burn-rate alerting.
 *
 * Creates one metric-math alarm per (window, burn rate) — `Period = window`, one evaluation period,
 * `(bad/total)/(1-objective)`, missing data not breaching, the low-traffic guard on long windows only —
 * a page composite over the page conditions and a ticket composite over the ticket conditions that the page
 * composite suppresses. Only the composites notify.
 *
 * @example
 * const slo = new ServiceLevelObjective(workload, 'Availability', {
 *   serviceName: 'quotes',
 *   sli: Sli.ratio({ bad: fn.metricErrors(), total: fn.metricInvocations() }),
 *   objective: 99.9,
 * });
 */
export class ServiceLevelObjective extends Construct {
  /** Name of the SLO. */
  public readonly sloName: string;
  /** Name of the service. */
  public readonly serviceName: string;
  /** The workload the SLO belongs to. */
  public readonly workload: Workload;
  /** What is measured. */
  public readonly sli: Sli;
  /** Target percentage. */
  public readonly objective: number;
  /** The error budget as a fraction (1 - objective/100). */
  public readonly errorBudget: number;
  /** The rolling period. */
  public readonly period: Duration;
  /** The burn-rate policy. */
  public readonly policy: BurnRatePolicy;
  /** The low-traffic guard applied to long windows. */
  public readonly minBadEvents: number;
  /** One metric-math alarm per (window, burn rate). They carry no actions. */
  public readonly windowAlarms: cloudwatch.Alarm[];
  /** The composite that pages for this SLO: its own, or its service's. */
  public readonly pageAlarm: cloudwatch.IAlarm;
  /**
   * The composite that opens a ticket for this SLO (its own, or its service's), suppressed while paging.
   * @default - none when the policy has no ticket condition and the SLO has its own composites
   */
  public readonly ticketAlarm?: cloudwatch.IAlarm;
  /** This SLO's page condition over its window alarms, for composing your own composites. */
  public readonly pageRule: cloudwatch.IAlarmRule;
  /**
   * This SLO's ticket condition over its window alarms.
   * @default - none when the policy has no ticket condition
   */
  public readonly ticketRule?: cloudwatch.IAlarmRule;
  /** Whether the SLO created its own page and ticket composites (false when its service combines them). */
  public readonly ownsComposites: boolean;

  /**
   * The Application Signals SLO, when enabled.
   * @default - none
   */
  public readonly applicationSignalsSlo?: applicationsignals.CfnServiceLevelObjective;
  /**
   * The generated investigation playbook.
   * @default - none unless `generatePlaybook`
   */
  public readonly playbookDocument?: Playbook;
  /** Monthly list price (US$) of the alarms this SLO created; see `CloudWatchPricing`. */
  public readonly estimatedMonthlyCostUsd: number;

  private readonly expressions: SliExpressions;
  private readonly alarmsByKey = new Map<string, cloudwatch.Alarm>();
  private readonly title: string;
  private readonly service?: ServiceContext;
  private readonly givenRunbook?: string;
  private readonly fallbackRunbook?: string;
  private readonly givenPlaybook?: string;
  private dashboardUrl?: string;

  constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    validateSloProps(this, props);
    this.workload = Workload.of(this);
    const service = findServiceContext(this);
    this.service = service;
    if (!props.serviceName && !service) {
      fail(this, 'has no service: pass `serviceName`, or define the SLO inside an operable service construct.');
    }
    this.serviceName = validateName(this, 'serviceName', props.serviceName ?? service!.serviceName);
    this.sloName = validateName(this, 'sloName', props.sloName ?? kebab(id));
    service?.combiner?.checkSloName(this, this.sloName);
    this.sli = props.sli;
    this.policy = props.policy ?? BurnRatePolicy.SRE_WORKBOOK;
    this.policy._validate(this, 'policy');
    props.routing?._validate(this, 'routing');
    this.period = props.period ?? Duration.days(30);
    this.minBadEvents = props.minBadEvents ?? this.policy.minBadEvents;
    const tier = this.workload.tier;
    this.objective = props.objective ?? (props.sli.kind === SliKind.LATENCY ? tier.latencyObjective : tier.availabilityObjective);
    this.validate();
    this.errorBudget = errorBudget(this.objective);
    this.expressions = props.sli._expressions(this, tier.latencyThreshold);
    validateMetricCount(this, `SLO '${this.sloName}' burn-rate alarms`, this.expressions.metricCount);

    this.givenRunbook = props.runbook;
    this.fallbackRunbook = service ? undefined : this.workload.runbookUrl(this.serviceName, this.sloName);
    const owns = props.ownComposites ?? !service?.combiner;
    if (props.generatePlaybook !== undefined && !owns) {
      fail(this, "generatePlaybook is set, but this SLO pages through its service's composites: set generatePlaybook on the service.");
    }
    if (props.generatePlaybook && props.playbook !== undefined) {
      fail(this, `playbook is '${props.playbook}' and generatePlaybook is true: give playbook (one defined elsewhere) or generatePlaybook, not both.`);
    }
    const namesNothing = this.givenRunbook === undefined && this.fallbackRunbook === undefined && props.playbook === undefined && !service;
    const generate = props.generatePlaybook ?? (owns && namesNothing);
    this.givenPlaybook = props.playbook ?? (generate ? `${this.workload.workloadName}-${this.serviceName}-${this.sloName}-playbook` : undefined);
    this.dashboardUrl = props.dashboardUrl ?? service?.dashboardUrl;
    this.title = props.description
      ? `SLO ${this.sloName} of ${this.serviceName} (${props.description}, ${literal(this.objective)}%)`
      : `SLO ${this.sloName} of ${this.serviceName} (${literal(this.objective)}% ${this.sliLabel()})`;

    for (const w of this.policy.windows) {
      this.windowAlarm(w, w.longWindow, true);
      this.windowAlarm(w, w.shortWindow, false);
    }
    this.windowAlarms = [...this.alarmsByKey.values()];
    this.pageRule = this.rule(this.policy.pageWindows);
    const tickets = this.policy.ticketWindows;
    this.ticketRule = tickets.length > 0 ? this.rule(tickets) : undefined;

    this.ownsComposites = owns;
    if (this.ownsComposites) {
      const page = this.composite('Page', Severity.PAGE, this.policy.pageWindows, this.pageRule);
      this.pageAlarm = page;
      const ticket = this.ticketRule ? this.composite('Ticket', Severity.TICKET, tickets, this.ticketRule, page) : undefined;
      this.ticketAlarm = ticket;
      const routing = props.routing ?? this.workload.routing ?? new AlarmRouting();
      routing.applyTo(page, Severity.PAGE);
      if (ticket) routing.applyTo(ticket, Severity.TICKET);
      this.warnAboutGaps(routing);
      this.workload.registerPageAlarm(page);
      if (generate) {
        this.playbookDocument = sloPlaybook(this, {
          documentName: this.givenPlaybook!,
          title: this.title,
          serviceName: this.serviceName,
          sloName: this.sloName,
          sli: this.sli,
          alarms: [...(ticket ? [page, ticket] : [page]), ...this.windowAlarms],
          escalation: this.workload.owner.escalation ?? this.workload.owner.onCall,
        });
      }
    } else {
      if (!service?.combiner) {
        fail(this, 'ownComposites is false, but the SLO is not inside an operable service that combines SLO alarms. ' +
          'Leave ownComposites unset, or define the SLO inside an OperableFunction, OperableRestApi or OperableHttpApi.');
      }
      if (props.routing) {
        fail(this, "routing is set, but this SLO pages through its service's composites. Set the service's routing, or ownComposites: true.");
      }
      const combined = service!.combiner!.addSloConditions({
        slo: this,
        page: this.pageRule,
        ticket: this.ticketRule,
        ticketSuppressionExtensionSeconds: this.policy.ticketSuppressionExtension.toSeconds(),
        ticketSuppressionWaitSeconds: this.policy.ticketSuppressionWait.toSeconds(),
        windowAlarms: this.windowAlarms,
      });
      this.pageAlarm = combined.pageAlarm;
      this.ticketAlarm = combined.ticketAlarm;
      this.node.addValidation({
        validate: () => {
          if (this.runbooksFor(this).length === 0 && this.playbookName() === undefined) {
            warn(this, Warnings.NO_RUNBOOK,
              "alarms name no runbook: set the workload's runbookBaseUrl, the service's runbook or this SLO's runbook (OPS07-BP03, OPS10-BP02).");
          }
          return [];
        },
      });
    }

    if (!service) OpsTags.apply(this, OpsTags.SERVICE, this.serviceName);

    if (props.applicationSignals) {
      this.applicationSignalsSlo = createApplicationSignalsSlo(this, {
        name: `${this.workload.workloadName}-${this.serviceName}-${this.sloName}`,
        description: this.title,
        sli: this.expressions,
        objective: this.objective,
        period: this.period,
        windows: this.windowAlarmDurations(),
      });
    }
    this.estimatedMonthlyCostUsd = CloudWatchPricing.estimateMonthlyUsd(this);
  }

  /**
   * The runbook the SLO's alarms link to (URL or SSM document name): the most specific one that exists for the page
   * condition, read when asked (procedures created later count).
   * @default - none
   */
  public get runbook(): string | undefined {
    return this.runbooksFor(this)[0]?.runbook;
  }

  /**
   * Link the SLO's alarms to a dashboard that shows it (a service dashboard it was added to), unless it names one already.
   * @internal
   */
  public _linkDashboard(url: string): void {
    this.dashboardUrl = this.dashboardUrl ?? url;
  }

  /**
   * The short-window alarm of the fastest page condition (14.4× over 5 minutes by default): the first alarm to react
   * to a bad deployment, used to stop canary deployments before the page composite can fire.
   */
  public get fastBurnAlarm(): cloudwatch.Alarm {
    const fastest = this.policy.pageWindows[0];
    return this.windowAlarm(fastest, fastest.shortWindow, false);
  }

  /**
   * The SLI's metric-math building blocks (for the alarm simulator).
   * @internal
   */
  public get _sli(): SliExpressions {
    return this.expressions;
  }

  /**
   * The burn rate of this SLO over `window`, as a metric (for graphs and your own alarms).
   */
  public burnRateMetric(window: Duration): cloudwatch.IMetric {
    return burnRateExpression(this.expressions, window, this.errorBudget, 0);
  }

  /**
   * The SLI as the percentage of good events per `period`.
   *
   * @param period aggregation period, default 5 minutes
   */
  public sliMetric(period?: Duration): cloudwatch.IMetric {
    return sliPercentExpression(this.expressions, period ?? Duration.minutes(5));
  }

  /**
   * Percentage of the error budget left over the SLO period.
   */
  public errorBudgetRemainingMetric(): cloudwatch.IMetric {
    // Ids carry the SLO name, so the budgets of several SLOs can share one widget.
    const suffix = this.sloName.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    return budgetRemainingExpression(withIdSuffix(this.expressions, suffix), this.period, this.errorBudget)
      .with({ label: `${this.sloName} (${literal(this.objective)}%) budget left` });
  }

  /**
   * Dashboard widgets for this SLO: SLI against the objective, burn rate per alarm window with its threshold, and the
   * error budget remaining over the period as a burn-down line.
   */
  public errorBudgetWidgets(): cloudwatch.IWidget[] {
    return errorBudgetWidgets({
      title: `${this.serviceName} / ${this.sloName}`,
      sli: this.expressions,
      objective: this.objective,
      budget: this.errorBudget,
      period: this.period,
      policy: this.policy,
      sliMetric: this.sliMetric(),
    });
  }

  private validate(): void {
    const o = this.objective;
    if (Token.isUnresolved(o) || !Number.isFinite(o)) fail(this, `objective must be a number known at synth time, got ${o}.`);
    if (o >= 100) fail(this, `objective ${o}% leaves no error budget: every error would break the SLO. Use a value below 100, e.g. 99.9.`);
    if (o <= 0) fail(this, `objective ${o}% is not a percentage above 0. Use a value like 99.9.`);
    if (o < 90) {
      warn(this, Warnings.LOW_OBJECTIVE, `objective ${o}% is below 90%: check it is a percentage (99.9), not a fraction (0.999).`);
    }
    const maxBurn = 100 / (100 - o);
    for (const w of this.policy.windows) {
      if (w.burnRate > maxBurn) {
        fail(this, `the ${w.severity} condition ${w.describe()} can never fire at objective ${o}%: even a total outage burns the budget only ` +
          `${Number(maxBurn.toPrecision(4))}× as fast as sustainable. Raise the objective or use a policy with lower burn rates.`);
      }
    }
    const days = this.period.toHours({ integral: false }) / 24;
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      fail(this, `period must be a whole number of days between 1 and 365, got ${this.period.toHumanString()}.`);
    }
    if (this.policy.longestWindow.toSeconds() >= this.period.toSeconds()) {
      fail(this, `period ${this.period.toHumanString()} must be longer than the policy's longest window (${describeWindow(this.policy.longestWindow)}).`);
    }
    if (!Number.isFinite(this.minBadEvents) || this.minBadEvents < 0) {
      fail(this, `minBadEvents must be 0 (guard off) or more, got ${this.minBadEvents}.`);
    }
  }

  private sliLabel(): string {
    if (this.sli.kind !== SliKind.LATENCY) return 'of events good';
    const threshold = this.sli.threshold ?? this.workload.tier.latencyThreshold;
    const ms = threshold.toMilliseconds({ integral: false });
    return `of requests within ${ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`}`;
  }

  private windowAlarm(w: BurnRateWindow, window: Duration, long: boolean): cloudwatch.Alarm {
    const key = `${w.burnRate}@${window.toSeconds()}`;
    const existing = this.alarmsByKey.get(key);
    if (existing) return existing;
    const what = `burn${formatBurnRate(w.burnRate)}-${formatWindow(window)}`;
    const guard = long ? this.minBadEvents : 0;
    const role = long ? 'long' : 'short';
    const summary = `${this.sloName}: burn >= ${formatBurnRate(w.burnRate)} over ${formatWindow(window)}, ${role} window of ` +
      `${w.severity.toLowerCase()} ${formatBurnRate(w.burnRate)} ${formatWindow(w.longWindow)}+${formatWindow(w.shortWindow)}` +
      `${long && guard > 0 ? `, min ${literal(guard)} bad events` : ''}.`;
    const name = alarmName(this, [this.workload.workloadName, this.serviceName, this.sloName, what]);
    const id = `Window${formatBurnRate(w.burnRate)}${formatWindow(window)}`;
    const alarm: cloudwatch.Alarm = new cloudwatch.Alarm(this, id, {
      alarmName: name,
      alarmDescription: this.describe(summary, w.severity, () => alarm),
      metric: burnRateExpression(this.expressions, window, this.errorBudget, guard, false),
      threshold: w.burnRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    claimPhysicalName(alarm, PhysicalNameKind.ALARM, name);
    compactAlarm(alarm);
    this.tagRunbook(alarm);
    this.alarmsByKey.set(key, alarm);
    return alarm;
  }

  /**
   * `(L1 AND S1) OR (L2 AND S2 AND NOT L1) ...` (FAST_RESET) or `(L1 AND S1) OR (L2 AND S2) ...` (ANY_PAIR),
   * pairs ordered from the shortest long window up.
   */
  private rule(windows: BurnRateWindow[]): cloudwatch.IAlarmRule {
    const pairs = windows.map((w) => ({
      long: this.windowAlarm(w, w.longWindow, true),
      short: this.windowAlarm(w, w.shortWindow, false),
    }));
    return cloudwatch.AlarmRule.anyOf(...pairs.map((pair, i) => {
      const masks = this.policy.combination === PairCombination.FAST_RESET
        ? pairs.slice(0, i).map((faster) => cloudwatch.AlarmRule.not(cloudwatch.AlarmRule.fromAlarm(faster.long, cloudwatch.AlarmState.ALARM)))
        : [];
      return cloudwatch.AlarmRule.allOf(pair.long, pair.short, ...masks);
    }));
  }

  private composite(id: string, severity: Severity, windows: BurnRateWindow[], rule: cloudwatch.IAlarmRule,
    suppressor?: cloudwatch.IAlarm): cloudwatch.CompositeAlarm {
    const verb = severity === Severity.PAGE ? 'Page' : 'Ticket';
    const speed = severity === Severity.PAGE ? 'fast' : 'steadily';
    const summary = `${verb}: ${this.title} is burning its error budget ${speed} (${windows.map((w) => w.describe()).join(', or ')}).`;
    const name = alarmName(this, [this.workload.workloadName, this.serviceName, this.sloName, id.toLowerCase()]);
    const composite: cloudwatch.CompositeAlarm = new cloudwatch.CompositeAlarm(this, id, {
      compositeAlarmName: name,
      alarmDescription: this.describe(summary, severity, () => composite),
      alarmRule: rule,
      ...(suppressor ? {
        actionsSuppressor: suppressor,
        actionsSuppressorWaitPeriod: this.policy.ticketSuppressionWait,
        actionsSuppressorExtensionPeriod: this.policy.ticketSuppressionExtension,
      } : {}),
    });
    claimPhysicalName(composite, PhysicalNameKind.ALARM, name);
    const cfn = composite.node.defaultChild as cloudwatch.CfnCompositeAlarm;
    cfn.alarmRule = compactString(this, cfn.alarmRule);
    this.tagRunbook(composite);
    return composite;
  }

  /**
   * The runbooks an alarm of this SLO names, most specific first: the SLO's own, else its service's (procedures that act
   * on what the service runs, then the service's runbook), else `<runbookBaseUrl>/<service>/<slo>`. Read at synth.
   */
  private runbooksFor(alarm: IConstruct): RunbookLink[] {
    if (this.givenRunbook !== undefined) return [{ runbook: this.givenRunbook }];
    if (this.service) return this.service.runbooksFor(alarm);
    return this.fallbackRunbook !== undefined ? [{ runbook: this.fallbackRunbook }] : [];
  }

  private playbookName(): string | undefined {
    return this.givenPlaybook ?? this.service?.playbook();
  }

  /** Every alarm of the SLO names its runbook, else its playbook, in the `ops:runbook` tag (decided at synth). */
  private tagRunbook(alarm: IConstruct): void {
    tagRunbookLate(alarm, () => this.runbooksFor(alarm)[0]?.runbook ?? this.playbookName());
  }

  /** Rendered late, so a dashboard or runbook created after the SLO can still be linked. */
  private describe(summary: string, severity: Severity, alarm: () => IConstruct): string {
    return compactString(this, Lazy.string({
      produce: () => {
        const [first, ...others] = this.runbooksFor(alarm());
        const also = others.length > 0 ? ` Also: ${others.map((o) => `${o.runbook}${o.purpose ? ` (${o.purpose})` : ''}`).join('; ')}.` : '';
        return AlarmDescription.render({
          summary: `${summary}${also}`,
          severity,
          owner: this.workload.owner.team,
          runbook: first?.runbook,
          playbook: this.playbookName(),
          dashboard: this.dashboardUrl,
        }, this);
      },
    }));
  }

  private warnAboutGaps(routing: AlarmRouting): void {
    if (this.runbooksFor(this).length === 0 && this.playbookName() === undefined) {
      warn(this, Warnings.NO_RUNBOOK, "alarms name no runbook: set the workload's runbookBaseUrl or this SLO's runbook (OPS07-BP03, OPS10-BP02).");
    }
    if (routing.page.length === 0) {
      warn(this, Warnings.NO_PAGE_DESTINATION,
        'the page composite notifies nobody: give the workload (or this SLO) an AlarmRouting with page destinations (OPS08-BP04).');
    }
    if (this.ticketRule && routing.ticket.length === 0) {
      warn(this, Warnings.NO_TICKET_DESTINATION,
        'the ticket composite notifies nobody: give the workload (or this SLO) an AlarmRouting with ticket destinations.');
    }
  }

  private windowAlarmDurations(): Duration[] {
    const seconds = new Set<number>();
    for (const w of this.policy.windows) {
      seconds.add(w.longWindow.toSeconds());
      seconds.add(w.shortWindow.toSeconds());
    }
    return [...seconds].sort((a, b) => a - b).map((s) => Duration.seconds(s));
  }
}
