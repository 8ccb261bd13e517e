import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, Severity, Workload } from '../../src';
import { quotesMetric, testStack } from '../support/fixtures';

function setup() {
  const { stack } = testStack();
  const alarm = new cloudwatch.Alarm(stack, 'Window', { metric: quotesMetric('Errors'), threshold: 1, evaluationPeriods: 1 });
  const composite = (id: string) => new cloudwatch.CompositeAlarm(stack, id, {
    compositeAlarmName: id.toLowerCase(),
    alarmRule: cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM),
  });
  const topic = (id: string) => new sns.Topic(stack, id);
  const ref = (t: sns.Topic) => ({ Ref: stack.getLogicalId(t.node.defaultChild as sns.CfnTopic) });
  return { stack, composite, topic, ref };
}

describe('AlarmRouting', () => {
  test('defaults: no destinations, no recovery notifications', () => {
    const routing = new AlarmRouting();
    expect(routing.page).toEqual([]);
    expect(routing.ticket).toEqual([]);
    expect(routing.notifyOnRecovery).toBe(false);
    expect(routing.destinationsFor(Severity.PAGE)).toEqual([]);
    expect(routing.destinationsFor(Severity.TICKET)).toEqual([]);
  });

  test('applyTo with no destinations leaves the composite without actions', () => {
    const { stack, composite } = setup();
    new AlarmRouting().applyTo(composite('Page'), Severity.PAGE);

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'page', AlarmActions: Match.absent(), OKActions: Match.absent(),
    });
  });

  test('page destinations go to PAGE composites, ticket destinations to TICKET composites', () => {
    const { stack, composite, topic, ref } = setup();
    const pages = topic('Pages');
    const tickets = topic('Tickets');
    const routing = new AlarmRouting({ page: [AlarmDestination.sns(pages)], ticket: [AlarmDestination.sns(tickets)] });
    routing.applyTo(composite('Page'), Severity.PAGE);
    routing.applyTo(composite('Ticket'), Severity.TICKET);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'page', AlarmActions: [ref(pages)], OKActions: Match.absent() });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'ticket', AlarmActions: [ref(tickets)], OKActions: Match.absent() });
  });

  test('ticket-only routing leaves PAGE composites silent', () => {
    const { stack, composite, topic, ref } = setup();
    const tickets = topic('Tickets');
    const routing = new AlarmRouting({ ticket: [AlarmDestination.sns(tickets)] });
    routing.applyTo(composite('Page'), Severity.PAGE);
    routing.applyTo(composite('Ticket'), Severity.TICKET);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'page', AlarmActions: Match.absent() });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'ticket', AlarmActions: [ref(tickets)] });
  });

  test('notifyOnRecovery: true adds OKActions equal to the alarm actions', () => {
    const { stack, composite, topic, ref } = setup();
    const a = topic('A');
    const b = topic('B');
    const routing = new AlarmRouting({ page: [AlarmDestination.sns(a), AlarmDestination.sns(b)], notifyOnRecovery: true });
    expect(routing.notifyOnRecovery).toBe(true);
    routing.applyTo(composite('Page'), Severity.PAGE);

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'page',
      AlarmActions: [ref(a), ref(b)],
      OKActions: [ref(a), ref(b)],
      InsufficientDataActions: Match.absent(),
    });
  });

  test('notifyOnRecovery with a Lambda destination grants the permission once', () => {
    const { stack, composite } = setup();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    new AlarmRouting({ page: [AlarmDestination.lambdaFunction(fn)], notifyOnRecovery: true }).applyTo(composite('Page'), Severity.PAGE);

    const fnArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] };
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [fnArn], OKActions: [fnArn] });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  // QUESTIONABLE (src/core/alarm-routing.ts:78-80): PutCompositeAlarm / PutMetricAlarm accept only SNS and Lambda ARNs
  // as OKActions; Systems Manager (OpsItem) and Incident Manager actions are valid for the ALARM state only. Routing
  // copies every alarm action into OKActions, so the deployment fails (or a recovery opens a second incident/ticket).
  test('notifyOnRecovery only copies SNS and Lambda destinations into OKActions', () => {
    const { stack, composite, topic, ref } = setup();
    const pages = topic('Pages');
    new AlarmRouting({
      page: [AlarmDestination.sns(pages), AlarmDestination.incidentManager('freight-critical')],
      notifyOnRecovery: true,
    }).applyTo(composite('Page'), Severity.PAGE);

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [ref(pages), Match.objectLike({ 'Fn::Join': Match.anyValue() })],
      OKActions: [ref(pages)],
    });
  });

  test('applyTo adds to actions the composite already has', () => {
    const { stack, composite, topic, ref } = setup();
    const pages = topic('Pages');
    const c = composite('Page');
    c.addAlarmAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:existing' }) });
    new AlarmRouting({ page: [AlarmDestination.sns(pages)] }).applyTo(c, Severity.PAGE);

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:existing', ref(pages)],
    });
  });

  test('five destinations per severity are allowed', () => {
    const { stack, composite, topic } = setup();
    const five = Array.from({ length: 5 }, (_, i) => AlarmDestination.sns(topic(`T${i}`)));
    new AlarmRouting({ page: five, ticket: five }).applyTo(composite('Page'), Severity.PAGE);

    const props = Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm');
    expect(Object.values(props)[0].Properties.AlarmActions).toHaveLength(5);
  });

  test.each([
    ['page', Severity.PAGE],
    ['ticket', Severity.TICKET],
  ])('six %s destinations are rejected mentioning "at most 5"', (key, severity) => {
    const { stack } = testStack();
    const six = Array.from({ length: 6 }, (_, i) => AlarmDestination.sns(new sns.Topic(stack, `T${i}`, { topicName: `t${i}` })));
    const routing = new AlarmRouting({ [key]: six });
    expect(() => new Workload(stack, 'Freight', { workloadName: 'freight', owner: { team: 't', onCall: 'o' }, routing }))
      .toThrow(`[Test/Freight] routing: AlarmRouting has 6 ${severity} destinations (${six.map((d) => d.description).join('; ')}), ` +
        'but CloudWatch allows at most 5 actions per alarm state. Fan out through one SNS topic instead.');
  });

  test('the six-destination error lists each description', () => {
    const six = Array.from({ length: 6 }, (_, i) => AlarmDestination.incidentManager(`plan-${i}`));
    const { stack } = testStack();
    const composite = new cloudwatch.CompositeAlarm(stack, 'Page', { alarmRule: cloudwatch.AlarmRule.fromBoolean(false) });
    expect(() => new AlarmRouting({ page: six }).applyTo(composite, Severity.PAGE))
      .toThrow(/^\[Test\/Page\] routing: AlarmRouting has 6 PAGE destinations \(Incident Manager response plan plan-0; .*; Incident Manager response plan plan-5\)/);
  });

  test('destinationsFor returns copies; the routing keeps its own copy of the input', () => {
    const { stack } = testStack();
    const d = AlarmDestination.sns(new sns.Topic(stack, 'Pages'));
    const input = [d];
    const routing = new AlarmRouting({ page: input });
    input.push(AlarmDestination.incidentManager('late'));
    expect(routing.page).toEqual([d]);

    const copy = routing.destinationsFor(Severity.PAGE);
    expect(copy).toEqual([d]);
    expect(copy).not.toBe(routing.page);
    copy.push(AlarmDestination.incidentManager('mutated'));
    expect(routing.destinationsFor(Severity.PAGE)).toEqual([d]);
    expect(routing.destinationsFor(Severity.TICKET)).not.toBe(routing.ticket);
  });

  test('one destination shared by two composites binds the same action to both', () => {
    const { stack, composite, topic, ref } = setup();
    const pages = topic('Pages');
    const routing = new AlarmRouting({ page: [AlarmDestination.sns(pages)] });
    routing.applyTo(composite('One'), Severity.PAGE);
    routing.applyTo(composite('Two'), Severity.PAGE);

    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [ref(pages)] }, 2);
  });
});

