import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import {
  checkDuration, checkMilliseconds, checkOptions, checkPercent, checkSources, describeDuration, ECS_CHECKS, LAMBDA_CHECKS,
} from './checks';
import { LambdaFaultConfiguration } from './lambda-fault-configuration';
import { Checks, checkRequired, describeValue } from '../core/checks';
import { fail } from '../core/errors';
import { Workload } from '../core/workload';
import { OperableFargateService } from '../services/operable-fargate-service';
import { OperableFunction } from '../services/operable-function';
import { IOperableService } from '../services/operable-service';

const EXPERIMENT_SYMBOL = Symbol.for('cdk-operable.GameDayExperiment');

/**
 * Options every experiment takes.
 */
export interface GameDayExperimentOptions {
  /**
   * Name of the experiment, unique in its game day: 1-64 letters, digits, '.', '_' or '-'. It names the FIS action,
   * the experiment's constructs and the start runbook's choices.
   *
   * @default - the experiment's kind, e.g. `lambda-invocation-errors`
   */
  readonly name?: string;

  /**
   * The runbook the experiment exercises: a URL or an SSM Automation document name (e.g. `failover.documentName`).
   * The experiment template's description names it.
   *
   * @default - the game day's runbook
   */
  readonly runbook?: string;
}

/**
 * Options of the Lambda experiments.
 */
export interface LambdaFaultOptions extends GameDayExperimentOptions {
  /**
   * Where FIS writes the fault configurations the FIS Lambda extension of the function reads (the function must be
   * prepared with `configuration.applyTo(fn)` or the same layer, environment and grant).
   */
  readonly configuration: LambdaFaultConfiguration;

  /**
   * The function to inject faults into (an alias or version stands for its function: FIS targets the function).
   *
   * @default - the game day service's function, when the service is an OperableFunction
   */
  readonly lambdaFunction?: lambda.IFunction;

  /**
   * Percentage of invocations to inject the fault into (FIS `invocationPercentage`), 1-100.
   *
   * @default 25
   */
  readonly percent?: number;

  /**
   * How long the fault lasts, 1 minute to 12 hours.
   *
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;
}

/**
 * Options of `GameDayExperiment.lambdaInvocationErrors`.
 */
export interface LambdaInvocationErrorsOptions extends LambdaFaultOptions {
  /**
   * Return the error without running the function code (no side effects); false runs the code, then fails the
   * invocation.
   *
   * @default true
   */
  readonly preventExecution?: boolean;
}

/**
 * Options of `GameDayExperiment.lambdaAddedLatency`.
 */
export interface LambdaAddedLatencyOptions extends LambdaFaultOptions {
  /**
   * The delay added before the function code runs (FIS `startupDelayMilliseconds`), 0 to 15 minutes, whole
   * milliseconds.
   *
   * @default - the workload tier's latency threshold, so each delayed invocation counts against the latency SLO
   */
  readonly delay?: Duration;
}

/**
 * Options of `GameDayExperiment.ecsStopTasks`.
 */
export interface EcsStopTasksOptions extends GameDayExperimentOptions {
  /**
   * The ECS service whose tasks are stopped.
   *
   * @default - the game day service's ECS service, when the service is an OperableFargateService
   */
  readonly service?: ecs.IBaseService;

  /**
   * Percentage of the service's running tasks to stop, 1-100.
   *
   * @default 50
   */
  readonly percent?: number;
}

/**
 * Options of `GameDayExperiment.ecsNetworkLatency`.
 */
export interface EcsNetworkLatencyOptions extends GameDayExperimentOptions {
  /**
   * The ECS service whose tasks get the latency (they need the SSM agent sidecar FIS ECS task actions use).
   *
   * @default - the game day service's ECS service, when the service is an OperableFargateService
   */
  readonly service?: ecs.IBaseService;

  /**
   * Percentage of the service's running tasks to affect, 1-100.
   *
   * @default 50
   */
  readonly percent?: number;

  /**
   * How long the latency lasts, 1 minute to 12 hours.
   *
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;

  /**
   * Latency added to egress traffic (FIS `delayMilliseconds`), whole milliseconds.
   *
   * @default - the workload tier's latency threshold
   */
  readonly delay?: Duration;

  /**
   * Jitter (FIS `jitterMilliseconds`), whole milliseconds.
   *
   * @default Duration.millis(10)
   */
  readonly jitter?: Duration;

