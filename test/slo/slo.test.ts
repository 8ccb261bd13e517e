import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AlarmDestination, AlarmRouting, BurnRatePolicy, OpsTags, PairCombination, ServiceLevelObjective,
  ServiceLevelObjectiveProps, ServiceTier, Sli,
} from '../../src';
import { freight, quotesMetric, resourcesOf, testStack } from '../support/fixtures';

type Resources = Array<[string, { Type: string; Properties?: Record<string, unknown> }]>;

function setup(props: Partial<ServiceLevelObjectiveProps> = {}, workloadProps: Parameters<typeof freight>[1] = {}) {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack, workloadProps);
  const slo = new ServiceLevelObjective(workload, 'Availability', {
    serviceName: 'quotes',
    sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    ...props,
  });
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  return {
    stack,
    workload,
    slo,
    template,
    pages,
    tickets,
    alarms: resourcesOf(json, 'AWS::CloudWatch::Alarm') as Resources,
    composites: resourcesOf(json, 'AWS::CloudWatch::CompositeAlarm') as Resources,
    logicalId: (a: cloudwatch.IAlarm) => stack.resolve((a.node.defaultChild as cloudwatch.CfnAlarm).logicalId) as string,
  };
}

const byName = (resources: Resources, name: string) => {
  const found = resources.find(([, r]) => r.Properties?.AlarmName === name);
  if (!found) throw new Error(`no alarm named ${name}`);
  return found[1].Properties!;
};

