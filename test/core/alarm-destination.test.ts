import { Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmDestinationKind, AlarmRouting, Severity, Workload } from '../../src';
import { quotesMetric, testStack } from '../support/fixtures';

/** A stack with one metric alarm and one composite alarm over it (logical id `Composite`). */
function compositeStack() {
  const { app, stack } = testStack();
  const alarm = new cloudwatch.Alarm(stack, 'Window', { metric: quotesMetric('Errors'), threshold: 1, evaluationPeriods: 1 });
  const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', {
    compositeAlarmName: 'freight-quotes-availability-page',
    alarmRule: cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM),
  });
  return { app, stack, alarm, composite };
}

function pageTo(composite: cloudwatch.CompositeAlarm, ...destinations: AlarmDestination[]) {
  new AlarmRouting({ page: destinations }).applyTo(composite, Severity.PAGE);
}

function inlineFunction(stack: Stack, id = 'Pager') {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
}

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

describe('AlarmDestination.sns', () => {
  test('notifies the topic by reference', () => {
    const { stack, composite } = compositeStack();
    const topic = new sns.Topic(stack, 'Pages');
    pageTo(composite, AlarmDestination.sns(topic));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'freight-quotes-availability-page',
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }],
      OKActions: Match.absent(),
    });
  });

  test('kind and description use the topic name when known, the construct path otherwise', () => {
    const { stack } = testStack();
    const named = AlarmDestination.sns(new sns.Topic(stack, 'Named', { topicName: 'pricing-pages' }));
    const unnamed = AlarmDestination.sns(new sns.Topic(stack, 'Unnamed'));
    const imported = AlarmDestination.sns(sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:us-east-1:123456789012:pricing-tickets'));

    expect(named.kind).toBe(AlarmDestinationKind.SNS);
    expect(named.kind).toBe('sns');
    // The L2 topic's topicName is always a token; the name given to the CfnTopic is used when it is a literal.
    expect(named.description).toBe('SNS topic pricing-pages');
    expect(unnamed.description).toBe('SNS topic Test/Unnamed');
    expect(imported.description).toBe('SNS topic pricing-tickets');
  });
});

describe('AlarmDestination.incidentManager', () => {
  test('opens an incident with the response plan ARN built from partition and account', () => {
    const { stack, composite } = compositeStack();
    pageTo(composite, AlarmDestination.incidentManager('freight-critical'));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [partitionArn(':ssm-incidents::123456789012:response-plan/freight-critical')],
    });
  });

  test('kind and description', () => {
    const d = AlarmDestination.incidentManager('freight-critical');
    expect(d.kind).toBe(AlarmDestinationKind.INCIDENT_MANAGER);
    expect(d.kind).toBe('incident-manager');
    expect(d.description).toBe('Incident Manager response plan freight-critical');
  });

  /** A workload routed to the destination: where a bad destination is reported, with its path and prop. */
  const routeWorkload = (d: AlarmDestination) => {
    const { stack } = testStack();
    return new Workload(stack, 'Freight', { workloadName: 'freight', owner: { team: 't', onCall: 'o' }, routing: new AlarmRouting({ page: [d] }) });
  };

  test('an ARN is rejected, by the construct that uses it, with a hint to pass the name', () => {
    const d = AlarmDestination.incidentManager('arn:aws:ssm-incidents::1:response-plan/x');
    expect(() => routeWorkload(d))
      .toThrow("[Test/Freight] routing: AlarmDestination.incidentManager('arn:aws:ssm-incidents::1:response-plan/x'): not a valid response plan " +
        "name (1-200 letters, digits, '_' or '-'). Pass the response plan name (the part after \"response-plan/\"), not its ARN.");
  });

  test.each([[''], ['has space'], ['plan/x'], ['p'.repeat(201)]])('the name %j is rejected without the ARN hint', (name) => {
    const d = AlarmDestination.incidentManager(name);
    expect(() => routeWorkload(d)).toThrow(`routing: AlarmDestination.incidentManager('${name}'): not a valid response plan name`);
    expect(() => routeWorkload(d)).not.toThrow(/not its ARN/);
  });

  test('the factory itself never throws: it cannot name a construct', () => {
    expect(() => AlarmDestination.incidentManager('has space')).not.toThrow();
  });

  test.each([['p'.repeat(200)], ['Freight_Critical-2']])('the name %j is accepted', (name) => {
    expect(AlarmDestination.incidentManager(name).description).toBe(`Incident Manager response plan ${name}`);
  });

  test('a token name is accepted unvalidated', () => {
    const { stack, composite } = compositeStack();
    pageTo(composite, AlarmDestination.incidentManager(Aws.STACK_NAME));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm-incidents::123456789012:response-plan/', { Ref: 'AWS::StackName' }]] }],
    });
  });
});

