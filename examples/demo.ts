/* eslint-disable no-console */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AlarmSimulator, CloudWatchPricing, MetricSeries, OperableFargateService, OperableFunction, OperableKubernetesService, OperableRestApi,
  OperableService, OperationalExcellenceChecks, Playbook, ReadinessReview, ServiceLevelObjective, TrafficSeries,
} from '../src';
import { buildContainerSquadApp } from './container-squad/app';
import { buildFreightSlosApp } from './freight-slos/app';
import { buildServerlessSquadApp } from './serverless-squad/app';

/**
 * `npm run demo`: synthesize the example apps (with aws-cdk-lib's CloudFormation validation on, as `cdk synth` does,
 * and the OperationalExcellenceChecks rule pack registered) into examples/cdk.out, then print what they produced: per
 * SLO and per service the alarms, how they combine, what they cost and how they behave in a simulated outage; and end
 * with the operational readiness review of the serverless squad, written to readiness/.
 */
const line = '─'.repeat(110);
const WARM_UP = 3 * 24 * 60;
const usd = (n: number) => `US$ ${n.toFixed(2)}`;

function synth<T extends Stack>(name: string, build: (app: App) => T): T {
  const outdir = join(__dirname, 'cdk.out', name);
  rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  const app = new App({ outdir });
  // The operational Definition of Done at synth: ERROR findings would fail here, warnings are printed.
  Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
  const stack = build(app);
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const resources = Object.values(artifact.template.Resources as Record<string, { Type: string }>);
  const count = (type: string) => resources.filter((r) => r.Type === type).length;
  const messages = artifact.messages.filter((m) => m.level !== 'info');
  console.log(line);
  console.log(`${name}: synthesized ${stack.stackName} in ${Date.now() - started} ms → ${relative(process.cwd(), outdir)}/${artifact.templateFile}`);
  console.log(`  ${resources.length} resources (${count('AWS::CloudWatch::Alarm')} metric alarms, ${count('AWS::CloudWatch::CompositeAlarm')} composite alarms, ` +
    `${count('AWS::CloudWatch::Dashboard')} dashboards), ${statSync(join(outdir, artifact.templateFile)).size} template bytes`);
  console.log(`  synth warnings/errors: ${messages.length === 0 ? 'none' : messages.map((m) => `\n    ${m.level.toUpperCase()} ${m.entry.data}`).join('')}`);
  console.log(`  rule pack ${OperationalExcellenceChecks.PLUGIN_NAME} (${OperationalExcellenceChecks.RULES.length} rules): ${packFindings(outdir)}`);
  console.log(line);
  return stack;
}

/** What the rule pack reported at synth: CDK writes validation-report.json only when some plugin found something. */
function packFindings(outdir: string): string {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return 'no findings';
  type Report = { pluginReports: Array<{ pluginName: string; violations: unknown[]; suppressedViolations?: unknown[] }> };
  const mine = (JSON.parse(readFileSync(file, 'utf8')) as Report).pluginReports.find((r) => r.pluginName === OperationalExcellenceChecks.PLUGIN_NAME);
  return mine ? `${mine.violations.length} open, ${mine.suppressedViolations?.length ?? 0} acknowledged finding(s)` : 'no findings';
}

const alarmName = (stack: Stack, a: cloudwatch.IAlarm) => stack.resolve((a.node.defaultChild as cloudwatch.CfnAlarm).alarmName) as string;

