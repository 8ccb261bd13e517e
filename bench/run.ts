/* eslint-disable no-console */
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BurnRatePolicy, CloudWatchPricing, PairCombination, ServiceLevelObjective, Sli, TrafficSeries, Workload } from '../src';
import { benchChecks } from './checks';
import { benchContainers } from './containers';
import { benchLimits } from './limits';
import { benchReview } from './review';
import { benchServices } from './services';
import { ReferenceWorkbookSlo } from '../test/support/reference-workbook';
import { alarmNotifications, healthy, measureTargets, simulate, Subject, WARM_UP } from '../test/support/scenarios';

/**
 * `npm run bench`: figures, not pass/fail. Every comparison is against a baseline measured in the same run: the
 * hand-written reference (the SRE Workbook policy in plain aws-cdk-lib, test/support/reference-workbook.ts).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

type Kind = 'ours' | 'reference';

function build(kind: Kind, n: number, validation: boolean) {
  const app = new App({ builtinCloudFormationValidation: validation });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  const topic = new sns.Topic(stack, 'Pages');
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight', owner: { team: 'pricing', onCall: 'pricing-oncall' }, runbookBaseUrl: 'https://runbooks.example.com/freight',
  });
  for (let i = 0; i < n; i++) {
    const metric = (name: string) => new cloudwatch.Metric({ namespace: 'Freight', metricName: name, dimensionsMap: { Service: `svc${i}` }, statistic: 'Sum' });
    if (kind === 'ours') {
      new ServiceLevelObjective(workload, `Slo${i}`, { serviceName: `svc${i}`, sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }) });
    } else {
      new ReferenceWorkbookSlo(workload, `Slo${i}`, { name: `freight-svc${i}`, bad: metric('Errors'), total: metric('Requests'), topic });
    }
  }
  const template = app.synth().getStackArtifact(stack.artifactId).template as { Resources: Record<string, { Type: string }> };
  return { stack, template };
}

function timeIt(kind: Kind, n: number, validation: boolean, runs: number): number {
  build(kind, n, validation); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    build(kind, n, validation);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const pad = (s: string | number, w: number) => String(s).padStart(w);
const header = (title: string) => console.log(`\n## ${title}\n`);

console.log(`# cdk-operable benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, median of ${RUNS} runs after a warm-up)`);

header('Synth time: construct + app.synth(), CloudFormation validation plugin OFF (CDK_VALIDATION=false)');
console.log(`${pad('SLOs', 5)} ${pad('ours ms', 9)} ${pad('reference ms', 13)} ${pad('ratio', 6)} ${pad('ours ms/alarm', 14)}`);
for (const n of [1, 10, 50]) {
  const ours = timeIt('ours', n, false, RUNS);
  const reference = timeIt('reference', n, false, RUNS);
  console.log(`${pad(n, 5)} ${pad(fmt(ours), 9)} ${pad(fmt(reference), 13)} ${pad(fmt(ours / reference, 2), 6)} ${pad(fmt(ours / (n * 8), 2), 14)}`);
}

header('Synth time with the built-in CloudFormation validation plugin ON (aws-cdk-lib default), 10 SLOs');
{
  const runs = Math.max(1, Math.min(RUNS, 3));
  const on = timeIt('ours', 10, true, runs);
  const off = timeIt('ours', 10, false, runs);
  console.log(`ours: ${fmt(on)} ms with validation, ${fmt(off)} ms without (the plugin adds ${fmt(on - off)} ms)`);
}

header('Footprint and cost per SLO (two-metric SLI)');
console.log(`${'subject'.padEnd(34)} ${pad('alarms', 6)} ${pad('metrics', 7)} ${pad('composites', 10)} ${pad('bytes', 7)} ${pad('US$/month', 10)}`);
const footprint = (label: string, kind: Kind, policy?: BurnRatePolicy) => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Footprint');
  const workload = new Workload(stack, 'W', { workloadName: 'w', owner: { team: 't', onCall: 'o' }, runbookBaseUrl: 'https://r.example.com' });
  const metric = (name: string) => new cloudwatch.Metric({ namespace: 'N', metricName: name, statistic: 'Sum' });
  const subject = kind === 'ours'
    ? new ServiceLevelObjective(workload, 'Slo', { serviceName: 's', sli: Sli.ratio({ bad: metric('E'), total: metric('T') }), policy })
    : new ReferenceWorkbookSlo(workload, 'Slo', { name: 'w-s-slo', bad: metric('E'), total: metric('T'), topic: new sns.Topic(stack, 'T') });
  type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const template = app.synth().getStackArtifact(stack.artifactId).template as { Resources: Resources };
  const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  const composites = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm');
  const metrics = alarms.reduce((n, a) => n + (a.Properties.Metrics as Array<{ MetricStat?: unknown }>).filter((m) => m.MetricStat).length, 0);
  const bytes = JSON.stringify([...alarms, ...composites]).length;
  const cost = CloudWatchPricing.estimateMonthlyUsd(subject);
  console.log(`${label.padEnd(34)} ${pad(alarms.length, 6)} ${pad(metrics, 7)} ${pad(composites.length, 10)} ${pad(bytes, 7)} ${pad(fmt(cost, 2), 10)}`);
};
footprint('ours, SRE_WORKBOOK (default)', 'ours');
footprint('ours, SRE_WORKBOOK_WITH_DAILY_TICKET', 'ours', BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET);
footprint('ours, LOW_TRAFFIC', 'ours', BurnRatePolicy.LOW_TRAFFIC);
footprint('hand-written reference', 'reference');
console.log(`(CloudWatch list prices, ${CloudWatchPricing.REGION}, read ${CloudWatchPricing.AS_OF}; bytes = alarm resources in the template)`);

header('Simulated alerting figures at 99.9 % (DESIGN.md targets T1-T6)');
const ours = measureTargets('ours');
const reference = measureTargets('reference');
const rows: Array<[string, string, (m: typeof ours) => unknown]> = [
  ['T1 full outage, 10 req/min: page after (min)', '<= 2', (m) => m.t1OutagePage],
  ['T2 10x burn: page after (min)', '216 +/- 2', (m) => m.t2Burn10xPage],
  ['T2 15x burn: page after (min)', '<= 60', (m) => m.t2Burn15xPage],
  ['T3 2x burn: ticket after (min)', '2160 +/- 5', (m) => m.t3Burn2xTicket],
  ['T3 2x burn: minutes paging in 3 days', '0', (m) => m.t3Burn2xPageMinutes],
  ['T4 30 days 1x noise, 10 req/min: pages', '0', (m) => m.t4PagesAt1x10rpm.join('/')],
  ['T4 30 days 0.5x noise, 10 req/min: tickets', '0', (m) => m.t4TicketsAtHalf10rpm.join('/')],
  ['T4 30 days 1x noise, 1 req/min: pages', '0', (m) => m.t4PagesAt1x1rpm.join('/')],
  ['T4 full outage, 1 req/min: page after (min)', '<= 5', (m) => m.t4OutagePageAt1rpm],
  ['T5 3-min outage: page OK after recovery (min)', '<= 5', (m) => m.t5ResetAfter3MinOutage],
  ['T6 60-min outage: page notifications', '1', (m) => m.t6PageNotifications],
  ['T6 60-min outage: tickets while paging', '0', (m) => m.t6TicketsWhilePaging],
  ['T6 60-min outage: tickets afterwards', '-', (m) => m.t6TicketsAfterwards],
  ['T6 window alarm notifications', '0', (m) => m.t6WindowAlarmNotifications],
  ['T8 cost per SLO-month (US$)', '<= 2.20', (m) => fmt(m.costUsd, 2)],
];
console.log(`${'figure'.padEnd(48)} ${pad('target', 11)} ${pad('ours', 8)} ${pad('reference', 10)}`);
for (const [label, target, get] of rows) {
  console.log(`${label.padEnd(48)} ${pad(target, 11)} ${pad(String(get(ours)), 8)} ${pad(String(get(reference)), 10)}`);
}

header('Trade-off: bursty errors (1 bad minute in every 10, 10 req/min, for 3 hours)');
const bursts = (subject: Subject) => {
  let traffic = healthy(10);
  for (let i = 0; i < 18; i++) traffic = traffic.then(TrafficSeries.outage({ minutes: 1, requestsPerMinute: 10 })).then(healthy(10, 9));
  const s = simulate(subject, traffic.then(healthy(10, 120)));
  return `${alarmNotifications(s, s.pageAlarm).length} page notifications, first after ${(s.result.firstMinuteInState(s.pageAlarm, cloudwatch.AlarmState.ALARM, WARM_UP) ?? NaN) - WARM_UP + 1} min`;
};
console.log(`ours, FAST_RESET (default): ${bursts('ours')}`);
console.log(`ours, ANY_PAIR:             ${bursts(BurnRatePolicy.of(BurnRatePolicy.SRE_WORKBOOK.windows, { combination: PairCombination.ANY_PAIR }))}`);
console.log(`hand-written reference:     ${bursts('reference')}`);
console.log('(FAST_RESET re-notifies per burst more than a short window apart; pagers fold these into the open incident.)');

benchServices(Math.max(1, Math.min(RUNS, 3)));
benchContainers(Math.max(1, Math.min(RUNS, 3)));
benchChecks(Math.max(1, Math.min(RUNS, 5)));
benchLimits(Math.max(1, Math.min(RUNS, 3)));
benchReview(Math.max(1, Math.min(RUNS, 3))).catch((e: Error) => {
  console.error(`review bench failed: ${e.stack ?? e.message}`);
  process.exitCode = 1;
});