describe('AlarmDestination.opsItem', () => {
  test('creates an OpsItem with severity and category', () => {
    const { stack, composite } = compositeStack();
    pageTo(composite, AlarmDestination.opsItem(actions.OpsItemSeverity.HIGH, actions.OpsItemCategory.AVAILABILITY));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [partitionArn(':ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Availability')],
    });
  });

  test('without category', () => {
    const { stack, composite } = compositeStack();
    pageTo(composite, AlarmDestination.opsItem(actions.OpsItemSeverity.LOW));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [partitionArn(':ssm:us-east-1:123456789012:opsitem:4')],
    });
  });

  test('kind and description', () => {
    const withCategory = AlarmDestination.opsItem(actions.OpsItemSeverity.CRITICAL, actions.OpsItemCategory.PERFORMANCE);
    expect(withCategory.kind).toBe(AlarmDestinationKind.OPS_ITEM);
    expect(withCategory.kind).toBe('ops-item');
    expect(withCategory.description).toBe('OpsItem (severity 1, Performance)');
    expect(AlarmDestination.opsItem(actions.OpsItemSeverity.MEDIUM).description).toBe('OpsItem (severity 3)');
  });
});

describe('AlarmDestination.lambdaFunction', () => {
  test('invokes the function and lets CloudWatch alarms in this account invoke it for this composite only', () => {
    const { stack, composite } = compositeStack();
    const fn = inlineFunction(stack);
    pageTo(composite, AlarmDestination.lambdaFunction(fn));

    const template = Template.fromStack(stack);
    const fnId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    const compositeId = stack.getLogicalId(composite.node.defaultChild as cloudwatch.CfnCompositeAlarm);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ 'Fn::GetAtt': [fnId, 'Arn'] }] });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      SourceAccount: '123456789012',
      SourceArn: { 'Fn::GetAtt': [compositeId, 'Arn'] },
    });
  });

  test('one destination on two composites grants one permission per composite', () => {
    const { stack, alarm, composite } = compositeStack();
    const other = new cloudwatch.CompositeAlarm(stack, 'Other', { alarmRule: cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.OK) });
    const fn = inlineFunction(stack);
    const routing = new AlarmRouting({ page: [AlarmDestination.lambdaFunction(fn)], ticket: [AlarmDestination.lambdaFunction(fn)] });
    routing.applyTo(composite, Severity.PAGE);
    routing.applyTo(other, Severity.TICKET);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 2);
    for (const c of [composite, other]) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(c.node.defaultChild as cloudwatch.CfnCompositeAlarm), 'Arn'] },
      });
    }
  });

  test('kind and description', () => {
    const { stack } = testStack();
    const d = AlarmDestination.lambdaFunction(inlineFunction(stack));
    expect(d.kind).toBe(AlarmDestinationKind.LAMBDA);
    expect(d.kind).toBe('lambda');
    expect(d.description).toBe('Lambda function Test/Pager');
  });
});

describe('AlarmDestination.fromAlarmAction', () => {
  test('attaches the given action', () => {
    const { stack, composite } = compositeStack();
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:pagerduty' }) };
    const d = AlarmDestination.fromAlarmAction(action, 'PagerDuty via SNS');
    pageTo(composite, d);

    expect(d.kind).toBe(AlarmDestinationKind.CUSTOM);
    expect(d.kind).toBe('custom');
    expect(d.description).toBe('PagerDuty via SNS');
    expect(d.toAlarmAction()).toBe(action);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pagerduty'],
    });
  });
});

describe('AlarmDestination.toAlarmAction', () => {
  test('creates the action once and shares it', () => {
    const { stack } = testStack();
    const d = AlarmDestination.sns(new sns.Topic(stack, 'Pages'));
    const first = d.toAlarmAction();
    expect(first).toBeInstanceOf(actions.SnsAction);
    expect(d.toAlarmAction()).toBe(first);
    expect(AlarmDestination.incidentManager('p').toAlarmAction()).toBeInstanceOf(actions.SsmIncidentAction);
    expect(AlarmDestination.opsItem(actions.OpsItemSeverity.LOW).toAlarmAction()).toBeInstanceOf(actions.SsmAction);
    expect(AlarmDestination.lambdaFunction(inlineFunction(stack)).toAlarmAction()).toBeInstanceOf(actions.LambdaAction);
  });

  test('all kinds in one composite, in the order given', () => {
    const { stack, composite } = compositeStack();
    const topic = new sns.Topic(stack, 'Pages');
    const fn = inlineFunction(stack);
    pageTo(composite,
      AlarmDestination.sns(topic),
      AlarmDestination.incidentManager('freight-critical'),
      AlarmDestination.opsItem(actions.OpsItemSeverity.HIGH, actions.OpsItemCategory.AVAILABILITY),
      AlarmDestination.lambdaFunction(fn),
      AlarmDestination.fromAlarmAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:custom' }) }, 'custom'));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [
        { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) },
        partitionArn(':ssm-incidents::123456789012:response-plan/freight-critical'),
        partitionArn(':ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Availability'),
        { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] },
        'arn:aws:sns:us-east-1:123456789012:custom',
      ],
    });
  });
});
