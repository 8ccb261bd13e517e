import { Lazy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { containerInsightsAlarms, containerInsightsSaturation, recentErrorsQuery } from './kubernetes-alarms';
import { BoundKubernetesSignals, KubernetesSignals } from './kubernetes-signals';
import { OperableEksCluster } from './operable-eks-cluster';
import { OperableService, OperableServiceProps, SERVICE_PROP_CHECKS, SLO_DEFAULT_CHECKS } from './operable-service';
import { analysisMetrics, rolloutAnalysisTemplate } from './rollout-analysis';
import { ServiceSloDefaults } from './service-options';
import { Checks, checkProps, checkRequired } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';
import { Sli } from '../slo/sli';
import { ServiceLevelObjective } from '../slo/slo';

/** A DNS-1123 label (a namespace name). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain (a deployment or AnalysisTemplate name). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_TEXT = "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters, starting and ending with a letter or digit)";
const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';

/**
 * Properties of an operable Kubernetes service.
 */
export interface OperableKubernetesServiceProps extends OperableServiceProps, ServiceSloDefaults {
  /**
   * The EKS cluster (`aws-eks-v2`) the workload runs on: defined in the app, or imported with
   * `eks.Cluster.fromClusterAttributes` (with its `kubectlProvider` when `argoRollouts` is true).
   */
  readonly cluster: eks.ICluster;

  /**
   * The Kubernetes namespace of the workload (a DNS-1123 label). Named so because `namespace` is a reserved word in C#.
   *
   * @default 'default'
   */
  readonly kubernetesNamespace?: string;

  /**
   * Name of the workload's Deployment or Argo Rollout (a DNS-1123 subdomain): Container Insights reports its pods
   * under it (`PodName`), and it names the AnalysisTemplate `<deploymentName>-slo-burn`.
   *
   * @default - the service name
   */
  readonly deploymentName?: string;

  /**
   * Where the SLIs come from: `KubernetesSignals.applicationSignals()`, `.loadBalancer(...)` or `.custom(...)`.
   */
  readonly signals: KubernetesSignals;

  /**
   * Apply the Argo Rollouts AnalysisTemplate (`rolloutAnalysis`) to the cluster through its kubectl provider, so the
   * workload's Rollout can gate canary steps on the SLOs' fast burn. Needs Argo Rollouts in the cluster and the
   * cluster's kubectl provider (an imported cluster: `kubectlProvider`). When false, a
   * `cdk-operable:kubernetes-no-rollout-analysis` warning says how to apply it.
   *
   * @default false
   */
  readonly argoRollouts?: boolean;

  /**
   * The cluster's telemetry: its node and cluster alarms then ticket through this service, and the recent-errors query
   * reads its application log group. It must watch `cluster`.
   *
   * @default - none: the cluster alarms do not ticket through this service
   */
  readonly clusterTelemetry?: OperableEksCluster;

  /**
   * Read the workload's Container Insights metrics (published by the `amazon-cloudwatch-observability` add-on on EC2
   * nodes, not on Fargate): ticket alarms on container restarts and on pods near their CPU or memory limit, and the
   * saturation graphs.
   *
   * @default true
   */
  readonly containerInsights?: boolean;
}

const KUBERNETES_CHECKS = {
  ...SERVICE_PROP_CHECKS,
  ...SLO_DEFAULT_CHECKS,
  cluster: [Checks.instance((v) => typeof (v as eks.ICluster | undefined)?.clusterName === 'string' &&
    typeof (v as eks.ICluster).addManifest === 'function', 'an eks.ICluster of aws-cdk-lib/aws-eks-v2'),
  'Pass new eks.Cluster(...), or eks.Cluster.fromClusterAttributes(scope, id, { clusterName, kubectlProvider }).'],
  kubernetesNamespace: [Checks.string({
    tokens: false,
    pattern: DNS_LABEL,
    patternText: "a DNS-1123 label (lowercase letters, digits and '-', at most 63 " +
    'characters, starting and ending with a letter or digit)',
  }), "E.g. 'shop'."],
  deploymentName: [Checks.string({ tokens: false, pattern: DNS_SUBDOMAIN, patternText: SUBDOMAIN_TEXT }), "E.g. 'quotes'."],
  signals: [Checks.instance(KubernetesSignals.isKubernetesSignals, 'a KubernetesSignals'),
    'Use KubernetesSignals.applicationSignals(), KubernetesSignals.loadBalancer({ ... }) or KubernetesSignals.custom({ ... }).'],
  argoRollouts: [Checks.boolean],
  clusterTelemetry: [Checks.instance(OperableEksCluster.isOperableEksCluster, 'an OperableEksCluster')],
  containerInsights: [Checks.boolean],
} as const;

/**
 * A workload on Amazon EKS with the operational Definition of Done: availability and latency SLOs read from
 * Application Signals, the load balancer in front of it, or metrics of your own (`KubernetesSignals`); ticket alarms on
 * Container Insights (container restarts, pods near their CPU or memory limit) and, with `clusterTelemetry`, on the
 * cluster's nodes; a dashboard and an investigation playbook with a Logs Insights query over the container logs; ORR tags.
 *
 * Progressive delivery: `rolloutAnalysis` is an Argo Rollouts `AnalysisTemplate` named `<deploymentName>-slo-burn` whose
 * CloudWatch metric provider reads each SLO's burn rate over its fast-burn short window (5 minutes with the default
 * policy) and fails a canary step when it reaches the fast-burn threshold (14.4×), before the page composite fires.
 * With `argoRollouts: true` it is applied to the cluster. A Rollout in the same namespace references it from a canary
 * step (`steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'quotes-slo-burn' }] } }]`) or as a
 * background analysis (`strategy.canary.analysis.templates`). The Argo Rollouts controller needs
 * `cloudwatch:GetMetricData` (through IRSA or EKS Pod Identity on its service account) and `AWS_REGION`. Without Argo
 * Rollouts the template is inert: a plain Deployment rolls out without a gate, and a bad release is caught only by the
 * page composite.
 *
 * Rolling back or restarting a workload are Kubernetes API actions (`kubectl rollout undo`, `kubectl rollout
 * restart`): SSM Automation cannot call the Kubernetes API without a script step holding an EKS token, so this
 * service wires no rollback runbook; Argo Rollouts aborts a failing canary itself, and the runbook the alarms name
 * (`<runbookBaseUrl>/<service>`) should say how to run those commands.
 *
 * @example
 * new OperableKubernetesService(workload, 'Quotes', {
 *   cluster,
 *   kubernetesNamespace: 'shop',
 *   signals: KubernetesSignals.applicationSignals(),
 *   argoRollouts: true,
 * });
 */
export class OperableKubernetesService extends OperableService {
  /** The cluster the workload runs on. */
  public readonly cluster: eks.ICluster;
  /** The workload's Kubernetes namespace. */
  public readonly kubernetesNamespace: string;
  /** The workload's Deployment or Rollout name. */
  public readonly deploymentName: string;
  /** Where the SLIs come from. */
  public readonly signals: KubernetesSignals;
  /** Name of the AnalysisTemplate, `<deploymentName>-slo-burn`. */
  public readonly analysisTemplateName: string;
  /** The Container Insights application log group the recent-errors query reads. */
  public readonly applicationLogGroup: logs.ILogGroup;
  /**
   * The cluster's telemetry.
   * @default - none
   */
  public readonly clusterTelemetry?: OperableEksCluster;
  /**
   * The availability SLO.
   * @default - none when availabilitySlo is false
   */
  public readonly availability?: ServiceLevelObjective;
  /**
   * The latency SLO.
   * @default - none when latencySlo is false, or a custom source has no latency SLI
   */
  public readonly latency?: ServiceLevelObjective;
  /**
   * The manifest that applies the AnalysisTemplate.
   * @default - none unless argoRollouts is true
   */
  public readonly rolloutAnalysisManifest?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: OperableKubernetesServiceProps) {
    super(scope, id, props);
    checkProps(this, 'OperableKubernetesServiceProps', props, KUBERNETES_CHECKS, '', { exhaustive: true });
    checkRequired(this, 'cluster', props.cluster, KUBERNETES_CHECKS.cluster[0], KUBERNETES_CHECKS.cluster[1]);
    checkRequired(this, 'signals', props.signals, KUBERNETES_CHECKS.signals[0], 'Say where the SLIs come from: ' +
      'KubernetesSignals.applicationSignals() (Application Signals), KubernetesSignals.loadBalancer({ targetGroupFullName, loadBalancerFullName }) ' +
      '(the ALB in front of the workload) or KubernetesSignals.custom({ traffic, errors, ... }) (metrics of your own).');
    this.cluster = props.cluster;
    this.signals = props.signals;
    this.kubernetesNamespace = props.kubernetesNamespace ?? 'default';
    this.deploymentName = props.deploymentName ?? this.serviceName;
    if (props.deploymentName === undefined && !DNS_SUBDOMAIN.test(this.deploymentName)) {
      fail(this, `deploymentName defaults to the service name '${this.serviceName}', which is not ${SUBDOMAIN_TEXT}: pass the workload's ` +
        'deploymentName.');
    }
    this.analysisTemplateName = `${this.deploymentName}-slo-burn`;
    if (!DNS_SUBDOMAIN.test(this.analysisTemplateName)) {
      fail(this, `the AnalysisTemplate name '${this.analysisTemplateName}' is longer than 253 characters: shorten deploymentName.`);
    }
    if (props.clusterTelemetry && props.clusterTelemetry.cluster !== props.cluster) {
      fail(this, `clusterTelemetry watches cluster ${props.clusterTelemetry.cluster.node.path}, not ${props.cluster.node.path}: pass the ` +
        'OperableEksCluster of the cluster the workload runs on.');
    }
    this.clusterTelemetry = props.clusterTelemetry;
    const clusterName = literalClusterName(this.cluster);
    const bound = this.signals._bind(this, { clusterName, namespace: this.kubernetesNamespace, deploymentName: this.deploymentName });

    const slos = bound.defaultSloMetrics ? this._addDefaultSlos(props, bound.defaultSloMetrics) : this.addCustomSlos(props, bound);
    this.availability = slos.availability;
    this.latency = slos.latency;

    const containerInsights = props.containerInsights ?? true;
    const workload = { clusterName, namespace: this.kubernetesNamespace, podName: this.deploymentName };
    if (containerInsights) {
      for (const { id: alarmId, options } of containerInsightsAlarms(workload)) this.addOperationalAlarm(alarmId, options);
    }
    if (bound.unhealthyTargets) {
      this.addOperationalAlarm('UnhealthyTargets', {
        metric: bound.unhealthyTargets,
        threshold: 1,
        evaluationPeriods: 15,
        summary: `Targets of ${this.deploymentName} (namespace ${this.kubernetesNamespace}) failed the load balancer's health checks for 15 minutes: ` +
          'pods are not ready, or the load balancer cannot reach them.',
      });
    }
    props.clusterTelemetry?.addTicketAlarmsTo(this);

    if (props.argoRollouts) {
      if (!this.cluster.kubectlProvider) {
        fail(this, `argoRollouts is true, but cluster ${this.cluster.node.path} has no kubectl provider to apply the AnalysisTemplate with: create it ` +
          "with kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'Kubectl') }, or import it with kubectlProvider " +
          '(eks.KubectlProvider.fromKubectlProviderAttributes); or set argoRollouts: false and apply rolloutAnalysis with your own tooling.');
      }
      // Rendered late: SLOs added after construction are gated too.
      this.rolloutAnalysisManifest = new eks.KubernetesManifest(this, 'RolloutAnalysis', {
        cluster: this.cluster,
        manifest: [{
          ...this.rolloutAnalysis,
          spec: { metrics: Lazy.any({ produce: () => analysisMetrics(this, this.slos) }) },
        }],
      });
    } else {
      warn(this, Warnings.KUBERNETES_NO_ROLLOUT_ANALYSIS, `argoRollouts is ${props.argoRollouts === false ? 'false' : 'not set'}: the Argo Rollouts ` +
        `AnalysisTemplate '${this.analysisTemplateName}' is not applied, so canary steps are not gated by the SLOs' fast burn (OPS06-BP04). Set ` +
        'argoRollouts: true to apply it through the cluster\'s kubectl provider, or apply the rolloutAnalysis property with your own tooling ' +
        '(GitOps) and acknowledge this warning.');
    }

    this.applicationLogGroup = props.clusterTelemetry?.applicationLogGroup
      ?? logs.LogGroup.fromLogGroupName(this, 'ApplicationLogs', `/aws/containerinsights/${clusterName}/application`);
    this._addSignals({
      traffic: bound.traffic,
      errors: bound.errors,
      latency: bound.latencyGraph,
      saturation: [...bound.saturation, ...(containerInsights ? containerInsightsSaturation(workload) : [])],
    }, {
      title: `${this.serviceName}: recent errors in the container logs`,
      logGroups: [this.applicationLogGroup],
      query: recentErrorsQuery(this.kubernetesNamespace, this.deploymentName),
    });
    if (containerInsights && !props.clusterTelemetry) {
      this.node.addValidation({ validate: () => this.checkObservability() });
    }
  }

  /**
   * The Argo Rollouts `AnalysisTemplate` manifest (apiVersion `argoproj.io/v1alpha1`) gating canary steps on the SLOs'
   * fast burn, one metric per SLO; read when asked, so SLOs added later are in it. Apply it with `argoRollouts: true`,
   * or with your own tooling once its tokens are resolved.
   */
  public get rolloutAnalysis(): { [key: string]: unknown } {
    return rolloutAnalysisTemplate(this, {
      name: this.analysisTemplateName,
      namespace: this.kubernetesNamespace,
      workloadName: this.workload.workloadName,
      serviceName: this.serviceName,
      slos: this.slos,
    });
  }

  /** The SLOs of a custom source: its Slis, with the settings that apply to them; a setting that does not is an error. */
  private addCustomSlos(props: OperableKubernetesServiceProps, bound: BoundKubernetesSignals):
  { availability?: ServiceLevelObjective; latency?: ServiceLevelObjective } {
    checkProps(this, 'ServiceSloDefaults', props, SLO_DEFAULT_CHECKS);
    const custom = 'signals (KubernetesSignals.custom)';
    if (props.availabilitySlo === false && props.availabilityObjective !== undefined) {
      fail(this, 'availabilityObjective is set but availabilitySlo is false: remove it, or the availabilitySlo: false.');
    }
    if (props.availabilitySlo === false && bound.availability) {
      fail(this, `${custom} has an availability Sli, but availabilitySlo is false: remove one of them.`);
    }
    if (bound.latency) {
      if (props.latencySlo === false) fail(this, `${custom} has a latency Sli, but latencySlo is false: remove one of them.`);
      if (props.latencyThreshold !== undefined) {
        fail(this, `latencyThreshold is set, but the latency Sli of ${custom} carries its own threshold: pass it as Sli.latency({ threshold }) ` +
          'and remove latencyThreshold.');
      }
    } else {
      if (props.latencySlo === true) {
        fail(this, `latencySlo is true, but ${custom} has no latency Sli: pass latency: Sli.latency({ metric, unit, threshold }), or remove latencySlo.`);
      }
      const given = (['latencyObjective', 'latencyThreshold'] as const).filter((p) => props[p] !== undefined);
      if (given.length > 0) {
        fail(this, `${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} set, but ${custom} has no latency Sli, so the service has no latency ` +
          `SLO: remove ${given.length === 1 ? 'it' : 'them'}, or pass latency: Sli.latency({ metric, unit, threshold }).`);
      }
    }
    const availability = props.availabilitySlo ?? true
      ? this.addSlo('Availability', {
        sli: bound.availability ?? Sli.ratio({ bad: bound.errors, total: bound.traffic }),
        objective: props.availabilityObjective,
        policy: props.policy,
      })
      : undefined;
    const latency = bound.latency
      ? this.addSlo('Latency', { sli: bound.latency, objective: props.latencyObjective, policy: props.policy })
      : undefined;
    return { availability, latency };
  }

  /**
   * Container Insights alarms read what the observability add-on publishes: warn when the app shows no add-on (or
   * OperableEksCluster) for the cluster.
   */
  private checkObservability(): string[] {
    const all = this.node.root.node.findAll();
    const watched = all.some((c) => OperableEksCluster.isOperableEksCluster(c) && c.cluster === this.cluster && c.addon !== undefined)
      || all.some((c) => c instanceof eks.CfnAddon && c.addonName === OBSERVABILITY_ADDON && sameCluster(c, this.cluster));
    if (!watched) {
      warn(this, Warnings.EKS_OBSERVABILITY, `the Container Insights alarms and the container-log query read what the ${OBSERVABILITY_ADDON} add-on ` +
        `publishes, and cdk-operable finds no such add-on for cluster ${this.cluster.node.path} in this app (or the cluster is imported): pass ` +
        'clusterTelemetry (an OperableEksCluster), or make sure the add-on runs in the cluster (OPS04-BP02).');
    }
    return [];
  }
}

/** The cluster's name as a literal when it is known at synth (readable dimensions, no reference), else the token. */
function literalClusterName(cluster: eks.ICluster): string {
  const cfn = cluster.node.defaultChild;
  if (cfn instanceof eks.CfnCluster) {
    const name = Stack.of(cfn).resolve(cfn.name);
    if (typeof name === 'string') return name;
  }
  return cluster.clusterName;
}

/** Whether an add-on is installed on `cluster` (compared by resolved name within one stack). */
function sameCluster(addon: eks.CfnAddon, cluster: eks.ICluster): boolean {
  if (addon.clusterName === cluster.clusterName) return true;
  const stack = Stack.of(addon);
  return JSON.stringify(stack.resolve(addon.clusterName)) === JSON.stringify(stack.resolve(literalClusterName(cluster)));
}
