import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { checkPresetProps, PRESET_TIMEOUT, PresetRunbookProps } from './preset-props';
import { Checks } from '../../core/checks';
import { fail } from '../../core/errors';
import { ProcedureKind, registerProcedure } from '../../core/procedures';
import { Kinds } from '../kinds';
import { buildProps, Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/**
 * Properties of a RedriveDeadLetterQueue runbook.
 */
export interface RedriveDeadLetterQueueProps extends PresetRunbookProps {
  /**
   * The dead-letter queue of an SQS queue (SQS cannot move messages out of Lambda or SNS dead-letter queues). Alarms
   * that watch it then name this runbook.
   */
  readonly deadLetterQueue: sqs.IQueue;

  /**
   * The queues whose dead-letter queue it is: messages go back to them. Not with `destination`.
   *
   * @default - none: give `destination` instead
   */
  readonly sourceQueues?: sqs.IQueue[];

  /**
   * Move the messages to this queue instead of back to their source queues. Not with `sourceQueues`.
   *
   * @default - back to the source queues
   */
  readonly destination?: sqs.IQueue;

  /**
   * Move at most this many messages a second (1-500), to protect what consumes the source queues.
   *
   * @default - SQS chooses the rate (up to 500 a second)
   */
  readonly maxMessagesPerSecond?: number;

  /**
   * How long to wait for the move to finish (whole seconds, at most 7 days).
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
}

/**
 * Redrive a dead-letter queue: count what waits, start an SQS message move task (`StartMessageMoveTask`) back to
 * the source queues (or to a destination), wait until it ends, and check it completed. For after the cause of the
 * failures is fixed.
 *
 * @example
 * new RedriveDeadLetterQueue(workload, 'RedriveOrders', { deadLetterQueue: ordersDlq, sourceQueues: [orders] });
 */
export class RedriveDeadLetterQueue extends Runbook {
  constructor(scope: Construct, id: string, props: RedriveDeadLetterQueueProps) {
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'RedriveDeadLetterQueueProps', props, {
        deadLetterQueue: [Kinds.queue],
        sourceQueues: [Checks.arrayOf(Kinds.queue, 'an array of SQS queues')],
        destination: [Kinds.queue],
        maxMessagesPerSecond: [Checks.number({ integer: true, min: 1, max: 500 }), 'SQS moves 1 to 500 messages a second; leave it out to let SQS choose.'],
        timeout: PRESET_TIMEOUT,
      }, ['deadLetterQueue']);
      checkQueues(self, props);
      const dlq = props.deadLetterQueue;
      const rate = props.maxMessagesPerSecond;
      const resources = queuesOf(props).map((q) => q.queueArn);
      const startInputs: Record<string, unknown> = {
        SourceArn: dlq.queueArn,
        ...(props.destination ? { DestinationArn: props.destination.queueArn } : {}),
        ...(rate !== undefined ? { MaxNumberOfMessagesPerSecond: rate } : {}),
      };
      const listInputs = { SourceArn: dlq.queueArn, MaxResults: 1 };
      const depth = Step.executeAwsApi({
        name: 'CountMessages',
        service: 'sqs',
        api: 'GetQueueAttributes',
        resources: [dlq.queueArn],
        inputs: { QueueUrl: dlq.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] },
        outputs: [{ name: 'Waiting', selector: '$.Attributes.ApproximateNumberOfMessages' }],
        description: 'Count the messages waiting in the dead-letter queue.',
      });
      const start = Step.executeAwsApi({
        name: 'StartRedrive',
        service: 'sqs',
        api: 'StartMessageMoveTask',
        resources,
        inputs: startInputs,
        outputs: [{ name: 'TaskHandle', selector: '$.TaskHandle' }],
        description: props.destination ? 'Move the messages to the destination queue.' : 'Move the messages back to their source queues.',
      });
      const report = Step.executeAwsApi({
        name: 'Report',
        service: 'sqs',
        api: 'ListMessageMoveTasks',
        inputs: listInputs,
        resources: [dlq.queueArn],
        outputs: [{ name: 'Moved', selector: '$.Results[0].ApproximateNumberOfMessagesMoved', outputType: StepOutputType.INTEGER }],
        description: 'Report how many messages moved.',
      });
      return {
        documentName: props.documentName,
        approval: props.approval,
        title: 'Redrive a dead-letter queue',
        description: {
          purpose: props.destination
            ? 'Move the messages of the dead-letter queue to the destination queue, and wait until the move completes.'
            : 'Move the messages of the dead-letter queue back to their source queues, and wait until the move completes.',
          whenToUse: ['The dead-letter queue depth alarm fired, the cause is fixed, and the failed messages should be processed again.'],
          preconditions: [
            'The cause of the failures is fixed and deployed (else the messages fail again and come back).',
            'No other message move task runs for this queue.',
          ],
          rollback: 'Moved messages cannot be moved back. To stop a running move, cancel it with CancelMessageMoveTask (output StartRedrive.TaskHandle).',
        },
        steps: [
          depth,
          start,
          Step.waitForAwsResourceProperty({
            name: 'WaitForRedrive',
            service: 'sqs',
            api: 'ListMessageMoveTasks',
            inputs: listInputs,
            resources: [dlq.queueArn],
            propertySelector: '$.Results[0].Status',
            desiredValues: ['COMPLETED', 'FAILED', 'CANCELLED'],
            timeout: props.timeout ?? Duration.hours(1),
            description: 'Wait until the move task ends.',
          }),
          Step.assertAwsResourceProperty({
            name: 'VerifyCompleted',
            service: 'sqs',
            api: 'ListMessageMoveTasks',
            inputs: listInputs,
            resources: [dlq.queueArn],
            propertySelector: '$.Results[0].Status',
            desiredValues: ['COMPLETED'],
            description: 'Fail unless the move task completed.',
          }),
          report,
        ],
        outputs: [depth.output('Waiting'), report.output('Moved')],
      };
    }));
    // Encrypted queues: the move decrypts from the dead-letter queue and encrypts into the destination.
    const queues = queuesOf(props);
    const keys = queues.map((q) => q.encryptionMasterKey).filter((k) => k !== undefined);
    if (keys.length > 0) {
      this.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: keys.map((k) => k!.keyArn) }));
    }
    registerProcedure(props.deadLetterQueue, { documentName: this.documentName, kind: ProcedureKind.RUNBOOK, purpose: 'redrive the dead-letter queue', definedBy: this });
  }
}

