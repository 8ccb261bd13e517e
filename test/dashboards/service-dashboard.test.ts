import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ServiceDashboard, ServiceDashboardProps, ServiceLevelObjective, Sli, Workload } from '../../src';
import { arnRef, dashboardNamed, logicalId, templateOf, Widget } from '../apis/support';
import { freight, quotesMetric, testStack } from '../support/fixtures';

/** A standalone ServiceDashboard 'Dash' of the quotes service in the freight workload. */
function dashboard(props: Partial<ServiceDashboardProps> = {}, workloadProps: Parameters<typeof freight>[1] = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack, workloadProps);
  const dash = new ServiceDashboard(workload, 'Dash', { serviceName: 'quotes', ...props });
  return { stack, workload, dash };
}

const widgetsOf = (stack: Stack, name = 'freight-quotes') => dashboardNamed(templateOf(stack), name).widgets;

/** Metric entries of a graph widget without their trailing options object. */
const fieldsOf = (w: Widget) => w.properties.metrics!.map((m) => m.filter((f) => typeof f === 'string'));

describe('ServiceDashboard: name and URL', () => {
  test('is tagged with the service it shows (evidence for OPS-ServiceDashboard and the readiness review)', () => {
    const { stack } = dashboard();
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', {
      Tags: Match.arrayWith([{ Key: 'ops:service', Value: 'quotes' }, { Key: 'ops:workload', Value: 'freight' }]),
    });
  });

  test('defaults to <workload>-<service>', () => {
    const { stack, dash } = dashboard();
    expect(dash.dashboardName).toBe('freight-quotes');
    expect(dash.dashboardUrl).toBe('https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-quotes');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'freight-quotes' });
    expect(logicalId(dash.cfnDashboard)).toBe(logicalId(dash));
  });

  test('dashboardName overrides it', () => {
    const { stack, dash } = dashboard({ dashboardName: 'Quotes_Ops-1' });
    expect(dash.dashboardUrl).toBe('https://console.aws.amazon.com/cloudwatch/home#dashboards:name=Quotes_Ops-1');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Quotes_Ops-1' });
  });

  test.each([['bad name!', 'bad name!'], ['a slash', 'quotes/ops'], ['256 characters', 'x'.repeat(256)]])('rejects %s', (_what, name) => {
    expect(() => dashboard({ dashboardName: name })).toThrow(
      `[Test/Freight/Dash] dashboardName '${name}' is invalid: CloudWatch allows 1-255 letters, digits, '-' and '_'. Pass a dashboardName that fits.`);
  });

  test('needs a workload', () => {
    const { stack } = testStack();
    expect(() => new ServiceDashboard(stack, 'Dash', { serviceName: 'quotes' })).toThrow('[Test/Dash] is not inside a Workload.');
  });
});

describe('ServiceDashboard: header', () => {
  test('owner, on-call, tier, and a URL runbook linked as is; no playbook', () => {
    const { stack } = dashboard({ runbook: 'https://runbooks.example.com/freight/quotes' });
    const [header] = widgetsOf(stack);
    expect(header).toMatchObject({ type: 'text', width: 24, x: 0, y: 0 });
    expect(header.properties.markdown).toBe([
      '# quotes (freight)',
      '**Owner** pricing · **On-call** pricing-oncall@example.com · **Tier** standard',
      '[Runbook](https://runbooks.example.com/freight/quotes) · **Playbook** none',
    ].join('\n\n'));
  });

  test('an SSM document runbook links to its Systems Manager console page; escalation and chat are shown', () => {
    const { stack } = dashboard({ runbook: 'Freight-RollbackQuotes', playbook: 'https://playbooks.example.com/quotes' }, {
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com', escalation: 'pricing-leads', chatChannel: '#pricing-ops' },
    });
    const markdown = widgetsOf(stack)[0].properties.markdown!;
    expect(markdown).toContain('[Runbook](https://console.aws.amazon.com/systems-manager/documents/Freight-RollbackQuotes/description)');
    expect(markdown).toContain('[Playbook](https://playbooks.example.com/quotes)');
    expect(markdown).toContain('**Owner** pricing · **On-call** pricing-oncall@example.com · **Tier** standard · **Escalation** pricing-leads · **Chat** #pricing-ops');
  });

  test('no runbook reads "**Runbook** none"', () => {
    const { stack } = dashboard();
    expect(widgetsOf(stack)[0].properties.markdown).toContain('**Runbook** none · **Playbook** none');
  });
});

