import { App, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { NagRuleCompliance } from 'cdk-nag';
import { Construct } from 'constructs';
import { Evaluated } from './evaluated';
import { AlarmDescription, Severity } from '../../../src/core';

/**
 * The rule side of "no gate bypass" (issue 11 §1): a critical-tier stack of components outside any service — an ECS
 * Fargate service behind an ALB, an Aurora cluster, a DynamoDB table and an SQS queue with its dead-letter queue — with
 * zero alarms is found wanting by the dashboard, paging and per-alert rules (not "nothing to check"); the same stack
 * made operable by hand complies. Plus the database, target-group SLO and load-balancer canary rules.
 */

const PAGE = (summary: string) => AlarmDescription.render({ summary, severity: Severity.PAGE, owner: 'pricing', runbook: 'https://runbooks.example.com/x' });
const TICKET = (summary: string) => AlarmDescription.render({ summary, severity: Severity.TICKET, owner: 'pricing', runbook: 'https://runbooks.example.com/x' });
const COMPLIANT = NagRuleCompliance.COMPLIANT;

/** The ownership tags of a critical-tier workload, without ops:service. */
function criticalStack(app: App, id: string): Stack {
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  Tags.of(stack).add('ops:workload', 'freight');
  Tags.of(stack).add('ops:owner', 'pricing');
  Tags.of(stack).add('ops:oncall', 'pricing-oncall@example.com');
  Tags.of(stack).add('ops:tier', 'critical');
  return stack;
}

interface Components {
  readonly service: ecs.FargateService;
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly database: rds.DatabaseCluster;
  readonly table: dynamodb.TableV2;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
}

/** The container stack's components (Container Insights, circuit breaker and monitoring on: only the alarm rules matter here). */
function components(scope: Construct): Components {
  const vpc = new ec2.Vpc(scope, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  const task = new ecs.FargateTaskDefinition(scope, 'Task');
  task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 80 }] });
  const service = new ecs.FargateService(scope, 'Service', { cluster, taskDefinition: task, circuitBreaker: { rollback: true } });
  const alb = new elbv2.ApplicationLoadBalancer(scope, 'Alb', { vpc, internetFacing: true });
  const targetGroup = alb.addListener('Http', { port: 80 }).addTargets('Service', { port: 80, targets: [service] });
  const database = new rds.DatabaseCluster(scope, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    enablePerformanceInsights: true,
  });
  const table = new dynamodb.TableV2(scope, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const dlq = new sqs.Queue(scope, 'Dlq');
  const queue = new sqs.Queue(scope, 'Queue', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
  return { service, alb, targetGroup, database, table, queue, dlq };
}

/** Make the components operable by hand: paging alarms with runbooks, an SLO on the target group, a canary, a dashboard. */
function operate(stack: Stack, c: Components): void {
  const pages = new sns.Topic(stack, 'Pages');
  pages.addSubscription(new subscriptions.EmailSubscription('pricing-oncall@example.com'));
  const page = (id: string, metric: cloudwatch.IMetric) => {
    const alarm = new cloudwatch.Alarm(stack, id, { metric, threshold: 1, evaluationPeriods: 1, alarmDescription: PAGE(`${id} is unhealthy`) });
    alarm.addAlarmAction(new actions.SnsAction(pages));
    return alarm;
  };
  const alarms = [
    page('ServiceCpu', c.service.metricCpuUtilization()),
    page('Alb5xx', c.alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT)),
    page('DbCpu', c.database.metricCPUUtilization()),
    page('QueueAge', c.queue.metricApproximateAgeOfOldestMessage()),
  ];
  // The table pages through a composite over an alarm without actions (a roll-up names the runbook).
  const throttles = new cloudwatch.Alarm(stack, 'TableThrottles', {
    metric: c.table.metricThrottledRequestsForOperation('GetItem'), threshold: 1, evaluationPeriods: 1,
  });
  new cloudwatch.CompositeAlarm(stack, 'TablePage', {
    alarmRule: cloudwatch.AlarmRule.fromAlarm(throttles, cloudwatch.AlarmState.ALARM),
    alarmDescription: PAGE('The table throttles'),
  }).addAlarmAction(new actions.SnsAction(pages));
  // Two burn-rate alarms on the target group (5XX over requests) are its SLO; they page too.
  for (const [id, window] of [['Burn1h', 60], ['Burn6h', 360]] as const) {
    const burn = new cloudwatch.MathExpression({
      expression: '(errors / requests) / 0.001',
      usingMetrics: {
        errors: c.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT), requests: c.targetGroup.metrics.requestCount(),
      },
    }).createAlarm(stack, id, { threshold: 14.4, evaluationPeriods: 1, alarmDescription: PAGE(`${window} min burn rate of the error budget`) });
    burn.addAlarmAction(new actions.SnsAction(pages));
    alarms.push(burn);
  }
  // The dead-letter queue opens a ticket: it needs no page (its source pages).
  c.dlq.metricApproximateNumberOfMessagesVisible().createAlarm(stack, 'DeadLetters', { threshold: 1, evaluationPeriods: 1, alarmDescription: TICKET('Dead letters') })
    .addAlarmAction(new actions.SnsAction(new sns.Topic(stack, 'Tickets')));
  new synthetics.Canary(stack, 'Canary', {
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
    test: synthetics.Test.custom({ handler: 'index.handler', code: synthetics.Code.fromInline('exports.handler = async () => {};') }),
    environmentVariables: { URL: `http://${c.alb.loadBalancerDnsName}/health` },
  });
  // One dashboard: the alarms (status), the table graphed directly; the dead-letter queue by its name in a graph.
  new cloudwatch.Dashboard(stack, 'Board', {
    widgets: [
      [new cloudwatch.AlarmStatusWidget({ alarms })],
      [new cloudwatch.GraphWidget({ left: [c.table.metricConsumedReadCapacityUnits(), c.dlq.metricApproximateNumberOfMessagesVisible()] })],
    ],
  });
}

