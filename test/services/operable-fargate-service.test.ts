import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnElement } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  DASHBOARD_URL, DEPLOYMENT_ALARM_NAMES, descriptionOf, fargate, footer, OPERATIONAL_ALARM_NAMES, serviceDimensions, targetGroupDimensions,
} from './fargate-fixtures';
import { logicalIdOf, metricsOf, ORR_TAGS, windowAlarmNames } from './function-fixtures';
import { OperableFargateService, ServiceLevelObjective } from '../../src';
import { CFN_LINT_ALLOWLIST } from '../cfn-lint-allowlist';
import { check } from '../nag/rules/helpers';

const TAGS = ORR_TAGS.map((t) => (t.Key === 'ops:service' ? { ...t, Value: 'dispatch' } : t));
const WINDOWS: Array<[string, number, number, boolean]> = [
  // [window, period in seconds, threshold, long window (guarded)]
  ['burn14.4x-1h', 3600, 14.4, true],
  ['burn14.4x-5m', 300, 14.4, false],
  ['burn6x-6h', 21600, 6, true],
  ['burn6x-30m', 1800, 6, false],
  ['burn1x-3d', 259200, 1, true],
  ['burn1x-6h', 21600, 1, false],
];

/** `${LogicalId.Arn}` of an SLO window alarm, by construct id (e.g. `14.4x1h`). */
function arnOf(slo: ServiceLevelObjective, window: string): string {
  return `\${${logicalIdOf(slo.windowAlarms.find((a) => a.node.id === `Window${window}`)!)}.Arn}`;
}

// The default service, synthesized once for every describe of this file.
let s: ReturnType<typeof fargate>;
let svc: OperableFargateService;
let [lbId, tgId, altId, serviceId, clusterId, logGroupId] = ['', '', '', '', '', ''];
let serviceProps: Record<string, unknown>;
beforeAll(() => {
  s = fargate();
  svc = s.svc;
  [lbId, tgId, altId, serviceId, clusterId, logGroupId] = [svc.loadBalancer!, svc.targetGroup, svc.alternateTargetGroup!, svc.service, svc.cluster,
    svc.logGroup!].map(logicalIdOf);
  serviceProps = s.resources[serviceId].Properties!;
});

