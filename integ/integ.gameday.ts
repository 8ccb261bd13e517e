import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmDestination, AlarmRouting, Approvers, OperableFunction, Workload } from '../src';
import { GameDay, GameDayExperiment, LambdaFaultConfiguration } from '../src/gameday';

/**
 * A game day for an operable Lambda function: the function carries the FIS Lambda extension (layer, environment,
 * read access to the configuration folder); two FIS experiment templates (invocation errors, added latency) stop on
 * the service's page composite, log to a retained log group and run with least-privilege roles; a start runbook waits
 * for the on-call role's approval. After deployment the assertions read the templates back from FIS (tags, stop
 * condition) and the start runbook from Systems Manager.
 * Snapshot produced with `integ-runner --dry-run` (no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableGameDay');
const topic = new sns.Topic(stack, 'Pages');
const oncall = new iam.Role(stack, 'Oncall', { assumedBy: new iam.AccountRootPrincipal(), description: 'On-call engineers approve runbooks' });
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  runbookBaseUrl: 'https://runbooks.example.com/integ',
  approvers: Approvers.of({ roles: [oncall] }),
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
const quotes = new OperableFunction(workload, 'Quotes', {
  functionProps: {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  },
});
const bucket = new s3.Bucket(workload, 'FisConfig', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
const faults = LambdaFaultConfiguration.fromBucket(bucket);
faults.applyTo(quotes.lambdaFunction as lambda.Function);

const gameDay = new GameDay(workload, 'QuotesGameDay', {
  service: quotes,
  experiments: [
    GameDayExperiment.lambdaInvocationErrors({ configuration: faults }),
    GameDayExperiment.lambdaAddedLatency({ configuration: faults }),
  ],
});

const integ = new IntegTest(app, 'GameDayIntegTest', { testCases: [stack] });

gameDay.experiments.forEach((experiment, i) => {
  integ.assertions.awsApiCall('FIS', 'getExperimentTemplate', { id: gameDay.experimentTemplateIds[i] })
    .expect(ExpectedResult.objectLike({
      experimentTemplate: {
        actions: { [experiment.name]: { actionId: experiment.actionId } },
        tags: {
          'Name': `integ-quotes-${experiment.name}`,
          'ops:gameday': experiment.kind,
          'ops:service': 'quotes',
          'ops:workload': 'integ',
          'ops:owner': 'cdk-operable',
        },
        logConfiguration: { logSchemaVersion: 2 },
      },
    }));
});

integ.assertions.awsApiCall('SSM', 'describeDocument', { Name: gameDay.startRunbook!.documentName })
  .expect(ExpectedResult.objectLike({ Document: { Name: gameDay.startRunbook!.documentName, DocumentType: 'Automation', Status: 'Active' } }));
