import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, ServiceLevelObjective, Sli, Workload } from '../src';

/**
 * A workload with one availability SLO on custom metrics, routed to an SNS topic. After deployment the
 * assertions read the page composite and the fastest window alarm back from CloudWatch.
 * Snapshot produced with `npx projen integ:update` (integ-runner --dry-run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableSlo');
const topic = new sns.Topic(stack, 'Pages');
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  runbookBaseUrl: 'https://runbooks.example.com/integ',
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
const metric = (metricName: string) => new cloudwatch.Metric({
  namespace: 'CdkOperableInteg', metricName, dimensionsMap: { Service: 'echo' }, statistic: 'Sum',
});
new ServiceLevelObjective(workload, 'Availability', {
  serviceName: 'echo',
  sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }),
  objective: 99.9,
});

const integ = new IntegTest(app, 'SloIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: ['integ-echo-availability-page'],
  AlarmTypes: ['CompositeAlarm'],
}).expect(ExpectedResult.objectLike({
  CompositeAlarms: [{ AlarmName: 'integ-echo-availability-page', ActionsEnabled: true }],
}));

integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: ['integ-echo-availability-burn14.4x-5m'],
}).expect(ExpectedResult.objectLike({
  MetricAlarms: [{
    AlarmName: 'integ-echo-availability-burn14.4x-5m',
    Threshold: 14.4,
    EvaluationPeriods: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [],
  }],
}));
