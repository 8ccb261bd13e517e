import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClusterKind, makeCluster, setupCluster } from './eks-fixtures';
import { logicalIdOf, Resource, Synthesized } from './function-fixtures';
import { Approvers, ServiceTier } from '../../src';
import { ProcedureKind, registerProcedure } from '../../src/core/procedures';
import { OperableEksCluster, OperableEksClusterProps } from '../../src/services/operable-eks-cluster';
import { freight, testStack } from '../support/fixtures';

const MANAGED = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] });
const CI_GROUPS = ['application', 'dataplane', 'host', 'performance'].map((g) => `/aws/containerinsights/shop/${g}`);
const OWNER_TAGS = [
  { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
  { Key: 'ops:owner', Value: 'pricing' },
  { Key: 'ops:tier', Value: 'standard' },
  { Key: 'ops:workload', Value: 'freight' },
];
const FOOTER = (runbook: string) => `Severity: TICKET | Owner: pricing | Runbook: ${runbook} | Playbook: none | Dashboard: none`;

type S = Synthesized & { cluster: eks.Cluster; telemetry: OperableEksCluster; warnings(): string[] };

/** The resource of a construct, with its DependsOn. */
function resourceOf(s: S, construct: Parameters<typeof logicalIdOf>[0]): Resource & { DependsOn?: string[] } {
  return s.resources[logicalIdOf(construct)] as Resource & { DependsOn?: string[] };
}

describe('OperableEksCluster on a cluster with a managed node group (defaults)', () => {
  let s: S;
  beforeAll(() => {
    s = setupCluster({}, { defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, clusterLogging: [eks.ClusterLoggingTypes.CONTROLLER_MANAGER] });
  });

  test('the amazon-cloudwatch-observability add-on with an EKS Pod Identity association for cloudwatch-agent', () => {
    const addon = resourceOf(s, s.telemetry.addon!);
    expect(addon.Type).toBe('AWS::EKS::Addon');
    expect(addon.Properties).toEqual({
      AddonName: 'amazon-cloudwatch-observability',
      ClusterName: { Ref: logicalIdOf(s.cluster) },
      PodIdentityAssociations: [{ ServiceAccount: 'cloudwatch-agent', RoleArn: { 'Fn::GetAtt': [logicalIdOf(s.telemetry.addonRole!), 'Arn'] } }],
      Tags: OWNER_TAGS,
    });
  });

  test('the role: trusted by pods.eks.amazonaws.com (AssumeRole + TagSession), CloudWatchAgentServerPolicy and AWSXrayWriteOnlyAccess', () => {
    const role = resourceOf(s, s.telemetry.addonRole!).Properties!;
    expect(role.AssumeRolePolicyDocument).toEqual({
      Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }],
      Version: '2012-10-17',
    });
    expect(role.ManagedPolicyArns).toEqual([MANAGED('CloudWatchAgentServerPolicy'), MANAGED('AWSXrayWriteOnlyAccess')]);
    s.template.resourcePropertiesCountIs('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Action: 'cloudwatch:PutMetricData' }] } }, 0);
  });

  test('without Auto Mode, the pod identity agent add-on, which the observability add-on waits for', () => {
    s.template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    expect(resourceOf(s, s.telemetry.addon!).DependsOn).toContain(logicalIdOf(s.cluster.eksPodIdentityAgent!));
  });

  test('the control-plane log group and the four Container Insights log groups: 180 days (STANDARD), retained', () => {
    const groups = s.of('AWS::Logs::LogGroup');
    expect(groups.map(([, r]) => r.Properties!.LogGroupName)).toEqual(['/aws/eks/shop/cluster', ...CI_GROUPS]);
    for (const [, r] of groups) {
      expect(r).toMatchObject({ Properties: { RetentionInDays: 180, Tags: OWNER_TAGS }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    expect(s.telemetry.applicationLogGroup).toBe(s.telemetry.containerInsightsLogGroups[0]);
  });

  test('the cluster waits for the control-plane log group, the add-on for the Container Insights ones', () => {
    expect(resourceOf(s, s.cluster).DependsOn).toContain(logicalIdOf(s.telemetry.controlPlaneLogGroup));
    expect(resourceOf(s, s.telemetry.addon!).DependsOn).toEqual(expect.arrayContaining(s.telemetry.containerInsightsLogGroups.map(logicalIdOf)));
  });

  test('control-plane logging: api, audit and authenticator added on the L1, after the types the cluster had', () => {
    expect(resourceOf(s, s.cluster).Properties!.Logging).toEqual({
      ClusterLogging: { EnabledTypes: [{ Type: 'controllerManager' }, { Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }] },
    });
  });

  test('three ticket alarms on the cluster, named <workload>-eks-<cluster>-<what>, no actions', () => {
    expect(s.alarmNames()).toEqual(['freight-eks-shop-node-cpu', 'freight-eks-shop-node-memory', 'freight-eks-shop-failed-nodes']);
    expect(s.telemetry.alarms).toEqual([s.telemetry.nodeCpuAlarm, s.telemetry.nodeMemoryAlarm, s.telemetry.failedNodesAlarm]);
    const expected: Array<[string, string, string, number]> = [
      ['freight-eks-shop-node-cpu', 'node_cpu_utilization', 'Average', 80],
      ['freight-eks-shop-node-memory', 'node_memory_utilization', 'Average', 80],
      ['freight-eks-shop-failed-nodes', 'cluster_failed_node_count', 'Maximum', 1],
    ];
    for (const [name, metricName, statistic, threshold] of expected) {
      expect(s.alarm(name)).toMatchObject({
        Namespace: 'ContainerInsights',
        MetricName: metricName,
        Dimensions: [{ Name: 'ClusterName', Value: 'shop' }],
        Statistic: statistic,
        Period: 300,
        EvaluationPeriods: 3,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(s.alarm(name).AlarmActions).toBeUndefined();
    }
  });

  test('contract descriptions and the runbook tag: <runbookBaseUrl>/eks-<cluster> without a runbook of its own', () => {
    const runbook = 'https://runbooks.example.com/freight/eks-shop';
    expect(s.alarm('freight-eks-shop-node-cpu').AlarmDescription).toBe('Ticket: EKS cluster shop: nodes used 80% or more of their CPU on ' +
      'average for 15 minutes: new pods may not fit. Add capacity (scale the node group or node pool) or find what consumes it. Tickets ' +
      `through the ticket composites of the services that run on the cluster; no actions of its own.\n${FOOTER(runbook)}`);
    expect(s.alarm('freight-eks-shop-failed-nodes').Tags).toEqual([...OWNER_TAGS.slice(0, 2), { Key: 'ops:runbook', Value: runbook }, ...OWNER_TAGS.slice(2)]);
  });

  test('nothing to report: no warning', () => {
    expect(s.warnings()).toEqual([]);
  });
});

describe('OperableEksCluster on an Auto Mode cluster, with settings', () => {
  let s: S;
  beforeAll(() => {
    s = setupCluster({ addonVersion: 'v4.1.0-eksbuild.1', logRetention: logs.RetentionDays.ONE_MONTH }, {}, { tier: ServiceTier.CRITICAL });
  });

  test('no pod identity agent add-on (Auto Mode runs it); the add-on version is pinned', () => {
    s.template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' }, 0);
    expect(resourceOf(s, s.telemetry.addon!).Properties!.AddonVersion).toBe('v4.1.0-eksbuild.1');
  });

  test('logRetention wins over the tier; all three control-plane log types are turned on', () => {
    expect(s.of('AWS::Logs::LogGroup').map(([, r]) => r.Properties!.RetentionInDays)).toEqual([30, 30, 30, 30, 30]);
    expect(resourceOf(s, s.cluster).Properties!.Logging).toEqual({
      ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }] },
    });
  });
});

describe('OperableEksCluster without the add-on or control-plane logging', () => {
  let s: S;
  beforeAll(() => {
    s = setupCluster({ observabilityAddon: false, controlPlaneLogging: false }, { clusterLogging: [eks.ClusterLoggingTypes.API] });
  });

  test('no add-on, role or Container Insights log group; the cluster keeps its own logging', () => {
    s.template.resourceCountIs('AWS::EKS::Addon', 0);
    s.template.resourceCountIs('AWS::IAM::Role', 2);
    expect(s.of('AWS::Logs::LogGroup').map(([, r]) => r.Properties!.LogGroupName)).toEqual(['/aws/eks/shop/cluster']);
    expect(s.telemetry.applicationLogGroup).toBeUndefined();
    expect(resourceOf(s, s.cluster).Properties!.Logging).toEqual({ ClusterLogging: { EnabledTypes: [{ Type: 'api' }] } });
  });

  test('two eks-observability warnings saying what is missing', () => {
    expect(s.warnings()).toEqual([
      'cluster shop does not send the audit, authenticator control-plane logs, and controlPlaneLogging is false: who called the Kubernetes API ' +
      "and what changed is not recorded (OPS04-BP02). Add them to the cluster's clusterLogging, or remove controlPlaneLogging: false. " +
      '[ack: cdk-operable:eks-observability]',
      'observabilityAddon is false: cluster shop gets no amazon-cloudwatch-observability add-on from cdk-operable, so Container Insights ' +
      'metrics (the node, pod and restart alarms), container logs and Application Signals depend on an agent installed elsewhere, whose ' +
      'log groups /aws/containerinsights/shop/* need a retention (OPS04-BP01, OPS04-BP02). [ack: cdk-operable:eks-observability]',
    ]);
  });
});

test('a runbook registered on a node group is the one the cluster alarms name', () => {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const nodegroups = { defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 };
  const cluster = makeCluster(stack, ClusterKind.DEFINED, nodegroups) as eks.Cluster;
  const nodegroup = cluster.addNodegroupCapacity('Workers');
  const telemetry = new OperableEksCluster(workload, 'Telemetry', { cluster });
  // Registered after the alarms exist: descriptions and tags are decided at synth.
  registerProcedure(nodegroup, {
    documentName: 'freight-ScaleEksNodegroup', kind: ProcedureKind.RUNBOOK, purpose: 'scale the node group', definedBy: nodegroup,
  });
  const resolved = stack.resolve((telemetry.nodeCpuAlarm.node.defaultChild as cloudwatch.CfnAlarm).alarmDescription) as string;
  expect(resolved.split('\n')[1]).toBe(FOOTER('freight-ScaleEksNodegroup'));
});

describe('bad input fails at synth with a precise message', () => {
  const build = (props: Partial<OperableEksClusterProps>, clusterProps: Partial<eks.ClusterProps> = {}) => () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const cluster = makeCluster(stack, ClusterKind.DEFINED, clusterProps) as eks.Cluster;
    new OperableEksCluster(workload, 'Telemetry', { cluster, ...props });
  };

  test('a cluster without a name', () => {
    expect(build({}, { clusterName: undefined })).toThrow('[Test/Freight/Telemetry] cluster Test/Cluster has no clusterName: its log groups ' +
      '(/aws/eks/<name>/cluster, /aws/containerinsights/<name>/...) must exist before the cluster and its add-on write to them, which needs ' +
      'the name at synth. Give the cluster a clusterName.');
  });

  test('an imported cluster, or none', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const imported = makeCluster(stack, ClusterKind.IMPORTED);
    expect(() => new OperableEksCluster(workload, 'Telemetry', { cluster: imported as eks.Cluster })).toThrow('[Test/Freight/Telemetry] cluster ' +
      'must be an eks.Cluster of aws-cdk-lib/aws-eks-v2 defined in this app, got an instance of ImportedCluster2. An imported cluster cannot be ' +
      'changed: make it operable where it is defined.');
    expect(() => new OperableEksCluster(workload, 'Other', {} as OperableEksClusterProps)).toThrow('[Test/Freight/Other] cluster is required, got undefined.');
  });

  test('a cluster in another stack', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform');
    const squad = new Stack(app, 'Squad');
    const cluster = makeCluster(platform, ClusterKind.DEFINED) as eks.Cluster;
    const { workload } = freight(squad);
    expect(() => new OperableEksCluster(workload, 'Telemetry', { cluster })).toThrow('[Squad/Freight/Telemetry] cluster Platform/Cluster is in ' +
      'stack Platform, not in Squad: the cluster must depend on the log groups this construct creates. Define the OperableEksCluster in the ' +
      'stack of the cluster.');
  });

  test('two OperableEksClusters on one cluster: the alarm names collide', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const cluster = makeCluster(stack, ClusterKind.DEFINED) as eks.Cluster;
    new OperableEksCluster(workload, 'Telemetry', { cluster });
    expect(() => new OperableEksCluster(workload, 'Again', { cluster, observabilityAddon: false })).toThrow('[Test/Freight/Again/NodeCpu] alarm ' +
      "name 'freight-eks-shop-node-cpu' is already used by Test/Freight/Telemetry/NodeCpu (account 123456789012, region us-east-1): AWS " +
      'needs it unique, so the deployment would fail. Give one of them another name (a different service, SLO, dashboard or document name).');
  });

  test('the add-on defined a second time for the cluster: a synth error', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const cluster = makeCluster(stack, ClusterKind.DEFINED) as eks.Cluster;
    new OperableEksCluster(workload, 'Telemetry', { cluster });
    new eks.Addon(stack, 'Observability', { cluster, addonName: 'amazon-cloudwatch-observability' });
    expect(() => Template.fromStack(stack)).toThrow('[Test/Freight/Telemetry] cluster shop already gets the amazon-cloudwatch-observability ' +
      'add-on from Test/Observability/Resource, and EKS installs an add-on once per cluster: set observabilityAddon: false here, or remove ' +
      'the other add-on.');
  });

  test('an add-on version without the add-on, before 3.1.0, or of the wrong shape', () => {
    expect(build({ observabilityAddon: false, addonVersion: 'v4.1.0-eksbuild.1' })).toThrow('[Test/Freight/Telemetry] addonVersion is ' +
      "'v4.1.0-eksbuild.1' but observabilityAddon is false: remove addonVersion, or the observabilityAddon: false.");
    expect(build({ addonVersion: 'v3.0.2-eksbuild.1' })).toThrow("[Test/Freight/Telemetry] addonVersion 'v3.0.2-eksbuild.1' cannot use EKS " +
      'Pod Identity, which the add-on supports from v3.1.0: use v3.1.0-eksbuild.1 or later.');
    expect(build({ addonVersion: 'latest' })).toThrow("addonVersion must be an add-on version like 'v4.1.0-eksbuild.1', got 'latest' (a string).");
  });
});

