import { Duration } from 'aws-cdk-lib';
import { BurnRatePolicy, BurnRateWindow, PairCombination, ServiceLevelObjective, Severity, Sli } from '../../src';
import { freight, quotesMetric, testStack } from '../support/fixtures';

const hours = Duration.hours;
const minutes = Duration.minutes;
const days = Duration.days;

describe('BurnRatePolicy presets', () => {
  const describePolicy = (p: BurnRatePolicy) => p.windows.map((w) => `${w.severity} ${w.describe()}`);

  test('SRE_WORKBOOK is table 5-8 of the SRE Workbook', () => {
    expect(describePolicy(BurnRatePolicy.SRE_WORKBOOK)).toEqual([
      'PAGE 14.4× over 1 hour and 5 minutes',
      'PAGE 6× over 6 hours and 30 minutes',
      'TICKET 1× over 3 days and 6 hours',
    ]);
    expect(BurnRatePolicy.SRE_WORKBOOK.name).toBe('sre-workbook');
    expect(BurnRatePolicy.SRE_WORKBOOK.combination).toBe(PairCombination.FAST_RESET);
    expect(BurnRatePolicy.SRE_WORKBOOK.minBadEvents).toBe(5);
    expect(BurnRatePolicy.SRE_WORKBOOK.ticketSuppressionWait.toSeconds()).toBe(120);
    expect(BurnRatePolicy.SRE_WORKBOOK.ticketSuppressionExtension.toSeconds()).toBe(21600);
  });

  test('the budget spent when each condition fires is 2 %, 5 % and 10 % of 30 days', () => {
    expect(BurnRatePolicy.SRE_WORKBOOK.windows.map((w) => w.budgetConsumedPercent(days(30)))).toEqual([2, 5, 10]);
  });

  test('SRE_WORKBOOK_WITH_DAILY_TICKET adds 3× over 1 day and 2 hours', () => {
    expect(describePolicy(BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET)).toContain('TICKET 3× over 1 day and 2 hours');
    expect(BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET.ticketWindows.map((w) => w.burnRate)).toEqual([3, 1]);
  });

  test('LOW_TRAFFIC keeps the burn rates and lengthens short windows threefold', () => {
    expect(describePolicy(BurnRatePolicy.LOW_TRAFFIC)).toEqual([
      'PAGE 14.4× over 1 hour and 15 minutes',
      'PAGE 6× over 6 hours and 1 hour',
      'TICKET 1× over 3 days and 12 hours',
    ]);
    expect(BurnRatePolicy.LOW_TRAFFIC.ticketSuppressionExtension.toHours()).toBe(12);
  });

  test('page and ticket windows are ordered from the shortest long window up; longestWindow is the max', () => {
    const p = BurnRatePolicy.of([
      BurnRateWindow.page({ burnRate: 6, longWindow: hours(6), shortWindow: minutes(30) }),
      BurnRateWindow.ticket({ burnRate: 1, longWindow: days(3), shortWindow: hours(6) }),
      BurnRateWindow.page({ burnRate: 14.4, longWindow: hours(1), shortWindow: minutes(5) }),
    ]);
    expect(p.pageWindows.map((w) => w.burnRate)).toEqual([14.4, 6]);
    expect(p.ticketWindows.map((w) => w.burnRate)).toEqual([1]);
    expect(p.longestWindow.toDays()).toBe(3);
    expect(p.name).toBe('custom');
  });

  test('options override the defaults; a page-only policy extends suppression by 60 s', () => {
    const p = BurnRatePolicy.of([BurnRateWindow.page({ burnRate: 10, longWindow: hours(1), shortWindow: minutes(5) })], {
      name: 'fast', combination: PairCombination.ANY_PAIR, minBadEvents: 0, ticketSuppressionWait: minutes(5),
    });
    expect([p.name, p.combination, p.minBadEvents, p.ticketSuppressionWait.toMinutes(), p.ticketSuppressionExtension.toSeconds()])
      .toEqual(['fast', PairCombination.ANY_PAIR, 0, 5, 60]);
  });
});