describe('ServiceDashboard: sections render late, in a fixed order', () => {
  const { stack, workload, dash } = dashboard({ runbook: 'https://runbooks.example.com/freight/quotes' });
  const logGroup = new logs.LogGroup(stack, 'Logs');
  const custom = new cloudwatch.TextWidget({ markdown: 'custom row', width: 24, height: 2 });
  // Added in the reverse of the rendered order, all after the dashboard was constructed.
  dash.addWidgets(custom);
  dash.addLogQuery('quotes: recent errors', [logGroup], 'fields @message | filter level = "ERROR"');
  const slo = new ServiceLevelObjective(workload, 'Availability', {
    serviceName: 'quotes', sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
  });
  dash.addAlarms(slo.pageAlarm, slo.ticketAlarm!, slo.pageAlarm);
  dash.addSlo(slo);
  dash.addSlo(slo);
  dash.addGoldenSignals({ traffic: quotesMetric('Requests'), errors: quotesMetric('Errors') });
  dash.addGoldenSignals({ traffic: quotesMetric('Requests'), errors: quotesMetric('Errors'), latency: quotesMetric('Latency', 'Average') });
  const widgets = widgetsOf(stack);

  test('header, golden signals, SLO widgets, alarm status, logs, then your rows', () => {
    expect(widgets.map((w) => w.properties.title ?? w.properties.markdown!.split('\n')[0])).toEqual([
      '# quotes (freight)',
      'Traffic', 'Errors', 'Latency',
      'quotes / availability: SLI vs 99.9% objective',
      'quotes / availability: burn rate per alarm window',
      'quotes / availability: error budget burn-down (30 days)',
      'quotes: alarms',
      'quotes: recent errors',
      'custom row',
    ]);
    expect(widgets.map((w) => w.y)).toEqual([0, 4, 4, 4, 10, 10, 10, 16, 19, 25]);
    expect(dash.widgetCount).toBe(10);
  });

  test('the later golden signals replace the earlier ones: three graphs of 8 columns, latency as p50/p90/p99', () => {
    const golden = widgets.slice(1, 4);
    expect(golden.map((w) => w.width)).toEqual([8, 8, 8]);
    expect(golden[2].properties.metrics!.map((m) => m[m.length - 1])).toEqual(['p50', 'p90', 'p99'].map((p) => ({ label: p, stat: p })));
  });

  test('the header lists the SLOs; each SLO and alarm appears once', () => {
    expect(widgets[0].properties.markdown).toContain('**SLOs** availability 99.9%');
    expect(widgets[7]).toMatchObject({ type: 'alarm', width: 24, height: 3 });
    expect(widgets[7].properties.alarms).toEqual([arnRef(slo.pageAlarm), arnRef(slo.ticketAlarm!)]);
  });

  test('the log widget queries the log groups', () => {
    expect(widgets[8]).toMatchObject({ type: 'log', width: 24, height: 6 });
    expect(widgets[8].properties.query).toBe(`SOURCE '\${${logicalId(logGroup)}}' | fields @message | filter level = "ERROR"`);
  });
});

