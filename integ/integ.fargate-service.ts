import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, OperableFargateService, Workload } from '../src';

/**
 * A container service made operable: an nginx task on Fargate behind an Application Load Balancer, deployed by the
 * ECS deployment controller as a canary rolled back by the service's alarms. After deployment the assertions call the
 * load balancer, read the service's deployment configuration (CANARY, circuit breaker, the four rollback alarms) and
 * the page composite back from AWS. Snapshot produced with `npx projen integ:update` (dry run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableFargate');
const topic = new sns.Topic(stack, 'Pages');
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  runbookBaseUrl: 'https://runbooks.example.com/integ',
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
workload.own(topic);
const dispatch = new OperableFargateService(workload, 'Dispatch', {
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), containerPort: 80 },
  desiredCount: 1,
});

const integ = new IntegTest(app, 'FargateServiceIntegTest', { testCases: [stack] });

integ.assertions.httpApiCall(`http://${dispatch.loadBalancer!.loadBalancerDnsName}/`)
  .expect(ExpectedResult.objectLike({ status: 200 }));

integ.assertions.awsApiCall('ECS', 'describeServices', {
  cluster: dispatch.cluster.clusterName,
  services: [dispatch.service.serviceName],
}).expect(ExpectedResult.objectLike({
  services: [{
    deploymentConfiguration: {
      strategy: 'CANARY',
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: dispatch.deploymentAlarmNames, enable: true, rollback: true },
    },
  }],
}));

integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: ['integ-dispatch-page'],
  AlarmTypes: ['CompositeAlarm'],
}).expect(ExpectedResult.objectLike({ CompositeAlarms: [{ AlarmName: 'integ-dispatch-page' }] }));