describe('OperableFargateService defaults: what it creates', () => {
  test('a cluster with Container Insights (enhanced observability)', () => {
    expect(s.resources[clusterId].Properties).toEqual({ ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }], Tags: TAGS });
    s.template.resourceCountIs('AWS::ECS::Cluster', 1);
  });

  test('a log group kept 180 days (STANDARD tier) and retained; the container logs to it with awslogs, non-blocking', () => {
    expect(s.resources[logGroupId]).toEqual({
      Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 180, Tags: TAGS }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
    const task = s.of('AWS::ECS::TaskDefinition')[0][1].Properties!;
    expect(task).toMatchObject({ Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'] });
    expect(task.ContainerDefinitions).toEqual([{
      Name: 'web',
      Image: 'public.ecr.aws/nginx/nginx:1.27',
      Essential: true,
      Environment: [
        { Name: 'POWERTOOLS_SERVICE_NAME', Value: 'dispatch' },
        { Name: 'POWERTOOLS_METRICS_NAMESPACE', Value: 'freight' },
        { Name: 'OTEL_SERVICE_NAME', Value: 'dispatch' },
      ],
      LogConfiguration: {
        LogDriver: 'awslogs',
        Options: { 'awslogs-group': { Ref: logGroupId }, 'awslogs-stream-prefix': 'dispatch', 'awslogs-region': 'us-east-1', 'mode': 'non-blocking' },
      },
      PortMappings: [{ ContainerPort: 80, Protocol: 'tcp' }],
    }]);
  });

  test('an internet-facing ALB, an HTTP listener on 80 answering 404, and the production rule forwarding 100/0 to both target groups', () => {
    expect(s.resources[lbId].Properties).toMatchObject({ Scheme: 'internet-facing', Type: 'application' });
    const [[listenerId, listener]] = s.of('AWS::ElasticLoadBalancingV2::Listener');
    expect(listener.Properties).toMatchObject({
      LoadBalancerArn: { Ref: lbId },
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not found' } }],
    });
    const [[, rule]] = s.of('AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(rule.Properties).toMatchObject({
      ListenerArn: { Ref: listenerId },
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      Actions: [{
        Type: 'forward',
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: tgId }, Weight: 100 }, { TargetGroupArn: { Ref: altId }, Weight: 0 }] },
      }],
    });
    for (const id of [tgId, altId]) {
      expect(s.resources[id].Properties).toMatchObject({
        Port: 80, Protocol: 'HTTP', TargetType: 'ip', TargetGroupAttributes: expect.arrayContaining([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
    }
  });

  test('the ECS service: canary 10 % for 10 minutes, a 10-minute bake, circuit breaker and deployment alarms rolling back', () => {
    expect(serviceProps.DeploymentConfiguration).toEqual({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 10 },
      BakeTimeInMinutes: 10,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { Enable: true, Rollback: true, AlarmNames: DEPLOYMENT_ALARM_NAMES },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    });
    expect(serviceProps).toMatchObject({ DesiredCount: 2, LaunchType: 'FARGATE', DeploymentController: { Type: 'ECS' }, PropagateTags: 'SERVICE', Tags: TAGS });
    expect(serviceProps.LoadBalancers).toEqual([{
      ContainerName: 'web',
      ContainerPort: 80,
      TargetGroupArn: { Ref: tgId },
      AdvancedConfiguration: {
        AlternateTargetGroupArn: { Ref: altId },
        ProductionListenerRule: { Ref: logicalIdOf(s.svc.node.findChild('ProductionRule')) },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(s.svc.service.node.findChild('AlternateTargetRole')), 'Arn'] },
      },
    }]);
    expect((serviceProps.NetworkConfiguration as { AwsvpcConfiguration: object }).AwsvpcConfiguration).toMatchObject({ AssignPublicIp: 'DISABLED' });
    expect(svc.deploymentAlarmNames).toEqual(DEPLOYMENT_ALARM_NAMES);
  });

  test('every deployment alarm name is the AlarmName of an alarm of the template: no dangling name', () => {
    for (const name of DEPLOYMENT_ALARM_NAMES) expect(s.alarm(name).AlarmName).toBe(name);
    expect(s.alarm('freight-dispatch-availability-burn14.4x-5m')).toBe(s.resources[logicalIdOf(svc.availability!.fastBurnAlarm)].Properties);
    expect(s.alarm('freight-dispatch-latency-burn14.4x-5m')).toBe(s.resources[logicalIdOf(svc.latency!.fastBurnAlarm)].Properties);
    expect(s.alarm('freight-dispatch-canary')).toBe(s.resources[logicalIdOf(svc.canaryAlarm)].Properties);
  });

  test('the service does not depend on those alarms: literal names, no Ref or GetAtt to any alarm, no DependsOn (no cycle)', () => {
    const alarmIds = [...s.of('AWS::CloudWatch::Alarm'), ...s.of('AWS::CloudWatch::CompositeAlarm')].map(([id]) => id);
    const text = JSON.stringify(s.resources[serviceId]);
    expect(alarmIds.filter((id) => text.includes(id))).toEqual([]);
    expect((s.resources[serviceId] as { DependsOn?: string[] }).DependsOn).toEqual([
      logicalIdOf(s.svc.node.findChild('ProductionRule')), logicalIdOf(s.svc.taskDefinition!.taskRole),
    ]);
    // The alarms do watch the service (its name is in their dimensions): only that direction exists.
    expect(JSON.stringify(s.alarm('freight-dispatch-cpu'))).toContain(serviceId);
  });

  test('nothing to report: no warning at all', () => {
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('OperableFargateService defaults: SLOs on what users feel', () => {
  const bad = '(FILL(bad_target5xx0, 0) + FILL(bad_elb5xx0, 0) + FILL(bad_target5xx1, 0) + FILL(bad_elb5xx1, 0))';
  const total = '(FILL(total_requests0, 0) + FILL(total_requests1, 0))';

  test('two SLOs of six window alarms, the canary alarm and five operational alarms, in that order', () => {
    expect(s.alarmNames()).toEqual([
      ...windowAlarmNames('availability', 'dispatch'), ...windowAlarmNames('latency', 'dispatch'), 'freight-dispatch-canary', ...OPERATIONAL_ALARM_NAMES,
    ]);
    expect([svc.availability!.objective, svc.latency!.objective]).toEqual([99.9, 99]);
  });

  test.each(WINDOWS)('availability %s: target and load-balancer 5XX of both target groups over the requests of both (Sum, %i s), threshold %d',
    (what, period, threshold, long) => {
      const alarm = s.alarm(`freight-dispatch-availability-${what}`);
      expect(alarm.Threshold).toBe(threshold);
      const burn = `(FILL(${bad},0)/${total})/0.001`;
      const metric = (id: string, metricName: string, tg: string) => ({
        Id: id,
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: targetGroupDimensions(svc.loadBalancer!, tg === tgId ? svc.targetGroup : svc.alternateTargetGroup!) },
          Period: period,
          Stat: 'Sum',
        },
      });
      expect(metricsOf(alarm)).toEqual([
        { Id: 'expr_1', ReturnData: true, Expression: long ? `IF(FILL(${bad},0) >= 5, ${burn}, 0)` : burn },
        metric('bad_target5xx0', 'HTTPCode_Target_5XX_Count', tgId),
        metric('bad_elb5xx0', 'HTTPCode_ELB_5XX_Count', tgId),
        metric('bad_target5xx1', 'HTTPCode_Target_5XX_Count', altId),
        metric('bad_elb5xx1', 'HTTPCode_ELB_5XX_Count', altId),
        metric('total_requests0', 'RequestCount', tgId),
        metric('total_requests1', 'RequestCount', altId),
      ]);
    });

  test.each(WINDOWS)('latency %s: TargetResponseTime of the load balancer, percentile rank at 1 s written in seconds (%i s), threshold %d',
    (what, period, threshold, long) => {
      // The STANDARD tier's latency threshold is 1 s: PR(:1), not PR(:1000) (TargetResponseTime is published in seconds).
      const alarm = s.alarm(`freight-dispatch-latency-${what}`);
      expect(alarm.Threshold).toBe(threshold);
      const stat = (statistic: string) => ({
        Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: [{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [lbId, 'LoadBalancerFullName'] } }] },
        Period: period,
        Stat: statistic,
      });
      expect(metricsOf(alarm)).toEqual(long
        ? [
          { Id: 'expr_1', ReturnData: true, Expression: 'IF(((100-pr)/100*n) >= 5, ((100-pr)/100)/0.01, 0)' },
          { Id: 'pr', ReturnData: false, MetricStat: stat('PR(:1)') },
          { Id: 'n', ReturnData: false, MetricStat: stat('SampleCount') },
        ]
        : [{ Id: 'expr_1', ReturnData: true, Expression: '((100-pr)/100)/0.01' }, { Id: 'pr', ReturnData: false, MetricStat: stat('PR(:1)') }]);
    });

  test('the page composite ORs both SLOs\' page pairs; the ticket composite their ticket pairs, the canary and the operational alarms', () => {
    const page = (slo: ServiceLevelObjective) => `((ALARM("${arnOf(slo, '14.4x1h')}") AND ALARM("${arnOf(slo, '14.4x5m')}")) OR ` +
      `(ALARM("${arnOf(slo, '6x6h')}") AND ALARM("${arnOf(slo, '6x30m')}") AND (NOT (ALARM("${arnOf(slo, '14.4x1h')}")))))`;
    const ticket = (slo: ServiceLevelObjective) => `((ALARM("${arnOf(slo, '1x3d')}") AND ALARM("${arnOf(slo, '1x6h')}")))`;
    const arn = (name: string) => `ALARM("\${${Object.entries(s.resources).find(([, r]) => r.Properties?.AlarmName === name)![0]}.Arn}")`;
    expect(s.alarm('freight-dispatch-page').AlarmRule).toEqual({ 'Fn::Sub': `(${page(svc.availability!)} OR ${page(svc.latency!)})` });
    expect(s.alarm('freight-dispatch-ticket').AlarmRule).toEqual({
      'Fn::Sub': `(${ticket(svc.availability!)} OR ${ticket(svc.latency!)} OR ${['freight-dispatch-canary', ...OPERATIONAL_ALARM_NAMES].map(arn).join(' OR ')})`,
    });
    expect(s.alarm('freight-dispatch-page').AlarmActions).toEqual([{ Ref: logicalIdOf(s.pages) }]);
    expect(s.alarm('freight-dispatch-ticket')).toMatchObject({
      AlarmActions: [{ Ref: logicalIdOf(s.tickets) }],
      ActionsSuppressor: { 'Fn::GetAtt': [logicalIdOf(svc.pageAlarm), 'Arn'] },
      ActionsSuppressorWaitPeriod: 120,
      ActionsSuppressorExtensionPeriod: 21600,
    });
    expect(s.alarm('freight-dispatch-page').AlarmDescription).toBe(
      `Page: service dispatch is burning an SLO's error budget fast (availability 99.9%, latency 99%).\n${footer('PAGE')}`);
    expect(s.alarm('freight-dispatch-ticket').AlarmDescription).toBe('Ticket: service dispatch needs attention: slow error-budget burn ' +
      `(availability 99.9%, latency 99%) or an operational alarm (6 alarms); suppressed while the service pages.\n${footer('TICKET')}`);
  });

  test('the canary alarm: the higher burn rate of the two target groups, each counted from 20 requests a minute, 3 of 3 minutes at 14.4', () => {
    const rate = (i: number) => `IF(FILL(n${i},0) >= 20, (FILL(t${i},0) + FILL(e${i},0)) / n${i}, 0)`;
    const alarm = s.alarm('freight-dispatch-canary');
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 14.4, EvaluationPeriods: 3, TreatMissingData: 'notBreaching',
    });
    expect(alarm.DatapointsToAlarm).toBeUndefined();
    const metric = (id: string, metricName: string, tg: typeof svc.targetGroup) => ({
      Id: id,
      ReturnData: false,
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: targetGroupDimensions(svc.loadBalancer!, tg) }, Period: 60, Stat: 'Sum' },
    });
    expect(metricsOf(alarm)).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: `IF(${rate(0)} > ${rate(1)}, ${rate(0)}, ${rate(1)}) / 0.001`, Label: 'Highest target-group burn rate' },
      ...[svc.targetGroup, svc.alternateTargetGroup!].flatMap((tg, i) => [
        metric(`t${i}`, 'HTTPCode_Target_5XX_Count', tg), metric(`e${i}`, 'HTTPCode_ELB_5XX_Count', tg), metric(`n${i}`, 'RequestCount', tg),
      ]),
    ]);
    expect(alarm.AlarmDescription).toBe('A target group of dispatch burned its error budget 14.4× or faster for 3 minutes (during a canary or linear ' +
      "deployment: the new revision fails); it rolls the deployment back. Tickets through dispatch's ticket composite; no actions of its own.\n" +
      footer('TICKET'));
  });
});

