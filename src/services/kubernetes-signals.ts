import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { targetGroupMetric, targetGroupSignals } from './target-group-signals';
import { brand, hasBrand } from '../core/brand';
import { Checks, checkProps, checkRequired } from '../core/checks';
import { Sli } from '../slo/sli';

/**
 * Where the SLIs of a Kubernetes service are read from in Application Signals.
 */
export interface ApplicationSignalsSourceOptions {
  /**
   * The service name Application Signals reports the workload under: the OpenTelemetry `service.name` (the
   * `OTEL_SERVICE_NAME` of the container, or the `resource.opentelemetry.io/service.name` pod annotation).
   *
   * @default - the Kubernetes deployment name, which is what the CloudWatch agent reports for an instrumented workload
   * that sets no service name of its own
   */
  readonly serviceName?: string;

  /**
   * The Application Signals environment of the workload.
   *
   * @default - `eks:<cluster name>/<namespace>`, what Application Signals reports for a workload on Amazon EKS
   */
  readonly environment?: string;
}

/**
 * The Application Load Balancer target group in front of a Kubernetes service (created by the AWS Load Balancer
 * Controller for an Ingress or a TargetGroupBinding).
 */
export interface LoadBalancerSourceOptions {
  /**
   * The target group's full name, `targetgroup/<name>/<id>` (a string or a token, e.g. read from an SSM parameter).
   */
  readonly targetGroupFullName: string;

  /**
   * The full name of the load balancer that forwards to it, `app/<name>/<id>`.
   */
  readonly loadBalancerFullName: string;
}

/**
 * SLIs of your own for a Kubernetes service: CloudWatch metrics your workload publishes (EMF, or Prometheus metrics the
 * CloudWatch agent scrapes), through the `Sli` factories.
 */
export interface CustomSignalsOptions {
  /**
   * Requests per period, for the dashboard and the investigation playbook (a count: statistic Sum or SampleCount).
   */
  readonly traffic: cloudwatch.IMetric;

  /**
   * Failed requests per period, for the dashboard and the investigation playbook (a count).
   */
  readonly errors: cloudwatch.IMetric;

  /**
   * The availability SLI.
   *
   * @default - Sli.ratio({ bad: errors, total: traffic })
   */
  readonly availability?: Sli;

  /**
   * The latency SLI, e.g. `Sli.latency({ metric, unit: cloudwatch.Unit.MILLISECONDS, threshold })`: its threshold is part of
   * the SLI, so the service's `latencyThreshold` is an error with it.
   *
   * @default - no latency SLO
   */
  readonly latency?: Sli;
}

/**
 * Where a Kubernetes service's SLIs come from.
 */
export enum KubernetesSignalSource {
  /** Application Signals service metrics (`ApplicationSignals` namespace). */
  APPLICATION_SIGNALS = 'APPLICATION_SIGNALS',
  /** The Application Load Balancer target group in front of the workload (`AWS/ApplicationELB`). */
  LOAD_BALANCER = 'LOAD_BALANCER',
  /** Metrics of your own, through `Sli` factories. */
  CUSTOM = 'CUSTOM',
}

/** What a Kubernetes service's signals are read for (internal). */
export interface KubernetesWorkloadRef {
  readonly clusterName: string;
  readonly namespace: string;
  readonly deploymentName: string;
}

/** The SLIs and golden signals of a Kubernetes service, bound to its workload (internal). */
export interface BoundKubernetesSignals {
  /** The availability SLI given to a custom source (the service defaults to errors over traffic). */
  readonly availability?: Sli;
  /** The latency SLI of a custom source (the others give `latencyMetric` and the SLO reads its percentile rank). */
  readonly latency?: Sli;
  /** Bad events, total events and the latency metric for the service's default SLOs (Application Signals, load balancer). */
  readonly defaultSloMetrics?: { readonly bad: cloudwatch.IMetric; readonly total: cloudwatch.IMetric; readonly latency: cloudwatch.IMetric };
  readonly traffic: cloudwatch.IMetric;
  readonly errors: cloudwatch.IMetric;
  /** @default - no latency graph */
  readonly latencyGraph?: cloudwatch.IMetric;
  /** Source-specific saturation graphs (4XX, unhealthy targets). */
  readonly saturation: cloudwatch.IMetric[];
  /** Targets failing their load balancer health checks, per minute (load balancer source only). */
  readonly unhealthyTargets?: cloudwatch.IMetric;
}

