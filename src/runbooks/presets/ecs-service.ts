import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { PresetRunbookProps } from './preset-props';
import { fail } from '../../core/errors';
import { RunbookParameter } from '../parameter';
import { Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/**
 * Properties of a RestartEcsService runbook.
 */
export interface RestartEcsServiceProps extends PresetRunbookProps {
  /** The service to restart. */
  readonly service: ecs.IBaseService;

  /**
   * How long to wait for the new tasks to reach a steady state.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
}

/**
 * Restart an ECS service: force a new deployment (same task definition, fresh tasks), wait until the deployment
 * completes, and check the completed deployment is the one it started.
 *
 * @example
 * new RestartEcsService(workload, 'RestartQuotes', { service: quotesService });
 */
export class RestartEcsService extends Runbook {
  constructor(scope: Construct, id: string, props: RestartEcsServiceProps) {
    const target = { cluster: props.service.cluster.clusterName, service: props.service.serviceName };
    const describe = { cluster: target.cluster, services: [target.service] };
    const resources = [props.service.serviceArn];
    const restart = Step.executeAwsApi({
      name: 'Restart',
      service: 'ecs',
      api: 'UpdateService',
      inputs: { ...target, forceNewDeployment: true },
      resources,
      outputs: [{ name: 'DeploymentId', selector: '$.service.deployments[0].id' }],
      description: 'Start a new deployment of the same task definition.',
    });
    super(scope, id, {
      documentName: props.documentName,
      approval: props.approval,
      title: 'Restart an ECS service',
      description: {
        purpose: 'Replace every task of the service with a fresh one (same task definition) and wait until the service is steady.',
        whenToUse: ['Tasks are unhealthy but the task definition is good (memory leak, stuck connections, stale caches).'],
        preconditions: ['No other deployment of the service is in progress.', 'The cluster has capacity for the new tasks alongside the old.'],
        rollback: 'Nothing to undo: the tasks run the same task definition. If the new tasks fail, ECS keeps the old ones (circuit breaker).',
      },
      steps: [
        restart,
        Step.waitForAwsResourceProperty({
          name: 'WaitForSteadyState',
          service: 'ecs',
          api: 'DescribeServices',
          inputs: describe,
          resources,
          propertySelector: '$.services[0].deployments[0].rolloutState',
          desiredValues: ['COMPLETED', 'FAILED'],
          timeout: props.timeout ?? Duration.minutes(30),
          description: 'Wait until the new deployment completes or fails.',
        }),
        Step.assertAwsResourceProperty({
          name: 'VerifyCompleted',
          service: 'ecs',
          api: 'DescribeServices',
          inputs: describe,
          resources,
          propertySelector: '$.services[0].deployments[0].rolloutState',
          desiredValues: ['COMPLETED'],
          description: 'Fail unless the deployment completed.',
        }),
        Step.assertAwsResourceProperty({
          name: 'VerifyDeployment',
          service: 'ecs',
          api: 'DescribeServices',
          inputs: describe,
          resources,
          propertySelector: '$.services[0].deployments[0].id',
          desiredValues: [restart.output('DeploymentId')],
          description: 'Check the completed deployment is the one this runbook started.',
        }),
      ],
      outputs: [restart.output('DeploymentId')],
    });
  }
}

/** Checks the requested count against the bounds given at synth. */
const BOUNDS_SCRIPT = `def handler(events, context):
    desired = int(events["Desired"])
    low = int(events["Min"])
    high = int(events["Max"])
    if desired < low or desired > high:
        raise Exception("DesiredCount " + str(desired) + " is outside " + str(low) + "-" + str(high) + " tasks.")
    return {"Desired": desired}
`;

/**
 * Properties of a ScaleEcsService runbook.
 */
export interface ScaleEcsServiceProps extends PresetRunbookProps {
  /** The service to scale. */
  readonly service: ecs.IBaseService;

  /**
   * The fewest tasks the runbook may set.
   *
   * @default 1
   */
  readonly minCount?: number;

  /** The most tasks the runbook may set (a guard against typos such as 100 for 10). */
  readonly maxCount: number;

  /**
   * How long to wait for the running count to reach the desired count.
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
}

/**
 * Scale an ECS service to a desired task count within bounds, wait until that many tasks run, and return the
 * previous count for rollback.
 *
 * @example
 * new ScaleEcsService(workload, 'ScaleQuotes', { service: quotesService, maxCount: 20 });
 */
export class ScaleEcsService extends Runbook {
  constructor(scope: Construct, id: string, props: ScaleEcsServiceProps) {
    const min = props.minCount ?? 1;
    if (!Number.isInteger(min) || !Number.isInteger(props.maxCount) || min < 0 || props.maxCount < Math.max(1, min)) {
      fail(scope, `ScaleEcsService '${id}': minCount ${min} and maxCount ${props.maxCount} must be whole numbers with 0 <= minCount <= maxCount and maxCount >= 1.`);
    }
    const desired = RunbookParameter.integer('DesiredCount', { description: `How many tasks to run (${min}-${props.maxCount}).` });
    const target = { cluster: props.service.cluster.clusterName, service: props.service.serviceName };
    const describe = { cluster: target.cluster, services: [target.service] };
    const resources = [props.service.serviceArn];
    const read = Step.executeAwsApi({
      name: 'ReadCurrent',
      service: 'ecs',
      api: 'DescribeServices',
      inputs: describe,
      resources,
      outputs: [{ name: 'DesiredCount', selector: '$.services[0].desiredCount', type: StepOutputType.INTEGER }],
      description: 'Record the current desired count, for rollback.',
    });
    super(scope, id, {
      documentName: props.documentName,
      approval: props.approval,
      title: 'Scale an ECS service',
      description: {
        purpose: `Set the service's desired task count (${min}-${props.maxCount}) and wait until that many tasks run.`,
        whenToUse: ['Traffic outgrew the service and auto scaling cannot keep up, or is not configured.', 'Shedding cost after an event.'],
        preconditions: [
          'If Application Auto Scaling manages the service, its min/max capacity bounds the count; raise them too, or scaling reverts it.',
        ],
        rollback: 'Run the runbook again with DesiredCount set to the previous count (output ReadCurrent.DesiredCount).',
      },
      parameters: [desired],
      steps: [
        read,
        Step.executeScript({
          name: 'CheckBounds',
          script: BOUNDS_SCRIPT,
          inputs: { Desired: desired.ref, Min: String(min), Max: String(props.maxCount) },
          description: `Fail unless DesiredCount is within ${min}-${props.maxCount}.`,
        }),
        Step.executeAwsApi({
          name: 'Scale',
          service: 'ecs',
          api: 'UpdateService',
          inputs: { ...target, desiredCount: desired.ref },
          resources,
          description: 'Set the desired count.',
        }),
        Step.waitForAwsResourceProperty({
          name: 'WaitForTasks',
          service: 'ecs',
          api: 'DescribeServices',
          inputs: describe,
          resources,
          propertySelector: '$.services[0].runningCount',
          desiredValues: [desired.ref],
          timeout: props.timeout ?? Duration.minutes(15),
          description: 'Wait until the running count reaches the desired count.',
        }),
      ],
      outputs: [read.output('DesiredCount')],
    });
  }
}
