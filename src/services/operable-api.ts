import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { HttpCanary } from './http-canary';
import { OperableService, OperableServiceProps } from './operable-service';
import { fail } from '../core/errors';
import { BurnRatePolicy } from '../slo/burn-rate-policy';
import { Sli } from '../slo/sli';
import { ServiceLevelObjective } from '../slo/slo';

/**
 * What every operable API (REST or HTTP) takes besides its API.
 */
export interface OperableApiProps extends OperableServiceProps {
  /**
   * Availability objective (percent of requests without a 5XX).
   *
   * @default - the workload tier's availability objective
   */
  readonly availabilityObjective?: number;

  /**
   * Latency objective (percent of requests faster than `latencyThreshold`).
   *
   * @default - the workload tier's latency objective
   */
  readonly latencyObjective?: number;

  /**
   * Requests slower than this count against the latency SLO.
   *
   * @default - the workload tier's latency threshold
   */
  readonly latencyThreshold?: Duration;

  /**
   * Burn-rate policy of the availability and latency SLOs.
   *
   * @default BurnRatePolicy.SRE_WORKBOOK
   */
  readonly policy?: BurnRatePolicy;

  /**
   * Create the availability SLO (5XX over requests).
   *
   * @default true
   */
  readonly availabilitySlo?: boolean;

  /**
   * Create the latency SLO (percentile rank of Latency).
   *
   * @default true
   */
  readonly latencySlo?: boolean;

  /**
   * Retention of the access log group.
   *
   * @default - the workload tier's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Path of a health endpoint (leading `/`). Turns on the synthetic canary for a public API.
   *
   * @default - no canary
   */
  readonly healthCheckPath?: string;

  /**
   * Create the synthetic canary when `healthCheckPath` is set.
   *
   * @default true for a public API, reachable on its execute-api endpoint or `healthCheckBaseUrl`, with a healthCheckPath
   */
  readonly canary?: boolean;

  /**
   * Base URL the canary calls the health path on, e.g. your custom domain `https://quotes.example.com`.
   *
   * @default - the watched stage's execute-api URL (no canary by default when that endpoint is disabled)
   */
  readonly healthCheckBaseUrl?: string;

  /**
   * How often the canary runs.
   *
   * @default Duration.minutes(5)
   */
  readonly canarySchedule?: Duration;

  /**
   * Ticket when the 4XX rate leaves its anomaly-detection band for 15 minutes (clients failing more than usual,
   * e.g. after a breaking change). Off by default: 4XX are usually the clients' business, and anomaly detection
   * bills three alarm metrics.
   *
   * @default false
   */
  readonly clientErrorAnomalyAlarm?: boolean;
}

/** The stage metrics an API exposes (internal). */
export interface ApiMetrics {
  readonly serverErrors: cloudwatch.IMetric;
  readonly clientErrors: cloudwatch.Metric;
  readonly clientErrorRate: cloudwatch.IMetric;
  readonly count: cloudwatch.IMetric;
  readonly latency: cloudwatch.IMetric;
}

/** What an API's operability adds (internal). */
export interface ApiOperability {
  readonly availability?: ServiceLevelObjective;
  readonly latency?: ServiceLevelObjective;
  readonly canary?: HttpCanary;
}

/** Reject a health path that is not a path (internal). */
export function validateHealthPath(service: OperableService, path: string | undefined): void {
  if (path !== undefined && !/^\/[^\s?#]*$/.test(path)) {
    fail(service, `healthCheckPath '${path}' must be a path starting with '/', without spaces, query or fragment, e.g. '/health'.`);
  }
}

/**
 * SLOs, the optional 4XX anomaly alarm, the canary, and the dashboard of an API service (internal): shared by
 * OperableRestApi and OperableHttpApi, which differ only in how they reach their stage.
 */
export function makeApiOperable(service: OperableService, props: OperableApiProps, metrics: ApiMetrics, opts: {
  /** Why the API's own endpoint cannot be reached from outside, if it cannot. */
  readonly unreachable?: string;
  readonly healthUrl: (path: string) => string;
  readonly accessLogs?: logs.ILogGroup;
}): ApiOperability {
  const tier = service.workload.tier;
  const availability = props.availabilitySlo ?? true
    ? service.addSlo('Availability', {
      sli: Sli.ratio({ bad: metrics.serverErrors, total: metrics.count }),
      objective: props.availabilityObjective,
      policy: props.policy,
    })
    : undefined;
  const latency = props.latencySlo ?? true
    ? service.addSlo('Latency', {
      sli: Sli.latency({ metric: metrics.latency, threshold: props.latencyThreshold ?? tier.latencyThreshold }),
      objective: props.latencyObjective,
      policy: props.policy,
    })
    : undefined;
  if (props.clientErrorAnomalyAlarm) {
    service.addAnomalyAlarm('ClientErrorAnomaly', {
      metric: metrics.clientErrorRate,
      summary: `The 4XX rate of ${service.serviceName} is above its expected band for 15 minutes: clients fail more than usual.`,
      alarmNameSuffix: 'client-error-anomaly',
    });
  }
  let canary: HttpCanary | undefined;
  const base = props.healthCheckBaseUrl;
  if (base !== undefined && !Token.isUnresolved(base) && !/^https?:\/\/[^\s?#]+[^/\s?#]$/.test(base)) {
    fail(service, `healthCheckBaseUrl '${base}' must be an http(s) URL without a trailing '/', query or fragment, e.g. 'https://quotes.example.com'.`);
  }
  const reachable = base !== undefined || opts.unreachable === undefined;
  const wantsCanary = props.canary ?? (props.healthCheckPath !== undefined && reachable);
  if (wantsCanary) {
    if (props.healthCheckPath === undefined) fail(service, 'canary is true but no healthCheckPath is given: pass the path the canary should call, e.g. \'/health\'.');
    if (!reachable) fail(service, `canary is true, but ${opts.unreachable}: pass healthCheckBaseUrl (e.g. your custom domain) for the canary to call.`);
    canary = new HttpCanary(service, 'Canary', {
      url: base !== undefined ? `${base}${props.healthCheckPath!}` : opts.healthUrl(props.healthCheckPath!),
      schedule: props.canarySchedule,
    });
  }
  service._addSignals({
    traffic: metrics.count,
    errors: metrics.serverErrors,
    latency: metrics.latency,
    saturation: [metrics.clientErrors.with({ label: '4XX (includes 429 throttling)' })],
  }, opts.accessLogs ? { title: `${service.serviceName}: recent 5XX`, logGroups: [opts.accessLogs], query: RECENT_SERVER_ERRORS_QUERY } : undefined);
  return { availability, latency, canary };
}

/** Access-log query for recent server errors (JSON access logs with a `status` field). */
export const RECENT_SERVER_ERRORS_QUERY = [
  'fields @timestamp, status, httpMethod, resourcePath, routeKey, requestId, ip',
  '| filter status like /^5/',
  '| sort @timestamp desc',
  '| limit 50',
].join('\n');
