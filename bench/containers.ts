/* eslint-disable no-console */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import { AlarmDestination, AlarmRouting, CloudWatchPricing, OperableFargateService, Workload } from '../src';

/**
 * Container services (an ECS service on Fargate behind its own Application Load Balancer) three ways, N = 1, 10, 30, ten
 * services per stack: bare (`ApplicationLoadBalancedFargateService`), made operable with cdk-operable
 * (`OperableFargateService`), and the bare pattern monitored by cdk-monitoring-constructs 10.2.0 with comparable alarms
 * (5XX rate and p99 latency of the load balancer, CPU and memory utilization, healthy and unhealthy task count) and its
 * default dashboards. Every stack has the same base in all three variants, built before its services: one VPC, one ECS
 * cluster with Container Insights (enhanced) and one SNS topic. CloudFormation validation plugin off.
 */
type Variant = 'bare' | 'operable' | 'monitoring-constructs';
const PER_STACK = 10;
const VARIANTS: Variant[] = ['bare', 'operable', 'monitoring-constructs'];
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

interface Built { readonly app: App; readonly stacks: Stack[] }

/** Build and synthesize N container services of a variant, ten per stack (`services = 0`: the base of one stack alone). */
function build(variant: Variant, services: number): Built {
  const app = new App({ builtinCloudFormationValidation: false });
  const stacks: Stack[] = [];
  for (let s = 0; s === 0 || s * PER_STACK < services; s++) {
    const stack = new Stack(app, `Squad${s}`, { env: { account: '123456789012', region: 'eu-west-1' } });
    stacks.push(stack);
    const count = Math.min(PER_STACK, services - s * PER_STACK);
    // The base every variant shares, outside the per-service code.
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    const topic = new sns.Topic(stack, 'Pages');
    if (variant === 'operable') {
      const workload = new Workload(stack, 'Freight', {
        workloadName: `freight${s}`,
        owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
        runbookBaseUrl: 'https://runbooks.example.com/freight',
        routing: new AlarmRouting({ page: [AlarmDestination.sns(topic)], ticket: [AlarmDestination.sns(topic)] }),
      });
      workload.own(topic);
      for (let i = 0; i < count; i++) {
        new OperableFargateService(workload, `Dispatch${i}`, { cluster, taskImageOptions: { image, containerPort: 80 } });
      }
      continue;
    }
    const monitoring = variant === 'monitoring-constructs' ? new MonitoringFacade(stack, 'Monitoring', {
      alarmFactoryDefaults: {
        alarmNamePrefix: `Freight${s}`,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: topic }),
        runbookLink: 'https://runbooks.example.com/freight',
      },
      dashboardFactory: new DefaultDashboardFactory(stack, 'Dashboards', { dashboardNamePrefix: `Freight${s}` }),
    }) : undefined;
    for (let i = 0; i < count; i++) {
      const service = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, `Dispatch${i}`, {
        cluster,
        desiredCount: 2,
        taskImageOptions: { image, containerPort: 80 },
      });
      if (!monitoring) continue;
      const rate = new cloudwatch.MathExpression({
        expression: '(FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests',
        usingMetrics: {
          target5xx: service.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
          elb5xx: service.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT),
          requests: service.loadBalancer.metrics.requestCount(),
        },
        label: '5XX rate',
        period: Duration.minutes(5),
      });
      monitoring.monitorFargateService({
        fargateService: service,
        alarmFriendlyName: `Dispatch${s}-${i}`,
        addCpuUsageAlarm: { Warning: { maxUsagePercent: 85 } },
        addMemoryUsageAlarm: { Warning: { maxUsagePercent: 90 } },
        addHealthyTaskCountAlarm: { Critical: { minHealthyTasks: 2 } },
        addUnhealthyTaskCountAlarm: { Warning: { maxUnhealthyTasks: 0 } },
      }).monitorCustom({
        alarmFriendlyName: `Dispatch${s}-${i}-Alb`,
        humanReadableName: `Dispatch${i} load balancer`,
        metricGroups: [
          {
            title: '5XX rate',
            metrics: [{
              metric: rate,
              alarmFriendlyName: '5XXRate',
              addAlarm: { Critical: { threshold: 0.001, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD } },
            }],
          },
          {
            title: 'p99 latency',
            metrics: [{
              metric: service.targetGroup.metrics.targetResponseTime({ statistic: 'p99' }),
              alarmFriendlyName: 'LatencyP99',
              addAlarm: { Critical: { threshold: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD } },
            }],
          },
        ],
      });
    }
  }
  app.synth();
  return { app, stacks };
}

interface Footprint {
  readonly resources: number;
  readonly alarms: number;
  readonly templateBytes: number;
  readonly costUsd: number;
}

interface ContainerFigures extends Footprint {
  readonly medianMs: number;
  /** Median CPU time (user + system, all threads) of the process: less sensitive than wall time to other jobs on the machine. */
  readonly cpuMs: number;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function footprint(built: Built): Footprint {
  let resources = 0;
  let alarms = 0;
  let templateBytes = 0;
  let costUsd = 0;
  const assembly = built.app.synth();
  for (const stack of built.stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    resources += types.length;
    alarms += types.filter((t) => t === 'AWS::CloudWatch::Alarm' || t === 'AWS::CloudWatch::CompositeAlarm').length;
    templateBytes += JSON.stringify(template, undefined, 1).length;
    costUsd += CloudWatchPricing.estimateMonthlyUsd(stack);
  }
  return { resources, alarms, templateBytes, costUsd };
}

function measure(variant: Variant, services: number, runs: number, warmUps: number): ContainerFigures {
  for (let w = 0; w < warmUps; w++) build(variant, services); // warm-up: JIT and module caches settle
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  let last: Built | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    last = build(variant, services);
    const cpu = process.cpuUsage(c0);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpuSamples.push((cpu.user + cpu.system) / 1e3);
  }
  return { medianMs: median(samples), cpuMs: median(cpuSamples), ...footprint(last!) };
}

