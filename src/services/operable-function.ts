import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionAlarmTable } from './function-alarms';
import { inspectFunction } from './function-inspect';
import { addToSavedQueries, RECENT_ERRORS_QUERY, sharedDeployment, sharedRollback } from './function-shared';
import { reportExistingFunction, withTelemetry } from './function-telemetry';
import { validateDeploymentSettings, validateFunctionProps } from './function-validation';
import { OperableService, OperableServiceProps } from './operable-service';
import { ServiceSloDefaults, ServiceSloOptions } from './service-options';
import { fail, warn, Warnings } from '../core/errors';
import { OpsTags } from '../core/ops-tags';
import { RollbackLambdaAlias } from '../runbooks/presets/rollback-lambda-alias';
import { ServiceLevelObjective } from '../slo/slo';

const OPERABLE_FUNCTION_SYMBOL = Symbol.for('cdk-operable.OperableFunction');

/** CodeDeploy reads at most 10 alarms per deployment group. */
const MAX_DEPLOYMENT_ALARMS = 10;

/**
 * Properties of an operable Lambda function. Give `functionProps` to create the function, or `existingFunction`.
 */
export interface OperableFunctionProps extends OperableServiceProps, ServiceSloDefaults {
  /**
   * Create the function with these props; telemetry defaults are added and your settings win (a setting given both
   * here and as an OperableFunction prop, such as the log level, is an error).
   *
   * @default - none; give exactly one of `functionProps` and `existingFunction`
   */
  readonly functionProps?: lambda.FunctionProps;

  /**
   * Make a function defined elsewhere operable. Its SLOs, alarms and dashboard watch the function itself (all versions),
   * which is what its callers invoke; it gets the `ops:service` and ownership tags and is otherwise not modified: each
   * telemetry element it lacks is reported as an acknowledgeable `cdk-operable:function-*` warning (and the rule pack
   * reports the same gaps at most at WARN). Give an `Alias` to watch the alias instead; set `safeDeployment: true` to have
   * cdk-operable deploy it through a `live` alias.
   *
   * @default - none; give exactly one of `functionProps` and `existingFunction`
   */
  readonly existingFunction?: lambda.IFunction;

  /**
   * Retention of the function's log group.
   *
   * @default - the workload tier's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Application log level (JSON logging).
   *
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;

  /**
   * System log level (JSON logging).
   *
   * @default lambda.SystemLogLevel.INFO
   */
  readonly systemLogLevel?: lambda.SystemLogLevel;

  /**
   * Add the Lambda Insights extension (enhanced monitoring; extra CloudWatch cost).
   *
   * @default false
   */
  readonly lambdaInsights?: boolean;

  /**
   * `POWERTOOLS_METRICS_NAMESPACE` for the function's EMF metrics.
   *
   * @default - the workload name
   */
  readonly metricsNamespace?: string;

  /**
   * Deploy new versions through CodeDeploy, shifting traffic on the `live` alias and rolling back when the service's
   * page alarm, an SLO's fast-burn alarm or a deployment alarm fires. For an `existingFunction` this creates the alias and
   * watches it instead of the function: its callers must then invoke the alias (a `cdk-operable:function-alias-callers`
   * warning says so).
   *
   * @default - true for a function cdk-operable creates; false for an existingFunction (its callers invoke the function
   * itself, and an alias nobody calls would hide their traffic from the SLOs)
   */
  readonly safeDeployment?: boolean;

  /**
   * Add the function to the workload's RollbackLambdaAlias runbook (one per workload and stack), which points the
   * alias back to the previous version after one approval.
   *
   * @default - true when the workload has approvers and cdk-operable created the alias
   */
  readonly rollbackRunbook?: boolean;

  /**
   * How traffic shifts to a new version.
   *
   * @default codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;

  /**
   * More alarms that roll a deployment back (CodeDeploy reads at most 10 in all).
   *
   * @default - none
   */
  readonly deploymentAlarms?: cloudwatch.IAlarm[];

  /**
   * Name of the alias traffic goes through.
   *
   * @default 'live'
   */
  readonly aliasName?: string;

  /**
   * Ticket (saturation alarm) when concurrency stays at or above this percentage of the limit for 15 minutes.
   *
   * @default 80
   */
  readonly concurrencyAlarmPercent?: number;

  /**
   * The concurrency limit the percentage applies to.
   *
   * @default - the function's reserved concurrency; without one, the account's claimed concurrency is compared with the
   * account's concurrency quota, read at run time (CloudWatch `SERVICE_QUOTA`)
   */
  readonly concurrencyLimit?: number;

  /**
   * Also count throttling in the saturation alarm (throttled in 3 consecutive 5-minute periods).
   *
   * @default true
   */
  readonly throttleAlarm?: boolean;

