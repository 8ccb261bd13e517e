import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { appIndex, isFrameworkFunction, literals, refersTo, render, str } from '../../evidence';
import { defineRule } from '../../rule';

/**
 * Log groups keep logs for a stated time: cdk-nag's CloudWatchLogGroupRetentionPeriod for explicit log groups (read from
 * the rendered template, so a retention set or removed by a property override counts), and for
 * functions without one, the log group Lambda creates on first invocation (never expires) unless a log-retention
 * custom resource sets it.
 */
export default defineRule({
  name: 'LogRetention',
  area: 'observability',
  bestPractices: ['OPS08-BP02'],
  level: NagMessageLevel.ERROR,
  info: 'Logs are kept forever: the log group has no retention, or the function writes to the log group Lambda creates, which never expires.',
  explanation: 'OPS08-BP02 Analyze workload logs: logs need a deliberate retention so they are there for the incident and the ' +
    'post-incident review, and do not grow cost without bound.',
  fix: 'Set retention on the log group (new logs.LogGroup(..., { retention })) and pass it to the function (logGroup: ...); ' +
    'OperableFunction creates one with a retention.',
}, (node) => {
  if (node.cfnResourceType === 'AWS::Logs::LogGroup') {
    return render(node).properties.RetentionInDays !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  if (node.cfnResourceType !== 'AWS::Lambda::Function') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const fn = render(node);
  if (isFrameworkFunction(fn)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const logGroup = (fn.properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
  if (logGroup !== undefined) {
    // An explicit log group: its own retention is checked on the log group itself.
    return NagRuleCompliance.COMPLIANT;
  }
  const name = str(fn.properties.FunctionName);
  const retained = appIndex(node).ofType('Custom::LogRetention').some((r) =>
    r.properties.RetentionInDays !== undefined && (refersTo(r.properties.LogGroupName, fn.logicalId) ||
      (name !== undefined && literals(r.properties.LogGroupName).join('') === `/aws/lambda/${name}`)));
  return retained ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
