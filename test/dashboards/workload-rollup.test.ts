import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { OperableHttpApi, OperableHttpApiProps, OpsTags, ServiceLevelObjective, Sli, Workload, WorkloadRollup } from '../../src';
import { alarmNamed, alarmNames, arnRef, dashboardNamed, ruleOf, templateOf } from '../apis/support';
import { freight, quotesMetric, testStack } from '../support/fixtures';

/** An operable HTTP API service with the default SLOs. */
const service = (scope: Construct, id: string, props: Partial<OperableHttpApiProps> = {}) =>
  new OperableHttpApi(scope, id, { httpApiProps: {}, ...props });

/** A standalone SLO with its own composites. */
const standaloneSlo = (scope: Construct) => new ServiceLevelObjective(scope, 'Checkout', {
  serviceName: 'checkout', sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
});

describe('WorkloadRollup: two services in one stack', () => {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const quotes = service(workload, 'Quotes');
  const orders = service(workload, 'Orders');
  const template = templateOf(stack);

  test('one workload page composite, freight-page, without actions, in ALARM while any service pages', () => {
    expect(alarmNames(template, 'AWS::CloudWatch::CompositeAlarm').sort()).toEqual([
      'freight-orders-page', 'freight-orders-ticket', 'freight-page', 'freight-quotes-page', 'freight-quotes-ticket',
    ]);
    const page = alarmNamed(template, 'freight-page');
    expect(page.AlarmActions).toBeUndefined();
    expect(page.OKActions).toBeUndefined();
    expect(page.InsufficientDataActions).toBeUndefined();
    expect(page.AlarmRule).toEqual({ 'Fn::Sub': `(ALARM("${arnRef(quotes.pageAlarm)}") OR ALARM("${arnRef(orders.pageAlarm)}"))` });
    expect(ruleOf(template, 'freight-page').match(/ALARM\(/g)).toHaveLength(2);
  });

  test('its description names the services; it links the workload runbook', () => {
    expect(alarmNamed(template, 'freight-page').AlarmDescription).toBe(
      'Workload freight is paging: quotes, orders (2 page composites). Status only: each service pages through its own composite.\n' +
      'Severity: PAGE | Owner: pricing | Runbook: https://runbooks.example.com/freight | Playbook: none | ' +
      'Dashboard: https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-overview');
    expect(alarmNamed(template, 'freight-page').Tags).toEqual(expect.arrayContaining([{ Key: OpsTags.RUNBOOK, Value: 'https://runbooks.example.com/freight' }]));
  });

  test('one overview dashboard, freight-overview: a header, then one row per service', () => {
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 3);
    const body = dashboardNamed(template, 'freight-overview');
    expect(body.start).toBe('-P7D');
    const [header, ...rows] = body.widgets;
    expect(header.properties.markdown).toBe([
      '# freight: operational overview',
      '**Owner** pricing · **On-call** pricing-oncall@example.com · **Tier** standard',
      '[Runbooks](https://runbooks.example.com/freight)',
    ].join('\n\n'));
    expect(rows.map((w) => [w.type, w.x, w.y, w.width])).toEqual([
      ['alarm', 0, 3, 12], ['text', 12, 3, 12],
      ['alarm', 0, 5, 12], ['text', 12, 5, 12],
    ]);
    expect(rows[0].properties).toMatchObject({ title: 'quotes', alarms: [arnRef(quotes.pageAlarm), arnRef(quotes.ticketAlarm)] });
    expect(rows[2].properties).toMatchObject({ title: 'orders', alarms: [arnRef(orders.pageAlarm), arnRef(orders.ticketAlarm)] });
    expect(rows[1].properties.markdown).toBe(
      '**quotes** · SLOs availability 99.9% · latency 99% · [dashboard](https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-quotes)');
    expect(rows[3].properties.markdown).toContain('[dashboard](https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-orders)');
  });

  test('WorkloadRollup.of returns the one instance, which knows both services', () => {
    const rollup = WorkloadRollup.of(quotes);
    expect(WorkloadRollup.of(orders)).toBe(rollup);
    expect(WorkloadRollup.of(workload)).toBe(rollup);
    expect(WorkloadRollup.of(quotes.api)).toBe(rollup);
    expect(quotes.rollup).toBe(rollup);
    expect(rollup.services).toEqual([quotes, orders]);
    expect(rollup.workload).toBe(workload);
    expect(rollup.node.path).toBe('Test/Freight/Rollup');
    expect(rollup.dashboardName).toBe('freight-overview');
    expect(rollup.dashboardUrl).toBe('https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-overview');
  });
});