describe('BurnRatePolicy and BurnRateWindow validation (reported by the SLO that uses the policy, naming its path and the policy prop)', () => {
  /** An SLO using the policy: where a bad policy is reported. */
  const use = (policy: BurnRatePolicy) => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    return new ServiceLevelObjective(workload, 'Availability', {
      serviceName: 'quotes', policy, sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    });
  };

  test('a policy needs a page condition', () => {
    const quiet = BurnRatePolicy.of([BurnRateWindow.ticket({ burnRate: 1, longWindow: days(3), shortWindow: hours(6) })], { name: 'quiet' });
    expect(() => use(quiet)).toThrow("[Test/Freight/Availability] policy: BurnRatePolicy 'quiet' has no page condition: add at least one " +
      'BurnRateWindow.page(...), or nothing ever pages.');
  });

  test('the factories never throw: they cannot name a construct', () => {
    expect(() => BurnRatePolicy.of([BurnRateWindow.ticket({ burnRate: 0, longWindow: days(3), shortWindow: hours(6) })])).not.toThrow();
  });

  test('a (burn rate, window) used as the long window of one condition and the short of another is ambiguous', () => {
    expect(() => use(BurnRatePolicy.of([
      BurnRateWindow.page({ burnRate: 6, longWindow: hours(6), shortWindow: minutes(30) }),
      BurnRateWindow.page({ burnRate: 6, longWindow: days(2), shortWindow: hours(6) }),
    ]))).toThrow("[Test/Freight/Availability] policy: BurnRatePolicy 'custom': two conditions use a 6× 6 hours window (as long and short window).");
  });

  test('two conditions may share a short window', () => {
    expect(() => use(BurnRatePolicy.of([
      BurnRateWindow.page({ burnRate: 6, longWindow: hours(6), shortWindow: minutes(30) }),
      BurnRateWindow.page({ burnRate: 6, longWindow: hours(12), shortWindow: minutes(30) }),
    ]))).not.toThrow();
  });

  test.each([[-2], [1.5], [1e21], [Number.NaN]])('minBadEvents %p is rejected (a whole number from 0 to 1e9; 1e21 would render 1e+21 in metric math)', (n) => {
    expect(() => use(BurnRatePolicy.of(BurnRatePolicy.SRE_WORKBOOK.windows, { minBadEvents: n })))
      .toThrow(`[Test/Freight/Availability] policy: BurnRatePolicy 'custom': minBadEvents must be a whole number at least 0 and at most 1000000000, got ${n}.`);
  });

  test.each([
    [{ burnRate: 0, longWindow: hours(1), shortWindow: minutes(5) }, 'burnRate must be a finite number above 0, got 0.'],
    [{ burnRate: Number.POSITIVE_INFINITY, longWindow: hours(1), shortWindow: minutes(5) }, 'burnRate must be a finite number above 0, got Infinity.'],
    [{ burnRate: 2, longWindow: hours(1), shortWindow: Duration.seconds(30) }, 'shortWindow must be at least 1 minute, got Duration 30 seconds.'],
    [{ burnRate: 2, longWindow: hours(1), shortWindow: Duration.seconds(90) }, 'shortWindow 90 seconds: period 90 s is not allowed: CloudWatch accepts 10, 20, 30 or a multiple of 60 seconds.'],
    [{ burnRate: 2, longWindow: days(8), shortWindow: hours(6) }, 'longWindow 8 days: period 691200 s × 1 evaluation periods = 691200 s exceeds the 7-day (604800 s) evaluation range.'],
    [{ burnRate: 2, longWindow: hours(1), shortWindow: hours(1) }, 'shortWindow (1 hour) must be shorter than longWindow (1 hour)'],
    [{ burnRate: 2, longWindow: 3600 as unknown as Duration, shortWindow: hours(1) }, 'longWindow must be a Duration (e.g. Duration.minutes(5)), got 3600.'],
  ])('window %o is rejected', (options, message) => {
    expect(() => use(BurnRatePolicy.of([BurnRateWindow.page(options)]))).toThrow(`[Test/Freight/Availability] policy: BurnRateWindow PAGE ${options.burnRate}×: ${message}`);
  });

  test('BurnRateWindow.of keeps the severity; describe() reads naturally', () => {
    const w = BurnRateWindow.of({ severity: Severity.TICKET, burnRate: 3, longWindow: days(1), shortWindow: hours(2) });
    expect(w.severity).toBe(Severity.TICKET);
    expect(w.describe()).toBe('3× over 1 day and 2 hours');
    expect(w.budgetConsumedPercent(days(30))).toBe(10);
  });
});
