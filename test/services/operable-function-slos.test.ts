import { Duration } from 'aws-cdk-lib';
import { aliasDimensions, logicalIdOf, metricsOf, setup, windowAlarmNames } from './function-fixtures';
import { BurnRatePolicy, ServiceTier } from '../../src';

const WINDOW_PERIODS: Array<[string, number, number, boolean]> = [
  // [window, period in seconds, threshold, long window (guarded)]
  ['burn14.4x-1h', 3600, 14.4, true],
  ['burn14.4x-5m', 300, 14.4, false],
  ['burn6x-6h', 21600, 6, true],
  ['burn6x-30m', 1800, 6, false],
  ['burn1x-3d', 259200, 1, true],
  ['burn1x-6h', 21600, 1, false],
];

describe('the SLOs of a function (defaults)', () => {
  const s = setup();
  const fnId = logicalIdOf(s.fn.lambdaFunction);

  test('availability and latency SLOs with six window alarms each (SRE_WORKBOOK), plus the saturation alarm', () => {
    expect(s.alarmNames()).toEqual([...windowAlarmNames('availability'), ...windowAlarmNames('latency'), 'freight-quotes-saturation']);
    expect(s.fn.slos).toEqual([s.fn.availability, s.fn.latency]);
    expect(s.fn.availability!.sloName).toBe('availability');
    expect(s.fn.latency!.sloName).toBe('latency');
    expect(s.fn.availability!.policy).toBe(BurnRatePolicy.SRE_WORKBOOK);
  });

  test('objectives default to the STANDARD tier: 99.9 % availability, 99 % latency', () => {
    expect(s.fn.availability!.objective).toBe(99.9);
    expect(s.fn.latency!.objective).toBe(99);
  });

  test.each(WINDOW_PERIODS)('availability %s: Errors/Invocations (Sum, %i s) on the live alias, threshold %d', (what, period, threshold, long) => {
    const alarm = s.alarm(`freight-quotes-availability-${what}`);
    expect(alarm.Threshold).toBe(threshold);
    const burn = '(FILL(bad,0)/total)/0.001';
    expect(metricsOf(alarm)).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: long ? `IF(FILL(bad,0) >= 5, ${burn}, 0)` : burn },
      {
        Id: 'bad',
        ReturnData: false,
        MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: aliasDimensions(fnId) }, Period: period, Stat: 'Sum' },
      },
      {
        Id: 'total',
        ReturnData: false,
        MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: aliasDimensions(fnId) }, Period: period, Stat: 'Sum' },
      },
    ]);
  });

  test('the alias dimension is one Fn::Sub string, not an Fn::Join', () => {
    const dimensions = metricsOf(s.alarm('freight-quotes-availability-burn14.4x-1h'))[1].MetricStat!.Metric.Dimensions;
    expect(dimensions[1]).toEqual({ Name: 'Resource', Value: { 'Fn::Sub': `\${${fnId}}:live` } });
  });

  test.each(WINDOW_PERIODS)('latency %s: Duration percentile rank at 1 s (STANDARD) over %i s on the live alias, threshold %d', (what, period, threshold, long) => {
    const alarm = s.alarm(`freight-quotes-latency-${what}`);
    expect(alarm.Threshold).toBe(threshold);
    const duration = (stat: string) => ({
      Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: aliasDimensions(fnId) }, Period: period, Stat: stat,
    });
    // The long windows' low-traffic guard needs the sample count; the short windows query the percentile rank only.
    expect(metricsOf(alarm)).toEqual(long
      ? [
        { Id: 'expr_1', ReturnData: true, Expression: 'IF(((100-pr)/100*n) >= 5, ((100-pr)/100)/0.01, 0)' },
        { Id: 'pr', ReturnData: false, MetricStat: duration('PR(:1000)') },
        { Id: 'n', ReturnData: false, MetricStat: duration('SampleCount') },
      ]
      : [
        { Id: 'expr_1', ReturnData: true, Expression: '((100-pr)/100)/0.01' },
        { Id: 'pr', ReturnData: false, MetricStat: duration('PR(:1000)') },
      ]);
  });

  test("the SLOs page and ticket through the service's composites instead of their own", () => {
    for (const slo of s.fn.slos) {
      expect(slo.ownsComposites).toBe(false);
      expect(slo.pageAlarm).toBe(s.fn.pageAlarm);
      expect(slo.ticketAlarm).toBe(s.fn.ticketAlarm);
    }
    expect(s.of('AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties!.AlarmName)).toEqual([
      'freight-quotes-page',
      'freight-quotes-ticket',
      'freight-page', // the workload rollup
    ]);
  });
});

