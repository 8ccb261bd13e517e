import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HttpCanary } from './http-canary';
import { OperableService, OperableServiceProps, SERVICE_PROP_CHECKS, SLO_DEFAULT_CHECKS } from './operable-service';
import { ServiceSloDefaults } from './service-options';
import { Check, Checks, checkProps } from '../core/checks';
import { fail } from '../core/errors';
import { ServiceLevelObjective } from '../slo/slo';

/**
 * What every operable API (REST or HTTP) takes besides its API.
 */
export interface OperableApiProps extends OperableServiceProps, ServiceSloDefaults {
  /**
   * Retention of the access log group cdk-operable creates (an error when it creates none: an existing API or stage, or
   * access logs you route yourself).
   *
   * @default - the workload tier's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Path of a health endpoint (leading `/`): turns on the synthetic canary, which calls it on the stage's URL (or on
   * `healthCheckBaseUrl`: a private API or a disabled execute-api endpoint needs one).
   *
   * @default - no canary
   */
  readonly healthCheckPath?: string;

  /**
   * Create the synthetic canary. It calls `healthCheckPath`, so `true` needs the path and `false` with a path is an error
   * (the path is only used by the canary).
   *
   * @default - true when `healthCheckPath` is given
   */
  readonly canary?: boolean;

  /**
   * Base URL the canary calls the health path on, e.g. your custom domain `https://quotes.example.com` (needs a
   * `healthCheckPath`).
   *
   * @default - the watched stage's execute-api URL (no canary by default when that endpoint is disabled)
   */
  readonly healthCheckBaseUrl?: string;

