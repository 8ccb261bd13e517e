import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OperableFunction, ServiceLevelObjective, ServiceLevelObjectiveProps, Sli } from '../../src';
import { freight, quotesMetric, testStack } from '../support/fixtures';
import { documentContent, FakeAws, simulateRunbook } from '../support/runbook-simulation';

/** A standalone SLO of service quotes in a workload without a runbook base URL. */
function standalone(props: Partial<ServiceLevelObjectiveProps> = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack, { runbookBaseUrl: undefined });
  const slo = new ServiceLevelObjective(workload, 'Availability', {
    serviceName: 'quotes', sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }), ...props,
  });
  return { stack, slo };
}

describe('an SLO that pages on its own and names no runbook generates an investigation playbook', () => {
  const { stack, slo } = standalone();
  const content = documentContent(slo.playbookDocument!);

  test('named <workload>-<service>-<slo>-playbook, investigating its two composites and six window alarms', () => {
    expect(slo.playbookDocument!.documentName).toBe('freight-quotes-availability-playbook');
    const logicalIds = [slo.pageAlarm, slo.ticketAlarm!, ...slo.windowAlarms].map((a) => Stack.of(a).getLogicalId(a.node.defaultChild as never));
    expect(content.parameters!.AlarmName.allowedValues).toEqual(logicalIds);
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Document', 1);
  });

  test("it fetches the SLI's metrics, labelled", () => {
    const signals = content.mainSteps.find((s) => s.name === 'GoldenSignals')!;
    type Query = { Id: string; Label: string; MetricStat: { Metric: { MetricName: string }; Stat: string } };
    const queries = signals.inputs.MetricDataQueries as Query[];
    expect(queries.map((q) => [q.Id, q.Label, q.MetricStat.Metric.MetricName, q.MetricStat.Stat])).toEqual([
      ['metric0', 'Total events', 'Requests', 'Sum'],
      ['metric1', 'Bad events', 'Errors', 'Sum'],
    ]);
    expect(content.mainSteps.map((s) => s.name)).toEqual(['Window', 'AlarmHistory', 'GoldenSignals', 'Summarize']);
  });

  test('its summary reads the bad and total events of the last hour', () => {
    const aws = new FakeAws()
      .when('cloudwatch', 'DescribeAlarmHistory', undefined, { AlarmHistoryItems: [{ Timestamp: '2026-11-24T06:58:00Z', HistorySummary: 'Alarm updated from OK to ALARM' }] })
      .when('cloudwatch', 'GetMetricData', undefined, { MetricDataResults: [{ Label: 'Total events', Values: [600, 590] }, { Label: 'Bad events', Values: [120, 3] }] });
    const alarm = content.parameters!.AlarmName.allowedValues![0] as string;
    const run = simulateRunbook(slo.playbookDocument!, { aws, inputs: { AlarmName: alarm } });
    expect(run.status).toBe('Success');
    expect(run.outputs['Summarize.Summary']).toBe([
      `Alarm ${alarm}: 1 state change(s) in the last 60 min; latest 2026-11-24T06:58:00Z: Alarm updated from OK to ALARM.`,
      'Total events: latest 600, min 590, max 600 (2 points).',
      'Bad events: latest 120, min 3, max 120 (2 points).',
    ].join('\n'));
  });
});

describe('when the SLO gets no playbook', () => {
  test('a runbook URL is named instead', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const slo = new ServiceLevelObjective(workload, 'Availability', { serviceName: 'quotes', sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }) });
    expect(slo.playbookDocument).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Document', 0);
  });

  test('a latency SLI contributes p99 and the request count', () => {
    const { slo } = standalone({ sli: Sli.latency({ metric: quotesMetric('Latency'), threshold: Duration.millis(300), unit: cloudwatch.Unit.MILLISECONDS }) });
    const queries = documentContent(slo.playbookDocument!).mainSteps.find((s) => s.name === 'GoldenSignals')!.inputs.MetricDataQueries as
      Array<{ Label: string; MetricStat: { Stat: string } }>;
    expect(queries.map((q) => [q.Label, q.MetricStat.Stat])).toEqual([['Latency p99', 'p99'], ['Requests', 'SampleCount']]);
  });

  test('generatePlaybook on an SLO inside a service, or with a playbook, is an error', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const fn = new OperableFunction(workload, 'Quotes', {
      functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') },
    });
    expect(() => fn.addSlo('Extra', { sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }), generatePlaybook: true } as never))
      .toThrow("[Test/Freight/Quotes/Extra] generatePlaybook is set, but this SLO pages through its service's composites: set generatePlaybook on the service.");
    expect(() => standalone({ generatePlaybook: true, playbook: 'https://wiki.example.com/quotes' }))
      .toThrow("[Test/Freight/Availability] playbook is 'https://wiki.example.com/quotes' and generatePlaybook is true: give playbook (one defined elsewhere) or generatePlaybook, not both.");
  });
});
