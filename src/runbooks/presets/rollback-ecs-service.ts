import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, IConstruct } from 'constructs';
import { ecsRolloutSteps, ecsServiceCall } from './ecs-service';
import { checkPresetProps, PRESET_TIMEOUT, PresetRunbookProps } from './preset-props';
import { ProcedureKind, registerProcedure } from '../../core/procedures';
import { Workload } from '../../core/workload';
import { Kinds } from '../kinds';
import { RunbookParameter } from '../parameter';
import { buildProps, Runbook, RunbookApproval } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/** How many successful deployments the runbook looks back over (DescribeServiceRevisions takes at most 20 ARNs). */
const LOOKBACK = 20;

/** Orders the successful deployments newest first and returns their service revisions (at most 20, once each). */
const CANDIDATES_SCRIPT = `from datetime import datetime

def started(deployment):
    value = deployment.get("createdAt") or deployment.get("startedAt") or 0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0

def handler(events, context):
    deployments = sorted(events["Deployments"] or [], key=started, reverse=True)
    arns = []
    for d in deployments:
        arn = d.get("targetServiceRevisionArn")
        if arn and arn not in arns:
            arns.append(arn)
    if not arns:
        raise Exception("ECS has recorded no successful deployment of the service (it records them since October 2024): "
                        "there is no known-good task definition to roll back to.")
    return {"RevisionArns": arns[:${LOOKBACK}]}
`;

/**
 * Picks the task definition to roll back to: TaskDefinition when given (it must have run in one of the successful
 * deployments), else the newest successful deployment's task definition that is not the one the service runs now.
 */
const PLAN_SCRIPT = `def short(arn):
    return str(arn).split("task-definition/")[-1]

def handler(events, context):
    current = str(events["Current"])
    wanted = str(events.get("Target") or "")
    by_revision = {r.get("serviceRevisionArn"): r.get("taskDefinition") for r in events["Revisions"]}
    good = []
    for arn in events["Order"]:
        task = by_revision.get(arn)
        if task and task not in good:
            good.append(task)
    if wanted:
        chosen = [t for t in good if short(t) == short(wanted)]
        if not chosen:
            raise Exception("TaskDefinition " + wanted + " did not run in any of the last successful deployments of the service "
                            "(known good: " + (", ".join(short(t) for t in good) or "none") + ").")
        target = chosen[0]
    else:
        older = [t for t in good if short(t) != short(current)]
        if not older:
            raise Exception("Every recent successful deployment ran " + short(current) + ", the task definition the service runs now: "
                            "there is no earlier known-good task definition to roll back to.")
        target = older[0]
    if short(target) == short(current):
        raise Exception("The service already runs " + short(current) + ".")
    return {"Target": target, "Current": current}
`;

/**
 * Properties of a RollbackEcsService runbook.
 */
export interface RollbackEcsServiceProps extends PresetRunbookProps {
  /** The service to roll back (alarms that watch it then name this runbook). */
  readonly service: ecs.IBaseService;