describe('OperableEksCluster with workload approvers: node-group scaling runbooks', () => {
  let template: Record<string, Resource>;
  let telemetry: OperableEksCluster;
  beforeAll(() => {
    const { stack } = testStack();
    const approvers = Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/pricing-oncall')] });
    const { workload } = freight(stack, { approvers });
    const capacity = { defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 };
    const cluster = makeCluster(stack, ClusterKind.DEFINED, capacity) as eks.Cluster;
    cluster.addNodegroupCapacity('Workers', { minSize: 2, maxSize: 6 });
    telemetry = new OperableEksCluster(workload, 'Telemetry', { cluster });
    template = (Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> }).Resources;
  });

  test('one ScaleEksNodegroup per managed node group, allowed up to twice its maxSize, behind an approval', () => {
    expect(telemetry.nodegroupRunbooks.map((r) => [r.documentName, r.hasApprovalGate])).toEqual([['freight-scale-workers', true]]);
    const doc = Object.values(template).find((r) => r.Type === 'AWS::SSM::Document' && r.Properties?.Name === 'freight-scale-workers');
    expect(JSON.stringify(doc?.Properties?.Content)).toContain('12');
  });

  test('the node alarms name it as their runbook', () => {
    const alarm = Object.values(template).find((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.AlarmName === 'freight-eks-shop-node-cpu');
    const tags = alarm?.Properties?.Tags as Array<{ Key: string; Value: string }>;
    expect(tags.find((t) => t.Key === 'ops:runbook')?.Value).toBe('freight-scale-workers');
  });

  test('nodegroupRunbooks: true without a managed node group fails with the fix', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const cluster = makeCluster(stack, ClusterKind.DEFINED) as eks.Cluster;
    expect(() => new OperableEksCluster(workload, 'Telemetry', { cluster, nodegroupRunbooks: true })).toThrow(
      '[Test/Freight/Telemetry] nodegroupRunbooks is true but cluster shop has no managed node group yet: add it (cluster.addNodegroupCapacity) ' +
      'before the OperableEksCluster, or leave nodegroupRunbooks unset.');
  });
});
