import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import type { IOperableService } from './operable-service';
import { AlarmDescription } from '../core/alarm-description';
import { Checks, checkProps, checkRequired } from '../core/checks';
import { compactAlarm, compactString } from '../core/compact';
import { fail, warn, Warnings } from '../core/errors';
import { alarmName } from '../core/naming';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { ProcedureKind, proceduresFor, tagRunbookLate } from '../core/procedures';
import { Severity } from '../core/severity';
import { Workload } from '../core/workload';
import { ScaleEksNodegroup } from '../runbooks/presets/scale-eks-nodegroup';

/**
 * Properties of an operable EKS cluster.
 */
export interface OperableEksClusterProps {
  /**
   * The cluster (an `aws-eks-v2` cluster defined in this app, with a `clusterName`, in the same stack): its telemetry
   * log groups are created before it writes to them, which needs the name and one stack.
   */
  readonly cluster: eks.Cluster;

  /**
   * Install the `amazon-cloudwatch-observability` add-on: the CloudWatch agent and Fluent Bit (Container Insights with
   * enhanced observability, container logs) and Application Signals, with an EKS Pod Identity role for the agent's
   * `cloudwatch-agent` service account. When false, `addonVersion` is an error, no Container Insights log group is
   * created (the add-on is managed elsewhere, and its groups may exist already), and a `cdk-operable:eks-observability`
   * warning says so.
   *
   * @default true
   */
  readonly observabilityAddon?: boolean;

  /**
   * Version of the add-on, e.g. `v4.1.0-eksbuild.1` (3.1.0 or later: earlier versions cannot use EKS Pod Identity).
   *
   * @default - the latest version EKS offers for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;

  /**
   * Turn on the `api`, `audit` and `authenticator` control-plane log types on the cluster (added to the types it
   * enables already; EKS updates logging in place). When false, a cluster without them gets a
   * `cdk-operable:eks-observability` warning.
   *
   * @default true
   */
  readonly controlPlaneLogging?: boolean;

  /**
   * Retention of the control-plane and Container Insights log groups.
   *
   * @default - the workload tier's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Create a `ScaleEksNodegroup` runbook (behind the workload's approval) for each managed node group of the cluster defined
   * before this construct; the node alarms then name it. Each may set up to twice the node group's `maxSize`.
   *
   * @default - true when the workload has approvers
   */
  readonly nodegroupRunbooks?: boolean;
}

const OPERABLE_EKS_CLUSTER_SYMBOL = Symbol.for('cdk-operable.OperableEksCluster');
/** The control-plane log types every operable cluster sends (who called the API, what changed, who authenticated). */
const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator'];
const ADDON_NAME = 'amazon-cloudwatch-observability';
const AGENT_SERVICE_ACCOUNT = 'cloudwatch-agent';
const CONTAINER_INSIGHTS_GROUPS = ['application', 'dataplane', 'host', 'performance'] as const;
const FIVE_MINUTES = Duration.minutes(5);

const CHECKS = {
  cluster: [Checks.instance((v) => v instanceof eks.Cluster, 'an eks.Cluster of aws-cdk-lib/aws-eks-v2 defined in this app'),
    'An imported cluster cannot be changed: make it operable where it is defined.'],
  observabilityAddon: [Checks.boolean],
  addonVersion: [Checks.string({ tokens: false, pattern: /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, patternText: "an add-on version like 'v4.1.0-eksbuild.1'" })],
  controlPlaneLogging: [Checks.boolean],
  nodegroupRunbooks: [Checks.boolean],
  logRetention: [Checks.enumOf(logs.RetentionDays, 'logs.RetentionDays'), 'E.g. logs.RetentionDays.SIX_MONTHS.'],
} as const;

/**
 * The telemetry of an Amazon EKS cluster (`aws-eks-v2`), as the operable Kubernetes services on it need it: the
 * `amazon-cloudwatch-observability` add-on (Container Insights with enhanced observability, container logs through
 * Fluent Bit, Application Signals), control-plane logging (`api`, `audit`, `authenticator`), the log groups both write
 * to — created in the stack, retained, with the workload tier's retention, and before the cluster and the add-on so AWS
 * does not create them first without retention — and ticket alarms on node and cluster saturation.
 *
 * The add-on's agent gets its permissions through EKS Pod Identity: a role with `CloudWatchAgentServerPolicy` and
 * `AWSXrayWriteOnlyAccess` (Application Signals traces) associated with the `cloudwatch-agent` service account only,
 * instead of the node role (which would hand them to every pod on the nodes) or IRSA (which needs the cluster's OIDC
 * provider, a custom resource). A cluster without EKS Auto Mode also gets the `eks-pod-identity-agent` add-on (Auto
 * Mode runs it itself).
 *
 * The cluster is not a service: its alarms (`<workload>-eks-<cluster>-node-cpu`, `-node-memory`, `-failed-nodes`)
 * carry no actions and ticket through the services that run on it (`OperableKubernetesService` with
 * `clusterTelemetry`, or `addTicketAlarmsTo`). Adopting a cluster that already wrote logs: its log groups exist, so
 * import them into the stack (`cdk import`) or delete them before deploying.
 *
 * @example
 * const telemetry = new OperableEksCluster(workload, 'Telemetry', { cluster });
 * new OperableKubernetesService(workload, 'Quotes', { cluster, kubernetesNamespace: 'shop', signals: KubernetesSignals.applicationSignals(),
 *   clusterTelemetry: telemetry });
 */
