import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as incidents from 'aws-cdk-lib/aws-ssmincidents';
import { Construct } from 'constructs';
import { check, findings, fnProps, newStack } from './helpers';
import { AlarmDescription, AlarmDestination, AlarmRouting, OperableFunction, Severity, ServiceTier, Workload } from '../../../src';

const RESPONSE_PLAN_ARN = 'arn:aws:ssm-incidents::123456789012:response-plan/x';

/** An alarm on a custom metric (watches no resource of the app). */
function alarm(scope: Construct, id: string, props: Partial<cloudwatch.AlarmProps> = {}): cloudwatch.Alarm {
  const metric = new cloudwatch.Metric({ namespace: 'Freight', metricName: id, statistic: 'Sum' });
  return new cloudwatch.Alarm(scope, id, { metric, threshold: 1, evaluationPeriods: 1, ...props });
}

/** A composite in ALARM when any of `children` is. */
function composite(scope: Construct, id: string, children: cloudwatch.IAlarm[], props: Partial<cloudwatch.CompositeAlarmProps> = {}) {
  return new cloudwatch.CompositeAlarm(scope, id, {
    alarmRule: cloudwatch.AlarmRule.anyOf(...children.map((c) => cloudwatch.AlarmRule.fromAlarm(c, cloudwatch.AlarmState.ALARM))),
    ...props,
  });
}

/** An alarm action given as a literal ARN. */
const arnAction = (arn: string): cloudwatch.IAlarmAction => ({ bind: () => ({ alarmActionArn: arn }) });

describe('OPS-AlarmAction', () => {
  const RULE = 'OPS-AlarmAction';

  test('an alarm with an SNS action complies (cdk-nag CloudWatchAlarmAction); one without any action fails', () => {
    const { app, stack } = newStack();
    alarm(stack, 'Notifying').addAlarmAction(new actions.SnsAction(new sns.Topic(stack, 'Topic')));
    alarm(stack, 'Silent');
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Silent/Resource' }]);
  });

  test('an alarm without actions inside a composite that has an action complies (AlarmRule.fromAlarm)', () => {
    const { app, stack } = newStack();
    const child = alarm(stack, 'Child');
    composite(stack, 'Page', [child]).addAlarmAction(new actions.SnsAction(new sns.Topic(stack, 'Topic')));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('the composite path is followed two levels up; without an action at the top every level fails', () => {
    const notified = newStack();
    const inner = composite(notified.stack, 'Inner', [alarm(notified.stack, 'Leaf')]);
    composite(notified.stack, 'Outer', [inner]).addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    expect(findings(notified.app, RULE)).toEqual([]);

    const silent = newStack();
    composite(silent.stack, 'Outer', [composite(silent.stack, 'Inner', [alarm(silent.stack, 'Leaf')])]);
    expect(check(silent.app).paths(RULE)).toEqual(['Test/Inner/Resource', 'Test/Leaf/Resource', 'Test/Outer/Resource']);
  });

  test('a composite without actions whose children all notify complies (status roll-up); with one silent child both fail', () => {
    const rollUp = newStack();
    const topic = new sns.Topic(rollUp.stack, 'Topic');
    const a = alarm(rollUp.stack, 'A');
    const b = alarm(rollUp.stack, 'B');
    [a, b].forEach((x) => x.addAlarmAction(new actions.SnsAction(topic)));
    composite(rollUp.stack, 'Status', [a, b]);
    expect(findings(rollUp.app, RULE)).toEqual([]);

    const partial = newStack();
    const c = alarm(partial.stack, 'C');
    c.addAlarmAction(new actions.SnsAction(new sns.Topic(partial.stack, 'Topic')));
    composite(partial.stack, 'Status', [c, alarm(partial.stack, 'D')]);
    expect(check(partial.app).paths(RULE)).toEqual(['Test/D/Resource', 'Test/Status/Resource']);
  });

  test('ActionsEnabled false fails, on the alarm itself and through a composite whose actions are disabled', () => {
    const { app, stack } = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    alarm(stack, 'Disabled', { actionsEnabled: false }).addAlarmAction(new actions.SnsAction(topic));
    const child = alarm(stack, 'Child');
    composite(stack, 'Muted', [child], { actionsEnabled: false }).addAlarmAction(new actions.SnsAction(topic));
    expect(check(app).paths(RULE)).toEqual(['Test/Child/Resource', 'Test/Disabled/Resource', 'Test/Muted/Resource']);
  });

  test('property overrides are seen: actions disabled or removed by an escape hatch fail, actions added by one comply', () => {
    const { app, stack } = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const disabled = alarm(stack, 'Disabled');
    disabled.addAlarmAction(new actions.SnsAction(topic));
    (disabled.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('ActionsEnabled', false);
    const removed = alarm(stack, 'Removed');
    removed.addAlarmAction(new actions.SnsAction(topic));
    (removed.node.defaultChild as cloudwatch.CfnAlarm).addPropertyDeletionOverride('AlarmActions');
    const added = alarm(stack, 'Added');
    (added.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('AlarmActions', [topic.topicArn]);
    expect(check(app).paths(RULE)).toEqual(['Test/Disabled/Resource', 'Test/Removed/Resource']);
  });

  test('a composite in another stack naming the alarm literally (by name or by ARN, as AlarmRule renders imported alarms) counts', () => {
    const app = new App();
    const { stack: one } = newStack('One', app);
    for (const name of ['by-name', 'by-arn', 'imported-by-name', 'imported-by-arn', 'at-least-a', 'at-least-b', 'other']) {
      alarm(one, name, { alarmName: name });
    }
    const { stack: two } = newStack('Two', app);
    const imported = [
      cloudwatch.Alarm.fromAlarmName(two, 'ImportedByName', 'imported-by-name'),
      cloudwatch.Alarm.fromAlarmArn(two, 'ImportedByArn', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:imported-by-arn'),
    ];
    const atLeast = ['at-least-a', 'at-least-b'].map((name) => cloudwatch.Alarm.fromAlarmName(two, name, name));
    new cloudwatch.CompositeAlarm(two, 'Page', {
      alarmRule: cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.fromString('ALARM("by-name") OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:by-arn)'),
        ...imported.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM)),
        cloudwatch.AlarmRule.atLeast(cloudwatch.AlarmState.ALARM, { operands: atLeast, threshold: cloudwatch.AtLeastThreshold.count(1) }),
      ),
    }).addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'One/other/Resource' }]);
  });

  test('a name that only contains another alarm\'s name does not count', () => {
    const app = new App();
    alarm(newStack('One', app).stack, 'Errors', { alarmName: 'errors' });
    new cloudwatch.CompositeAlarm(newStack('Two', app).stack, 'Page', {
      alarmRule: cloudwatch.AlarmRule.fromString('ALARM("quotes-errors") OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors-2)'),
    }).addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'One/Errors/Resource' }]);
  });

  test('a status roll-up in another stack over imported alarms that notify complies', () => {
    const app = new App();
    const { stack: one } = newStack('One', app);
    for (const name of ['a', 'b']) alarm(one, name, { alarmName: name }).addAlarmAction(arnAction('arn:aws:sns:us-east-1:123456789012:t'));
    const { stack: two } = newStack('Two', app);
    composite(two, 'Status', ['a', 'b'].map((name) => cloudwatch.Alarm.fromAlarmName(two, name, name)));
    expect(findings(app, RULE)).toEqual([]);
  });
});

