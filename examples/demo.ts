/* eslint-disable no-console */
import { statSync } from 'fs';
import { join, relative } from 'path';
import { App } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSimulator, CloudWatchPricing, PairCombination, ServiceLevelObjective, TrafficSeries } from '../src';
import { buildFreightSlosApp } from './freight-slos/app';

/**
 * `npm run demo`: synthesize the example app (with aws-cdk-lib's CloudFormation validation on, as `cdk synth`
 * does), then print what it produced — per SLO the alarms, how they combine, what they cost, and how they behave
 * in a simulated outage.
 */
const outdir = join(__dirname, 'cdk.out');
const started = Date.now();
const app = new App({ outdir });
const stack = buildFreightSlosApp(app);
const assembly = app.synth();
const elapsed = Date.now() - started;
const artifact = assembly.getStackArtifact(stack.artifactId);
const template = artifact.template as { Resources: Record<string, { Type: string }> };
const resources = Object.values(template.Resources);
const count = (type: string) => resources.filter((r) => r.Type === type).length;
const bytes = statSync(join(outdir, artifact.templateFile)).size;

const messages = artifact.messages.filter((m) => m.level !== 'info');
const line = '─'.repeat(100);
console.log(line);
console.log(`cdk-operable demo: workload '${stack.workload.workloadName}' (owner ${stack.workload.owner.team}, tier ${stack.workload.tier.name})`);
console.log(`Synthesized ${stack.stackName} in ${elapsed} ms → ${relative(process.cwd(), outdir)}/${artifact.templateFile}`);
console.log(`  ${resources.length} resources (${count('AWS::CloudWatch::Alarm')} metric alarms, ${count('AWS::CloudWatch::CompositeAlarm')} composite alarms), ${bytes} bytes`);
console.log(`  synth warnings/errors: ${messages.length === 0 ? 'none' : ''}`);
for (const m of messages) console.log(`    ${m.level.toUpperCase()} ${m.id}: ${m.entry.data}`);
console.log(line);

const name = (a: cloudwatch.IAlarm) => stack.resolve((a.node.defaultChild as cloudwatch.CfnAlarm).alarmName) as string;
let total = 0;
for (const slo of stack.slos) {
  total += slo.estimatedMonthlyCostUsd;
  const policy = slo.policy;
  console.log(`SLO ${slo.serviceName}/${slo.sloName}: ${slo.objective}% over ${slo.period.toDays()} days, policy ${policy.name}, ` +
    `guard ${slo.minBadEvents} bad events on long windows`);
  const rule = (windows: typeof policy.windows) => windows.map((w, i) => {
    const masks = policy.combination === PairCombination.FAST_RESET && i > 0
      ? ` unless ${windows.slice(0, i).map((f) => `${f.burnRate}× ${f.longWindow.toHumanString()}`).join('/')} is burning` : '';
    return `${w.burnRate}× over ${w.longWindow.toHumanString()} AND ${w.shortWindow.toHumanString()}${masks}`;
  }).join('  OR  ');
  console.log(`  page    ${name(slo.pageAlarm)}: ${rule(policy.pageWindows)}`);
  if (slo.ticketAlarm) {
    console.log(`  ticket  ${name(slo.ticketAlarm)}: ${rule(policy.ticketWindows)} (suppressed while the page fires)`);
  }
  console.log(`  window alarms (no actions): ${slo.windowAlarms.map((a) => name(a).replace(`${stack.workload.workloadName}-${slo.serviceName}-${slo.sloName}-`, '')).join(', ')}`);
  console.log(`  runbook: ${slo.runbook ?? 'none'}`);
  console.log(`  estimated cost: US$ ${slo.estimatedMonthlyCostUsd.toFixed(2)} / month`);
  console.log(`  simulated: ${simulateOutage(slo)}`);
  console.log(line);
}
console.log(`Total: ${stack.slos.length} SLOs, US$ ${total.toFixed(2)} / month at CloudWatch list price ` +
  `(${CloudWatchPricing.REGION}, read ${CloudWatchPricing.AS_OF}, ${CloudWatchPricing.SOURCE})`);

/** Simulate a 10-minute full outage at 20 requests per minute after three healthy days. */
function simulateOutage(slo: ServiceLevelObjective): string {
  const warmUp = 3 * 24 * 60;
  const sim = AlarmSimulator.fromStack(stack);
  for (const other of stack.slos) {
    const traffic = TrafficSeries.steady({ minutes: warmUp, requestsPerMinute: 20 })
      .then(other === slo
        ? TrafficSeries.outage({ minutes: 10, requestsPerMinute: 20 })
        : TrafficSeries.steady({ minutes: 10, requestsPerMinute: 20 }))
      .then(TrafficSeries.steady({ minutes: 120, requestsPerMinute: 20 }));
    sim.feedSlo(other, traffic);
  }
  const result = sim.run();
  const paged = result.firstMinuteInState(slo.pageAlarm, cloudwatch.AlarmState.ALARM, warmUp);
  const recovered = paged === undefined ? undefined : result.firstMinuteInState(slo.pageAlarm, cloudwatch.AlarmState.OK, paged);
  // One ALARM transition notifies every destination at the same minute: count transitions, not actions.
  const alarmMinutes = (a: cloudwatch.IAlarm) =>
    new Set(result.notificationsFor(a).filter((n) => n.state === cloudwatch.AlarmState.ALARM).map((n) => n.minute)).size;
  const pages = alarmMinutes(slo.pageAlarm);
  const tickets = slo.ticketAlarm ? alarmMinutes(slo.ticketAlarm) : 0;
  return `a 10-minute outage pages after ${paged === undefined ? 'never' : `${paged - warmUp + 1} min`}, ` +
    `the page clears ${recovered === undefined ? 'never' : `${recovered - (warmUp + 10) + 1} min after recovery`}; ` +
    `paged ${pages}×, ticketed ${tickets}×`;
}
