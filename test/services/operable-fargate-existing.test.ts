import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { DEPLOYMENT_ALARM_NAMES, fargate, legacy, PATH, warningsOn } from './fargate-fixtures';
import { logicalIdOf, metricsOf, ORR_TAGS } from './function-fixtures';
import { check } from '../nag/rules/helpers';

const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/legacy/0123456789abcdef';
const LB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge/fedcba9876543210';
const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/legacy-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';

const MISSING_ALL = `existingService Test/Legacy is not modified by cdk-operable, and its deployments do not roll back on ${DEPLOYMENT_ALARM_NAMES.join(', ')} ` +
  "and have no circuit breaker with rollback: give it deploymentAlarms: { alarmNames: <this service's deploymentAlarmNames>, behavior: " +
  'AlarmBehavior.ROLLBACK_ON_ALARM } and circuitBreaker: { enable: true, rollback: true } (OPS06-BP04). [ack: cdk-operable:ecs-existing-service]';

/**
 * Evaluates the intrinsics a metric dimension is built of (Fn::Select, Fn::Split, Fn::Join, Fn::Sub with a variable map,
 * Ref), with `refs` standing for the values of Refs, as CloudFormation would.
 */
function evaluate(value: unknown, refs: Record<string, string>): unknown {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, refs));
  const [[fn, arg]] = Object.entries(value as Record<string, unknown>);
  const args = arg as unknown[];
  switch (fn) {
    case 'Ref': return refs[arg as string];
    case 'Fn::Split': return (evaluate(args[1], refs) as string).split(args[0] as string);
    case 'Fn::Select': return (evaluate(args[1], refs) as string[])[Number(args[0])];
    case 'Fn::Join': return (evaluate(args[1], refs) as string[]).join(args[0] as string);
    case 'Fn::Sub': {
      const vars = evaluate(args[1], refs) as Record<string, string>;
      return (args[0] as string).replace(/\$\{(\w+)\}/g, (_, k: string) => vars[k]);
    }
    default: return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, evaluate(v, refs)]));
  }
}

describe('an existing FargateService defined in the app, without deployment alarms or circuit breaker', () => {
  let s: ReturnType<typeof fargate>;
  let l: ReturnType<typeof legacy>;
  beforeAll(() => {
    s = fargate((stack) => {
      l = legacy(stack);
      return { existingService: l.service, targetGroup: l.targetGroup };
    });
  });

  test('same SLOs, on its target group: TargetGroup and LoadBalancer dimensions, TargetResponseTime at 1 s in seconds', () => {
    const lbDim = metricsOf(s.alarm('freight-dispatch-availability-burn14.4x-5m'))[1].MetricStat!.Metric.Dimensions[0];
    const tgDim = { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [logicalIdOf(l.targetGroup), 'TargetGroupFullName'] } };
    // The load balancer's full name, cut from the ARN of the listener the target group is attached to.
    expect(lbDim.Name).toBe('LoadBalancer');
    expect(evaluate(lbDim.Value, { [logicalIdOf(l.loadBalancer.node.findChild('Http'))]: LISTENER_ARN })).toBe('app/legacy-alb/50dc6c495c0c9188');
    const availability = metricsOf(s.alarm('freight-dispatch-availability-burn14.4x-5m'));
    expect(availability[0].Expression).toBe('(FILL((FILL(bad_target5xx, 0) + FILL(bad_elb5xx, 0)),0)/total)/0.001');
    expect(availability.slice(1).map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Metric.Dimensions, m.MetricStat!.Stat])).toEqual([
      ['bad_target5xx', 'HTTPCode_Target_5XX_Count', [lbDim, tgDim], 'Sum'],
      ['bad_elb5xx', 'HTTPCode_ELB_5XX_Count', [lbDim, tgDim], 'Sum'],
      ['total', 'RequestCount', [lbDim, tgDim], 'Sum'],
    ]);
    const latency = metricsOf(s.alarm('freight-dispatch-latency-burn14.4x-1h'));
    expect(latency.slice(1).map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Metric.Dimensions, m.MetricStat!.Stat])).toEqual([
      ['pr', 'TargetResponseTime', [lbDim, tgDim], 'PR(:1)'],
      ['n', 'TargetResponseTime', [lbDim, tgDim], 'SampleCount'],
    ]);
    expect(metricsOf(s.alarm('freight-dispatch-canary'))[0].Expression).toBe('IF(FILL(n0,0) >= 20, (FILL(t0,0) + FILL(e0,0)) / n0, 0) / 0.001');
  });

  test('it joins the service: the ops:service and ownership tags; otherwise it is not modified', () => {
    const props = s.resources[logicalIdOf(l.service)].Properties!;
    expect(props.Tags).toEqual(ORR_TAGS.map((t) => (t.Key === 'ops:service' ? { ...t, Value: 'dispatch' } : t)));
    // What aws-cdk-lib renders for a FargateService without deployment alarms: nothing added.
    expect(props.DeploymentConfiguration).toEqual({
      Alarms: { AlarmNames: [], Enable: false, Rollback: false }, MaximumPercent: 200, MinimumHealthyPercent: 100,
    });
  });

  test('nothing else is created for it: no cluster, load balancer, target group, task definition or log group of its own', () => {
    for (const type of ['AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ElasticLoadBalancingV2::TargetGroup']) s.template.resourceCountIs(type, 1);
    expect([s.svc.service, s.svc.cluster, s.svc.targetGroup, s.svc.loadBalancer, s.svc.taskDefinition])
      .toEqual([l.service, l.cluster, l.targetGroup, undefined, undefined]);
    expect(s.svc.logGroup).toBeUndefined();
    s.template.resourceCountIs('AWS::Logs::LogGroup', 1); // the workload's ECS event log
  });

  test('one warning names every deployment alarm to add and the missing circuit breaker', () => {
    Annotations.fromStack(s.stack).hasWarning(PATH, MISSING_ALL);
    expect(warningsOn(s.stack).filter((w) => w.endsWith('[ack: cdk-operable:ecs-existing-service]'))).toHaveLength(1);
  });

  test('its operational alarms watch it: AWS/ECS and Container Insights by its cluster and name', () => {
    expect(s.alarm('freight-dispatch-cpu').Dimensions).toEqual([
      { Name: 'ClusterName', Value: { Ref: logicalIdOf(l.cluster) } },
      { Name: 'ServiceName', Value: { 'Fn::GetAtt': [logicalIdOf(l.service), 'Name'] } },
    ]);
    expect(s.svc.deploymentAlarmNames).toEqual(DEPLOYMENT_ALARM_NAMES);
  });

  test('the rule pack still reports its missing rollback (OPS-SafeDeployment, OPS-RollbackPlan): cdk-operable did not change it', () => {
    const findings = check(s.stack.node.root as App);
    expect(findings.of('OPS-SafeDeployment')).toEqual([{ ruleName: 'OPS-SafeDeployment[NoRollback]', constructPath: 'Test/Legacy/Service' }]);
    expect(findings.paths('OPS-RollbackPlan')).toEqual(['Test/Legacy/Service']);
    // Its target group has SLOs now, and its cluster Container Insights.
    expect(findings.paths('OPS-TargetGroupSlo')).toEqual([]);
    expect(findings.paths('OPS-ContainerInsights')).toEqual([]);
  });
});