describe('ServiceLevelObjective defaults', () => {
  const s = setup();

  test('one metric-math alarm per (window, burn rate) of SRE_WORKBOOK, plus a page and a ticket composite', () => {
    expect(s.alarms.map(([, r]) => r.Properties!.AlarmName)).toEqual([
      'freight-quotes-availability-burn14.4x-1h',
      'freight-quotes-availability-burn14.4x-5m',
      'freight-quotes-availability-burn6x-6h',
      'freight-quotes-availability-burn6x-30m',
      'freight-quotes-availability-burn1x-3d',
      'freight-quotes-availability-burn1x-6h',
    ]);
    expect(s.composites.map(([, r]) => r.Properties!.AlarmName)).toEqual([
      'freight-quotes-availability-page',
      'freight-quotes-availability-ticket',
    ]);
    expect(s.slo.windowAlarms).toHaveLength(6);
  });

  test.each([
    ['burn14.4x-1h', 3600, 14.4, true],
    ['burn14.4x-5m', 300, 14.4, false],
    ['burn6x-6h', 21600, 6, true],
    ['burn6x-30m', 1800, 6, false],
    ['burn1x-3d', 259200, 1, true],
    ['burn1x-6h', 21600, 1, false],
  ])('%s: Period = window (%i s), one evaluation period, threshold %d, guard only on long windows (%s)', (what, period, threshold, guarded) => {
    const p = byName(s.alarms, `freight-quotes-availability-${what}`);
    const burn = '(FILL(bad,0)/total)/0.001';
    expect(p).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      Threshold: threshold,
      TreatMissingData: 'notBreaching',
    });
    expect(p.DatapointsToAlarm).toBeUndefined(); // CloudFormation defaults it to EvaluationPeriods
    const metrics = p.Metrics as Array<Record<string, unknown>>;
    expect(metrics[0]).toEqual({ Id: 'expr_1', ReturnData: true, Expression: guarded ? `IF(FILL(bad,0) >= 5, ${burn}, 0)` : burn });
    expect(metrics.slice(1)).toEqual([
      { Id: 'bad', ReturnData: false, MetricStat: { Metric: { Namespace: 'Freight', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'quotes' }] }, Period: period, Stat: 'Sum' } },
      { Id: 'total', ReturnData: false, MetricStat: { Metric: { Namespace: 'Freight', MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'quotes' }] }, Period: period, Stat: 'Sum' } },
    ]);
  });

  test('window alarms carry no actions; only the composites notify', () => {
    for (const [, r] of s.alarms) {
      expect(r.Properties!.AlarmActions).toBeUndefined();
      expect(r.Properties!.OKActions).toBeUndefined();
      expect(r.Properties!.InsufficientDataActions).toBeUndefined();
    }
    const pagesId = s.stack.resolve((s.pages.node.defaultChild as sns.CfnTopic).logicalId);
    const ticketsId = s.stack.resolve((s.tickets.node.defaultChild as sns.CfnTopic).logicalId);
    expect(byName(s.composites, 'freight-quotes-availability-page').AlarmActions).toEqual([{ Ref: pagesId }]);
    expect(byName(s.composites, 'freight-quotes-availability-ticket').AlarmActions).toEqual([{ Ref: ticketsId }]);
  });

  test('the page composite resets with the fast pair: (L1h AND S5m) OR (L6h AND S30m AND NOT L1h)', () => {
    const id = (what: string) => s.logicalId(s.slo.windowAlarms.find((a) => a.node.id === `Window${what.replace(/^burn/, '').replace('-', '')}`)!);
    const arn = (what: string) => `\${${id(what)}.Arn}`;
    // Rendered as one Fn::Sub string (compact) rather than an Fn::Join of fragments.
    expect(byName(s.composites, 'freight-quotes-availability-page').AlarmRule).toEqual({
      'Fn::Sub': `((ALARM("${arn('burn14.4x-1h')}") AND ALARM("${arn('burn14.4x-5m')}")) OR (ALARM("${arn('burn6x-6h')}") ` +
        `AND ALARM("${arn('burn6x-30m')}") AND (NOT (ALARM("${arn('burn14.4x-1h')}")))))`,
    });
    expect(byName(s.composites, 'freight-quotes-availability-ticket').AlarmRule).toEqual({
      'Fn::Sub': `((ALARM("${arn('burn1x-3d')}") AND ALARM("${arn('burn1x-6h')}")))`,
    });
  });

  test('the ticket is suppressed by the page: 2-minute wait, 6-hour extension (the ticket short window)', () => {
    expect(byName(s.composites, 'freight-quotes-availability-ticket')).toMatchObject({
      ActionsSuppressor: { 'Fn::GetAtt': [s.logicalId(s.slo.pageAlarm), 'Arn'] },
      ActionsSuppressorWaitPeriod: 120,
      ActionsSuppressorExtensionPeriod: 21600,
    });
  });

  test('descriptions follow the contract: one summary line, then the Severity/Owner/Runbook/Playbook/Dashboard footer', () => {
    const runbook = 'https://runbooks.example.com/freight/quotes/availability';
    expect(byName(s.composites, 'freight-quotes-availability-page').AlarmDescription).toBe(
      'Page: SLO availability of quotes (99.9% of events good) is burning its error budget fast ' +
      '(14.4× over 1 hour and 5 minutes, or 6× over 6 hours and 30 minutes).\n' +
      `Severity: PAGE | Owner: pricing | Runbook: ${runbook} | Playbook: none | Dashboard: none`);
    expect(byName(s.composites, 'freight-quotes-availability-ticket').AlarmDescription).toMatch(
      new RegExp(`^Ticket: .*\\nSeverity: TICKET \\| Owner: pricing \\| Runbook: ${runbook} \\| Playbook: none \\| Dashboard: none$`));
    expect(byName(s.alarms, 'freight-quotes-availability-burn14.4x-1h').AlarmDescription).toBe(
      'availability: burn >= 14.4x over 1h, long window of page 14.4x 1h+5m, min 5 bad events.\n' +
      `Severity: PAGE | Owner: pricing | Runbook: ${runbook} | Playbook: none | Dashboard: none`);
    expect(byName(s.alarms, 'freight-quotes-availability-burn14.4x-5m').AlarmDescription).toMatch(
      /^availability: burn >= 14.4x over 5m, short window of page 14.4x 1h\+5m\.\n/);
    expect(byName(s.alarms, 'freight-quotes-availability-burn1x-6h').AlarmDescription).toMatch(/\nSeverity: TICKET \| /);
  });

  test('every alarm, window alarms and composites alike, carries the ORR tags and ops:runbook', () => {
    const orr = [
      { Key: OpsTags.ONCALL, Value: 'pricing-oncall@example.com' },
      { Key: OpsTags.OWNER, Value: 'pricing' },
      { Key: OpsTags.SERVICE, Value: 'quotes' },
      { Key: OpsTags.TIER, Value: 'standard' },
      { Key: OpsTags.WORKLOAD, Value: 'freight' },
    ];
    const withRunbook = [...orr.slice(0, 2), { Key: OpsTags.RUNBOOK, Value: 'https://runbooks.example.com/freight/quotes/availability' }, ...orr.slice(2)];
    for (const [, r] of [...s.alarms, ...s.composites]) expect(r.Properties!.Tags).toEqual(withRunbook);
  });

  test('logical ids are pinned (changing them replaces alarms)', () => {
    expect([...s.alarms, ...s.composites].map(([id]) => id)).toEqual([
      'FreightAvailabilityWindow144x1hD2AEEEFE',
      'FreightAvailabilityWindow144x5m7252A1EA',
      'FreightAvailabilityWindow6x6hC8C7DEE9',
      'FreightAvailabilityWindow6x30m10AD355A',
      'FreightAvailabilityWindow1x3dC9DFEE95',
      'FreightAvailabilityWindow1x6h04AAE9BE',
      'FreightAvailabilityPage07FEF6E8',
      'FreightAvailabilityTicket1D9D3AFF',
    ]);
  });

  test('exposes its settings and a cost of US$ 2.20 per month (6 alarms x 2 metrics x 0.10 + 2 composites x 0.50)', () => {
    expect(s.slo.objective).toBe(99.9);
    expect(s.slo.errorBudget).toBe(0.001);
    expect(s.slo.period.toDays()).toBe(30);
    expect(s.slo.policy).toBe(BurnRatePolicy.SRE_WORKBOOK);
    expect(s.slo.minBadEvents).toBe(5);
    expect(s.slo.sloName).toBe('availability');
    expect(s.slo.serviceName).toBe('quotes');
    expect(s.slo.runbook).toBe('https://runbooks.example.com/freight/quotes/availability');
    expect(s.slo.estimatedMonthlyCostUsd).toBe(2.2);
    expect(s.slo.applicationSignalsSlo).toBeUndefined();
  });

  test('no warnings when runbook and routing are in place', () => {
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('ServiceLevelObjective overrides', () => {
  test('objective 99.95 divides by a 0.0005 budget', () => {
    const s = setup({ objective: 99.95 });
    const metrics = byName(s.alarms, 'freight-quotes-availability-burn14.4x-5m').Metrics as Array<{ Expression?: string }>;
    expect(metrics[0].Expression).toBe('(FILL(bad,0)/total)/0.0005');
    expect(s.slo.errorBudget).toBe(0.0005);
  });

  test('the objective defaults to the workload tier', () => {
    expect(setup({}, { tier: ServiceTier.CRITICAL }).slo.objective).toBe(99.95);
    expect(setup({}, { tier: ServiceTier.BEST_EFFORT }).slo.objective).toBe(99.5);
  });

  test('SRE_WORKBOOK_WITH_DAILY_TICKET adds the 3x 1 d / 2 h ticket pair: 8 alarms, US$ 2.60', () => {
    const s = setup({ policy: BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET });
    expect(s.alarms).toHaveLength(8);
    expect(byName(s.alarms, 'freight-quotes-availability-burn3x-1d').Threshold).toBe(3);
    expect(byName(s.alarms, 'freight-quotes-availability-burn3x-2h').Threshold).toBe(3);
    const rule = JSON.stringify(byName(s.composites, 'freight-quotes-availability-ticket').AlarmRule);
    expect(rule).toContain('AND (NOT (ALARM(');
    expect(s.slo.estimatedMonthlyCostUsd).toBe(2.6);
  });

  test('PairCombination.ANY_PAIR gives the plain workbook OR of the pairs', () => {
    const policy = BurnRatePolicy.of(BurnRatePolicy.SRE_WORKBOOK.windows, { combination: PairCombination.ANY_PAIR });
    const s = setup({ policy });
    expect(JSON.stringify(byName(s.composites, 'freight-quotes-availability-page').AlarmRule)).not.toContain('NOT');
  });

  test('minBadEvents changes or removes the long-window guard', () => {
    const guarded = setup({ minBadEvents: 10 });
    expect((byName(guarded.alarms, 'freight-quotes-availability-burn6x-6h').Metrics as Array<{ Expression?: string }>)[0].Expression)
      .toBe('IF(FILL(bad,0) >= 10, (FILL(bad,0)/total)/0.001, 0)');
    const unguarded = setup({ minBadEvents: 0 });
    expect((byName(unguarded.alarms, 'freight-quotes-availability-burn6x-6h').Metrics as Array<{ Expression?: string }>)[0].Expression)
      .toBe('(FILL(bad,0)/total)/0.001');
  });

  test('a routing override replaces the workload routing on this SLO only', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const own = new sns.Topic(stack, 'Own');
    const slo = new ServiceLevelObjective(workload, 'Availability', {
      serviceName: 'quotes',
      sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
      routing: new AlarmRouting({ page: [AlarmDestination.sns(own), AlarmDestination.incidentManager('freight-critical')] }),
    });
    const pageId = stack.resolve((slo.pageAlarm.node.defaultChild as cloudwatch.CfnCompositeAlarm).logicalId);
    const page = Template.fromStack(stack).toJSON().Resources[pageId];
    expect(page.Properties.AlarmActions).toEqual([
      { Ref: stack.resolve((own.node.defaultChild as sns.CfnTopic).logicalId) },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm-incidents::123456789012:response-plan/freight-critical']] },
    ]);
    Annotations.fromStack(stack).hasWarning('/Test/Freight/Availability', Match.stringLikeRegexp('ticket composite notifies nobody'));
  });

  test('names, runbook, playbook, dashboard and description overrides reach names, tags and footers', () => {
    const s = setup({
      sloName: 'quote-success',
      runbook: 'Freight-RollbackQuotes',
      playbook: 'https://playbooks.example.com/quotes',
      dashboardUrl: 'https://console.aws.amazon.com/cloudwatch/home#dashboards:name=quotes',
      description: 'Quote lookups succeed',
      period: Duration.days(28),
    });
    const page = byName(s.composites, 'freight-quotes-quote-success-page');
    expect(page.AlarmDescription).toBe(
      'Page: SLO quote-success of quotes (Quote lookups succeed, 99.9%) is burning its error budget fast ' +
      '(14.4× over 1 hour and 5 minutes, or 6× over 6 hours and 30 minutes).\n' +
      'Severity: PAGE | Owner: pricing | Runbook: Freight-RollbackQuotes | Playbook: https://playbooks.example.com/quotes | ' +
      'Dashboard: https://console.aws.amazon.com/cloudwatch/home#dashboards:name=quotes');
    expect(page.Tags).toEqual(expect.arrayContaining([{ Key: 'ops:runbook', Value: 'Freight-RollbackQuotes' }]));
    expect(s.slo.period.toDays()).toBe(28);
  });

  test('Sli.ratio with good events derives bad = total - good', () => {
    const s = setup({ sli: Sli.ratio({ good: quotesMetric('Successes'), total: quotesMetric('Requests') }) });
    const metrics = byName(s.alarms, 'freight-quotes-availability-burn14.4x-1h').Metrics as Array<{ Id: string; Expression?: string }>;
    expect(metrics[0].Expression).toBe('IF((total-FILL(good,0)) >= 5, ((total-FILL(good,0))/total)/0.001, 0)');
    expect(metrics.map((m) => m.Id)).toEqual(['expr_1', 'good', 'total']);
  });

  test('the sloName defaults to the construct id in kebab case', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const slo = new ServiceLevelObjective(workload, 'QuoteLookupLatency', {
      serviceName: 'quotes', sli: Sli.latency({ metric: quotesMetric('Latency', 'Average'), unit: cloudwatch.Unit.MILLISECONDS }),
    });
    expect(slo.sloName).toBe('quote-lookup-latency');
  });
});

