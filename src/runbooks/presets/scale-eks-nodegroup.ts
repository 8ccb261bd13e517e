import { CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { checkPresetProps, PRESET_TIMEOUT, PresetRunbookProps } from './preset-props';
import { approvalSteps } from './rollback-ecs-service';
import { Checks } from '../../core/checks';
import { fail } from '../../core/errors';
import { ProcedureKind, registerProcedure } from '../../core/procedures';
import { Kinds } from '../kinds';
import { RunbookParameter } from '../parameter';
import { buildProps, Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/** Works out the new scaling configuration and checks it against the bounds given at synth and the node group's own. */
const PLAN_SCRIPT = `def handler(events, context):
    desired = int(events["Desired"])
    floor = int(events["Floor"])
    ceiling = int(events["Ceiling"])
    given_min = str(events.get("Min") if events.get("Min") is not None else "")
    given_max = str(events.get("Max") if events.get("Max") is not None else "")
    low = int(given_min) if given_min != "" else int(events["CurrentMin"])
    high = int(given_max) if given_max != "" else int(events["CurrentMax"])
    if desired < floor or desired > ceiling:
        raise Exception("DesiredSize " + str(desired) + " is outside " + str(floor) + "-" + str(ceiling) + " nodes.")
    if given_max != "" and (high < 1 or high > ceiling):
        raise Exception("MaxSize " + str(high) + " is outside 1-" + str(ceiling) + " nodes.")
    if low > high:
        raise Exception("MinSize " + str(low) + " is above MaxSize " + str(high) + ".")
    if desired < low or desired > high:
        raise Exception("DesiredSize " + str(desired) + " is outside the node group's " + str(low) + "-" + str(high) + " nodes: give MinSize or MaxSize too.")
    return {"DesiredSize": desired, "MinSize": low, "MaxSize": high}
`;

/**
 * Properties of a ScaleEksNodegroup runbook.
 */
export interface ScaleEksNodegroupProps extends PresetRunbookProps {
  /** The managed node group to scale (alarms that watch it then name this runbook). */
  readonly nodegroup: eks.INodegroup;

  /**
   * The cluster of the node group.
   *
   * @default - the node group's own cluster (a Nodegroup defined in this app knows it); required for an imported node group
   */
  readonly cluster?: eks.ICluster;

  /**
   * The fewest nodes the runbook may set as DesiredSize.
   *
   * @default 1
   */
  readonly minNodes?: number;

  /** The most nodes the runbook may set as DesiredSize or MaxSize (a guard against typos such as 100 for 10). */
  readonly maxNodes: number;

  /**
   * How long to wait for EKS to apply the new scaling configuration (whole seconds, at most 7 days).
   *
   * @default Duration.minutes(20)
   */
  readonly timeout?: Duration;
}

/**
 * Scale an EKS managed node group: check it can take an update, work out the new scaling configuration (DesiredSize,
 * and MinSize/MaxSize when given, within bounds set at synth), show the approvers the change, `UpdateNodegroupConfig`,
 * wait for that update to end, and check it succeeded and the node group is ACTIVE.
 *
 * It waits on the update (`DescribeUpdate` with the id `UpdateNodegroupConfig` returns) rather than on the node
 * group's status: right after the call the node group may still read ACTIVE before EKS marks it UPDATING, so a status
 * wait could end before anything happened, and only the update tells a Failed or Cancelled change apart.
 *
 * @example
 * new ScaleEksNodegroup(workload, 'ScaleWorkers', { nodegroup: workers, maxNodes: 20 });
 */
export class ScaleEksNodegroup extends Runbook {
  constructor(scope: Construct, id: string, props: ScaleEksNodegroupProps) {
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'ScaleEksNodegroupProps', props, {
        nodegroup: [Kinds.nodegroup],
        cluster: [Kinds.eksCluster],
        minNodes: [Checks.number({ integer: true, min: 0 }), 'The fewest nodes the runbook may set: 0 or more.'],
        maxNodes: [Checks.number({ integer: true, min: 1 }), 'The most nodes the runbook may set: 1 or more.'],
        timeout: PRESET_TIMEOUT,
      }, ['nodegroup', 'maxNodes']);
      const min = props.minNodes ?? 1;
      if (min > props.maxNodes) {
        fail(self, `minNodes ${min} is above maxNodes ${props.maxNodes}, so no size would be allowed: lower minNodes or raise maxNodes.`);
      }
      const cluster = clusterOf(self, props);
      const nodegroupName = nameOf(props.nodegroup);
      const nodegroupArn = arnOf(props.nodegroup) ?? Stack.of(self).formatArn({
        service: 'eks', resource: 'nodegroup', resourceName: `${cluster.clusterName}/${nodegroupName}/*`,
      });
      const desired = RunbookParameter.ofInteger('DesiredSize', { description: `How many nodes to run (${min}-${props.maxNodes}).` });
      const minSize = RunbookParameter.ofString('MinSize', {
        description: "The node group's new minimum size; empty to keep it.", defaultValue: '', allowedPattern: '^[0-9]*$',
      });
      const maxSize = RunbookParameter.ofString('MaxSize', {
        description: `The node group's new maximum size (at most ${props.maxNodes}); empty to keep it.`, defaultValue: '', allowedPattern: '^[0-9]*$',
      });
      const target = { clusterName: cluster.clusterName, nodegroupName };
      const resources = [nodegroupArn];
      const read = Step.executeAwsApi({
        name: 'ReadNodegroup',
        service: 'eks',
        api: 'DescribeNodegroup',
        inputs: target,
        resources,
        outputs: ['DesiredSize', 'MinSize', 'MaxSize'].map((name) => ({
          name, selector: `$.nodegroup.scalingConfig.${name.charAt(0).toLowerCase()}${name.slice(1)}`, outputType: StepOutputType.INTEGER,
        })),
        description: 'Record the current scaling configuration, for rollback.',
      });
      const plan = Step.executeScript({
        name: 'Plan',
        script: PLAN_SCRIPT,
        inputs: {
          Desired: desired.reference,
          Min: minSize.reference,
          Max: maxSize.reference,
          CurrentMin: read.output('MinSize'),
          CurrentMax: read.output('MaxSize'),
          Floor: String(min),
          Ceiling: String(props.maxNodes),
        },
        outputs: ['DesiredSize', 'MinSize', 'MaxSize'].map((name) => ({ name, selector: `$.Payload.${name}`, outputType: StepOutputType.INTEGER })),
        description: `Work out the new scaling configuration; fail unless DesiredSize is within ${min}-${props.maxNodes} and the node group's bounds.`,
      });
      const scale = Step.executeAwsApi({
        name: 'Scale',
        service: 'eks',
        api: 'UpdateNodegroupConfig',
        inputs: {
          ...target,
          scalingConfig: { minSize: plan.output('MinSize'), maxSize: plan.output('MaxSize'), desiredSize: plan.output('DesiredSize') },
        },
        resources,
        outputs: [{ name: 'UpdateId', selector: '$.update.id' }],
        description: 'Apply the new scaling configuration.',
      });
      const update = { name: cluster.clusterName, updateId: scale.output('UpdateId'), nodegroupName };
      return {
        documentName: props.documentName,
        approval: props.approval,
        title: 'Scale an EKS managed node group',
        description: {
          purpose: `Set the node group's desired size (${min}-${props.maxNodes} nodes, and its minimum and maximum when given) ` +
            'and wait until EKS has applied it.',
          whenToUse: [
            'Pods are pending for lack of nodes and the cluster autoscaler (or Karpenter) cannot add them, or is not configured.',
            'Shedding cost after an event.',
          ],
          preconditions: [
            'No other update of the node group is in progress (EKS rejects a second one).',
            'If the cluster autoscaler manages the node group, it may change the desired size again within its minimum and maximum.',
            'EKS applies the size to the Auto Scaling group; new nodes still take a few minutes to join the cluster.',
          ],
          rollback: 'Run the runbook again with the previous sizes (outputs ReadNodegroup.DesiredSize, ReadNodegroup.MinSize and ReadNodegroup.MaxSize).',
        },
        parameters: [desired, minSize, maxSize],
        steps: [
          read,
          Step.assertAwsResourceProperty({
            name: 'CheckUpdatable',
            service: 'eks',
            api: 'DescribeNodegroup',
            inputs: target,
            resources,
            propertySelector: '$.nodegroup.status',
            desiredValues: ['ACTIVE', 'DEGRADED'],
            description: 'Fail unless the node group can take an update (not creating, updating or deleting).',
          }),
          plan,
          ...approvalSteps(self, props.approval, 'ApproveScaling',
            `Scale EKS node group ${nodegroupName} from {{ ReadNodegroup.DesiredSize }} nodes (min {{ ReadNodegroup.MinSize }}, ` +
            'max {{ ReadNodegroup.MaxSize }}) to {{ Plan.DesiredSize }} nodes (min {{ Plan.MinSize }}, max {{ Plan.MaxSize }}) ' +
            '(execution {{ automation:EXECUTION_ID }}).'),
          scale,
          Step.waitForAwsResourceProperty({
            name: 'WaitForUpdate',
            service: 'eks',
            api: 'DescribeUpdate',
            inputs: update,
            resources: [cluster.clusterArn, nodegroupArn],
            propertySelector: '$.update.status',
            desiredValues: ['Successful', 'Failed', 'Cancelled'],
            timeout: props.timeout ?? Duration.minutes(20),
            description: 'Wait until EKS has applied the update, or it failed.',
          }),
          Step.assertAwsResourceProperty({
            name: 'VerifyUpdate',
            service: 'eks',
            api: 'DescribeUpdate',
            inputs: update,
            resources: [cluster.clusterArn, nodegroupArn],
            propertySelector: '$.update.status',
            desiredValues: ['Successful'],
            description: 'Fail unless the update succeeded.',
          }),
          Step.assertAwsResourceProperty({
            name: 'VerifyActive',
            service: 'eks',
            api: 'DescribeNodegroup',
            inputs: target,
            resources,
            propertySelector: '$.nodegroup.status',
            desiredValues: ['ACTIVE'],
            description: 'Fail unless the node group is ACTIVE again.',
          }),
        ],
        outputs: [read.output('DesiredSize'), read.output('MinSize'), read.output('MaxSize'), scale.output('UpdateId')],
      };
    }));
    registerProcedure(props.nodegroup, { documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: 'scale the node group', definedBy: this });
  }
}

