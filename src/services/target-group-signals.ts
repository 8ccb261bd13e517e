import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Where an Application Load Balancer target group's metrics are published (internal). */
export interface TargetGroupDimensions {
  /** The target group's full name (`targetgroup/<name>/<id>`, `ApplicationTargetGroup.targetGroupFullName`). */
  readonly targetGroupFullName: string;
  /** The full name of the load balancer that forwards to it (`app/<name>/<id>`, `loadBalancerFullName`). */
  readonly loadBalancerFullName: string;
}

/** A service's SLI metrics and golden signals read from the target group its load balancer forwards to (internal). */
export interface TargetGroupSignals {
  /** Failed requests: the targets' 5XX plus the 5XX the load balancer itself returned for this target group. */
  readonly bad: cloudwatch.IMetric;
  /** Requests the load balancer routed to the target group. */
  readonly total: cloudwatch.IMetric;
  /** `TargetResponseTime`, in seconds (the latency SLI reads its percentile rank in seconds). */
  readonly latency: cloudwatch.IMetric;
  /** Targets failing their health checks (Maximum per minute). */
  readonly unhealthyHosts: cloudwatch.IMetric;
  /** Targets passing their health checks (Minimum per minute). */
  readonly healthyHosts: cloudwatch.IMetric;
}

const NAMESPACE = 'AWS/ApplicationELB';

/** One `AWS/ApplicationELB` metric of a whole load balancer (dimension `LoadBalancer`), at the default 5-minute period. */
export function loadBalancerMetric(loadBalancerFullName: string, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: NAMESPACE, metricName, dimensionsMap: { LoadBalancer: loadBalancerFullName }, statistic });
}

/**
 * One `AWS/ApplicationELB` metric of a target group (dimensions `TargetGroup` and `LoadBalancer`); CloudWatch's default
 * 5-minute period unless `period` is given.
 */
export function targetGroupMetric(d: TargetGroupDimensions, metricName: string, statistic: string, period?: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: NAMESPACE,
    metricName,
    dimensionsMap: { TargetGroup: d.targetGroupFullName, LoadBalancer: d.loadBalancerFullName },
    statistic,
    period,
  });
}

/**
 * The metrics of the requests a load balancer sends to one target group: what users of a container service feel.
 *
 * Availability counts `HTTPCode_Target_5XX_Count` (the tasks answered 5XX) and `HTTPCode_ELB_5XX_Count` with the same
 * `TargetGroup` dimension (the load balancer answered 502/503/504 because the targets reset, timed out or were all
 * unhealthy) over `RequestCount`, at CloudWatch's default 5-minute period (SLO windows and graphs set their own); each
 * count is filled with 0 when absent (the load balancer publishes a count only
 * when it is not zero). Latency is `TargetResponseTime`, published in seconds.
 */
export function targetGroupSignals(d: TargetGroupDimensions): TargetGroupSignals {
  const metric = (metricName: string, statistic: string) => targetGroupMetric(d, metricName, statistic);
  return {
    bad: new cloudwatch.MathExpression({
      expression: 'FILL(target5xx, 0) + FILL(elb5xx, 0)',
      usingMetrics: { target5xx: metric('HTTPCode_Target_5XX_Count', 'Sum'), elb5xx: metric('HTTPCode_ELB_5XX_Count', 'Sum') },
      label: '5XX (targets + load balancer)',
    }),
    total: metric('RequestCount', 'Sum'),
    latency: metric('TargetResponseTime', 'Average'),
    unhealthyHosts: metric('UnHealthyHostCount', 'Maximum'),
    healthyHosts: metric('HealthyHostCount', 'Minimum'),
  };
}

/**
 * The failed and total requests of several target groups serving one service (blue and green during a canary), as flat
 * expressions: one `HTTPCode_Target_5XX_Count`, `HTTPCode_ELB_5XX_Count` and `RequestCount` per target group.
 */
export function combinedTargetGroupCounts(groups: TargetGroupDimensions[]): { bad: cloudwatch.IMetric; total: cloudwatch.IMetric } {
  if (groups.length === 1) {
    const single = targetGroupSignals(groups[0]);
    return { bad: single.bad, total: single.total };
  }
  const bad: Record<string, cloudwatch.IMetric> = {};
  const total: Record<string, cloudwatch.IMetric> = {};
  groups.forEach((d, i) => {
    const metric = (metricName: string) => targetGroupMetric(d, metricName, 'Sum');
    bad[`target5xx${i}`] = metric('HTTPCode_Target_5XX_Count');
    bad[`elb5xx${i}`] = metric('HTTPCode_ELB_5XX_Count');
    total[`requests${i}`] = metric('RequestCount');
  });
  const fill = (metrics: Record<string, cloudwatch.IMetric>) => Object.keys(metrics).map((k) => `FILL(${k}, 0)`).join(' + ');
  return {
    bad: new cloudwatch.MathExpression({ expression: fill(bad), usingMetrics: bad, label: '5XX (targets + load balancer)' }),
    total: new cloudwatch.MathExpression({ expression: fill(total), usingMetrics: total, label: 'Requests' }),
  };
}