describe('SLO overrides', () => {
  test('latencyThreshold 250 ms ranks Duration at 250', () => {
    const s = setup({ latencyThreshold: Duration.millis(250) });
    for (const [what] of WINDOW_PERIODS) {
      expect(metricsOf(s.alarm(`freight-quotes-latency-${what}`))[1].MetricStat!.Stat).toBe('PR(:250)');
    }
  });

  test('a CRITICAL workload: 99.95 % availability, 99 % of invocations within 500 ms', () => {
    const s = setup({}, { tier: ServiceTier.CRITICAL });
    expect(s.fn.availability!.objective).toBe(99.95);
    expect(metricsOf(s.alarm('freight-quotes-availability-burn14.4x-5m'))[0].Expression).toBe('(FILL(bad,0)/total)/0.0005');
    expect(metricsOf(s.alarm('freight-quotes-latency-burn14.4x-5m'))[1].MetricStat!.Stat).toBe('PR(:500)');
  });

  test('availabilityObjective and latencyObjective change the error budgets', () => {
    const s = setup({ availabilityObjective: 99.5, latencyObjective: 95 });
    expect(s.fn.availability!.objective).toBe(99.5);
    expect(s.fn.latency!.objective).toBe(95);
    expect(metricsOf(s.alarm('freight-quotes-availability-burn14.4x-5m'))[0].Expression).toBe('(FILL(bad,0)/total)/0.005');
    expect(metricsOf(s.alarm('freight-quotes-latency-burn14.4x-5m'))[0].Expression).toBe('((100-pr)/100)/0.05');
  });

  test('availabilitySlo: false removes the availability SLO', () => {
    const s = setup({ availabilitySlo: false });
    expect(s.fn.availability).toBeUndefined();
    expect(s.fn.slos).toEqual([s.fn.latency]);
    expect(s.alarmNames()).toEqual([...windowAlarmNames('latency'), 'freight-quotes-saturation']);
  });

  test('latencySlo: false removes the latency SLO', () => {
    const s = setup({ latencySlo: false });
    expect(s.fn.latency).toBeUndefined();
    expect(s.fn.slos).toEqual([s.fn.availability]);
    expect(s.alarmNames()).toEqual([...windowAlarmNames('availability'), 'freight-quotes-saturation']);
  });

  test('without any SLO the service cannot page, which fails synth', () => {
    expect(() => setup({ availabilitySlo: false, latencySlo: false })).toThrow(
      "[Test/Freight/Quotes] Service 'quotes' has no SLO, so its page composite can never fire. Keep the default SLOs or add one with addSlo().");
  });

  test('policy SRE_WORKBOOK_WITH_DAILY_TICKET: 8 window alarms per SLO, the daily pair in the ticket rule', () => {
    const s = setup({ policy: BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET });
    const names = (slo: string) => ['burn14.4x-1h', 'burn14.4x-5m', 'burn6x-6h', 'burn6x-30m', 'burn3x-1d', 'burn3x-2h', 'burn1x-3d', 'burn1x-6h']
      .map((w) => `freight-quotes-${slo}-${w}`);
    expect(s.alarmNames()).toEqual([...names('availability'), ...names('latency'), 'freight-quotes-saturation']);
    expect(s.fn.availability!.windowAlarms).toHaveLength(8);
    expect(s.fn.latency!.policy).toBe(BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET);
    expect(s.alarm('freight-quotes-availability-burn3x-1d').Threshold).toBe(3);
    const arn = (slo: string, w: string) => `\${${logicalIdOf(s.fn[slo === 'availability' ? 'availability' : 'latency']!.windowAlarms
      .find((a) => a.node.id === `Window${w}`)!)}.Arn}`;
    const ticket = (slo: string) => `((ALARM("${arn(slo, '3x1d')}") AND ALARM("${arn(slo, '3x2h')}")) OR ` +
      `(ALARM("${arn(slo, '1x3d')}") AND ALARM("${arn(slo, '1x6h')}") AND (NOT (ALARM("${arn(slo, '3x1d')}")))))`;
    expect(s.alarm('freight-quotes-ticket').AlarmRule).toEqual({
      'Fn::Sub': `(${ticket('availability')} OR ${ticket('latency')} OR ALARM("\${${logicalIdOf(s.fn.node.findChild('Saturation'))}.Arn}"))`,
    });
    // The ticket stays suppressed for the longest ticket short window (6 h) after a page.
    expect(s.alarm('freight-quotes-ticket').ActionsSuppressorExtensionPeriod).toBe(21600);
  });

  test('the policy applies to both SLOs', () => {
    const s = setup({ policy: BurnRatePolicy.LOW_TRAFFIC });
    expect(s.fn.availability!.policy).toBe(BurnRatePolicy.LOW_TRAFFIC);
    expect(s.fn.latency!.policy).toBe(BurnRatePolicy.LOW_TRAFFIC);
    expect(s.alarmNames()).toContain('freight-quotes-latency-burn14.4x-15m');
    expect(s.alarmNames()).not.toContain('freight-quotes-latency-burn14.4x-5m');
  });
});
