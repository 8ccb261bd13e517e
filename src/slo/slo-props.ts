import { Duration } from 'aws-cdk-lib';
import { BurnRatePolicy } from './burn-rate-policy';
import { Sli } from './sli';
import { AlarmRouting } from '../core/alarm-routing';

/**
 * Properties of a service level objective.
 */
export interface ServiceLevelObjectiveProps {
  /**
   * What is measured: `Sli.ratio(...)` or `Sli.latency(...)`.
   */
  readonly sli: Sli;

  /**
   * Target percentage of good events over the period, e.g. 99.9. Must be below 100; below 90 warns
   * (`cdk-operable:low-objective`).
   *
   * @default - the workload tier's availability objective (ratio SLIs) or latency objective (latency SLIs)
   */
  readonly objective?: number;

  /**
   * The rolling period the objective holds over (whole days).
   *
   * @default Duration.days(30)
   */
  readonly period?: Duration;

  /**
   * Which burn rates page and which open a ticket.
   *
   * @default BurnRatePolicy.SRE_WORKBOOK
   */
  readonly policy?: BurnRatePolicy;

  /**
   * Low-traffic guard: long windows only count as burning once they hold this many bad events. 0 turns it off.
   *
   * @default - the policy's `minBadEvents` (5 for the presets)
   */
  readonly minBadEvents?: number;

  /**
   * Where this SLO's page and ticket composites notify.
   *
   * @default - the workload's routing
   */
  readonly routing?: AlarmRouting;

  /**
   * Name of the SLO, used in alarm names and descriptions.
   *
   * @default - the construct id in kebab case, e.g. `LookupLatency` → `lookup-latency`
   */
  readonly sloName?: string;

  /**
   * Name of the service the SLO belongs to.
   *
   * @default - the enclosing operable service (OperableFunction, ...); required when there is none
   */
  readonly serviceName?: string;

  /**
   * What good looks like to users, e.g. `Quote lookups succeed`. Used in alarm summaries.
   *
   * @default - generated from the SLI, e.g. `99.9% of events good`
   */
  readonly description?: string;

  /**
   * The runbook the SLO alarms link to: a URL or an SSM Automation document name.
   *
   * @default - the enclosing service's runbook, else `<workload runbookBaseUrl>/<service>/<slo>`, else none (warns
   * `cdk-operable:no-runbook`)
   */
  readonly runbook?: string;

  /**
   * The playbook the SLO alarms link to.
   *
   * @default - the enclosing service's playbook, else none
   */
  readonly playbook?: string;

  /**
   * Generate an investigation playbook (the composites' history and the SLI's metrics) and name it in every alarm.
   * For SLOs inside a service, set it on the service.
   *
   * @default - true for an SLO that pages on its own and would otherwise name neither a runbook nor a playbook
   */
  readonly generatePlaybook?: boolean;

  /**
   * The dashboard the SLO alarms link to.
   *
   * @default - the enclosing service's dashboard, else none
   */
  readonly dashboardUrl?: string;

  /**
   * Create this SLO's own page and ticket composites, routed through `routing`.
   *
   * @default - false inside an operable service (its SLOs page and ticket through the service's composites, so an
   * incident burning several SLOs pages once), true elsewhere
   */
  readonly ownComposites?: boolean;

  /**
   * Also create a CloudWatch Application Signals SLO (`AWS::ApplicationSignals::ServiceLevelObjective`) for the same
   * SLI, with one burn-rate configuration per alarm window. Needs Application Signals enabled in the account.
   *
   * @default false
   */
  readonly applicationSignals?: boolean;
}
