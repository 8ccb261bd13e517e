import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PresetRunbookProps } from './preset-props';
import { fail } from '../../core/errors';
import { Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/**
 * Properties of a RedriveDeadLetterQueue runbook.
 */
export interface RedriveDeadLetterQueueProps extends PresetRunbookProps {
  /** The dead-letter queue of an SQS queue (SQS cannot move messages out of Lambda or SNS dead-letter queues). */
  readonly deadLetterQueue: sqs.IQueue;

  /**
   * The queues whose dead-letter queue it is: messages go back to them.
   *
   * @default - none: give `destination` instead
   */
  readonly sourceQueues?: sqs.IQueue[];

  /**
   * Move the messages to this queue instead of back to their source queues.
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
   * How long to wait for the move to finish.
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
    const sources = props.sourceQueues ?? [];
    if (sources.length === 0 && !props.destination) {
      fail(scope, `RedriveDeadLetterQueue '${id}' needs sourceQueues (to move messages back to) or a destination: the runbook role may ` +
        'send messages only to the queues you name.');
    }
    const dlq = props.deadLetterQueue;
    const rate = props.maxMessagesPerSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
      fail(scope, `RedriveDeadLetterQueue '${id}': maxMessagesPerSecond ${rate} must be a whole number from 1 to 500.`);
    }
    const queues = [dlq, ...(props.destination ? [props.destination] : sources)];
    const resources = queues.map((q) => q.queueArn);
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
      outputs: [{ name: 'Moved', selector: '$.Results[0].ApproximateNumberOfMessagesMoved', type: StepOutputType.INTEGER }],
      description: 'Report how many messages moved.',
    });
    super(scope, id, {
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
    });
    // Encrypted queues: the move decrypts from the dead-letter queue and encrypts into the destination.
    const keys = queues.map((q) => q.encryptionMasterKey).filter((k) => k !== undefined);
    if (keys.length > 0) {
      this.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: keys.map((k) => k!.keyArn) }));
    }
  }
}
