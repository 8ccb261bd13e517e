import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DeploymentSource, IncidentSource, OperationsHealthDashboard, Workload } from '../src';

/**
 * A workload's operations-health dashboard with every deployment and incident source: EventBridge rules copy
 * deployment, alarm and incident events into one log group; metric filters count deployments and failures. After
 * deployment the assertions read the dashboard and the metric filters back.
 * Snapshot produced with `npx projen integ:update` (integ-runner --dry-run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableOperationsHealth');
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
});
const ops = new OperationsHealthDashboard(workload, 'Operations', {
  deploymentSources: [DeploymentSource.codeDeploy(), DeploymentSource.ecs(), DeploymentSource.codePipeline()],
  incidentSources: [IncidentSource.OPS_CENTER, IncidentSource.INCIDENT_MANAGER],
});
// The event log is retained by default (it holds the history); a test run leaves nothing behind.
ops.eventLogGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

const integ = new IntegTest(app, 'OperationsHealthIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('CloudWatch', 'getDashboard', { DashboardName: 'integ-operations' })
  .expect(ExpectedResult.objectLike({ DashboardName: 'integ-operations' }));

integ.assertions.awsApiCall('CloudWatchLogs', 'describeMetricFilters', {
  metricNamespace: 'OperationsHealth/integ',
  metricName: 'FailedDeployments',
}).expect(ExpectedResult.objectLike({
  metricFilters: [{
    metricTransformations: [{ metricNamespace: 'OperationsHealth/integ', metricName: 'FailedDeployments', metricValue: '1', defaultValue: 0 }],
  }],
}));