export class OperableEksCluster extends Construct {
  /**
   * Whether `x` is an OperableEksCluster (works across copies of this library).
   */
  public static isOperableEksCluster(x: unknown): x is OperableEksCluster {
    return x !== null && typeof x === 'object' && OPERABLE_EKS_CLUSTER_SYMBOL in (x as object);
  }

  /** The cluster. */
  public readonly cluster: eks.Cluster;
  /** The cluster's name. */
  public readonly clusterName: string;
  /** The workload the cluster's alarms belong to. */
  public readonly workload: Workload;
  /** The control-plane log group, `/aws/eks/<cluster>/cluster`. */
  public readonly controlPlaneLogGroup: logs.LogGroup;
  /**
   * The Container Insights application log group, `/aws/containerinsights/<cluster>/application` (container logs).
   * @default - none when observabilityAddon is false
   */
  public readonly applicationLogGroup?: logs.LogGroup;
  /**
   * The `amazon-cloudwatch-observability` add-on.
   * @default - none when observabilityAddon is false
   */
  public readonly addon?: eks.Addon;
  /**
   * The role of the add-on's agent (EKS Pod Identity).
   * @default - none when observabilityAddon is false
   */
  public readonly addonRole?: iam.Role;
  /** Ticket alarm: nodes at 80 % CPU or more on average for 15 minutes. */
  public readonly nodeCpuAlarm: cloudwatch.Alarm;
  /** Ticket alarm: nodes at 80 % memory or more on average for 15 minutes. */
  public readonly nodeMemoryAlarm: cloudwatch.Alarm;
  /** Ticket alarm: a node failed (a node condition) for 15 minutes. */
  public readonly failedNodesAlarm: cloudwatch.Alarm;
  /** The Container Insights log groups (application, dataplane, host, performance), empty without the add-on. */
  public readonly containerInsightsLogGroups: logs.LogGroup[];
  /** The node-group scaling runbooks (empty when `nodegroupRunbooks` is false or the cluster has no managed node group). */
  public readonly nodegroupRunbooks: ScaleEksNodegroup[];

