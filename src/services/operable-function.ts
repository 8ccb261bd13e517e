import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionAlarmTable } from './function-alarms';
import { addToSavedQueries, RECENT_ERRORS_QUERY, sharedDeployment } from './function-shared';
import { reportExistingFunction, withTelemetry } from './function-telemetry';
import { OperableService, OperableServiceProps } from './operable-service';
import { fail } from '../core/errors';
import { BurnRatePolicy } from '../slo/burn-rate-policy';
import { Sli } from '../slo/sli';
import { ServiceLevelObjective } from '../slo/slo';

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

  constructor(scope: Construct, id: string, props: OperableFunctionProps) {
    super(scope, id, props);
    validate(this, props);
    const tier = this.workload.tier;

    if (props.functionProps) {
      this.lambdaFunction = new lambda.Function(this, 'Function', withTelemetry(this, props.functionProps, {
        serviceName: this.serviceName,
        metricsNamespace: props.metricsNamespace ?? this.workload.workloadName,
        logRetention: props.logRetention ?? tier.logRetention,
        applicationLogLevel: props.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
        systemLogLevel: props.systemLogLevel ?? lambda.SystemLogLevel.INFO,
        lambdaInsights: props.lambdaInsights ?? false,
      }));
    } else {
      this.lambdaFunction = props.existingFunction!;
      reportExistingFunction(this, this.lambdaFunction);
    }
    const fn = this.lambdaFunction;
    this.logGroup = fn instanceof lambda.Function
      ? fn.logGroup
      : logs.LogGroup.fromLogGroupName(this, 'LogGroup', `/aws/lambda/${fn.functionName}`);

    if (fn instanceof lambda.Function) {
      this.alias = new lambda.Alias(this, 'Alias', { aliasName: props.aliasName ?? 'live', version: fn.currentVersion });
    }
    const target: lambda.IFunction = this.alias ?? fn;

    if (props.availabilitySlo ?? true) {
      this.availability = this.addSlo('Availability', {
        sli: Sli.ratio({ bad: target.metricErrors(), total: target.metricInvocations() }),
        objective: props.availabilityObjective,
        policy: props.policy,
        description: 'invocations succeed',
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
    const deadLetterQueue = props.deadLetterQueue ?? (fn instanceof lambda.Function ? fn.deadLetterQueue : undefined);
    const hasDestinations = fp?.onFailure !== undefined || fp?.onSuccess !== undefined;
    const async = props.asyncInvocation ?? (deadLetterQueue !== undefined || fp?.deadLetterTopic !== undefined || hasDestinations
      || fp?.retryAttempts !== undefined || fp?.maxEventAge !== undefined);
    const operational = functionAlarmTable({
      fn,
      target,
      throttles: props.throttleAlarm ?? true,
      concurrencyLimit: props.concurrencyLimit ?? fp?.reservedConcurrentExecutions ?? 1000,
      concurrencyPercent: props.concurrencyAlarmPercent ?? 80,
      async,
      deadLetterQueue,
      hasDestinations,
    });
    for (const { id: alarmId, options } of operational) this.addOperationalAlarm(alarmId, options);

    if (this.alias && (props.safeDeployment ?? true)) {
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
    }

    addToSavedQueries(this, this.logGroup);
    this.dashboard?.addGoldenSignals({
      traffic: target.metricInvocations(),
      errors: target.metricErrors(),
      latency: target.metricDuration(),
      saturation: [fn.metric('ConcurrentExecutions', { statistic: 'Maximum' }), target.metricThrottles()],
    });
    this.dashboard?.addLogQuery(`${this.serviceName}: recent errors`, [this.logGroup], RECENT_ERRORS_QUERY);
  }
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