export function benchContainers(runs: number): void {
  const fmt = (n: number, d = 1) => n.toFixed(d);
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  // More runs where a build is cheap, one warm-up build where it is not: about 80 s in all at runs = 3 on 2 cores.
  const plan = [{ n: 1, runs: 3 * runs, warmUps: 3 }, { n: 10, runs: runs + 2, warmUps: 1 }, { n: 30, runs, warmUps: 1 }];
  // The base of one stack (VPC, cluster, topic), the same in every variant: per-service figures leave it out.
  const base = footprint(build('bare', 0));
  for (const variant of VARIANTS) build(variant, PER_STACK); // load every variant's modules before the first measurement
  console.log('\n## Container services (ECS Fargate behind an ALB): bare vs cdk-operable vs cdk-monitoring-constructs\n');
  console.log(`Construct + synth time, median of ${plan.map((p) => `${p.runs} builds at N = ${p.n}`).join(', ')}, after warm-up builds ` +
    '(ms: wall clock; cpu ms: CPU time of the process, all threads, less sensitive to other jobs on the machine); 10 services per ' +
    `stack, each stack with one VPC, one cluster with Container Insights and one topic (${base.resources} resources, ` +
    `${fmt(base.templateBytes / 1024)} KB, left out of the per-service figures); CloudFormation validation plugin off.\n`);
  console.log(`${'N'.padStart(3)} ${'variant'.padEnd(22)} ${pad('ms', 8)} ${pad('cpu ms', 8)} ${pad('x bare', 7)} ${pad('alarms/svc', 10)} ` +
    `${pad('ms/alarm', 9)} ${pad('res/svc', 8)} ${pad('KB/svc', 7)} ${pad('US$/svc/month', 14)}`);
  const figures: Record<string, ContainerFigures> = {};
  const perService = (f: ContainerFigures, n: number) => {
    const stacks = Math.ceil(n / PER_STACK);
    return { resources: (f.resources - stacks * base.resources) / n, kb: (f.templateBytes - stacks * base.templateBytes) / n / 1024 };
  };
  for (const { n, runs: nRuns, warmUps } of plan) {
    const bare = measure('bare', n, nRuns, warmUps);
    const msPerAlarm = (f: ContainerFigures) => (f.medianMs - bare.medianMs) / f.alarms;
    for (const variant of VARIANTS) {
      const f = variant === 'bare' ? bare : measure(variant, n, nRuns, warmUps);
      figures[`${variant}@${n}`] = f;
      const per = perService(f, n);
      console.log(`${pad(n, 3)} ${variant.padEnd(22)} ${pad(fmt(f.medianMs), 8)} ${pad(fmt(f.cpuMs), 8)} ${pad(fmt(f.medianMs / bare.medianMs, 2), 7)} ` +
        `${pad(fmt(f.alarms / n), 10)} ${pad(f.alarms > 0 ? fmt(msPerAlarm(f), 2) : '-', 9)} ${pad(fmt(per.resources), 8)} ${pad(fmt(per.kb), 7)} ` +
        `${pad(fmt(f.costUsd / n, 2), 14)}`);
    }
    const ours = figures[`operable@${n}`];
    const theirs = figures[`monitoring-constructs@${n}`];
    const [o, t, b] = [perService(ours, n), perService(theirs, n), perService(bare, n)];
    console.log(`${''.padStart(3)} operable / bare: synth ${fmt(ours.medianMs / bare.medianMs, 2)}, res/svc ${fmt(o.resources / b.resources, 2)}, ` +
      `KB/svc ${fmt(o.kb / b.kb, 2)}; operable / monitoring-constructs: synth ${fmt(ours.medianMs / theirs.medianMs, 2)}, ` +
      `cpu ${fmt(ours.cpuMs / theirs.cpuMs, 2)}, alarms ${fmt(ours.alarms / theirs.alarms, 2)}, ` +
      `ms/alarm ${msPerAlarm(theirs) > 0 ? fmt(msPerAlarm(ours) / msPerAlarm(theirs), 2) : '-'}, res/svc ${fmt(o.resources / t.resources, 2)}, ` +
      `KB/svc ${fmt(o.kb / t.kb, 2)}, cost ${fmt(ours.costUsd / theirs.costUsd, 2)}`);
  }
  const ours = perService(figures['operable@10'], 10);
  const theirs = perService(figures['monitoring-constructs@10'], 10);
  const bare10 = perService(figures['bare@10'], 10);
  console.log(`\nPer service at N = 10: cdk-operable adds ${fmt(ours.resources - bare10.resources)} resources and ` +
    `${fmt(ours.kb - bare10.kb)} KB; cdk-monitoring-constructs adds ${fmt(theirs.resources - bare10.resources)} resources and ` +
    `${fmt(theirs.kb - bare10.kb)} KB.`);
  console.log('cdk-operable per service: availability and latency SLOs with burn-rate windows, page + ticket composites, a canary ' +
    'alarm, CPU, memory, running-task, unhealthy-target and deployment-failure alarms, canary deployment with rollback on the ' +
    'alarms, dashboard; cost includes dashboards at US$ 3 each (Container Insights, on in every variant, is not counted).');
}