/** Feed an outage (every request bad) to some SLOs, healthy traffic to the others; return the page minutes. */
function outage(stack: Stack, slos: ServiceLevelObjective[], broken: ServiceLevelObjective[], page: cloudwatch.IAlarm, minutes = 10,
  quiet: cloudwatch.Alarm[] = []) {
  const sim = AlarmSimulator.fromStack(stack);
  // Operational alarms the page composite also watches (a queue backlog) see a healthy 0 throughout.
  for (const alarm of quiet) sim.feed(alarm.metric, MetricSeries.constant(0, WARM_UP + minutes + 120));
  for (const slo of slos) {
    sim.feedSlo(slo, TrafficSeries.steady({ minutes: WARM_UP, requestsPerMinute: 20 })
      .then((broken.includes(slo) ? TrafficSeries.outage : TrafficSeries.steady)({ minutes, requestsPerMinute: 20 }))
      .then(TrafficSeries.steady({ minutes: 120, requestsPerMinute: 20 })));
  }
  const result = sim.run();
  const paged = result.firstMinuteInState(page, cloudwatch.AlarmState.ALARM, WARM_UP);
  const cleared = paged === undefined ? undefined : result.firstMinuteInState(page, cloudwatch.AlarmState.OK, paged);
  const times = new Set(result.notificationsFor(page).filter((n) => n.state === cloudwatch.AlarmState.ALARM).map((n) => n.minute)).size;
  return `a ${minutes}-minute outage pages after ${paged === undefined ? 'never' : `${paged - WARM_UP + 1} min`}, clears ` +
    `${cleared === undefined ? 'never' : `${cleared - (WARM_UP + minutes) + 1} min after recovery`}; paged ${times}×`;
}

// ---- 1. A workload with two SLOs on custom metrics -------------------------------------------------------------
const slos = synth('freight-slos', buildFreightSlosApp);
for (const slo of slos.slos) {
  console.log(`SLO ${slo.serviceName}/${slo.sloName}: ${slo.objective}% over ${slo.period.toDays()} days, policy ${slo.policy.name}, ` +
    `guard ${slo.minBadEvents} bad events on long windows`);
  console.log(`  page ${alarmName(slos, slo.pageAlarm)}, ticket ${alarmName(slos, slo.ticketAlarm!)} (suppressed while paging)`);
  console.log(`  window alarms (no actions): ${slo.windowAlarms.map((a) => alarmName(slos, a).split('-').slice(-2).join('-')).join(', ')}`);
  console.log(`  runbook ${slo.runbook ?? 'none'}; ${usd(slo.estimatedMonthlyCostUsd)} / month`);
  console.log(`  simulated: ${outage(slos, slos.slos, [slo], slo.pageAlarm)}`);
}

// ---- 2. A serverless squad: an API and two functions -------------------------------------------------------------
const squad = synth('serverless-squad', buildServerlessSquadApp);
let total = 0;
for (const service of squad.services) {
  total += service.estimatedMonthlyCostUsd;
  console.log(`${kind(service)} ${service.serviceName}: SLOs ${service.slos.map((s) => `${s.sloName} ${s.objective}%`).join(', ')}`);
  console.log(`  page ${alarmName(squad, service.pageAlarm)}, ticket ${alarmName(squad, service.ticketAlarm)}; ` +
    `${service.alarms.length} alarms; dashboard ${service.dashboard?.dashboardName}`);
  if (service instanceof OperableFunction && service.deploymentGroup) {
    const cfn = service.deploymentGroup.node.defaultChild as codedeploy.CfnDeploymentGroup;
    const alarms = (squad.resolve(cfn.alarmConfiguration) as { alarms: unknown[] }).alarms.length;
    console.log(`  deploys through alias '${service.alias!.aliasName}': ${squad.resolve(cfn.deploymentConfigName)}, rolls back on ${alarms} alarms`);
  }
  if (service instanceof OperableRestApi && service.canary) {
    console.log(`  canary ${service.canary.canary.node.path} every 5 minutes, with its own SLO (${service.canary.slo.objective}% of runs succeed)`);
  }
  const quiet = squad.pagingOperationalAlarms.filter((a) => service.alarms.includes(a));
  console.log(`  ${usd(service.estimatedMonthlyCostUsd)} / month; simulated: ${outage(squad, service.slos, service.slos, service.pageAlarm, 10, quiet)}`);
}
console.log(line);
for (const runbook of squad.runbooks) {
  const gate = runbook.steps.find((s) => s.action === 'aws:approve');
  type Policies = Array<{ policyDocument: { Statement: Array<{ Action: string | string[] }> } }>;
  const policies = squad.resolve((runbook.role.node.defaultChild as iam.CfnRole).policies) as Policies;
  const actions = [...new Set(policies.flatMap((p) => p.policyDocument.Statement.flatMap((st) => st.Action)))].sort();
  console.log(`${runbook instanceof Playbook ? 'Playbook' : 'Runbook'} ${runbook.documentName}: ${runbook.steps.map((s) => s.name).join(' → ')}`);
  console.log(`  ${runbook.changesState ? `changes state only after ${gate?.name ?? 'no'} approval` : 'reads only, no approval needed'}; ` +
    `role allows exactly ${actions.join(', ')}`);
}
console.log(`Incident response: pages open an incident with response plan ${squad.incidents.responsePlanNames.join(', ')} ` +
  '(escalation: on-call, then the squad lead after 10 minutes)');
