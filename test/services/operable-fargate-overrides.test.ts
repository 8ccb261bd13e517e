import { Duration } from 'aws-cdk-lib';
import { Annotations } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DEPLOYMENT_ALARM_NAMES, descriptionOf, fargate, footer, oncallApprovers, PATH, targetGroupDimensions, warningsOn } from './fargate-fixtures';
import { logicalIdOf, metricsOf, windowAlarmNames } from './function-fixtures';
import { FargateDeployment } from '../../src';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

/** The synthesized properties of the service's AWS::ECS::Service. */
function serviceOf(s: ReturnType<typeof fargate>): Record<string, unknown> {
  return s.resources[logicalIdOf(s.svc.service)].Properties!;
}

describe('FargateDeployment strategies', () => {
  test.each([
    ['canary 5 % for 15 minutes', FargateDeployment.canary({ stepPercent: 5, stepBakeTime: Duration.minutes(15) }),
      { Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 15 }, BakeTimeInMinutes: 10 }],
    ['canary 2.5 % with no step bake and a 30-minute bake', FargateDeployment.canary({ stepPercent: 2.5, stepBakeTime: Duration.minutes(0), bakeTime: Duration.minutes(30) }),
      { Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 2.5, CanaryBakeTimeInMinutes: 0 }, BakeTimeInMinutes: 30 }],
    ['linear by default: 10 % every 5 minutes, a 10-minute bake', FargateDeployment.linear({}),
      { Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 10, StepBakeTimeInMinutes: 5 }, BakeTimeInMinutes: 10 }],
    ['linear 25 % every 3 minutes, a 15-minute bake', FargateDeployment.linear({ stepPercent: 25, stepBakeTime: Duration.minutes(3), bakeTime: Duration.minutes(15) }),
      { Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 25, StepBakeTimeInMinutes: 3 }, BakeTimeInMinutes: 15 }],
    ['blue/green with a 20-minute bake', FargateDeployment.blueGreen({ bakeTime: Duration.minutes(20) }), { Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 20 }],
  ])('%s: both target groups, the alternate one in AdvancedConfiguration, the same rollback alarms', (_, deployment, expected) => {
    const s = fargate({ deployment });
    expect(serviceOf(s).DeploymentConfiguration).toEqual({
      ...expected,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { Enable: true, Rollback: true, AlarmNames: DEPLOYMENT_ALARM_NAMES },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    });
    const [target] = serviceOf(s).LoadBalancers as Array<{ AdvancedConfiguration: { AlternateTargetGroupArn: unknown } }>;
    expect(target.AdvancedConfiguration.AlternateTargetGroupArn).toEqual({ Ref: logicalIdOf(s.svc.alternateTargetGroup!) });
    expect(s.svc.deploymentAlarmNames).toEqual(DEPLOYMENT_ALARM_NAMES);
  });
});

describe('FargateDeployment.rolling()', () => {
  let s: ReturnType<typeof fargate>;
  let tgId: string;
  beforeAll(() => {
    s = fargate({ deployment: FargateDeployment.rolling() });
    tgId = logicalIdOf(s.svc.targetGroup);
  });

  test('one target group, a plain forward, no AdvancedConfiguration and no traffic-shifting role', () => {
    expect(s.svc.alternateTargetGroup).toBeUndefined();
    s.template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    expect(s.of('AWS::ElasticLoadBalancingV2::ListenerRule')[0][1].Properties!.Actions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: tgId } }]);
    expect(serviceOf(s).LoadBalancers).toEqual([{ ContainerName: 'web', ContainerPort: 80, TargetGroupArn: { Ref: tgId } }]);
    expect(s.of('AWS::IAM::Role').map(([id]) => id).filter((id) => id.includes('AlternateTarget'))).toEqual([]);
  });

  test('ROLLING with the circuit breaker and the deployment alarms rolling back; no bake', () => {
    expect(serviceOf(s).DeploymentConfiguration).toEqual({
      Strategy: 'ROLLING',
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { Enable: true, Rollback: true, AlarmNames: DEPLOYMENT_ALARM_NAMES },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    });
  });

  test('the SLOs, the canary and unhealthy-target alarms read the one target group', () => {
    const dims = targetGroupDimensions(s.svc.loadBalancer!, s.svc.targetGroup);
    const metrics = metricsOf(s.alarm('freight-dispatch-availability-burn14.4x-5m'));
    expect(metrics[0].Expression).toBe('(FILL((FILL(bad_target5xx, 0) + FILL(bad_elb5xx, 0)),0)/total)/0.001');
    expect(metrics.slice(1).map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Metric.Dimensions])).toEqual([
      ['bad_target5xx', 'HTTPCode_Target_5XX_Count', dims], ['bad_elb5xx', 'HTTPCode_ELB_5XX_Count', dims], ['total', 'RequestCount', dims],
    ]);
    expect(metricsOf(s.alarm('freight-dispatch-canary'))[0].Expression).toBe('IF(FILL(n0,0) >= 20, (FILL(t0,0) + FILL(e0,0)) / n0, 0) / 0.001');
    expect(metricsOf(s.alarm('freight-dispatch-unhealthy-targets'))[0].Expression).toBe('FILL(u0,0)');
  });
});

