import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, OperableFunction, OperableRestApi, Workload } from '../src';

/**
 * A serverless service made operable: a Lambda function behind a REST API with a health path. After deployment the
 * assertions invoke the function through its `live` alias, call the health endpoint, and read the service's page
 * composite back from CloudWatch. Snapshot produced with `npx projen integ:update` (dry run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableServerless');
const topic = new sns.Topic(stack, 'Pages');
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  runbookBaseUrl: 'https://runbooks.example.com/integ',
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
const quotes = new OperableFunction(workload, 'Quotes', {
  functionProps: {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: "ok" }) });'),
  },
});
const api = new OperableRestApi(workload, 'QuoteApi', {
  restApiProps: { restApiName: 'cdk-operable-integ-quotes' },
  healthCheckPath: '/health',
});
api.api.root.addResource('health').addMethod('GET', new apigateway.LambdaIntegration(quotes.alias!));

const integ = new IntegTest(app, 'ServerlessServiceIntegTest', { testCases: [stack] });

integ.assertions.invokeFunction({ functionName: quotes.alias!.functionArn })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: '{"statusCode":200,"body":"{\\"status\\":\\"ok\\"}"}' }));

integ.assertions.httpApiCall(api.urlForPath('/health'))
  .expect(ExpectedResult.objectLike({ status: 200, body: { status: 'ok' } }));

integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: ['integ-quotes-page', 'integ-quote-api-page'],
  AlarmTypes: ['CompositeAlarm'],
}).expect(ExpectedResult.objectLike({
  CompositeAlarms: [{ AlarmName: 'integ-quote-api-page' }, { AlarmName: 'integ-quotes-page' }],
}));