  constructor(scope: Construct, id: string, props: OperableEksClusterProps) {
    super(scope, id);
    Object.defineProperty(this, OPERABLE_EKS_CLUSTER_SYMBOL, { value: true });
    checkProps(this, 'OperableEksClusterProps', props, CHECKS, '', { exhaustive: true });
    checkRequired(this, 'cluster', props.cluster, CHECKS.cluster[0], CHECKS.cluster[1]);
    this.workload = Workload.of(this);
    this.cluster = props.cluster;
    const cfn = this.cluster.node.defaultChild as eks.CfnCluster;
    const stack = Stack.of(this);
    if (Stack.of(this.cluster) !== stack) {
      fail(this, `cluster ${this.cluster.node.path} is in stack ${Stack.of(this.cluster).node.path}, not in ${stack.node.path}: the cluster must ` +
        'depend on the log groups this construct creates. Define the OperableEksCluster in the stack of the cluster.');
    }
    const name = stack.resolve(cfn.name);
    if (typeof name !== 'string') {
      fail(this, `cluster ${this.cluster.node.path} has no clusterName: its log groups (/aws/eks/<name>/cluster, /aws/containerinsights/<name>/...) ` +
        'must exist before the cluster and its add-on write to them, which needs the name at synth. Give the cluster a clusterName.');
    }
    this.clusterName = name as string;
    if (props.observabilityAddon === false && props.addonVersion !== undefined) {
      fail(this, `addonVersion is '${props.addonVersion}' but observabilityAddon is false: remove addonVersion, or the observabilityAddon: false.`);
    }
    const version = /^v(\d+)\.(\d+)\./.exec(props.addonVersion ?? '');
    if (version && (Number(version[1]) < 3 || (Number(version[1]) === 3 && Number(version[2]) < 1))) {
      fail(this, `addonVersion '${props.addonVersion}' cannot use EKS Pod Identity, which the add-on supports from v3.1.0: use v3.1.0-eksbuild.1 or later.`);
    }
    const retention = props.logRetention ?? this.workload.tier.logRetention;
    const logGroup = (groupId: string, logGroupName: string) => new logs.LogGroup(this, groupId, {
      logGroupName,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.controlPlaneLogGroup = logGroup('ControlPlaneLogs', `/aws/eks/${this.clusterName}/cluster`);
    cfn.addResourceDependency(this.controlPlaneLogGroup.node.defaultChild as logs.CfnLogGroup,
      'EKS creates the control-plane log group without retention when it does not exist yet');
    this.controlPlaneLogging(cfn, props.controlPlaneLogging ?? true);

    if (props.observabilityAddon ?? true) {
      this.containerInsightsLogGroups = CONTAINER_INSIGHTS_GROUPS.map((g) =>
        logGroup(`ContainerInsights${g[0].toUpperCase()}${g.slice(1)}Logs`, `/aws/containerinsights/${this.clusterName}/${g}`));
      this.applicationLogGroup = this.containerInsightsLogGroups[0];
      this.addonRole = new iam.Role(this, 'AddonRole', {
        assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
        description: `EKS Pod Identity role of the ${ADDON_NAME} add-on's ${AGENT_SERVICE_ACCOUNT} service account (cluster ${this.clusterName})`,
        managedPolicies: [
          iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'),
          iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXrayWriteOnlyAccess'),
        ],
      });
      this.addon = new eks.Addon(this, 'ObservabilityAddon', { cluster: this.cluster, addonName: ADDON_NAME, addonVersion: props.addonVersion });
      const cfnAddon = this.addon.node.defaultChild as eks.CfnAddon;
      cfnAddon.podIdentityAssociations = [{ serviceAccount: AGENT_SERVICE_ACCOUNT, roleArn: this.addonRole.roleArn }];
      this.addon.node.addDependency(...this.containerInsightsLogGroups);
      const autoMode = (stack.resolve(cfn.computeConfig) as { enabled?: unknown } | undefined)?.enabled === true;
      if (!autoMode) this.addon.node.addDependency(this.cluster.eksPodIdentityAgent!);
      this.node.addValidation({ validate: () => this.otherObservabilityAddons() });
    } else {
      this.containerInsightsLogGroups = [];
      warn(this, Warnings.EKS_OBSERVABILITY, `observabilityAddon is false: cluster ${this.clusterName} gets no ${ADDON_NAME} add-on from ` +
        'cdk-operable, so Container Insights metrics (the node, pod and restart alarms), container logs and Application Signals depend on an ' +
        `agent installed elsewhere, whose log groups /aws/containerinsights/${this.clusterName}/* need a retention (OPS04-BP01, OPS04-BP02).`);
    }

    const nodegroups = this.cluster.node.findAll().filter((c): c is eks.Nodegroup => c instanceof eks.Nodegroup);
    if (props.nodegroupRunbooks && nodegroups.length === 0) {
      fail(this, `nodegroupRunbooks is true but cluster ${this.clusterName} has no managed node group yet: add it (cluster.addNodegroupCapacity) ` +
        'before the OperableEksCluster, or leave nodegroupRunbooks unset.');
    }
    this.nodegroupRunbooks = (props.nodegroupRunbooks ?? this.workload.approvers !== undefined) ? nodegroups.map((ng) => {
      const scaling = stack.resolve((ng.node.defaultChild as eks.CfnNodegroup).scalingConfig) as { maxSize?: unknown } | undefined;
      const max = typeof scaling?.maxSize === 'number' ? scaling.maxSize : 2;
      // addNodegroupCapacity('Workers') names the construct 'NodegroupWorkers': the runbook is 'Scale<Workers>'.
      return new ScaleEksNodegroup(this, `Scale${ng.node.id.replace(/^Nodegroup(?=.)/, '')}`, { nodegroup: ng, maxNodes: Math.max(2, max * 2) });
    }) : [];

    this.nodeCpuAlarm = this.alarm('NodeCpu', 'node-cpu', 'node_cpu_utilization', 'Average', 80,
      'nodes used 80% or more of their CPU on average for 15 minutes: new pods may not fit. Add capacity (scale the node group or ' +
      'node pool) or find what consumes it.');
    this.nodeMemoryAlarm = this.alarm('NodeMemory', 'node-memory', 'node_memory_utilization', 'Average', 80,
      'nodes used 80% or more of their memory on average for 15 minutes: pods risk eviction and OOM kills. Add capacity or find ' +
      'what consumes it.');
    this.failedNodesAlarm = this.alarm('FailedNodes', 'failed-nodes', 'cluster_failed_node_count', 'Maximum', 1,
      'a node has been failing (a node condition: not ready, memory, disk or PID pressure) for 15 minutes. Check the node ' +
      'conditions and replace the node.');
  }

  /** The ticket alarms of the cluster: node CPU, node memory and failed nodes. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [this.nodeCpuAlarm, this.nodeMemoryAlarm, this.failedNodesAlarm];
  }

  /**
   * Ticket on the cluster's alarms through `service`'s ticket composite (each alarm may sit in up to 150 composites:
   * add them to the services whose owners should hear about the cluster).
   */
  public addTicketAlarmsTo(service: IOperableService): void {
    for (const alarm of this.alarms) service.addTicketAlarm(alarm);
  }

  /** A second add-on of the same name on the cluster would fail the deployment (EKS installs an add-on once per cluster). */
  private otherObservabilityAddons(): string[] {
    const stack = Stack.of(this);
    const mine = this.addon!.node.defaultChild;
    const cluster = JSON.stringify(stack.resolve(this.cluster.clusterName));
    const other = stack.node.findAll().find((c): c is eks.CfnAddon => c instanceof eks.CfnAddon && c !== mine && c.addonName === ADDON_NAME &&
      JSON.stringify(stack.resolve(c.clusterName)) === cluster);
    return other ? [`cluster ${this.clusterName} already gets the ${ADDON_NAME} add-on from ${other.node.path}, and EKS installs an add-on once ` +
      'per cluster: set observabilityAddon: false here, or remove the other add-on.'] : [];
  }

  private controlPlaneLogging(cfn: eks.CfnCluster, enable: boolean): void {
    const stack = Stack.of(this);
    const current = stack.resolve(cfn.logging) as { clusterLogging?: { enabledTypes?: Array<{ type?: string }> } } | undefined;
    const enabled = (current?.clusterLogging?.enabledTypes ?? []).map((t) => t.type).filter((t): t is string => typeof t === 'string');
    const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
    if (missing.length === 0) return;
    if (enable) {
      // aws-eks-v2 renders clusterLogging into the L1 at creation; adding types there is a no-interruption update.
      cfn.logging = { clusterLogging: { enabledTypes: [...enabled, ...missing].map((type) => ({ type })) } };
    } else {
      warn(this, Warnings.EKS_OBSERVABILITY, `cluster ${this.clusterName} does not send the ${missing.join(', ')} control-plane logs, and ` +
        'controlPlaneLogging is false: who called the Kubernetes API and what changed is not recorded (OPS04-BP02). Add them to the ' +
        'cluster\'s clusterLogging, or remove controlPlaneLogging: false.');
    }
  }

  private alarm(id: string, what: string, metricName: string, statistic: string, threshold: number, summary: string): cloudwatch.Alarm {
    const name = alarmName(this, [this.workload.workloadName, 'eks', this.clusterName, what]);
    const alarm: cloudwatch.Alarm = new cloudwatch.Alarm(this, id, {
      alarmName: name,
      alarmDescription: this.describe(() => alarm, `Ticket: EKS cluster ${this.clusterName}: ${summary} Tickets through the ticket composites ` +
        'of the services that run on the cluster; no actions of its own.'),
      metric: new cloudwatch.Metric({
        namespace: 'ContainerInsights',
        metricName,
        dimensionsMap: { ClusterName: this.clusterName },
        statistic,
        period: FIVE_MINUTES,
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    claimPhysicalName(alarm, PhysicalNameKind.ALARM, name);
    compactAlarm(alarm);
    tagRunbookLate(alarm, () => this.runbooks()[0]);
    return alarm;
  }

  /**
   * The runbooks the cluster's alarms name, most specific first (read at synth): those registered on the cluster or its
   * node groups (e.g. a node-group scaling runbook), else `<runbookBaseUrl>/eks-<cluster>`.
   */
  private runbooks(): string[] {
    const targets: IConstruct[] = [this.cluster, ...this.cluster.node.findAll().filter((c) => c instanceof eks.Nodegroup)];
    const found = [...new Set(targets.flatMap(proceduresFor).filter((p) => p.kind === ProcedureKind.RUNBOOK).map((p) => p.documentName))];
    if (found.length > 0) return found;
    const fallback = this.workload.runbookServiceUrl(`eks-${this.clusterName}`);
    return fallback !== undefined ? [fallback] : [];
  }

  private describe(alarm: () => IConstruct, summary: string): string {
    return compactString(this, Lazy.string({
      produce: () => {
        const [first, ...others] = this.runbooks();
        return AlarmDescription.render({
          summary: others.length > 0 ? `${summary} Also: ${others.join('; ')}.` : summary,
          severity: Severity.TICKET,
          owner: this.workload.owner.team,
          runbook: first,
        }, alarm());
      },
    }));
  }
}