/** The queues the move touches: the dead-letter queue, and where the messages go. */
function queuesOf(props: RedriveDeadLetterQueueProps): sqs.IQueue[] {
  return [props.deadLetterQueue, ...(props.destination ? [props.destination] : props.sourceQueues ?? [])];
}

/** Where the messages go: back to sourceQueues or to destination, exactly one of them. */
function checkQueues(scope: IConstruct, props: RedriveDeadLetterQueueProps): void {
  const sources = props.sourceQueues;
  const destination = props.destination;
  if (sources !== undefined && destination !== undefined) {
    fail(scope, `sourceQueues (${sources.map((q) => q.node.path).join(', ') || 'none'}) and destination ${destination.node.path} were both given, ` +
      'but the messages go to one place: give destination to move them there, or sourceQueues to move them back where they came from.');
  }
  if ((sources ?? []).length === 0 && destination === undefined) {
    fail(scope, `sourceQueues or destination is required, got ${sources ? 'an empty sourceQueues' : 'neither'}: give sourceQueues (the queues whose ` +
      'dead-letter queue it is, to move messages back to) or destination (to move them there); the runbook role may send messages only to the queues you name.');
  }
  if (destination === props.deadLetterQueue) {
    fail(scope, `destination ${destination.node.path} is the dead-letter queue itself: give another queue, or sourceQueues to move the messages back.`);
  }
  for (const queue of sources ?? []) {
    // A queue defined here knows its dead-letter queue: one that is another queue would make the move fail at run time.
    const own = (queue as { deadLetterQueue?: sqs.DeadLetterQueue }).deadLetterQueue?.queue;
    if (own !== undefined && own !== props.deadLetterQueue) {
      fail(scope, `sourceQueues has ${queue.node.path}, whose dead-letter queue is ${own.node.path}, not ${props.deadLetterQueue.node.path}: ` +
        'list only the queues that send their failed messages to deadLetterQueue.');
    }
  }
}
