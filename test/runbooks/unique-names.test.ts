import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DESCRIPTION, readAlias } from './runbook-fixtures';
import { Approvers, Playbook, RedriveDeadLetterQueue, Runbook, Workload } from '../../src';

/**
 * SSM document names are unique per account and region (issue #10 §3): every document a Runbook creates (playbooks
 * and presets included) claims its name in the app-wide registry, and a duplicate fails synth naming both paths.
 */

const ACCOUNT = '123456789012';

function stackIn(app: App, id: string, region = 'eu-west-1'): { stack: Stack; workload: Workload } {
  const stack = new Stack(app, id, { env: { account: ACCOUNT, region } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', `arn:aws:iam::${ACCOUNT}:role/oncall`)] }),
  });
  return { stack, workload };
}

const rollback = (scope: Workload, id: string, documentName?: string) =>
  new Runbook(scope, id, { description: DESCRIPTION, steps: [readAlias()], documentName });
const duplicate = (name: string, first: string) =>
  `SSM document name '${name}' is already used by ${first} (account ${ACCOUNT}, region eu-west-1): AWS needs it unique, so the deployment would fail.`;

describe('two runbooks with one document name', () => {
  test('in one stack: the second fails, naming both paths', () => {
    const { workload } = stackIn(new App(), 'Ops');
    rollback(workload, 'Rollback', 'freight-rollback');
    expect(() => rollback(workload, 'RollbackAgain', 'freight-rollback')).toThrow(`[Ops/Freight/RollbackAgain] ${duplicate('freight-rollback', 'Ops/Freight/Rollback')}`);
  });

  test('a default name that collides with a given one', () => {
    const { workload } = stackIn(new App(), 'Ops');
    rollback(workload, 'Custom', 'freight-rollback');
    expect(() => rollback(workload, 'Rollback')).toThrow(`[Ops/Freight/Rollback] ${duplicate('freight-rollback', 'Ops/Freight/Custom')}`);
  });

  test('across two stacks of the same account and region', () => {
    const app = new App();
    rollback(stackIn(app, 'One').workload, 'Rollback');
    expect(() => rollback(stackIn(app, 'Two').workload, 'Rollback')).toThrow(`[Two/Freight/Rollback] ${duplicate('freight-rollback', 'One/Freight/Rollback')}`);
  });

  test('in different regions (or different apps) they are fine', () => {
    const app = new App();
    rollback(stackIn(app, 'Ireland').workload, 'Rollback');
    expect(() => rollback(stackIn(app, 'Frankfurt', 'eu-central-1').workload, 'Rollback')).not.toThrow();
    expect(() => rollback(stackIn(new App(), 'Other').workload, 'Rollback')).not.toThrow();
  });

  test('a playbook and a preset claim their names too', () => {
    const { stack, workload } = stackIn(new App(), 'Ops');
    rollback(workload, 'Taken', 'freight-investigate');
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Alarm', `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:quotes`);
    expect(() => new Playbook(workload, 'Investigate', { symptoms: ['s'], checks: ['c'], hypotheses: ['h'], nextSteps: ['n'], alarms: [alarm] }))
      .toThrow(`[Ops/Freight/Investigate] ${duplicate('freight-investigate', 'Ops/Freight/Taken')}`);
    const dlq = new sqs.Queue(stack, 'Dlq');
    const orders = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    expect(() => new RedriveDeadLetterQueue(workload, 'Redrive', { deadLetterQueue: dlq, sourceQueues: [orders], documentName: 'freight-investigate' }))
      .toThrow(`[Ops/Freight/Redrive] ${duplicate('freight-investigate', 'Ops/Freight/Taken')}`);
  });

  test('names given as tokens are compared at synth, once they resolve', () => {
    const app = new App();
    const { workload } = stackIn(app, 'Ops');
    rollback(workload, 'Rollback', 'freight-rollback');
    rollback(workload, 'Late', Lazy.string({ produce: () => 'freight-rollback' }));
    expect(() => app.synth()).toThrow(`[Ops/Freight/Late] ${duplicate('freight-rollback', 'Ops/Freight/Rollback')}`);
  });

  test('imported runbooks claim nothing: importing a document this app also defines is fine', () => {
    const { workload } = stackIn(new App(), 'Ops');
    rollback(workload, 'Rollback');
    expect(() => Runbook.fromDocumentName(workload, 'Imported', 'freight-rollback')).not.toThrow();
  });
});