  /**
   * Percentage of network flows affected (FIS `flowsPercent`, ECS agent 1.100.0 or later), 1-100.
   *
   * @default - FIS's default: all flows
   */
  readonly flowsPercent?: number;

  /**
   * Destinations whose traffic is delayed: IPv4 addresses, CIDR blocks, domain names, AZ names or ids, `ALL`,
   * `DYNAMODB` or `S3`.
   *
   * @default - FIS's default: ALL
   */
  readonly sources?: string[];

  /**
   * Use the Amazon ECS fault injection endpoints (the task definition must enable fault injection) instead of `tc`.
   *
   * @default - FIS's default: false
   */
  readonly useEcsFaultInjectionEndpoints?: boolean;
}

/**
 * Options of `GameDayExperiment.auroraFailover`.
 */
export interface AuroraFailoverOptions extends GameDayExperimentOptions {
  /** The Aurora cluster to fail over (it needs a reader to promote). */
  readonly cluster: rds.IDatabaseCluster;
}

/** What an experiment needs from its game day (internal). */
export interface ExperimentContext {
  /** The game day: errors name it. */
  readonly scope: Construct;
  readonly workload: Workload;
  readonly service?: IOperableService;
  readonly serviceName: string;
  /** The experiment's name. */
  readonly name: string;
}

/** The FIS target of an experiment (internal). */
export interface ExperimentTarget {
  readonly resourceType: string;
  readonly selectionMode: string;
  readonly resourceArns?: string[];
  readonly parameters?: { [key: string]: string };
}

/** An experiment as its game day renders it (internal). */
export interface ExperimentPlan {
  /** What it does, one sentence without the final period. */
  readonly summary: string;
  /** The key the action names its target under (`Functions`, `Tasks`, `Clusters`). */
  readonly targetKey: string;
  readonly target: ExperimentTarget;
  readonly parameters: { [key: string]: string };
  /** What the experiment role needs, least privilege. */
  readonly statements: iam.PolicyStatement[];
  /** How long the action lasts (none: it acts once). */
  readonly duration?: Duration;
  /** Grants beyond the inline policy (e.g. a KMS key). */
  readonly grant?: (role: iam.IRole) => void;
  /** The function of a Lambda experiment, whose FIS extension setup the game day checks. */
  readonly lambdaFunction?: lambda.IFunction;
  readonly configuration?: LambdaFaultConfiguration;
}

type Planner = (ctx: ExperimentContext) => ExperimentPlan;

/**
 * One AWS FIS experiment of a game day: a fault for one kind of service, with safe defaults. Build them with the
 * static factories; the `GameDay` turns each into an experiment template.
 *
 * Sources (action ids, target types and keys, parameters, permissions): AWS FIS user guide, "AWS FIS Actions
 * reference" (Lambda, ECS and RDS actions), "Targets" and "Use the AWS FIS aws:lambda:function actions".
 *
 * @example
 * GameDayExperiment.lambdaInvocationErrors({ configuration: faults, percent: 10 });
 * GameDayExperiment.auroraFailover({ cluster: orders, runbook: failover.documentName });
 */
export class GameDayExperiment {
  /** Kind of the Lambda invocation-errors experiment (the `ops:gameday` tag value). */
  public static readonly LAMBDA_INVOCATION_ERRORS = 'lambda-invocation-errors';
  /** Kind of the Lambda added-latency experiment. */
  public static readonly LAMBDA_ADDED_LATENCY = 'lambda-added-latency';
  /** Kind of the ECS stop-tasks experiment. */
  public static readonly ECS_STOP_TASKS = 'ecs-stop-tasks';
  /** Kind of the ECS network-latency experiment. */
  public static readonly ECS_NETWORK_LATENCY = 'ecs-network-latency';
  /** Kind of the Aurora failover experiment. */
  public static readonly AURORA_FAILOVER = 'aurora-failover';

  /**
   * `aws:lambda:invocation-error` on the function: a share of its invocations fail for a while. Exercises error
   * alarms, retries and the rollback or investigation runbook.
   */
  public static lambdaInvocationErrors(options: LambdaInvocationErrorsOptions): GameDayExperiment {
    return new GameDayExperiment(GameDayExperiment.LAMBDA_INVOCATION_ERRORS, 'aws:lambda:invocation-error', options, (ctx) => {
      checkOptions(ctx, options, { ...LAMBDA_CHECKS, preventExecution: [Checks.boolean] });
      const preventExecution = options.preventExecution ?? true;
      return lambdaPlan(ctx, options, `Make ${options.percent ?? 25}% of the invocations of the ${ctx.serviceName} function fail` +
        `${preventExecution ? ' without running its code' : ''}`, { preventExecution: String(preventExecution) });
    });
  }

