import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { freight, quotesMetric, testStack } from './fixtures';
import { ReferenceWorkbookSlo } from './reference-workbook';
import { AlarmSimulator, BurnRatePolicy, CloudWatchPricing, ServiceLevelObjective, SimulationResult, Sli, TrafficSeries } from '../../src';

/**
 * The DESIGN.md alerting scenarios, shared by the target tests and the benchmark. Every scenario starts after
 * three days of healthy traffic, so every window is full. Objective 99.9 %.
 */
export const WARM_UP = 3 * 24 * 60;
export const MONTH = 30 * 24 * 60;
export const OBJECTIVE = 99.9;
const { ALARM, OK } = cloudwatch.AlarmState;

/** What is being measured: our SLO with a policy, or the hand-written reference. */
export type Subject = 'ours' | 'reference' | BurnRatePolicy;

export interface Simulated {
  readonly result: SimulationResult;
  readonly pageAlarm: cloudwatch.IAlarm;
  readonly ticketAlarm: cloudwatch.IAlarm;
  readonly windowAlarms: cloudwatch.IAlarm[];
  readonly costUsd: number;
}

export function simulate(subject: Subject, traffic: TrafficSeries): Simulated {
  const { stack } = testStack();
  const { workload, pages } = freight(stack);
  const sim = () => AlarmSimulator.fromStack(stack);
  if (subject === 'reference') {
    const reference = new ReferenceWorkbookSlo(stack, 'Reference', {
      name: 'reference', bad: quotesMetric('Errors'), total: quotesMetric('Requests'), topic: pages,
    });
    const s = sim();
    s.feed(quotesMetric('Errors'), traffic.bad);
    s.feed(quotesMetric('Requests'), traffic.total);
    return {
      result: s.run(),
      pageAlarm: reference.pageAlarm,
      ticketAlarm: reference.ticketAlarm,
      windowAlarms: reference.windowAlarms,
      costUsd: CloudWatchPricing.estimateMonthlyUsd(reference),
    };
  }
  const slo = new ServiceLevelObjective(workload, 'Availability', {
    serviceName: 'quotes',
    sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    objective: OBJECTIVE,
    policy: subject === 'ours' ? undefined : subject,
  });
  const s = sim();
  s.feedSlo(slo, traffic);
  return {
    result: s.run(),
    pageAlarm: slo.pageAlarm,
    ticketAlarm: slo.ticketAlarm!,
    windowAlarms: slo.windowAlarms,
    costUsd: slo.estimatedMonthlyCostUsd,
  };
}

export const healthy = (requestsPerMinute: number, minutes = WARM_UP) => TrafficSeries.steady({ minutes, requestsPerMinute });
export const burning = (requestsPerMinute: number, burnRate: number, minutes: number) =>
  TrafficSeries.atBurnRate({ minutes, requestsPerMinute, burnRate, objective: OBJECTIVE });
export const outage = (requestsPerMinute: number, minutes: number) => TrafficSeries.outage({ minutes, requestsPerMinute });

/** Evaluation minutes from `start` until the alarm is in ALARM (1 = the first evaluation), or undefined. */
export function detection(s: Simulated, alarm: cloudwatch.IAlarm, start = WARM_UP): number | undefined {
  const at = s.result.firstMinuteInState(alarm, ALARM, start);
  return at === undefined ? undefined : at - start + 1;
}

/** ALARM transitions that notified (one per transition, whatever the number of destinations). */
export function alarmNotifications(s: Simulated, alarm: cloudwatch.IAlarm): number[] {
  return [...new Set(s.result.notificationsFor(alarm).filter((n) => n.state === ALARM).map((n) => n.minute))];
}

/** Minutes from the end of an outage (first healthy minute `end`) until the page that notified is OK again. */
export function resetAfter(s: Simulated, end: number): number | undefined {
  const paged = s.result.firstMinuteInState(s.pageAlarm, ALARM, WARM_UP);
  if (paged === undefined) return undefined;
  const ok = s.result.firstMinuteInState(s.pageAlarm, OK, paged);
  return ok === undefined ? undefined : ok - end + 1;
}

/** Page and ticket notifications over 30 days of seeded binomial errors at `burnRate`. */
export function noisyMonth(subject: Subject, requestsPerMinute: number, burnRate: number, seed: number) {
  const errors = TrafficSeries.randomErrors({ minutes: MONTH, requestsPerMinute, errorRate: burnRate * (100 - OBJECTIVE) / 100, seed });
  const s = simulate(subject, healthy(requestsPerMinute).then(errors));
  return { pages: alarmNotifications(s, s.pageAlarm).length, tickets: alarmNotifications(s, s.ticketAlarm).length };
}

/** The T1-T6 figures for one subject. */
export function measureTargets(subject: Subject, seeds = [1, 2, 3]) {
  const t1 = simulate(subject, healthy(10).then(outage(10, 30)));
  const t2a = simulate(subject, healthy(100).then(burning(100, 10, 300)));
  const t2b = simulate(subject, healthy(100).then(burning(100, 15, 120)));
  const t3 = simulate(subject, healthy(1000).then(burning(1000, 2, 3 * 24 * 60)));
  const t4 = simulate(subject, healthy(1).then(outage(1, 30)));
  const t5 = simulate(subject, healthy(10).then(outage(10, 3)).then(healthy(10, 180)));
  const t6 = simulate(subject, healthy(10).then(outage(10, 60)).then(healthy(10, 12 * 60)));
  const windowIds = new Set(t6.windowAlarms.map((a) => t6.result.logicalIdOf(a)));
  const pageMinutes = new Set(Array.from({ length: t6.result.minutes }, (_, t) => t)
    .filter((t) => t6.result.stateAt(t6.pageAlarm, t) === ALARM));
  const t6Tickets = alarmNotifications(t6, t6.ticketAlarm);
  return {
    costUsd: t1.costUsd,
    t1OutagePage: detection(t1, t1.pageAlarm),
    t2Burn10xPage: detection(t2a, t2a.pageAlarm),
    t2Burn15xPage: detection(t2b, t2b.pageAlarm),
    t3Burn2xTicket: detection(t3, t3.ticketAlarm),
    t3Burn2xPageMinutes: t3.result.minutesInState(t3.pageAlarm, ALARM),
    t4PagesAt1x10rpm: seeds.map((seed) => noisyMonth(subject, 10, 1, seed).pages),
    t4TicketsAtHalf10rpm: seeds.map((seed) => noisyMonth(subject, 10, 0.5, seed).tickets),
    t4PagesAt1x1rpm: seeds.map((seed) => noisyMonth(subject, 1, 1, seed).pages),
    t4OutagePageAt1rpm: detection(t4, t4.pageAlarm),
    t5PagesFor3MinOutage: alarmNotifications(t5, t5.pageAlarm).length,
    t5ResetAfter3MinOutage: resetAfter(t5, WARM_UP + 3),
    t6PageNotifications: alarmNotifications(t6, t6.pageAlarm).length,
    t6TicketsWhilePaging: t6Tickets.filter((m) => pageMinutes.has(m)).length,
    t6TicketsAfterwards: t6Tickets.length,
    t6WindowAlarmNotifications: t6.result.notifications.filter((n) => windowIds.has(n.alarmLogicalId)).length,
  };
}
