import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { OperationalAlarmOptions } from './service-options';

/** The Kubernetes workload whose Container Insights metrics are read (internal). */
export interface ContainerInsightsWorkload {
  readonly clusterName: string;
  readonly namespace: string;
  /**
   * The `PodName` dimension: for the pods of a Deployment (or an Argo Rollout), Container Insights reports the owner's
   * name, not each pod's (the CloudWatch agent resolves the pod's ReplicaSet to its Deployment).
   */
  readonly podName: string;
}

const FIVE_MINUTES = Duration.minutes(5);
const FIFTEEN_MINUTES = Duration.minutes(15);

/** A Container Insights metric of the workload's pods (dimensions ClusterName, Namespace, PodName). */
function podMetric(w: ContainerInsightsWorkload, metricName: string, statistic: string, period: Duration, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: w.clusterName, Namespace: w.namespace, PodName: w.podName },
    statistic,
    period,
    ...(label ? { label } : {}),
  });
}

/**
 * The Container Insights ticket alarms of a Kubernetes workload, as a table (they need the `amazon-cloudwatch-observability`
 * add-on, and pod limits for the two limit alarms; without data they stay OK):
 *
 * - container restarts: `pod_number_of_container_restarts` (restarts since the previous collection, summed over the
 *   workload's pods) reaches 3 within 15 minutes — a crash loop backs off to one restart every 5 minutes, so it is
 *   caught within one window, while a single OOM kill or probe failure is not a ticket;
 * - CPU: `pod_cpu_utilization_over_pod_limit` (usage as a percentage of the pods' CPU limit) averages 90 % or more over
 *   the workload's pods for 15 minutes (3 × 5 min): the pods are throttled;
 * - memory: `pod_memory_utilization_over_pod_limit` reaches 90 % in any pod (Maximum) for 15 minutes: that pod is close
 *   to an OOM kill, whatever the others do.
 */
export function containerInsightsAlarms(w: ContainerInsightsWorkload): Array<{ id: string; options: OperationalAlarmOptions }> {
  const pods = `${w.podName} (namespace ${w.namespace})`;
  return [
    {
      id: 'ContainerRestarts',
      options: {
        metric: podMetric(w, 'pod_number_of_container_restarts', 'Sum', FIFTEEN_MINUTES),
        threshold: 3,
        summary: `Containers of ${pods} restarted 3 times or more in 15 minutes: a crash loop or OOM kills. Read the pods' last ` +
          'termination reason (kubectl describe pod) and the container logs.',
      },
    },
    {
      id: 'CpuNearLimit',
      options: {
        metric: podMetric(w, 'pod_cpu_utilization_over_pod_limit', 'Average', FIVE_MINUTES),
        threshold: 90,
        evaluationPeriods: 3,
        summary: `The pods of ${pods} used 90% or more of their CPU limit on average for 15 minutes: they are throttled. Raise the ` +
          'CPU limit or add replicas.',
        alarmNameSuffix: 'cpu-near-limit',
      },
    },
    {
      id: 'MemoryNearLimit',
      options: {
        metric: podMetric(w, 'pod_memory_utilization_over_pod_limit', 'Maximum', FIVE_MINUTES),
        threshold: 90,
        evaluationPeriods: 3,
        summary: `A pod of ${pods} used 90% or more of its memory limit for 15 minutes: it is close to an OOM kill. Raise the memory ` +
          'limit or find what holds the memory.',
        alarmNameSuffix: 'memory-near-limit',
      },
    },
  ];
}

/** The Container Insights saturation graphs of the workload. */
export function containerInsightsSaturation(w: ContainerInsightsWorkload): cloudwatch.IMetric[] {
  return [
    podMetric(w, 'pod_cpu_utilization_over_pod_limit', 'Average', FIVE_MINUTES, 'CPU (% of limit)'),
    podMetric(w, 'pod_memory_utilization_over_pod_limit', 'Maximum', FIVE_MINUTES, 'Memory (% of limit, busiest pod)'),
    podMetric(w, 'pod_number_of_container_restarts', 'Sum', FIVE_MINUTES, 'Container restarts'),
  ];
}

/**
 * Logs Insights query over the Container Insights application log group for the workload's recent errors. Fluent Bit
 * (the add-on's) writes each container log line with `kubernetes.namespace_name` and `kubernetes.pod_name` (the full pod
 * name, `<deployment>-<pod-template-hash>-<suffix>` for a Deployment's or Rollout's pods), the line in `log` and, for JSON
 * lines, its fields under `log_processed`.
 */
export function recentErrorsQuery(namespace: string, deploymentName: string): string {
  const pods = `^${deploymentName.replace(/\./g, '\\.')}-[a-z0-9]{1,10}-[a-z0-9]{5}$`;
  return [
    'fields @timestamp, kubernetes.pod_name, kubernetes.container_name, log',
    `| filter kubernetes.namespace_name = '${namespace}' and kubernetes.pod_name like /${pods}/`,
    '| filter @message like /(?i)(error|exception|fatal|panic)/',
    '| sort @timestamp desc',
    '| limit 50',
  ].join('\n');
}
