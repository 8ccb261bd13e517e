import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { Approvers, FailoverAuroraCluster, FailoverAuroraClusterProps, Runbook, RunbookApproval, Workload } from '../../../src';
import { documentContent, DocumentContent, FakeAws, RunbookRun, simulateRunbook } from '../../support/runbook-simulation';

interface Fixture { app: App; stack: Stack; workload: Workload; cluster: rds.DatabaseCluster }

/** A stack in eu-west-1 with the freight workload (on-call approves) and an Aurora PostgreSQL cluster 'Orders' (writer w, reader r). */
function fixture(approvers = true): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(approvers ? { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) } : {}),
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new rds.DatabaseCluster(stack, 'Orders', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.serverlessV2('w'),
    readers: [rds.ClusterInstance.serverlessV2('r')],
    vpc,
  });
  return { app, stack, workload, cluster };
}

function build(props: Partial<FailoverAuroraClusterProps> = {}): Fixture & { runbook: FailoverAuroraCluster } {
  const f = fixture();
  return { ...f, runbook: new FailoverAuroraCluster(f.workload, 'FailoverOrders', { cluster: f.cluster, ...props }) };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);

/** The document's steps by name, with the step fields the simulation helper's type leaves out. */
type RenderedStep = DocumentContent['mainSteps'][number] & { timeoutSeconds?: number; description?: string; outputs?: unknown[] };
function stepsOf(runbook: Runbook): Record<string, RenderedStep> {
  return Object.fromEntries(documentContent(runbook).mainSteps.map((s) => [s.name, s]));
}

function roleStatements(runbook: Runbook): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const stack = Stack.of(runbook);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(runbook.role.node.defaultChild as iam.CfnRole)]
    .Properties.Policies[0].PolicyDocument.Statement;
}

