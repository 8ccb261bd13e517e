import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { fargate } from './fargate-fixtures';
import { logicalIdOf } from './function-fixtures';
import { AlarmSimulator, MetricSeries, OperableFargateService, SimulationResult, TrafficSeries } from '../../src';

const { ALARM, OK } = cloudwatch.AlarmState;
/** Six hours of healthy traffic first: every page window holds history, as in production. The canary starts at this minute. */
const START = 360;
/** The canary step: 10 % of traffic for 10 minutes (FargateDeployment.CANARY_10_PERCENT_10_MINUTES). */
const STEP = 10;

/** A plain metric of one target group of the service, as its alarms query it. */
function targetGroupMetric(svc: OperableFargateService, tg: elbv2.IApplicationTargetGroup, metricName: string, statistic = 'Sum'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName,
    statistic,
    dimensionsMap: {
      TargetGroup: (tg as elbv2.ApplicationTargetGroup).targetGroupFullName,
      LoadBalancer: (svc.loadBalancer as elbv2.ApplicationLoadBalancer).loadBalancerFullName,
    },
  });
}

/** Healthy tasks: CPU, memory, running = desired, no unhealthy target, no failed deployment (the ticket rule's other alarms). */
function feedHealthyTasks(sim: AlarmSimulator, svc: OperableFargateService, minutes: number): void {
  const ecsMetric = (namespace: string, metricName: string, statistic: string) => new cloudwatch.Metric({
    namespace, metricName, statistic, dimensionsMap: { ClusterName: svc.cluster.clusterName, ServiceName: svc.service.serviceName },
  });
  sim.feed(ecsMetric('AWS/ECS', 'CPUUtilization', 'Average'), MetricSeries.constant(30, minutes));
  sim.feed(ecsMetric('AWS/ECS', 'MemoryUtilization', 'Average'), MetricSeries.constant(40, minutes));
  sim.feed(ecsMetric('ECS/ContainerInsights', 'DesiredTaskCount', 'Maximum'), MetricSeries.constant(2, minutes));
  sim.feed(ecsMetric('ECS/ContainerInsights', 'RunningTaskCount', 'Minimum'), MetricSeries.constant(2, minutes));
  for (const tg of [svc.targetGroup, svc.alternateTargetGroup!]) sim.feed(targetGroupMetric(svc, tg, 'UnHealthyHostCount', 'Maximum'), MetricSeries.constant(0, minutes));
  sim.feedIdentity({ metricNamespace: 'freight', metricName: 'EcsDeploymentFailures', dimensions: { Service: 'dispatch' }, statistic: 'Sum' }, MetricSeries.missing(minutes));
}

/** The share of requests at each latency, in seconds: what one minute of TargetResponseTime samples looks like. */
type LatencyMix = Array<[seconds: number, share: number]>;

/** What CloudWatch's `PR(:t)` reports for a mix: the percentage of samples at or under t (the threshold in the metric's unit, seconds). */
function percentileRank(statistic: string, mix: LatencyMix): number {
  const threshold = Number(/^PR\(:([0-9.]+)\)$/.exec(statistic)![1]);
  return 100 * mix.filter(([seconds]) => seconds <= threshold).reduce((sum, [, share]) => sum + share, 0);
}

/** The p99 of a mix. */
function p99(mix: LatencyMix): number {
  let cumulative = 0;
  for (const [seconds, share] of [...mix].sort((a, b) => a[0] - b[0])) {
    cumulative += share;
    if (cumulative >= 0.99 - 1e-9) return seconds;
  }
  return Infinity;
}

interface CanaryScenario {
  /** Requests a minute to the service. */
  readonly requestsPerMinute: number;
  /** Fraction of the canary target group's requests that fail (5XX from the new tasks). */
  readonly canaryErrorRate: number;
  /** Minutes the canary runs (it is never rolled back here: the alarms are what is tested). */
  readonly canaryMinutes: number;
}