  /**
   * `aws:lambda:invocation-add-delay` on the function: a share of its invocations start late. Exercises latency
   * SLOs, client timeouts and the runbook.
   */
  public static lambdaAddedLatency(options: LambdaAddedLatencyOptions): GameDayExperiment {
    return new GameDayExperiment(GameDayExperiment.LAMBDA_ADDED_LATENCY, 'aws:lambda:invocation-add-delay', options, (ctx) => {
      checkOptions(ctx, options, LAMBDA_CHECKS);
      const delay = options.delay ?? ctx.workload.tier.latencyThreshold;
      const ms = checkMilliseconds(ctx, 'delay', delay, 900_000, ' (FIS startupDelayMilliseconds, 15 minutes)');
      return lambdaPlan(ctx, options, `Delay ${options.percent ?? 25}% of the invocations of the ${ctx.serviceName} function by ${ms} ms`,
        { startupDelayMilliseconds: String(ms) });
    });
  }

  /**
   * `aws:ecs:stop-task` on a share of the service's running tasks. Exercises ECS self-healing, capacity headroom and
   * the restart or scale runbook.
   */
  public static ecsStopTasks(options: EcsStopTasksOptions): GameDayExperiment {
    return new GameDayExperiment(GameDayExperiment.ECS_STOP_TASKS, 'aws:ecs:stop-task', options, (ctx) => {
      checkOptions(ctx, options, ECS_CHECKS);
      const percent = checkPercent(ctx, 'percent', options.percent ?? 50, 'the share of running tasks FIS stops');
      const tasks = ecsTasks(ctx, options.service);
      return {
        summary: `Stop ${percent}% of the running tasks of the ${ctx.serviceName} ECS service`,
        targetKey: 'Tasks',
        target: { ...tasks.target, selectionMode: `PERCENT(${percent})` },
        parameters: {},
        statements: [
          new iam.PolicyStatement({ actions: ['ecs:DescribeTasks', 'ecs:StopTask'], resources: [tasks.taskArns], conditions: tasks.inCluster }),
          new iam.PolicyStatement({ actions: ['ecs:ListTasks'], resources: ['*'], conditions: tasks.inCluster }),
          tagLookups(),
        ],
      };
    });
  }