describe('an existing FargateService given the deployment alarm names (they are deterministic) and the circuit breaker', () => {
  test('no cdk-operable warning, and the rule pack finds its deployments safe', () => {
    // Chicken and egg: the service is defined before the OperableFargateService, with the names it will give its alarms.
    const s = fargate((stack) => {
      const l = legacy(stack, {
        circuitBreaker: { enable: true, rollback: true },
        deploymentAlarms: { alarmNames: DEPLOYMENT_ALARM_NAMES, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      });
      return { existingService: l.service, targetGroup: l.targetGroup };
    });
    expect(s.svc.deploymentAlarmNames).toEqual(DEPLOYMENT_ALARM_NAMES);
    expect(warningsOn(s.stack)).toEqual([]);
    // Every name the service rolls back on is an alarm of the template.
    const config = s.resources[logicalIdOf(s.svc.service)].Properties!.DeploymentConfiguration as { Alarms: { AlarmNames: string[] } };
    const names = config.Alarms.AlarmNames;
    for (const name of names) expect(s.alarm(name).AlarmName).toBe(name);
    const findings = check(s.stack.node.root as App);
    expect([findings.paths('OPS-SafeDeployment'), findings.paths('OPS-RollbackPlan')]).toEqual([[], []]);
  });

  test('alarms without the circuit breaker: the warning names only the circuit breaker', () => {
    const s = fargate((stack) => {
      const l = legacy(stack, { deploymentAlarms: { alarmNames: DEPLOYMENT_ALARM_NAMES, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM } });
      return { existingService: l.service, targetGroup: l.targetGroup };
    });
    expect(warningsOn(s.stack)).toEqual(['existingService Test/Legacy is not modified by cdk-operable, and its deployments have no circuit breaker ' +
      "with rollback: give it deploymentAlarms: { alarmNames: <this service's deploymentAlarmNames>, behavior: AlarmBehavior.ROLLBACK_ON_ALARM } and " +
      'circuitBreaker: { enable: true, rollback: true } (OPS06-BP04). [ack: cdk-operable:ecs-existing-service]']);
  });

  test('alarms that only fail the deployment (FAIL_ON_ALARM) do not count as rolling back', () => {
    const s = fargate((stack) => {
      const l = legacy(stack, {
        circuitBreaker: { enable: true, rollback: true },
        deploymentAlarms: { alarmNames: DEPLOYMENT_ALARM_NAMES, behavior: ecs.AlarmBehavior.FAIL_ON_ALARM },
      });
      return { existingService: l.service, targetGroup: l.targetGroup };
    });
    expect(warningsOn(s.stack)).toEqual([expect.stringContaining(`and its deployments do not roll back on ${DEPLOYMENT_ALARM_NAMES.join(', ')}: give it`)]);
  });
});

describe('an imported target group with its load balancer', () => {
  test('literal ARNs: the dimensions are cut from them at synth', () => {
    const s = fargate((stack) => ({
      existingService: legacy(stack).service,
      targetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Imported', { targetGroupArn: TG_ARN }),
      loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Edge', { loadBalancerArn: LB_ARN, securityGroupId: 'sg-0123456789abcdef0' }),
    }));
    const dims = [{ Name: 'LoadBalancer', Value: 'app/edge/fedcba9876543210' }, { Name: 'TargetGroup', Value: 'targetgroup/legacy/0123456789abcdef' }];
    for (const name of ['freight-dispatch-availability-burn14.4x-5m', 'freight-dispatch-latency-burn14.4x-1h', 'freight-dispatch-canary']) {
      for (const m of metricsOf(s.alarm(name)).filter((q) => q.MetricStat)) {
        expect([name, m.Id, m.MetricStat!.Metric.Dimensions]).toEqual([name, m.Id, dims]);
      }
    }
    expect(s.svc.loadBalancer).toBeDefined();
  });

  test('ARNs known at deploy time only: Fn::Select/Fn::Split that CloudFormation resolves to the same names', () => {
    let refs: Record<string, string> = {};
    const s = fargate((stack: Stack) => {
      const tgArn = new CfnParameter(stack, 'TargetGroupArn');
      const lbArn = new CfnParameter(stack, 'LoadBalancerArn');
      refs = { TargetGroupArn: TG_ARN, LoadBalancerArn: LB_ARN };
      return {
        existingService: legacy(stack).service,
        targetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Imported', { targetGroupArn: tgArn.valueAsString }),
        loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Edge', {
          loadBalancerArn: lbArn.valueAsString, securityGroupId: 'sg-0123456789abcdef0',
        }),
      };
    });
    const [lb, tg] = metricsOf(s.alarm('freight-dispatch-latency-burn14.4x-5m'))[1].MetricStat!.Metric.Dimensions;
    expect(tg.Value).toEqual({ 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'TargetGroupArn' }] }] });
    expect(JSON.stringify(lb.Value)).toContain('{"Fn::Split":["/",{"Fn::Select":[5,{"Fn::Split":[":",{"Ref":"LoadBalancerArn"}]}]}]}');
    expect([evaluate(lb.Value, refs), evaluate(tg.Value, refs)]).toEqual(['app/edge/fedcba9876543210', 'targetgroup/legacy/0123456789abcdef']);
  });
});