  /**
   * How often the canary runs (needs the canary).
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

/** The checks of every OperableApiProps prop (each API kind adds its own). */
export const API_PROP_CHECKS: Record<string, readonly [Check, string?]> = {
  ...SERVICE_PROP_CHECKS,
  ...SLO_DEFAULT_CHECKS,
  logRetention: [Checks.enumOf(logs.RetentionDays, 'logs.RetentionDays'), 'E.g. logs.RetentionDays.SIX_MONTHS.'],
  healthCheckPath: [Checks.string({ pattern: /^\/[^\s?#]*$/, patternText: "a path starting with '/', without spaces, query or fragment" }), "E.g. '/health'."],
  canary: [Checks.boolean],
  healthCheckBaseUrl: [Checks.string({ pattern: /^https?:\/\/[^\s?#]+[^/\s?#]$/, patternText: "an http(s) URL without a trailing '/', query or fragment" }),
    "E.g. 'https://quotes.example.com'."],
  canarySchedule: [Checks.duration({ wholeMinutes: true, minSeconds: 60, maxSeconds: 3600 }), 'E.g. Duration.minutes(5).'],
  clientErrorAnomalyAlarm: [Checks.boolean],
};

/**
 * The base of the operable APIs (OperableRestApi, OperableHttpApi): availability (5XX) and latency SLOs on the stage,
 * the optional 4XX anomaly alarm, the synthetic canary on a health path, the access-log query on the dashboard. The
 * kinds differ only in how they reach their stage.
 */
export abstract class OperableApiBase extends OperableService {
  private availabilitySlo?: ServiceLevelObjective;
  private latencySlo?: ServiceLevelObjective;
  private healthCanary?: HttpCanary;

  protected constructor(scope: Construct, id: string, props: OperableApiProps) {
    super(scope, id, props);
    checkProps(this, 'OperableApiProps', props, API_PROP_CHECKS);
    if (props.healthCheckPath === undefined) {
      const needsPath = (['healthCheckBaseUrl', 'canarySchedule'] as const).filter((k) => props[k] !== undefined);
      if (needsPath.length > 0 || props.canary === true) {
        fail(this, `${[...needsPath, ...(props.canary === true ? ['canary: true'] : [])].join(' and ')} ${needsPath.length + (props.canary ? 1 : 0) === 1 ? 'is' : 'are'} ` +
          "set, but no healthCheckPath: the canary calls the health path. Pass the path, e.g. healthCheckPath: '/health'.");
      }
    } else if (props.canary === false) {
      const unused = (['healthCheckPath', 'healthCheckBaseUrl', 'canarySchedule'] as const).filter((k) => props[k] !== undefined);
      fail(this, `${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} set, but canary is false: only the canary uses ` +
        `${unused.length === 1 ? 'it' : 'them'}. Remove ${unused.length === 1 ? 'it' : 'them'}, or the canary: false.`);
    }
  }

  /**
   * Check every prop of the API kind's props, its own (`checks`) and the shared ones, and that no unknown prop is given
   * (internal: each kind calls it first thing after `super`).
   * @internal
   */
  protected _checkKindProps(props: OperableApiProps, what: string, checks: Record<string, readonly [Check, string?]>): void {
    checkProps(this, what, props, { ...API_PROP_CHECKS, ...checks }, '', { exhaustive: true });
  }

  /**
   * The availability SLO (5XX over requests).
   * @default - none when availabilitySlo is false
   */
  public get availability(): ServiceLevelObjective | undefined {
    return this.availabilitySlo;
  }

  /**
   * The latency SLO (percentile rank of the stage's Latency).
   * @default - none when latencySlo is false
   */
  public get latency(): ServiceLevelObjective | undefined {
    return this.latencySlo;
  }

  /**
   * The synthetic canary.
   * @default - none without a healthCheckPath, or when the API cannot be reached from outside
   */
  public get canary(): HttpCanary | undefined {
    return this.healthCanary;
  }

  /**
   * The URL of a path on the watched stage, e.g. `urlForPath('/health')`.
   */
  public abstract urlForPath(path: string): string;

  /**
   * SLOs, the optional 4XX anomaly alarm, the canary and the dashboard signals of the API (internal: each kind calls it
   * once it has its stage).
   * @internal
   */
  protected _makeOperable(props: OperableApiProps, metrics: ApiMetrics, opts: {
    /** Why the API's own endpoint cannot be reached from outside, if it cannot. */
    readonly unreachable?: string;
    readonly accessLogs?: logs.ILogGroup;
  }): void {
    const slos = this._addDefaultSlos(props, { bad: metrics.serverErrors, total: metrics.count, latency: metrics.latency });
    this.availabilitySlo = slos.availability;
    this.latencySlo = slos.latency;
    if (props.clientErrorAnomalyAlarm) {
      this.addAnomalyAlarm('ClientErrorAnomaly', {
        metric: metrics.clientErrorRate,
        summary: `The 4XX rate of ${this.serviceName} is above its expected band for 15 minutes: clients fail more than usual.`,
        alarmNameSuffix: 'client-error-anomaly',
      });
    }
    // A health path means a canary (the constructor refused canary: false with one): it must be able to call the API.
    const base = props.healthCheckBaseUrl;
    if (props.healthCheckPath !== undefined) {
      if (base === undefined && opts.unreachable !== undefined) {
        fail(this, `healthCheckPath '${props.healthCheckPath}' is set, but ${opts.unreachable}, so the canary cannot call it: pass ` +
          'healthCheckBaseUrl (e.g. your custom domain) for the canary to call, or remove healthCheckPath.');
      }
      this.healthCanary = new HttpCanary(this, 'Canary', {
        url: base !== undefined ? `${base}${props.healthCheckPath}` : this.urlForPath(props.healthCheckPath),
        schedule: props.canarySchedule,
      });
    }
    this._addSignals({
      traffic: metrics.count,
      errors: metrics.serverErrors,
      latency: metrics.latency,
      saturation: [metrics.clientErrors.with({ label: '4XX (includes 429 throttling)' })],
    }, opts.accessLogs ? { title: `${this.serviceName}: recent 5XX`, logGroups: [opts.accessLogs], query: RECENT_SERVER_ERRORS_QUERY } : undefined);
  }

  /**
   * `logRetention` applies to the access log group cdk-operable creates: an error when it creates none (internal).
   * @internal
   */
  protected _checkLogRetention(props: OperableApiProps, createsLogGroup: boolean, why: string): void {
    if (props.logRetention !== undefined && !createsLogGroup) {
      fail(this, `logRetention (${props.logRetention} days) is set, but cdk-operable creates no access log group here (${why}): set the ` +
        'retention where the access log group is defined, or remove logRetention.');
    }
  }
}

/** Access-log query for recent server errors (JSON access logs with a `status` field). */
export const RECENT_SERVER_ERRORS_QUERY = [
  'fields @timestamp, status, httpMethod, resourcePath, routeKey, requestId, ip',
  '| filter status like /^5/',
  '| sort @timestamp desc',
  '| limit 50',
].join('\n');