  /**
   * `aws:ecs:task-network-latency` on a share of the service's tasks: egress traffic is delayed. Exercises timeouts,
   * latency SLOs and the runbook. The tasks must run the SSM agent sidecar of the FIS ECS task actions (FIS user guide,
   * "Use the AWS FIS aws:ecs:task actions"): `pidMode: task`, no `bridge` network mode, ECS Exec off.
   */
  public static ecsNetworkLatency(options: EcsNetworkLatencyOptions): GameDayExperiment {
    return new GameDayExperiment(GameDayExperiment.ECS_NETWORK_LATENCY, 'aws:ecs:task-network-latency', options, (ctx) => {
      checkOptions(ctx, options, {
        ...ECS_CHECKS,
        sources: [Checks.arrayOf(Checks.string(), 'an array of strings')],
        useEcsFaultInjectionEndpoints: [Checks.boolean],
      });
      const percent = checkPercent(ctx, 'percent', options.percent ?? 50, 'the share of running tasks FIS affects');
      const duration = checkDuration(ctx, options.duration ?? Duration.minutes(10));
      const delay = checkMilliseconds(ctx, 'delay', options.delay ?? ctx.workload.tier.latencyThreshold);
      const jitter = checkMilliseconds(ctx, 'jitter', options.jitter ?? Duration.millis(10));
      const parameters: { [key: string]: string } = {
        duration: duration.toIsoString(),
        delayMilliseconds: String(delay),
        jitterMilliseconds: String(jitter),
      };
      if (options.flowsPercent !== undefined) {
        parameters.flowsPercent = String(checkPercent(ctx, 'flowsPercent', options.flowsPercent, 'the share of network flows FIS delays'));
      }
      if (options.sources !== undefined) parameters.sources = checkSources(ctx, options.sources);
      if (options.useEcsFaultInjectionEndpoints !== undefined) {
        parameters.useEcsFaultInjectionEndpoints = String(options.useEcsFaultInjectionEndpoints);
      }
      const stack = Stack.of(ctx.scope);
      const tasks = ecsTasks(ctx, options.service);
      const document = options.useEcsFaultInjectionEndpoints ? 'AWSFIS-Run-Network-Latency-ECS' : 'AWSFIS-Run-Network-Latency-Sources';
      return {
        summary: `Add ${delay} ms of network latency to ${percent}% of the tasks of the ${ctx.serviceName} ECS service, for ${describeDuration(duration)}`,
        targetKey: 'Tasks',
        target: { ...tasks.target, selectionMode: `PERCENT(${percent})` },
        parameters,
        duration,
        statements: [
          new iam.PolicyStatement({ actions: ['ecs:DescribeTasks'], resources: [tasks.taskArns], conditions: tasks.inCluster }),
          new iam.PolicyStatement({
            actions: ['ecs:DescribeContainerInstances'],
            resources: [stack.formatArn({ service: 'ecs', resource: 'container-instance', resourceName: `${tasks.clusterName}/*` })],
            conditions: tasks.inCluster,
          }),
          new iam.PolicyStatement({ actions: ['ecs:ListTasks'], resources: ['*'], conditions: tasks.inCluster }),
          new iam.PolicyStatement({ actions: ['ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ssm:CancelCommand', 'ssm:ListCommands'], resources: ['*'] }),
          new iam.PolicyStatement({
            actions: ['ssm:SendCommand'],
            resources: [
              stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: document }),
              stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
            ],
          }),
          tagLookups(),
        ],
      };
    });
  }

  /**
   * `aws:rds:failover-db-cluster` on the Aurora cluster: a reader is promoted to writer. Exercises client reconnects
   * and the failover runbook (e.g. `FailoverAuroraCluster`).
   */
  public static auroraFailover(options: AuroraFailoverOptions): GameDayExperiment {
    return new GameDayExperiment(GameDayExperiment.AURORA_FAILOVER, 'aws:rds:failover-db-cluster', options, (ctx) => {
      checkOptions(ctx, options, {});
      checkRequired(ctx.scope, `experiment '${ctx.name}': cluster`, options.cluster, Checks.instance((v) => v !== null && typeof v === 'object' &&
        typeof (v as rds.IDatabaseCluster).clusterArn === 'string', 'an Aurora cluster (rds.IDatabaseCluster)'), 'Give the cluster to fail over.');
      const instances = knownInstances(options.cluster);
      if (instances !== undefined && instances.length < 2) {
        fail(ctx.scope, `experiment '${ctx.name}': cluster ${options.cluster.node.path} has ${instances.length} instance(s) and no reader to fail over ` +
          'to: add a reader instance (aws:rds:failover-db-cluster promotes one).');
      }
      return {
        summary: `Fail the ${ctx.serviceName} Aurora cluster over to a reader`,
        targetKey: 'Clusters',
        target: { resourceType: 'aws:rds:cluster', resourceArns: [options.cluster.clusterArn], selectionMode: 'ALL' },
        parameters: {},
        statements: [
          new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters', 'rds:FailoverDBCluster'], resources: [options.cluster.clusterArn] }),
          tagLookups(),
        ],
      };
    });
  }

  /**
   * Whether `x` is a GameDayExperiment (works across copies of this library).
   */
  public static isGameDayExperiment(x: unknown): x is GameDayExperiment {
    return x !== null && typeof x === 'object' && EXPERIMENT_SYMBOL in (x as object);
  }

  /** The kind of experiment, e.g. `lambda-invocation-errors`: the value of the template's `ops:gameday` tag. */
  public readonly kind: string;
  /** The FIS action id, e.g. `aws:lambda:invocation-error`. */
  public readonly actionId: string;
  /** The experiment's name in its game day. */
  public readonly name: string;
  /**
   * The runbook the experiment exercises.
   * @default - the game day's
   */
  public readonly runbook?: string;

  private readonly planner: Planner;

  private constructor(kind: string, actionId: string, options: GameDayExperimentOptions, planner: Planner) {
    Object.defineProperty(this, EXPERIMENT_SYMBOL, { value: true });
    const given = options !== null && typeof options === 'object' && !Array.isArray(options);
    const o: GameDayExperimentOptions = given ? options : {};
    this.kind = kind;
    this.actionId = actionId;
    this.name = o.name ?? kind;
    this.runbook = o.runbook;
    // Factories have no scope: bad options are reported by the game day that plans the experiment.
    this.planner = given ? planner : (ctx) => fail(ctx.scope, `experiment '${kind}': its factory needs an options object, got ${describeValue(options)}.`);
  }

  /**
   * The experiment's target, action and permissions, after checking its options.
   * @internal
   */
  public _plan(ctx: ExperimentContext): ExperimentPlan {
    return this.planner(ctx);
  }
}

