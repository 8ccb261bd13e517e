import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Approvers, Runbook, RunbookApproval, ScaleEksNodegroup, Workload } from '../../../src';
import { ProcedureKind, proceduresFor } from '../../../src/core/procedures';
import { documentContent, DocumentContent, FakeAws, RunbookRun, simulateRunbook } from '../../support/runbook-simulation';

interface Base { app: App; stack: Stack; workload: Workload }
interface Fixture extends Base { cluster: eks.Cluster; workers: eks.Nodegroup }

/** A stack in eu-west-1 with the freight workload (on-call approves, unless `approvers` is false). */
function base(approvers = true): Base {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(approvers ? { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) } : {}),
  });
  return { app, stack, workload };
}

/** The base, with an EKS cluster 'Cluster' and a managed node group 'Workers' (2-6 nodes, 3 desired). */
function fixture(approvers = true): Fixture {
  const b = base(approvers);
  const vpc = new ec2.Vpc(b.stack, 'Vpc', { maxAzs: 2 });
  const cluster = new eks.Cluster(b.stack, 'Cluster', { vpc, version: eks.KubernetesVersion.V1_35 });
  const workers = cluster.addNodegroupCapacity('Workers', { minSize: 2, maxSize: 6, desiredSize: 3 });
  return { ...b, cluster, workers };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
/** What the document passes as clusterName and nodegroupName (the cluster's Ref, the node group's NodegroupName). */
const target = (f: Fixture) => ({ clusterName: logicalId(f.cluster), nodegroupName: `arn:aws:test:::${logicalId(f.workers)}.NodegroupName` });

type RenderedStep = DocumentContent['mainSteps'][number] & { timeoutSeconds?: number; description?: string; outputs?: unknown[] };
const stepsOf = (content: DocumentContent): Record<string, RenderedStep> => Object.fromEntries(content.mainSteps.map((s) => [s.name, s]));

function roleStatements(runbook: Runbook): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const stack = Stack.of(runbook);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(runbook.role.node.defaultChild as iam.CfnRole)]
    .Properties.Policies[0].PolicyDocument.Statement;
}

/** Simulate, keeping the test output quiet (a failed script's exception message is in the run's error). */
function simulate(runbook: Runbook, options: Parameters<typeof simulateRunbook>[1]): RunbookRun {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return simulateRunbook(runbook, options);
  } finally {
    spy.mockRestore();
  }
}

const nodegroup = (status: string, desiredSize = 3) => ({ nodegroup: { nodegroupName: 'workers', status, scalingConfig: { minSize: 2, maxSize: 6, desiredSize } } });
const update = (status: string) => ({ update: { id: 'upd-1', status, type: 'ConfigUpdate' } });

/** The node group is ACTIVE at 2-6 (3 desired); the update reads each of `states` in turn; afterwards it is `after`. */
function scaleAws(states: string[] = ['InProgress', 'Successful'], after = 'ACTIVE', before = 'ACTIVE'): FakeAws {
  return new FakeAws()
    .when('eks', 'DescribeNodegroup', undefined, nodegroup(before), nodegroup(before), nodegroup(after, 5))
    .when('eks', 'UpdateNodegroupConfig', undefined, update('InProgress'))
    .when('eks', 'DescribeUpdate', undefined, ...states.map(update));
}

const RUN = ['ReadNodegroup', 'CheckUpdatable', 'Plan', 'ApproveScaling', 'Scale', 'WaitForUpdate', 'VerifyUpdate', 'VerifyActive'];

