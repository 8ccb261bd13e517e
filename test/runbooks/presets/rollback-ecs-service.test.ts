import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Approvers, RollbackEcsService, RollbackEcsServiceProps, Runbook, RunbookApproval, Workload } from '../../../src';
import { ProcedureKind, proceduresFor } from '../../../src/core/procedures';
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

function build(props: Partial<RollbackEcsServiceProps> = {}, approvers = true): Fixture & { runbook: RollbackEcsService } {
  const f = fixture(approvers);
  return { ...f, runbook: new RollbackEcsService(f.workload, 'RollbackQuotes', { service: f.service, ...props }) };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
/** What the document passes as cluster and service (the cluster's Ref and the service's Name attribute). */
const target = (f: Fixture) => ({ cluster: logicalId(f.cluster), service: `arn:aws:test:::${logicalId(f.service)}.Name` });

type RenderedStep = DocumentContent['mainSteps'][number] & { timeoutSeconds?: number; description?: string; outputs?: unknown[] };
const stepsOf = (content: DocumentContent): Record<string, RenderedStep> => Object.fromEntries(content.mainSteps.map((s) => [s.name, s]));

function roleStatements(runbook: Runbook): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const stack = Stack.of(runbook);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(runbook.role.node.defaultChild as iam.CfnRole)]
    .Properties.Policies[0].PolicyDocument.Statement;
}

/** Simulate, keeping what the local Python logged (a failed script's exception message is only in its traceback). */
function simulate(runbook: Runbook, options: Parameters<typeof simulateRunbook>[1]): RunbookRun {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return simulateRunbook(runbook, options);
  } finally {
    spy.mockRestore();
  }
}

