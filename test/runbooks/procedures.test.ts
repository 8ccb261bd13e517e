import { App, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  Approvers, DisableFeatureFlag, FailoverAuroraCluster, RedriveDeadLetterQueue, RestartEcsService, RollbackLambdaAlias, ScaleEcsService, Workload,
} from '../../src';
import { ProcedureKind, proceduresFor } from '../../src/core/procedures';

/**
 * Each preset registers itself on what it acts on (issue #10 §4), so the alarms that watch that resource name it:
 * `proceduresFor(target)` returns the runbook's document name, kind and purpose.
 */

const ACCOUNT = '123456789012';
const app = new App();
const stack = new Stack(app, 'Ops', { env: { account: ACCOUNT, region: 'eu-west-1' } });
const workload = new Workload(stack, 'Freight', {
  workloadName: 'freight',
  owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
  approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', `arn:aws:iam::${ACCOUNT}:role/oncall`)] }),
});
const fn = new lambda.Function(stack, 'Quotes', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
const canary = new lambda.Alias(stack, 'Canary', { aliasName: 'canary', version: fn.currentVersion });
const rollback = new RollbackLambdaAlias(workload, 'Rollback', { aliases: [live] });
rollback.addAlias(canary);
rollback.addAlias(canary);
const dlq = new sqs.Queue(stack, 'Dlq');
const orders = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
const redrive = new RedriveDeadLetterQueue(workload, 'Redrive', { deadLetterQueue: dlq, sourceQueues: [orders] });
const service = ecs.BaseService.fromServiceArnWithCluster(stack, 'Service', `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/freight/quotes`);
const restart = new RestartEcsService(workload, 'Restart', { service });
const scale = new ScaleEcsService(workload, 'Scale', { service, maxCount: 10 });
const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Orders-Db', { clusterIdentifier: 'orders' });
const failover = new FailoverAuroraCluster(workload, 'Failover', { cluster });

const summary = (target: Parameters<typeof proceduresFor>[0]) => proceduresFor(target).map((p) => [p.documentName, p.kind, p.purpose, p.definedBy]);

describe('presets register on what they act on', () => {
  test('RollbackLambdaAlias: on every alias, given in props or added (once)', () => {
    for (const alias of [live, canary]) {
      expect(summary(alias)).toEqual([['freight-rollback', ProcedureKind.RUNBOOK, 'point the alias back to the previous version', rollback]]);
    }
    expect(proceduresFor(fn)).toEqual([]);
  });

  test('RedriveDeadLetterQueue: on its dead-letter queue, not on the source queues', () => {
    expect(summary(dlq)).toEqual([['freight-redrive', ProcedureKind.RUNBOOK, 'redrive the dead-letter queue', redrive]]);
    expect(proceduresFor(orders)).toEqual([]);
  });

  test('RestartEcsService and ScaleEcsService: both on the service, in order', () => {
    expect(summary(service)).toEqual([
      ['freight-restart', ProcedureKind.RUNBOOK, "restart the service's tasks", restart],
      ['freight-scale', ProcedureKind.RUNBOOK, 'scale the service to a task count', scale],
    ]);
  });

  test('FailoverAuroraCluster: on the cluster', () => {
    expect(summary(cluster)).toEqual([['freight-failover', ProcedureKind.RUNBOOK, 'fail the cluster over to a reader', failover]]);
  });

  test('DisableFeatureFlag registers nothing itself (the FeatureFlags construct registers it on the service)', () => {
    const application = new appconfig.Application(stack, 'App');
    const environment = new appconfig.Environment(stack, 'Env', { application });
    const flags = { version: '1', flags: { new_checkout: { name: 'New checkout' } }, values: { new_checkout: { enabled: true } } };
    const configuration = new appconfig.HostedConfiguration(stack, 'Flags', {
      application, type: appconfig.ConfigurationType.FEATURE_FLAGS, content: appconfig.ConfigurationContent.fromInlineJson(JSON.stringify(flags)),
    });
    new DisableFeatureFlag(workload, 'Kill', { application, environment, configuration, flagsContent: JSON.stringify(flags), flagKey: 'new_checkout' });
    expect([proceduresFor(application), proceduresFor(environment), proceduresFor(configuration)]).toEqual([[], [], []]);
  });
});