describe('ScaleEksNodegroup', () => {
  let f: Fixture & { runbook: ScaleEksNodegroup };
  let content: DocumentContent;
  let steps: Record<string, RenderedStep>;
  beforeAll(() => {
    const fx = fixture();
    f = { ...fx, runbook: new ScaleEksNodegroup(fx.workload, 'ScaleWorkers', { nodegroup: fx.workers, maxNodes: 20 }) };
    content = documentContent(f.runbook);
    steps = stepsOf(content);
  });

  test('document: read and check before the approval, scale after it, then wait for the update and verify', () => {
    expect(content.mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ReadNodegroup:aws:executeAwsApi',
      'CheckUpdatable:aws:assertAwsResourceProperty',
      'Plan:aws:executeScript',
      'ApproveScaling:aws:approve',
      'Scale:aws:executeAwsApi',
      'WaitForUpdate:aws:waitForAwsResourceProperty',
      'VerifyUpdate:aws:assertAwsResourceProperty',
      'VerifyActive:aws:assertAwsResourceProperty',
    ]);
    expect(f.runbook.hasApprovalGate).toBe(true);
    expect(content.outputs).toEqual(['ReadNodegroup.DesiredSize', 'ReadNodegroup.MinSize', 'ReadNodegroup.MaxSize', 'Scale.UpdateId']);
    expect(content.parameters).toEqual({
      DesiredSize: { type: 'Integer', description: 'How many nodes to run (1-20).' },
      MinSize: { type: 'String', description: "The node group's new minimum size; empty to keep it.", default: '', allowedPattern: '^[0-9]*$' },
      MaxSize: { type: 'String', description: "The node group's new maximum size (at most 20); empty to keep it.", default: '', allowedPattern: '^[0-9]*$' },
    });
  });

  test('document: the API calls and their inputs', () => {
    expect(steps.ReadNodegroup).toMatchObject({
      inputs: { Service: 'eks', Api: 'DescribeNodegroup', ...target(f) },
      outputs: [
        { Name: 'DesiredSize', Selector: '$.nodegroup.scalingConfig.desiredSize', Type: 'Integer' },
        { Name: 'MinSize', Selector: '$.nodegroup.scalingConfig.minSize', Type: 'Integer' },
        { Name: 'MaxSize', Selector: '$.nodegroup.scalingConfig.maxSize', Type: 'Integer' },
      ],
    });
    expect(steps.CheckUpdatable.inputs).toMatchObject({ Api: 'DescribeNodegroup', PropertySelector: '$.nodegroup.status', DesiredValues: ['ACTIVE', 'DEGRADED'] });
    expect(steps.Plan.inputs.InputPayload).toEqual({
      Desired: '{{ DesiredSize }}',
      Min: '{{ MinSize }}',
      Max: '{{ MaxSize }}',
      CurrentMin: '{{ ReadNodegroup.MinSize }}',
      CurrentMax: '{{ ReadNodegroup.MaxSize }}',
      Floor: '1',
      Ceiling: '20',
    });
    expect(steps.Scale.inputs).toEqual({
      Service: 'eks',
      Api: 'UpdateNodegroupConfig',
      ...target(f),
      scalingConfig: { minSize: '{{ Plan.MinSize }}', maxSize: '{{ Plan.MaxSize }}', desiredSize: '{{ Plan.DesiredSize }}' },
    });
    const describeUpdate = { Service: 'eks', Api: 'DescribeUpdate', name: target(f).clusterName, updateId: '{{ Scale.UpdateId }}', nodegroupName: target(f).nodegroupName };
    expect(steps.WaitForUpdate.timeoutSeconds).toBe(1200);
    expect(steps.WaitForUpdate.inputs).toEqual({ ...describeUpdate, PropertySelector: '$.update.status', DesiredValues: ['Successful', 'Failed', 'Cancelled'] });
    expect(steps.VerifyUpdate.inputs).toEqual({ ...describeUpdate, PropertySelector: '$.update.status', DesiredValues: ['Successful'] });
    expect(steps.VerifyActive.inputs).toMatchObject({ Api: 'DescribeNodegroup', ...target(f), PropertySelector: '$.nodegroup.status', DesiredValues: ['ACTIVE'] });
  });

  test('document: the approval shows the workload approvers the change (current → new sizes)', () => {
    expect(steps.ApproveScaling.inputs).toEqual({
      Approvers: ['arn:aws:iam::123456789012:role/oncall'],
      MinRequiredApprovals: 1,
      Message: `Scale EKS node group ${target(f).nodegroupName} from {{ ReadNodegroup.DesiredSize }} nodes (min {{ ReadNodegroup.MinSize }}, ` +
        'max {{ ReadNodegroup.MaxSize }}) to {{ Plan.DesiredSize }} nodes (min {{ Plan.MinSize }}, max {{ Plan.MaxSize }}) (execution {{ automation:EXECUTION_ID }}).',
    });
  });

  test('Markdown: title, purpose, preconditions, changes, approval and rollback; name freight-scale-workers', () => {
    const md = content.description;
    expect(md.startsWith("# Scale an EKS managed node group\n\nSet the node group's desired size (1-20 nodes, and its minimum and maximum when given) " +
      'and wait until EKS has applied it.\n')).toBe(true);
    expect(md).toContain('## Preconditions\n\n- No other update of the node group is in progress (EKS rejects a second one).\n');
    expect(md).toContain('## What it changes\n\n- `eks:UpdateNodegroupConfig` (step Scale)\n');
    expect(md).toContain('## Approval\n\nStep ApproveScaling waits for 1 approval(s) from 1 approver(s) before anything changes.\n');
    expect(md).toContain('## How to roll back\n\nRun the runbook again with the previous sizes (outputs ReadNodegroup.DesiredSize, ' +
      'ReadNodegroup.MinSize and ReadNodegroup.MaxSize).\n');
    Template.fromStack(f.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-scale-workers', DocumentType: 'Automation' });
  });

  test('role: the node group calls on the node group ARN only; DescribeUpdate on the cluster and the node group', () => {
    const nodegroupArn = { 'Fn::GetAtt': [logicalId(f.workers), 'Arn'] };
    expect(roleStatements(f.runbook)).toEqual([
      { Action: ['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig'], Effect: 'Allow', Resource: nodegroupArn },
      { Action: 'eks:DescribeUpdate', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [logicalId(f.cluster), 'Arn'] }, nodegroupArn] },
    ]);
  });

  test('registers on the node group (not on the cluster): alarms watching it name the runbook', () => {
    expect(proceduresFor(f.workers).map((p) => [p.documentName, p.kind, p.purpose, p.definedBy])).toEqual([
      ['freight-scale-workers', ProcedureKind.RUNBOOK, 'scale the node group', f.runbook],
    ]);
    expect(proceduresFor(f.cluster)).toEqual([]);
  });

  test('simulation: UpdateNodegroupConfig with the desired size (bounds kept), waits for the update, checks ACTIVE', () => {
    const aws = scaleAws();
    const run = simulate(f.runbook, { aws, inputs: { DesiredSize: 5 } });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(RUN);
    expect(aws.callsTo('eks', 'UpdateNodegroupConfig')).toEqual([{ ...target(f), scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 5 } }]);
    expect(aws.callsTo('eks', 'DescribeUpdate')).toEqual([
      { name: target(f).clusterName, updateId: 'upd-1', nodegroupName: target(f).nodegroupName },
      { name: target(f).clusterName, updateId: 'upd-1', nodegroupName: target(f).nodegroupName },
      { name: target(f).clusterName, updateId: 'upd-1', nodegroupName: target(f).nodegroupName },
    ]);
    expect(run.outputs).toMatchObject({ 'ReadNodegroup.DesiredSize': 3, 'ReadNodegroup.MinSize': 2, 'ReadNodegroup.MaxSize': 6, 'Scale.UpdateId': 'upd-1' });
  });

  test('simulation: MinSize and MaxSize change the bounds too', () => {
    const aws = scaleAws();
    const run = simulate(f.runbook, { aws, inputs: { DesiredSize: 12, MinSize: '4', MaxSize: '15' } });
    expect(run.status).toBe('Success');
    expect(aws.callsTo('eks', 'UpdateNodegroupConfig')).toEqual([{ ...target(f), scalingConfig: { minSize: 4, maxSize: 15, desiredSize: 12 } }]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['DesiredSize above maxNodes', { DesiredSize: 25 }, 'DesiredSize 25 is outside 1-20 nodes.'],
    ['DesiredSize 0 below minNodes', { DesiredSize: 0 }, 'DesiredSize 0 is outside 1-20 nodes.'],
    ["DesiredSize above the node group's maximum", { DesiredSize: 8 }, "DesiredSize 8 is outside the node group's 2-6 nodes: give MinSize or MaxSize too."],
    ['MaxSize above maxNodes', { DesiredSize: 8, MaxSize: '30' }, 'MaxSize 30 is outside 1-20 nodes.'],
    ['MinSize above MaxSize', { DesiredSize: 4, MinSize: '5', MaxSize: '4' }, 'MinSize 5 is above MaxSize 4.'],
  ])('simulation: %s fails in Plan, before the approval and UpdateNodegroupConfig', (_, inputs, message) => {
    const aws = scaleAws();
    const run = simulate(f.runbook, { aws, inputs });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadNodegroup', 'CheckUpdatable', 'Plan']);
    expect(run.error).toBe(message);
    expect(aws.callsTo('eks', 'UpdateNodegroupConfig')).toEqual([]);
  });

  test('simulation: a node group already UPDATING fails CheckUpdatable, before any change', () => {
    const aws = scaleAws(undefined, 'ACTIVE', 'UPDATING');
    const run = simulate(f.runbook, { aws, inputs: { DesiredSize: 5 } });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadNodegroup', 'CheckUpdatable']);
    expect(run.error).toContain('Did not find desired response (ACTIVE,DEGRADED)');
    expect(aws.callsTo('eks', 'UpdateNodegroupConfig')).toEqual([]);
  });

  test('simulation: a Failed update ends the wait and fails VerifyUpdate', () => {
    const run = simulate(f.runbook, { aws: scaleAws(['InProgress', 'Failed']), inputs: { DesiredSize: 5 } });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(RUN.slice(0, 7));
    expect(run.error).toContain('Did not find desired response (Successful)');
  });

  test('simulation: a node group left DEGRADED after the update fails VerifyActive', () => {
    const run = simulate(f.runbook, { aws: scaleAws(undefined, 'DEGRADED'), inputs: { DesiredSize: 5 } });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(RUN);
    expect(run.error).toContain('Did not find desired response (ACTIVE)');
  });

  test('simulation: a rejected approval scales nothing', () => {
    const aws = scaleAws();
    const run = simulate(f.runbook, { aws, inputs: { DesiredSize: 5 }, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(RUN.slice(0, 4));
    expect(aws.callsTo('eks', 'UpdateNodegroupConfig')).toEqual([]);
  });
});

describe('ScaleEksNodegroup: imported node groups, options and bad input', () => {
  const imported = (b: Base) => eks.Nodegroup.fromNodegroupName(b.stack, 'Imported', 'workers');
  const importedCluster = (b: Base) => eks.Cluster.fromClusterAttributes(b.stack, 'ImportedCluster', { clusterName: 'freight' });

  test('an imported node group with its cluster: names from the attributes, ARN scoped to the node group name', () => {
    const b = base();
    const ng = imported(b);
    const runbook = new ScaleEksNodegroup(b.workload, 'ScaleWorkers', {
      nodegroup: ng, cluster: importedCluster(b), maxNodes: 10, minNodes: 0, timeout: Duration.minutes(5), documentName: 'workers-scale',
    });
    const content = documentContent(runbook);
    const steps = stepsOf(content);
    expect(steps.Scale.inputs).toMatchObject({ clusterName: 'freight', nodegroupName: 'workers' });
    expect(steps.WaitForUpdate.timeoutSeconds).toBe(300);
    expect(steps.Plan.inputs.InputPayload).toMatchObject({ Floor: '0', Ceiling: '10' });
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:eu-west-1:123456789012:${resource}`]] });
    expect(roleStatements(runbook)).toEqual([
      { Action: ['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig'], Effect: 'Allow', Resource: arn('nodegroup/freight/workers/*') },
      { Action: 'eks:DescribeUpdate', Effect: 'Allow', Resource: [arn('cluster/freight'), arn('nodegroup/freight/workers/*')] },
    ]);
    expect(runbook.documentName).toBe('workers-scale');
    expect(proceduresFor(ng).map((p) => p.documentName)).toEqual(['workers-scale']);
  });

  test('RunbookApproval.none removes the approval and records the reason', () => {
    const b = base(false);
    const runbook = new ScaleEksNodegroup(b.workload, 'ScaleWorkers', {
      nodegroup: imported(b), cluster: importedCluster(b), maxNodes: 10, approval: RunbookApproval.none('scales within 1-10 nodes from an alarm'),
    });
    const content = documentContent(runbook);
    expect(content.mainSteps.filter((s) => s.action === 'aws:approve')).toEqual([]);
    expect(content.description).toContain('## Approval\n\nNot gated: scales within 1-10 nodes from an alarm\n');
  });

  test('a workload without approvers fails with the approvers error', () => {
    const b = base(false);
    expect(() => new ScaleEksNodegroup(b.workload, 'ScaleWorkers', { nodegroup: imported(b), cluster: importedCluster(b), maxNodes: 10 })).toThrow(
      "[Test/Freight/ScaleWorkers] Runbook 'freight-scale-workers' changes production state (Scale) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });

  test('an imported node group without its cluster', () => {
    const b = base();
    expect(() => new ScaleEksNodegroup(b.workload, 'ScaleWorkers', { nodegroup: imported(b), maxNodes: 10 })).toThrow(
      '[Test/Freight/ScaleWorkers] nodegroup Test/Imported is imported and does not know its cluster: give cluster (the eks.ICluster it belongs to).');
  });

  test("a cluster that is not the node group's", () => {
    const f = fixture();
    expect(() => new ScaleEksNodegroup(f.workload, 'ScaleWorkers', { nodegroup: f.workers, cluster: importedCluster(f), maxNodes: 10 })).toThrow(
      '[Test/Freight/ScaleWorkers] cluster Test/ImportedCluster is not the cluster of nodegroup Test/Cluster/NodegroupWorkers (Test/Cluster): ' +
      'leave cluster out, or give the node group of that cluster.');
  });

  const js = (v: unknown) => v as never;
  test.each<[string, (b: Base) => unknown, string]>([
    ['no nodegroup', () => ({ maxNodes: 10 }), 'nodegroup is required, got undefined.'],
    ['a node group name', () => ({ nodegroup: 'workers', maxNodes: 10 }),
      'nodegroup must be an EKS managed node group (eks.INodegroup from aws-eks-v2: cluster.addNodegroupCapacity(...) or Nodegroup.fromNodegroupName(...)), ' +
      "got 'workers' (a string)."],
    ['a cluster name', (b) => ({ nodegroup: imported(b), cluster: 'freight', maxNodes: 10 }),
      "cluster must be an EKS cluster (eks.ICluster from aws-eks-v2), got 'freight' (a string)."],
    ['no maxNodes', (b) => ({ nodegroup: imported(b), cluster: importedCluster(b) }), 'maxNodes is required, got undefined.'],
    ['maxNodes 0', (b) => ({ nodegroup: imported(b), cluster: importedCluster(b), maxNodes: 0 }),
      'maxNodes must be a whole number at least 1, got 0. The most nodes the runbook may set: 1 or more.'],
    ['minNodes above maxNodes', (b) => ({ nodegroup: imported(b), cluster: importedCluster(b), minNodes: 5, maxNodes: 3 }),
      'minNodes 5 is above maxNodes 3, so no size would be allowed: lower minNodes or raise maxNodes.'],
    ['a timeout in milliseconds', (b) => ({ nodegroup: imported(b), cluster: importedCluster(b), maxNodes: 3, timeout: Duration.millis(500) }),
      'timeout must be a whole number of seconds, at least 1 second and at most 7 days, got Duration 500 millis. ' +
      'Use Duration.minutes(n) (a whole number of seconds, at most 7 days: the longest an Automation step may wait).'],
  ])('rejects %s, naming the preset and the prop', (_, props, message) => {
    const b = base();
    expect(() => new ScaleEksNodegroup(b.workload, 'ScaleWorkers', js(props(b)))).toThrow(`[Test/Freight/ScaleWorkers] ${message}`);
  });
});
