import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagRuleCompliance } from 'cdk-nag';
import { appAndStack, checkRule, resultsOf, violationsOf } from './helpers-2';

const DLQ = 'OPS-DeadLetterQueue';
const ASYNC = 'OPS-AsyncFailureDestination';
const COMPLIANT = NagRuleCompliance.COMPLIANT;
const NON_COMPLIANT = NagRuleCompliance.NON_COMPLIANT;

function fn(stack: Stack, id = 'Handler', extra: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...extra,
  });
}

/** An alarm when a message is visible in the queue. */
function visibleAlarm(stack: Stack, id: string, queue: sqs.IQueue): cloudwatch.Alarm {
  return queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }).createAlarm(stack, id, {
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
  });
}

/** A queue 'Orders' redriving to a queue 'OrdersDlq' after 3 receives. */
function ordersWithDlq(stack: Stack): { orders: sqs.Queue; dlq: sqs.Queue } {
  const dlq = new sqs.Queue(stack, 'OrdersDlq', { retentionPeriod: Duration.days(14) });
  const orders = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
  return { orders, dlq };
}

describe('OPS-DeadLetterQueue', () => {
  test('a queue with a DLQ that an alarm watches (ApproximateNumberOfMessagesVisible): both comply', () => {
    const { app, stack } = appAndStack();
    const { dlq } = ordersWithDlq(stack);
    visibleAlarm(stack, 'DlqAlarm', dlq);
    expect(checkRule(app, DLQ)).toEqual({
      violations: [],
      results: [
        { constructPath: 'Test/Orders/Resource', result: COMPLIANT },
        { constructPath: 'Test/OrdersDlq/Resource', result: COMPLIANT },
      ],
    });
  });

  test('the queue complies but the DLQ no alarm watches: DeadLetterQueueNotAlarmed on the DLQ', () => {
    const { app, stack } = appAndStack();
    ordersWithDlq(stack);
    expect(checkRule(app, DLQ)).toEqual({
      violations: [{ ruleName: 'OPS-DeadLetterQueue[DeadLetterQueueNotAlarmed]', constructPath: 'Test/OrdersDlq/Resource' }],
      results: [
        { constructPath: 'Test/Orders/Resource', result: COMPLIANT },
        { constructPath: 'Test/OrdersDlq/Resource', result: ['DeadLetterQueueNotAlarmed'] },
      ],
    });
  });

  test('a queue without a DLQ: NoDeadLetterQueue', () => {
    const { app, stack } = appAndStack();
    new sqs.Queue(stack, 'Orders');
    expect(violationsOf(app, DLQ)).toEqual([{ ruleName: 'OPS-DeadLetterQueue[NoDeadLetterQueue]', constructPath: 'Test/Orders/Resource' }]);
  });

  test('an alarm on another queue does not count for the DLQ', () => {
    const { app, stack } = appAndStack();
    const { orders } = ordersWithDlq(stack);
    visibleAlarm(stack, 'OrdersAlarm', orders);
    expect(violationsOf(app, DLQ)).toEqual([
      { ruleName: 'OPS-DeadLetterQueue[DeadLetterQueueNotAlarmed]', constructPath: 'Test/OrdersDlq/Resource' },
    ]);
  });

  test('a DLQ named by a literal queue name is watched by an alarm of another stack using that name', () => {
    const { app, stack } = appAndStack();
    const dlq = new sqs.Queue(stack, 'OrdersDlq', { queueName: 'orders-dlq' });
    new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const monitoring = new Stack(app, 'Monitoring', { env: { account: '123456789012', region: 'us-east-1' } });
    visibleAlarm(monitoring, 'DlqAlarm', sqs.Queue.fromQueueArn(monitoring, 'Dlq', 'arn:aws:sqs:us-east-1:123456789012:orders-dlq'));
    expect(resultsOf(app, DLQ)).toEqual([
      { constructPath: 'Test/Orders/Resource', result: COMPLIANT },
      { constructPath: 'Test/OrdersDlq/Resource', result: COMPLIANT },
    ]);
  });

  test('a queue another stack redrives to by its literal ARN is a DLQ: DeadLetterQueueNotAlarmed, not NoDeadLetterQueue', () => {
    const { app, stack } = appAndStack();
    new sqs.Queue(stack, 'Shared', { queueName: 'orders-dlq' });
    const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const dlq = sqs.Queue.fromQueueArn(other, 'Dlq', 'arn:aws:sqs:us-east-1:123456789012:orders-dlq');
    new sqs.Queue(other, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    expect(checkRule(app, DLQ)).toEqual({
      violations: [{ ruleName: 'OPS-DeadLetterQueue[DeadLetterQueueNotAlarmed]', constructPath: 'Test/Shared/Resource' }],
      results: [
        { constructPath: 'Other/Orders/Resource', result: COMPLIANT },
        { constructPath: 'Test/Shared/Resource', result: ['DeadLetterQueueNotAlarmed'] },
      ],
    });
  });

  test('a queue whose name only starts like the redrive target is not a DLQ', () => {
    const { app, stack } = appAndStack();
    new sqs.Queue(stack, 'Fifo', { queueName: 'orders-dlq.fifo', fifo: true });
    const dlq = sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:us-east-1:123456789012:orders-dlq');
    new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    expect(violationsOf(app, DLQ)).toEqual([{ ruleName: 'OPS-DeadLetterQueue[NoDeadLetterQueue]', constructPath: 'Test/Fifo/Resource' }]);
  });

  test('the DLQ of a Lambda function (deadLetterQueueEnabled) no alarm watches: DeadLetterQueueNotAlarmed', () => {
    const { app, stack } = appAndStack();
    fn(stack, 'Handler', { deadLetterQueueEnabled: true });
    expect(violationsOf(app, DLQ)).toEqual([
      { ruleName: 'OPS-DeadLetterQueue[DeadLetterQueueNotAlarmed]', constructPath: 'Test/Handler/DeadLetterQueue/Resource' },
    ]);
  });

  test('the Lambda DLQ with an alarm complies', () => {
    const { app, stack } = appAndStack();
    const handler = fn(stack, 'Handler', { deadLetterQueueEnabled: true });
    visibleAlarm(stack, 'DlqAlarm', handler.deadLetterQueue!);
    expect(resultsOf(app, DLQ)).toEqual([{ constructPath: 'Test/Handler/DeadLetterQueue/Resource', result: COMPLIANT }]);
  });

  test('an on-failure destination queue of an async function is a DLQ too: not alarmed', () => {
    const { app, stack } = appAndStack();
    const failures = new sqs.Queue(stack, 'Failures');
    fn(stack, 'Handler', { onFailure: new destinations.SqsDestination(failures) });
    expect(violationsOf(app, DLQ)).toEqual([
      { ruleName: 'OPS-DeadLetterQueue[DeadLetterQueueNotAlarmed]', constructPath: 'Test/Failures/Resource' },
    ]);
  });

  test('a redrive policy added by an escape hatch is seen (the rule reads the rendered template)', () => {
    const { app, stack } = appAndStack();
    const dlq = new sqs.Queue(stack, 'OrdersDlq');
    visibleAlarm(stack, 'DlqAlarm', dlq);
    const orders = new sqs.Queue(stack, 'Orders');
    (orders.node.defaultChild as sqs.CfnQueue).addPropertyOverride('RedrivePolicy', { deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 3 });
    expect(checkRule(app, DLQ)).toEqual({
      violations: [],
      results: [
        { constructPath: 'Test/Orders/Resource', result: COMPLIANT },
        { constructPath: 'Test/OrdersDlq/Resource', result: COMPLIANT },
      ],
    });
  });

  test('a redrive policy removed by an escape hatch is seen: NoDeadLetterQueue (and the former DLQ is a plain queue)', () => {
    const { app, stack } = appAndStack();
    const { orders, dlq } = ordersWithDlq(stack);
    visibleAlarm(stack, 'DlqAlarm', dlq);
    (orders.node.defaultChild as sqs.CfnQueue).addPropertyDeletionOverride('RedrivePolicy');
    expect(violationsOf(app, DLQ)).toEqual([
      { ruleName: 'OPS-DeadLetterQueue[NoDeadLetterQueue]', constructPath: 'Test/Orders/Resource' },
      { ruleName: 'OPS-DeadLetterQueue[NoDeadLetterQueue]', constructPath: 'Test/OrdersDlq/Resource' },
    ]);
  });
});

describe('OPS-AsyncFailureDestination', () => {
  /** A function 'Handler' run every 5 minutes by an EventBridge rule. */
  function scheduled(extra: Partial<lambda.FunctionProps> | ((stack: Stack) => Partial<lambda.FunctionProps>) = {}) {
    const { app, stack } = appAndStack();
    const handler = fn(stack, 'Handler', typeof extra === 'function' ? extra(stack) : extra);
    new events.Rule(stack, 'Schedule', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(handler)] });
    return { app, stack, handler };
  }

  test('a function an EventBridge rule targets, without destination or DLQ, fails', () => {
    const { app } = scheduled();
    expect(checkRule(app, ASYNC)).toEqual({
      violations: [{ ruleName: ASYNC, constructPath: 'Test/Handler/Resource' }],
      results: [{ constructPath: 'Test/Handler/Resource', result: NON_COMPLIANT }],
    });
  });

  test('with an on-failure SQS destination it complies', () => {
    const { app } = scheduled((stack) => ({ onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')) }));
    expect(checkRule(app, ASYNC)).toEqual({ violations: [], results: [{ constructPath: 'Test/Handler/Resource', result: COMPLIANT }] });
  });

  test('with a dead-letter queue it complies', () => {
    const { app } = scheduled({ deadLetterQueueEnabled: true });
    expect(checkRule(app, ASYNC)).toEqual({ violations: [], results: [{ constructPath: 'Test/Handler/Resource', result: COMPLIANT }] });
  });

  test('an on-success destination only does not count', () => {
    const { app } = scheduled((stack) => ({ onSuccess: new destinations.SqsDestination(new sqs.Queue(stack, 'Done')) }));
    expect(violationsOf(app, ASYNC)).toEqual([{ ruleName: ASYNC, constructPath: 'Test/Handler/Resource' }]);
  });

  test('an on-failure destination added to the event-invoke config by an escape hatch is seen', () => {
    const { app, stack } = appAndStack();
    const failures = new sqs.Queue(stack, 'Failures');
    const handler = fn(stack, 'Handler', { retryAttempts: 1 });
    const config = handler.node.findChild('EventInvokeConfig').node.defaultChild as lambda.CfnEventInvokeConfig;
    config.addPropertyOverride('DestinationConfig.OnFailure.Destination', failures.queueArn);
    expect(resultsOf(app, ASYNC)).toEqual([{ constructPath: 'Test/Handler/Resource', result: COMPLIANT }]);
  });

  test('an on-failure destination removed by an escape hatch is seen', () => {
    const { app, stack } = appAndStack();
    const handler = fn(stack, 'Handler', { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')) });
    const config = handler.node.findChild('EventInvokeConfig').node.defaultChild as lambda.CfnEventInvokeConfig;
    config.addPropertyDeletionOverride('DestinationConfig');
    expect(violationsOf(app, ASYNC)).toEqual([{ ruleName: ASYNC, constructPath: 'Test/Handler/Resource' }]);
  });

  test('an event-invoke config alone (retryAttempts) shows async invocation: fails without a destination', () => {
    const { app, stack } = appAndStack();
    fn(stack, 'Handler', { retryAttempts: 0 });
    expect(checkRule(app, ASYNC)).toEqual({
      violations: [{ ruleName: ASYNC, constructPath: 'Test/Handler/Resource' }],
      results: [{ constructPath: 'Test/Handler/Resource', result: NON_COMPLIANT }],
    });
  });

  test('an SNS subscription (LambdaSubscription) counts as asynchronous invocation', () => {
    const { app, stack } = appAndStack();
    const handler = fn(stack);
    new sns.Topic(stack, 'Orders').addSubscription(new subscriptions.LambdaSubscription(handler));
    expect(violationsOf(app, ASYNC)).toEqual([{ ruleName: ASYNC, constructPath: 'Test/Handler/Resource' }]);
  });

  test('an S3-style permission (a service principal that invokes asynchronously) counts', () => {
    const { app, stack } = appAndStack();
    fn(stack).addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceAccount: '123456789012' });
    expect(violationsOf(app, ASYNC)).toEqual([{ ruleName: ASYNC, constructPath: 'Test/Handler/Resource' }]);
  });

  test('a function only invoked synchronously (API Gateway, a function URL, direct calls) is not applicable', () => {
    const { app, stack } = appAndStack();
    const handler = fn(stack);
    new apigateway.LambdaRestApi(stack, 'Api', { handler });
    handler.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    handler.grantInvoke(new iam.AccountRootPrincipal());
    expect(checkRule(app, ASYNC)).toEqual({ violations: [], results: [] });
  });

  test('a rule in another stack targeting the function does not make it asynchronous here', () => {
    const { app, stack } = appAndStack();
    fn(stack);
    const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const imported = lambda.Function.fromFunctionArn(other, 'Handler', 'arn:aws:lambda:us-east-1:123456789012:function:handler');
    new events.Rule(other, 'Schedule', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(imported)] });
    expect(resultsOf(app, ASYNC)).toEqual([]);
  });
});
