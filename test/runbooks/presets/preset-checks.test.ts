import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  Approvers, AutoRemediation, DisableFeatureFlag, FailoverAuroraCluster, Playbook, PlaybookProps, RedriveDeadLetterQueue, RestartEcsService,
  RollbackLambdaAlias, Runbook, ScaleEcsService, Step, Workload,
} from '../../../src';

/**
 * Presets, playbooks and automated responses check their props before building anything (issue #10 §2): a
 * plain-JavaScript caller passing the wrong shape gets an error naming the construct's own path, the prop, the value
 * and the fix (not a TypeError, and not the parent's path), and props that would silently lose each other fail.
 */

const ACCOUNT = '123456789012';
const WHOLE = 'Use Duration.minutes(n) (a whole number of seconds, at most 7 days: the longest an Automation step may wait).';

function fixture() {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', `arn:aws:iam::${ACCOUNT}:role/oncall`)] }),
  });
  const dlq = new sqs.Queue(stack, 'Dlq');
  const otherDlq = new sqs.Queue(stack, 'OtherDlq');
  const orders = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
  const payments = new sqs.Queue(stack, 'Payments', { deadLetterQueue: { queue: otherDlq, maxReceiveCount: 3 } });
  const archive = new sqs.Queue(stack, 'Archive');
  const service = ecs.BaseService.fromServiceArnWithCluster(stack, 'Service', `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/freight/quotes`);
  const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', { clusterIdentifier: 'orders' });
  const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Alarm', `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:quotes`);
  return { app, stack, workload, dlq, orders, payments, archive, service, cluster, alarm };
}
const f = fixture();

describe('RedriveDeadLetterQueue: props that would silently lose each other', () => {
  test('destination and sourceQueues together (destination won, sourceQueues were ignored)', () => {
    expect(() => new RedriveDeadLetterQueue(f.workload, 'Both', { deadLetterQueue: f.dlq, sourceQueues: [f.orders], destination: f.archive })).toThrow(
      '[Test/Freight/Both] sourceQueues (Test/Orders) and destination Test/Archive were both given, but the messages go to one place: ' +
      'give destination to move them there, or sourceQueues to move them back where they came from.');
  });

  test('a destination that is the dead-letter queue itself', () => {
    expect(() => new RedriveDeadLetterQueue(f.workload, 'Loop', { deadLetterQueue: f.dlq, destination: f.dlq })).toThrow(
      '[Test/Freight/Loop] destination Test/Dlq is the dead-letter queue itself: give another queue, or sourceQueues to move the messages back.');
  });

  test('a source queue whose dead-letter queue is another queue', () => {
    expect(() => new RedriveDeadLetterQueue(f.workload, 'Wrong', { deadLetterQueue: f.dlq, sourceQueues: [f.orders, f.payments] })).toThrow(
      '[Test/Freight/Wrong] sourceQueues has Test/Payments, whose dead-letter queue is Test/OtherDlq, not Test/Dlq: ' +
      'list only the queues that send their failed messages to deadLetterQueue.');
  });
});

describe('preset timeouts: whole seconds up to 7 days, named by the preset and the prop', () => {
  test.each([
    ['RestartEcsService', () => new RestartEcsService(f.workload, 'Restart1', { service: f.service, timeout: Duration.millis(1500) }), 'Restart1',
      'Duration 1 second 500 millis', 'a whole number of seconds, at least 1 second and at most 7 days'],
    ['ScaleEcsService', () => new ScaleEcsService(f.workload, 'Scale1', { service: f.service, maxCount: 3, timeout: Duration.millis(500) }), 'Scale1',
      'Duration 500 millis', 'a whole number of seconds, at least 1 second and at most 7 days'],
    ['FailoverAuroraCluster', () => new FailoverAuroraCluster(f.workload, 'Failover1', { cluster: f.cluster, timeout: Duration.days(8) }), 'Failover1',
      'Duration 8 days', 'a whole number of seconds, at least 1 second and at most 7 days'],
    ['RedriveDeadLetterQueue', () => new RedriveDeadLetterQueue(f.workload, 'Redrive1', {
      deadLetterQueue: f.dlq, sourceQueues: [f.orders], timeout: 3600 as unknown as Duration,
    }), 'Redrive1', '3600', 'a Duration (e.g. Duration.minutes(5))'],
  ])('%s', (_what, build, id, shown, problem) => {
    expect(build).toThrow(`[Test/Freight/${id}] timeout must be ${problem}, got ${shown}. ${WHOLE}`);
  });
});

