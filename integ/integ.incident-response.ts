import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AlarmDestination, AlarmRouting, Runbook, RunbookApproval, RunbookParameter, ServiceLevelObjective, ServiceTier, Sli, Step, Workload,
} from '../src';
import {
  ContactChannel, DayOfWeek, EscalationPlan, IncidentManagerSetup, IncidentResponse, OnCallContact, OnCallSchedule, RotationRecurrence,
} from '../src/incidents';

/**
 * A platform stack with the account's Incident Manager setup, and a critical workload whose availability SLO pages
 * through its response plan: an escalation plan over a weekly on-call rotation, a chat channel, and a read-only
 * runbook started with the incident's involved resources. After deployment the assertion reads the plan back.
 * Snapshot produced with `npx projen integ:update` (integ-runner --dry-run; no AWS account here).
 */
const app = new App();
// Environment-agnostic stacks (integ-runner picks the region), so the replication set names its region explicitly.
const platform = new Stack(app, 'CdkOperableIncidentPlatform');
new IncidentManagerSetup(platform, 'IncidentManager', { regions: ['us-east-1'] });

const stack = new Stack(app, 'CdkOperableIncidentResponse');
const workload = new Workload(stack, 'Integ', {
  workloadName: 'integ',
  owner: { team: 'cdk-operable', onCall: 'cdk-operable-oncall@example.com' },
  tier: ServiceTier.CRITICAL,
  runbookBaseUrl: 'https://runbooks.example.com/integ',
});

const alice = new OnCallContact(workload, 'Alice', {
  alias: 'integ-alice',
  channels: [ContactChannel.email('alice@example.com', { deferActivation: true })],
});
const bob = new OnCallContact(workload, 'Bob', {
  alias: 'integ-bob',
  channels: [ContactChannel.email('bob@example.com', { deferActivation: true }), ContactChannel.sms('+15555550100', { deferActivation: true })],
});
const primary = new OnCallSchedule(workload, 'Primary', {
  alias: 'integ-primary',
  contacts: [alice, bob],
  recurrence: RotationRecurrence.weekly(DayOfWeek.MONDAY, '09:00'),
  startTime: '2025-01-06T09:00:00',
  timeZone: 'Europe/Berlin',
});
const escalation = new EscalationPlan(workload, 'Escalation', {
  alias: 'integ-escalation',
  stages: [{ targets: [primary] }, { targets: [bob], duration: Duration.minutes(15) }],
});

const inspect = new Runbook(workload, 'Inspect', {
  documentName: 'integ-inspect-incident',
  description: { purpose: 'Describe the alarms involved in the incident.', whenToUse: ['An integ incident opens'] },
  approval: RunbookApproval.none('read-only'),
  parameters: [
    RunbookParameter.ofStringList('InvolvedResources', { description: 'ARNs of the resources involved in the incident.', defaultValue: [] }),
    RunbookParameter.ofString('IncidentRecordArn', { description: 'ARN of the incident record.', defaultValue: '' }),
  ],
  steps: [Step.executeAwsApi({
    name: 'DescribeAlarms',
    service: 'cloudwatch',
    api: 'DescribeAlarms',
    inputs: { AlarmNamePrefix: 'integ-' },
    resources: [stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: 'integ-*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  })],
});

const response = new IncidentResponse(workload, 'IncidentResponse', {
  engagements: [escalation],
  chatChannel: new sns.Topic(stack, 'IncidentChat'),
  automation: { runbook: inspect },
});

const metric = (metricName: string) => new cloudwatch.Metric({
  namespace: 'CdkOperableInteg', metricName, dimensionsMap: { Service: 'echo' }, statistic: 'Sum',
});
new ServiceLevelObjective(workload, 'Availability', {
  serviceName: 'echo',
  sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }),
  routing: new AlarmRouting({
    page: [AlarmDestination.responsePlan(response.pagePlan)],
    ticket: [AlarmDestination.opsItem(actions.OpsItemSeverity.MEDIUM)],
  }),
});

const integ = new IntegTest(app, 'IncidentResponseIntegTest', { testCases: [platform, stack] });

// Alarms name the plan; so does the assertion (no cross-stack reference to the plan's ARN).
integ.assertions.awsApiCall('SSMIncidents', 'getResponsePlan', {
  arn: `arn:${Aws.PARTITION}:ssm-incidents::${Aws.ACCOUNT_ID}:response-plan/${response.pagePlan.responsePlanName}`,
}).expect(ExpectedResult.objectLike({
  name: 'integ-page',
  incidentTemplate: { title: 'integ PAGE', impact: 1, dedupeString: 'integ-page' },
}));