describe('the alarm simulator on a default OperableFargateService (latencyThreshold 400 ms)', () => {
  let svc: OperableFargateService;
  let stack: ReturnType<typeof fargate>['stack'];
  beforeAll(() => {
    const s = fargate({ latencyThreshold: Duration.millis(400) });
    svc = s.svc;
    stack = s.stack;
  });

  /**
   * Healthy traffic on the production target group until START, then a 10 % canary on the alternate one whose tasks fail
   * `canaryErrorRate` of its requests; latency healthy throughout.
   */
  function canary(c: CanaryScenario): SimulationResult {
    const sim = AlarmSimulator.fromStack(stack);
    const minutes = START + c.canaryMinutes;
    const canaryRequests = c.requestsPerMinute * 0.1;
    const prod = svc.targetGroup;
    const alt = svc.alternateTargetGroup!;
    sim.feed(targetGroupMetric(svc, prod, 'RequestCount'), MetricSeries.constant(c.requestsPerMinute, START)
      .concat(MetricSeries.constant(c.requestsPerMinute - canaryRequests, c.canaryMinutes)));
    // The load balancer publishes a count only when it is not zero: the healthy target group has no 5XX datapoints.
    sim.feed(targetGroupMetric(svc, prod, 'HTTPCode_Target_5XX_Count'), MetricSeries.missing(minutes));
    sim.feed(targetGroupMetric(svc, prod, 'HTTPCode_ELB_5XX_Count'), MetricSeries.missing(minutes));
    sim.feed(targetGroupMetric(svc, alt, 'RequestCount'), MetricSeries.missing(START).concat(MetricSeries.constant(canaryRequests, c.canaryMinutes)));
    sim.feed(targetGroupMetric(svc, alt, 'HTTPCode_Target_5XX_Count'), MetricSeries.missing(START)
      .concat(MetricSeries.constant(canaryRequests * c.canaryErrorRate, c.canaryMinutes)));
    sim.feed(targetGroupMetric(svc, alt, 'HTTPCode_ELB_5XX_Count'), MetricSeries.missing(minutes));
    sim.feedSlo(svc.latency!, TrafficSeries.steady({ minutes, requestsPerMinute: c.requestsPerMinute }));
    feedHealthyTasks(sim, svc, minutes);
    return sim.run();
  }

  test('a 10 % canary failing 20 % of its requests at 1,000 requests a minute: the canary alarm rolls it back in its 3rd minute', () => {
    const result = canary({ requestsPerMinute: 1000, canaryErrorRate: 0.2, canaryMinutes: 120 });
    // The canary target group burns (20/100)/0.001 = 200x; three one-minute periods at or above 14.4: minutes 0, 1 and 2 of the canary.
    expect(result.firstMinuteInState(svc.canaryAlarm, ALARM)).toBe(START + 2);
    expect(result.firstMinuteInState(svc.canaryAlarm, ALARM)).toBeLessThan(START + STEP);
    // The service as a whole burns (20/1000)/0.001 = 20x: no page during the step. Left unchecked, the 1-hour window sees it after 44 minutes.
    expect(result.minutesInState(svc.pageAlarm, ALARM, 0, START + STEP)).toBe(0);
    expect(result.firstMinuteInState(svc.pageAlarm, ALARM)).toBe(START + 43);
    expect(result.notifications.filter((n) => n.alarmName === 'freight-dispatch-page').map((n) => n.minute)).toEqual([START + 43]);
    // At 20x the service-level 5-minute fast-burn alarm (also a deployment alarm) follows a minute later.
    expect(result.firstMinuteInState(svc.availability!.fastBurnAlarm, ALARM)).toBe(START + 3);
    // The canary alarm tickets (after the ticket's 2-minute wait for the page): someone looks at the failed release.
    expect(result.notifications.filter((n) => n.alarmName === 'freight-dispatch-ticket').map((n) => [n.minute, n.state])).toEqual([[START + 4, ALARM]]);
  });

  test('a canary failing 5 % of its requests: only the canary alarm sees it (the service burns 5x, under every page threshold)', () => {
    const result = canary({ requestsPerMinute: 1000, canaryErrorRate: 0.05, canaryMinutes: 120 });
    expect(result.firstMinuteInState(svc.canaryAlarm, ALARM)).toBe(START + 2);
    for (const alarm of [svc.pageAlarm, svc.availability!.fastBurnAlarm]) expect(result.minutesInState(alarm, ALARM)).toBe(0);
  });

  test('below the low-traffic guard (20 requests a minute per target group) the canary alarm stays OK, even when every canary request fails', () => {
    // 10 requests a minute: the canary target group gets 1 a minute.
    for (const canaryErrorRate of [0.2, 1]) {
      const result = canary({ requestsPerMinute: 10, canaryErrorRate, canaryMinutes: STEP });
      expect([canaryErrorRate, result.minutesInState(svc.canaryAlarm, ALARM)]).toEqual([canaryErrorRate, 0]);
      expect(result.stateAt(svc.canaryAlarm, START + STEP - 1)).toBe(OK);
    }
  });

  test('the guard boundary: 19 canary requests a minute stay OK, 20 alarm in the 3rd minute', () => {
    expect(canary({ requestsPerMinute: 190, canaryErrorRate: 0.2, canaryMinutes: STEP }).minutesInState(svc.canaryAlarm, ALARM)).toBe(0);
    expect(canary({ requestsPerMinute: 200, canaryErrorRate: 0.2, canaryMinutes: STEP }).firstMinuteInState(svc.canaryAlarm, ALARM)).toBe(START + 2);
  });

  describe('a latency SLI on TargetResponseTime (seconds), 99 % under 400 ms', () => {
    const FAST: LatencyMix = [[0.12, 1]];
    /** Latency after START, at 1,000 requests a minute; healthy availability. */
    function latency(mix: LatencyMix, minutes = 240): SimulationResult {
      const sim = AlarmSimulator.fromStack(stack);
      const statistic = svc.latency!._sli.usingMetrics.pr.toMetricConfig().metricStat!.statistic;
      const slowFraction = 1 - percentileRank(statistic, mix) / 100;
      sim.feedSlo(svc.latency!, TrafficSeries.steady({ minutes: START, requestsPerMinute: 1000 })
        .then(TrafficSeries.steady({ minutes, requestsPerMinute: 1000, errorRate: slowFraction })));
      const all = START + minutes;
      sim.feed(targetGroupMetric(svc, svc.targetGroup, 'RequestCount'), MetricSeries.constant(1000, all));
      for (const tg of [svc.targetGroup, svc.alternateTargetGroup!]) {
        for (const name of ['HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count', ...(tg === svc.targetGroup ? [] : ['RequestCount'])]) {
          sim.feed(targetGroupMetric(svc, tg, name), MetricSeries.missing(all));
        }
      }
      feedHealthyTasks(sim, svc, all);
      return sim.run();
    }

    test('the alarms rank at PR(:0.4): the threshold in seconds, the unit TargetResponseTime is published in', () => {
      expect(svc.latency!._sli.usingMetrics.pr.toMetricConfig().metricStat!.statistic).toBe('PR(:0.4)');
      const slow: LatencyMix = [[0.12, 0.8], [2, 0.2]];
      expect([p99(slow), percentileRank('PR(:0.4)', slow)]).toEqual([2, 80]);
      // Read in milliseconds, 2-second requests would all count as fast: such an SLO never burns.
      expect(percentileRank('PR(:400)', slow)).toBe(100);
    });

    test.each([
      { what: 'every request at 2 s (100x burn)', mix: [[2, 1]] as LatencyMix, minutes: 8 },
      { what: 'a slow dependency: 20 % of requests at 2 s, the rest at 120 ms (20x burn)', mix: [[0.12, 0.8], [2, 0.2]] as LatencyMix, minutes: 43 },
    ])('p99 2 s, $what: pages in minute START + $minutes, once', ({ mix, minutes }) => {
      expect(p99(mix)).toBe(2);
      const result = latency(mix);
      expect(result.firstMinuteInState(svc.pageAlarm, ALARM)).toBe(START + minutes);
      expect(result.notifications.filter((n) => n.alarmName === 'freight-dispatch-page').map((n) => n.minute)).toEqual([START + minutes]);
      expect(result.minutesInState(svc.pageAlarm, ALARM, 0, START)).toBe(0);
    });

    test('p99 2 s from a 1.5 % tail only (1.5x burn) does not page', () => {
      const tail: LatencyMix = [[0.12, 0.985], [2, 0.015]];
      expect(p99(tail)).toBe(2);
      expect(latency(tail).minutesInState(svc.pageAlarm, ALARM)).toBe(0);
    });

    test('p99 0.3 s never pages (and a fast service neither)', () => {
      const quick: LatencyMix = [[0.1, 0.95], [0.3, 0.05]];
      expect([p99(quick), percentileRank('PR(:0.4)', quick)]).toEqual([0.3, 100]);
      for (const mix of [quick, FAST]) expect(latency(mix, 6 * 60).minutesInState(svc.pageAlarm, ALARM)).toBe(0);
    });
  });

  test('the simulated alarms are the template\'s: the canary alarm by logical id', () => {
    const result = canary({ requestsPerMinute: 1000, canaryErrorRate: 0, canaryMinutes: STEP });
    expect(result.logicalIdOf(svc.canaryAlarm)).toBe(logicalIdOf(svc.canaryAlarm));
    expect(result.unfedMetrics).toEqual([]);
    expect(result.minutesInState(svc.canaryAlarm, ALARM)).toBe(0);
  });
});