describe('plain-JavaScript props of the wrong shape', () => {
  const js = (v: unknown) => v as never;
  test.each<[string, () => unknown, string]>([
    ['RestartEcsService without service', () => new RestartEcsService(f.workload, 'R1', js({})), 'R1] service is required, got undefined.'],
    ['RestartEcsService with a service name', () => new RestartEcsService(f.workload, 'R2', js({ service: 'quotes' })),
      "R2] service must be an ECS service (ecs.IBaseService: a FargateService, an Ec2Service or an imported service), got 'quotes' (a string)."],
    ['ScaleEcsService with maxCount as a string', () => new ScaleEcsService(f.workload, 'S1', js({ service: f.service, maxCount: '10' })),
      "S1] maxCount must be a whole number at least 1, got '10' (a string)."],
    ['ScaleEcsService without maxCount', () => new ScaleEcsService(f.workload, 'S2', js({ service: f.service })), 'S2] maxCount is required, got undefined.'],
    ['FailoverAuroraCluster with cluster null', () => new FailoverAuroraCluster(f.workload, 'F1', js({ cluster: null })),
      'F1] cluster must be an Aurora cluster (rds.IDatabaseCluster), got null.'],
    ['FailoverAuroraCluster without cluster', () => new FailoverAuroraCluster(f.workload, 'F3', js({})), 'F3] cluster is required, got undefined.'],
    ['RedriveDeadLetterQueue with a queue URL', () => new RedriveDeadLetterQueue(f.workload, 'D1', js({ deadLetterQueue: 'https://sqs/dlq' })),
      "D1] deadLetterQueue must be an SQS queue (sqs.IQueue), got 'https://sqs/dlq' (a string)."],
    ['RedriveDeadLetterQueue with sourceQueues a queue', () => new RedriveDeadLetterQueue(f.workload, 'D2', js({ deadLetterQueue: f.dlq, sourceQueues: f.orders })),
      'D2] sourceQueues must be an array of SQS queues, got an instance of Queue'],
    ['RollbackLambdaAlias with aliases an object', () => new RollbackLambdaAlias(f.workload, 'L1', js({ aliases: {} })),
      'L1] aliases must be an array of Lambda aliases (lambda.IAlias), got a plain object {}.'],
    ['RollbackLambdaAlias.addAlias(undefined)', () => new RollbackLambdaAlias(f.workload, 'L2').addAlias(js(undefined)),
      "L2] addAlias(alias) is required, got undefined. Pass a Lambda alias, e.g. fn.addAlias('live') or new lambda.Alias(...)."],
    ["a preset with approval: 'none'", () => new RestartEcsService(f.workload, 'R3', js({ service: f.service, approval: 'none' })),
      "R3] approval must be a RunbookApproval (RunbookApproval.whenChangingState(), .by(approvers) or .none('reason')), got 'none' (a string)."],
    ['a preset with props null', () => new FailoverAuroraCluster(f.workload, 'F2', js(null)), 'F2] props must be an object of FailoverAuroraClusterProps, got null.'],
    ['DisableFeatureFlag with flagKey a number', () => {
      const application = new appconfig.Application(f.stack, 'App');
      const environment = new appconfig.Environment(f.stack, 'Env', { application });
      const configuration = { configurationProfileId: 'def' };
      return new DisableFeatureFlag(f.workload, 'K1', js({ application, environment, configuration, flagsContent: '{}', flagKey: 7 }));
    }, "K1] flagKey must be a string, got 7. Give the flag's key, e.g. 'new_checkout'."],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(`[Test/Freight/${message}`);
  });
});

