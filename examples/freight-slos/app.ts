import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemCategory, OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmDestination, AlarmRouting, ServiceDashboard, ServiceLevelObjective, ServiceTier, Sli, Workload } from '../../src';

/**
 * The reference story's pricing squad: the `quotes` service publishes its own EMF metrics (namespace `Freight`),
 * and the squad wants two SLOs on them — quotes succeed, and quotes are fast — paging through Incident Manager and
 * an SNS topic, ticketing through OpsCenter.
 */
export class FreightSlosStack extends Stack {
  public readonly workload: Workload;
  public readonly slos: ServiceLevelObjective[];

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const pagerTopic = new sns.Topic(this, 'PricingPages', { displayName: 'Pricing squad pages' });

    this.workload = new Workload(this, 'Freight', {
      workloadName: 'freight',
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com', chatChannel: '#pricing-incidents' },
      tier: ServiceTier.CRITICAL,
      runbookBaseUrl: 'https://runbooks.example.com/freight',
      routing: new AlarmRouting({
        page: [AlarmDestination.incidentManager('freight-critical'), AlarmDestination.sns(pagerTopic)],
        ticket: [AlarmDestination.opsItem(OpsItemSeverity.MEDIUM, OpsItemCategory.AVAILABILITY)],
      }),
    });
    // The topic exists before the workload (its routing needs it): tag it as the workload's too.
    this.workload.own(pagerTopic);

    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'Freight', metricName, dimensionsMap: { Service: 'quotes' }, statistic,
    });

    this.slos = [
      new ServiceLevelObjective(this.workload, 'QuoteSuccess', {
        serviceName: 'quotes',
        description: 'Quotes are returned without error',
        sli: Sli.ratio({ bad: metric('QuoteErrors', 'Sum'), total: metric('QuoteRequests', 'Sum') }),
        objective: 99.9,
      }),
      new ServiceLevelObjective(this.workload, 'QuoteLatency', {
        serviceName: 'quotes',
        description: 'Quotes are returned within 400 ms',
        sli: Sli.latency({ metric: metric('QuoteLatency', 'Average'), threshold: Duration.millis(400), unit: cloudwatch.Unit.MILLISECONDS }),
        objective: 99,
      }),
    ];
    const dashboard = new ServiceDashboard(this.workload, 'QuotesDashboard', { serviceName: 'quotes' });
    this.slos.forEach((slo) => dashboard.addSlo(slo));
  }
}

/** Build the example app (used by `npm run demo`, the tests and the benchmark). */
export function buildFreightSlosApp(app: App): FreightSlosStack {
  return new FreightSlosStack(app, 'FreightSlos', { env: { account: '123456789012', region: 'eu-west-1' } });
}

if (require.main === module) {
  const app = new App();
  buildFreightSlosApp(app);
  app.synth();
}