/** The node group's cluster: `cluster`, else the one a Nodegroup defined in the app knows; they must agree. */
function clusterOf(scope: Runbook, props: ScaleEksNodegroupProps): eks.ICluster {
  const own = (props.nodegroup as { cluster?: eks.ICluster }).cluster;
  if (props.cluster && own && props.cluster !== own) {
    fail(scope, `cluster ${props.cluster.node.path} is not the cluster of nodegroup ${props.nodegroup.node.path} (${own.node.path}): ` +
      'leave cluster out, or give the node group of that cluster.');
  }
  const cluster = props.cluster ?? own;
  if (!cluster) {
    fail(scope, `nodegroup ${props.nodegroup.node.path} is imported and does not know its cluster: give cluster (the eks.ICluster it belongs to).`);
  }
  return cluster;
}

/**
 * The node group's name. For a Nodegroup defined in the app, its NodegroupName attribute: without the feature flag
 * `@aws-cdk/aws-eks:nodegroupNameAttribute`, `nodegroupName` is the resource's Ref, `<cluster>/<nodegroup>`, which the
 * EKS APIs reject.
 */
function nameOf(nodegroup: eks.INodegroup): string {
  const resource = nodegroup.node.defaultChild;
  return CfnResource.isCfnResource(resource) && resource.cfnResourceType === 'AWS::EKS::Nodegroup'
    ? Token.asString(resource.getAtt('NodegroupName'))
    : nodegroup.nodegroupName;
}

/** The node group's ARN when it knows it (a Nodegroup defined in the app); an imported one throws. */
function arnOf(nodegroup: eks.INodegroup): string | undefined {
  try {
    return nodegroup.nodegroupRef.nodegroupArn;
  } catch {
    return undefined;
  }
}
