import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AppIndex, RenderedResource, appIndex, isFrameworkFunction, literals, referencedIds, render } from '../../evidence';
import { defineRule } from '../../rule';

/** Services that invoke Lambda asynchronously through a resource-based permission. */
const ASYNC_PRINCIPALS = ['events.amazonaws.com', 'sns.amazonaws.com', 's3.amazonaws.com', 'ses.amazonaws.com', 'iot.amazonaws.com',
  'logs.amazonaws.com', 'lambda.alarms.cloudwatch.amazonaws.com', 'codecommit.amazonaws.com', 'config.amazonaws.com'];

/**
 * The functions the template shows invoked asynchronously, as `<stack path>\0<logical id>` (built once): named by an
 * event-invoke config, a permission for an asynchronous service principal, an SNS `lambda` subscription or an
 * EventBridge rule target.
 */
function asyncFunctions(index: AppIndex): Set<string> {
  return index.memo('async-functions', () => {
    const out = new Set<string>();
    const add = (r: RenderedResource, value: unknown) => referencedIds(value).forEach((id) => out.add(`${r.stack.node.path}\u0000${id}`));
    for (const r of index.resources) {
      const p = r.properties;
      if (r.type === 'AWS::Lambda::EventInvokeConfig') add(r, p.FunctionName);
      else if (r.type === 'AWS::Lambda::Permission' && literals(p.Principal).some((x) => ASYNC_PRINCIPALS.includes(x))) add(r, p.FunctionName);
      else if (r.type === 'AWS::SNS::Subscription' && p.Protocol === 'lambda') add(r, p.Endpoint);
      else if (r.type === 'AWS::Events::Rule' && Array.isArray(p.Targets)) p.Targets.forEach((t) => add(r, (t as { Arn?: unknown }).Arn));
    }
    return out;
  });
}

/** Whether the template shows the function invoked asynchronously. */
function invokedAsynchronously(index: AppIndex, fn: RenderedResource): boolean {
  return asyncFunctions(index).has(`${fn.stack.node.path}\u0000${fn.logicalId}`);
}

/**
 * Functions invoked asynchronously (EventBridge, SNS, S3, ... or with an event-invoke config) send failed events
 * somewhere: an on-failure destination (as cdk-nag's LambdaAsyncFailureDestination checks the event-invoke config, but on
 * the rendered template) or a DLQ.
 */
export default defineRule({
  name: 'AsyncFailureDestination',
  area: 'resilience',
  bestPractices: ['OPS08-BP04', 'OPS10-BP01'],
  level: NagMessageLevel.WARN,
  info: 'The function is invoked asynchronously but has neither an on-failure destination nor a dead-letter queue: failed events are dropped.',
  explanation: 'OPS08-BP04 Create actionable alerts, OPS10-BP01 Use a process for event, incident, and problem management: after ' +
    'its retries Lambda discards an asynchronous event unless it has somewhere to send it (a queue an alarm watches); a dropped ' +
    'order or payment event is an incident found by customers.',
  fix: 'onFailure: new destinations.SqsDestination(dlq) or deadLetterQueue on the function (OperableFunction with ' +
    'asyncFailureDestination), and alarm on that queue.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const fn = render(node);
  const index = appIndex(node);
  if (isFrameworkFunction(fn) || !invokedAsynchronously(index, fn)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if ((fn.properties.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn !== undefined) {
    return NagRuleCompliance.COMPLIANT;
  }
  const configs = index.ofType('AWS::Lambda::EventInvokeConfig')
    .filter((c) => c.stack === fn.stack && referencedIds(c.properties.FunctionName).has(fn.logicalId));
  // cdk-nag's LambdaAsyncFailureDestination, on the rendered template (escape hatches count).
  const onFailure = (c: RenderedResource) => (c.properties.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
    ?.OnFailure?.Destination;
  return configs.some((c) => onFailure(c) !== undefined) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
