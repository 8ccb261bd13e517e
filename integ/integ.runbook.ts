import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AlarmDestination, AlarmRouting, Approvers, AutoRemediation, OperableFunction, RedriveDeadLetterQueue, RunbookApproval, Workload,
} from '../src';

/**
 * Runbooks as code, deployed: an operable Lambda function that joins the workload's rollback runbook (approval by the
 * on-call role), a generated investigation playbook, a dead-letter redrive runbook that runs unattended as the
 * automated response to its queue's depth alarm. After deployment the assertions read the documents back (active
 * Automation documents), start the playbook and expect it to succeed, and check the automated response's rule.
 * Snapshot produced with `npx projen integ:update` (dry run; no AWS account here).
 */
const app = new App();
const stack = new Stack(app, 'CdkOperableRunbooks');
const topic = new sns.Topic(stack, 'Pages');
const approvals = new sns.Topic(stack, 'Approvals', { topicName: 'AutomationCdkOperableIntegApprovals' });
const oncall = new iam.Role(stack, 'Oncall', { assumedBy: new iam.AccountRootPrincipal(), description: 'On-call engineers approve runbooks' });
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  approvers: Approvers.of({ roles: [oncall], notificationTopic: approvals }),
  routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
});
const quotes = new OperableFunction(workload, 'Quotes', {
  functionProps: {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  },
});

const dlq = new sqs.Queue(stack, 'OrdersDlq');
const orders = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
const redrive = new RedriveDeadLetterQueue(workload, 'RedriveOrders', {
  deadLetterQueue: dlq,
  sourceQueues: [orders],
  maxMessagesPerSecond: 10,
  approval: RunbookApproval.none('the move only returns failed messages to their queue; it runs unattended as an automated response'),
});
const depth = dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }).createAlarm(stack, 'OrdersDlqDepth', {
  alarmName: 'integ-orders-dlq-depth',
  threshold: 100,
  evaluationPeriods: 1,
});
const response = new AutoRemediation(workload, 'RedriveWhenDeep', { alarm: depth, runbook: redrive });

const integ = new IntegTest(app, 'RunbookIntegTest', { testCases: [stack] });

for (const runbook of [quotes.rollbackRunbook!, redrive, quotes.playbookDocument!]) {
  integ.assertions.awsApiCall('SSM', 'describeDocument', { Name: runbook.documentName })
    .expect(ExpectedResult.objectLike({ Document: { Name: runbook.documentName, DocumentType: 'Automation', Status: 'Active' } }));
}

const execution = integ.assertions.awsApiCall('SSM', 'startAutomationExecution', {
  DocumentName: quotes.playbookDocument!.documentName,
  Parameters: { AlarmName: ['integ-quotes-page'] },
});
// Starting a document with an assumeRole passes that role.
execution.provider.addToRolePolicy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: quotes.playbookDocument!.passedRoleArns });
integ.assertions.awsApiCall('SSM', 'getAutomationExecution', {
  AutomationExecutionId: execution.getAttString('AutomationExecutionId'),
}).expect(ExpectedResult.objectLike({ AutomationExecution: { AutomationExecutionStatus: 'Success' } }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });

integ.assertions.awsApiCall('EventBridge', 'listTargetsByRule', { Rule: response.rule.ruleName })
  .expect(ExpectedResult.objectLike({ Targets: [{ Input: '{}' }] }));
