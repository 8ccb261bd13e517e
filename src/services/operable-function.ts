import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionAlarmTable } from './function-alarms';
import { FunctionFacts, inspectFunction } from './function-inspect';
import { addToSavedQueries, RECENT_ERRORS_QUERY, sharedDeployment, sharedRollback } from './function-shared';
import { FunctionWarnings, reportExistingFunction, withTelemetry } from './function-telemetry';
import { OperableService, OperableServiceProps, ServiceSloOptions } from './operable-service';
import { fail } from '../core/errors';
import { FeatureFlags, FeatureFlagsProps } from '../flags/feature-flags';
import { RollbackLambdaAlias } from '../runbooks/presets/rollback-lambda-alias';
import { BurnRatePolicy } from '../slo/burn-rate-policy';
import { Sli } from '../slo/sli';
import { ServiceLevelObjective } from '../slo/slo';

const OPERABLE_FUNCTION_SYMBOL = Symbol.for('cdk-operable.OperableFunction');

/** CodeDeploy reads at most 10 alarms per deployment group. */
const MAX_DEPLOYMENT_ALARMS = 10;

/**
 * Properties of an operable Lambda function. Give `functionProps` to create the function, or `existingFunction`.
 */
export interface OperableFunctionProps extends OperableServiceProps {
  /**
   * Create the function with these props; telemetry defaults are added and your settings win.
   *
   * @default - none; give exactly one of `functionProps` and `existingFunction`
   */
  readonly functionProps?: lambda.FunctionProps;

  /**
   * Make a function defined elsewhere operable. It is not modified: each telemetry element it lacks is reported
   * as an acknowledgeable warning.
   *
   * @default - none; give exactly one of `functionProps` and `existingFunction`
   */
  readonly existingFunction?: lambda.IFunction;

  /**
   * Availability objective (percent of invocations without error).
   *
   * @default - the workload tier's availability objective
   */
  readonly availabilityObjective?: number;

  /**
   * Latency objective (percent of invocations faster than `latencyThreshold`).
   *
   * @default - the workload tier's latency objective
   */
  readonly latencyObjective?: number;

  /**
   * Invocations slower than this count against the latency SLO.
   *
   * @default - the workload tier's latency threshold
   */
  readonly latencyThreshold?: Duration;

  /**
   * Burn-rate policy of both SLOs.
   *
   * @default BurnRatePolicy.SRE_WORKBOOK
   */
  readonly policy?: BurnRatePolicy;

  /**
   * Create the availability SLO.
   *
   * @default true
   */
  readonly availabilitySlo?: boolean;

  /**
   * Create the latency SLO.
   *
   * @default true
   */
  readonly latencySlo?: boolean;

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
   * page alarm, an SLO's fast-burn alarm or a deployment alarm fires.
   *
   * @default true
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
   * @default - the function's reserved concurrency, else 1000 (the default account limit)
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
   * Dead-letter queue of an existing function, for its depth alarm.
   *
   * @default - the created function's dead-letter queue, if any
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Feature flags for the function (AppConfig), rolled back by this service's page composite: the function gets read
   * access, the AppConfig Lambda extension and the environment variables to fetch them.
   *
   * @default - no feature flags
   */
  readonly featureFlags?: FeatureFlagsProps;
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

  /**
   * The function's feature flags.
   * @default - none unless featureFlags is given
   */
  public readonly featureFlags?: FeatureFlags;

  private deploymentAlarmCount = 0;

