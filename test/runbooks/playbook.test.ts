import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Playbook, PlaybookProps } from '../../src';
import { freight, quotesMetric, resourcesOf, testStack } from '../support/fixtures';
import { documentContent, FakeAws, logicalIdOf, simulateRunbook } from '../support/runbook-simulation';

const ERRORS_ALARM = 'freight-quotes-errors';
const ERRORS_ALARM_ARN = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${ERRORS_ALARM}`;
const RECENT_ERRORS = 'fields @timestamp, @log, @message | filter @message like /(?i)(error|exception|fail|timeout)/ | sort @timestamp desc | limit 20';
const GUIDE = {
  symptoms: ['quotes pages', 'users see 502s'],
  checks: ['Open the dashboard', 'Look at recent deployments'],
  hypotheses: ['A bad deployment'],
  nextSteps: ['Roll back'],
};
const SIGNALS = {
  traffic: quotesMetric('Requests'),
  errors: quotesMetric('Errors'),
  latency: quotesMetric('Latency', 'Average'),
  saturation: [quotesMetric('QueueDepth', 'Maximum'), quotesMetric('Throttles')],
};

/** A playbook 'InvestigateQuotes' in the freight workload, investigating the imported alarm freight-quotes-errors. */
function playbook(props: Partial<PlaybookProps> = {}) {
  const { app, stack } = testStack();
  const { workload } = freight(stack);
  const errors = cloudwatch.Alarm.fromAlarmArn(stack, 'ErrorsAlarm', ERRORS_ALARM_ARN);
  const quotesLogs = logs.LogGroup.fromLogGroupName(stack, 'QuotesLogs', '/freight/quotes');
  const pb = new Playbook(workload, 'InvestigateQuotes', { ...GUIDE, alarms: [errors], ...props });
  return { app, stack, workload, pb, errors, quotesLogs };
}

type Step = { name: string; action: string; inputs: Record<string, unknown> };
const stepNames = (pb: Playbook) => documentContent(pb).mainSteps.map((s) => s.name);
const stepOf = (pb: Playbook, name: string) => documentContent(pb).mainSteps.find((s) => s.name === name) as Step;
const metric = (name: string, stat: string, dimensions = [{ Name: 'Service', Value: 'quotes' }]) =>
  ({ Metric: { Namespace: 'Freight', MetricName: name, Dimensions: dimensions }, Period: 300, Stat: stat });

describe('Playbook document', () => {
  test('with signals and log groups: window, history, signals, the log query with its branch, and two summaries', () => {
    const { workload, errors, quotesLogs } = playbook();
    const withLogs = new Playbook(workload, 'WithLogs', { ...GUIDE, alarms: [errors], signals: SIGNALS, logGroups: [quotesLogs] });
    const content = documentContent(withLogs);
    expect(content.mainSteps.map((st) => [st.name, st.action])).toEqual([
      ['Window', 'aws:executeScript'],
      ['AlarmHistory', 'aws:executeAwsApi'],
      ['GoldenSignals', 'aws:executeAwsApi'],
      ['StartLogQuery', 'aws:executeAwsApi'],
      ['WaitForLogQuery', 'aws:waitForAwsResourceProperty'],
      ['LogResults', 'aws:executeAwsApi'],
      ['AnyRecords', 'aws:branch'],
      ['LatestRecord', 'aws:executeAwsApi'],
      ['Summarize', 'aws:executeScript'],
      ['SummarizeWithoutRecords', 'aws:executeScript'],
    ]);
    expect(content.outputs).toEqual(['Summarize.Summary', 'SummarizeWithoutRecords.Summary']);
    expect(stepOf(withLogs, 'AnyRecords').inputs).toEqual({
      Choices: [
        { NextStep: 'SummarizeWithoutRecords', Variable: '{{ LogResults.Matches }}', StringEquals: '0' },
        { NextStep: 'SummarizeWithoutRecords', Variable: '{{ LogResults.Matches }}', StringEquals: '0.0' },
      ],
      Default: 'LatestRecord',
    });
  });

  test('signals without log groups (an empty list counts as none): no log steps, one summary', () => {
    const { pb } = playbook({ signals: SIGNALS, logGroups: [] });
    expect(stepNames(pb)).toEqual(['Window', 'AlarmHistory', 'GoldenSignals', 'Summarize']);
    expect(documentContent(pb).outputs).toEqual(['Summarize.Summary']);
  });

  test('without signals or log groups: only the window, the alarm history and the summary', () => {
    const { pb } = playbook();
    expect(stepNames(pb)).toEqual(['Window', 'AlarmHistory', 'Summarize']);
    expect(documentContent(pb).outputs).toEqual(['Summarize.Summary']);
    expect(stepOf(pb, 'AlarmHistory').inputs).toEqual({
      Service: 'cloudwatch',
      Api: 'DescribeAlarmHistory',
      AlarmName: '{{ AlarmName }}',
      AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: '{{ Window.Start }}',
      EndDate: '{{ Window.End }}',
      MaxRecords: 20,
    });
  });

  test('GetMetricData queries: traffic, errors, latency read as p99, one per saturation metric', () => {
    const { pb } = playbook({ signals: SIGNALS });
    const inputs = stepOf(pb, 'GoldenSignals').inputs;
    expect(inputs).toMatchObject({
      Service: 'cloudwatch',
      Api: 'GetMetricData',
      StartTime: '{{ Window.Start }}',
      EndTime: '{{ Window.End }}',
      ScanBy: 'TimestampDescending',
    });
    expect(inputs.MetricDataQueries).toEqual([
      { Id: 'traffic', Label: 'Traffic', MetricStat: metric('Requests', 'Sum'), ReturnData: true },
      { Id: 'errors', Label: 'Errors', MetricStat: metric('Errors', 'Sum'), ReturnData: true },
      { Id: 'latency', Label: 'Latency p99', MetricStat: metric('Latency', 'p99'), ReturnData: true },
      { Id: 'saturation0', Label: 'Saturation 1', MetricStat: metric('QueueDepth', 'Maximum'), ReturnData: true },
      { Id: 'saturation1', Label: 'Saturation 2', MetricStat: metric('Throttles', 'Sum'), ReturnData: true },
    ]);
  });

  test("a metric's own period is kept; no latency and no saturation: just traffic and errors", () => {
    const traffic = new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName: 'Invocations',
      dimensionsMap: { FunctionName: 'quotes' },
      statistic: 'Sum',
      period: Duration.minutes(1),
    });
    const { pb } = playbook({ signals: { traffic, errors: quotesMetric('Errors') } });
    expect((stepOf(pb, 'GoldenSignals').inputs.MetricDataQueries as Array<Record<string, unknown>>).map((q) => [q.Id, q.MetricStat])).toEqual([
      ['traffic', {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'quotes' }] },
        Period: 60,
        Stat: 'Sum',
      }],
      ['errors', metric('Errors', 'Sum')],
    ]);
  });

  test('StartQuery over the log groups (names) with the recent-errors query by default, or logQuery', () => {
    const { stack, workload, errors, quotesLogs } = playbook();
    const other = logs.LogGroup.fromLogGroupName(stack, 'PricingLogs', '/freight/pricing');
    const byDefault = new Playbook(workload, 'ByDefault', { ...GUIDE, alarms: [errors], logGroups: [quotesLogs, other] });
    const query = 'fields @timestamp, @message\n| filter level = "ERROR"\n| limit 5';
    const custom = new Playbook(workload, 'Custom', { ...GUIDE, alarms: [errors], logGroups: [quotesLogs], logQuery: query });
    expect(stepOf(byDefault, 'StartLogQuery').inputs).toEqual({
      Service: 'logs',
      Api: 'StartQuery',
      logGroupNames: ['/freight/quotes', '/freight/pricing'],
      startTime: '{{ Window.StartEpoch }}',
      endTime: '{{ Window.EndEpoch }}',
      queryString: RECENT_ERRORS,
    });
    expect(stepOf(custom, 'StartLogQuery').inputs.queryString).toBe(query);
    expect(custom.markdown).toContain('- Logs Insights on 1 log group(s): `fields @timestamp, @message | filter level = "ERROR" | limit 5`.\n');
    expect(stepOf(custom, 'WaitForLogQuery').inputs).toEqual({
      Service: 'logs',
      Api: 'GetQueryResults',
      queryId: '{{ StartLogQuery.QueryId }}',
      PropertySelector: '$.status',
      DesiredValues: ['Complete', 'Failed', 'Cancelled', 'Timeout'],
    });
  });

  test('parameters: AlarmName limited to the alarms (addAlarm adds more, once), LookbackMinutes 60 by default', () => {
    const { pb, stack } = playbook();
    const ticket = cloudwatch.Alarm.fromAlarmArn(stack, 'TicketAlarm', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:freight-quotes-ticket');
    pb.addAlarm(ticket);
    pb.addAlarm(ticket);
    expect(documentContent(pb).parameters).toEqual({
      AlarmName: { type: 'String', description: 'The alarm to investigate.', allowedValues: [ERRORS_ALARM, 'freight-quotes-ticket'] },
      LookbackMinutes: { type: 'Integer', description: 'How many minutes back to look.', default: 60 },
    });
  });

  test('an alarm created in the stack is named by reference; lookback sets the LookbackMinutes default', () => {
    const { pb, stack } = playbook({ lookback: Duration.hours(2) });
    const created = new cloudwatch.Alarm(stack, 'Latency', { metric: quotesMetric('Latency'), threshold: 1, evaluationPeriods: 1 });
    pb.addAlarm(created);
    const parameters = documentContent(pb).parameters!;
    expect(parameters.AlarmName.allowedValues).toEqual([ERRORS_ALARM, logicalIdOf(created)]);
    expect(parameters.LookbackMinutes.default).toBe(120);
    expect(pb.markdown).toContain("- The alarm's state changes over the last 2 hours (`cloudwatch:DescribeAlarmHistory`).\n");
  });

  test('Markdown: symptoms, numbered checks, hypotheses, next steps, what it gathers, and no approval needed', () => {
    const { pb } = playbook({ signals: SIGNALS, title: 'Investigate quotes' });
    expect(pb.markdown).toBe([
      '# Investigate quotes\n\nPlaybook: find out what is wrong. Run it with the firing alarm as AlarmName and read the Summary output first.\n\n',
      '## Symptoms\n\n- quotes pages\n- users see 502s\n\n',
      '## What to check first\n\n1. Open the dashboard\n2. Look at recent deployments\n\n',
      '## Hypotheses\n\n- A bad deployment\n\n',
      '## Next steps\n\n- Roll back\n\n',
      "## What the automation gathers\n\n- The alarm's state changes over the last 1 hour (`cloudwatch:DescribeAlarmHistory`).\n",
      '- Golden signals: Traffic, Errors, Latency p99, Saturation 1, Saturation 2 (`cloudwatch:GetMetricData`).\n\n',
      '## Approval\n\nNot needed: it only reads.\n\n',
      '## Steps\n\n1. **Window**: aws:executeScript — Work out the time window.\n',
      "2. **AlarmHistory**: aws:executeAwsApi cloudwatch:DescribeAlarmHistory — Read the alarm's state changes.\n",
      '3. **GoldenSignals**: aws:executeAwsApi cloudwatch:GetMetricData — Fetch the golden signals.\n',
      '4. **Summarize**: aws:executeScript — Summarize what was found.\n',
    ].join(''));
    expect(documentContent(pb).description).toBe(pb.markdown);
  });

  test('read-only: no approval gate, changes nothing, and the document is an Automation document named after the workload', () => {
    const { pb, stack } = playbook({ signals: SIGNALS, logGroups: [] });
    expect(pb.changesState).toBe(false);
    expect(pb.hasApprovalGate).toBe(false);
    expect(pb.steps.some((s) => s.action === 'aws:approve')).toBe(false);
    expect(pb.documentName).toBe('freight-investigate-quotes');
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', {
      Name: 'freight-investigate-quotes', DocumentType: 'Automation', DocumentFormat: 'JSON', UpdateMethod: 'NewVersion',
    });
  });

  test('the default title is `Investigate <document name>`', () => {
    expect(playbook().pb.markdown.split('\n')[0]).toBe('# Investigate freight-investigate-quotes');
  });

  test('the alarm history covers composite alarms too (AlarmTypes)', () => {
    expect(stepOf(playbook().pb, 'AlarmHistory').inputs.AlarmTypes).toEqual(['CompositeAlarm', 'MetricAlarm']);
  });
});

describe('Playbook role', () => {
  /** The inline statements of the playbook's generated role. */
  function statementsOf(stack: Stack, pb: Playbook): unknown[] {
    const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    const roleId = logicalIdOf(pb.role as iam.Role);
    const attached = resourcesOf(json, 'AWS::IAM::Policy').filter(([, r]) => JSON.stringify(r.Properties!.Roles).includes(`"${roleId}"`));
    expect(attached).toEqual([]);
    const role = json.Resources[roleId].Properties!;
    expect(role.ManagedPolicyArns).toBeUndefined();
    const policies = role.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: unknown[] } }>;
    expect(policies.map((p) => p.PolicyName)).toEqual(['Runbook']);
    return policies[0].PolicyDocument.Statement;
  }

  test('exactly: alarm history on the alarms, GetMetricData on *, StartQuery and GetQueryResults on the log groups', () => {
    const { stack, workload, errors } = playbook();
    const created = new cloudwatch.Alarm(stack, 'Latency', { metric: quotesMetric('Latency'), threshold: 1, evaluationPeriods: 1 });
    const group = new logs.LogGroup(stack, 'Logs');
    const other = logs.LogGroup.fromLogGroupName(stack, 'PricingLogs', '/freight/pricing');
    const pb = new Playbook(workload, 'Full', { ...GUIDE, alarms: [errors], signals: SIGNALS, logGroups: [group, other] });
    pb.addAlarm(created);
    expect(statementsOf(stack, pb)).toEqual([
      { Action: 'cloudwatch:DescribeAlarmHistory', Effect: 'Allow', Resource: [ERRORS_ALARM_ARN, { 'Fn::GetAtt': [logicalIdOf(created), 'Arn'] }] },
      { Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' },
      {
        Action: ['logs:GetQueryResults', 'logs:StartQuery'],
        Effect: 'Allow',
        Resource: [{ 'Fn::GetAtt': [logicalIdOf(group), 'Arn'] }, stack.resolve(other.logGroupArn)],
      },
    ]);
  });

  test('without signals or logs: only the alarm history', () => {
    const { stack, pb } = playbook();
    expect(statementsOf(stack, pb)).toEqual([{ Action: 'cloudwatch:DescribeAlarmHistory', Effect: 'Allow', Resource: [ERRORS_ALARM_ARN] }]);
  });

  test('a composite alarm: DescribeAlarmHistory on * (CloudWatch requires it for composite alarms)', () => {
    const { stack, pb } = playbook();
    pb.addAlarm(new cloudwatch.CompositeAlarm(stack, 'Page', {
      alarmRule: cloudwatch.AlarmRule.fromAlarm(
        cloudwatch.Alarm.fromAlarmArn(stack, 'A', ERRORS_ALARM_ARN), cloudwatch.AlarmState.ALARM),
    }));
    expect(statementsOf(stack, pb)).toEqual([{ Action: 'cloudwatch:DescribeAlarmHistory', Effect: 'Allow', Resource: ['*'] }]);
  });
});

describe('Playbook simulation', () => {
  const history = {
    AlarmHistoryItems: [
      { Timestamp: '2025-03-01T10:05:00Z', HistorySummary: 'Alarm updated from OK to ALARM' },
      { Timestamp: '2025-03-01T09:40:00Z', HistorySummary: 'Alarm updated from ALARM to OK' },
    ],
  };
  const signals = {
    MetricDataResults: [
      { Id: 'traffic', Label: 'Traffic', Values: [120, 80, 300.5] },
      { Id: 'errors', Label: 'Errors', Values: [] },
    ],
  };
  const complete = (matched: number | string, results: unknown[]) => ({ status: 'Complete', statistics: { recordsMatched: matched }, results });
  const record = [{ field: '@timestamp', value: '2025-03-01 10:04:59.000' }, { field: '@message', value: 'Timeout calling pricing' },
    { field: '@ptr', value: 'CmAKJgoi' }];

  function aws(): FakeAws {
    return new FakeAws()
      .when('cloudwatch', 'DescribeAlarmHistory', undefined, history)
      .when('cloudwatch', 'GetMetricData', undefined, signals)
      .when('logs', 'StartQuery', undefined, { queryId: 'q-1' });
  }
  const twoSignals = () => ({ traffic: quotesMetric('Requests'), errors: quotesMetric('Errors') });
  const withLogs = () => {
    const s = playbook();
    return new Playbook(s.workload, 'WithLogs', { ...GUIDE, alarms: [s.errors], signals: twoSignals(), logGroups: [s.quotesLogs] });
  };

  test('records matched: waits for the query, reads the latest record, and summarizes in a few lines', () => {
    const fake = aws().when('logs', 'GetQueryResults', undefined, { status: 'Running' }, complete(2, [record]));
    const run = simulateRunbook(withLogs(), { aws: fake, inputs: { AlarmName: ERRORS_ALARM } });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['Window', 'AlarmHistory', 'GoldenSignals', 'StartLogQuery', 'WaitForLogQuery', 'LogResults', 'AnyRecords',
      'LatestRecord', 'Summarize']);
    expect(run.outputs['Summarize.Summary']).toBe([
      'Alarm freight-quotes-errors: 2 state change(s) in the last 60 min; latest 2025-03-01T10:05:00Z: Alarm updated from OK to ALARM.',
      'Traffic: latest 120, min 80, max 300.5 (3 points).',
      'Errors: no data.',
      'Logs: 2 matching record(s); latest: @timestamp=2025-03-01 10:04:59.000, @message=Timeout calling pricing.',
    ].join('\n'));
    expect(fake.callsTo('cloudwatch', 'DescribeAlarmHistory')).toEqual([{
      AlarmName: ERRORS_ALARM,
      AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: run.outputs['Window.Start'],
      EndDate: run.outputs['Window.End'],
      MaxRecords: 20,
    }]);
    expect(fake.callsTo('logs', 'StartQuery')).toEqual([{
      logGroupNames: ['/freight/quotes'],
      startTime: run.outputs['Window.StartEpoch'],
      endTime: run.outputs['Window.EndEpoch'],
      queryString: RECENT_ERRORS,
    }]);
    expect(fake.callsTo('logs', 'GetQueryResults')).toHaveLength(4);
    expect(fake.callsTo('logs', 'GetQueryResults')[0]).toEqual({ queryId: 'q-1' });
  });

  test.each([[0], ['0.0']])('no record matched (%p): SummarizeWithoutRecords runs, LatestRecord does not', (matched) => {
    const fake = aws().when('logs', 'GetQueryResults', undefined, complete(matched, []));
    const run = simulateRunbook(withLogs(), { aws: fake, inputs: { AlarmName: ERRORS_ALARM } });
    expect(run.status).toBe('Success');
    expect(run.steps.slice(-3)).toEqual(['LogResults', 'AnyRecords', 'SummarizeWithoutRecords']);
    expect(run.outputs['Summarize.Summary']).toBeUndefined();
    expect(run.outputs['SummarizeWithoutRecords.Summary']).toBe([
      'Alarm freight-quotes-errors: 2 state change(s) in the last 60 min; latest 2025-03-01T10:05:00Z: Alarm updated from OK to ALARM.',
      'Traffic: latest 120, min 80, max 300.5 (3 points).',
      'Errors: no data.',
      `Logs: ${matched} matching record(s).`,
    ].join('\n'));
  });

  test('without log groups: no Logs call; LookbackMinutes sets the window', () => {
    const fake = aws().when('cloudwatch', 'DescribeAlarmHistory', undefined, { AlarmHistoryItems: [] });
    const run = simulateRunbook(playbook({ signals: twoSignals() }).pb,
      { aws: fake, inputs: { AlarmName: ERRORS_ALARM, LookbackMinutes: 15 } });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['Window', 'AlarmHistory', 'GoldenSignals', 'Summarize']);
    expect(fake.calls.map((c) => `${c.service}:${c.api}`)).toEqual(['cloudwatch:DescribeAlarmHistory', 'cloudwatch:GetMetricData']);
    const { 'Window.Start': start, 'Window.End': end, 'Window.StartEpoch': startEpoch, 'Window.EndEpoch': endEpoch } = run.outputs;
    expect(Date.parse(end as string) - Date.parse(start as string)).toBe(15 * 60 * 1000);
    expect((endEpoch as number) - (startEpoch as number)).toBe(15 * 60);
    expect(run.outputs['Summarize.Summary']).toBe([
      'Alarm freight-quotes-errors: 0 state change(s) in the last 15 min.',
      'Traffic: latest 120, min 80, max 300.5 (3 points).',
      'Errors: no data.',
    ].join('\n'));
  });

  test('GetMetricData fails: the run fails at GoldenSignals and starts no log query', () => {
    const fake = aws().fails('cloudwatch', 'GetMetricData', 'Rate exceeded');
    const run = simulateRunbook(withLogs(), { aws: fake, inputs: { AlarmName: ERRORS_ALARM } });
    expect(run.status).toBe('Failed');
    expect(run.steps[run.steps.length - 1]).toBe('GoldenSignals');
    expect(run.error).toContain('Rate exceeded');
    expect(fake.callsTo('logs', 'StartQuery')).toEqual([]);
    expect(run.outputs['Summarize.Summary']).toBeUndefined();
  });

  test('a query that never finishes: the run fails at WaitForLogQuery', () => {
    const fake = aws().when('logs', 'GetQueryResults', undefined, { status: 'Running' });
    const run = simulateRunbook(withLogs(), { aws: fake, inputs: { AlarmName: ERRORS_ALARM }, waitTimeoutSeconds: 1 });
    expect(run.status).toBe('Failed');
    expect(run.steps[run.steps.length - 1]).toBe('WaitForLogQuery');
  });
});

describe('Playbook errors', () => {
  test.each(['symptoms', 'checks', 'hypotheses', 'nextSteps'])('empty %s', (what) => {
    expect(() => playbook({ [what]: [] })).toThrow(
      `[Test/Freight/InvestigateQuotes] ${what} is empty: a playbook guides the investigation, give at least one.`);
  });

  const range = 'Give 5 minutes to 7 days in whole minutes (LookbackMinutes), e.g. Duration.hours(1).';
  test.each([
    [Duration.minutes(4), 'a whole number of minutes, at least 5 minutes and at most 7 days, got Duration 4 minutes'],
    [Duration.days(7).plus(Duration.minutes(1)), 'a whole number of minutes, at least 5 minutes and at most 7 days, got Duration 7 days 1 minute'],
    [Duration.days(8), 'a whole number of minutes, at least 5 minutes and at most 7 days, got Duration 8 days'],
  ])('lookback %s is out of range', (lookback, problem) => {
    expect(() => playbook({ lookback })).toThrow(`[Test/Freight/InvestigateQuotes] lookback must be ${problem}. ${range}`);
  });

  test('lookback 5 minutes and 7 days are fine', () => {
    expect(documentContent(playbook({ lookback: Duration.minutes(5) }).pb).parameters!.LookbackMinutes.default).toBe(5);
    expect(documentContent(playbook({ lookback: Duration.days(7) }).pb).parameters!.LookbackMinutes.default).toBe(10080);
  });

  test('a lookback that is not whole minutes (LookbackMinutes would round it) fails, naming the playbook and the prop', () => {
    expect(() => playbook({ lookback: Duration.seconds(30) })).toThrow(
      `[Test/Freight/InvestigateQuotes] lookback must be a whole number of minutes, at least 5 minutes and at most 7 days, got Duration 30 seconds. ${range}`);
    expect(() => playbook({ lookback: Duration.seconds(330) })).toThrow(
      `[Test/Freight/InvestigateQuotes] lookback must be a whole number of minutes, at least 5 minutes and at most 7 days, got Duration 5 minutes 30 seconds. ${range}`);
  });

  test('a math-expression signal: plain metrics only', () => {
    const errors = new cloudwatch.MathExpression({ expression: 'e1 + e2', usingMetrics: { e1: quotesMetric('Errors'), e2: quotesMetric('Faults') } });
    expect(() => playbook({ signals: { traffic: quotesMetric('Requests'), errors } })).toThrow(
      '[Test/Freight/InvestigateQuotes] signals.errors (Errors) is a math expression: give a plain metric (GetMetricData reads each one).');
    const saturation = [quotesMetric('QueueDepth'), new cloudwatch.MathExpression({ expression: 'm1 * 2', usingMetrics: { m1: quotesMetric('Q') } })];
    expect(() => playbook({ signals: { traffic: quotesMetric('Requests'), errors: quotesMetric('Errors'), saturation } })).toThrow(
      /\[Test\/Freight\/InvestigateQuotes\] signals\.saturation\[1\] \(Saturation 2\) is a math expression/);
  });

  test('no alarm at synth: a validation error; addAlarm before synth fixes it', () => {
    const { app, workload } = playbook();
    new Playbook(workload, 'Lonely', GUIDE);
    expect(() => app.synth()).toThrow(/\[Test\/Freight\/Lonely\] Playbook Test\/Freight\/Lonely investigates no alarm: pass alarms or call addAlarm\(\)\./);
    const fixed = testStack();
    const late = new Playbook(freight(fixed.stack).workload, 'Late', GUIDE);
    late.addAlarm(cloudwatch.Alarm.fromAlarmArn(fixed.stack, 'ErrorsAlarm', ERRORS_ALARM_ARN));
    expect(() => fixed.app.synth()).not.toThrow();
  });
});