describe('Playbook props', () => {
  const guide = { symptoms: ['s'], checks: ['c'], hypotheses: ['h'], nextSteps: ['n'] };
  const group = logs.LogGroup.fromLogGroupName(f.stack, 'Logs', '/freight/quotes');
  const playbook = (id: string, props: Partial<PlaybookProps>) => () => new Playbook(f.workload, id, { ...guide, alarms: [f.alarm], ...props });

  test('a Logs Insights query over 10,000 characters (the CloudWatch Logs Insights limit) fails; 10,000 is fine', () => {
    const query = (n: number) => `fields @message${' '.repeat(n - 15)}`;
    expect(playbook('P1', { logGroups: [group], logQuery: query(10_001) })).toThrow(
      `[Test/Freight/P1] logQuery must be at most 10000 characters (it has 10001), got '${query(80)}...' (a string). ` +
      'CloudWatch Logs Insights runs queries of up to 10,000 characters: shorten it.');
    expect(playbook('P2', { logGroups: [group], logQuery: query(10_000) })).not.toThrow();
  });

  test('a logQuery without logGroups (dropped before) and an empty one fail', () => {
    expect(playbook('P3', { logQuery: 'fields @message' })).toThrow(
      '[Test/Freight/P3] logQuery is given without logGroups, so no query would run: give the log groups to query, or leave logQuery out.');
    expect(playbook('P4', { logGroups: [group], logQuery: ' ' })).toThrow("[Test/Freight/P4] logQuery must not be empty, got ' ' (a string).");
  });

  test.each<[string, Partial<PlaybookProps>, string]>([
    ['symptoms as a string', { symptoms: 'slow' as never }, "symptoms must be an array of non-empty strings, got 'slow' (a string)."],
    ['an empty check', { checks: ['Open the dashboard', ''] }, 'checks [1] must not be empty'],
    ['alarms an object', { alarms: {} as never }, 'alarms must be an array of CloudWatch alarms, got a plain object {}.'],
    ['signals without errors', { signals: { traffic: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }) } as never },
      'signals.errors is required, got undefined.'],
    ['a metric without a label', { metrics: [{ metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }) } as never] },
      'metrics [0] must have a label (a non-empty string)'],
    ['lookback in seconds as a number', { lookback: 3600 as never }, 'lookback must be a Duration (e.g. Duration.minutes(5)), got 3600.'],
  ])('%s', (what, props, message) => {
    expect(playbook(`Bad${what.replace(/\W/g, '')}`, props)).toThrow(`[Test/Freight/Bad${what.replace(/\W/g, '')}] ${message}`);
  });

  test('addAlarm(undefined) names the playbook', () => {
    const pb = playbook('P5', {})() as Playbook;
    expect(() => pb.addAlarm(undefined as never)).toThrow(
      '[Test/Freight/P5] addAlarm(alarm) is required, got undefined. Pass a CloudWatch alarm (an Alarm, a CompositeAlarm or an imported one).');
  });
});

describe('AutoRemediation props', () => {
  const runbook = new Runbook(f.workload, 'Flush', {
    description: { purpose: 'Read the alias.', whenToUse: ['Never'] },
    steps: [Step.executeAwsApi({ name: 'Read', service: 'lambda', api: 'GetAlias', resources: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:quotes`] })],
  });
  test.each<[string, Record<string, unknown>, string]>([
    ["enabled: 'false' (it enabled the rule)", { enabled: 'false' }, "enabled must be true or false, got 'false' (a string)."],
    ['parameters as strings', { parameters: { Name: 'quotes' } }, 'parameters must map each parameter to a list of strings (Name must be an array)'],
    ['no alarm', { alarm: undefined }, 'alarm is required, got undefined. Give the alarm whose transition to ALARM starts the runbook.'],
    ['a runbook name instead of a runbook', { runbook: 'freight-flush' },
      "runbook must be a runbook (a Runbook, a preset, or Runbook.fromDocumentName(...)), got 'freight-flush' (a string)."],
  ])('%s', (what, props, message) => {
    const id = `Respond${what.replace(/\W/g, '')}`;
    expect(() => new AutoRemediation(f.workload, id, { alarm: f.alarm, runbook, ...props } as never)).toThrow(`[Test/Freight/${id}] ${message}`);
  });
});

describe('a lambda alias without a version (plain JavaScript)', () => {
  test('addAlias names the runbook and the alias', () => {
    const rb = new RollbackLambdaAlias(f.workload, 'L3');
    const alias = { aliasName: 'live', version: {}, node: { path: 'Test/Fake' } } as unknown as lambda.IAlias;
    expect(() => rb.addAlias(alias)).toThrow(
      '[Test/Freight/L3] addAlias: Test/Fake has no function version to read the function from: pass an alias of a published version.');
  });
});