  constructor(scope: Construct, id: string, props: OperableFunctionProps) {
    super(scope, id, props);
    Object.defineProperty(this, OPERABLE_FUNCTION_SYMBOL, { value: true });
    validate(this, props);
    const tier = this.workload.tier;

    let createdLogGroup: logs.ILogGroup | undefined;
    if (props.functionProps) {
      const telemetry = withTelemetry(this, props.functionProps, {
        serviceName: this.serviceName,
        metricsNamespace: props.metricsNamespace ?? this.workload.workloadName,
        logRetention: props.logRetention ?? tier.logRetention,
        applicationLogLevel: props.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
        systemLogLevel: props.systemLogLevel ?? lambda.SystemLogLevel.INFO,
        lambdaInsights: props.lambdaInsights ?? false,
      });
      this.lambdaFunction = new lambda.Function(this, 'Function', telemetry.props);
      createdLogGroup = telemetry.logGroup;
    } else {
      this.lambdaFunction = props.existingFunction!;
    }
    const facts = inspectFunction(this, this.lambdaFunction, createdLogGroup);
    if (props.existingFunction) reportExistingFunction(this, facts);
    validateDeploymentSettings(this, props, facts);
    const fn = facts.underlying;
    this.logGroup = facts.logGroup;

    if (facts.givenAlias) {
      this.alias = facts.givenAlias;
    } else if (fn instanceof lambda.Function) {
      this.alias = new lambda.Alias(this, 'Alias', { aliasName: props.aliasName ?? 'live', version: fn.currentVersion });
    }
    const target: lambda.IFunction = this.alias ?? fn;

    if (props.availabilitySlo ?? true) {
      this.availability = this.addSlo('Availability', {
        sli: Sli.ratio({ bad: target.metricErrors(), total: target.metricInvocations() }),
        objective: props.availabilityObjective,
        policy: props.policy,
      });
    }
    if (props.latencySlo ?? true) {
      this.latency = this.addSlo('Latency', {
        sli: Sli.latency({ metric: target.metricDuration(), threshold: props.latencyThreshold ?? tier.latencyThreshold }),
        objective: props.latencyObjective,
        policy: props.policy,
      });
    }

    const fp = props.functionProps;
    const deadLetterQueue = props.deadLetterQueue ?? facts.deadLetterQueue;
    const hasDeadLetterTarget = deadLetterQueue !== undefined || facts.deadLetterTopic !== undefined;
    const async = props.asyncInvocation ?? (hasDeadLetterTarget || facts.asyncConfigured);
    const operational = functionAlarmTable({
      fn,
      target,
      throttles: props.throttleAlarm ?? true,
      concurrencyLimit: props.concurrencyLimit ?? facts.reservedConcurrency ?? fp?.reservedConcurrentExecutions ?? 1000,
      concurrencyPercent: props.concurrencyAlarmPercent ?? 80,
      async,
      deadLetterQueue,
      hasDeadLetterTarget,
      hasDestinations: facts.hasDestinations,
    });
    for (const { id: alarmId, options } of operational) this.addOperationalAlarm(alarmId, options);

    if (this.alias && !facts.givenAlias && (props.safeDeployment ?? true)) {
      const fastBurn = this.slos.map((s) => s.fastBurnAlarm);
      const deploymentAlarms = [this.pageAlarm, ...fastBurn, ...(props.deploymentAlarms ?? [])];
      if (deploymentAlarms.length > MAX_DEPLOYMENT_ALARMS) {
        fail(this, `deployment would watch ${deploymentAlarms.length} alarms (the page composite, ${fastBurn.length} fast-burn alarms and ` +
          `${props.deploymentAlarms?.length ?? 0} deploymentAlarms); CodeDeploy reads at most ${MAX_DEPLOYMENT_ALARMS}. Pass fewer deploymentAlarms.`);
      }
      const shared = sharedDeployment(this);
      this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'Deployment', {
        alias: this.alias,
        application: shared.application,
        role: shared.role,
        deploymentConfig: props.deploymentConfig ?? codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
        alarms: deploymentAlarms,
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      this.deploymentAlarmCount = deploymentAlarms.length;
    }

    addToSavedQueries(this, this.logGroup);
    if (props.rollbackRunbook ?? (this.workload.approvers !== undefined && this.alias !== undefined && !facts.givenAlias)) {
      if (!this.alias) fail(this, 'rollbackRunbook is true, but the function has no alias to move back (an imported function): leave it unset.');
      this.rollbackRunbook = sharedRollback(this);
      this.rollbackRunbook.addAlias(this.alias);
    }
    if (props.featureFlags) {
      this.featureFlags = new FeatureFlags(this, 'FeatureFlags', props.featureFlags);
      this.featureFlags._attachTo(this.lambdaFunction, props.functionProps !== undefined);
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

/** Deployment settings must apply to something: never silently ignored. */
function validateDeploymentSettings(scope: Construct, props: OperableFunctionProps, facts: FunctionFacts): void {
  const given = ['deploymentConfig', 'deploymentAlarms', 'aliasName'].filter((k) => props[k as keyof OperableFunctionProps] !== undefined);
  if (given.length === 0) {
    if (facts.givenAlias && props.safeDeployment !== false) {
      Annotations.of(scope).addWarningV2(FunctionWarnings.DEPLOYMENT, `existingFunction is the alias ${facts.givenAlias.aliasName}: cdk-operable does ` +
        "not attach a deployment group to an alias it does not own. Give it a LambdaDeploymentGroup watching this service's pageAlarm (OPS06-BP03).");
    }
    return;
  }
  const why = props.safeDeployment === false ? 'safeDeployment is false'
    : facts.givenAlias ? 'existingFunction is an alias cdk-operable does not deploy'
      : !facts.inspectable ? 'existingFunction is imported, so no alias or deployment group can be created'
        : undefined;
  if (why) fail(scope, `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set, but ${why}: remove ${given.length === 1 ? 'it' : 'them'}.`);
}

function validate(scope: Construct, props: OperableFunctionProps): void {
  if ((props.functionProps === undefined) === (props.existingFunction === undefined)) {
    fail(scope, props.functionProps
      ? 'give either functionProps (to create the function) or existingFunction (to make an existing one operable), not both.'
      : 'give functionProps (to create the function) or existingFunction (to make an existing one operable).');
  }
  if (props.latencyThreshold !== undefined && props.latencyThreshold.toMilliseconds({ integral: false }) <= 0) {
    fail(scope, `latencyThreshold must be greater than zero, got ${props.latencyThreshold.toHumanString()}.`);
  }
  const percent = props.concurrencyAlarmPercent;
  if (percent !== undefined && !(percent > 0 && percent <= 100)) {
    fail(scope, `concurrencyAlarmPercent must be above 0 and at most 100, got ${percent}.`);
  }
  const limit = props.concurrencyLimit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    fail(scope, `concurrencyLimit must be a whole number above 0, got ${limit}.`);
  }
  const alias = props.aliasName;
  if (alias !== undefined && !Token.isUnresolved(alias) && (!/^[a-zA-Z0-9_-]{1,128}$/.test(alias) || /^[0-9]+$/.test(alias))) {
    fail(scope, `aliasName '${alias}' is invalid: use 1-128 letters, digits, '-' or '_', not only digits.`);
  }
  const createOnly = [props.logRetention, props.applicationLogLevel, props.systemLogLevel, props.lambdaInsights, props.metricsNamespace];
  if (props.existingFunction && createOnly.some((v) => v !== undefined)) {
    fail(scope, 'logRetention, applicationLogLevel, systemLogLevel, lambdaInsights and metricsNamespace configure a function cdk-operable ' +
      'creates; with existingFunction, set them where the function is defined.');
  }
}