const APPLICATION_SIGNALS_NAMESPACE = 'ApplicationSignals';
const ONE_MINUTE = Duration.minutes(1);
const isMetric = Checks.instance((v) => typeof (v as cloudwatch.IMetric | undefined)?.toMetricConfig === 'function',
  'a cloudwatch.IMetric (e.g. new cloudwatch.Metric({ namespace, metricName, statistic: \'Sum\' }))');
const isSli = Checks.instance(Sli.isSli, 'an Sli (Sli.ratio(...), Sli.latency(...))');

/**
 * Where a Kubernetes service's SLIs and golden signals come from: Application Signals, the load balancer in front of the
 * workload, or metrics of your own. Each gives the service its default availability and latency SLOs.
 *
 * @example
 * KubernetesSignals.applicationSignals();
 * KubernetesSignals.loadBalancer({ targetGroupFullName, loadBalancerFullName });
 * KubernetesSignals.custom({ traffic, errors, latency: Sli.latency({ metric, unit: cloudwatch.Unit.MILLISECONDS }) });
 */
export class KubernetesSignals {
  /**
   * Application Signals service metrics of the workload (the CloudWatch Observability add-on instruments it): `Fault`
   * (5XX and OpenTelemetry span errors, statistic Sum) over requests (`SampleCount` of `Latency`) for availability, and
   * the percentile rank of `Latency` (milliseconds) for latency, with the service-level dimensions `Environment` and
   * `Service`. `Error` (4XX) is graphed, and does not count against availability (as in Application Signals). The
   * workload must be instrumented: the add-on injects the OpenTelemetry agent into pods annotated
   * `instrumentation.opentelemetry.io/inject-<java|python|nodejs|dotnet>: "true"`.
   */
  public static applicationSignals(options: ApplicationSignalsSourceOptions = {}): KubernetesSignals {
    return new KubernetesSignals(KubernetesSignalSource.APPLICATION_SIGNALS, options);
  }

  /**
   * The Application Load Balancer target group the AWS Load Balancer Controller created for the workload: the targets'
   * and the load balancer's 5XX over `RequestCount` for availability, the percentile rank of `TargetResponseTime`
   * (seconds) for latency. Its unhealthy targets get a ticket alarm.
   */
  public static loadBalancer(options: LoadBalancerSourceOptions): KubernetesSignals {
    return new KubernetesSignals(KubernetesSignalSource.LOAD_BALANCER, options);
  }

  /**
   * Metrics of your own (EMF or Prometheus-derived): `traffic` and `errors` for the dashboard, an availability SLI
   * (errors over traffic unless given) and an optional latency SLI.
   */
  public static custom(options: CustomSignalsOptions): KubernetesSignals {
    return new KubernetesSignals(KubernetesSignalSource.CUSTOM, options);
  }

  /**
   * Whether `x` is a KubernetesSignals (works across copies of this library).
   */
  public static isKubernetesSignals(x: unknown): x is KubernetesSignals {
    return hasBrand(x, 'KubernetesSignals');
  }

  /** Where the SLIs come from. */
  public readonly source: KubernetesSignalSource;

  private readonly options: unknown;

  private constructor(source: KubernetesSignalSource, options: unknown) {
    brand(this, 'KubernetesSignals');
    this.source = source;
    this.options = options;
  }

  /**
   * The SLIs and golden signals of `workload`, checked against `scope` (the service, named in errors).
   * @internal
   */
  public _bind(scope: IConstruct, workload: KubernetesWorkloadRef): BoundKubernetesSignals {
    switch (this.source) {
      case KubernetesSignalSource.APPLICATION_SIGNALS: return this.bindApplicationSignals(scope, workload);
      case KubernetesSignalSource.LOAD_BALANCER: return this.bindLoadBalancer(scope);
      default: return this.bindCustom(scope);
    }
  }