for (const template of squad.gameDay.experimentTemplates) {
  console.log(`Game day ${template.tags.tagValues().Name ?? template.node.path}: ${squad.resolve(template.description)}`);
}
console.log(line);
console.log(`Squad total ${usd(total)} / month at list price (${CloudWatchPricing.REGION}, read ${CloudWatchPricing.AS_OF}, ${CloudWatchPricing.SOURCE}); ` +
  'excludes metric and log ingestion.');

// ---- 3. A container squad: a Fargate service and an EKS service ------------------------------------------------
const containers = synth('container-squad', buildContainerSquadApp);
for (const service of containers.services) {
  console.log(`${kind(service)} ${service.serviceName}: SLOs ${service.slos.map((s) => `${s.sloName} ${s.objective}%`).join(', ')}; ` +
    `${service.alarms.length} alarms; dashboard ${service.dashboard?.dashboardName}; ${usd(service.estimatedMonthlyCostUsd)} / month`);
  if (service instanceof OperableFargateService) {
    const cfn = (service.service as ecs.FargateService).node.defaultChild as ecs.CfnService;
    type Config = { strategy: string; canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number }; bakeTimeInMinutes?: number };
    const config = containers.resolve(cfn.deploymentConfiguration) as Config;
    console.log(`  deploys ${config.strategy} ${config.canaryConfiguration?.canaryPercent}% for ${config.canaryConfiguration?.canaryBakeTimeInMinutes} min, ` +
      `bake ${config.bakeTimeInMinutes} min; circuit breaker and rollback on ${service.deploymentAlarmNames.join(', ')}`);
    console.log(`  simulated: ${canaryRollback(containers, service)}`);
  }
  if (service instanceof OperableKubernetesService) {
    console.log(`  Argo Rollouts AnalysisTemplate ${service.analysisTemplateName} in namespace ${service.kubernetesNamespace}: a canary step fails ` +
      `when an SLO's 5-minute burn rate reaches ${service.slos[0].policy.pageWindows[0].burnRate}×`);
  }
}
for (const runbook of containers.runbooks) {
  console.log(`${runbook instanceof Playbook ? 'Playbook' : 'Runbook'} ${runbook.documentName}: ${runbook.steps.map((s) => s.name).join(' → ')}`);
}
const containerReview = ReadinessReview.fromAssembly(join(__dirname, 'cdk.out', 'container-squad'), {
  attestationsFile: join(__dirname, 'container-squad', 'ops-attestations.json'),
});
containerReview.summaryLines().forEach((l) => console.log(l));

// ---- 4. The operational readiness review of the squad, from its cloud assembly ------------------------------------
console.log(line);
const review = ReadinessReview.fromAssembly(join(__dirname, 'cdk.out', 'serverless-squad'), {
  attestationsFile: join(__dirname, 'serverless-squad', 'ops-attestations.json'),
});
const reportDir = join(process.cwd(), 'readiness');
mkdirSync(reportDir, { recursive: true });
writeFileSync(join(reportDir, 'serverless-squad.html'), review.toHtml());
writeFileSync(join(reportDir, 'serverless-squad.md'), review.toMarkdown());
writeFileSync(join(reportDir, 'serverless-squad.json'), review.toJson());
review.summaryLines().forEach((l) => console.log(l));
for (const service of review.report.services) {
  // The medium-risk issues a rule could show in the template (the rest need a person to attest them).
  const checkable = service.mediumRiskIssues.filter((p) => p.ruleIds.length > 0);
  console.log(`  ${service.name}: ${service.mediumRiskIssues.length - checkable.length} MRI need attestation; template gaps: ` +
    `${checkable.map((p) => `${p.practiceId} ${p.title} (${p.ruleIds.join(', ')} check nothing here)`).join('; ') || 'none'}`);
}
console.log(`Readiness report: ${relative(process.cwd(), reportDir)}/serverless-squad.{html,md,json} ` +
  '(same as: cdk-operable orr examples/cdk.out/serverless-squad --attestations examples/serverless-squad/ops-attestations.json)');