describe('alarm, SLO and capacity settings', () => {
  let s: ReturnType<typeof fargate>;
  beforeAll(() => {
    s = fargate({
      cpuAlarmPercent: 70,
      memoryAlarmPercent: 80,
      desiredCount: 3,
      canaryMinRequests: 50,
      latencyThreshold: Duration.millis(400),
      logRetention: logs.RetentionDays.ONE_MONTH,
    });
  });

  test('cpuAlarmPercent and memoryAlarmPercent set the thresholds and the summaries', () => {
    expect([s.alarm('freight-dispatch-cpu').Threshold, s.alarm('freight-dispatch-memory').Threshold]).toEqual([70, 80]);
    expect(descriptionOf(s.alarm('freight-dispatch-cpu'))).toContain('used 70% or more of its CPU for 15 minutes');
    expect(descriptionOf(s.alarm('freight-dispatch-memory'))).toContain('used 80% or more of its memory for 15 minutes');
  });

  test('latencyThreshold 400 ms ranks TargetResponseTime at 0.4 (seconds) in every latency window', () => {
    for (const name of windowAlarmNames('latency', 'dispatch')) {
      expect([name, metricsOf(s.alarm(name)).find((m) => m.Id === 'pr')!.MetricStat!.Stat]).toEqual([name, 'PR(:0.4)']);
    }
  });

  test('desiredCount, canaryMinRequests and logRetention', () => {
    expect(serviceOf(s).DesiredCount).toBe(3);
    expect(metricsOf(s.alarm('freight-dispatch-canary'))[0].Expression).toContain('IF(FILL(n0,0) >= 50, ');
    expect(s.resources[logicalIdOf(s.svc.logGroup!)].Properties!.RetentionInDays).toBe(30);
  });
});

describe('an HTTPS listener', () => {
  test('a certificate makes the listener HTTPS on 443, open to the internet on 443 only', () => {
    const s = fargate((stack) => ({ certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN) }));
    const [[, listener]] = s.of('AWS::ElasticLoadBalancingV2::Listener');
    expect(listener.Properties).toMatchObject({ Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERTIFICATE_ARN }] });
    const lbGroup = s.resources[logicalIdOf(s.svc.loadBalancer!.connections.securityGroups[0])].Properties!;
    expect(lbGroup.SecurityGroupIngress).toEqual([{ CidrIp: '0.0.0.0/0', Description: 'Allow from anyone on port 443', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 }]);
  });
});

describe('adotSidecar', () => {
  let s: ReturnType<typeof fargate>;
  beforeAll(() => {
    s = fargate({ adotSidecar: true });
  });

  test('a second, non-essential container: the pinned ADOT collector with its ECS default configuration, logging to the service log group', () => {
    const containers = s.of('AWS::ECS::TaskDefinition')[0][1].Properties!.ContainerDefinitions as Array<Record<string, unknown>>;
    expect(containers.map((c) => c.Name)).toEqual(['web', 'aws-otel-collector']);
    expect(containers[1]).toEqual({
      Name: 'aws-otel-collector',
      Image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3',
      Command: ['--config=/etc/ecs/ecs-default-config.yaml'],
      Essential: false,
      Cpu: 32,
      MemoryReservation: 64,
      LogConfiguration: {
        LogDriver: 'awslogs',
        Options: { 'awslogs-group': { Ref: logicalIdOf(s.svc.logGroup!) }, 'awslogs-stream-prefix': 'adot', 'awslogs-region': 'us-east-1', 'mode': 'non-blocking' },
      },
    });
    s.template.resourceCountIs('AWS::Logs::LogGroup', 2); // the service's and the workload's ECS event log: no third
  });

  test('the task role may send traces to X-Ray and write EMF log events', () => {
    const roleId = logicalIdOf(s.svc.taskDefinition!.taskRole);
    const [policy] = s.of('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties!.Roles) === JSON.stringify([{ Ref: roleId }]));
    expect((policy[1].Properties!.PolicyDocument as { Statement: unknown[] }).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:DescribeLogGroups'], Resource: '*' },
    ]);
  });
});

