import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemCategory, OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  AlarmDestination, AlarmRouting, Approvers, ContactChannel, EscalationPlan, FeatureFlags, Flag, FlagAttribute, GameDay, GameDayExperiment,
  IncidentManagerSetup, IncidentResponse, LambdaFaultConfiguration, OnCallContact, OperableFunction, OperableRestApi, OperableService,
  OperationsHealthDashboard, RedriveDeadLetterQueue, Runbook, ServiceTier, Workload,
} from '../../src';

/** The quote handler: answers health checks and quotes. */
const QUOTE_HANDLER = `exports.handler = async (event) => {
  if (event.path === '/health') return { statusCode: 200, body: JSON.stringify({ status: 'ok' }) };
  return { statusCode: 200, body: JSON.stringify({ quote: 42.0, currency: 'EUR' }) };
};`;

/** The price-update consumer: invoked asynchronously, failed events go to its dead-letter queue. */
const PRICE_UPDATE_HANDLER = `exports.handler = async (event) => {
  console.log(JSON.stringify({ level: 'INFO', message: 'price update', items: (event.items || []).length }));
};`;

/**
 * The reference story's pricing squad, serverless: a quotes REST API in front of a Lambda function, and a price-update
 * function fed by an SQS queue (and invoked asynchronously). Three services, one workload, paged through an Incident
 * Manager response plan that engages on-call and escalates; on-call approves runbooks (the shared Lambda rollback, a
 * dead-letter redrive), and the API has a generated investigation playbook. The quotes function releases behind a
 * feature flag that AppConfig rolls back when its page composite fires, and has a game day (FIS) that makes a quarter
 * of its invocations fail. An operations-health dashboard measures deployments, failures and time to restore.
 */
export class ServerlessSquadStack extends Stack {
  public readonly workload: Workload;
  public readonly services: OperableService[];
  public readonly runbooks: Runbook[];
  public readonly incidents: IncidentResponse;
  public readonly gameDay: GameDay;
  /** Operational alarms that page through their service (the price-feed backlog), with the metric each watches. */
  public readonly pagingOperationalAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const pages = new sns.Topic(this, 'PricingPages', { displayName: 'Pricing squad pages' });
    // Systems Manager announces pending runbook approvals on a topic whose name starts with 'Automation'.
    const approvals = new sns.Topic(this, 'RunbookApprovals', { topicName: 'AutomationPricingApprovals' });
    const oncall = iam.Role.fromRoleArn(this, 'PricingOncall', `arn:aws:iam::${this.account}:role/pricing-oncall`);
    this.workload = new Workload(this, 'Freight', {
      workloadName: 'freight',
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com', chatChannel: '#pricing-incidents' },
      tier: ServiceTier.CRITICAL,
      runbookBaseUrl: 'https://runbooks.example.com/freight',
      approvers: Approvers.of({ roles: [oncall], notificationTopic: approvals }),
      // The default for anything created without its own routing: the response plan below, by name (it does not exist
      // yet); the services page through the plan object, so their alarms depend on it.
      routing: new AlarmRouting({
        page: [AlarmDestination.incidentManager('freight-page'), AlarmDestination.sns(pages)],
        ticket: [AlarmDestination.opsItem(OpsItemSeverity.MEDIUM, OpsItemCategory.AVAILABILITY)],
      }),
    });
    // The topics exist before the workload (its routing and approvers need them): tag them as the workload's too.
    this.workload.own(pages);
    this.workload.own(approvals);

    // Incident Manager's replication set is account-wide: the platform team's stack owns it in a real organisation.
    const incidentManager = new IncidentManagerSetup(this, 'IncidentManager');
    this.workload.own(incidentManager);
    const oncallEngineer = new OnCallContact(this.workload, 'OncallEngineer', {
      alias: 'pricing-oncall', displayName: 'Pricing on-call', channels: [ContactChannel.email('pricing-oncall@example.com')],
    });
    const lead = new OnCallContact(this.workload, 'SquadLead', {
      alias: 'pricing-lead', displayName: 'Pricing squad lead', channels: [ContactChannel.email('pricing-lead@example.com')],
    });
    const escalation = new EscalationPlan(this.workload, 'Escalation', {
      alias: 'pricing-escalation',
      stages: [{ targets: [oncallEngineer], duration: Duration.minutes(10) }, { targets: [lead] }],
    });
    this.incidents = new IncidentResponse(this.workload, 'Incidents', { setup: incidentManager, engagements: [escalation] });
    // Services page through the response plan (the alarm depends on it) and the squad's topic; tickets go to OpsCenter.
    const routing = new AlarmRouting({
      page: [AlarmDestination.responsePlan(this.incidents.pagePlan), AlarmDestination.sns(pages)],
      ticket: [AlarmDestination.opsItem(OpsItemSeverity.MEDIUM, OpsItemCategory.AVAILABILITY)],
    });