/** Simulate, keeping what the local Python logged (a failed script's exception message is only in its traceback). */
function simulate(runbook: Runbook, options: Parameters<typeof simulateRunbook>[1]): RunbookRun & { log: string } {
  const logged: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
  try {
    return { ...simulateRunbook(runbook, options), log: logged.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

type Member = { DBInstanceIdentifier: string; IsClusterWriter: boolean; PromotionTier: number; DBClusterParameterGroupStatus: string };
const member = (id: string, writer: boolean, tier: number): Member => ({ DBInstanceIdentifier: id, IsClusterWriter: writer, PromotionTier: tier, DBClusterParameterGroupStatus: 'in-sync' });
const clusterIs = (Status: string, members: Member[]) => ({ DBClusters: [{ DBClusterIdentifier: 'orders', Status, DBClusterMembers: members }] });

/** orders-w writes; readers orders-r1 (tier 2) and orders-r2 (tier 1). */
const before = [member('orders-w', true, 1), member('orders-r1', false, 2), member('orders-r2', false, 1)];
/** After promoting `writer`. */
const after = (writer: string) => before.map((m) => ({ ...m, IsClusterWriter: m.DBInstanceIdentifier === writer }));

/** Before the failover (ReadCluster, CheckAvailable), failing over (first WaitAvailable poll), then `then` (the rest). */
function failoverAws(then: ReturnType<typeof clusterIs>, first = clusterIs('available', before)): FakeAws {
  return new FakeAws()
    .when('rds', 'DescribeDBClusters', undefined, first, first, clusterIs('failing-over', before), then)
    .when('rds', 'FailoverDBCluster', undefined, { DBCluster: { DBClusterIdentifier: 'orders', Status: 'failing-over' } });
}

describe('FailoverAuroraCluster document', () => {
  test('steps: read, check, plan, the approval gate right before Failover, then wait and verify', () => {
    const { runbook } = build();
    expect(documentContent(runbook).mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ReadCluster:aws:executeAwsApi',
      'CheckAvailable:aws:assertAwsResourceProperty',
      'Plan:aws:executeScript',
      'ApproveChange:aws:approve',
      'Failover:aws:executeAwsApi',
      'LetFailoverStart:aws:sleep',
      'WaitAvailable:aws:waitForAwsResourceProperty',
      'ReadWriter:aws:executeAwsApi',
      'VerifyWriter:aws:executeScript',
    ]);
  });

  test('parameters, outputs and step inputs', () => {
    const { runbook, cluster } = build();
    const content = documentContent(runbook);
    expect(content.parameters).toEqual({
      TargetInstance: { type: 'String', description: 'The reader instance to promote; empty for the reader with the best promotion tier.', default: '' },
    });
    expect(content.outputs).toEqual(['Plan.OldWriter', 'VerifyWriter.Writer']);
    const steps = stepsOf(runbook);
    const id = logicalId(cluster);
    expect(steps.ReadCluster.inputs).toEqual({ Service: 'rds', Api: 'DescribeDBClusters', DBClusterIdentifier: id });
    expect(steps.ReadCluster).toMatchObject({ outputs: [{ Name: 'Members', Selector: '$.DBClusters[0].DBClusterMembers', Type: 'MapList' }] });
    expect(steps.CheckAvailable.inputs).toMatchObject({ PropertySelector: '$.DBClusters[0].Status', DesiredValues: ['available'] });
    expect(steps.Plan.inputs.InputPayload).toEqual({ Members: '{{ ReadCluster.Members }}', Target: '{{ TargetInstance }}' });
    expect(steps.Failover.inputs).toEqual({ Service: 'rds', Api: 'FailoverDBCluster', DBClusterIdentifier: id, TargetDBInstanceIdentifier: '{{ Plan.NewWriter }}' });
    expect(steps.LetFailoverStart.inputs).toEqual({ Duration: 'PT20S' });
    expect(steps.WaitAvailable.timeoutSeconds).toBe(600);
    expect(steps.VerifyWriter.inputs.InputPayload).toEqual({ Members: '{{ ReadWriter.Members }}', Expected: '{{ Plan.NewWriter }}' });
  });

  test('Markdown: title, purpose, when to use, preconditions and how to roll back', () => {
    const md = documentContent(build().runbook).description;
    expect(md.startsWith('# Fail over an Aurora cluster\n\nPromote a reader of the Aurora cluster to writer, with one approval, and verify the writer changed.\n')).toBe(true);
    expect(md).toContain('## When to use\n\n' +
      '- The writer instance is impaired (high latency, stuck, failing health checks) and Aurora has not failed over by itself.\n' +
      '- A planned writer change (maintenance, instance class change) during a quiet hour.\n');
    expect(md).toContain('## Preconditions\n\n- The cluster is available and has at least one reader.\n' +
      '- Clients reconnect through the cluster endpoint; expect about 30 seconds of write errors.\n');
    expect(md).toContain('## What it changes\n\n- `rds:FailoverDBCluster` (step Failover)\n');
    expect(md).toContain('## How to roll back\n\nRun the runbook again with TargetInstance set to the previous writer (output Plan.OldWriter).\n');
  });

  test('named freight-failover-orders by default; documentName, timeout and RunbookApproval.none are honoured', () => {
    const def = build();
    Template.fromStack(def.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-failover-orders', DocumentType: 'Automation' });
    const custom = build({ documentName: 'orders-failover', timeout: Duration.minutes(20), approval: RunbookApproval.none('game day drill') });
    const content = documentContent(custom.runbook);
    expect(content.mainSteps.map((s) => s.name)).not.toContain('ApproveChange');
    expect(stepsOf(custom.runbook).WaitAvailable.timeoutSeconds).toBe(1200);
    Template.fromStack(custom.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'orders-failover' });
  });
});

describe('FailoverAuroraCluster simulation', () => {
  test('promotes the reader with the lowest promotion tier, waits until available and verifies the new writer', () => {
    const { runbook, cluster } = build();
    const aws = failoverAws(clusterIs('available', after('orders-r2')));
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ReadCluster', 'CheckAvailable', 'Plan', 'ApproveChange', 'Failover', 'LetFailoverStart', 'WaitAvailable', 'ReadWriter', 'VerifyWriter']);
    expect(run.outputs).toMatchObject({ 'Plan.OldWriter': 'orders-w', 'Plan.NewWriter': 'orders-r2', 'VerifyWriter.Writer': 'orders-r2' });
    expect(aws.callsTo('rds', 'FailoverDBCluster')).toEqual([{ DBClusterIdentifier: logicalId(cluster), TargetDBInstanceIdentifier: 'orders-r2' }]);
    expect(aws.callsTo('rds', 'DescribeDBClusters')).toHaveLength(5);
  });

  test('ties on promotion tier go to the first reader by name', () => {
    const { runbook } = build();
    const members = [member('orders-w', true, 0), member('orders-rb', false, 1), member('orders-ra', false, 1)];
    const aws = failoverAws(clusterIs('available', members.map((m) => ({ ...m, IsClusterWriter: m.DBInstanceIdentifier === 'orders-ra' }))),
      clusterIs('available', members));
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Success');
    expect(aws.callsTo('rds', 'FailoverDBCluster')[0].TargetDBInstanceIdentifier).toBe('orders-ra');
  });

  test('TargetInstance picks the reader', () => {
    const { runbook, cluster } = build();
    const aws = failoverAws(clusterIs('available', after('orders-r1')));
    const run = simulate(runbook, { aws, inputs: { TargetInstance: 'orders-r1' } });
    expect(run.status).toBe('Success');
    expect(run.outputs).toMatchObject({ 'Plan.OldWriter': 'orders-w', 'VerifyWriter.Writer': 'orders-r1' });
    expect(aws.callsTo('rds', 'FailoverDBCluster')).toEqual([{ DBClusterIdentifier: logicalId(cluster), TargetDBInstanceIdentifier: 'orders-r1' }]);
  });

  test('a cluster that is not available fails CheckAvailable, before any failover', () => {
    const { runbook } = build();
    const aws = failoverAws(clusterIs('available', before), clusterIs('modifying', before));
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadCluster', 'CheckAvailable']);
    expect(run.error).toContain('Did not find desired response (available)');
    expect(aws.callsTo('rds', 'FailoverDBCluster')).toEqual([]);
  });

  test.each<[string, Member[], Record<string, string>, string]>([
    ['no reader', [member('orders-w', true, 1)], {},
      'The cluster has no reader to promote: add a reader instance first.'],
    ['no writer (already failing over)', [member('orders-r1', false, 1)], {},
      'The cluster has no writer; it may already be failing over.'],
    ['a TargetInstance that is not a reader', before, { TargetInstance: 'orders-w' },
      'TargetInstance orders-w is not a reader of the cluster (readers: orders-r2, orders-r1).'],
    ['a TargetInstance that is not in the cluster', before, { TargetInstance: 'billing-r1' },
      'TargetInstance billing-r1 is not a reader of the cluster (readers: orders-r2, orders-r1).'],
  ])('%s fails Plan, before the approval and any failover', (_, members, inputs, message) => {
    const { runbook } = build();
    const aws = failoverAws(clusterIs('available', members), clusterIs('available', members));
    const run = simulate(runbook, { aws, inputs });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadCluster', 'CheckAvailable', 'Plan']);
    expect(run.error).toBe(message);
    expect(aws.callsTo('rds', 'FailoverDBCluster')).toEqual([]);
  });

  test('a writer unchanged after the failover fails VerifyWriter, saying which instance writes', () => {
    const { runbook } = build();
    const aws = failoverAws(clusterIs('available', before));
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadCluster', 'CheckAvailable', 'Plan', 'ApproveChange', 'Failover', 'LetFailoverStart', 'WaitAvailable', 'ReadWriter', 'VerifyWriter']);
    expect(run.error).toBe('The writer is orders-w, not orders-r2.');
    expect(aws.callsTo('rds', 'FailoverDBCluster')).toHaveLength(1);
  });

  test('a cluster that never becomes available again fails WaitAvailable', () => {
    const { runbook } = build();
    const aws = failoverAws(clusterIs('failing-over', after('orders-r2')));
    const run = simulate(runbook, { aws, waitTimeoutSeconds: 1 });
    expect(run.status).toBe('Failed');
    expect(run.steps[run.steps.length - 1]).toBe('WaitAvailable');
    expect(run.steps).not.toContain('ReadWriter');
  });

  test('a rejected approval fails over nothing', () => {
    const { runbook } = build();
    const aws = failoverAws(clusterIs('available', after('orders-r2')));
    const run = simulate(runbook, { aws, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadCluster', 'CheckAvailable', 'Plan', 'ApproveChange']);
    expect(run.error).toBe('Step rejected by approvers');
    expect(aws.callsTo('rds', 'FailoverDBCluster')).toEqual([]);
  });
});

describe('FailoverAuroraCluster role', () => {
  const arn = (type: 'cluster' | 'db', ref: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:123456789012:${type}:`, { Ref: ref }]] });

  test('DescribeDBClusters on the cluster; FailoverDBCluster on the cluster and its instances', () => {
    const { runbook, cluster, stack } = build();
    const instances = cluster.node.findAll().filter((c) => c instanceof rds.CfnDBInstance).map((c) => stack.getLogicalId(c as CfnElement));
    expect(instances).toHaveLength(2);
    const statements = roleStatements(runbook);
    expect(statements).toEqual([
      { Action: 'rds:DescribeDBClusters', Effect: 'Allow', Resource: arn('cluster', logicalId(cluster)) },
      { Action: 'rds:FailoverDBCluster', Effect: 'Allow', Resource: [arn('cluster', logicalId(cluster)), ...instances.map((i) => arn('db', i))] },
    ]);
    expect(statements.flatMap((s) => s.Action).filter((a) => a.includes('*'))).toEqual([]);
  });

  const literal = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:123456789012:${resource}`]] });

  test('an imported cluster with instanceIdentifiers allows FailoverDBCluster on those instances', () => {
    const f = fixture();
    const imported = rds.DatabaseCluster.fromDatabaseClusterAttributes(f.stack, 'Billing', {
      clusterIdentifier: 'billing', instanceIdentifiers: ['billing-1', 'billing-2'],
    });
    const runbook = new FailoverAuroraCluster(f.workload, 'FailoverBilling', { cluster: imported });
    expect(roleStatements(runbook)).toEqual([
      { Action: 'rds:DescribeDBClusters', Effect: 'Allow', Resource: literal('cluster:billing') },
      { Action: 'rds:FailoverDBCluster', Effect: 'Allow', Resource: [literal('cluster:billing'), literal('db:billing-1'), literal('db:billing-2')] },
    ]);
  });

  test('an imported cluster without known instances allows FailoverDBCluster on the account\'s instances', () => {
    const f = fixture();
    const imported = rds.DatabaseCluster.fromDatabaseClusterAttributes(f.stack, 'Billing', { clusterIdentifier: 'billing' });
    const runbook = new FailoverAuroraCluster(f.workload, 'FailoverBilling', { cluster: imported });
    const clusterArn = literal('cluster:billing');
    expect(roleStatements(runbook)).toEqual([
      { Action: 'rds:DescribeDBClusters', Effect: 'Allow', Resource: clusterArn },
      {
        Action: 'rds:FailoverDBCluster',
        Effect: 'Allow',
        Resource: [clusterArn, literal('db:*')],
      },
    ]);
    expect(documentContent(runbook).mainSteps[0].inputs.DBClusterIdentifier).toBe('billing');
  });
});

describe('FailoverAuroraCluster rejects bad input', () => {
  test('a workload without approvers fails with the approvers error', () => {
    const f = fixture(false);
    expect(() => new FailoverAuroraCluster(f.workload, 'FailoverOrders', { cluster: f.cluster })).toThrow(
      "[Test/Freight/FailoverOrders] Runbook 'freight-failover-orders' changes production state (Failover) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });

  test('a timeout above 7 days', () => {
    expect(() => build({ timeout: Duration.days(8) })).toThrow(
      '[Test/Freight/FailoverOrders] timeout must be a whole number of seconds, at least 1 second and at most 7 days, got Duration 8 days. Use Duration.minutes(n) (a whole number of seconds, ' +
      'at most 7 days: the longest an Automation step may wait).');
  });
});
