import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { checkPresetProps, PRESET_TIMEOUT, PresetRunbookProps } from './preset-props';
import { Checks } from '../../core/checks';
import { fail } from '../../core/errors';
import { ProcedureKind, registerProcedure } from '../../core/procedures';
import { Kinds } from '../kinds';
import { RunbookParameter } from '../parameter';
import { buildProps, Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/** What the ECS presets call the service with (internal): its cluster and name, the DescribeServices input, its ARN. */
export function ecsServiceCall(service: ecs.IBaseService) {
  const target = { cluster: service.cluster.clusterName, service: service.serviceName };
  return { target, describe: { cluster: target.cluster, services: [target.service] }, resources: [service.serviceArn] };
}

/**
 * Wait for the service's newest deployment to complete or fail, then fail unless it completed (internal: the ECS presets
 * that start a deployment end with these).
 */
export function ecsRolloutSteps(service: ecs.IBaseService, waitName: string, waitDescription: string, timeout?: Duration): Step[] {
  const { describe, resources } = ecsServiceCall(service);
  const rolloutState = '$.services[0].deployments[0].rolloutState';
  return [
    Step.waitForAwsResourceProperty({
      name: waitName,
      service: 'ecs',
      api: 'DescribeServices',
      inputs: describe,
      resources,
      propertySelector: rolloutState,
      desiredValues: ['COMPLETED', 'FAILED'],
      timeout: timeout ?? Duration.minutes(30),
      description: waitDescription,
    }),
    Step.assertAwsResourceProperty({
      name: 'VerifyCompleted',
      service: 'ecs',
      api: 'DescribeServices',
      inputs: describe,
      resources,
      propertySelector: rolloutState,
      desiredValues: ['COMPLETED'],
      description: 'Fail unless the deployment completed.',
    }),
  ];
}

/**
 * Properties of a RestartEcsService runbook.
 */
export interface RestartEcsServiceProps extends PresetRunbookProps {
  /** The service to restart (alarms that watch it then name this runbook). */
  readonly service: ecs.IBaseService;

  /**
   * How long to wait for the new tasks to reach a steady state (whole seconds, at most 7 days).
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
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'RestartEcsServiceProps', props, { service: [Kinds.ecsService], timeout: PRESET_TIMEOUT }, ['service']);
      const { target, describe, resources } = ecsServiceCall(props.service);
      const restart = Step.executeAwsApi({
        name: 'Restart',
        service: 'ecs',
        api: 'UpdateService',
        inputs: { ...target, forceNewDeployment: true },
        resources,
        outputs: [{ name: 'DeploymentId', selector: '$.service.deployments[0].id' }],
        description: 'Start a new deployment of the same task definition.',
      });
      return {
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
          ...ecsRolloutSteps(props.service, 'WaitForSteadyState', 'Wait until the new deployment completes or fails.', props.timeout),
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
      };
    }));
    registerProcedure(props.service, { documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: "restart the service's tasks", definedBy: this });
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
  /** The service to scale (alarms that watch it then name this runbook). */
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
   * How long to wait for the running count to reach the desired count (whole seconds, at most 7 days).
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
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'ScaleEcsServiceProps', props, {
        service: [Kinds.ecsService],
        minCount: [Checks.number({ integer: true, min: 0 }), 'The fewest tasks the runbook may set: 0 or more.'],
        maxCount: [Checks.number({ integer: true, min: 1 }), 'The most tasks the runbook may set: 1 or more.'],
        timeout: PRESET_TIMEOUT,
      }, ['service', 'maxCount']);
      const min = props.minCount ?? 1;
      if (min > props.maxCount) {
        fail(self, `minCount ${min} is above maxCount ${props.maxCount}, so no count would be allowed: lower minCount or raise maxCount.`);
      }
      const desired = RunbookParameter.ofInteger('DesiredCount', { description: `How many tasks to run (${min}-${props.maxCount}).` });
      const target = { cluster: props.service.cluster.clusterName, service: props.service.serviceName };
      const describe = { cluster: target.cluster, services: [target.service] };
      const resources = [props.service.serviceArn];
      const read = Step.executeAwsApi({
        name: 'ReadCurrent',
        service: 'ecs',
        api: 'DescribeServices',
        inputs: describe,
        resources,
        outputs: [{ name: 'DesiredCount', selector: '$.services[0].desiredCount', outputType: StepOutputType.INTEGER }],
        description: 'Record the current desired count, for rollback.',
      });
      return {
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
            inputs: { Desired: desired.reference, Min: String(min), Max: String(props.maxCount) },
            description: `Fail unless DesiredCount is within ${min}-${props.maxCount}.`,
          }),
          Step.executeAwsApi({
            name: 'Scale',
            service: 'ecs',
            api: 'UpdateService',
            inputs: { ...target, desiredCount: desired.reference },
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
            desiredValues: [desired.reference],
            timeout: props.timeout ?? Duration.minutes(15),
            description: 'Wait until the running count reaches the desired count.',
          }),
        ],
        outputs: [read.output('DesiredCount')],
      };
    }));
    registerProcedure(props.service, { documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: 'scale the service to a task count', definedBy: this });
  }
}
