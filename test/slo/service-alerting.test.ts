import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlarmSimulator, OperableFunction, TrafficSeries } from '../../src';
import { freight, testStack } from '../support/fixtures';

/**
 * Page once per incident across a service's SLOs: an OperableFunction's availability and latency SLOs page through
 * one service composite, so an outage that burns both (errors and slow requests) notifies once, with no ticket.
 */
const WARM_UP = 3 * 24 * 60;
const { ALARM, OK } = cloudwatch.AlarmState;

function scenario(availability: TrafficSeries, latency: TrafficSeries) {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const fn = new OperableFunction(workload, 'Quotes', {
    functionProps: {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    },
  });
  const sim = AlarmSimulator.fromStack(stack);
  sim.feedSlo(fn.availability!, availability);
  sim.feedSlo(fn.latency!, latency);
  // The saturation alarm's inputs: no throttling, the account's claimed concurrency far below its quota (read at run time).
  const minutes = availability.minutes;
  const account = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic: 'Maximum' });
  sim.feed(account('ClaimedAccountConcurrency'), TrafficSeries.steady({ minutes, requestsPerMinute: 3 }).total);
  sim.setServiceQuota(account('ConcurrentExecutions'), 1000);
  sim.feed(fn.alias!.metricThrottles({ statistic: 'Sum' }), TrafficSeries.steady({ minutes, requestsPerMinute: 0 }).total);
  const result = sim.run();
  const alarmMinutes = (a: cloudwatch.IAlarm) =>
    [...new Set(result.notificationsFor(a).filter((n) => n.state === ALARM).map((n) => n.minute))];
  return { fn, result, pages: alarmMinutes(fn.pageAlarm), tickets: alarmMinutes(fn.ticketAlarm) };
}

const healthy = (minutes: number) => TrafficSeries.steady({ minutes, requestsPerMinute: 100 });
const broken = (minutes: number) => TrafficSeries.outage({ minutes, requestsPerMinute: 100 });

// A 60-minute outage: every request fails (availability) and is slow (latency).
const both = scenario(healthy(WARM_UP).then(broken(60)).then(healthy(720)), healthy(WARM_UP).then(broken(60)).then(healthy(720)));
const bothPagedAt = both.result.firstMinuteInState(both.fn.pageAlarm, ALARM, WARM_UP);
const bothReset = both.result.firstMinuteInState(both.fn.pageAlarm, OK, bothPagedAt);

// Only latency burns (10x for 6 hours): the same composite pages, through the latency SLO.
const slowLatency = TrafficSeries.atBurnRate({ minutes: 360, requestsPerMinute: 100, burnRate: 10, objective: 99 });
const slow = scenario(healthy(WARM_UP + 720), healthy(WARM_UP).then(slowLatency).then(healthy(360)));
const slowPagedAt = slow.result.firstMinuteInState(slow.fn.pageAlarm, ALARM, WARM_UP);

describe('one page per incident across the SLOs of a service', () => {
  test(`an outage burning both SLOs pages once, at minute ${bothPagedAt! - WARM_UP + 1}, and tickets ${both.tickets.length} times`, () => {
    expect(both.pages).toHaveLength(1);
    expect(bothPagedAt! - WARM_UP + 1).toBe(1);
    expect(both.tickets).toEqual([]);
  });

  test(`the service page clears ${bothReset! - (WARM_UP + 60) + 1} minutes after the outage ends`, () => {
    expect(bothReset! - (WARM_UP + 60) + 1).toBeLessThanOrEqual(5);
  });

  test(`a latency-only burn at 10x pages through the same composite, after ${slowPagedAt! - WARM_UP + 1} minutes`, () => {
    expect(slow.pages).toHaveLength(1);
    expect(Math.abs(slowPagedAt! - WARM_UP + 1 - 216)).toBeLessThanOrEqual(2);
  });

  test('window and saturation alarms never notify', () => {
    const composites = new Set([both.fn.pageAlarm, both.fn.ticketAlarm].map((a) => both.result.logicalIdOf(a)));
    expect(both.result.notifications.filter((n) => !composites.has(n.alarmLogicalId))).toEqual([]);
  });
});