/** An IP target (a container behind the ALB), without an ECS service in the way. */
class IpTarget implements elbv2.IApplicationLoadBalancerTarget {
  public attachToApplicationTargetGroup(_targetGroup: elbv2.IApplicationTargetGroup): elbv2.LoadBalancerTargetProps {
    return { targetType: elbv2.TargetType.IP, targetJson: { id: '10.0.0.10', port: 80 } };
  }
}

describe('components: a critical container stack with zero alarms, and the same stack made operable', () => {
  let evaluated: Evaluated;
  const BARE = 'Bare/';
  const OPERATED = 'Operated/';
  const components_ = ['Alb/Resource', 'Db/Resource', 'Queue/Resource', 'Service/Service', 'Table/Resource'];
  const paths = (stack: string, ids: string[]) => ids.map((id) => `${stack}${id}`);
  const targetGroup = 'Alb/Http/ServiceGroup/Resource';

  beforeAll(() => {
    const app = new App();
    components(criticalStack(app, 'Bare'));
    const stack = criticalStack(app, 'Operated');
    operate(stack, components(stack));
    evaluated = Evaluated.of(app);
  });

  test('OPS-CriticalPaging: every critical-tier component of the bare stack pages nobody (NoPagingAlarm, WARN); dead-letter queues are left out', () => {
    expect(evaluated.violations('OPS-CriticalPaging', BARE)).toEqual(paths(BARE, [...components_, targetGroup].sort())
      .map((path) => ({ ruleName: 'OPS-CriticalPaging[NoPagingAlarm]', path, severity: 'warning' })));
    expect(evaluated.results('OPS-CriticalPaging', `${BARE}Dlq`)).toEqual({});
  });

  test('OPS-AlarmRunbook: every component of the bare stack lacks a notifying alarm naming a runbook (NoRunbookAlarm, WARN)', () => {
    expect(evaluated.violations('OPS-AlarmRunbook', BARE)).toEqual(paths(BARE, [...components_, 'Dlq/Resource', targetGroup].sort())
      .map((path) => ({ ruleName: 'OPS-AlarmRunbook[NoRunbookAlarm]', path, severity: 'warning' })));
  });

  test('OPS-ServiceDashboard: components without ops:service each need a dashboard showing them (NotOnDashboard)', () => {
    expect(evaluated.violations('OPS-ServiceDashboard', BARE).map((v) => [v.ruleName, v.path])).toEqual(
      paths(BARE, [...components_, 'Dlq/Resource', targetGroup].sort()).map((path) => ['OPS-ServiceDashboard[NotOnDashboard]', path]));
    // The Aurora writer is judged with its cluster; the VPC, roles and security groups are no components.
    expect(Object.keys(evaluated.results('OPS-ServiceDashboard', BARE))).toHaveLength(7);
  });

  test('the bare stack: database, target-group SLO, load-balancer canary and the existing coverage rules report their gaps', () => {
    expect(evaluated.violations('OPS-DatabaseAlarms', BARE).map((v) => v.path)).toEqual([`${BARE}Db/Resource`]);
    expect(evaluated.violations('OPS-TargetGroupSlo', BARE).map((v) => v.path)).toEqual([`${BARE}${targetGroup}`]);
    expect(evaluated.violations('OPS-LoadBalancerCanary', BARE).map((v) => v.path)).toEqual([`${BARE}Alb/Resource`]);
    expect(evaluated.violations('OPS-ServiceLevelObjective', BARE).map((v) => [v.path, v.severity])).toEqual([[`${BARE}Alb/Resource`, 'error']]);
    expect(evaluated.violations('OPS-AlarmCoverage', BARE).map((v) => v.path)).toEqual(
      paths(BARE, ['Dlq/Resource', 'Queue/Resource', 'Service/Service', 'Table/Resource']));
  });

  test('the operated stack complies with every component rule: paging directly and through a composite, runbooks, an SLO, a canary, a dashboard', () => {
    for (const rule of ['OPS-CriticalPaging', 'OPS-AlarmRunbook', 'OPS-ServiceDashboard', 'OPS-DatabaseAlarms', 'OPS-TargetGroupSlo',
      'OPS-LoadBalancerCanary', 'OPS-ServiceLevelObjective', 'OPS-AlarmCoverage']) {
      expect([rule, evaluated.violations(rule, OPERATED)]).toEqual([rule, []]);
    }
    // The components, and the table's page composite (a critical-tier composite stating PAGE), page someone.
    expect(evaluated.results('OPS-CriticalPaging', OPERATED)).toEqual(Object.fromEntries(
      paths(OPERATED, [...components_, targetGroup, 'TablePage/Resource'].sort()).map((p) => [p, COMPLIANT])));
    expect(evaluated.results('OPS-DatabaseAlarms', OPERATED)).toEqual({ [`${OPERATED}Db/Resource`]: COMPLIANT });
  });
});

