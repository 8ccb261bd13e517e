import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmDestination, AlarmRouting, ServiceTier, Workload, WorkloadProps } from '../../src';

/** A fresh app and stack. */
export function testStack(id = 'Test'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

/** The reference-story workload: freight, owned by pricing, paging an SNS topic. */
export function freight(stack: Stack, props: Partial<WorkloadProps> = {}): { workload: Workload; pages: sns.Topic; tickets: sns.Topic } {
  const pages = new sns.Topic(stack, 'Pages');
  const tickets = new sns.Topic(stack, 'Tickets');
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    tier: ServiceTier.STANDARD,
    runbookBaseUrl: 'https://runbooks.example.com/freight',
    routing: new AlarmRouting({ page: [AlarmDestination.sns(pages)], ticket: [AlarmDestination.sns(tickets)] }),
    ...props,
  });
  return { workload, pages, tickets };
}

/** A custom (EMF-style) count metric of the quotes service. */
export function quotesMetric(metricName: string, statistic = 'Sum'): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'Freight', metricName, dimensionsMap: { Service: 'quotes' }, statistic });
}

/** Properties of every resource of a type in a synthesized template. */
export function resourcesOf(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }, type: string) {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

/** A hand-written L1 alarm on one metric (no L2 validation gets in the way): `Freight/Errors` Sum > 1 over 60 s. */
export function cfnAlarm(scope: Construct, id: string, props: Partial<cloudwatch.CfnAlarmProps> = {}): cloudwatch.CfnAlarm {
  return new cloudwatch.CfnAlarm(scope, id, {
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    threshold: 1,
    namespace: 'Freight',
    metricName: 'Errors',
    statistic: 'Sum',
    period: 60,
    ...props,
  });
}