describe('OperableFargateService defaults: saturation and health tickets', () => {
  const ticketsThrough = "Tickets through dispatch's ticket composite; no actions of its own.";
  const name = () => `ECS service \${${serviceId}.Name}`;

  test('cpu and memory: AWS/ECS utilization (Average, 5 minutes) at 85 % and 90 % for 3 periods', () => {
    for (const [alarmName, metricName, threshold, text] of [
      ['freight-dispatch-cpu', 'CPUUtilization', 85, `${name()} used 85% or more of its CPU for 15 minutes: scale out, or give its tasks more CPU.`],
      ['freight-dispatch-memory', 'MemoryUtilization', 90, `${name()} used 90% or more of its memory for 15 minutes: tasks near their limit are stopped (OutOfMemory).`],
    ] as const) {
      expect(s.alarm(alarmName)).toEqual(expect.objectContaining({
        Namespace: 'AWS/ECS',
        MetricName: metricName,
        Dimensions: serviceDimensions(svc),
        Statistic: 'Average',
        Period: 300,
        Threshold: threshold,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmDescription: { 'Fn::Sub': `${text} ${ticketsThrough}\n${footer('TICKET')}` },
      }));
    }
  });

  test('running tasks: Container Insights desired minus running at 1 or more for 10 one-minute periods', () => {
    const stat = (metricName: string, statistic: string) => ({
      Metric: { Namespace: 'ECS/ContainerInsights', MetricName: metricName, Dimensions: serviceDimensions(svc) }, Period: 60, Stat: statistic,
    });
    const alarm = s.alarm('freight-dispatch-running-tasks');
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 10, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm.Metrics).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: 'FILL(desired,0) - FILL(running,0)', Label: 'Desired minus running tasks' },
      { Id: 'desired', ReturnData: false, MetricStat: stat('DesiredTaskCount', 'Maximum') },
      { Id: 'running', ReturnData: false, MetricStat: stat('RunningTaskCount', 'Minimum') },
    ]);
    expect(descriptionOf(alarm)).toBe(`${name()} ran fewer tasks than desired for 10 minutes: look at the stopped tasks' reasons (image pull, ` +
      `health checks, OutOfMemory, capacity). ${ticketsThrough}\n${footer('TICKET')}`);
  });

  test('unhealthy targets: UnHealthyHostCount (Maximum) of both target groups at 1 or more for 10 minutes', () => {
    const alarm = s.alarm('freight-dispatch-unhealthy-targets');
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 10 });
    expect(alarm.Metrics).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: 'FILL(u0,0) + FILL(u1,0)', Label: 'Unhealthy targets' },
      ...[svc.targetGroup, svc.alternateTargetGroup!].map((tg, i) => ({
        Id: `u${i}`,
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount', Dimensions: targetGroupDimensions(svc.loadBalancer!, tg) }, Period: 60, Stat: 'Maximum',
        },
      })),
    ]);
  });

  test('deployment failed: a metric filter on the service ARN over the workload\'s capture of SERVICE_DEPLOYMENT_FAILED events', () => {
    expect(s.alarm('freight-dispatch-deployment-failed')).toMatchObject({
      Namespace: 'freight',
      MetricName: 'EcsDeploymentFailures',
      Dimensions: [{ Name: 'Service', Value: 'dispatch' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      AlarmDescription: {
        'Fn::Sub': `A deployment of ${name()} failed or was rolled back (ECS SERVICE_DEPLOYMENT_FAILED): the previous revision serves; find why in the ` +
          `deployment events before deploying again. ${ticketsThrough}\n${footer('TICKET')}`,
      },
    });
    const groupId = logicalIdOf(s.workload.node.findChild('EcsDeploymentEvents').node.findChild('LogGroup'));
    expect(s.of('AWS::Logs::MetricFilter').map(([, r]) => r.Properties)).toEqual([{
      LogGroupName: { Ref: groupId },
      FilterPattern: { 'Fn::Join': ['', ['{ $.resources[0] = "', { Ref: serviceId }, '" }']] },
      MetricTransformations: [{
        MetricNamespace: 'freight', MetricName: 'EcsDeploymentFailures', MetricValue: '1', Unit: 'Count', Dimensions: [{ Key: 'Service', Value: 'dispatch' }],
      }],
    }]);
    expect(s.resources[groupId]).toMatchObject({
      Properties: { LogGroupName: '/aws/events/Test/freight/ecs-deployments', RetentionInDays: 180 }, DeletionPolicy: 'Retain',
    });
    // EventBridge takes the log group ARN without the ':*' its Arn attribute ends with.
    const target = { Id: 'EcsEvents', Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:', { Ref: groupId }]] } };
    expect(s.of('AWS::Events::Rule').map(([, r]) => [r.Properties!.EventPattern, r.Properties!.Targets])).toEqual([
      [{ 'source': ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'], 'detail': { eventName: ['SERVICE_DEPLOYMENT_FAILED'] } }, [target]],
      [{ 'source': ['aws.ecs'], 'detail-type': ['ECS Task State Change'], 'detail': { lastStatus: ['STOPPED'], group: [{ prefix: 'service:' }] } }, [target]],
    ]);
    const [[, policy]] = s.of('AWS::Logs::ResourcePolicy');
    expect(policy.Properties!.PolicyName).toBe('Test-freight-ecs-deployment-events');
    const doc = policy.Properties!.PolicyDocument as { 'Fn::Join': [string, unknown[]] };
    expect(doc['Fn::Join'][1][1]).toEqual({ 'Fn::GetAtt': [groupId, 'Arn'] });
    expect(JSON.parse(`${doc['Fn::Join'][1][0]}ARN${doc['Fn::Join'][1][2]}`)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'ARN',
      }],
    });
  });

  test('no window or operational alarm has actions of its own; each carries the ops:runbook tag', () => {
    for (const alarmName of s.alarmNames()) {
      const alarm = s.alarm(alarmName);
      expect([alarmName, alarm.AlarmActions, alarm.OKActions]).toEqual([alarmName, undefined, undefined]);
      expect((alarm.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'ops:runbook')).toEqual({ Key: 'ops:runbook', Value: 'https://runbooks.example.com/freight/dispatch' });
    }
  });
});

