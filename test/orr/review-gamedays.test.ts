import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import { plainApp, reviewOf, scopeOf } from './support';

describe('game days in the readiness review', () => {
  test('an FIS experiment template of a service is listed with its faults and stop alarm, and counted for the service', () => {
    const app = plainApp((fn, service) => {
      const page = new cloudwatch.Alarm(service, 'Page', {
        alarmName: 'payments-billing-page', metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1,
      });
      const role = new iam.Role(service, 'FisRole', { assumedBy: new iam.ServicePrincipal('fis.amazonaws.com') });
      new fis.CfnExperimentTemplate(service, 'InvocationErrors', {
        description: 'billing: 20% of invocations fail for 10 minutes; exercises runbook payments-billing-rollback.',
        roleArn: role.roleArn,
        stopConditions: [{ source: 'aws:cloudwatch:alarm', value: page.alarmArn }],
        targets: { Functions: { resourceType: 'aws:lambda:function', selectionMode: 'ALL', resourceArns: [fn.functionArn] } },
        actions: {
          Errors: { actionId: 'aws:lambda:invocation-error', parameters: { duration: 'PT10M', invocationPercentage: '20' }, targets: { Functions: 'Functions' } },
        },
        tags: { Name: 'billing-invocation-errors' },
      });
    });
    const report = reviewOf(app.dir);
    expect(report.gameDays).toEqual([{
      name: 'billing-invocation-errors',
      description: 'billing: 20% of invocations fail for 10 minutes; exercises runbook payments-billing-rollback.',
      stack: 'Plain',
      resourcePath: 'Plain/Billing/InvocationErrors',
      service: 'billing',
      workload: 'payments',
      actions: ['aws:lambda:invocation-error'],
      stopAlarms: ['payments-billing-page'],
    }]);
    expect(scopeOf(report, 'billing').gameDays).toEqual(['billing-invocation-errors']);
    expect(scopeOf(report, 'payments', 'workloads').gameDays).toEqual(['billing-invocation-errors']);
    expect(report.summary.servicesWithGameDay).toBe(1);
  });

  test('a service without an experiment has no game day', () => {
    const report = reviewOf(plainApp().dir);
    expect(report.gameDays).toEqual([]);
    expect(scopeOf(report, 'billing').gameDays).toEqual([]);
    expect(report.summary.servicesWithGameDay).toBe(0);
  });
});
