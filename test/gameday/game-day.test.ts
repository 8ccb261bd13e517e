import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { gameDay, inlineStatements, logicalId, propertiesOf, resources, templateOf, world } from './gameday-fixtures';
import { RunbookApproval } from '../../src';
import { GameDay, GameDayExperiment } from '../../src/gameday';

const PAGE_ARN = { 'Fn::GetAtt': ['FreightQuotesPage5FD5371F', 'Arn'] };
const LOG_STATEMENT = {
  Effect: 'Allow',
  Action: ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy'],
  Resource: '*',
};

/** The freight workload, its quotes function and a game day with the invocation-errors experiment (defaults). */
function errorsGameDay(props: Partial<Parameters<typeof gameDay>[1]> = {}, options: Parameters<typeof world>[0] = {}) {
  const w = world(options);
  const day = gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })], ...props });
  return { ...w, day };
}

describe('GameDay defaults', () => {
  test('one experiment template: stop condition, log, options, tags, description naming the runbook', () => {
    const { day, quotes } = errorsGameDay();
    // The game day exercises the runbook the service's page names (the most specific one the service knows).
    expect(day.runbook).toBe(quotes.runbook);
    expect(day.runbook).toBeDefined();
    expect(propertiesOf(day.experimentTemplates[0])).toEqual({
      Description: 'Game day lambda-invocation-errors for freight/quotes: Make 25% of the invocations of the quotes function fail without ' +
        `running its code, for 10 minutes. Exercises runbook ${quotes.runbook}. Stops when freight-quotes-page fires. ` +
        'Start it with the SSM Automation runbook freight-quotes-game-day.',
      RoleArn: { 'Fn::GetAtt': [logicalId(day.roles[0].node.defaultChild as iam.CfnRole), 'Arn'] },
      StopConditions: [{ Source: 'aws:cloudwatch:alarm', Value: PAGE_ARN }],
      Targets: {
        Functions: {
          ResourceType: 'aws:lambda:function',
          ResourceArns: [{ 'Fn::GetAtt': ['FreightQuotesFunction4B76B3B8', 'Arn'] }],
          SelectionMode: 'ALL',
        },
      },
      Actions: {
        'lambda-invocation-errors': {
          ActionId: 'aws:lambda:invocation-error',
          Description: 'Make 25% of the invocations of the quotes function fail without running its code, for 10 minutes.',
          Parameters: { duration: 'PT10M', invocationPercentage: '25', preventExecution: 'true' },
          Targets: { Functions: 'Functions' },
        },
      },
      LogConfiguration: { CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logicalId(day.logGroup), 'Arn'] } }, LogSchemaVersion: 2 },
      ExperimentOptions: { AccountTargeting: 'single-account', EmptyTargetResolutionMode: 'fail' },
      Tags: {
        'Name': 'freight-quotes-lambda-invocation-errors',
        'ops:gameday': 'lambda-invocation-errors',
        'ops:oncall': 'pricing-oncall@example.com',
        'ops:owner': 'pricing',
        'ops:service': 'quotes',
        'ops:tier': 'standard',
        'ops:workload': 'freight',
      },
    });
  });

  test('Name, ops:service, ops:workload and ops:gameday tags are set explicitly; the Workload aspect adds owner, on-call and tier', () => {
    const { day, stack } = errorsGameDay();
    templateOf(stack);
    expect(day.experimentTemplates[0].tags.tagValues()).toEqual({
      'Name': 'freight-quotes-lambda-invocation-errors',
      'ops:gameday': 'lambda-invocation-errors',
      'ops:service': 'quotes',
      'ops:workload': 'freight',
      'ops:owner': 'pricing',
      'ops:oncall': 'pricing-oncall@example.com',
      'ops:tier': 'standard',
    });
    // Before synthesis (no aspects yet), the template carries exactly the explicit tags.
    const w = world();
    const fresh = gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })] });
    expect(fresh.experimentTemplates[0].tags.tagValues()).toEqual({
      'Name': 'freight-quotes-lambda-invocation-errors', 'ops:gameday': 'lambda-invocation-errors', 'ops:service': 'quotes', 'ops:workload': 'freight',
    });
    expect(GameDay.TAG_KEY).toBe('ops:gameday');
  });

  test('the log group: retained, with the workload tier retention (standard: 6 months)', () => {
    const { day, stack } = errorsGameDay();
    const [[id, group]] = resources(stack, 'AWS::Logs::LogGroup').filter(([lid]) => lid === logicalId(day.logGroup));
    expect(id).toBe('FreightQuotesGameDayLogs74302AE3');
    expect(group).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
    expect(group.Properties).toEqual(expect.objectContaining({ RetentionInDays: 180 }));
  });

  test('the experiment role: trusted by FIS for experiments of this account only, allowed its action and log delivery', () => {
    const { day } = errorsGameDay();
    const role = propertiesOf(day.roles[0].node.defaultChild as iam.CfnRole);
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'fis.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':fis:us-east-1:123456789012:experiment/*']] } },
        },
      }],
    });
    expect(role.Description).toBe('Runs game day experiment lambda-invocation-errors of freight/quotes (cdk-operable)');
    expect(inlineStatements(day.roles[0].node.defaultChild as iam.CfnRole).at(-1)).toEqual(LOG_STATEMENT);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  test('logical ids are pinned: log group, and per experiment a role and a template under the experiment name', () => {
    const { day } = errorsGameDay();
    expect([day.logGroup, day.roles[0], day.experimentTemplates[0], day.startRunbook!.document].map((c) => logicalId(c as never))).toEqual([
      'FreightQuotesGameDayLogs74302AE3',
      'FreightQuotesGameDayLambdaInvocationErrorsRole5DB1B26E',
      'FreightQuotesGameDayLambdaInvocationErrorsTemplate8FFF5FB5',
      'FreightQuotesGameDayStartDocumentB04BE86D',
    ]);
  });

  test('exposes the template ids, the start commands and each template by name', () => {
    const { day, stack, quotes } = errorsGameDay();
    expect(stack.resolve(day.experimentTemplateIds)).toEqual([{ Ref: 'FreightQuotesGameDayLambdaInvocationErrorsTemplate8FFF5FB5' }]);
    expect(stack.resolve(day.startCommands)).toEqual([{
      'Fn::Join': ['', ['aws ssm start-automation-execution --document-name freight-quotes-game-day --parameters ExperimentTemplateId=',
        { Ref: 'FreightQuotesGameDayLambdaInvocationErrorsTemplate8FFF5FB5' }]],
    }]);
    expect(day.experimentTemplate('lambda-invocation-errors')).toBe(day.experimentTemplates[0]);
    expect([day.serviceName, day.runbook, day.pageAlarm, day.stopConditions]).toEqual(['quotes', quotes.runbook, quotes.pageAlarm, [quotes.pageAlarm]]);
  });

  test('every experiment gets its own template, role and ops:gameday kind; the log group is shared', () => {
    const w = world();
    const day = gameDay(w, {
      experiments: [
        GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults }),
        GameDayExperiment.lambdaAddedLatency({ configuration: w.faults }),
      ],
    });
    expect(resources(w.stack, 'AWS::FIS::ExperimentTemplate').map(([, r]) => [
      (r.Properties.Tags as Record<string, string>)['ops:gameday'],
      r.Properties.LogConfiguration,
    ])).toEqual([
      ['lambda-invocation-errors', { CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logicalId(day.logGroup), 'Arn'] } }, LogSchemaVersion: 2 }],
      ['lambda-added-latency', { CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logicalId(day.logGroup), 'Arn'] } }, LogSchemaVersion: 2 }],
    ]);
    expect(new Set(day.roles).size).toBe(2);
    expect(resources(w.stack, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('FreightQuotesGameDay'))).toHaveLength(1);
  });
});

describe('GameDay overrides', () => {
  test('stopConditions replace the page composite (up to 5 alarms)', () => {
    const w = world();
    const extra = new cloudwatch.Alarm(w.stack, 'Extra', {
      alarmName: 'freight-orders-errors', metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
    });
    const day = gameDay(w, {
      experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })],
      stopConditions: [w.quotes.pageAlarm, extra],
    });
    const props = propertiesOf(day.experimentTemplates[0]);
    expect(props.StopConditions).toEqual([
      { Source: 'aws:cloudwatch:alarm', Value: PAGE_ARN },
      { Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [logicalId(extra), 'Arn'] } },
    ]);
    expect(props.Description).toContain('Stops when any of freight-quotes-page, freight-orders-errors fires.');
  });

  test('a log group of your own, used as is', () => {
    const w = world();
    const own = new logs.LogGroup(w.stack, 'Own', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    const day = gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults })], logGroup: own });
    expect(day.logGroup).toBe(own);
    expect(day.node.tryFindChild('Logs')).toBeUndefined();
    expect(propertiesOf(day.experimentTemplates[0]).LogConfiguration).toEqual({
      CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logicalId(own), 'Arn'] } }, LogSchemaVersion: 2,
    });
  });

  test('logRetention sets the created log group retention', () => {
    const { day } = errorsGameDay({ logRetention: logs.RetentionDays.TWO_WEEKS });
    expect(propertiesOf(day.logGroup).RetentionInDays).toBe(14);
  });

  test('a role of your own is used as is for every experiment (no role is created)', () => {
    const w = world();
    const own = iam.Role.fromRoleArn(w.stack, 'FisRole', 'arn:aws:iam::123456789012:role/fis');
    const day = gameDay(w, {
      role: own,
      experiments: [
        GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults }),
        GameDayExperiment.lambdaAddedLatency({ configuration: w.faults }),
      ],
    });
    expect(day.roles).toEqual([own, own]);
    expect(resources(w.stack, 'AWS::FIS::ExperimentTemplate').map(([, r]) => r.Properties.RoleArn)).toEqual(['arn:aws:iam::123456789012:role/fis',
      'arn:aws:iam::123456789012:role/fis']);
    expect(resources(w.stack, 'AWS::IAM::Role').filter(([id]) => id.includes('GameDay') && !id.includes('Start'))).toEqual([]);
  });

  test('the game day runbook and an experiment runbook override the service runbook in the description', () => {
    const w = world();
    const day = gameDay(w, {
      runbook: 'freight-quotes-restart',
      experiments: [
        GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults }),
        GameDayExperiment.lambdaAddedLatency({ configuration: w.faults, runbook: 'freight-quotes-scale' }),
      ],
    });
    expect(day.experimentTemplates.map((t) => /Exercises runbook ([^ ]+)\./.exec(propertiesOf(t).Description as string)![1]))
      .toEqual(['freight-quotes-restart', 'freight-quotes-scale']);
  });

  test('an experiment name renames the action, the constructs and the start choice', () => {
    const w = world();
    const day = gameDay(w, { experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, name: 'errors-10pct', percent: 10 })] });
    expect(logicalId(day.experimentTemplates[0])).toMatch(/^FreightQuotesGameDayErrors10pctTemplate/);
    expect(Object.keys(propertiesOf(day.experimentTemplates[0]).Actions as object)).toEqual(['errors-10pct']);
    expect(day.experimentTemplate('errors-10pct')).toBe(day.experimentTemplates[0]);
    expect(propertiesOf(day.experimentTemplates[0]).Tags).toEqual(expect.objectContaining({
      'Name': 'freight-quotes-errors-10pct', 'ops:gameday': 'lambda-invocation-errors',
    }));
  });

  test('a page alarm, service name and runbook of a service that is not an OperableService', () => {
    const w = world();
    const page = new cloudwatch.Alarm(w.stack, 'OrdersPage', {
      alarmName: 'freight-orders-page', metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: 'Faults' }), threshold: 1, evaluationPeriods: 1,
    });
    const day = new GameDay(w.workload, 'OrdersGameDay', {
      pageAlarm: page,
      serviceName: 'orders',
      runbook: 'freight-orders-restart',
      experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, lambdaFunction: w.quotes.lambdaFunction })],
    });
    const props = propertiesOf(day.experimentTemplates[0]);
    expect(props.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [logicalId(page), 'Arn'] } }]);
    expect(props.Description).toBe('Game day lambda-invocation-errors for freight/orders: Make 25% of the invocations of the orders function fail without ' +
      'running its code, for 10 minutes. Exercises runbook freight-orders-restart. Stops when freight-orders-page fires. ' +
      'Start it with the SSM Automation runbook freight-orders-game-day.');
    expect(props.Tags).toEqual(expect.objectContaining({ 'Name': 'freight-orders-lambda-invocation-errors', 'ops:service': 'orders', 'ops:workload': 'freight' }));
  });

  test('the service playbook is the runbook when the service has no runbook', () => {
    const { day, quotes } = errorsGameDay({}, { approvers: false, workload: { runbookBaseUrl: undefined } });
    expect(quotes.runbook).toBeUndefined();
    expect(day.runbook).toBe('freight-quotes-playbook');
    expect(propertiesOf(day.experimentTemplates[0]).Description).toContain('Exercises runbook freight-quotes-playbook.');
  });
});

describe('starting an experiment', () => {
  test('without workload approvers there is no start runbook: a warning names the aws fis command', () => {
    const { day, stack } = errorsGameDay({}, { approvers: false });
    expect(day.startRunbook).toBeUndefined();
    expect(propertiesOf(day.experimentTemplates[0]).Description).toMatch(
      /Start it with: aws fis start-experiment --experiment-template-id <this template's id>\.$/);
    expect(stack.resolve(day.startCommands)).toEqual([{
      'Fn::Join': ['', ['aws fis start-experiment --experiment-template-id ', { Ref: logicalId(day.experimentTemplates[0]) }]],
    }]);
    Annotations.fromStack(stack).hasWarning('/Test/Freight/QuotesGameDay', Match.stringLikeRegexp(
      "the game day has no start runbook \\(the workload has no approvers\\): start an experiment with 'aws fis start-experiment.*" +
      '\\[ack: cdk-operable:gameday-no-start-runbook\\]'));
    expect(resources(stack, 'AWS::SSM::Document').filter(([id]) => id.includes('GameDay'))).toEqual([]);
  });

  test('startRunbook: false turns the runbook off even with approvers; approval none turns it on without them', () => {
    expect(errorsGameDay({ startRunbook: false }).day.startRunbook).toBeUndefined();
    const unattended = errorsGameDay({ approval: RunbookApproval.none('game days run in the staging account only') }, { approvers: false });
    expect(unattended.day.startRunbook?.hasApprovalGate).toBe(false);
    expect(unattended.day.startRunbook?.markdown).toContain('Not gated: game days run in the staging account only');
  });

  test('documentName names the start runbook', () => {
    const { day } = errorsGameDay({ documentName: 'freight-quotes-chaos' });
    expect(day.startRunbook?.documentName).toBe('freight-quotes-chaos');
    expect(propertiesOf(day.experimentTemplates[0]).Description).toMatch(/Start it with the SSM Automation runbook freight-quotes-chaos\.$/);
  });

  test('the wait covers the longest experiment plus 20 minutes', () => {
    const w = world();
    const day = gameDay(w, {
      experiments: [
        GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults, duration: Duration.minutes(30) }),
        GameDayExperiment.lambdaAddedLatency({ configuration: w.faults }),
      ],
    });
    const content = JSON.stringify(propertiesOf(day.startRunbook!.document).Content);
    expect(content).toContain('\\"name\\":\\"WaitForEnd\\",\\"action\\":\\"aws:waitForAwsResourceProperty\\",\\"description\\":' +
      '\\"Wait until the experiment completes, or a stop condition stops it.\\",\\"timeoutSeconds\\":3000');
  });
});