describe('components: what is and is not one', () => {
  let evaluated: Evaluated;

  beforeAll(() => {
    const app = new App();
    const stack = criticalStack(app, 'Kinds');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    // A network load balancer is not a component; an internal ALB needs no canary.
    new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    const internal = new elbv2.ApplicationLoadBalancer(stack, 'Internal', { vpc });
    // Two target groups behind one ALB: an SLO on the load balancer does not cover either; one behind its own ALB is.
    const listener = internal.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
    const a = new elbv2.ApplicationTargetGroup(stack, 'A', { vpc, port: 80, targetType: elbv2.TargetType.IP });
    const b = new elbv2.ApplicationTargetGroup(stack, 'B', { vpc, port: 80, targetType: elbv2.TargetType.IP });
    listener.addTargetGroups('A', { targetGroups: [a], priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/a'])] });
    listener.addTargetGroups('B', { targetGroups: [b], priority: 2, conditions: [elbv2.ListenerCondition.pathPatterns(['/b'])] });
    const solo = new elbv2.ApplicationLoadBalancer(stack, 'Solo', { vpc, internetFacing: true });
    solo.addListener('Http', { port: 80 }).addTargets('C', { port: 80, targets: [new IpTarget()] });
    new elbv2.ApplicationTargetGroup(stack, 'Unattached', { vpc, port: 80, targetType: elbv2.TargetType.IP });
    for (const [lb, id] of [[internal, 'InternalBurn'], [solo, 'SoloBurn']] as const) {
      for (const window of ['1h', '6h']) {
        const alarm = lb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT).createAlarm(stack, `${id}${window}`, { threshold: 14.4, evaluationPeriods: 1 });
        Tags.of(alarm).add('ops:slo', 'availability');
      }
    }
    // A standalone instance is a component (an alarm by literal identifier covers it); a cluster's instances are judged with it.
    new rds.DatabaseInstance(stack, 'Standalone', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
      vpc,
      instanceIdentifier: 'prices',
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensionsMap: { DBInstanceIdentifier: 'prices' } })
      .createAlarm(stack, 'PricesCpu', { threshold: 90, evaluationPeriods: 1 });
    const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer'),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    // An alarm on the writer instance counts for the cluster.
    const writer = cluster.node.findChild('Writer').node.defaultChild as rds.CfnDBInstance;
    new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName: 'FreeableMemory', dimensionsMap: { DBInstanceIdentifier: writer.ref } })
      .createAlarm(stack, 'WriterMemory', { threshold: 1, evaluationPeriods: 1 });
    evaluated = Evaluated.of(app);
  });

  test('network load balancers are not components; internal ALBs are, but need no canary', () => {
    expect(evaluated.results('OPS-ServiceDashboard', 'Kinds/Nlb')).toEqual({});
    expect(evaluated.results('OPS-CriticalPaging', 'Kinds/Nlb')).toEqual({});
    expect(Object.keys(evaluated.results('OPS-CriticalPaging', 'Kinds/Internal/Resource'))).toEqual(['Kinds/Internal/Resource']);
    expect(evaluated.results('OPS-LoadBalancerCanary')).toEqual({ 'Kinds/Solo/Resource': NagRuleCompliance.NON_COMPLIANT });
  });

  test('OPS-TargetGroupSlo: an SLO on a load balancer covers its only target group, not two that share it; unattached groups are not applicable', () => {
    expect(evaluated.results('OPS-TargetGroupSlo')).toEqual({
      'Kinds/A/Resource': NagRuleCompliance.NON_COMPLIANT,
      'Kinds/B/Resource': NagRuleCompliance.NON_COMPLIANT,
      'Kinds/Solo/Http/CGroup/Resource': COMPLIANT,
    });
  });

  test('OPS-DatabaseAlarms: a standalone instance by its literal identifier, a cluster through an alarm on its writer; instances of a cluster are not applicable', () => {
    expect(evaluated.results('OPS-DatabaseAlarms')).toEqual({
      'Kinds/Cluster/Resource': COMPLIANT,
      'Kinds/Standalone/Resource': COMPLIANT,
    });
  });
});
