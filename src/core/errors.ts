import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The error cdk-operable throws for bad input at synth time.
 *
 * Internal on purpose: aws-cdk-lib's `ValidationError` is internal to aws-cdk-lib, and a class extending
 * `Error` cannot cross the jsii boundary. Users match on the message, which always names the construct path,
 * the offending value and the fix.
 */
export class OperableError extends Error {
  public readonly constructPath?: string;

  constructor(message: string, scope?: IConstruct) {
    super(scope ? `[${scope.node.path}] ${message}` : message);
    this.name = 'OperableError';
    this.constructPath = scope?.node.path;
  }
}

/** Throw an `OperableError` naming the construct path. */
export function fail(scope: IConstruct | undefined, message: string): never {
  throw new OperableError(message, scope);
}

/** One acknowledgeable warning of the library: its id and what it means (the docs table is generated from these). */
export interface WarningDefinition {
  /** `cdk-operable:<name>`. */
  readonly id: string;
  /** What the warning says is missing, and what to do about it. */
  readonly meaning: string;
}

function w(name: string, meaning: string): WarningDefinition {
  return { id: `cdk-operable:${name}`, meaning };
}

/**
 * Every warning id users can acknowledge with `Annotations.of(scope).acknowledgeWarning(id, reason)` — the one place
 * they live. `docs/warnings.md` is generated from this table (`npx projen warnings-doc`), and a test fails when a
 * construct reports a `cdk-operable:*` id that is not here.
 */
export const Warnings = {
  NO_RUNBOOK: w('no-runbook', "An alarm names no runbook or playbook. Set the workload's runbookBaseUrl, the service's or SLO's runbook, or generatePlaybook."),
  NO_PAGE_DESTINATION: w('no-page-destination', 'A page composite notifies nobody. Give the workload (or the service/SLO) an AlarmRouting with page destinations.'),
  NO_TICKET_DESTINATION: w('no-ticket-destination', 'A ticket composite notifies nobody. Give the workload (or the service/SLO) an AlarmRouting with ticket destinations.'),
  LOW_OBJECTIVE: w('low-objective', 'An SLO objective is below 90 %: check it is a percentage (99.9), not a fraction (0.999).'),
  STACK_SIZE: w('stack-size', "A stack holds more than 80 % of CloudFormation's 500 resources: plan to move services into another stack."),
  FUNCTION_TRACING: w('function-tracing', 'A function is not traced with X-Ray (tracing is not Active), or cdk-operable cannot check it (imported).'),
  FUNCTION_JSON_LOGS: w('function-json-logs', 'A function does not log structured JSON, or cdk-operable cannot check it (imported).'),
  FUNCTION_LOG_RETENTION: w('function-log-retention', 'A function logs to a log group without retention, or uses the deprecated logRetention, or cannot be checked.'),
  FUNCTION_POWERTOOLS: w('function-powertools', 'A function has no POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE environment, or cannot be checked.'),
  FUNCTION_NO_ALIAS: w('function-no-alias', 'A function is deployed without an alias and CodeDeploy: new versions take all traffic at once and nothing rolls them back.'),
  FUNCTION_ALIAS_CALLERS: w('function-alias-callers', 'cdk-operable created an alias for an existing function: its SLOs, alarms and canary deployments see only what callers send to the alias.'),
  FUNCTION_DEPLOYMENT: w('function-deployment', 'An existing alias was given: cdk-operable does not attach a deployment group to an alias it does not own.'),
  API_TRACING: w('api-tracing', 'A REST API stage does not trace with X-Ray, or cdk-operable cannot check it (imported stage).'),
  API_ACCESS_LOGS: w('api-access-logs', 'An API stage writes no JSON access logs to a retained log group, or cdk-operable cannot check it.'),
  API_CLOUDWATCH_ROLE: w('api-cloudwatch-role', "Access logs need the account's API Gateway CloudWatch Logs role, and this API does not create it."),
  API_IMPORTED: w('api-imported', "An imported REST API: its SLOs read metrics by ApiName, which must be the API's real name."),
  NO_KILL_SWITCH: w('no-kill-switch', 'Feature flags without a kill-switch runbook (the workload has no approvers).'),
  FEATURE_FLAGS_EXISTING_FUNCTION: w('feature-flags-existing-function', 'FeatureFlags.addToFunction got an imported function, an alias or a version, which it cannot modify: it only grants read access. Add the AppConfig Lambda extension layer and the flags\' environment variables where the function is defined.'),
  INCIDENT_NO_ENGAGEMENT: w('incident-no-engagement', 'A response plan engages no contact: incidents open, but nobody is paged. Engage an escalation plan or on-call schedule (engagements).'),
  INCIDENT_RUNBOOK_RESOURCES: w('incident-runbook-resources', 'A response plan starts a runbook without the incident\'s involved resources: the runbook declares no StringList InvolvedResources parameter and automation.involvedResourcesParameter names none.'),
  AUTO_REMEDIATION_APPROVAL: w('auto-remediation-approval', 'An automated response starts a runbook that waits for an approval, so it does not run unattended.'),
  GAMEDAY_NO_START_RUNBOOK: w('gameday-no-start-runbook', 'A game day has no start runbook (the workload has no approvers).'),
  ECS_CONTAINER_INSIGHTS: w('ecs-container-insights', 'An existing ECS cluster has no Container Insights (enhanced): task-level CPU, memory and restarts are not collected.'),
  ECS_EXISTING_SERVICE: w('ecs-existing-service', 'An existing ECS service cannot be changed by cdk-operable: its deployment alarms, circuit breaker or logging are what its own definition says.'),
  ECS_LOGGING: w('ecs-logging', 'A container of an ECS service logs to no retained CloudWatch log group (awslogs or FireLens), or cdk-operable cannot check it.'),
  KUBERNETES_NO_ROLLOUT_ANALYSIS: w('kubernetes-no-rollout-analysis', 'A Kubernetes service has no Argo Rollouts AnalysisTemplate applied: its canary steps are not gated by its SLO burn rate.'),
  EKS_OBSERVABILITY: w('eks-observability', 'An existing EKS cluster lacks control-plane logging or the amazon-cloudwatch-observability add-on, or cdk-operable cannot check it.'),
  GAMEDAY_LAMBDA_EXTENSION: w('gameday-lambda-extension', 'A Lambda fault-injection experiment targets a function without the FIS extension layer and wrapper.'),
} as const;

/**
 * Template metadata key a construct writes on a resource it wraps but must not change (an existing function): rule id →
 * the warning id it reported that gap with. The rule pack reports such a gap at most at WARN (it is already reported).
 */
export const REPORTED_GAPS_METADATA = 'cdk-operable:reported-gaps';

/** The id strings of `Warnings`, by key (the form most call sites use). */
export const WarningIds = Object.fromEntries(Object.entries(Warnings).map(([k, v]) => [k, v.id])) as { [K in keyof typeof Warnings]: string };

/** Report an acknowledgeable warning registered in `Warnings` (internal: the only way constructs warn). */
export function warn(scope: IConstruct, warning: WarningDefinition, message: string): void {
  Annotations.of(scope).addWarningV2(warning.id, message);
}
