import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DASHBOARD_URL, functionProps, logicalIdOf, metricsOf, ORR_TAGS, orrTagsWithRunbook, Resource, setup, synthesized } from './function-fixtures';
import { OperableFunction } from '../../src';
import { freight, testStack } from '../support/fixtures';

interface Widget {
  type: string;
  width: number;
  height: number;
  properties: { title?: string; markdown?: string; metrics?: unknown[][]; alarms?: string[]; query?: string };
}

/** The widgets of a dashboard resource, whose body is one Fn::Sub string of JSON. */
function widgetsOf(dashboard: Resource): Widget[] {
  const body = dashboard.Properties!.DashboardBody as { 'Fn::Sub': string };
  expect(typeof body['Fn::Sub']).toBe('string');
  return (JSON.parse(body['Fn::Sub']) as { widgets: Widget[] }).widgets;
}

function dashboardNamed(s: ReturnType<typeof setup>, name: string): Resource | undefined {
  return s.of('AWS::CloudWatch::Dashboard').find(([, r]) => r.Properties!.DashboardName === name)?.[1];
}

const RECENT_ERRORS = [
  'fields @timestamp, @log, level, message, requestId',
  '| filter level = "ERROR" or level = "FATAL" or @message like /(?i)error/',
  '| sort @timestamp desc',
  '| limit 100',
].join('\n');

describe('the service dashboard', () => {
  const s = setup();
  const fnId = logicalIdOf(s.fn.lambdaFunction);
  const widgets = widgetsOf(dashboardNamed(s, 'freight-quotes')!);

  test("one dashboard 'freight-quotes' for the service (besides the workload overview)", () => {
    expect(s.of('AWS::CloudWatch::Dashboard').map(([, r]) => r.Properties!.DashboardName)).toEqual(['freight-quotes', 'freight-overview']);
    expect(s.fn.dashboard!.dashboardName).toBe('freight-quotes');
    expect(s.fn.dashboard!.dashboardUrl).toBe(DASHBOARD_URL);
  });

  test('widgets: header, the four golden signals, three per SLO, alarm status, recent errors', () => {
    expect(widgets.map((w) => [w.type, w.properties.title])).toEqual([
      ['text', undefined],
      ['metric', 'Traffic'],
      ['metric', 'Errors'],
      ['metric', 'Latency'],
      ['metric', 'Saturation'],
      ['metric', 'quotes / availability: SLI vs 99.9% objective'],
      ['metric', 'quotes / availability: burn rate per alarm window'],
      ['metric', 'quotes / availability: error budget burn-down (30 days)'],
      ['metric', 'quotes / latency: SLI vs 99% objective'],
      ['metric', 'quotes / latency: burn rate per alarm window'],
      ['metric', 'quotes / latency: error budget burn-down (30 days)'],
      ['alarm', 'quotes: alarms'],
      ['log', 'quotes: recent errors'],
    ]);
  });

  test('the header names owner, on-call, tier, runbook and the SLOs', () => {
    expect(widgets[0].properties.markdown).toBe([
      '# quotes (freight)',
      '**Owner** pricing · **On-call** pricing-oncall@example.com · **Tier** standard',
      '[Runbook](https://runbooks.example.com/freight/quotes) · **Playbook** none',
      '**SLOs** availability 99.9% · latency 99%',
    ].join('\n\n'));
  });

  test('golden signals graph the alias (traffic, errors) and the function and alias (saturation)', () => {
    const alias = ['FunctionName', `\${${fnId}}`, 'Resource', `\${${fnId}}:live`];
    expect(widgets[1].properties.metrics).toEqual([['AWS/Lambda', 'Invocations', ...alias, { stat: 'Sum' }]]);
    expect(widgets[2].properties.metrics).toEqual([['AWS/Lambda', 'Errors', ...alias, { stat: 'Sum' }]]);
    expect(widgets[3].properties.metrics!.map((m) => (m[m.length - 1] as { stat: string }).stat)).toEqual(['p50', 'p90', 'p99']);
    expect(widgets[3].properties.metrics![0].slice(0, 6)).toEqual(['AWS/Lambda', 'Duration', ...alias]);
    expect(widgets[4].properties.metrics).toEqual([
      ['AWS/Lambda', 'ConcurrentExecutions', 'FunctionName', `\${${fnId}}`, { stat: 'Maximum' }],
      ['AWS/Lambda', 'Throttles', ...alias, { stat: 'Sum' }],
    ]);
  });

  test('the alarm status widget shows what notifies and the operational alarms', () => {
    const saturation = s.fn.node.findChild('Saturation');
    expect(widgets[11].properties.alarms).toEqual([
      `\${${logicalIdOf(s.fn.pageAlarm)}.Arn}`,
      `\${${logicalIdOf(s.fn.ticketAlarm)}.Arn}`,
      `\${${logicalIdOf(saturation)}.Arn}`,
    ]);
  });

  test("the log widget runs the recent-errors query over the function's log group", () => {
    expect(widgets[12].properties.query).toBe(`SOURCE '\${${logicalIdOf(s.fn.logGroup)}}' | ${RECENT_ERRORS}`);
  });
});

