import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { componentAlarms, deadLetterQueues } from '../../component-evidence';
import { appIndex, render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Queues have a dead-letter queue (a redrive policy in the rendered template, so escape hatches count; like cdk-nag's
 * SQSQueueDLQ, queues that are themselves a DLQ are exempt: a redrive policy, a function's dead-letter queue or failure
 * destination, an EventBridge target's or SNS subscription's dead-letter queue names them), and every dead-letter queue is
 * watched by an alarm.
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
  if (deadLetterQueues(index).has(queue)) {
    return componentAlarms(index, queue).length > 0 ? NagRuleCompliance.COMPLIANT : ['DeadLetterQueueNotAlarmed'];
  }
  return queue.properties.RedrivePolicy === undefined ? ['NoDeadLetterQueue'] : NagRuleCompliance.COMPLIANT;
});
