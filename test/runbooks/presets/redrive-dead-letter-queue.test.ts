import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { Approvers, RedriveDeadLetterQueue, RedriveDeadLetterQueueProps, Runbook, RunbookApproval, Workload } from '../../../src';
import { documentContent, DocumentContent, FakeAws, RunbookRun, simulateRunbook } from '../../support/runbook-simulation';


interface Fixture { app: App; stack: Stack; workload: Workload; dlq: sqs.Queue; orders: sqs.Queue; archive: sqs.Queue }

/** A stack in eu-west-1 with the freight workload (on-call approves), queue 'Orders' with dead-letter queue 'Dlq', and 'Archive'. */
function fixture(options: { approvers?: boolean; encryption?: sqs.QueueEncryption } = {}): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(options.approvers ?? true ? { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) } : {}),
  });
  const encryption = options.encryption;
  const dlq = new sqs.Queue(stack, 'Dlq', { encryption });
  const orders = new sqs.Queue(stack, 'Orders', { encryption, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
  const archive = new sqs.Queue(stack, 'Archive', { encryption });
  return { app, stack, workload, dlq, orders, archive };
}

function build(props: (f: Fixture) => Partial<RedriveDeadLetterQueueProps> = (f) => ({ sourceQueues: [f.orders] }),
  options: Parameters<typeof fixture>[0] = {}): Fixture & { runbook: RedriveDeadLetterQueue } {
  const f = fixture(options);
  return { ...f, runbook: new RedriveDeadLetterQueue(f.workload, 'RedriveOrders', { deadLetterQueue: f.dlq, ...props(f) }) };
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
const arnOf = (c: IConstruct) => ({ 'Fn::GetAtt': [logicalId(c), 'Arn'] });
/** The queue's ARN as the simulated document names it. */
const simArn = (c: IConstruct) => `arn:aws:test:::${logicalId(c)}.Arn`;

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

function simulate(runbook: Runbook, options: Parameters<typeof simulateRunbook>[1]): RunbookRun {
  return simulateRunbook(runbook, options);
}

const task = (Status: string, moved: number, extra: Record<string, unknown> = {}) => ({
  Results: [{ TaskHandle: 'task-1', Status, SourceArn: 'dlq', ApproximateNumberOfMessagesMoved: moved, ApproximateNumberOfMessagesToMove: 42, ...extra }],
});

/** 42 messages wait; the move task runs, then ends as each of `ends`. */
function redriveAws(...ends: Array<Record<string, unknown>>): FakeAws {
  return new FakeAws()
    .when('sqs', 'GetQueueAttributes', undefined, { Attributes: { ApproximateNumberOfMessages: '42' } })
    .when('sqs', 'StartMessageMoveTask', undefined, { TaskHandle: 'task-1' })
    .when('sqs', 'ListMessageMoveTasks', undefined, task('RUNNING', 10), ...ends);
}

describe('RedriveDeadLetterQueue document', () => {
  test('steps: count, the approval gate right before StartRedrive, then wait, verify and report', () => {
    const { runbook } = build();
    const content = documentContent(runbook);
    expect(content.mainSteps.map((s) => `${s.name}:${s.action}`)).toEqual([
      'CountMessages:aws:executeAwsApi',
      'ApproveChange:aws:approve',
      'StartRedrive:aws:executeAwsApi',
      'WaitForRedrive:aws:waitForAwsResourceProperty',
      'VerifyCompleted:aws:assertAwsResourceProperty',
      'Report:aws:executeAwsApi',
    ]);
    expect(content.parameters).toBeUndefined();
    expect(content.outputs).toEqual(['CountMessages.Waiting', 'Report.Moved']);
  });

  test('step inputs: back to the source queues by default, no rate', () => {
    const { runbook, dlq } = build();
    const steps = stepsOf(runbook);
    expect(steps.CountMessages.inputs).toEqual({ Service: 'sqs', Api: 'GetQueueAttributes', QueueUrl: logicalId(dlq), AttributeNames: ['ApproximateNumberOfMessages'] });
    expect(steps.StartRedrive.inputs).toEqual({ Service: 'sqs', Api: 'StartMessageMoveTask', SourceArn: simArn(dlq) });
    expect(steps.StartRedrive.description).toBe('Move the messages back to their source queues.');
    expect(steps.WaitForRedrive.timeoutSeconds).toBe(3600);
    expect(steps.WaitForRedrive.inputs).toEqual({
      Service: 'sqs',
      Api: 'ListMessageMoveTasks',
      SourceArn: simArn(dlq),
      MaxResults: 1,
      PropertySelector: '$.Results[0].Status',
      DesiredValues: ['COMPLETED', 'FAILED', 'CANCELLED'],
    });
    expect(steps.VerifyCompleted.inputs.DesiredValues).toEqual(['COMPLETED']);
    expect(steps.Report).toMatchObject({ outputs: [{ Name: 'Moved', Selector: '$.Results[0].ApproximateNumberOfMessagesMoved', Type: 'Integer' }] });
  });

  test('destination, maxMessagesPerSecond and timeout go into the document', () => {
    const { runbook, dlq, archive } = build((f) => ({ destination: f.archive, maxMessagesPerSecond: 50, timeout: Duration.hours(2) }));
    const content = documentContent(runbook);
    const steps = stepsOf(runbook);
    expect(steps.StartRedrive.inputs).toEqual({
      Service: 'sqs', Api: 'StartMessageMoveTask', SourceArn: simArn(dlq), DestinationArn: simArn(archive), MaxNumberOfMessagesPerSecond: 50,
    });
    expect(steps.StartRedrive.description).toBe('Move the messages to the destination queue.');
    expect(steps.WaitForRedrive.timeoutSeconds).toBe(7200);
    expect(content.description.startsWith('# Redrive a dead-letter queue\n\nMove the messages of the dead-letter queue to the destination queue, ' +
      'and wait until the move completes.\n')).toBe(true);
  });

  test('Markdown: title, purpose, when to use, preconditions, changes and how to roll back', () => {
    const md = documentContent(build().runbook).description;
    expect(md.startsWith('# Redrive a dead-letter queue\n\nMove the messages of the dead-letter queue back to their source queues, ' +
      'and wait until the move completes.\n')).toBe(true);
    expect(md).toContain('## When to use\n\n- The dead-letter queue depth alarm fired, the cause is fixed, and the failed messages should be processed again.\n');
    expect(md).toContain('## Preconditions\n\n- The cause of the failures is fixed and deployed (else the messages fail again and come back).\n' +
      '- No other message move task runs for this queue.\n');
    expect(md).toContain('## What it changes\n\n- `sqs:StartMessageMoveTask`, `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes`, ' +
      '`sqs:SendMessage` (step StartRedrive)\n');
    expect(md).toContain('## How to roll back\n\nMoved messages cannot be moved back. To stop a running move, cancel it with CancelMessageMoveTask ' +
      '(output StartRedrive.TaskHandle).\n');
  });

  test('named freight-redrive-orders by default; documentName and RunbookApproval.none are honoured', () => {
    const def = build();
    Template.fromStack(def.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-redrive-orders', DocumentType: 'Automation' });
    const custom = build((f) => ({ sourceQueues: [f.orders], documentName: 'orders-redrive', approval: RunbookApproval.none('runs after the fix deploys') }));
    expect(documentContent(custom.runbook).mainSteps.map((s) => s.name)).toEqual(['CountMessages', 'StartRedrive', 'WaitForRedrive', 'VerifyCompleted', 'Report']);
    Template.fromStack(custom.stack).hasResourceProperties('AWS::SSM::Document', { Name: 'orders-redrive' });
  });
});

describe('RedriveDeadLetterQueue simulation', () => {
  test('counts, moves the messages back, waits until the task completes and reports how many moved', () => {
    const { runbook, dlq } = build();
    const aws = redriveAws(task('COMPLETED', 42));
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['CountMessages', 'ApproveChange', 'StartRedrive', 'WaitForRedrive', 'VerifyCompleted', 'Report']);
    expect(run.outputs).toMatchObject({ 'CountMessages.Waiting': '42', 'StartRedrive.TaskHandle': 'task-1', 'Report.Moved': 42 });
    expect(aws.callsTo('sqs', 'GetQueueAttributes')).toEqual([{ QueueUrl: logicalId(dlq), AttributeNames: ['ApproximateNumberOfMessages'] }]);
    expect(aws.callsTo('sqs', 'StartMessageMoveTask')).toEqual([{ SourceArn: simArn(dlq) }]);
    expect(aws.callsTo('sqs', 'ListMessageMoveTasks')).toContainEqual({ SourceArn: simArn(dlq), MaxResults: 1 });
  });

  test('with a destination and a rate, StartMessageMoveTask gets both', () => {
    const { runbook, dlq, archive } = build((f) => ({ destination: f.archive, maxMessagesPerSecond: 50 }));
    const aws = redriveAws(task('COMPLETED', 42));
    expect(simulate(runbook, { aws }).status).toBe('Success');
    expect(aws.callsTo('sqs', 'StartMessageMoveTask')).toEqual([{ SourceArn: simArn(dlq), DestinationArn: simArn(archive), MaxNumberOfMessagesPerSecond: 50 }]);
  });

  test.each(['FAILED', 'CANCELLED'])('a move task that ends %s fails VerifyCompleted, with no report', (status) => {
    const { runbook } = build();
    const run = simulate(runbook, { aws: redriveAws(task(status, 17, { FailureReason: 'AWS.SimpleQueueService.NonExistentQueue' })) });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['CountMessages', 'ApproveChange', 'StartRedrive', 'WaitForRedrive', 'VerifyCompleted']);
    expect(run.error).toContain('Did not find desired response (COMPLETED)');
  });

  test('a move task still running when the wait times out fails WaitForRedrive', () => {
    const { runbook } = build();
    const run = simulate(runbook, { aws: redriveAws(task('RUNNING', 20)), waitTimeoutSeconds: 1 });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['CountMessages', 'ApproveChange', 'StartRedrive', 'WaitForRedrive']);
  });

  test('a rejected approval moves nothing', () => {
    const { runbook } = build();
    const aws = redriveAws(task('COMPLETED', 42));
    const run = simulate(runbook, { aws, approve: false });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['CountMessages', 'ApproveChange']);
    expect(run.error).toBe('Step rejected by approvers');
    expect(aws.callsTo('sqs', 'StartMessageMoveTask')).toEqual([]);
  });

  test('StartMessageMoveTask failing (another move runs) stops the run at StartRedrive', () => {
    const { runbook } = build();
    const aws = redriveAws(task('COMPLETED', 42)).fails('sqs', 'StartMessageMoveTask', 'UnsupportedOperation: A message move task is already running');
    const run = simulate(runbook, { aws });
    expect(run.status).toBe('Failed');
    expect(run.steps).toEqual(['CountMessages', 'ApproveChange', 'StartRedrive']);
    expect(run.error).toBe('UnsupportedOperation: A message move task is already running');
    expect(aws.callsTo('sqs', 'ListMessageMoveTasks')).toEqual([]);
  });
});