describe('dashboard overrides', () => {
  test('dashboard: false creates no service dashboard; alarm footers then link none', () => {
    const s = setup({ dashboard: false });
    expect(s.of('AWS::CloudWatch::Dashboard').map(([, r]) => r.Properties!.DashboardName)).toEqual(['freight-overview']);
    expect(s.fn.dashboard).toBeUndefined();
    expect(s.alarm('freight-quotes-page').AlarmDescription).toMatch(/ \| Dashboard: none$/);
  });

  test('dashboardName names the dashboard and the footer link', () => {
    const s = setup({ dashboardName: 'quotes-ops' });
    expect(dashboardNamed(s, 'quotes-ops')).toBeDefined();
    expect(dashboardNamed(s, 'freight-quotes')).toBeUndefined();
    expect(s.alarm('freight-quotes-ticket').AlarmDescription).toMatch(
      / \| Dashboard: https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home#dashboards:name=quotes-ops$/);
  });
});

describe('saved Logs Insights queries', () => {
  test("three per workload, over the function's log group", () => {
    const s = setup();
    const logGroup = { Ref: logicalIdOf(s.fn.logGroup) };
    expect(s.of('AWS::Logs::QueryDefinition').map(([, r]) => r.Properties)).toEqual([
      { Name: 'freight/lambda/recent-errors', QueryString: RECENT_ERRORS, LogGroupNames: [logGroup] },
      {
        Name: 'freight/lambda/slowest-requests',
        QueryString: 'filter type = "platform.report"\n' +
          '| fields @timestamp, @log, record.requestId, record.metrics.durationMs, record.metrics.maxMemoryUsedMB\n' +
          '| sort record.metrics.durationMs desc\n| limit 25',
        LogGroupNames: [logGroup],
      },
      {
        Name: 'freight/lambda/cold-starts',
        QueryString: 'filter type = "platform.report" and ispresent(record.metrics.initDurationMs)\n' +
          '| stats count(*) as coldStarts, avg(record.metrics.initDurationMs) as avgInitMs, max(record.metrics.initDurationMs) as maxInitMs by bin(1h)',
        LogGroupNames: [logGroup],
      },
    ]);
  });

  test('two functions: still three queries, each over both log groups', () => {
    const { stack } = testStack();
    const { workload, pages, tickets } = freight(stack);
    const quotes = new OperableFunction(workload, 'Quotes', { functionProps: functionProps() });
    const rates = new OperableFunction(workload, 'Rates', { functionProps: functionProps() });
    const s = synthesized(stack, workload, pages, tickets);
    const queries = s.of('AWS::Logs::QueryDefinition');
    expect(queries.map(([, r]) => r.Properties!.Name)).toEqual([
      'freight/lambda/recent-errors', 'freight/lambda/slowest-requests', 'freight/lambda/cold-starts',
    ]);
    for (const [, r] of queries) {
      expect(r.Properties!.LogGroupNames).toEqual([{ Ref: logicalIdOf(quotes.logGroup) }, { Ref: logicalIdOf(rates.logGroup) }]);
    }
  });
});

describe('ORR tags', () => {
  const s = setup();

  test('the function, its role, log group, deployment group, alarms and composites carry the ownership tags', () => {
    const tagsOf = (id: string) => s.resources[id].Properties!.Tags;
    const fn = s.fn.lambdaFunction as lambda.Function;
    expect(tagsOf(logicalIdOf(fn))).toEqual(ORR_TAGS);
    expect(tagsOf(logicalIdOf(fn.role!))).toEqual(ORR_TAGS);
    expect(tagsOf(logicalIdOf(s.fn.logGroup))).toEqual(ORR_TAGS);
    expect(tagsOf(logicalIdOf(s.fn.deploymentGroup!))).toEqual(ORR_TAGS);
    expect(s.alarm('freight-quotes-availability-burn6x-30m').Tags).toEqual(orrTagsWithRunbook());
    expect(s.alarm('freight-quotes-saturation').Tags).toEqual(orrTagsWithRunbook());
    expect(s.alarm('freight-quotes-page').Tags).toEqual(orrTagsWithRunbook());
    expect(s.alarm('freight-quotes-ticket').Tags).toEqual(orrTagsWithRunbook());
  });

  test('every taggable resource of the service carries ops:service=quotes', () => {
    const prefix = 'FreightQuotes';
    const tagged = Object.entries(s.resources).filter(([id, r]) => id.startsWith(prefix) && r.Properties?.Tags !== undefined);
    const types = tagged.map(([, r]) => r.Type);
    expect([...new Set(types)].map((t) => [t, types.filter((x) => x === t).length])).toEqual([
      ['AWS::CloudWatch::Dashboard', 1],
      ['AWS::CloudWatch::CompositeAlarm', 2],
      ['AWS::Logs::LogGroup', 1],
      ['AWS::IAM::Role', 1],
      ['AWS::Lambda::Function', 1],
      ['AWS::CloudWatch::Alarm', 13],
      ['AWS::CodeDeploy::DeploymentGroup', 1],
    ]);
    for (const [id, r] of tagged) {
      expect([id, r.Properties!.Tags]).toEqual([id, expect.arrayContaining([...ORR_TAGS])]);
    }
  });
});

describe('estimatedMonthlyCostUsd', () => {
  test('the default function service costs US$ 6.40 a month', () => {
    const s = setup();
    // Alarm metrics (US$ 0.10 each, standard resolution; expressions are free):
    //   availability: 6 window alarms x 2 metrics (Errors, Invocations)                   = 12
    //   latency: 3 long windows x 2 (PR, SampleCount for the guard) + 3 short windows x 1 (PR) =  9
    //   saturation: Throttles + the account's ClaimedAccountConcurrency and ConcurrentExecutions
    //     (SERVICE_QUOTA reads the account's real concurrency quota instead of assuming 1,000)  =  3
    //   24 alarm metrics x 0.10 = 2.40; 2 composites x 0.50 = 1.00; 1 dashboard = 3.00  =>  6.40
    // The shared CodeDeploy application, saved queries and the workload rollup are not part of the service.
    const stats = s.of('AWS::CloudWatch::Alarm').map(([, r]) => metricsOf(r.Properties!).filter((m) => m.MetricStat).length);
    expect(stats.reduce((a, b) => a + b, 0)).toBe(24);
    expect(s.fn.estimatedMonthlyCostUsd).toBe(6.4);
  });

  test('without the dashboard: US$ 3.40; with a dead-letter queue (3 more single-metric alarms): US$ 6.70; with reserved concurrency: US$ 6.30', () => {
    expect(setup({ dashboard: false }).fn.estimatedMonthlyCostUsd).toBe(3.4);
    expect(setup({ functionProps: functionProps({ deadLetterQueueEnabled: true }) }).fn.estimatedMonthlyCostUsd).toBe(6.7);
    expect(setup({ functionProps: functionProps({ reservedConcurrentExecutions: 20 }) }).fn.estimatedMonthlyCostUsd).toBe(6.3);
  });
});