  /**
   * The function is invoked asynchronously: adds dropped-event and delivery-failure alarms.
   *
   * @default - true when functionProps sets a dead-letter queue, destinations, retry attempts or max event age
   */
  readonly asyncInvocation?: boolean;

  /**
   * Dead-letter queue of an existing function, for its depth alarm (for a function cdk-operable creates, set
   * `functionProps.deadLetterQueue`; giving this with `functionProps` is an error).
   *
   * @default - the dead-letter queue the function's own settings show, if any
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * An AWS Lambda function with the whole operational Definition of Done: telemetry on (X-Ray, JSON logs in a retained
 * log group, Powertools environment), a `live` alias deployed by CodeDeploy with automatic rollback, availability
 * and latency SLOs on the alias (so canary traffic counts), ticket alarms for throttling, concurrency and async
 * failures, saved Logs Insights queries, a dashboard, and ORR tags.
 *
 * @example
 * const quotes = new OperableFunction(workload, 'Quotes', {
 *   functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('dist/quotes') },
 * });
 */
export class OperableFunction extends OperableService {
  /**
   * Whether `x` is an OperableFunction (works across copies of this library).
   */
  public static isOperableFunction(x: unknown): x is OperableFunction {
    return x !== null && typeof x === 'object' && OPERABLE_FUNCTION_SYMBOL in (x as object);
  }

  /** The function. */
  public readonly lambdaFunction: lambda.IFunction;
  /**
   * The alias traffic goes through.
   * @default - none for an imported function
   */
  public readonly alias?: lambda.Alias;
  /**
   * The CodeDeploy deployment group.
   * @default - none when safeDeployment is false or the function is imported
   */
  public readonly deploymentGroup?: codedeploy.LambdaDeploymentGroup;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /**
   * The availability SLO.
   * @default - none when availabilitySlo is false
   */
  public readonly availability?: ServiceLevelObjective;
  /**
   * The latency SLO.
   * @default - none when latencySlo is false
   */
  public readonly latency?: ServiceLevelObjective;

  /**
   * The workload's shared runbook that points the alias back to the previous version, with this function added.
   * @default - none when rollbackRunbook is false (the default without workload approvers)
   */
  public readonly rollbackRunbook?: RollbackLambdaAlias;

  private deploymentAlarmCount = 0;