describe('OperableFargateService defaults: dashboard, figures, independent checks', () => {
  test('the dashboard: golden signals, three widgets per SLO, alarms, recent errors, tasks and deployments', () => {
    const body = (s.resources[logicalIdOf(svc.dashboard!.cfnDashboard)].Properties!.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const widgets = (JSON.parse(body) as { widgets: Array<{ type: string; properties: { title?: string; metrics?: unknown[][] } }> }).widgets;
    expect(widgets.map((w) => w.properties.title)).toEqual([
      undefined, 'Traffic', 'Errors', 'Latency', 'Saturation',
      'dispatch / availability: SLI vs 99.9% objective', 'dispatch / availability: burn rate per alarm window',
      'dispatch / availability: error budget burn-down (30 days)',
      'dispatch / latency: SLI vs 99% objective', 'dispatch / latency: burn rate per alarm window', 'dispatch / latency: error budget burn-down (30 days)',
      'dispatch: alarms', 'dispatch: recent errors and stopped tasks', 'Tasks: running vs desired',
      '5XX: from the tasks vs from the load balancer', 'Deployments: failed, canary burn rate',
    ]);
    const dims = ['ClusterName', `\${${clusterId}}`, 'ServiceName', `\${${serviceId}.Name}`];
    expect(widgets[13].properties.metrics).toEqual([
      ['ECS/ContainerInsights', 'RunningTaskCount', ...dims, { period: 60, stat: 'Minimum' }],
      ['.', 'DesiredTaskCount', '.', '.', '.', '.', { period: 60, stat: 'Maximum' }],
      ['.', 'PendingTaskCount', '.', '.', '.', '.', { period: 60, stat: 'Maximum' }],
    ]);
    // 5XX the tasks answered vs 5XX the load balancer answered (targets reset, timed out or all unhealthy).
    expect(widgets[14].properties.metrics).toEqual([
      ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'LoadBalancer', `\${${lbId}.LoadBalancerFullName}`, { label: 'Targets 5XX', stat: 'Sum' }],
      ['.', 'HTTPCode_ELB_5XX_Count', '.', '.', { label: 'Load balancer 5XX', stat: 'Sum' }],
    ]);
    expect(widgets[15].properties.metrics!.slice(0, 2)).toEqual([
      ['freight', 'EcsDeploymentFailures', 'Service', 'dispatch', { stat: 'Sum' }],
      [{ label: 'Highest target-group burn rate', expression: (metricsOf(s.alarm('freight-dispatch-canary'))[0].Expression), period: 60, yAxis: 'right' }],
    ]);
    // Latency percentiles of the load balancer's TargetResponseTime (the graph's period is the dashboard's choice).
    expect(widgets[3].properties.metrics).toMatchObject([
      ['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', `\${${lbId}.LoadBalancerFullName}`, { label: 'p50', stat: 'p50' }],
      ['.', '.', '.', '.', { label: 'p90', stat: 'p90' }],
      ['.', '.', '.', '.', { label: 'p99', stat: 'p99' }],
    ]);
    expect(svc.dashboard!.dashboardUrl).toBe(DASHBOARD_URL);
  });

  test("the log widget queries the container's errors and the service's stopped tasks with a valid regex on the event log", () => {
    const body = (s.resources[logicalIdOf(svc.dashboard!.cfnDashboard)].Properties!.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const query = (JSON.parse(body) as { widgets: Array<{ type: string; properties: { query?: string } }> }).widgets.find((w) => w.type === 'log')!.properties.query!;
    const events = logicalIdOf(s.workload.node.findChild('EcsDeploymentEvents').node.findChild('LogGroup'));
    expect(query.split('\n')).toEqual([
      `SOURCE '\${${logGroupId}}' | SOURCE '\${${events}}' | fields @timestamp, @log, detail.stoppedReason, detail.containers.0.exitCode, ` +
        'detail.containers.0.reason, level, message, @message',
      // @log is `<account>:<log group name>`; the event log group's name (/aws/events/Test/freight/ecs-deployments) is not a regex.
      `| filter (@log like /ecs-deployments/ and detail.group = "service:\${${serviceId}.Name}") or (@log not like /ecs-deployments/ and ` +
        '(level = "ERROR" or level = "FATAL" or @message like /(?i)(error|exception|panic)/))',
      '| sort @timestamp desc',
      '| limit 100',
    ]);
  });

  test('figures: resources and bytes besides the VPC and the fixture topics, 18 metric alarms and 2 composites, US$ 9.80 a month', () => {
    const vpc = new Set((svc.cluster.vpc as ec2.Vpc).node.findAll().filter((c): c is CfnElement => c instanceof CfnElement).map(logicalIdOf));
    const own = Object.entries(s.resources).filter(([id]) => !vpc.has(id) && id !== logicalIdOf(s.pages) && id !== logicalIdOf(s.tickets));
    const bytes = Buffer.byteLength(JSON.stringify({ Resources: Object.fromEntries(own) }, undefined, 1));
    expect([vpc.size, own.length]).toEqual([23, 45]);
    // About 107 KB as CDK writes it (one-space indent); the whole stack is 70 resources.
    expect(bytes).toBeLessThan(115_000);
    expect(Object.keys(s.resources)).toHaveLength(70);
    expect(s.of('AWS::CloudWatch::Alarm')).toHaveLength(18);
    expect(s.of('AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties!.AlarmName)).toEqual(['freight-dispatch-page', 'freight-dispatch-ticket', 'freight-page']);
    expect(svc.estimatedMonthlyCostUsd).toBe(9.8);
  });

  test('the rule pack finds nothing on the service for the deployment, telemetry, SLO, alarm, dashboard and ownership rules', () => {
    const findings = check(s.stack.node.root as App);
    for (const rule of ['OPS-SafeDeployment', 'OPS-RollbackPlan', 'OPS-ContainerInsights', 'OPS-TargetGroupSlo', 'OPS-AlarmCoverage', 'OPS-ServiceDashboard',
      'OPS-LogRetention', 'OPS-OwnershipTags']) {
      // The fixture's SNS topics (Test/Pages, Test/Tickets) are outside the workload.
      expect([rule, findings.paths(rule).filter((p) => p.startsWith('Test/Freight/'))]).toEqual([rule, []]);
    }
  });
});

describe('cfn-lint over the default template', () => {
  let findings: string[];
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'fargate-lint-'));
    try {
      const file = join(dir, 'Test.template.json');
      writeFileSync(file, JSON.stringify(s.template.toJSON(), undefined, 1));
      const run = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-east-1', '--', file], { encoding: 'utf8' });
      if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error('cfn-lint is not on PATH: `bash scripts/ensure-cfn-lint.sh`');
      const typeOf = (path: string[]) => (path[0] === 'Resources' ? s.resources[path[1]]?.Type ?? '' : '');
      findings = (JSON.parse(run.stdout || '[]') as Array<{ Rule: { Id: string }; Location: { Path: Array<string | number> } }>)
        .map((r) => ({ rule: r.Rule.Id, type: typeOf(r.Location.Path.map(String)), path: r.Location.Path.slice(2).map((p) => (typeof p === 'number' ? '*' : p)).join('/') }))
        .filter((f) => !CFN_LINT_ALLOWLIST.some((a) => a.rule === f.rule && a.resourceType === f.type && a.path === f.path))
        .map((f) => `${f.rule} ${f.type} ${f.path}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('only schema-age and upstream findings, none in what cdk-operable writes', () => {
    // The allowlist (test/cfn-lint-allowlist.ts) holds the schema-age Tags on listeners and listener rules, and aws-ecs's
    // upstream DependsOn on the listener rule the AdvancedConfiguration also references.
    expect([...new Set(findings)].sort()).toEqual([
      // Upstream: ec2.Vpc in a stack with an account and region writes literal (here: test-context dummy) Availability Zones.
      'W3010 AWS::EC2::Subnet Properties/AvailabilityZone',
    ]);
  });
});