  private bindApplicationSignals(scope: IConstruct, workload: KubernetesWorkloadRef): BoundKubernetesSignals {
    const where = 'signals: KubernetesSignals.applicationSignals ';
    checkProps(scope, 'ApplicationSignalsSourceOptions', this.options, {
      serviceName: [Checks.string({ nonEmpty: true }), 'E.g. the OTEL_SERVICE_NAME of the container.'],
      environment: [Checks.string({ nonEmpty: true }), "E.g. 'eks:shop/quotes'."],
    }, where, { exhaustive: true });
    const o = this.options as ApplicationSignalsSourceOptions;
    const serviceName = o.serviceName ?? workload.deploymentName;
    const environment = o.environment ?? `eks:${workload.clusterName}/${workload.namespace}`;
    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: APPLICATION_SIGNALS_NAMESPACE,
      metricName,
      dimensionsMap: { Environment: environment, Service: serviceName },
      statistic,
    });
    const faults = metric('Fault', 'Sum');
    const requests = metric('Latency', 'SampleCount');
    const latency = metric('Latency', 'Average');
    return {
      defaultSloMetrics: { bad: faults, total: requests, latency },
      traffic: requests.with({ label: 'Requests' }),
      errors: faults.with({ label: 'Faults (5XX)' }),
      latencyGraph: latency,
      saturation: [metric('Error', 'Sum').with({ label: 'Errors (4XX)' })],
    };
  }

  private bindLoadBalancer(scope: IConstruct): BoundKubernetesSignals {
    const where = 'signals: KubernetesSignals.loadBalancer ';
    const targetGroup = Checks.string({ pattern: /^targetgroup\/[^/]+\/[0-9a-f]+$/, patternText: "a target group full name 'targetgroup/<name>/<id>'" });
    const loadBalancer = Checks.string({ pattern: /^app\/[^/]+\/[0-9a-f]+$/, patternText: "an Application Load Balancer full name 'app/<name>/<id>'" });
    checkProps(scope, 'LoadBalancerSourceOptions', this.options, { targetGroupFullName: [targetGroup], loadBalancerFullName: [loadBalancer] },
      where, { exhaustive: true });
    const o = this.options as LoadBalancerSourceOptions;
    checkRequired(scope, `${where}targetGroupFullName`, o.targetGroupFullName, targetGroup,
      "Pass the target group's full name, e.g. read from an SSM parameter, or ApplicationTargetGroup.targetGroupFullName.");
    checkRequired(scope, `${where}loadBalancerFullName`, o.loadBalancerFullName, loadBalancer,
      "Pass the load balancer's full name, e.g. read from an SSM parameter, or ApplicationLoadBalancer.loadBalancerFullName.");
    const dims = { targetGroupFullName: o.targetGroupFullName, loadBalancerFullName: o.loadBalancerFullName };
    const tg = targetGroupSignals(dims);
    // Per minute, so the ticket can ask for 15 unhealthy minutes in a row.
    const unhealthy = targetGroupMetric(dims, 'UnHealthyHostCount', 'Maximum', ONE_MINUTE);
    return {
      defaultSloMetrics: { bad: tg.bad, total: tg.total, latency: tg.latency },
      traffic: tg.total,
      // A plain metric (the investigation playbook reads each golden signal with GetMetricData); the SLO also counts the
      // load balancer's own 5XX for the target group.
      errors: targetGroupMetric(dims, 'HTTPCode_Target_5XX_Count', 'Sum'),
      latencyGraph: tg.latency,
      saturation: [unhealthy.with({ label: 'Unhealthy targets' })],
      unhealthyTargets: unhealthy,
    };
  }

  private bindCustom(scope: IConstruct): BoundKubernetesSignals {
    const where = 'signals: KubernetesSignals.custom ';
    checkProps(scope, 'CustomSignalsOptions', this.options, {
      traffic: [isMetric],
      errors: [isMetric],
      availability: [isSli],
      latency: [isSli],
    }, where, { exhaustive: true });
    const o = this.options as CustomSignalsOptions;
    checkRequired(scope, `${where}traffic`, o.traffic, isMetric, 'Give the metric counting requests (statistic Sum).');
    checkRequired(scope, `${where}errors`, o.errors, isMetric, 'Give the metric counting failed requests (statistic Sum).');
    return {
      availability: o.availability,
      latency: o.latency,
      traffic: o.traffic,
      errors: o.errors,
      saturation: [],
    };
  }
}
