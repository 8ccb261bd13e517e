import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isDisabled, isLogGroupTarget, targetsOf } from '../../event-evidence';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * EventBridge rules send the events a target failed to receive to a dead-letter queue: every target of an enabled rule
 * has a `DeadLetterConfig` (after its retries EventBridge drops the event otherwise). Targets that only copy events into
 * a CloudWatch Logs log group (an observability record, not work) are not concerned. Finding TargetWithoutDeadLetterQueue.
 */
export default defineRule({
  name: 'EventDeadLetter',
  area: 'resilience',
  bestPractices: ['OPS10-BP01'],
  level: NagMessageLevel.WARN,
  info: 'A target of this EventBridge rule has no dead-letter queue: an event it fails to receive (throttled, deleted, not ' +
    'permitted) is dropped after the retries.',
  explanation: 'OPS10-BP01 Use a process for event, incident, and problem management: an event EventBridge could not deliver is ' +
    'work that was not done (an order not processed, a remediation not started); it must land somewhere an alarm watches and ' +
    'someone handles, not vanish.',
  fix: 'targets.LambdaFunction(fn, { deadLetterQueue: dlq }) (every aws-events-targets target takes deadLetterQueue), or ' +
    'DeadLetterConfig: { Arn: dlq.queueArn } on the rule target; alarm on the queue (OPS-DeadLetterQueue checks it).',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::Events::Rule') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const rule = render(node);
  const targets = targetsOf(rule).filter((t) => !isLogGroupTarget(t));
  if (isDisabled(rule) || targets.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return targets.every((t) => t.DeadLetterConfig?.Arn !== undefined) ? NagRuleCompliance.COMPLIANT : ['TargetWithoutDeadLetterQueue'];
});