describe('RedriveDeadLetterQueue role', () => {
  const moveActions = ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'sqs:StartMessageMoveTask'];

  test('reads the dead-letter queue; moves (with the implied actions) on the dead-letter and source queues', () => {
    const { runbook, dlq, orders } = build();
    const statements = roleStatements(runbook);
    expect(statements).toEqual([
      { Action: ['sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks'], Effect: 'Allow', Resource: arnOf(dlq) },
      { Action: moveActions, Effect: 'Allow', Resource: [arnOf(dlq), arnOf(orders)] },
    ]);
    expect(statements.flatMap((s) => s.Action).filter((a) => a.includes('*'))).toEqual([]);
  });

  test('with a destination, the move is allowed on the destination (sourceQueues with it is an error: see the preset checks)', () => {
    const { runbook, dlq, archive } = build((f) => ({ destination: f.archive }));
    expect(roleStatements(runbook)[1]).toEqual({ Action: moveActions, Effect: 'Allow', Resource: [arnOf(dlq), arnOf(archive)] });
  });

  test('KMS-encrypted queues add kms:Decrypt and kms:GenerateDataKey on their keys', () => {
    const { runbook, dlq, orders } = build(undefined, { encryption: sqs.QueueEncryption.KMS });
    const key = (q: sqs.Queue) => ({ 'Fn::GetAtt': [logicalId(q.encryptionMasterKey!), 'Arn'] });
    expect(roleStatements(runbook)).toEqual([
      { Action: ['sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks'], Effect: 'Allow', Resource: arnOf(dlq) },
      { Action: moveActions, Effect: 'Allow', Resource: [arnOf(dlq), arnOf(orders)] },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: [key(dlq), key(orders)] },
    ]);
  });

  test('SQS-managed encryption needs no KMS statement', () => {
    const { runbook } = build(undefined, { encryption: sqs.QueueEncryption.SQS_MANAGED });
    expect(roleStatements(runbook).flatMap((s) => s.Action).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });
});

