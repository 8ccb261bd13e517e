/* eslint-disable no-console */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import { AlarmDestination, AlarmRouting, CloudWatchPricing, OperableFunction, OperableRestApi, Workload } from '../src';

/**
 * Serverless services (a Lambda function behind a REST API) three ways, N = 1, 10, 50, ten services per stack
 * (CloudFormation caps a stack at 500 resources): bare, made operable with cdk-operable, and monitored by
 * cdk-monitoring-constructs 10.2.0 with comparable alarms (Lambda fault rate, p99 latency, throttles, concurrency;
 * API 5XX rate and p99 latency) and its default dashboards. CloudFormation validation plugin off.
 */
export type Variant = 'bare' | 'operable' | 'monitoring-constructs';
const PER_STACK = 10;
const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });');

export interface Built { readonly app: App; readonly stacks: Stack[] }

/**
 * Build and synthesize N Lambda + REST API pairs of a variant, `perStack` pairs per stack (exported for the rule-pack
 * and review benchmarks).
 */
export function build(variant: Variant, services: number, perStack: number = PER_STACK): Built {
  const app = new App({ builtinCloudFormationValidation: false });
  const stacks: Stack[] = [];
  for (let s = 0; s * perStack < services; s++) {
    const stack = new Stack(app, `Squad${s}`, { env: { account: '123456789012', region: 'eu-west-1' } });
    stacks.push(stack);
    const count = Math.min(perStack, services - s * perStack);
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
        const fn = new OperableFunction(workload, `Quotes${i}`, { functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code } });
        const api = new OperableRestApi(workload, `QuoteApi${i}`, { restApiProps: { restApiName: `quotes-${s}-${i}` } });
        api.api.root.addMethod('GET', new apigateway.LambdaIntegration(fn.alias!));
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
      const fn = new lambda.Function(stack, `Quotes${i}`, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
      const api = new apigateway.LambdaRestApi(stack, `QuoteApi${i}`, { handler: fn, restApiName: `quotes-${s}-${i}` });
      monitoring?.monitorLambdaFunction({
        lambdaFunction: fn,
        isIterator: false,
        addFaultRateAlarm: { Critical: { maxErrorRate: 0.001 } },
        addLatencyP99Alarm: { Critical: { maxLatency: Duration.seconds(1) } },
        addThrottlesRateAlarm: { Warning: { maxErrorRate: 0.01 } },
        addConcurrentExecutionsCountAlarm: { Warning: { maxRunningTasks: 800 } },
      }).monitorApiGateway({
        api,
        apiStage: 'prod',
        add5XXFaultRateAlarm: { Critical: { maxErrorRate: 0.001 } },
        addLatencyP99Alarm: { Critical: { maxLatency: Duration.seconds(1) } },
      });
    }
  }
  app.synth();
  return { app, stacks };
}

export interface ServiceFigures {
  readonly medianMs: number;
  readonly resources: number;
  readonly alarms: number;
  readonly templateBytes: number;
  readonly costUsd: number;
}

function measure(variant: Variant, services: number, runs: number): ServiceFigures {
  for (let w = 0; w < 3; w++) build(variant, services); // warm-up: JIT and module caches settle
  const samples: number[] = [];
  let last: Built | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    last = build(variant, services);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  let resources = 0;
  let alarms = 0;
  let templateBytes = 0;
  let costUsd = 0;
  const assembly = last!.app.synth();
  for (const stack of last!.stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    resources += types.length;
    alarms += types.filter((t) => t === 'AWS::CloudWatch::Alarm' || t === 'AWS::CloudWatch::CompositeAlarm').length;
    templateBytes += JSON.stringify(template, undefined, 1).length;
    costUsd += CloudWatchPricing.estimateMonthlyUsd(stack);
  }
  return { medianMs: samples[Math.floor(samples.length / 2)], resources, alarms, templateBytes, costUsd };
}

export function benchServices(runs: number): void {
  const fmt = (n: number, d = 1) => n.toFixed(d);
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log('\n## Serverless services (Lambda + REST API): bare vs cdk-operable vs cdk-monitoring-constructs\n');
  console.log('Construct + synth time, median of runs after 3 warm-up builds; 10 services per stack; CloudFormation validation plugin off.\n');
  console.log(`${'N'.padStart(3)} ${'variant'.padEnd(22)} ${pad('ms', 8)} ${pad('x bare', 7)} ${pad('alarms', 7)} ${pad('ms/alarm', 9)} ` +
    `${pad('res/svc', 8)} ${pad('KB/svc', 7)} ${pad('US$/svc/month', 14)}`);
  const figures: Record<string, ServiceFigures> = {};
  for (const n of [1, 10, 50]) {
    const bare = measure('bare', n, runs);
    for (const variant of ['bare', 'operable', 'monitoring-constructs'] as Variant[]) {
      const f = variant === 'bare' ? bare : measure(variant, n, runs);
      figures[`${variant}@${n}`] = f;
      const perAlarm = f.alarms > 0 ? fmt((f.medianMs - bare.medianMs) / f.alarms, 2) : '-';
      console.log(`${pad(n, 3)} ${variant.padEnd(22)} ${pad(fmt(f.medianMs), 8)} ${pad(fmt(f.medianMs / bare.medianMs, 2), 7)} ${pad(f.alarms, 7)} ` +
        `${pad(perAlarm, 9)} ${pad(fmt(f.resources / n), 8)} ${pad(fmt(f.templateBytes / n / 1024), 7)} ${pad(fmt(f.costUsd / n, 2), 14)}`);
    }
  }
  const ours = figures['operable@10'];
  const theirs = figures['monitoring-constructs@10'];
  const bare10 = figures['bare@10'];
  console.log(`\nPer service at N = 10: cdk-operable adds ${fmt((ours.resources - bare10.resources) / 10)} resources and ` +
    `${fmt((ours.templateBytes - bare10.templateBytes) / 10 / 1024)} KB; cdk-monitoring-constructs adds ` +
    `${fmt((theirs.resources - bare10.resources) / 10)} resources and ${fmt((theirs.templateBytes - bare10.templateBytes) / 10 / 1024)} KB.`);
  console.log('cdk-operable per service: 4 SLOs\' worth of burn-rate windows (availability + latency for the function and the API), ' +
    'saturation alarm, page + ticket composites, safe deployment, dashboard; cost includes dashboards at US$ 3 each.');
}