  /**
   * How long to wait for the rollback deployment to complete (whole seconds, at most 7 days).
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
}

/**
 * Roll an ECS service back to its last known-good task definition: the newest task definition that completed a
 * successful deployment of the service and is not the one it runs now, or the `TaskDefinition` parameter when given
 * (which must have completed one of the last 20 successful deployments). Shows the approvers what it will deploy
 * (current → previous), waits for one approval, `UpdateService`, waits for the rollout, and checks it completed with
 * that task definition.
 *
 * How it finds the previous task definition: `ListServiceDeployments` (status SUCCESSFUL, the last 20), newest first
 * by creation time; `DescribeServiceRevisions` on their target revisions gives each one's task definition; the first
 * that differs from `DescribeServices`' current task definition wins. So a deployment that is stuck, failed or was
 * rolled back by the circuit breaker never counts as good, a forced redeployment of the current task definition is
 * skipped, and the previous release is chosen whether or not the current one completed. Needs the ECS deployment
 * controller (service deployments are recorded for it since October 2024).
 *
 * @example
 * new RollbackEcsService(workload, 'RollbackQuotes', { service: quotesService });
 */
export class RollbackEcsService extends Runbook {
  constructor(scope: Construct, id: string, props: RollbackEcsServiceProps) {
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'RollbackEcsServiceProps', props, { service: [Kinds.ecsService], timeout: PRESET_TIMEOUT }, ['service']);
      const { target, describe, resources } = ecsServiceCall(props.service);
      const cluster = target.cluster;
      const revisions = Stack.of(self).formatArn({ service: 'ecs', resource: 'service-revision', resourceName: `${cluster}/${props.service.serviceName}/*` });
      const taskDefinition = RunbookParameter.ofString('TaskDefinition', {
        description: 'The task definition to roll back to (family:revision or its ARN); it must have completed a recent successful deployment. ' +
          'Empty for the newest known-good one before the current.',
        defaultValue: '',
        allowedPattern: '^$|^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/)?[A-Za-z0-9_-]{1,255}:[0-9]+$',
      });
      const read = Step.executeAwsApi({
        name: 'ReadService',
        service: 'ecs',
        api: 'DescribeServices',
        inputs: describe,
        resources,
        outputs: [{ name: 'TaskDefinition', selector: '$.services[0].taskDefinition' }],
        description: 'Read the task definition the service runs now.',
      });
      const list = Step.executeAwsApi({
        name: 'ListDeployments',
        service: 'ecs',
        api: 'ListServiceDeployments',
        inputs: { ...target, status: ['SUCCESSFUL'], maxResults: LOOKBACK },
        resources,
        outputs: [{ name: 'Deployments', selector: '$.serviceDeployments', outputType: StepOutputType.MAP_LIST }],
        description: `List the service's last ${LOOKBACK} successful deployments.`,
      });
      const candidates = Step.executeScript({
        name: 'Candidates',
        script: CANDIDATES_SCRIPT,
        inputs: { Deployments: list.output('Deployments') },
        outputs: [{ name: 'RevisionArns', selector: '$.Payload.RevisionArns', outputType: StepOutputType.STRING_LIST }],
        description: 'Order the successful deployments newest first and take their service revisions.',
      });
      const describeRevisions = Step.executeAwsApi({
        name: 'ReadRevisions',
        service: 'ecs',
        api: 'DescribeServiceRevisions',
        inputs: { serviceRevisionArns: candidates.output('RevisionArns') },
        resources: [...resources, revisions],
        outputs: [{ name: 'Revisions', selector: '$.serviceRevisions', outputType: StepOutputType.MAP_LIST }],
        description: 'Read the task definition of each of those revisions.',
      });
      const plan = Step.executeScript({
        name: 'Plan',
        script: PLAN_SCRIPT,
        inputs: {
          Current: read.output('TaskDefinition'),
          Order: candidates.output('RevisionArns'),
          Revisions: describeRevisions.output('Revisions'),
          Target: taskDefinition.reference,
        },
        outputs: [{ name: 'Target', selector: '$.Payload.Target' }, { name: 'Current', selector: '$.Payload.Current' }],
        description: 'Pick the task definition to roll back to: TaskDefinition, or the newest known-good one before the current.',
      });
      const rollback = Step.executeAwsApi({
        name: 'Rollback',
        service: 'ecs',
        api: 'UpdateService',
        inputs: { ...target, taskDefinition: plan.output('Target') },
        resources,
        outputs: [{ name: 'DeploymentId', selector: '$.service.deployments[0].id' }],
        description: 'Deploy the previous task definition.',
      });
      return {
        documentName: props.documentName,
        approval: props.approval,
        title: 'Roll back an ECS service',
        description: {
          purpose: 'Redeploy the last task definition that completed a successful deployment of the service (or TaskDefinition), ' +
            'after one approval, and verify the rollout completed with it.',
          whenToUse: [
            "The service's page alarm fired after a deployment, and the deployment circuit breaker or alarms did not roll it back.",
            'A release needs undoing quickly while the fix is prepared.',
          ],
          preconditions: [
            'The service uses the ECS deployment controller, and ECS recorded a successful deployment of an earlier task definition ' +
              '(service deployments are recorded since October 2024).',
            'No pipeline is deploying the service at the same time (it would deploy the new task definition again).',
          ],
          rollback: 'Run the runbook again with TaskDefinition set to the task definition it replaced (output Plan.Current), ' +
            'if that one had completed a deployment; otherwise redeploy it through the pipeline.',
        },
        parameters: [taskDefinition],
        steps: [
          read,
          list,
          candidates,
          describeRevisions,
          plan,
          ...approvalSteps(self, props.approval, 'ApproveRollback',
            `Roll back ECS service ${props.service.serviceName} from {{ Plan.Current }} to {{ Plan.Target }} (execution {{ automation:EXECUTION_ID }}).`),
          rollback,
          ...ecsRolloutSteps(props.service, 'WaitForRollout', 'Wait until the rollback deployment completes or fails.', props.timeout),
          Step.assertAwsResourceProperty({
            name: 'VerifyTaskDefinition',
            service: 'ecs',
            api: 'DescribeServices',
            inputs: describe,
            resources,
            propertySelector: '$.services[0].taskDefinition',
            desiredValues: [plan.output('Target')],
            description: 'Check the service now runs the task definition it rolled back to.',
          }),
        ],
        outputs: [plan.output('Current'), plan.output('Target'), rollback.output('DeploymentId')],
      };
    }));
    registerProcedure(props.service, {
      documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: 'roll the service back to its previous task definition', definedBy: this,
    });
  }
}

/**
 * A preset's own approval step, whose message shows what will change (internal): none with `RunbookApproval.none`,
 * and none when there are no approvers, so that `Runbook` inserts its gate and fails with its message naming the fixes.
 */
export function approvalSteps(scope: IConstruct, approval: RunbookApproval | undefined, name: string, message: string): Step[] {
  if (approval?._mode === 'none') return [];
  const approvers = approval?._approvers ?? Workload.of(scope).approvers;
  return approvers ? [Step.approve({ name, message, description: 'Nothing changes before on-call approves.' })] : [];
}
