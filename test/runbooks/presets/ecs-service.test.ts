import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Approvers, RestartEcsService, RestartEcsServiceProps, Runbook, RunbookApproval, ScaleEcsService, ScaleEcsServiceProps, Workload } from '../../../src';
import { documentContent, DocumentContent, FakeAws, RunbookRun, simulateRunbook } from '../../support/runbook-simulation';


interface Fixture { app: App; stack: Stack; workload: Workload; cluster: ecs.Cluster; service: ecs.FargateService }

/** A stack in eu-west-1 with the freight workload (on-call approves) and a Fargate service 'Service' in 'Cluster'. */
function fixture(approvers = true): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(approvers ? { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) } : {}),
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('quotes', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
  const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition, desiredCount: 2 });
  return { app, stack, workload, cluster, service };
}

function restart(props: Partial<RestartEcsServiceProps> = {}) {
  const f = fixture();
  return { ...f, runbook: new RestartEcsService(f.workload, 'RestartQuotes', { service: f.service, ...props }) };
}

function scale(props: Partial<ScaleEcsServiceProps> = {}) {
  const f = fixture();
  return { ...f, runbook: new ScaleEcsService(f.workload, 'ScaleQuotes', { service: f.service, maxCount: 10, ...props }) };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
/** What the document passes as cluster and service (the cluster's Ref and the service's Name attribute). */
const target = (f: Fixture) => ({ cluster: logicalId(f.cluster), service: `arn:aws:test:::${logicalId(f.service)}.Name` });

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

const deployment = (id: string, rolloutState: string) => ({ id, status: 'PRIMARY', rolloutState, taskDefinition: 'quotes:12' });
const describe2 = (...deployments: object[]) => ({ services: [{ serviceName: 'quotes', deployments }] });

/** UpdateService starts ecs-svc/2222; DescribeServices shows it IN_PROGRESS, then each of `states` with `id`. */
function restartAws(finalId: string, ...states: string[]): FakeAws {
  return new FakeAws()
    .when('ecs', 'UpdateService', undefined, { service: { deployments: [deployment('ecs-svc/2222', 'IN_PROGRESS'), deployment('ecs-svc/1111', 'COMPLETED')] } })
    .when('ecs', 'DescribeServices', undefined, describe2(deployment('ecs-svc/2222', 'IN_PROGRESS')), ...states.map((s) => describe2(deployment(finalId, s))));
}

describe('RestartEcsService', () => {
  test('document: the approval gate comes first (Restart changes state at once), then wait and verify', () => {
    const f = restart();
    const content = documentContent(f.runbook);
    expect(content.mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ApproveChange:aws:approve',
      'Restart:aws:executeAwsApi',
      'WaitForSteadyState:aws:waitForAwsResourceProperty',
      'VerifyCompleted:aws:assertAwsResourceProperty',
      'VerifyDeployment:aws:assertAwsResourceProperty',
    ]);
    expect(content.parameters).toBeUndefined();
    expect(content.outputs).toEqual(['Restart.DeploymentId']);
    const steps = stepsOf(f.runbook);
    expect(steps.Restart.inputs).toEqual({ Service: 'ecs', Api: 'UpdateService', ...target(f), forceNewDeployment: true });
    expect(steps.WaitForSteadyState.timeoutSeconds).toBe(1800);
    expect(steps.WaitForSteadyState.inputs).toEqual({
      Service: 'ecs',
      Api: 'DescribeServices',
      cluster: target(f).cluster,
      services: [target(f).service],
      PropertySelector: '$.services[0].deployments[0].rolloutState',
      DesiredValues: ['COMPLETED', 'FAILED'],
    });
    expect(steps.VerifyCompleted.inputs.DesiredValues).toEqual(['COMPLETED']);
    expect(steps.VerifyDeployment.inputs).toMatchObject({ PropertySelector: '$.services[0].deployments[0].id', DesiredValues: ['{{ Restart.DeploymentId }}'] });
  });

  test('Markdown: title, purpose, when to use, preconditions, rollback; document name freight-restart-quotes', () => {
    const f = restart();
    const md = documentContent(f.runbook).description;
    expect(md.startsWith('# Restart an ECS service\n\nReplace every task of the service with a fresh one (same task definition) and wait until the service is steady.\n')).toBe(true);
    expect(md).toContain('## When to use\n\n- Tasks are unhealthy but the task definition is good (memory leak, stuck connections, stale caches).\n');
    expect(md).toContain('## Preconditions\n\n- No other deployment of the service is in progress.\n- The cluster has capacity for the new tasks alongside the old.\n');
    expect(md).toContain('## What it changes\n\n- `ecs:UpdateService` (step Restart)\n');
    expect(md).toContain('## How to roll back\n\nNothing to undo: the tasks run the same task definition. If the new tasks fail, ECS keeps the old ones (circuit breaker).\n');
    Template.fromStack(f.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-restart-quotes', DocumentType: 'Automation' });
  });

  test('timeout, documentName and RunbookApproval.none are honoured', () => {
    const f = restart({ timeout: Duration.minutes(45), documentName: 'quotes-restart', approval: RunbookApproval.none('restarts only; safe unattended') });
    const content = documentContent(f.runbook);
    expect(content.mainSteps.map((s) => s.name)).toEqual(['Restart', 'WaitForSteadyState', 'VerifyCompleted', 'VerifyDeployment']);
    expect(stepsOf(f.runbook).WaitForSteadyState.timeoutSeconds).toBe(2700);
    expect(content.description).toContain('## Approval\n\nNot gated: restarts only; safe unattended\n');
    Template.fromStack(f.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'quotes-restart' });
  });

  test('simulation: forces a new deployment, waits for it and verifies it is the one it started', () => {
    const f = restart();
    const aws = restartAws('ecs-svc/2222', 'COMPLETED');
    const run = simulate(f.runbook, { aws });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ApproveChange', 'Restart', 'WaitForSteadyState', 'VerifyCompleted', 'VerifyDeployment']);
    expect(run.outputs).toMatchObject({ 'Restart.DeploymentId': 'ecs-svc/2222' });
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), forceNewDeployment: true }]);
    expect(aws.callsTo('ecs', 'DescribeServices')).toContainEqual({ cluster: target(f).cluster, services: [target(f).service] });
  });

  test('simulation: a rollout that FAILED ends the wait and fails VerifyCompleted', () => {
    const f = restart();
    const run = simulate(f.runbook, { aws: restartAws('ecs-svc/2222', 'FAILED') });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange', 'Restart', 'WaitForSteadyState', 'VerifyCompleted']);
    expect(run.error).toContain('Did not find desired response (COMPLETED)');
  });

  test('simulation: a completed deployment other than the one it started (a circuit-breaker rollback) fails VerifyDeployment', () => {
    const f = restart();
    const run = simulate(f.runbook, { aws: restartAws('ecs-svc/3333', 'COMPLETED') });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange', 'Restart', 'WaitForSteadyState', 'VerifyCompleted', 'VerifyDeployment']);
    expect(run.error).toContain('Did not find desired response (ecs-svc/2222)');
  });

  test('simulation: a rejected approval restarts nothing', () => {
    const f = restart();
    const aws = restartAws('ecs-svc/2222', 'COMPLETED');
    const run = simulate(f.runbook, { aws, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ApproveChange']);
    expect(aws.calls).toEqual([]);
  });

  test('role: DescribeServices and UpdateService on the service only', () => {
    const f = restart();
    expect(roleStatements(f.runbook)).toEqual([
      { Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Effect: 'Allow', Resource: { Ref: logicalId(f.service) } },
    ]);
  });

  test('a workload without approvers fails with the approvers error', () => {
    const f = fixture(false);
    expect(() => new RestartEcsService(f.workload, 'RestartQuotes', { service: f.service })).toThrow(
      "[Test/Freight/RestartQuotes] Runbook 'freight-restart-quotes' changes production state (Restart) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });
});

/** The service runs 2 tasks; after scaling, DescribeServices reports each of `running` in turn. */
function scaleAws(...running: number[]): FakeAws {
  const svc = (desiredCount: number, runningCount: number) => ({ services: [{ serviceName: 'quotes', desiredCount, runningCount }] });
  return new FakeAws()
    .when('ecs', 'DescribeServices', undefined, svc(2, 2), ...running.map((r) => svc(running[running.length - 1], r)))
    .when('ecs', 'UpdateService', undefined, { service: { serviceName: 'quotes' } });
}

describe('ScaleEcsService', () => {
  test('document: reads and checks the count before the approval gate, scales after it, then waits', () => {
    const f = scale();
    const content = documentContent(f.runbook);
    expect(content.mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ReadCurrent:aws:executeAwsApi',
      'CheckBounds:aws:executeScript',
      'ApproveChange:aws:approve',
      'Scale:aws:executeAwsApi',
      'WaitForTasks:aws:waitForAwsResourceProperty',
    ]);
    expect(content.parameters).toEqual({ DesiredCount: { type: 'Integer', description: 'How many tasks to run (1-10).' } });
    expect(content.outputs).toEqual(['ReadCurrent.DesiredCount']);
    const steps = stepsOf(f.runbook);
    expect(steps.ReadCurrent).toMatchObject({ outputs: [{ Name: 'DesiredCount', Selector: '$.services[0].desiredCount', Type: 'Integer' }] });
    expect(steps.CheckBounds.inputs.InputPayload).toEqual({ Desired: '{{ DesiredCount }}', Min: '1', Max: '10' });
    expect(steps.Scale.inputs).toEqual({ Service: 'ecs', Api: 'UpdateService', ...target(f), desiredCount: '{{ DesiredCount }}' });
    expect(steps.WaitForTasks.timeoutSeconds).toBe(900);
    expect(steps.WaitForTasks.inputs).toMatchObject({ PropertySelector: '$.services[0].runningCount', DesiredValues: ['{{ DesiredCount }}'] });
  });

  test('Markdown: bounds in the purpose, rollback to the previous count; document name freight-scale-quotes', () => {
    const f = scale({ minCount: 2, maxCount: 20 });
    const md = documentContent(f.runbook).description;
    expect(md.startsWith("# Scale an ECS service\n\nSet the service's desired task count (2-20) and wait until that many tasks run.\n")).toBe(true);
    expect(md).toContain('## When to use\n\n- Traffic outgrew the service and auto scaling cannot keep up, or is not configured.\n- Shedding cost after an event.\n');
    expect(md).toContain('## Preconditions\n\n- If Application Auto Scaling manages the service, its min/max capacity bounds the count; raise them too, or scaling reverts it.\n');
    expect(md).toContain('## How to roll back\n\nRun the runbook again with DesiredCount set to the previous count (output ReadCurrent.DesiredCount).\n');
    expect(md).toContain('- `DesiredCount` (Integer, required): How many tasks to run (2-20).\n');
    expect(documentContent(f.runbook).mainSteps[1].inputs.InputPayload).toEqual({ Desired: '{{ DesiredCount }}', Min: '2', Max: '20' });
    Template.fromStack(f.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-scale-quotes' });
  });

  test('simulation: scales from 2 to 4 tasks and waits until 4 run', () => {
    const f = scale();
    const aws = scaleAws(3, 4);
    const run = simulate(f.runbook, { aws, inputs: { DesiredCount: 4 } });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ReadCurrent', 'CheckBounds', 'ApproveChange', 'Scale', 'WaitForTasks']);
    expect(run.outputs).toMatchObject({ 'ReadCurrent.DesiredCount': 2 });
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), desiredCount: 4 }]);
    expect(aws.callsTo('ecs', 'DescribeServices')).toHaveLength(3);
  });

  test('simulation: minCount 0 allows scaling to zero', () => {
    const f = scale({ minCount: 0 });
    const aws = scaleAws(0);
    const run = simulate(f.runbook, { aws, inputs: { DesiredCount: 0 } });
    expect(run.status).toBe('Success');
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), desiredCount: 0 }]);
  });

  test.each([[11, 'DesiredCount 11 is outside 1-10 tasks.'], [0, 'DesiredCount 0 is outside 1-10 tasks.']])(
    'simulation: DesiredCount %d fails CheckBounds before the approval and UpdateService', (desired, message) => {
      const f = scale();
      const aws = scaleAws(desired);
      const run = simulate(f.runbook, { aws, inputs: { DesiredCount: desired } });
      expect(run.status).toBe('Failed');
      expect(run.steps).toEqual(['ReadCurrent', 'CheckBounds']);
      expect(run.error).toBe(message);
      expect(aws.callsTo('ecs', 'UpdateService')).toEqual([]);
    });

  test('simulation: tasks that never reach the count time out WaitForTasks', () => {
    const f = scale();
    const aws = scaleAws(3);
    const run = simulate(f.runbook, { aws, inputs: { DesiredCount: 5 }, waitTimeoutSeconds: 1 });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadCurrent', 'CheckBounds', 'ApproveChange', 'Scale', 'WaitForTasks']);
    expect(run.error).toContain('Did not find desired response (5)');
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), desiredCount: 5 }]);
  });

  test('simulation: a rejected approval scales nothing', () => {
    const f = scale();
    const aws = scaleAws(4);
    const run = simulate(f.runbook, { aws, inputs: { DesiredCount: 4 }, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadCurrent', 'CheckBounds', 'ApproveChange']);
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([]);
  });

  test('role: DescribeServices and UpdateService on the service only, no wildcard action', () => {
    const f = scale();
    const statements = roleStatements(f.runbook);
    expect(statements).toEqual([{ Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Effect: 'Allow', Resource: { Ref: logicalId(f.service) } }]);
    expect(statements.flatMap((s) => s.Action).filter((a) => a.includes('*'))).toEqual([]);
  });

  const most = 'The most tasks the runbook may set: 1 or more.';
  test.each<[string, Partial<ScaleEcsServiceProps>, string]>([
    ['minCount above maxCount', { minCount: 5, maxCount: 3 },
      'minCount 5 is above maxCount 3, so no count would be allowed: lower minCount or raise maxCount.'],
    ['maxCount 0', { maxCount: 0 }, `maxCount must be a whole number at least 1, got 0. ${most}`],
    ['maxCount 0 with minCount 0', { minCount: 0, maxCount: 0 }, `maxCount must be a whole number at least 1, got 0. ${most}`],
    ['a negative minCount', { minCount: -1 }, 'minCount must be a whole number at least 0, got -1. The fewest tasks the runbook may set: 0 or more.'],
    ['a fractional maxCount', { maxCount: 2.5 }, `maxCount must be a whole number at least 1, got 2.5. ${most}`],
    ['a NaN maxCount', { maxCount: NaN }, `maxCount must be a whole number at least 1, got NaN. ${most}`],
    ['a maxCount given as a string (plain JavaScript)', { maxCount: '10' as unknown as number },
      `maxCount must be a whole number at least 1, got '10' (a string). ${most}`],
  ])('rejects %s, naming the preset and the prop', (_, props, message) => {
    expect(() => scale(props)).toThrow(`[Test/Freight/ScaleQuotes] ${message}`);
  });

  test('a workload without approvers fails with the approvers error', () => {
    const f = fixture(false);
    expect(() => new ScaleEcsService(f.workload, 'ScaleQuotes', { service: f.service, maxCount: 10 })).toThrow(
      "[Test/Freight/ScaleQuotes] Runbook 'freight-scale-quotes' changes production state (Scale) and needs an approval gate, " +
      "but workload 'freight' has no approvers");
  });
});
