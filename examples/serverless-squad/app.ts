import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { OpsItemCategory, OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmDestination, AlarmRouting, OperableFunction, OperableRestApi, OperableService, ServiceTier, Workload } from '../../src';

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
 * The reference story's pricing squad, serverless: a quotes REST API in front of a Lambda function, and an
 * asynchronous price-update function. Three services, one workload, paged through Incident Manager.
 */
export class ServerlessSquadStack extends Stack {
  public readonly workload: Workload;
  public readonly services: OperableService[];

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const pages = new sns.Topic(this, 'PricingPages', { displayName: 'Pricing squad pages' });
    this.workload = new Workload(this, 'Freight', {
      workloadName: 'freight',
      owner: { team: 'pricing', onCall: 'pricing-oncall@example.com', chatChannel: '#pricing-incidents' },
      tier: ServiceTier.CRITICAL,
      runbookBaseUrl: 'https://runbooks.example.com/freight',
      routing: new AlarmRouting({
        page: [AlarmDestination.incidentManager('freight-critical'), AlarmDestination.sns(pages)],
        ticket: [AlarmDestination.opsItem(OpsItemSeverity.MEDIUM, OpsItemCategory.AVAILABILITY)],
      }),
    });

    const quotes = new OperableFunction(this.workload, 'Quotes', {
      functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(QUOTE_HANDLER) },
      latencyThreshold: Duration.millis(300),
    });
    const api = new OperableRestApi(this.workload, 'QuoteApi', {
      restApiProps: { restApiName: 'freight-quotes' },
      healthCheckPath: '/health',
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
    });
    this.services = [api, quotes, priceUpdates];
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
