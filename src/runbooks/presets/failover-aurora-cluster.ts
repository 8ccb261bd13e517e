import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { checkPresetProps, PRESET_TIMEOUT, PresetRunbookProps } from './preset-props';
import { ProcedureKind, registerProcedure } from '../../core/procedures';
import { Kinds } from '../kinds';
import { RunbookParameter } from '../parameter';
import { buildProps, Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/** Chooses the reader to promote: the one asked for, or the reader with the best (lowest) promotion tier. */
const PLAN_SCRIPT = `def handler(events, context):
    members = events["Members"]
    wanted = str(events.get("Target") or "")
    writers = [m["DBInstanceIdentifier"] for m in members if m.get("IsClusterWriter")]
    readers = sorted([m for m in members if not m.get("IsClusterWriter")], key=lambda m: (m.get("PromotionTier", 15), m["DBInstanceIdentifier"]))
    if not writers:
        raise Exception("The cluster has no writer; it may already be failing over.")
    if not readers:
        raise Exception("The cluster has no reader to promote: add a reader instance first.")
    names = [m["DBInstanceIdentifier"] for m in readers]
    if wanted and wanted not in names:
        raise Exception("TargetInstance " + wanted + " is not a reader of the cluster (readers: " + ", ".join(names) + ").")
    return {"OldWriter": writers[0], "NewWriter": wanted or names[0]}
`;

/** Fails unless the expected instance is the writer. */
const VERIFY_SCRIPT = `def handler(events, context):
    writers = [m["DBInstanceIdentifier"] for m in events["Members"] if m.get("IsClusterWriter")]
    if writers != [events["Expected"]]:
        raise Exception("The writer is " + (", ".join(writers) or "none") + ", not " + events["Expected"] + ".")
    return {"Writer": writers[0]}
`;

/**
 * Properties of a FailoverAuroraCluster runbook.
 */
export interface FailoverAuroraClusterProps extends PresetRunbookProps {
  /** The Aurora cluster to fail over (alarms that watch it then name this runbook). */
  readonly cluster: rds.IDatabaseCluster;

  /**
   * How long to wait for the cluster to be available again (whole seconds, at most 7 days).
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Fail an Aurora cluster over to a reader: check the cluster is available, choose the reader (the one asked for,
 * or the best promotion tier), wait for one approval, `FailoverDBCluster`, wait until available, and verify the
 * writer changed. The reference story's 40-minute procedure only one person could run, as a 4-minute runbook any
 * on-call engineer can.
 *
 * @example
 * new FailoverAuroraCluster(workload, 'FailoverOrders', { cluster: ordersCluster });
 */
export class FailoverAuroraCluster extends Runbook {
  constructor(scope: Construct, id: string, props: FailoverAuroraClusterProps) {
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'FailoverAuroraClusterProps', props, { cluster: [Kinds.cluster], timeout: PRESET_TIMEOUT }, ['cluster']);
      const clusterId = props.cluster.clusterIdentifier;
      const describe = { DBClusterIdentifier: clusterId };
      const clusterArn = props.cluster.clusterArn;
      // FailoverDBCluster may be scoped to the target instance too: the cluster's instances when known.
      const dbArn = (name: string) => Stack.of(self).formatArn({ service: 'rds', resource: 'db', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      const instances = knownInstances(props.cluster);
      const dbArns = instances.length > 0 ? instances.map(dbArn) : [dbArn('*')];
      const target = RunbookParameter.ofString('TargetInstance', {
        description: 'The reader instance to promote; empty for the reader with the best promotion tier.',
        defaultValue: '',
      });
      const read = Step.executeAwsApi({
        name: 'ReadCluster',
        service: 'rds',
        api: 'DescribeDBClusters',
        inputs: describe,
        resources: [clusterArn],
        outputs: [{ name: 'Members', selector: '$.DBClusters[0].DBClusterMembers', outputType: StepOutputType.MAP_LIST }],
        description: 'Read the cluster members and which one writes.',
      });
      const plan = Step.executeScript({
        name: 'Plan',
        script: PLAN_SCRIPT,
        inputs: { Members: read.output('Members'), Target: target.reference },
        outputs: [{ name: 'OldWriter', selector: '$.Payload.OldWriter' }, { name: 'NewWriter', selector: '$.Payload.NewWriter' }],
        description: 'Choose the reader to promote.',
      });
      const after = Step.executeAwsApi({
        name: 'ReadWriter',
        service: 'rds',
        api: 'DescribeDBClusters',
        inputs: describe,
        resources: [clusterArn],
        outputs: [{ name: 'Members', selector: '$.DBClusters[0].DBClusterMembers', outputType: StepOutputType.MAP_LIST }],
        description: 'Read the members again.',
      });
      const verify = Step.executeScript({
        name: 'VerifyWriter',
        script: VERIFY_SCRIPT,
        inputs: { Members: after.output('Members'), Expected: plan.output('NewWriter') },
        outputs: [{ name: 'Writer', selector: '$.Payload.Writer' }],
        description: 'Fail unless the chosen reader now writes.',
      });
      return {
        documentName: props.documentName,
        approval: props.approval,
        title: 'Fail over an Aurora cluster',
        description: {
          purpose: 'Promote a reader of the Aurora cluster to writer, with one approval, and verify the writer changed.',
          whenToUse: [
            'The writer instance is impaired (high latency, stuck, failing health checks) and Aurora has not failed over by itself.',
            'A planned writer change (maintenance, instance class change) during a quiet hour.',
          ],
          preconditions: [
            'The cluster is available and has at least one reader.',
            'Clients reconnect through the cluster endpoint; expect about 30 seconds of write errors.',
          ],
          rollback: 'Run the runbook again with TargetInstance set to the previous writer (output Plan.OldWriter).',
        },
        parameters: [target],
        steps: [
          read,
          Step.assertAwsResourceProperty({
            name: 'CheckAvailable',
            service: 'rds',
            api: 'DescribeDBClusters',
            inputs: describe,
            resources: [clusterArn],
            propertySelector: '$.DBClusters[0].Status',
            desiredValues: ['available'],
            description: 'Fail unless the cluster is available.',
          }),
          plan,
          Step.executeAwsApi({
            name: 'Failover',
            service: 'rds',
            api: 'FailoverDBCluster',
            resources: [clusterArn, ...dbArns],
            inputs: { ...describe, TargetDBInstanceIdentifier: plan.output('NewWriter') },
            description: 'Promote the chosen reader.',
          }),
          Step.sleep({ name: 'LetFailoverStart', duration: Duration.seconds(20), description: 'Give Aurora time to start the failover.' }),
          Step.waitForAwsResourceProperty({
            name: 'WaitAvailable',
            service: 'rds',
            api: 'DescribeDBClusters',
            inputs: describe,
            resources: [clusterArn],
            propertySelector: '$.DBClusters[0].Status',
            desiredValues: ['available'],
            timeout: props.timeout ?? Duration.minutes(10),
            description: 'Wait until the cluster is available again.',
          }),
          after,
          verify,
        ],
        outputs: [plan.output('OldWriter'), verify.output('Writer')],
      };
    }));
    registerProcedure(props.cluster, { documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: 'fail the cluster over to a reader', definedBy: this });
  }
}

/** The cluster's instance identifiers, or none when an imported cluster does not know them (its getter throws). */
function knownInstances(cluster: rds.IDatabaseCluster): string[] {
  try {
    return cluster.instanceIdentifiers ?? [];
  } catch {
    return [];
  }
}