/** A Lambda fault: the function resolved, percent and duration checked, the FIS extension's permissions. */
function lambdaPlan(ctx: ExperimentContext, options: LambdaFaultOptions, summary: string, parameters: { [key: string]: string }): ExperimentPlan {
  const given = options.lambdaFunction ?? (OperableFunction.isOperableFunction(ctx.service) ? ctx.service.lambdaFunction : undefined);
  if (!given) {
    const what = ctx.service ? `service '${ctx.serviceName}' is an ${ctx.service.constructor.name}, not an OperableFunction` : 'the game day has no service';
    fail(ctx.scope, `experiment '${ctx.name}' injects faults into a Lambda function, but ${what}: give lambdaFunction.`);
  }
  const percent = checkPercent(ctx, 'percent', options.percent ?? 25, 'the share of invocations FIS injects the fault into');
  const duration = checkDuration(ctx, options.duration ?? Duration.minutes(10));
  const fn = unqualified(given);
  const configuration = options.configuration;
  configuration._validate(ctx.scope, `experiment '${ctx.name}': configuration`);
  return {
    summary: `${summary}, for ${describeDuration(duration)}`,
    targetKey: 'Functions',
    target: { resourceType: 'aws:lambda:function', resourceArns: [fn.functionArn], selectionMode: 'ALL' },
    parameters: { duration: duration.toIsoString(), invocationPercentage: String(percent), ...parameters },
    duration,
    statements: [
      new iam.PolicyStatement({ actions: ['s3:DeleteObject', 's3:PutObject'], resources: [configuration.objectsArn] }),
      new iam.PolicyStatement({ actions: ['lambda:GetFunction'], resources: [fn.functionArn, `${fn.functionArn}:*`] }),
      tagLookups(),
    ],
    grant: configuration.bucket.encryptionKey ? (role) => configuration.bucket.encryptionKey!.grant(role, 'kms:GenerateDataKey') : undefined,
    lambdaFunction: fn,
    configuration,
  };
}

/** FIS resolves targets with the Resource Groups Tagging API; IAM scopes `tag:GetResources` to nothing narrower. */
function tagLookups(): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['tag:GetResources'], resources: ['*'] });
}

/** The tasks of an ECS service as a FIS target, their ARNs and the `ecs:cluster` condition that keeps the role in the cluster. */
function ecsTasks(ctx: ExperimentContext, given: ecs.IBaseService | undefined) {
  const service = given ?? (OperableFargateService.isOperableFargateService(ctx.service) ? ctx.service.service : undefined);
  if (!service) {
    const what = ctx.service ? `service '${ctx.serviceName}' is an ${ctx.service.constructor.name}, not an OperableFargateService` : 'the game day has no service';
    return fail(ctx.scope, `experiment '${ctx.name}' acts on the tasks of an ECS service, but ${what}: give service.`);
  }
  const cluster = service.cluster;
  return {
    clusterName: cluster.clusterName,
    target: { resourceType: 'aws:ecs:task', parameters: { cluster: cluster.clusterName, service: service.serviceName } },
    taskArns: Stack.of(ctx.scope).formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    inCluster: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
  };
}

/** The function an alias or version belongs to (FIS targets functions); the function itself otherwise. */
function unqualified(fn: lambda.IFunction): lambda.IFunction {
  const alias = fn as Partial<lambda.IAlias>;
  if (alias.aliasName !== undefined && alias.version?.lambda) return alias.version.lambda;
  const version = fn as Partial<lambda.IVersion>;
  if (version.version !== undefined && version.lambda) return version.lambda;
  return fn;
}

/** The cluster's instance identifiers, or undefined when an imported cluster does not know them (its getter throws). */
function knownInstances(cluster: rds.IDatabaseCluster): string[] | undefined {
  try {
    return cluster.instanceIdentifiers;
  } catch {
    return undefined;
  }
}