    const quotes = new OperableFunction(this.workload, 'Quotes', {
      functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(QUOTE_HANDLER) },
      latencyThreshold: Duration.millis(300),
      generatePlaybook: true,
      routing,
    });
    // Deployed is not released: the new pricing engine ships off and is turned on gradually, rolled back on a page.
    const flags = new FeatureFlags(quotes, 'FeatureFlags', {
      flags: [new Flag({
        key: 'dynamic_pricing',
        description: 'Price quotes with the new dynamic pricing engine',
        attributes: { surchargePercent: FlagAttribute.ofNumber({ defaultValue: 0, minimum: 0, maximum: 25 }) },
      })],
    });
    flags.addToFunction(quotes.lambdaFunction);
    const api = new OperableRestApi(this.workload, 'QuoteApi', {
      restApiProps: { restApiName: 'freight-quotes' },
      healthCheckPath: '/health',
      generatePlaybook: true,
      routing,
    });
    const integration = new apigateway.LambdaIntegration(quotes.alias!);
    api.api.root.addResource('health').addMethod('GET', integration);
    api.api.root.addResource('quotes').addMethod('GET', integration);

    const priceUpdates = new OperableFunction(this.workload, 'PriceUpdates', {
      functionProps: {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(PRICE_UPDATE_HANDLER),
        deadLetterQueueEnabled: true,
        retryAttempts: 2,
      },
      generatePlaybook: true,
      routing,
    });
    const feedDlq = new sqs.Queue(this, 'PriceFeedDlq', { retentionPeriod: Duration.days(14) });
    const feed = new sqs.Queue(this, 'PriceFeed', {
      visibilityTimeout: Duration.seconds(30),
      deadLetterQueue: { queue: feedDlq, maxReceiveCount: 3 },
    });
    this.workload.own(feed);
    this.workload.own(feedDlq);
    priceUpdates.alias!.addEventSource(new SqsEventSource(feed, { batchSize: 10 }));
    // The feed is the function's input: a growing backlog pages (quotes are priced on stale prices, no request SLO
    // sees it); messages in its dead-letter queue open a ticket.
    const feedBacklog = priceUpdates.addOperationalAlarm('FeedBacklog', {
      metric: feed.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
      threshold: 600,
      evaluationPeriods: 3,
      summary: 'The oldest price-feed message has waited 10 minutes or more for 15 minutes: quotes use stale prices.',
      pages: true,
    });
    priceUpdates.addOperationalAlarm('FeedDeadLetters', {
      metric: feedDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      summary: 'Price-feed messages failed 3 times and wait in the dead-letter queue: fix the cause, then run the redrive runbook.',
    });
    const redrive = new RedriveDeadLetterQueue(this.workload, 'RedrivePriceFeed', {
      deadLetterQueue: feedDlq,
      sourceQueues: [feed],
      maxMessagesPerSecond: 50,
    });

    // Game day: a quarter of the quotes invocations fail for 10 minutes (FIS, through the Lambda fault-injection
    // extension), stopped by the quotes page composite; it exercises the rollback runbook.
    const faultConfig = new s3.Bucket(this.workload, 'FaultInjectionConfig', { enforceSSL: true });
    const faults = LambdaFaultConfiguration.fromBucket(faultConfig);
    faults.applyTo(quotes.lambdaFunction as lambda.Function);
    this.gameDay = new GameDay(this.workload, 'QuotesGameDay', {
      service: quotes,
      experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: faults, percent: 25 })],
    });
    // OPS09: deployments, change failure rate, time to restore and incidents per week for the workload, and a target
    // the squad reviews: more than 15 % of the week's releases failing opens a ticket.
    const operations = new OperationsHealthDashboard(this.workload, 'OperationsHealth');
    quotes.addOperationalAlarm('ChangeFailureRate', {
      metric: operations.changeFailureRate(),
      threshold: 15,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      summary: 'More than 15 % of the last week\'s releases failed (the change-failure-rate target): review the failed deployments.',
    });

    this.services = [api, quotes, priceUpdates];
    this.pagingOperationalAlarms = [feedBacklog];
    this.runbooks = [quotes.rollbackRunbook!, redrive, api.playbookDocument!, ...flags.killSwitches, this.gameDay.startRunbook!];
  }
}

/** Build the example app (used by `npm run demo` and the tests). */
export function buildServerlessSquadApp(app: App): ServerlessSquadStack {
  return new ServerlessSquadStack(app, 'ServerlessSquad', { env: { account: '123456789012', region: 'eu-west-1' } });
}

if (require.main === module) {
  const app = new App();
  buildServerlessSquadApp(app);
  app.synth();
}