describe('latency SLIs', () => {
  test('use percentile rank at the threshold and the sample count; bad fraction = (100 - PR)/100', () => {
    const s = setup({ sli: Sli.latency({ metric: quotesMetric('Latency', 'p99'), threshold: Duration.millis(300), unit: cloudwatch.Unit.MILLISECONDS }), objective: 99.9 });
    const p = byName(s.alarms, 'freight-quotes-availability-burn14.4x-1h');
    const metrics = p.Metrics as Array<{ Id: string; Expression?: string; MetricStat?: { Stat: string; Period: number } }>;
    expect(metrics[0].Expression).toBe('IF(((100-pr)/100*n) >= 5, ((100-pr)/100)/0.001, 0)');
    expect(metrics.slice(1).map((m) => [m.Id, m.MetricStat!.Stat, m.MetricStat!.Period])).toEqual([
      ['pr', 'PR(:300)', 3600],
      ['n', 'SampleCount', 3600],
    ]);
    expect(byName(s.composites, 'freight-quotes-availability-page').AlarmDescription).toMatch(/99\.9% of requests within 300 ms/);
  });

  test('default to the tier latency objective and threshold', () => {
    const s = setup({ sli: Sli.latency({ metric: quotesMetric('Latency'), unit: cloudwatch.Unit.MILLISECONDS }) }, { tier: ServiceTier.CRITICAL });
    expect(s.slo.objective).toBe(99);
    const metrics = byName(s.alarms, 'freight-quotes-availability-burn14.4x-5m').Metrics as Array<{ MetricStat?: { Stat: string } }>;
    expect(metrics[1].MetricStat!.Stat).toBe('PR(:500)');
  });

  test('express the threshold in the metric unit', () => {
    const s = setup({ sli: Sli.latency({ metric: quotesMetric('TargetResponseTime'), threshold: Duration.millis(250), unit: cloudwatch.Unit.SECONDS }) });
    const metrics = byName(s.alarms, 'freight-quotes-availability-burn14.4x-5m').Metrics as Array<{ MetricStat?: { Stat: string } }>;
    expect(metrics[1].MetricStat!.Stat).toBe('PR(:0.25)');
  });

  test('reject math expressions, non-time units and non-positive thresholds, naming the SLO and its sli prop', () => {
    const expr = new cloudwatch.MathExpression({ expression: 'a+b', usingMetrics: { a: quotesMetric('A'), b: quotesMetric('B') } });
    expect(() => setup({ sli: Sli.latency({ metric: expr, unit: cloudwatch.Unit.MILLISECONDS }) })).toThrow(
      '[Test/Freight/Availability] sli: Sli.latency needs a plain metric (namespace, name, dimensions), not a math expression: it reads the raw samples.');
    expect(() => setup({ sli: Sli.latency({ metric: quotesMetric('L'), unit: cloudwatch.Unit.BYTES }) })).toThrow(
      "[Test/Freight/Availability] sli: Sli.latency unit must be one of the time units of cloudwatch.Unit (Milliseconds, Seconds, Microseconds), got 'Bytes' (a string).");
    expect(() => Sli.latency({ metric: quotesMetric('L'), threshold: Duration.millis(0) })).not.toThrow();
    expect(() => setup({ sli: Sli.latency({ metric: quotesMetric('L'), threshold: Duration.millis(0), unit: cloudwatch.Unit.MILLISECONDS }) })).toThrow(
      '[Test/Freight/Availability] sli: Sli.latency threshold must be longer than zero, got Duration 0 millis.');
  });

  test('the unit of a metric the library does not know is required: a forgotten unit would make an SLO that never burns', () => {
    expect(() => setup({ sli: Sli.latency({ metric: quotesMetric('Latency') }) })).toThrow(
      '[Test/Freight/Availability] sli: Sli.latency needs the unit of Freight/Latency: the library does not know what unit it is published in, ' +
      'and a threshold in the wrong unit makes an SLO that never (or always) burns. Pass unit: cloudwatch.Unit.MILLISECONDS (or SECONDS, MICROSECONDS).');
  });

  test('AWS metrics use their known unit: ALB TargetResponseTime in seconds (PR(:0.5) for 500 ms), Lambda Duration in milliseconds', () => {
    const alb = new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensionsMap: { TargetGroup: 'tg' } });
    const s = setup({ sli: Sli.latency({ metric: alb, threshold: Duration.millis(500) }) });
    expect((byName(s.alarms, 'freight-quotes-availability-burn14.4x-5m').Metrics as Array<{ MetricStat?: { Stat: string } }>)[1].MetricStat!.Stat).toBe('PR(:0.5)');
    const lambdaDuration = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensionsMap: { FunctionName: 'f' } });
    const l = setup({ sli: Sli.latency({ metric: lambdaDuration, threshold: Duration.millis(500) }) });
    expect((byName(l.alarms, 'freight-quotes-availability-burn14.4x-5m').Metrics as Array<{ MetricStat?: { Stat: string } }>)[1].MetricStat!.Stat).toBe('PR(:500)');
    expect(Sli.KNOWN_LATENCY_UNITS['AWS/ApplicationELB/TargetResponseTime']).toBe(cloudwatch.Unit.SECONDS);
  });

  test('a unit that contradicts the known unit of an AWS metric is an error', () => {
    const alb = new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime' });
    expect(() => setup({ sli: Sli.latency({ metric: alb, unit: cloudwatch.Unit.MILLISECONDS }) })).toThrow(
      '[Test/Freight/Availability] sli: Sli.latency unit is Milliseconds, but AWS/ApplicationELB/TargetResponseTime is published in Seconds');
  });
});