describe('OPS-AlarmRunbook', () => {
  const RULE = 'OPS-AlarmRunbook';
  const footer = (runbook?: string, playbook?: string) =>
    AlarmDescription.render({ summary: 'Quotes fail', severity: Severity.PAGE, owner: 'pricing', runbook, playbook });

  function withAction(stack: Stack, id: string, props: Partial<cloudwatch.AlarmProps> = {}): cloudwatch.Alarm {
    const a = alarm(stack, id, props);
    a.addAlarmAction(arnAction('arn:aws:sns:us-east-1:123456789012:pages'));
    return a;
  }

  test('only alarms with (enabled) actions are checked', () => {
    const { app, stack } = newStack();
    alarm(stack, 'NoAction');
    withAction(stack, 'Disabled', { actionsEnabled: false });
    composite(stack, 'Composite', [alarm(stack, 'Child')]);
    expect(findings(app, RULE)).toEqual([]);
  });

  test('an ops:runbook tag, a Runbook or Playbook in the description footer, or a free-text "runbook:" comply', () => {
    const { app, stack } = newStack();
    Tags.of(withAction(stack, 'Tagged')).add('ops:runbook', 'https://runbooks.example.com/quotes');
    withAction(stack, 'Footer', { alarmDescription: footer('https://runbooks.example.com/quotes') });
    withAction(stack, 'Playbook', { alarmDescription: footer(undefined, 'FreightInvestigate') });
    withAction(stack, 'FreeText', { alarmDescription: 'Quotes fail. Runbook: https://runbooks.example.com/quotes' });
    withAction(stack, 'SecondMention', { alarmDescription: 'Quotes fail. Runbook: none. Playbook: FreightInvestigate' });
    const page = composite(stack, 'Page', [alarm(stack, 'Child')], { alarmDescription: footer('FreightRestart') });
    page.addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('"Runbook: none" (footer or tag) and no mention at all fail, for metric and composite alarms', () => {
    const { app, stack } = newStack();
    withAction(stack, 'None', { alarmDescription: footer() });
    expect(footer()).toBe('Quotes fail\nSeverity: PAGE | Owner: pricing | Runbook: none | Playbook: none | Dashboard: none');
    withAction(stack, 'FreeNone', { alarmDescription: 'Quotes fail. Runbook: none.' });
    Tags.of(withAction(stack, 'TagNone')).add('ops:runbook', 'None');
    withAction(stack, 'Unmentioned', { alarmDescription: 'Quotes fail' });
    withAction(stack, 'NoDescription');
    composite(stack, 'Page', [alarm(stack, 'Child')]).addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    expect(check(app).paths(RULE)).toEqual([
      'Test/FreeNone/Resource', 'Test/NoDescription/Resource', 'Test/None/Resource', 'Test/Page/Resource', 'Test/TagNone/Resource',
      'Test/Unmentioned/Resource',
    ]);
  });
});

describe('OPS-AlarmCoverage', () => {
  const RULE = 'OPS-AlarmCoverage';
  const watch = (scope: Construct, id: string, metric: cloudwatch.Metric) => metric.createAlarm(scope, id, { threshold: 1, evaluationPeriods: 1 });

  test('Lambda functions: an alarm on the function\'s metrics covers it, another function\'s alarm does not', () => {
    const { app, stack } = newStack();
    const covered = new lambda.Function(stack, 'Covered', fnProps());
    new lambda.Function(stack, 'Uncovered', fnProps());
    watch(stack, 'Errors', covered.metricErrors());
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Uncovered/Resource' }]);
  });

  test('a metric-math alarm covers the resources of its metrics (Metrics[].MetricStat dimensions)', () => {
    const { app, stack } = newStack();
    const fn = new lambda.Function(stack, 'Fn', fnProps());
    const queue = new sqs.Queue(stack, 'Queue');
    new cloudwatch.MathExpression({
      expression: 'errors / invocations + age',
      usingMetrics: { errors: fn.metricErrors(), invocations: fn.metricInvocations(), age: queue.metricApproximateAgeOfOldestMessage() },
    }).createAlarm(stack, 'Ratio', { threshold: 0.1, evaluationPeriods: 1 });
    expect(findings(app, RULE)).toEqual([]);
  });

  test('REST API stages are covered by an alarm whose ApiName dimension is the API\'s name', () => {
    const { app, stack } = newStack();
    const covered = new apigateway.RestApi(stack, 'Covered', { restApiName: 'quotes', cloudWatchRole: false });
    covered.root.addMethod('GET', new apigateway.MockIntegration());
    const uncovered = new apigateway.RestApi(stack, 'Uncovered', { restApiName: 'prices', cloudWatchRole: false });
    uncovered.root.addMethod('GET', new apigateway.MockIntegration());
    watch(stack, 'ServerErrors', covered.metricServerError());
    expect(stack.resolve(covered.metricServerError().dimensions)).toEqual({ ApiName: 'quotes' });
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Uncovered/DeploymentStage.prod/Resource' }]);
  });

  test('HTTP API stages are covered by an alarm whose ApiId dimension references the API', () => {
    const { app, stack } = newStack();
    const covered = new apigwv2.HttpApi(stack, 'Covered');
    new apigwv2.HttpApi(stack, 'Uncovered');
    watch(stack, 'ServerErrors', covered.metricServerError());
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Uncovered/DefaultStage/Resource' }]);
  });

  test('ECS services are covered by an alarm on their ServiceName', () => {
    const { app, stack } = newStack();
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx') });
    const covered = new ecs.FargateService(stack, 'Covered', { cluster, taskDefinition: task });
    new ecs.FargateService(stack, 'Uncovered', { cluster, taskDefinition: task });
    watch(stack, 'Cpu', covered.metricCpuUtilization());
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Uncovered/Service' }]);
  });

  test('DynamoDB tables (Table and TableV2) and SQS queues are covered by alarms on their own metrics', () => {
    const { app, stack } = newStack();
    const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };
    const table = new dynamodb.Table(stack, 'Table', { partitionKey });
    new dynamodb.Table(stack, 'BareTable', { partitionKey });
    const global = new dynamodb.TableV2(stack, 'Global', { partitionKey });
    new dynamodb.TableV2(stack, 'BareGlobal', { partitionKey });
    const queue = new sqs.Queue(stack, 'Queue');
    new sqs.Queue(stack, 'BareQueue');
    watch(stack, 'TableThrottles', table.metricThrottledRequestsForOperation('GetItem'));
    watch(stack, 'GlobalReads', global.metricConsumedReadCapacityUnits());
    watch(stack, 'QueueAge', queue.metricApproximateAgeOfOldestMessage());
    expect(check(app).paths(RULE)).toEqual(['Test/BareGlobal/Resource', 'Test/BareQueue/Resource', 'Test/BareTable/Resource']);
  });

  test('an alarm in another stack covers a resource it names literally (function name, or an alias of it)', () => {
    const app = new App();
    const { stack: one } = newStack('One', app);
    new lambda.Function(one, 'Quotes', fnProps({ functionName: 'quotes' }));
    new lambda.Function(one, 'Prices', fnProps({ functionName: 'prices' }));
    new lambda.Function(one, 'Rates', fnProps({ functionName: 'rates' }));
    const { stack: two } = newStack('Two', app);
    const fnMetric = (name: string) => new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensionsMap: { FunctionName: name } });
    watch(two, 'QuotesErrors', fnMetric('quotes'));
    watch(two, 'PricesLiveErrors', fnMetric('prices:live'));
    watch(two, 'RatesV2Errors', fnMetric('rates-v2'));
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'One/Rates/Resource' }]);
  });

  test('functions CDK adds itself (the LogRetention singleton) are not applicable', () => {
    const { app, stack } = newStack();
    const fn = new lambda.Function(stack, 'Fn', fnProps({ logRetention: logs.RetentionDays.ONE_MONTH }));
    watch(stack, 'Errors', fn.metricErrors());
    const singleton = stack.node.children.find((c) => c.node.id.startsWith('LogRetention'))!;
    expect(singleton.node.findAll().some((c) => (c as lambda.CfnFunction).cfnResourceType === 'AWS::Lambda::Function')).toBe(true);
    expect(findings(app, RULE)).toEqual([]);
  });
});