describe('WorkloadRollup: one per stack for a workload at App level', () => {
  const app = new App();
  const workload = new Workload(app, 'Freight', { workloadName: 'freight', owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' } });
  const a = new Stack(workload, 'StackA');
  const b = new Stack(workload, 'StackB');
  const quotes = service(a, 'Quotes');
  const pricing = service(a, 'Pricing');
  const orders = service(b, 'Orders');

  test('two rollups, in the stacks, named after them', () => {
    expect(quotes.rollup).toBe(pricing.rollup);
    expect(quotes.rollup).not.toBe(orders.rollup);
    expect(quotes.rollup.node.path).toBe('Freight/StackA/FreightRollup');
    expect(orders.rollup.node.path).toBe('Freight/StackB/FreightRollup');
    expect(quotes.rollup.services).toEqual([quotes, pricing]);
    expect(orders.rollup.services).toEqual([orders]);
    expect(WorkloadRollup.of(a)).toBe(quotes.rollup);
  });

  test("each stack's page composite and dashboard reference only that stack's services", () => {
    const ta = templateOf(a);
    const tb = templateOf(b);
    expect(alarmNamed(ta, 'freight-StackA-page').AlarmRule).toEqual({
      'Fn::Sub': `(ALARM("${arnRef(quotes.pageAlarm)}") OR ALARM("${arnRef(pricing.pageAlarm)}"))`,
    });
    expect(alarmNamed(tb, 'freight-StackB-page').AlarmRule).toEqual({ 'Fn::Sub': `(ALARM("${arnRef(orders.pageAlarm)}"))` });
    expect(alarmNames(ta, 'AWS::CloudWatch::CompositeAlarm')).not.toContain('freight-page');
    expect(dashboardNamed(ta, 'freight-StackA-overview').widgets.filter((w) => w.type === 'alarm').map((w) => w.properties.title))
      .toEqual(['quotes', 'pricing']);
    expect(dashboardNamed(tb, 'freight-StackB-overview').widgets.filter((w) => w.type === 'alarm').map((w) => w.properties.title))
      .toEqual(['orders']);
    expect(dashboardNamed(tb, 'freight-StackB-overview').widgets[0].properties.markdown).toContain('**Runbooks** none');
  });
});

describe('WorkloadRollup: standalone SLOs and edge cases', () => {
  test('a standalone SLO (own composites) is rolled up, whether defined before or after the first service', () => {
    for (const sloFirst of [true, false]) {
      const { stack } = testStack();
      const { workload } = freight(stack);
      const before = sloFirst ? standaloneSlo(workload) : undefined;
      const quotes = service(workload, 'Quotes');
      const slo = before ?? standaloneSlo(workload);
      expect(slo.ownsComposites).toBe(true);
      const rule = ruleOf(templateOf(stack), 'freight-page');
      expect(rule).toContain(`ALARM("${arnRef(slo.pageAlarm)}")`);
      expect(rule).toContain(`ALARM("${arnRef(quotes.pageAlarm)}")`);
      expect(rule.match(/ALARM\(/g)).toHaveLength(2);
    }
  });

  test('WorkloadRollup.of creates the rollup for a workload with only a standalone SLO', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const slo = standaloneSlo(workload);
    const rollup = WorkloadRollup.of(workload);
    expect(rollup.services).toEqual([]);
    const template = templateOf(stack);
    expect(alarmNamed(template, 'freight-page').AlarmRule).toEqual({ 'Fn::Sub': `(ALARM("${arnRef(slo.pageAlarm)}"))` });
    expect(alarmNamed(template, 'freight-page').AlarmDescription).toMatch(/^Workload freight is paging: an SLO \(1 page composite\)\./);
    expect(dashboardNamed(template, 'freight-overview').widgets).toHaveLength(1);
  });

  test("with no page alarms the rule is the string 'FALSE'", () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    WorkloadRollup.of(workload);
    expect(alarmNamed(templateOf(stack), 'freight-page').AlarmRule).toBe('FALSE');
  });

  test('a service without a dashboard gets a row without a link', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    service(workload, 'Quotes', { dashboard: false });
    const template = templateOf(stack);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(dashboardNamed(template, 'freight-overview').widgets[2].properties.markdown).toBe('**quotes** · SLOs availability 99.9% · latency 99%');
  });
});
