import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The four golden signals of a service, as metrics: what its dashboard graphs and its investigation playbook reads.
 */
export interface GoldenSignals {
  /** Requests (or invocations) per period. */
  readonly traffic: cloudwatch.IMetric;
  /** Failed requests per period. */
  readonly errors: cloudwatch.IMetric;
  /**
   * Latency; shown as p50, p90 and p99.
   * @default - no latency graph
   */
  readonly latency?: cloudwatch.IMetric;
  /**
   * How full the service is: concurrency, throttles, queue depth.
   * @default - no saturation graph
   */
  readonly saturation?: cloudwatch.IMetric[];
}
