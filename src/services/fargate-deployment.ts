import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { brand } from '../core/brand';
import { Checks, checkProps, describeValue } from '../core/checks';
import { fail } from '../core/errors';

/** Options of a canary or linear Fargate deployment. */
export interface FargateTrafficShiftOptions {
  /**
   * Percentage of production traffic shifted in each step: 0.1-100 for a canary, 3-100 for a linear deployment, in
   * multiples of 0.1.
   *
   * @default 10
   */
  readonly stepPercent?: number;

  /**
   * How long each step runs before the next traffic shift (0 to 24 hours, whole minutes). The deployment alarms are
   * watched during it.
   *
   * @default Duration.minutes(10) for a canary, Duration.minutes(5) for a linear deployment
   */
  readonly stepBakeTime?: Duration;

  /**
   * How long the new revision runs with all traffic, watched by the deployment alarms, before the old tasks stop
   * (0 to 24 hours, whole minutes).
   *
   * @default Duration.minutes(10)
   */
  readonly bakeTime?: Duration;
}

/** Options of a blue/green Fargate deployment. */
export interface FargateBlueGreenOptions {
  /**
   * How long the new revision runs with all traffic, watched by the deployment alarms, before the old tasks stop.
   *
   * @default Duration.minutes(10)
   */
  readonly bakeTime?: Duration;
}

/**
 * How an OperableFargateService deploys a new task definition: the ECS deployment controller's own canary, linear,
 * blue/green or rolling strategy. Every strategy rolls back on the deployment alarms (the service's page composite, its
 * SLOs' fast-burn alarms and the canary alarm) and the deployment circuit breaker.
 *
 * @example
 * FargateDeployment.canary({ stepPercent: 5, stepBakeTime: Duration.minutes(15) })
 */
export class FargateDeployment {
  /** 10 % of traffic to the new revision for 10 minutes, then all of it, then a 10-minute bake (the default). */
  public static readonly CANARY_10_PERCENT_10_MINUTES = FargateDeployment.canary({});

  /**
   * Shift `stepPercent` of traffic to the new revision, wait `stepBakeTime`, then shift the rest and bake.
   */
  public static canary(options: FargateTrafficShiftOptions): FargateDeployment {
    return new FargateDeployment(ecs.DeploymentStrategy.CANARY, options, Duration.minutes(10), 0.1);
  }

  /**
   * Shift traffic in equal `stepPercent` steps, `stepBakeTime` apart, then bake.
   */
  public static linear(options: FargateTrafficShiftOptions): FargateDeployment {
    return new FargateDeployment(ecs.DeploymentStrategy.LINEAR, options, Duration.minutes(5), 3);
  }

  /**
   * Start the new revision beside the old one, shift all traffic at once, bake, then stop the old tasks.
   */
  public static blueGreen(options: FargateBlueGreenOptions): FargateDeployment {
    return new FargateDeployment(ecs.DeploymentStrategy.BLUE_GREEN, options, undefined, undefined);
  }

  /**
   * Replace tasks in place (no traffic shifting): the deployment alarms and circuit breaker still roll it back, but every
   * user meets the new revision as soon as its tasks are healthy. Needs no second target group.
   */
  public static rolling(): FargateDeployment {
    return new FargateDeployment(ecs.DeploymentStrategy.ROLLING, {}, undefined, undefined);
  }

  /** Whether `x` is a FargateDeployment (works across copies of this library). */
  public static isFargateDeployment(x: unknown): x is FargateDeployment {
    return x !== null && typeof x === 'object' && Symbol.for('cdk-operable.FargateDeployment') in (x as object);
  }

  /** The ECS deployment strategy. */
  public readonly strategy: ecs.DeploymentStrategy;

  private readonly options: FargateTrafficShiftOptions;
  private readonly defaultStepBake?: Duration;
  private readonly minStep?: number;

  private constructor(strategy: ecs.DeploymentStrategy, options: FargateTrafficShiftOptions, defaultStepBake?: Duration, minStep?: number) {
    brand(this, 'FargateDeployment');
    this.strategy = strategy;
    this.options = options ?? {};
    this.defaultStepBake = defaultStepBake;
    this.minStep = minStep;
  }

  /** Whether traffic moves between two target groups (every strategy but rolling). */
  public get shiftsTraffic(): boolean {
    return this.strategy !== ecs.DeploymentStrategy.ROLLING;
  }

  /**
   * The service props of this strategy, checked against `scope` (internal).
   * @internal
   */
  public _serviceProps(scope: IConstruct): Partial<ecs.FargateServiceProps> {
    const what = `deployment: FargateDeployment.${this.strategy === ecs.DeploymentStrategy.BLUE_GREEN ? 'blueGreen' : this.strategy.toLowerCase()}`;
    checkProps(scope, 'FargateTrafficShiftOptions', this.options, {
      stepPercent: [Checks.number({ min: this.minStep ?? 0.1, max: 100 })],
      stepBakeTime: [Checks.duration({ wholeMinutes: true, maxSeconds: 86_400 }), 'ECS takes whole minutes from 0 to 1440, e.g. Duration.minutes(10).'],
      bakeTime: [Checks.duration({ wholeMinutes: true, maxSeconds: 86_400 }), 'ECS takes whole minutes from 0 to 1440, e.g. Duration.minutes(10).'],
    }, `${what} `);
    if (this.minStep === undefined && this.options.stepPercent !== undefined) {
      fail(scope, `${what} takes no stepPercent (got ${describeValue(this.options.stepPercent)}): it shifts all traffic at once. Use ` +
        'FargateDeployment.canary or .linear to shift traffic in steps.');
    }
    const step = this.options.stepPercent ?? 10;
    if (this.minStep !== undefined && Math.abs(Math.round(step * 10) - step * 10) > 1e-9) {
      fail(scope, `${what} stepPercent is ${step}: ECS takes multiples of 0.1. E.g. 10 or 2.5.`);
    }
    if (this.strategy === ecs.DeploymentStrategy.ROLLING) {
      return { deploymentStrategy: ecs.DeploymentStrategy.ROLLING };
    }
    const shift = { stepPercent: step, stepBakeTime: this.options.stepBakeTime ?? this.defaultStepBake };
    return {
      deploymentStrategy: this.strategy,
      bakeTime: this.options.bakeTime ?? Duration.minutes(10),
      ...(this.strategy === ecs.DeploymentStrategy.CANARY ? { canaryConfiguration: shift } : {}),
      ...(this.strategy === ecs.DeploymentStrategy.LINEAR ? { linearConfiguration: shift } : {}),
    };
  }
}