  constructor(scope: Construct, id: string, props: OperableFunctionProps) {
    super(scope, id, props);
    Object.defineProperty(this, OPERABLE_FUNCTION_SYMBOL, { value: true });
    validateFunctionProps(this, props);
    const tier = this.workload.tier;

    let createdLogGroup: logs.ILogGroup | undefined;
    if (props.functionProps) {
      const telemetry = withTelemetry(this, props.functionProps, {
        serviceName: this.serviceName,
        metricsNamespace: props.metricsNamespace,
        defaultMetricsNamespace: this.workload.workloadName,
        logRetention: props.logRetention,
        defaultLogRetention: tier.logRetention,
        applicationLogLevel: props.applicationLogLevel,
        systemLogLevel: props.systemLogLevel,
        lambdaInsights: props.lambdaInsights,
      });
      this.lambdaFunction = new lambda.Function(this, 'Function', telemetry.props);
      createdLogGroup = telemetry.logGroup;
    } else {
      this.lambdaFunction = props.existingFunction!;
    }
    const facts = inspectFunction(this, this.lambdaFunction, createdLogGroup);
    const fn = facts.underlying;
    // A created function always goes through its alias; an existing one only when asked (its callers invoke the function).
    const createsAlias = !facts.givenAlias && fn instanceof lambda.Function && (props.functionProps !== undefined || props.safeDeployment === true);
    validateDeploymentSettings(this, props, facts, createsAlias);
    if (props.existingFunction) {
      ownExisting(this, fn, facts.logGroup);
      reportExistingFunction(this, facts, { hasAlias: createsAlias || facts.givenAlias !== undefined });
    }
    this.logGroup = facts.logGroup;

    if (facts.givenAlias) {
      this.alias = facts.givenAlias;
    } else if (createsAlias) {
      this.alias = new lambda.Alias(this, 'Alias', { aliasName: props.aliasName ?? 'live', version: (fn as lambda.Function).currentVersion });
      if (props.existingFunction) {
        warn(this, Warnings.FUNCTION_ALIAS_CALLERS, `safeDeployment created the alias ${this.alias.aliasName} for existing function ${fn.node.path}: its ` +
          'SLOs, alarms and canary deployments now watch the alias, so every caller must invoke the alias, not the function (OPS06-BP03).');
      }
    }
    const target: lambda.IFunction = this.alias ?? fn;
    this._watches(target);

    const slos = this._addDefaultSlos(props, { bad: target.metricErrors(), total: target.metricInvocations(), latency: target.metricDuration() });
    this.availability = slos.availability;
    this.latency = slos.latency;

    const deadLetterQueue = props.deadLetterQueue ?? facts.deadLetterQueue;
    const hasDeadLetterTarget = deadLetterQueue !== undefined || facts.deadLetterTopic !== undefined;
    const async = props.asyncInvocation ?? (hasDeadLetterTarget || facts.asyncConfigured);
    const limit = props.concurrencyLimit ?? facts.reservedConcurrency ?? props.functionProps?.reservedConcurrentExecutions;
    const operational = functionAlarmTable({
      fn,
      target,
      throttles: props.throttleAlarm ?? true,
      concurrencyLimit: limit,
      concurrencyLimitSource: props.concurrencyLimit !== undefined ? 'concurrencyLimit' : 'reserved concurrency',
      concurrencyPercent: props.concurrencyAlarmPercent ?? 80,
      async,
      deadLetterQueue,
      hasDeadLetterTarget,
      hasDestinations: facts.hasDestinations,
    });
    for (const { id: alarmId, options } of operational) this.addOperationalAlarm(alarmId, options);

    if (createsAlias && (props.safeDeployment ?? true)) {
      const fastBurn = this.slos.map((s) => s.fastBurnAlarm);
      const deploymentAlarms = [this.pageAlarm, ...fastBurn, ...(props.deploymentAlarms ?? [])];
      if (deploymentAlarms.length > MAX_DEPLOYMENT_ALARMS) {
        fail(this, `deployment would watch ${deploymentAlarms.length} alarms (the page composite, ${fastBurn.length} fast-burn alarms and ` +
          `${props.deploymentAlarms?.length ?? 0} deploymentAlarms); CodeDeploy reads at most ${MAX_DEPLOYMENT_ALARMS}. Pass fewer deploymentAlarms.`);
      }
      const shared = sharedDeployment(this);
      this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'Deployment', {
        alias: this.alias!,
        application: shared.application,
        role: shared.role,
        deploymentConfig: props.deploymentConfig ?? codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
        alarms: deploymentAlarms,
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      this.deploymentAlarmCount = deploymentAlarms.length;
    }

    addToSavedQueries(this, this.logGroup);
    if (props.rollbackRunbook ?? (this.workload.approvers !== undefined && createsAlias)) {
      if (!createsAlias) {
        fail(this, 'rollbackRunbook is true, but cdk-operable deploys no alias for this function (an existing function without safeDeployment: ' +
          'true, an imported function, or an alias it does not own): leave rollbackRunbook unset.');
      }
      this.rollbackRunbook = sharedRollback(this);
      this.rollbackRunbook.addAlias(this.alias!);
    }
    this._addSignals({
      traffic: target.metricInvocations(),
      errors: target.metricErrors(),
      latency: target.metricDuration(),
      saturation: [fn.metric('ConcurrentExecutions', { statistic: 'Maximum' }), target.metricThrottles()],
    }, { title: `${this.serviceName}: recent errors`, logGroups: [this.logGroup], query: RECENT_ERRORS_QUERY });
  }

  /**
   * Add an SLO to the function's service; its fast-burn alarm also rolls deployments back.
   */
  public addSlo(id: string, options: ServiceSloOptions): ServiceLevelObjective {
    const slo = super.addSlo(id, options);
    if (this.deploymentGroup) {
      if (this.deploymentAlarmCount + 1 > MAX_DEPLOYMENT_ALARMS) {
        fail(slo, `the deployment group already watches ${this.deploymentAlarmCount} alarms; CodeDeploy reads at most ${MAX_DEPLOYMENT_ALARMS}, ` +
          "so this SLO's fast-burn alarm cannot roll deployments back. Pass fewer deploymentAlarms.");
      }
      this.deploymentGroup.addAlarm(slo.fastBurnAlarm);
      this.deploymentAlarmCount += 1;
    }
    return slo;
  }
}

/**
 * An existing function joins the service: the `ops:service` tag and the workload's ownership tags on it (and on what it
 * defines: its role, its policy), and on its log group when that is defined in the app (it may sit elsewhere in the tree),
 * so the rule pack and the review see who owns them. An imported function or log group has no template resource to tag.
 */
function ownExisting(service: OperableFunction, fn: lambda.IFunction, logGroup: logs.ILogGroup): void {
  for (const resource of [fn, logGroup]) {
    if (!(resource instanceof lambda.Function || resource instanceof logs.LogGroup)) continue;
    service.workload.own(resource);
    OpsTags.apply(resource, OpsTags.SERVICE, service.serviceName);
  }
}