const TD = (revision: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/quotes:${revision}`;
const REVISION = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:service-revision/freight/quotes/${id}`;

/** A successful deployment of revision `id`, created on 2026-03-`day` (ISO, as Automation serializes timestamps). */
const deployment = (id: string, day: number) => ({
  serviceDeploymentArn: `arn:aws:ecs:eu-west-1:123456789012:service-deployment/freight/quotes/${id}`,
  targetServiceRevisionArn: REVISION(id),
  status: 'SUCCESSFUL',
  createdAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00.000000+00:00`,
});
/** A service revision, with the nested configuration DescribeServiceRevisions returns. */
const revision = (id: string, td: number) => ({
  serviceRevisionArn: REVISION(id),
  taskDefinition: TD(td),
  launchType: 'FARGATE',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
  containerImages: [{ containerName: 'quotes', image: 'quotes:latest', imageDigest: 'sha256:abc' }],
});
const service = (td: number, rolloutState: string) => ({
  services: [{ serviceName: 'quotes', taskDefinition: TD(td), deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY', rolloutState, taskDefinition: TD(td) }] }],
});

/**
 * The service runs `current`; its successful deployments are r10 (quotes:10, 1 March), r11 (quotes:11, 5 March),
 * r12 (quotes:12, 8 March) and r12b (a forced redeployment of quotes:12, 9 March), listed oldest first. After
 * UpdateService, DescribeServices shows the new deployment IN_PROGRESS, then `final` with `after` running.
 */
function rollbackAws(current: number, after: number, final = 'COMPLETED', history: object[] = [deployment('r10', 1), deployment('r11', 5), deployment('r12', 8), deployment('r12b', 9)]): FakeAws {
  return new FakeAws()
    .when('ecs', 'DescribeServices', undefined, service(current, 'COMPLETED'), service(after, 'IN_PROGRESS'), service(after, final))
    .when('ecs', 'ListServiceDeployments', undefined, { serviceDeployments: history as Array<Record<string, unknown>> })
    .when('ecs', 'DescribeServiceRevisions', undefined, { serviceRevisions: [revision('r10', 10), revision('r12', 12), revision('r12b', 12), revision('r11', 11)], failures: [] })
    .when('ecs', 'UpdateService', undefined, { service: { deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: TD(after) }] } });
}

describe('RollbackEcsService document', () => {
  let f: Fixture & { runbook: RollbackEcsService };
  let content: DocumentContent;
  let steps: Record<string, RenderedStep>;
  beforeAll(() => {
    f = build();
    content = documentContent(f.runbook);
    steps = stepsOf(content);
  });

  test('steps: read, list, order, describe, plan, then the approval right before Rollback, then wait and verify', () => {
    expect(content.mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'ReadService:aws:executeAwsApi',
      'ListDeployments:aws:executeAwsApi',
      'Candidates:aws:executeScript',
      'ReadRevisions:aws:executeAwsApi',
      'Plan:aws:executeScript',
      'ApproveRollback:aws:approve',
      'Rollback:aws:executeAwsApi',
      'WaitForRollout:aws:waitForAwsResourceProperty',
      'VerifyCompleted:aws:assertAwsResourceProperty',
      'VerifyTaskDefinition:aws:assertAwsResourceProperty',
    ]);
    expect(f.runbook.hasApprovalGate).toBe(true);
    expect(content.outputs).toEqual(['Plan.Current', 'Plan.Target', 'Rollback.DeploymentId']);
  });

  test('the API calls and their inputs', () => {
    expect(steps.ReadService).toMatchObject({
      inputs: { Service: 'ecs', Api: 'DescribeServices', cluster: target(f).cluster, services: [target(f).service] },
      outputs: [{ Name: 'TaskDefinition', Selector: '$.services[0].taskDefinition', Type: 'String' }],
    });
    expect(steps.ListDeployments).toMatchObject({
      inputs: { Service: 'ecs', Api: 'ListServiceDeployments', ...target(f), status: ['SUCCESSFUL'], maxResults: 20 },
      outputs: [{ Name: 'Deployments', Selector: '$.serviceDeployments', Type: 'MapList' }],
    });
    expect(steps.Candidates.inputs.InputPayload).toEqual({ Deployments: '{{ ListDeployments.Deployments }}' });
    expect(steps.Candidates.outputs).toEqual([{ Name: 'RevisionArns', Selector: '$.Payload.RevisionArns', Type: 'StringList' }]);
    expect(steps.ReadRevisions).toMatchObject({
      inputs: { Service: 'ecs', Api: 'DescribeServiceRevisions', serviceRevisionArns: '{{ Candidates.RevisionArns }}' },
      outputs: [{ Name: 'Revisions', Selector: '$.serviceRevisions', Type: 'MapList' }],
    });
    expect(steps.Plan.inputs.InputPayload).toEqual({
      Current: '{{ ReadService.TaskDefinition }}', Order: '{{ Candidates.RevisionArns }}', Revisions: '{{ ReadRevisions.Revisions }}', Target: '{{ TaskDefinition }}',
    });
    expect(steps.Rollback.inputs).toEqual({ Service: 'ecs', Api: 'UpdateService', ...target(f), taskDefinition: '{{ Plan.Target }}' });
    expect(steps.WaitForRollout.timeoutSeconds).toBe(1800);
    expect(steps.WaitForRollout.inputs).toMatchObject({
      Api: 'DescribeServices', PropertySelector: '$.services[0].deployments[0].rolloutState', DesiredValues: ['COMPLETED', 'FAILED'],
    });
    expect(steps.VerifyCompleted.inputs.DesiredValues).toEqual(['COMPLETED']);
    expect(steps.VerifyTaskDefinition.inputs).toMatchObject({ PropertySelector: '$.services[0].taskDefinition', DesiredValues: ['{{ Plan.Target }}'] });
  });

  test('the approval shows the workload approvers what it will deploy (current → previous)', () => {
    expect(steps.ApproveRollback.inputs).toEqual({
      Approvers: ['arn:aws:iam::123456789012:role/oncall'],
      MinRequiredApprovals: 1,
      Message: `Roll back ECS service arn:aws:test:::${logicalId(f.service)}.Name from {{ Plan.Current }} to {{ Plan.Target }} ` +
        '(execution {{ automation:EXECUTION_ID }}).',
    });
  });

  test('TaskDefinition is an optional parameter: family:revision or a task definition ARN', () => {
    const parameter = content.parameters!.TaskDefinition as { type: string; default: string; allowedPattern: string };
    expect(parameter).toMatchObject({ type: 'String', default: '' });
    const pattern = new RegExp(parameter.allowedPattern);
    for (const ok of ['', 'quotes:11', TD(11), 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/quotes_v2-x:3']) expect(pattern.test(ok)).toBe(true);
    for (const bad of ['quotes', 'quotes:latest', 'quotes:11; rm', 'arn:aws:ecs:eu-west-1:123456789012:service/freight/quotes:1']) expect(pattern.test(bad)).toBe(false);
  });

  test('Markdown: title, purpose, when to use, preconditions, changes, approval and rollback; name freight-rollback-quotes', () => {
    const md = content.description;
    expect(md.startsWith('# Roll back an ECS service\n\nRedeploy the last task definition that completed a successful deployment of the service ' +
      '(or TaskDefinition), after one approval, and verify the rollout completed with it.\n')).toBe(true);
    expect(md).toContain('## When to use\n\n' +
      "- The service's page alarm fired after a deployment, and the deployment circuit breaker or alarms did not roll it back.\n" +
      '- A release needs undoing quickly while the fix is prepared.\n');
    expect(md).toContain('## Preconditions\n\n- The service uses the ECS deployment controller, and ECS recorded a successful deployment of an earlier ' +
      'task definition (service deployments are recorded since October 2024).\n');
    expect(md).toContain('## What it changes\n\n- `ecs:UpdateService` (step Rollback)\n');
    expect(md).toContain('## Approval\n\nStep ApproveRollback waits for 1 approval(s) from 1 approver(s) before anything changes.\n');
    expect(md).toContain('## How to roll back\n\nRun the runbook again with TaskDefinition set to the task definition it replaced (output Plan.Current)');
    Template.fromStack(f.stack).hasResourceProperties('AWS::SSM::Document', {
      Name: 'freight-rollback-quotes', DocumentType: 'Automation', UpdateMethod: 'NewVersion',
    });
  });

  test('role: reads and UpdateService on the service only; DescribeServiceRevisions on the service and its revisions', () => {
    const svc = { Ref: logicalId(f.service) };
    expect(roleStatements(f.runbook)).toEqual([
      { Action: ['ecs:DescribeServices', 'ecs:ListServiceDeployments', 'ecs:UpdateService'], Effect: 'Allow', Resource: svc },
      {
        Action: 'ecs:DescribeServiceRevisions',
        Effect: 'Allow',
        Resource: [svc, {
          'Fn::Join': ['', [
            'arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:123456789012:service-revision/', { Ref: logicalId(f.cluster) }, '/',
            { 'Fn::GetAtt': [logicalId(f.service), 'Name'] }, '/*',
          ]],
        }],
      },
    ]);
  });

  test('registers on the service: alarms watching it name the runbook', () => {
    expect(proceduresFor(f.service).map((p) => [p.documentName, p.kind, p.purpose, p.definedBy])).toEqual([
      ['freight-rollback-quotes', ProcedureKind.RUNBOOK, 'roll the service back to its previous task definition', f.runbook],
    ]);
  });
});

describe('RollbackEcsService simulation', () => {
  let f: Fixture & { runbook: RollbackEcsService };
  beforeAll(() => { f = build(); });

  test('the current release completed: rolls back to the previous task definition (quotes:11), not the current one', () => {
    const aws = rollbackAws(12, 11);
    const run = simulate(f.runbook, { aws });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ReadService', 'ListDeployments', 'Candidates', 'ReadRevisions', 'Plan', 'ApproveRollback', 'Rollback',
      'WaitForRollout', 'VerifyCompleted', 'VerifyTaskDefinition']);
    expect(aws.callsTo('ecs', 'ListServiceDeployments')).toEqual([{ ...target(f), status: ['SUCCESSFUL'], maxResults: 20 }]);
    // Newest first, whatever order ECS listed them in.
    expect(aws.callsTo('ecs', 'DescribeServiceRevisions')).toEqual([{ serviceRevisionArns: [REVISION('r12b'), REVISION('r12'), REVISION('r11'), REVISION('r10')] }]);
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), taskDefinition: TD(11) }]);
    expect(run.outputs).toMatchObject({ 'Plan.Current': TD(12), 'Plan.Target': TD(11), 'Rollback.DeploymentId': 'ecs-svc/9' });
  });

  test('the current release never succeeded (stuck or rolled back): the newest successful one (quotes:12) is the previous', () => {
    const aws = rollbackAws(13, 12);
    const run = simulate(f.runbook, { aws });
    expect(run.status).toBe('Success');
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), taskDefinition: TD(12) }]);
  });

  test('TaskDefinition picks an older known-good one, given as family:revision', () => {
    const aws = rollbackAws(12, 10);
    const run = simulate(f.runbook, { aws, inputs: { TaskDefinition: 'quotes:10' } });
    expect(run.status).toBe('Success');
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([{ ...target(f), taskDefinition: TD(10) }]);
  });

  test('a rollout that FAILED ends the wait and fails VerifyCompleted', () => {
    const run = simulate(f.runbook, { aws: rollbackAws(12, 11, 'FAILED') });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadService', 'ListDeployments', 'Candidates', 'ReadRevisions', 'Plan', 'ApproveRollback', 'Rollback',
      'WaitForRollout', 'VerifyCompleted']);
    expect(run.error).toContain('Did not find desired response (COMPLETED)');
  });

  test('a completed deployment of another task definition (the circuit breaker undid the rollback) fails VerifyTaskDefinition', () => {
    const aws = rollbackAws(12, 11);
    aws.when('ecs', 'DescribeServices', undefined, service(12, 'COMPLETED'), service(11, 'IN_PROGRESS'), service(12, 'COMPLETED'));
    const run = simulate(f.runbook, { aws });
    expect(run.status).toBe('Failed');
    expect(run.steps[run.steps.length - 1]).toBe('VerifyTaskDefinition');
    expect(run.error).toContain(`Did not find desired response (${TD(11)})`);
  });

  test.each<[string, Record<string, string>, object[], string]>([
    ['a TaskDefinition that never completed a deployment', { TaskDefinition: 'quotes:9' }, [deployment('r10', 1), deployment('r12', 8)],
      'TaskDefinition quotes:9 did not run in any of the last successful deployments of the service (known good: quotes:12, quotes:10).'],
    ['TaskDefinition equal to the current one', { TaskDefinition: TD(12) }, [deployment('r11', 5), deployment('r12', 8)],
      'The service already runs quotes:12.'],
    ['only the current task definition ever succeeded', {}, [deployment('r12', 8), deployment('r12b', 9)],
      'Every recent successful deployment ran quotes:12, the task definition the service runs now: there is no earlier known-good task definition to roll back to.'],
  ])('%s fails in Plan, before the approval and UpdateService', (_, inputs, history, message) => {
    const aws = rollbackAws(12, 11, 'COMPLETED', history);
    const run = simulate(f.runbook, { aws, inputs });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadService', 'ListDeployments', 'Candidates', 'ReadRevisions', 'Plan']);
    expect(run.error).toBe(message);
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([]);
  });

  test('no recorded successful deployment fails in Candidates, before DescribeServiceRevisions', () => {
    const aws = rollbackAws(12, 11, 'COMPLETED', []);
    const run = simulate(f.runbook, { aws });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['ReadService', 'ListDeployments', 'Candidates']);
    expect(run.error).toBe('ECS has recorded no successful deployment of the service (it records them since October 2024): ' +
      'there is no known-good task definition to roll back to.');
    expect(aws.callsTo('ecs', 'DescribeServiceRevisions')).toEqual([]);
  });

  test('a rejected approval rolls nothing back', () => {
    const aws = rollbackAws(12, 11);
    const run = simulate(f.runbook, { aws, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps[run.steps.length - 1]).toBe('ApproveRollback');
    expect(aws.callsTo('ecs', 'UpdateService')).toEqual([]);
  });
});

describe('RollbackEcsService options and bad input', () => {
  test('timeout, documentName and RunbookApproval.by are honoured', () => {
    const f = build({
      timeout: Duration.minutes(45),
      documentName: 'quotes-rollback',
      approval: RunbookApproval.by(Approvers.of({ principals: ['arn:aws:iam::123456789012:role/release-manager'] })),
    });
    const steps = stepsOf(documentContent(f.runbook));
    expect(steps.WaitForRollout.timeoutSeconds).toBe(2700);
    expect(steps.ApproveRollback.inputs.Approvers).toEqual(['arn:aws:iam::123456789012:role/release-manager']);
    expect(f.runbook.documentName).toBe('quotes-rollback');
  });

  test('RunbookApproval.none removes the approval and records the reason', () => {
    const f = build({ approval: RunbookApproval.none('runs from the deployment alarm, unattended') });
    const content = documentContent(f.runbook);
    expect(content.mainSteps.map((s) => s.name)).not.toContain('ApproveRollback');
    expect(content.mainSteps.filter((s) => s.action === 'aws:approve')).toEqual([]);
    expect(content.description).toContain('## Approval\n\nNot gated: runs from the deployment alarm, unattended\n');
  });

  test('a workload without approvers fails with the approvers error', () => {
    const f = fixture(false);
    expect(() => new RollbackEcsService(f.workload, 'RollbackQuotes', { service: f.service })).toThrow(
      "[Test/Freight/RollbackQuotes] Runbook 'freight-rollback-quotes' changes production state (Rollback) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });

  test('a workload without approvers is fine with RunbookApproval.by', () => {
    const f = fixture(false);
    const runbook = new RollbackEcsService(f.workload, 'RollbackQuotes', {
      service: f.service, approval: RunbookApproval.by(Approvers.of({ principals: ['arn:aws:iam::123456789012:role/release-manager'] })),
    });
    expect(runbook.steps.map((s) => s.name)).toContain('ApproveRollback');
  });

  const js = (v: unknown) => v as never;
  test.each<[string, unknown, string]>([
    ['no service', {}, 'service is required, got undefined.'],
    ['a service name', { service: 'quotes' },
      "service must be an ECS service (ecs.IBaseService: a FargateService, an Ec2Service or an imported service), got 'quotes' (a string)."],
    ['a timeout in seconds', { service: 'SERVICE', timeout: 600 }, 'timeout must be a Duration (e.g. Duration.minutes(5)), got 600. ' +
      'Use Duration.minutes(n) (a whole number of seconds, at most 7 days: the longest an Automation step may wait).'],
    ['props null', null, 'props must be an object of RollbackEcsServiceProps, got null.'],
  ])('rejects %s, naming the preset and the prop', (_, props, message) => {
    const f = fixture();
    const given = props && (props as { service?: unknown }).service === 'SERVICE' ? { ...props, service: f.service } : props;
    expect(() => new RollbackEcsService(f.workload, 'RollbackQuotes', js(given))).toThrow(`[Test/Freight/RollbackQuotes] ${message}`);
  });
});