function kind(service: OperableService): string {
  if (service instanceof OperableFargateService) return 'Fargate service';
  if (service instanceof OperableKubernetesService) return 'Kubernetes service';
  return service instanceof OperableFunction ? 'Function' : service instanceof OperableRestApi ? 'REST API' : 'Service';
}

/**
 * A 10 % canary whose new tasks fail 20 % of requests, at 1,000 requests a minute after 6 healthy hours: when the canary
 * alarm rolls it back, and when the page would have fired without it.
 */
function canaryRollback(stack: Stack, svc: OperableFargateService): string {
  const start = 360;
  const minutes = start + 60;
  const sim = AlarmSimulator.fromStack(stack);
  const lb = svc.loadBalancer as elbv2.ApplicationLoadBalancer;
  const tgMetric = (tg: elbv2.IApplicationTargetGroup, metricName: string, statistic = 'Sum') => new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName,
    statistic,
    dimensionsMap: { TargetGroup: (tg as elbv2.ApplicationTargetGroup).targetGroupFullName, LoadBalancer: lb.loadBalancerFullName },
  });
  const [prod, alt] = [svc.targetGroup, svc.alternateTargetGroup!];
  sim.feed(tgMetric(prod, 'RequestCount'), MetricSeries.constant(1000, start).concat(MetricSeries.constant(900, minutes - start)));
  sim.feed(tgMetric(alt, 'RequestCount'), MetricSeries.missing(start).concat(MetricSeries.constant(100, minutes - start)));
  sim.feed(tgMetric(alt, 'HTTPCode_Target_5XX_Count'), MetricSeries.missing(start).concat(MetricSeries.constant(20, minutes - start)));
  for (const m of [tgMetric(prod, 'HTTPCode_Target_5XX_Count'), tgMetric(prod, 'HTTPCode_ELB_5XX_Count'), tgMetric(alt, 'HTTPCode_ELB_5XX_Count')]) {
    sim.feed(m, MetricSeries.missing(minutes));
  }
  for (const tg of [prod, alt]) sim.feed(tgMetric(tg, 'UnHealthyHostCount', 'Maximum'), MetricSeries.constant(0, minutes));
  const ecsMetric = (namespace: string, metricName: string, statistic: string) => new cloudwatch.Metric({
    namespace, metricName, statistic, dimensionsMap: { ClusterName: svc.cluster.clusterName, ServiceName: svc.service.serviceName },
  });
  sim.feed(ecsMetric('AWS/ECS', 'CPUUtilization', 'Average'), MetricSeries.constant(30, minutes));
  sim.feed(ecsMetric('AWS/ECS', 'MemoryUtilization', 'Average'), MetricSeries.constant(40, minutes));
  sim.feed(ecsMetric('ECS/ContainerInsights', 'DesiredTaskCount', 'Maximum'), MetricSeries.constant(2, minutes));
  sim.feed(ecsMetric('ECS/ContainerInsights', 'RunningTaskCount', 'Minimum'), MetricSeries.constant(2, minutes));
  sim.feedIdentity({
    metricNamespace: svc.workload.workloadName,
    metricName: 'EcsDeploymentFailures',
    dimensions: { Service: svc.serviceName },
    statistic: 'Sum',
  }, MetricSeries.missing(minutes));
  for (const slo of svc.slos.filter((s) => s !== svc.availability)) sim.feedSlo(slo, TrafficSeries.steady({ minutes, requestsPerMinute: 1000 }));
  const result = sim.run();
  const rolledBack = result.firstMinuteInState(svc.canaryAlarm, cloudwatch.AlarmState.ALARM, start);
  const paged = result.firstMinuteInState(svc.pageAlarm, cloudwatch.AlarmState.ALARM, start);
  return `a 10% canary failing 20% of requests rolls back after ${rolledBack === undefined ? 'never' : `${rolledBack - start + 1} min`} ` +
    `(canary alarm; the 10-minute step is not over), the page alone would need ${paged === undefined ? 'over an hour' : `${paged - start + 1} min`}`;
}
