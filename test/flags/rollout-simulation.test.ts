import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { only, resources, withFunction } from './support';
import { AlarmSimulator, TrafficSeries } from '../../src';
import { FeatureFlags } from '../../src/flags';

const { ALARM, OK } = cloudwatch.AlarmState;
const WARM_UP = 3 * 24 * 60;
const RPM = 100;

/**
 * Traffic while a flag rolls out with the default strategy (linear, 20 % more users every 2 minutes over 10 minutes,
 * then 10 minutes of bake) when the flagged code path fails `failure` of its requests, then `after` minutes at 100 %.
 */
function rollout(failure: number, after = 40): TrafficSeries {
  const strategy = FeatureFlags.DEFAULT_ROLLOUT_STRATEGY;
  const stepMinutes = strategy.deploymentDuration.toMinutes() * strategy.growthFactor / 100;
  let traffic = TrafficSeries.steady({ minutes: WARM_UP, requestsPerMinute: RPM });
  for (let exposure = strategy.growthFactor; exposure <= 100; exposure += strategy.growthFactor) {
    traffic = traffic.then(TrafficSeries.steady({ minutes: stepMinutes, requestsPerMinute: RPM, errorRate: failure * exposure / 100 }));
  }
  return traffic.then(TrafficSeries.steady({ minutes: after, requestsPerMinute: RPM, errorRate: failure }));
}

/** The quotes function with flags; its SLOs fed with `availability` traffic and healthy latency. */
function simulate(availability: TrafficSeries) {
  const s = withFunction();
  const sim = AlarmSimulator.fromStack(s.stack);
  sim.feedSlo(s.fn.availability!, availability);
  sim.feedSlo(s.fn.latency!, TrafficSeries.steady({ minutes: availability.minutes, requestsPerMinute: RPM }));
  return { ...s, result: sim.run() };
}

/** Logical ids of the composites the flags' environment names as monitors (resolved from the template, by alarm name). */
function monitoredComposites(stack: ReturnType<typeof withFunction>['stack']): string[] {
  const names = (only(stack, 'AWS::AppConfig::Environment').Properties.Monitors as unknown as Array<{ AlarmArn: { 'Fn::Join': [string, unknown[]] } }>)
    .map((m) => (m.AlarmArn['Fn::Join'][1].at(-1) as string).replace(/^.*:alarm:/, ''));
  const composites = resources(stack, 'AWS::CloudWatch::CompositeAlarm');
  return names.map((name) => composites.find(([, r]) => r.Properties.AlarmName as unknown as string === name)![0]);
}

describe('a flag rollout that raises the error rate is rolled back by the page composites that monitor it', () => {
  // The flagged path fails 25 % of its requests: 5 % errors at the first step, 25 % once every user has the flag.
  const s = simulate(rollout(0.25));
  const monitors = monitoredComposites(s.stack);
  const pagedAt = (logicalId: string) => s.result.transitionsOf(logicalId).find((t) => t.state === ALARM && t.minute >= WARM_UP)?.minute;

  test("the environment's monitors are the service's and the workload's page composites", () => {
    expect(monitors).toEqual([s.fn.pageAlarm, s.fn.rollup.pageAlarm].map((a) => s.result.logicalIdOf(a)));
  });

  test('both monitors were OK before the rollout', () => {
    for (const id of monitors) expect(s.result.transitionsOf(id).filter((t) => t.minute < WARM_UP && t.state === ALARM)).toEqual([]);
    expect(s.result.stateAt(s.fn.pageAlarm, WARM_UP - 1)).toBe(OK);
  });

  test('the service page composite goes to ALARM in the 8th minute of the rollout, before it reaches every user (10 minutes)', () => {
    const minutes = pagedAt(monitors[0])! - WARM_UP + 1;
    expect(minutes).toBe(8);
    const strategy = FeatureFlags.DEFAULT_ROLLOUT_STRATEGY;
    expect(minutes).toBeLessThan(strategy.deploymentDuration.toMinutes());
  });

  test('the workload page composite follows in the same minute, and the page notifies once', () => {
    expect(pagedAt(monitors[1])).toBe(pagedAt(monitors[0]));
    const pages = s.result.notificationsFor(s.fn.pageAlarm).filter((n) => n.state === ALARM);
    expect(pages.map((n) => n.minute)).toEqual([pagedAt(monitors[0])]);
  });
});

test('a harmless flag rollout never pages during the rollout and its bake time', () => {
  const s = simulate(rollout(0));
  const strategy = FeatureFlags.DEFAULT_ROLLOUT_STRATEGY;
  const end = WARM_UP + strategy.deploymentDuration.toMinutes() + strategy.finalBakeTime!.toMinutes();
  expect(s.result.minutesInState(s.fn.pageAlarm, ALARM, WARM_UP, end)).toBe(0);
  expect(s.result.minutesInState(s.fn.rollup.pageAlarm, ALARM, WARM_UP, end)).toBe(0);
});