describe('RedriveDeadLetterQueue rejects bad input', () => {
  test('neither sourceQueues nor destination', () => {
    expect(() => build(() => ({}))).toThrow(
      '[Test/Freight/RedriveOrders] sourceQueues or destination is required, got neither: give sourceQueues (the queues whose dead-letter queue ' +
      'it is, to move messages back to) or destination (to move them there); the runbook role may send messages only to the queues you name.');
  });

  test('an empty sourceQueues list', () => {
    expect(() => build(() => ({ sourceQueues: [] }))).toThrow('[Test/Freight/RedriveOrders] sourceQueues or destination is required, got an empty sourceQueues');
  });

  test.each([0, 501, 2.5, -1, NaN])('maxMessagesPerSecond %d', (rate) => {
    expect(() => build((f) => ({ sourceQueues: [f.orders], maxMessagesPerSecond: rate }))).toThrow(
      `[Test/Freight/RedriveOrders] maxMessagesPerSecond must be a whole number at least 1 and at most 500, got ${rate}. ` +
      'SQS moves 1 to 500 messages a second; leave it out to let SQS choose.');
  });

  test.each([1, 500])('maxMessagesPerSecond %d is allowed', (rate) => {
    const { runbook } = build((f) => ({ sourceQueues: [f.orders], maxMessagesPerSecond: rate }));
    expect(documentContent(runbook).mainSteps[2].inputs.MaxNumberOfMessagesPerSecond).toBe(rate);
  });

  test('a workload without approvers fails with the approvers error', () => {
    expect(() => build(undefined, { approvers: false })).toThrow(
      "[Test/Freight/RedriveOrders] Runbook 'freight-redrive-orders' changes production state (StartRedrive) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });
});