describe('AlarmRouting from plain JavaScript', () => {
  const use = (routing: AlarmRouting) => new Workload(testStack().stack, 'Freight', { workloadName: 'freight', owner: { team: 't', onCall: 'o' }, routing });

  test('a page list that is not an array, a non-destination element and a string notifyOnRecovery are precise errors', () => {
    expect(() => use(new AlarmRouting({ page: 'arn:aws:sns:us-east-1:1:t' as unknown as AlarmDestination[] })))
      .toThrow("[Test/Freight] routing: AlarmRouting page must be an array of AlarmDestination, got 'arn:aws:sns:us-east-1:1:t' (a string).");
    expect(() => use(new AlarmRouting({ ticket: [{ kind: 'sns' } as unknown as AlarmDestination] })))
      .toThrow('[Test/Freight] routing: AlarmRouting ticket[0] must be an AlarmDestination (AlarmDestination.sns(topic), ...), got a plain object {"kind":"sns"}.');
    expect(() => use(new AlarmRouting({ notifyOnRecovery: 'false' as unknown as boolean })))
      .toThrow("[Test/Freight] routing: AlarmRouting notifyOnRecovery must be true or false, got 'false' (a string).");
  });

  test('a plain object instead of an AlarmRouting is rejected by the workload', () => {
    expect(() => new Workload(testStack().stack, 'Freight', { workloadName: 'freight', owner: { team: 't', onCall: 'o' }, routing: {} as AlarmRouting }))
      .toThrow('[Test/Freight] routing must be an AlarmRouting (new AlarmRouting({ page: [AlarmDestination.sns(topic)] })), got a plain object {}.');
  });
});
