import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ServiceLevelObjective, Sli } from '../../src';
import { freight, quotesMetric, testStack } from '../support/fixtures';

function slo(props: { applicationSignals?: boolean; latency?: boolean } = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const s = new ServiceLevelObjective(workload, 'Availability', {
    serviceName: 'quotes',
    sli: props.latency
      ? Sli.latency({ metric: quotesMetric('Latency'), threshold: Duration.millis(400), unit: cloudwatch.Unit.MILLISECONDS })
      : Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    objective: 99.9,
    applicationSignals: props.applicationSignals,
  });
  return { stack, slo: s };
}

describe('error-budget widgets', () => {
  const { stack, slo: s } = slo();
  new cloudwatch.Dashboard(stack, 'Dashboard', { widgets: [s.errorBudgetWidgets()] });
  const dashboard = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0];
  const body = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  const widgets = JSON.parse(text).widgets as Array<{ properties: Record<string, unknown>; width: number }>;

  test('one row of three widgets: SLI, burn rate per window, budget burn-down', () => {
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'quotes / availability: SLI vs 99.9% objective',
      'quotes / availability: burn rate per alarm window',
      'quotes / availability: error budget burn-down (30 days)',
    ]);
    expect(widgets.reduce((n, w) => n + w.width, 0)).toBe(24);
  });

  test('the SLI graph shows 100*(1 - bad/total) against the objective line', () => {
    const p = widgets[0].properties as { metrics: unknown[][]; annotations: { horizontal: Array<{ value: number }> } };
    expect(JSON.stringify(p.metrics[0])).toContain('100*(1-(FILL(bad,0)/total))');
    expect(p.annotations.horizontal[0].value).toBe(99.9);
  });

  test('the burn-rate graph plots each condition\'s long window, with ids unique per window, against its threshold', () => {
    const p = widgets[1].properties as { metrics: unknown[][]; annotations: { horizontal: Array<{ value: number; label: string }> } };
    const expressions = p.metrics.map((m) => JSON.stringify(m)).filter((m) => m.includes('expression'));
    expect(expressions.map((e) => JSON.parse(e)[0].expression)).toEqual([
      '(FILL(bad_1h,0)/total_1h)/0.001',
      '(FILL(bad_6h,0)/total_6h)/0.001',
      '(FILL(bad_3d,0)/total_3d)/0.001',
    ]);
    expect(p.annotations.horizontal.map((a) => [a.value, a.label])).toEqual([[14.4, 'page 14.4x'], [6, 'page 6x'], [1, 'ticket 1x']]);
  });

  test('the burn-down uses running sums over the 30-day period', () => {
    expect(JSON.stringify(widgets[2].properties)).toContain('100*(1-(RUNNING_SUM(FILL(bad,0))/RUNNING_SUM(total))/0.001)');
    expect(widgets[2].properties.start).toBe('-P30D');
  });

  test('metrics for your own graphs and alarms', () => {
    const burn = s.burnRateMetric(Duration.hours(1)).toMetricConfig().mathExpression!;
    expect(burn.expression).toBe('(FILL(bad,0)/total)/0.001');
    expect(burn.period).toBe(3600);
    expect(s.sliMetric().toMetricConfig().mathExpression!.period).toBe(300);
    const remaining = s.errorBudgetRemainingMetric().toMetricConfig().mathExpression!;
    expect(remaining.period).toBe(2592000);
    // Ids carry the SLO name so several SLOs' budgets can share a widget.
    expect(remaining.expression).toBe('100*(1-(FILL(bad_availability,0)/total_availability)/0.001)');
    expect(Object.keys(remaining.usingMetrics)).toEqual(['bad_availability', 'total_availability']);
  });
});

describe('Application Signals SLO (optional)', () => {
  test('off by default', () => {
    const { stack } = slo();
    Template.fromStack(stack).resourceCountIs('AWS::ApplicationSignals::ServiceLevelObjective', 0);
  });

  test('request-based over the same metrics, same goal and period, one burn-rate configuration per alarm window', () => {
    const { stack, slo: s } = slo({ applicationSignals: true });
    const metricStat = (name: string) => ({
      Metric: { Namespace: 'Freight', MetricName: name, Dimensions: [{ Name: 'Service', Value: 'quotes' }] }, Period: 60, Stat: 'Sum',
    });
    const base = [
      { Id: 'bad', ReturnData: false, MetricStat: metricStat('Errors') },
      { Id: 'total', ReturnData: false, MetricStat: metricStat('Requests') },
    ];
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationSignals::ServiceLevelObjective', {
      Name: 'freight-quotes-availability',
      Goal: { AttainmentGoal: 99.9, Interval: { RollingInterval: { Duration: 30, DurationUnit: 'DAY' } } },
      RequestBasedSli: {
        RequestBasedSliMetric: {
          TotalRequestCountMetric: [...base, { Id: 'slo_total', Expression: 'total', ReturnData: true }],
          MonitoredRequestCountMetric: { BadCountMetric: [...base, { Id: 'slo_bad', Expression: 'FILL(bad,0)', ReturnData: true }] },
        },
      },
      BurnRateConfigurations: [5, 30, 60, 360, 4320].map((m) => ({ LookBackWindowMinutes: m })),
    });
    expect(s.applicationSignalsSlo).toBeDefined();
  });

  test('latency SLIs count slow requests from percentile rank and sample count', () => {
    const { stack } = slo({ applicationSignals: true, latency: true });
    const sloResource = Object.values(Template.fromStack(stack).findResources('AWS::ApplicationSignals::ServiceLevelObjective'))[0];
    const bad = sloResource.Properties.RequestBasedSli.RequestBasedSliMetric.MonitoredRequestCountMetric.BadCountMetric;
    expect(bad.map((q: { Id: string; MetricStat?: { Stat: string }; Expression?: string }) => q.MetricStat?.Stat ?? q.Expression))
      .toEqual(['PR(:400)', 'SampleCount', '((100-pr)/100*n)']);
  });
});
