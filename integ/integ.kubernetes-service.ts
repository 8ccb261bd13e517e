import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, KubernetesSignals, OperableKubernetesService, Workload } from '../src';

/**
 * A squad's service on the platform team's EKS cluster: the cluster and its kubectl provider are imported by name (the
 * platform stack owns them), the service is measured by Application Signals, and its Argo Rollouts AnalysisTemplate is
 * applied through the platform's kubectl provider. After deployment the assertions read the service's composites back
 * from CloudWatch. Snapshot produced with `npx projen integ:update` (dry run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableKubernetes');
const topic = new sns.Topic(stack, 'Pages');
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  runbookBaseUrl: 'https://runbooks.example.com/integ',
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
workload.own(topic);
const cluster = eks.Cluster.fromClusterAttributes(stack, 'Platform', {
  clusterName: 'platform',
  kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'PlatformKubectl', {
    serviceToken: stack.formatArn({ service: 'lambda', resource: 'function', resourceName: 'platform-kubectl-provider', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  }),
});
new OperableKubernetesService(workload, 'Tracking', {
  cluster,
  kubernetesNamespace: 'logistics',
  signals: KubernetesSignals.applicationSignals(),
  argoRollouts: true,
});

const integ = new IntegTest(app, 'KubernetesServiceIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: ['integ-tracking-page', 'integ-tracking-ticket'],
  AlarmTypes: ['CompositeAlarm'],
}).expect(ExpectedResult.objectLike({
  CompositeAlarms: [{ AlarmName: 'integ-tracking-page' }, { AlarmName: 'integ-tracking-ticket' }],
}));
