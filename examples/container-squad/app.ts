import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { OpsItemCategory, OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  AlarmDestination, AlarmRouting, Approvers, FargateDeployment, GameDay, GameDayExperiment, HttpCanary, KubernetesSignals, OperableEksCluster,
  OperableFargateService, OperableKubernetesService, OperableService, Runbook, ServiceTier, Workload,
} from '../../src';

/**
 * The reference story's dispatch squad, on containers: the dispatch API as an ECS service on Fargate behind an
 * Application Load Balancer, deployed by the ECS deployment controller as a 10 % canary rolled back by its SLO alarms,
 * with a synthetic canary on its health endpoint and a game day that stops half of its tasks; and the tracking service
 * as a Kubernetes deployment on Amazon EKS, measured by Application Signals, whose Argo Rollouts canary steps are gated by
 * its SLOs' fast burn, on a cluster with the CloudWatch observability add-on and control-plane logs. Pages go to an SNS topic
 * (what a new account can buy: Incident Manager takes no new customers), tickets to OpsCenter; on-call approves the
 * rollback, restart and scale runbooks.
 */
export class ContainerSquadStack extends Stack {
  public readonly workload: Workload;
  public readonly dispatch: OperableFargateService;
  public readonly tracking: OperableKubernetesService;
  public readonly eks: OperableEksCluster;
  public readonly services: OperableService[];
  public readonly runbooks: Runbook[];
  public readonly gameDay: GameDay;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const pages = new sns.Topic(this, 'DispatchPages', { displayName: 'Dispatch squad pages' });
    // The paging partner's HTTPS endpoint (a PagerDuty or Opsgenie integration URL) engages on-call.
    pages.addSubscription(new subscriptions.UrlSubscription('https://events.pagerduty.com/integration/EXAMPLEKEY/enqueue'));
    const approvals = new sns.Topic(this, 'RunbookApprovals', { topicName: 'AutomationDispatchApprovals' });
    const oncall = iam.Role.fromRoleArn(this, 'DispatchOncall', `arn:aws:iam::${this.account}:role/dispatch-oncall`);
    this.workload = new Workload(this, 'Logistics', {
      workloadName: 'logistics',
      owner: { team: 'dispatch', onCall: 'dispatch-oncall@example.com', chatChannel: '#dispatch-incidents' },
      tier: ServiceTier.CRITICAL,
      runbookBaseUrl: 'https://runbooks.example.com/logistics',
      approvers: Approvers.of({ roles: [oncall], notificationTopic: approvals }),
      routing: new AlarmRouting({
        page: [AlarmDestination.sns(pages)],
        ticket: [AlarmDestination.opsItem(OpsItemSeverity.MEDIUM, OpsItemCategory.AVAILABILITY)],
      }),
    });
    this.workload.own(pages);
    this.workload.own(approvals);

    const vpc = new ec2.Vpc(this.workload, 'Network', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(this.workload, 'Containers', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });

    // The dispatch API: two tasks, a 10 % canary for 10 minutes then a 10-minute bake, rolled back by the page
    // composite, the SLOs' fast-burn alarms and the canary alarm; the restart, scale and rollback runbooks.
    this.dispatch = new OperableFargateService(this.workload, 'Dispatch', {
      cluster,
      taskImageOptions: {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
        containerPort: 80,
      },
      desiredCount: 2,
      deployment: FargateDeployment.canary({ stepPercent: 10 }),
      healthCheck: { path: '/' },
      maxTaskCount: 12,
      generatePlaybook: true,
    });
    // A synthetic check of the public endpoint, with its own SLO, paging through the service.
    new HttpCanary(this.dispatch, 'HealthCanary', { url: `http://${this.dispatch.loadBalancer!.loadBalancerDnsName}/` });

    // Game day: stop half of the dispatch tasks; ECS replaces them, the SLOs must hold, the page composite stops it.
    this.gameDay = new GameDay(this.workload, 'DispatchGameDay', {
      service: this.dispatch,
      experiments: [GameDayExperiment.ecsStopTasks({ percent: 50 })],
    });

    // The tracking service runs on EKS (the platform's paved road for most of the company's services): the cluster's
    // telemetry, a node group the on-call can scale through a runbook, and the service measured by Application Signals.
    const kubernetes = new eks.Cluster(this.workload, 'Kubernetes', {
      version: eks.KubernetesVersion.V1_35,
      clusterName: 'logistics',
      vpc,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'KubectlLayer') },
    });
    kubernetes.addNodegroupCapacity('Workers', { minSize: 2, maxSize: 6 });
    this.eks = new OperableEksCluster(this.workload, 'KubernetesTelemetry', { cluster: kubernetes });
    this.tracking = new OperableKubernetesService(this.workload, 'Tracking', {
      cluster: kubernetes,
      kubernetesNamespace: 'logistics',
      signals: KubernetesSignals.applicationSignals(),
      argoRollouts: true,
      clusterTelemetry: this.eks,
      generatePlaybook: true,
    });

    this.services = [this.dispatch, this.tracking];
    this.runbooks = [this.dispatch.rollbackRunbook!, this.dispatch.restartRunbook!, this.dispatch.scaleRunbook!, ...this.eks.nodegroupRunbooks,
      this.gameDay.startRunbook!];
  }
}

/** Build the example app (used by `npm run demo` and the tests). */
export function buildContainerSquadApp(app: App): ContainerSquadStack {
  return new ContainerSquadStack(app, 'ContainerSquad', { env: { account: '123456789012', region: 'eu-west-1' } });
}

if (require.main === module) {
  const app = new App();
  buildContainerSquadApp(app);
  app.synth();
}