describe('other existing services and clusters', () => {
  test('an imported service: it cannot be checked, so the warning lists the alarms to give it; an imported cluster cannot be checked either', () => {
    const s = fargate((stack) => {
      const l = legacy(stack);
      const cluster = ecs.Cluster.fromClusterAttributes(stack, 'ImportedCluster', { clusterName: 'freight', vpc: l.vpc });
      return {
        existingService: ecs.FargateService.fromFargateServiceAttributes(stack, 'Api', { serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/freight/api', cluster }),
        targetGroup: l.targetGroup,
      };
    });
    expect(warningsOn(s.stack)).toEqual([
      "cluster Test/ImportedCluster is imported: cdk-operable cannot check that it has Container Insights (ENHANCED), which the service's running-task " +
        'alarm and dashboard read (OPS04-BP02). [ack: cdk-operable:ecs-container-insights]',
      `existingService Test/Api is imported: cdk-operable cannot check that its deployments roll back. Give it deploymentAlarms with rollback on ${
        DEPLOYMENT_ALARM_NAMES.join(', ')} and the circuit breaker with rollback (OPS06-BP04). [ack: cdk-operable:ecs-existing-service]`,
    ]);
    expect(s.alarm('freight-dispatch-cpu').Dimensions).toEqual([{ Name: 'ClusterName', Value: 'freight' }, { Name: 'ServiceName', Value: 'api' }]);
  });

  test('a service in a cluster without Container Insights: the warning names the cluster', () => {
    const s = fargate((stack) => {
      const l = legacy(stack, {
        circuitBreaker: { enable: true, rollback: true },
        deploymentAlarms: { alarmNames: DEPLOYMENT_ALARM_NAMES, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      }, false);
      return { existingService: l.service, targetGroup: l.targetGroup };
    });
    expect(warningsOn(s.stack)).toEqual([expect.stringMatching(/^cluster Test\/Cluster has no Container Insights: .*\[ack: cdk-operable:ecs-container-insights\]$/)]);
  });
});