describe('ServiceDashboard: compact metrics', () => {
  const { stack, dash } = dashboard();
  const expression = new cloudwatch.MathExpression({
    expression: 'errors/requests', label: 'error rate', usingMetrics: { errors: quotesMetric('Errors'), requests: quotesMetric('Requests') },
  });
  const mixed = new cloudwatch.GraphWidget({ title: 'Mixed', left: [expression, quotesMetric('Throttles')] });
  dash.addWidgets(
    new cloudwatch.GraphWidget({ title: 'Pair', left: [quotesMetric('Errors'), quotesMetric('Requests')] }),
    mixed,
    new cloudwatch.GraphWidget({ title: 'Bars', view: cloudwatch.GraphWidgetView.BAR, left: [quotesMetric('Errors')] }),
    new cloudwatch.SingleValueWidget({ title: 'Now', metrics: [quotesMetric('Requests')] }),
  );
  const byTitle = (title: string) => widgetsOf(stack).find((w) => w.properties.title === title)!;

  test('a metric repeating the namespace and dimensions of the one above writes them as "."', () => {
    expect(byTitle('Pair').properties.metrics).toEqual([
      ['Freight', 'Errors', 'Service', 'quotes', { stat: 'Sum' }],
      ['.', 'Requests', '.', '.', { stat: 'Sum' }],
    ]);
  });

  test('hidden metrics go after the visible lines, and abbreviate against each other', () => {
    const raw = (Stack.of(dash).resolve(mixed.toJson()) as Array<{ properties: { metrics: unknown[][] } }>)[0].properties.metrics;
    const visible = (m: unknown[]) => !m.some((f) => typeof f === 'object' && (f as { visible?: boolean }).visible === false);
    expect(raw.map(visible)).not.toEqual([true, true, false, false]);
    const metrics = byTitle('Mixed').properties.metrics!;
    expect(metrics.map(visible)).toEqual([true, true, false, false]);
    expect(metrics[0]).toEqual([{ label: 'error rate', expression: 'errors/requests' }]);
    expect(fieldsOf(byTitle('Mixed'))).toEqual([
      [],
      ['Freight', 'Throttles', 'Service', 'quotes'],
      ['.', 'Errors', '.', '.'],
      ['.', 'Requests', '.', '.'],
    ]);
  });

  test("the default 'timeSeries' view is left out; other views stay", () => {
    expect(byTitle('Pair').properties).not.toHaveProperty('view');
    expect((Stack.of(dash).resolve(mixed.toJson()) as Array<{ properties: { view: string } }>)[0].properties.view).toBe('timeSeries');
    expect(byTitle('Bars').properties.view).toBe('bar');
    expect(byTitle('Now').properties.view).toBe('singleValue');
  });
});

describe('ServiceDashboard: CloudWatch limits, checked at synth', () => {
  const text = (i: number) => new cloudwatch.TextWidget({ markdown: `row ${i}`, width: 24, height: 1 });
  const graph = (g: number, n: number) => new cloudwatch.GraphWidget({
    title: `g${g}`, left: Array.from({ length: n }, (_, i) => quotesMetric(`M${g}x${i}`)),
  });

  test('500 widgets synthesize; 501 throw', () => {
    const ok = dashboard();
    for (let i = 0; i < 499; i++) ok.dash.addWidgets(text(i));
    expect(ok.dash.widgetCount).toBe(500);
    expect(widgetsOf(ok.stack)).toHaveLength(500);

    const { stack, dash } = dashboard();
    for (let i = 0; i < 500; i++) dash.addWidgets(text(i));
    expect(dash.widgetCount).toBe(501);
    expect(() => Template.fromStack(stack)).toThrow(
      '[Test/Freight/Dash] Dashboard has 501 widgets; CloudWatch allows 500. Split it into several dashboards.');
  });

  test('2,500 metrics synthesize; more throw', () => {
    const ok = dashboard();
    for (let g = 0; g < 25; g++) ok.dash.addWidgets(graph(g, 100));
    expect(widgetsOf(ok.stack).flatMap((w) => w.properties.metrics ?? [])).toHaveLength(2500);

    const { stack, dash } = dashboard();
    for (let g = 0; g < 25; g++) dash.addWidgets(graph(g, 100));
    dash.addWidgets(graph(25, 1));
    expect(() => Template.fromStack(stack)).toThrow(
      '[Test/Freight/Dash] Dashboard has 2501 metrics; CloudWatch allows 2500. Split it into several dashboards.');
  });

  test('an empty workload dashboard renders only its header', () => {
    const { stack, dash } = dashboard();
    expect(widgetsOf(stack)).toHaveLength(1);
    expect(dash.widgetCount).toBe(1);
    expect(Workload.of(dash).workloadName).toBe('freight');
    expect(dashboardNamed(templateOf(stack), 'freight-quotes').start).toBe('-PT6H');
  });
});
