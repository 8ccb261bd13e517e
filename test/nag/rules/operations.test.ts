import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagRuleCompliance } from 'cdk-nag';
import { Evaluated, ownedStack } from './evaluated';
import { fnProps } from './helpers';
import { OperationsHealthDashboard } from '../../../src/dashboards';
import { OperableFunction } from '../../../src/services';
import { freight } from '../../support/fixtures';

/**
 * OPS09 and OPS11 evidence: deployments captured into a retained event log and counted (OPS-OperationsMetrics), shown on
 * a dashboard (OPS-OperationsDashboard), and held to a target by an alarm (OPS-OperationsReview). EventBridge sees every
 * deployment of the account and region, so the evidence is app-wide: each case is its own app.
 */

const METRICS = 'OPS-OperationsMetrics';
const DASHBOARD = 'OPS-OperationsDashboard';
const REVIEW = 'OPS-OperationsReview';
const COMPLIANT = NagRuleCompliance.COMPLIANT;
const NON_COMPLIANT = NagRuleCompliance.NON_COMPLIANT;

/** A plain function deployed through an alias by a CodeDeploy deployment group. */
function deployedFunction(stack: Stack): codedeploy.LambdaDeploymentGroup {
  const fn = new lambda.Function(stack, 'Fn', fnProps());
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  return new codedeploy.LambdaDeploymentGroup(stack, 'Deployment', { alias, deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES });
}

describe('operations health: OperationsMetrics, OperationsDashboard, OperationsReview', () => {
  const evaluated: Record<string, Evaluated> = {};

  beforeAll(() => {
    // cdk-operable: an OperableFunction, the workload's operations-health dashboard and an alarm on its change failure rate.
    const reviewed = new App();
    const stack = ownedStack(reviewed, 'Reviewed');
    const { workload } = freight(stack);
    new OperableFunction(workload, 'Quotes', { functionProps: fnProps(), latencyThreshold: Duration.millis(300) });
    const ops = new OperationsHealthDashboard(workload, 'OperationsHealth');
    new cloudwatch.Alarm(workload, 'ChangeFailures', { metric: ops.changeFailureRate(), threshold: 15, evaluationPeriods: 1 });
    evaluated.reviewed = Evaluated.of(reviewed);

    // The same without the alarm: measured and shown, not held to a target.
    const unreviewed = new App();
    const other = ownedStack(unreviewed, 'Unreviewed');
    const w = freight(other).workload;
    new OperableFunction(w, 'Quotes', { functionProps: fnProps(), latencyThreshold: Duration.millis(300) });
    new OperationsHealthDashboard(w, 'OperationsHealth');
    evaluated.unreviewed = Evaluated.of(unreviewed);

    // Plain aws-cdk-lib: nothing captures the deployments.
    const plain = new App();
    deployedFunction(ownedStack(plain, 'Plain'));
    evaluated.plain = Evaluated.of(plain);

    // Captured into a one-month log by a rule, counted by nothing; shown by a Logs Insights widget over the log.
    const partial = new App();
    const p = ownedStack(partial, 'Partial');
    deployedFunction(p);
    const log = new logs.LogGroup(p, 'Deployments', { retention: logs.RetentionDays.ONE_MONTH });
    new events.Rule(p, 'Capture', { eventPattern: { source: ['aws.codedeploy'] }, targets: [new targets.CloudWatchLogGroup(log)] });
    new cloudwatch.Dashboard(p, 'Board', {
      widgets: [[new cloudwatch.LogQueryWidget({ logGroupNames: [log.logGroupName], queryLines: ['fields @timestamp'] })]],
    });
    evaluated.partial = Evaluated.of(partial);

    // Captured into a six-month log and counted by a metric filter; an alarm on another metric only; no dashboard.
    const counted = new App();
    const c = ownedStack(counted, 'Counted');
    deployedFunction(c);
    const log2 = new logs.LogGroup(c, 'Deployments', { retention: logs.RetentionDays.SIX_MONTHS });
    new events.Rule(c, 'Capture', { eventPattern: { source: ['aws.codedeploy'] }, targets: [new targets.CloudWatchLogGroup(log2)] });
    new logs.MetricFilter(c, 'Failures', {
      logGroup: log2,
      filterPattern: logs.FilterPattern.literal('{ $.source = "aws.codedeploy" && $.detail.state = "FAILURE" }'),
      metricNamespace: 'Freight/Ops',
      metricName: 'FailedDeployments',
    });
    const other2 = new cloudwatch.Metric({ namespace: 'Freight/Ops', metricName: 'Other' });
    new cloudwatch.Alarm(c, 'Unrelated', { metric: other2, threshold: 1, evaluationPeriods: 1 });
    evaluated.counted = Evaluated.of(counted);
  });

  test('an OperableFunction with OperationsHealthDashboard and a change-failure alarm meets all three', () => {
    const e = evaluated.reviewed;
    expect(e.results(METRICS)).toEqual({ 'Reviewed/Freight/Quotes/Deployment/Resource': COMPLIANT });
    expect(e.results(DASHBOARD)).toEqual({ 'Reviewed/Freight/Quotes/Deployment/Resource': COMPLIANT });
    expect(e.results(REVIEW)).toEqual({ 'Reviewed/Freight/OperationsHealth/Events/Resource': COMPLIANT });
  });

  test('without an alarm on its metrics the event log is not reviewed (NoTargetAlarm); measuring and showing still comply', () => {
    const e = evaluated.unreviewed;
    expect(e.violations(REVIEW)).toEqual([{
      ruleName: `${REVIEW}[NoTargetAlarm]`, path: 'Unreviewed/Freight/OperationsHealth/Events/Resource', severity: 'warning',
    }]);
    expect([...e.violations(METRICS), ...e.violations(DASHBOARD)]).toEqual([]);
  });

  test('deployments nobody captures: NotCaptured and no dashboard; the review rule has nothing to apply to', () => {
    const e = evaluated.plain;
    expect(e.results(METRICS)).toEqual({ 'Plain/Deployment/Resource': ['NotCaptured'] });
    expect(e.results(DASHBOARD)).toEqual({ 'Plain/Deployment/Resource': NON_COMPLIANT });
    expect(e.results(REVIEW)).toEqual({});
  });

  test('captured into a one-month log, counted by nothing: NotCounted and ShortHistory; a Logs Insights widget over the log shows them', () => {
    const e = evaluated.partial;
    expect(e.results(METRICS)).toEqual({ 'Partial/Deployment/Resource': ['NotCounted', 'ShortHistory'] });
    expect(e.results(DASHBOARD)).toEqual({ 'Partial/Deployment/Resource': COMPLIANT });
    expect(e.results(REVIEW)).toEqual({});
  });

  test('captured and counted, on no dashboard: measured, not shown; an alarm on another metric is no target for the counted one', () => {
    const e = evaluated.counted;
    expect(e.results(METRICS)).toEqual({ 'Counted/Deployment/Resource': COMPLIANT });
    expect(e.results(DASHBOARD)).toEqual({ 'Counted/Deployment/Resource': NON_COMPLIANT });
    expect(e.results(REVIEW)).toEqual({ 'Counted/Deployments/Resource': ['NoTargetAlarm'] });
  });
});
