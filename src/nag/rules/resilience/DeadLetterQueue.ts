import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { alarmsWatching } from '../../alarm-evidence';
import { AppIndex, RenderedResource, appIndex, literals, referencedIds, render, str } from '../../evidence';
import { identityOf } from '../../identity';
import { defineRule } from '../../rule';

/**
 * Whether something in the app sends its failures to this queue (a redrive policy, a Lambda DLQ or failure destination),
 * by reference in the same stack or by an ARN naming the queue's literal name.
 */
function isDeadLetterTarget(index: AppIndex, queue: RenderedResource): boolean {
  const name = str(queue.properties.QueueName);
  const byName = name === undefined ? undefined : new RegExp(`:${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w\\-.])`);
  const targets = (r: RenderedResource, value: unknown) => value !== undefined && (
    (r.stack === queue.stack && referencedIds(value).has(queue.logicalId)) ||
    (byName !== undefined && byName.test(literals(value).join(''))));
  return index.resources.some((r) => r !== queue && (
    (r.type === 'AWS::SQS::Queue' && targets(r, (r.properties.RedrivePolicy as { deadLetterTargetArn?: unknown })?.deadLetterTargetArn)) ||
    (r.type === 'AWS::Lambda::Function' && targets(r, (r.properties.DeadLetterConfig as { TargetArn?: unknown })?.TargetArn)) ||
    (['AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::EventSourceMapping'].includes(r.type) &&
      targets(r, (r.properties.DestinationConfig as { OnFailure?: { Destination?: unknown } })?.OnFailure?.Destination))));
}

/**
 * Queues have a dead-letter queue (a redrive policy in the rendered template, so escape hatches count; like cdk-nag's
 * SQSQueueDLQ, queues that are themselves a DLQ are exempt), and every dead-letter queue is watched by an alarm.
 * Findings: NoDeadLetterQueue, DeadLetterQueueNotAlarmed.
 */
export default defineRule({
  name: 'DeadLetterQueue',
  area: 'resilience',
  bestPractices: ['OPS08-BP04', 'OPS10-BP01'],
  level: NagMessageLevel.WARN,
  info: 'Failed messages are lost or unseen: the queue has no dead-letter queue, or it is a dead-letter queue no alarm watches.',
  explanation: 'OPS08-BP04 Create actionable alerts, OPS10-BP01 Use a process for event, incident, and problem management: a poison ' +
    'message should land in a DLQ, and a message in a DLQ is an event someone must handle (inspect, fix, redrive).',
  fix: 'deadLetterQueue: { queue: dlq, maxReceiveCount } on the queue; alarm on dlq.metricApproximateNumberOfMessagesVisible() ' +
    '(OperableFunction does for its DLQ), with the RedriveDeadLetterQueue runbook.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::SQS::Queue') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = appIndex(node);
  const queue = render(node);
  if (isDeadLetterTarget(index, queue)) {
    return alarmsWatching(index, queue, identityOf(index, queue)!).length > 0 ? NagRuleCompliance.COMPLIANT : ['DeadLetterQueueNotAlarmed'];
  }
  return queue.properties.RedrivePolicy === undefined ? ['NoDeadLetterQueue'] : NagRuleCompliance.COMPLIANT;
});