describe('a given cluster', () => {
  test('without Container Insights: the service runs in it, no cluster is created, and a warning says how to turn Insights on', () => {
    const s = fargate((stack) => ({ cluster: new ecs.Cluster(stack, 'Shared', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) }) }));
    s.template.resourceCountIs('AWS::ECS::Cluster', 1);
    expect(serviceOf(s).Cluster).toEqual({ Ref: logicalIdOf(s.stack.node.findChild('Shared')) });
    Annotations.fromStack(s.stack).hasWarning(PATH, 'cluster Test/Shared has no Container Insights: the running-task, restart and per-task CPU/memory ' +
      "metrics the service's alarms and dashboard read are not collected. Set containerInsightsV2: ecs.ContainerInsights.ENHANCED on it (OPS04-BP02, " +
      'OPS08-BP01). [ack: cdk-operable:ecs-container-insights]');
    expect(warningsOn(s.stack)).toHaveLength(1);
  });

  test('with Container Insights enhanced: no warning', () => {
    const s = fargate((stack) => ({
      cluster: new ecs.Cluster(stack, 'Shared', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }), containerInsightsV2: ecs.ContainerInsights.ENHANCED }),
    }));
    expect(warningsOn(s.stack)).toEqual([]);
  });
});

describe('deploymentAlarms', () => {
  test('are appended to the rollback alarms: a named alarm by Ref (its name), an imported one by name', () => {
    let extraId = '';
    const s = fargate((stack) => {
      const extra = new cloudwatch.Alarm(stack, 'Synthetic', {
        alarmName: 'freight-dispatch-synthetic', metric: new cloudwatch.Metric({ namespace: 'Freight', metricName: 'SyntheticFailures' }), threshold: 1, evaluationPeriods: 1,
      });
      extraId = logicalIdOf(extra);
      return { deploymentAlarms: [extra, cloudwatch.Alarm.fromAlarmName(stack, 'Edge', 'shared-edge-5xx')] };
    });
    expect((serviceOf(s).DeploymentConfiguration as { Alarms: unknown }).Alarms).toEqual({
      Enable: true, Rollback: true, AlarmNames: [...DEPLOYMENT_ALARM_NAMES, { Ref: extraId }, 'shared-edge-5xx'],
    });
    expect(s.svc.deploymentAlarmNames.slice(0, 4)).toEqual(DEPLOYMENT_ALARM_NAMES);
    expect(s.svc.deploymentAlarmNames[5]).toBe('shared-edge-5xx');
  });
});

describe('a workload with approvers', () => {
  let s: ReturnType<typeof fargate>;
  beforeAll(() => {
    s = fargate({}, (stack) => ({ approvers: oncallApprovers(stack) }));
  });

  test('the rollback, restart and scale runbooks exist', () => {
    expect(s.of('AWS::SSM::Document').map(([, r]) => r.Properties!.Name)).toEqual([
      'freight-dispatch-rollback-runbook', 'freight-dispatch-restart-runbook', 'freight-dispatch-scale-runbook',
    ]);
    expect([s.svc.rollbackRunbook, s.svc.restartRunbook, s.svc.scaleRunbook].map((r) => r?.documentName)).toEqual([
      'freight-dispatch-rollback-runbook', 'freight-dispatch-restart-runbook', 'freight-dispatch-scale-runbook',
    ]);
  });

  test('the page composite names the rollback runbook, and the others as alternatives', () => {
    const page = s.alarm('freight-dispatch-page');
    expect(descriptionOf(page).split('\n')[1]).toBe(footer('PAGE', 'freight-dispatch-rollback-runbook'));
    expect(descriptionOf(page)).toMatch(/ Also: freight-dispatch-restart-runbook \(.+\); freight-dispatch-scale-runbook \(scale the service to a task count\)\.\n/);
    expect(s.svc.runbook).toBe('freight-dispatch-rollback-runbook');
    expect((page.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'ops:runbook')!.Value).toBe('freight-dispatch-rollback-runbook');
  });

  test('runbooks: false creates none', () => {
    const none = fargate({ runbooks: false }, (stack) => ({ approvers: oncallApprovers(stack) }));
    none.template.resourceCountIs('AWS::SSM::Document', 0);
    expect(none.svc.restartRunbook).toBeUndefined();
  });

  test('without approvers (the default fixture) there are none either', () => {
    fargate().template.resourceCountIs('AWS::SSM::Document', 0);
  });
});