describe('OPS-CriticalPaging', () => {
  const RULE = 'OPS-CriticalPaging';
  const pageFooter = AlarmDescription.render({ summary: 'Quotes fail', severity: Severity.PAGE, owner: 'x', runbook: 'y' });

  /** A composite of the critical tier stating Severity: PAGE, over one alarm of its own. */
  function pageComposite(stack: Stack, id: string, props: Partial<cloudwatch.CompositeAlarmProps> = {}, tier = 'critical') {
    const c = composite(stack, id, [alarm(stack, `${id}Child`)], { alarmDescription: pageFooter, ...props });
    Tags.of(c).add('ops:tier', tier);
    return c;
  }

  test('routing to an Incident Manager response plan complies: a literal ARN or an AWS::SSMIncidents::ResponsePlan', () => {
    expect(pageFooter).toBe('Quotes fail\nSeverity: PAGE | Owner: x | Runbook: y | Playbook: none | Dashboard: none');
    const { app, stack } = newStack();
    pageComposite(stack, 'Literal').addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    const plan = new incidents.CfnResponsePlan(stack, 'Plan', { name: 'x', incidentTemplate: { title: 'x', impact: 1 } });
    pageComposite(stack, 'Referenced').addAlarmAction(arnAction(plan.attrArn));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('routing to an SNS topic pages when the topic has a subscription (resource or inline) or is imported; not otherwise', () => {
    const { app, stack } = newStack();
    const subscribed = new sns.Topic(stack, 'Subscribed');
    subscribed.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
    const inline = new sns.CfnTopic(stack, 'Inline', { subscription: [{ protocol: 'https', endpoint: 'https://pager.example.com' }] });
    const empty = new sns.Topic(stack, 'Empty');
    pageComposite(stack, 'ToSubscribed').addAlarmAction(new actions.SnsAction(subscribed));
    pageComposite(stack, 'ToInline').addAlarmAction(arnAction(inline.attrTopicArn));
    pageComposite(stack, 'ToImported').addAlarmAction(arnAction('arn:aws:sns:us-east-1:123456789012:pager'));
    pageComposite(stack, 'ToEmpty').addAlarmAction(new actions.SnsAction(empty));
    pageComposite(stack, 'ToNothing');
    expect(check(app).paths(RULE)).toEqual(['Test/ToEmpty/Resource', 'Test/ToNothing/Resource']);
  });

  test('a page roll-up without actions complies when every page composite it rolls up pages, not when one does not', () => {
    const paging = newStack();
    const a = pageComposite(paging.stack, 'A');
    const b = pageComposite(paging.stack, 'B');
    a.addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    b.addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    Tags.of(composite(paging.stack, 'RollUp', [a, b], { alarmDescription: pageFooter })).add('ops:tier', 'critical');
    expect(findings(paging.app, RULE)).toEqual([]);

    const partial = newStack();
    const c = pageComposite(partial.stack, 'C');
    c.addAlarmAction(arnAction(RESPONSE_PLAN_ARN));
    const d = pageComposite(partial.stack, 'D');
    d.addAlarmAction(new actions.SnsAction(new sns.Topic(partial.stack, 'Empty')));
    Tags.of(composite(partial.stack, 'RollUp', [c, d], { alarmDescription: pageFooter })).add('ops:tier', 'critical');
    expect(check(partial.app).paths(RULE)).toEqual(['Test/D/Resource', 'Test/RollUp/Resource']);
  });

  test('not applicable: another tier, a TICKET severity, no severity stated, or a metric alarm', () => {
    const { app, stack } = newStack();
    pageComposite(stack, 'Standard', {}, 'standard');
    pageComposite(stack, 'Ticket', { alarmDescription: AlarmDescription.render({ summary: 'Slow', severity: Severity.TICKET, owner: 'x' }) });
    pageComposite(stack, 'Unstated', { alarmDescription: 'Quotes fail' });
    Tags.of(alarm(stack, 'Metric', { alarmDescription: pageFooter })).add('ops:tier', 'critical');
    expect(findings(app, RULE)).toEqual([]);
  });

  test('a free-text "Severity: page" on a critical composite is read too', () => {
    const { app, stack } = newStack();
    pageComposite(stack, 'Free', { alarmDescription: 'Quotes fail. Severity: page' });
    expect(findings(app, RULE)).toEqual([{ ruleName: RULE, constructPath: 'Test/Free/Resource' }]);
  });
});

describe('cdk-operable constructs', () => {
  test('an OperableFunction in a critical Workload paging Incident Manager passes every alarms rule', () => {
    const { app, stack } = newStack();
    const tickets = new sns.Topic(stack, 'Tickets');
    tickets.addSubscription(new subscriptions.EmailSubscription('pricing@example.com'));
    const workload = new Workload(stack, 'Freight', {
      workloadName: 'freight',
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
      tier: ServiceTier.CRITICAL,
      runbookBaseUrl: 'https://runbooks.example.com/freight',
      routing: new AlarmRouting({ page: [AlarmDestination.incidentManager('freight-critical')], ticket: [AlarmDestination.sns(tickets)] }),
    });
    new OperableFunction(workload, 'Quotes', { functionProps: fnProps(), latencyThreshold: Duration.millis(300) });
    const report = check(app);
    expect(['OPS-AlarmAction', 'OPS-AlarmRunbook', 'OPS-AlarmCoverage', 'OPS-CriticalPaging'].flatMap((id) => report.of(id))).toEqual([]);
  });

  test('the same workload paging an SNS topic nobody subscribes to fails OPS-CriticalPaging on its page composites and its function', () => {
    const { app, stack } = newStack();
    const workload = new Workload(stack, 'Freight', {
      workloadName: 'freight',
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
      tier: ServiceTier.CRITICAL,
      runbookBaseUrl: 'https://runbooks.example.com/freight',
      routing: new AlarmRouting({ page: [AlarmDestination.sns(new sns.Topic(stack, 'Pages'))] }),
    });
    new OperableFunction(workload, 'Quotes', { functionProps: fnProps(), latencyThreshold: Duration.millis(300) });
    const report = check(app);
    expect(report.paths('OPS-CriticalPaging')).toEqual([
      'Test/Freight/Quotes/Function/Resource', 'Test/Freight/Quotes/Page/Resource', 'Test/Freight/Rollup/Page/Resource',
    ]);
    // The critical-tier function is a component no paging alarm watches: a granular finding, at WARN (composites stay ERROR).
    expect(report.report.violations.filter((v) => v.ruleName.startsWith('OPS-CriticalPaging')).map((v) => [v.ruleName, v.severity]))
      .toEqual([['OPS-CriticalPaging', 'error'], ['OPS-CriticalPaging[NoPagingAlarm]', 'warning']]);
  });
});
