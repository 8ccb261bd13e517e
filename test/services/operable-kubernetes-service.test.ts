import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ClusterKind, KubernetesSetup, makeCluster, SERVICE_PATH, setupService } from './eks-fixtures';
import { DASHBOARD_URL, Dimension, logicalIdOf, MetricQuery, ORR_TAGS, orrTagsWithRunbook, Resource, RUNBOOK, windowAlarmNames } from './function-fixtures';
import { BurnRatePolicy, Sli } from '../../src';
import { KubernetesSignals, KubernetesSignalSource } from '../../src/services/kubernetes-signals';
import { OperableEksCluster } from '../../src/services/operable-eks-cluster';
import { OperableKubernetesService, OperableKubernetesServiceProps } from '../../src/services/operable-kubernetes-service';
import { AnalysisTemplateManifest } from '../../src/services/rollout-analysis';
import { freight, testStack } from '../support/fixtures';

const APP_SIGNALS_DIMS = [{ Name: 'Environment', Value: 'eks:shop/shop' }, { Name: 'Service', Value: 'quotes' }];
const POD_DIMS = [{ Name: 'ClusterName', Value: 'shop' }, { Name: 'Namespace', Value: 'shop' }, { Name: 'PodName', Value: 'quotes' }];
const TICKETS_THROUGH = "Tickets through quotes's ticket composite; no actions of its own.";
const FOOTER = `Severity: TICKET | Owner: pricing | Runbook: ${RUNBOOK} | Playbook: none | Dashboard: ${DASHBOARD_URL}`;
const NO_ROLLOUT_ANALYSIS = "argoRollouts is not set: the Argo Rollouts AnalysisTemplate 'quotes-slo-burn' is not applied, so canary steps " +
  "are not gated by the SLOs' fast burn (OPS06-BP04). Set argoRollouts: true to apply it through the cluster's kubectl provider, or apply " +
  'the rolloutAnalysis property with your own tooling (GitOps) and acknowledge this warning. [ack: cdk-operable:kubernetes-no-rollout-analysis]';
const NO_ADDON = 'the Container Insights alarms and the container-log query read what the amazon-cloudwatch-observability add-on ' +
  'publishes, and cdk-operable finds no such add-on for cluster Test/Cluster in this app (or the cluster is imported): pass clusterTelemetry ' +
  '(an OperableEksCluster), or make sure the add-on runs in the cluster (OPS04-BP02). [ack: cdk-operable:eks-observability]';

/** A plain metric query of an alarm. */
function stat(id: string, namespace: string, metricName: string, dims: unknown[], period: number, statName: string): MetricQuery {
  const metric = { Namespace: namespace, MetricName: metricName, Dimensions: dims as Dimension[] };
  return { Id: id, ReturnData: false, MetricStat: { Metric: metric, Period: period, Stat: statName } };
}

/** The AlarmNames the ticket composite's rule references, in rule order. */
function ticketRuleAlarms(s: KubernetesSetup): string[] {
  const rule = (s.alarm('freight-quotes-ticket').AlarmRule as { 'Fn::Sub': string })['Fn::Sub'];
  return [...rule.matchAll(/ALARM\("\$\{(\w+)\.Arn\}"\)/g)].map((m) => s.resources[m[1]].Properties!.AlarmName as string);
}

/** The widgets of the service dashboard (its body is one Fn::Sub string of JSON). */
function widgets(s: KubernetesSetup): Array<{ type: string; properties: { title?: string; query?: string; metrics?: unknown[][] } }> {
  const dashboard = s.of('AWS::CloudWatch::Dashboard').find(([, r]) => r.Properties!.DashboardName === 'freight-quotes')![1] as Resource;
  return JSON.parse((dashboard.Properties!.DashboardBody as { 'Fn::Sub': string })['Fn::Sub']).widgets;
}

describe('Application Signals source (defaults, 400 ms latency threshold)', () => {
  let s: KubernetesSetup;
  beforeAll(() => {
    s = setupService({ signals: KubernetesSignals.applicationSignals(), latencyThreshold: Duration.millis(400) });
  });

  test('two SLOs with the workbook window alarms, then the three Container Insights tickets', () => {
    expect(s.alarmNames()).toEqual([
      ...windowAlarmNames('availability'),
      ...windowAlarmNames('latency'),
      'freight-quotes-container-restarts',
      'freight-quotes-cpu-near-limit',
      'freight-quotes-memory-near-limit',
    ]);
    expect(s.service.slos.map((slo) => [slo.sloName, slo.objective])).toEqual([['availability', 99.9], ['latency', 99]]);
    expect(s.service.availability!.sloName).toBe('availability');
    expect(s.service.latency!.sloName).toBe('latency');
    expect(s.service.signals.source).toBe(KubernetesSignalSource.APPLICATION_SIGNALS);
  });

  test('availability reads ApplicationSignals Fault (Sum) over requests (SampleCount of Latency), service-level dimensions', () => {
    expect(s.alarm('freight-quotes-availability-burn14.4x-5m')).toMatchObject({
      Threshold: 14.4,
      EvaluationPeriods: 1,
      Metrics: [
        { Id: 'expr_1', ReturnData: true, Expression: '(FILL(bad,0)/total)/0.001' },
        stat('bad', 'ApplicationSignals', 'Fault', APP_SIGNALS_DIMS, 300, 'Sum'),
        stat('total', 'ApplicationSignals', 'Latency', APP_SIGNALS_DIMS, 300, 'SampleCount'),
      ],
    });
  });

  test('latency reads the percentile rank of ApplicationSignals Latency in milliseconds: PR(:400)', () => {
    expect(s.alarm('freight-quotes-latency-burn14.4x-5m').Metrics).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: '((100-pr)/100)/0.01' },
      stat('pr', 'ApplicationSignals', 'Latency', APP_SIGNALS_DIMS, 300, 'PR(:400)'),
    ]);
    expect((s.alarm('freight-quotes-latency-burn14.4x-1h').Metrics as MetricQuery[]).map((m) => m.MetricStat?.Stat))
      .toEqual([undefined, 'PR(:400)', 'SampleCount']);
  });

  test('container restarts: pod_number_of_container_restarts Sum >= 3 over 15 minutes, workload dimensions', () => {
    expect(s.alarm('freight-quotes-container-restarts')).toMatchObject({
      Namespace: 'ContainerInsights',
      MetricName: 'pod_number_of_container_restarts',
      Dimensions: POD_DIMS,
      Statistic: 'Sum',
      Period: 900,
      EvaluationPeriods: 1,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: 'Containers of quotes (namespace shop) restarted 3 times or more in 15 minutes: a crash loop or OOM kills. Read the ' +
        `pods' last termination reason (kubectl describe pod) and the container logs. ${TICKETS_THROUGH}\n${FOOTER}`,
    });
  });

  test('CPU near limit: Average >= 90 % of the limit for 3 x 5 minutes; memory near limit: Maximum (busiest pod)', () => {
    expect(s.alarm('freight-quotes-cpu-near-limit')).toMatchObject({
      MetricName: 'pod_cpu_utilization_over_pod_limit', Dimensions: POD_DIMS, Statistic: 'Average', Period: 300, EvaluationPeriods: 3, Threshold: 90,
    });
    expect(s.alarm('freight-quotes-memory-near-limit')).toMatchObject({
      MetricName: 'pod_memory_utilization_over_pod_limit', Dimensions: POD_DIMS, Statistic: 'Maximum', Period: 300, EvaluationPeriods: 3, Threshold: 90,
    });
    expect(s.alarm('freight-quotes-memory-near-limit').AlarmDescription).toBe('A pod of quotes (namespace shop) used 90% or more of its memory ' +
      `limit for 15 minutes: it is close to an OOM kill. Raise the memory limit or find what holds the memory. ${TICKETS_THROUGH}\n${FOOTER}`);
  });

  test('the ticket composite holds the slow-burn pairs and the three operational alarms; they carry no actions', () => {
    expect(ticketRuleAlarms(s).slice(-3)).toEqual(['freight-quotes-container-restarts', 'freight-quotes-cpu-near-limit', 'freight-quotes-memory-near-limit']);
    for (const name of ['freight-quotes-container-restarts', 'freight-quotes-cpu-near-limit', 'freight-quotes-memory-near-limit']) {
      expect(s.alarm(name).AlarmActions).toBeUndefined();
    }
    expect(s.alarm('freight-quotes-page').AlarmActions).toEqual([{ Ref: logicalIdOf(s.pages) }]);
    expect(s.alarm('freight-quotes-ticket').AlarmActions).toEqual([{ Ref: logicalIdOf(s.tickets) }]);
  });

  test('ORR tags and the runbook tag on every alarm', () => {
    expect(s.alarm('freight-quotes-container-restarts').Tags).toEqual(orrTagsWithRunbook());
    expect(s.alarm('freight-quotes-page').Tags).toEqual(orrTagsWithRunbook());
    const dashboard = s.of('AWS::CloudWatch::Dashboard').find(([, r]) => r.Properties!.DashboardName === 'freight-quotes')![1];
    expect(dashboard.Properties!.Tags).toEqual(ORR_TAGS);
  });

  test('dashboard: golden signals with Container Insights saturation, SLO widgets, alarms and the container-log query', () => {
    const w = widgets(s);
    expect(w.map((x) => x.properties.title)).toEqual([
      undefined, 'Traffic', 'Errors', 'Latency', 'Saturation',
      'quotes / availability: SLI vs 99.9% objective', 'quotes / availability: burn rate per alarm window',
      'quotes / availability: error budget burn-down (30 days)',
      'quotes / latency: SLI vs 99% objective', 'quotes / latency: burn rate per alarm window', 'quotes / latency: error budget burn-down (30 days)',
      'quotes: alarms', 'quotes: recent errors in the container logs',
    ]);
    const saturation = JSON.stringify(w[4].properties.metrics);
    for (const m of ['"ApplicationSignals","Error"', 'pod_cpu_utilization_over_pod_limit', 'pod_memory_utilization_over_pod_limit', 'pod_number_of_container_restarts']) {
      expect(saturation).toContain(m);
    }
    expect(w[12].properties.query).toBe([
      "SOURCE '/aws/containerinsights/shop/application' | fields @timestamp, kubernetes.pod_name, kubernetes.container_name, log",
      "| filter kubernetes.namespace_name = 'shop' and kubernetes.pod_name like /^quotes-[a-z0-9]{1,10}-[a-z0-9]{5}$/",
      '| filter @message like /(?i)(error|exception|fatal|panic)/',
      '| sort @timestamp desc',
      '| limit 50',
    ].join('\n'));
    expect(s.service.applicationLogGroup.logGroupName).toBe('/aws/containerinsights/shop/application');
  });

  test('warnings: no rollout analysis applied, and no observability add-on found for the imported cluster', () => {
    expect(s.warningsAt(SERVICE_PATH)).toEqual([NO_ROLLOUT_ANALYSIS, NO_ADDON]);
    expect(s.service.rolloutAnalysisManifest).toBeUndefined();
    s.template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  test('nothing else is created for the workload: no log group, no role, no manifest', () => {
    s.template.resourceCountIs('AWS::Logs::LogGroup', 0);
    s.template.resourceCountIs('AWS::IAM::Role', 0);
    expect(s.service.estimatedMonthlyCostUsd).toBeGreaterThan(0);
  });
});

describe('Application Signals source with an explicit service name, environment and deployment', () => {
  let s: KubernetesSetup;
  beforeAll(() => {
    s = setupService({
      signals: KubernetesSignals.applicationSignals({ serviceName: 'quote-engine', environment: 'eks:shop-prod/pricing' }),
      deploymentName: 'quote-engine.v2',
      kubernetesNamespace: 'pricing',
      availabilityObjective: 99.5,
      latencySlo: false,
      containerInsights: false,
    });
  });

  test('dimensions use the given service and environment; only the availability SLO, at 99.5 %', () => {
    const dims = [{ Name: 'Environment', Value: 'eks:shop-prod/pricing' }, { Name: 'Service', Value: 'quote-engine' }];
    expect((s.alarm('freight-quotes-availability-burn14.4x-5m').Metrics as MetricQuery[])[1].MetricStat!.Metric.Dimensions).toEqual(dims);
    expect(s.service.slos.map((x) => [x.sloName, x.objective])).toEqual([['availability', 99.5]]);
    expect(s.service.latency).toBeUndefined();
  });

  test('containerInsights false: no Container Insights alarm or graph, no add-on warning; the template is named after the deployment', () => {
    expect(s.alarmNames()).toEqual(windowAlarmNames('availability'));
    expect(JSON.stringify(widgets(s)[4].properties.metrics)).not.toContain('ContainerInsights');
    expect(s.warningsAt(SERVICE_PATH)).toEqual([NO_ROLLOUT_ANALYSIS.replace(/'quotes-slo-burn'/, "'quote-engine.v2-slo-burn'")]);
    expect(s.service.analysisTemplateName).toBe('quote-engine.v2-slo-burn');
    expect(widgets(s)[9].properties.query).toContain("kubernetes.namespace_name = 'pricing' and kubernetes.pod_name like /^quote-engine\\.v2-[a-z0-9]{1,10}-[a-z0-9]{5}$/");
  });
});

describe('load balancer source (target group names from SSM parameters), 400 ms latency threshold', () => {
  let s: KubernetesSetup;
  let tgParam: string;
  let lbParam: string;
  beforeAll(() => {
    s = setupService((stack) => {
      const tg = ssm.StringParameter.valueForStringParameter(stack, '/shop/quotes/target-group');
      const lb = ssm.StringParameter.valueForStringParameter(stack, '/shop/alb');
      return {
        signals: KubernetesSignals.loadBalancer({ targetGroupFullName: tg, loadBalancerFullName: lb }),
        latencyThreshold: Duration.millis(400),
      };
    });
    const params = s.template.toJSON().Parameters as Record<string, { Default: string }>;
    tgParam = Object.entries(params).find(([, p]) => p.Default === '/shop/quotes/target-group')![0];
    lbParam = Object.entries(params).find(([, p]) => p.Default === '/shop/alb')![0];
  });

  test('latency reads TargetResponseTime in SECONDS: PR(:0.4)', () => {
    const dims = [{ Name: 'LoadBalancer', Value: { Ref: lbParam } }, { Name: 'TargetGroup', Value: { Ref: tgParam } }];
    const metrics = s.alarm('freight-quotes-latency-burn14.4x-5m').Metrics as MetricQuery[];
    expect(metrics[1]).toEqual(stat('pr', 'AWS/ApplicationELB', 'TargetResponseTime', dims, 300, 'PR(:0.4)'));
  });

  test('availability counts the targets\' and the load balancer\'s 5XX over RequestCount', () => {
    const metrics = s.alarm('freight-quotes-availability-burn14.4x-5m').Metrics as MetricQuery[];
    expect(metrics.map((m) => m.MetricStat?.Metric.MetricName ?? m.Expression)).toEqual([
      metrics[0].Expression, 'HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count', 'RequestCount',
    ]);
    expect(metrics[0].Expression).toContain('FILL(');
  });

  test('an unhealthy-targets ticket: UnHealthyHostCount Maximum >= 1 for 15 one-minute periods', () => {
    expect(s.alarm('freight-quotes-unhealthy-targets')).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 15,
      Threshold: 1,
    });
    expect(ticketRuleAlarms(s).slice(-4)).toEqual([
      'freight-quotes-container-restarts', 'freight-quotes-cpu-near-limit', 'freight-quotes-memory-near-limit', 'freight-quotes-unhealthy-targets',
    ]);
  });
});

describe('custom source', () => {
  const metric = (metricName: string, statistic = 'Sum') =>
    new cloudwatch.Metric({ namespace: 'Shop', metricName, dimensionsMap: { Service: 'quotes' }, statistic });
  let s: KubernetesSetup;
  beforeAll(() => {
    s = setupService({
      signals: KubernetesSignals.custom({
        traffic: metric('Requests'),
        errors: metric('Errors'),
        latency: Sli.latency({ metric: metric('ResponseTime', 'Average'), unit: cloudwatch.Unit.MICROSECONDS, threshold: Duration.millis(250) }),
      }),
      latencyObjective: 99.5,
      policy: BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET,
    });
  });

  test('availability is errors over traffic; latency uses the custom Sli (threshold in microseconds) at 99.5 %', () => {
    expect(s.alarm('freight-quotes-availability-burn14.4x-5m').Metrics).toEqual([
      { Id: 'expr_1', ReturnData: true, Expression: '(FILL(bad,0)/total)/0.001' },
      stat('bad', 'Shop', 'Errors', [{ Name: 'Service', Value: 'quotes' }], 300, 'Sum'),
      stat('total', 'Shop', 'Requests', [{ Name: 'Service', Value: 'quotes' }], 300, 'Sum'),
    ]);
    expect((s.alarm('freight-quotes-latency-burn14.4x-5m').Metrics as MetricQuery[])[1].MetricStat!.Stat).toBe('PR(:250000)');
    expect(s.service.latency!.objective).toBe(99.5);
    expect(s.service.latency!.policy).toBe(BurnRatePolicy.SRE_WORKBOOK_WITH_DAILY_TICKET);
    expect(s.alarmNames().filter((n) => n.includes('-availability-'))).toHaveLength(8);
  });

  test('a custom availability Sli replaces errors over traffic', () => {
    const t = setupService({
      signals: KubernetesSignals.custom({
        traffic: metric('Requests'), errors: metric('Errors'), availability: Sli.ratio({ good: metric('Ok'), total: metric('Requests') }),
      }),
      containerInsights: false,
    });
    expect((t.alarm('freight-quotes-availability-burn14.4x-5m').Metrics as MetricQuery[])[0].Expression).toBe('((total-FILL(good,0))/total)/0.001');
    expect(t.service.latency).toBeUndefined();
    expect(t.alarmNames()).toEqual(windowAlarmNames('availability'));
  });
});

describe('clusterTelemetry', () => {
  let s: KubernetesSetup;
  beforeAll(() => {
    s = setupService({ signals: KubernetesSignals.applicationSignals() }, { cluster: ClusterKind.DEFINED, telemetry: true });
  });

  test('the cluster alarms ticket through the service; the query reads the telemetry\'s application log group', () => {
    expect(ticketRuleAlarms(s).slice(-6)).toEqual([
      'freight-quotes-container-restarts', 'freight-quotes-cpu-near-limit', 'freight-quotes-memory-near-limit',
      'freight-eks-shop-node-cpu', 'freight-eks-shop-node-memory', 'freight-eks-shop-failed-nodes',
    ]);
    expect(s.service.applicationLogGroup).toBe(s.telemetry!.applicationLogGroup);
    expect(s.service.clusterTelemetry).toBe(s.telemetry);
  });

  test('a defined cluster with a literal name: dimensions read the literal (no reference to the cluster)', () => {
    expect(s.alarm('freight-quotes-container-restarts').Dimensions).toEqual(POD_DIMS);
    expect((s.alarm('freight-quotes-availability-burn14.4x-5m').Metrics as MetricQuery[])[1].MetricStat!.Metric.Dimensions).toEqual(APP_SIGNALS_DIMS);
  });

  test('no observability warning: the add-on is there', () => {
    expect(s.warningsAt(SERVICE_PATH)).toEqual([NO_ROLLOUT_ANALYSIS]);
  });
});

describe('without a runbook base URL: the generated investigation playbook', () => {
  let s: KubernetesSetup;
  beforeAll(() => {
    s = setupService({ signals: KubernetesSignals.applicationSignals() }, { workloadProps: { runbookBaseUrl: undefined } });
  });

  test('names the playbook on every alarm and queries the container logs of the workload', () => {
    expect(s.service.playbook).toBe('freight-quotes-playbook');
    expect(s.alarm('freight-quotes-container-restarts').AlarmDescription).toContain('| Runbook: none | Playbook: freight-quotes-playbook |');
    const [[, document]] = s.of('AWS::SSM::Document');
    const text = JSON.stringify(document.Properties!.Content);
    expect(text).toContain('/aws/containerinsights/shop/application');
    expect(text).toContain("kubernetes.namespace_name = 'shop'");
    expect(text).toContain(`\${${logicalIdOf(s.service.node.findChild('MemoryNearLimit'))}}`);
  });
});

describe('bad input fails at synth with a precise message', () => {
  const build = (props: Partial<OperableKubernetesServiceProps>, kind = ClusterKind.IMPORTED) => () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const cluster = makeCluster(stack, kind);
    new OperableKubernetesService(workload, 'Quotes', { cluster, signals: KubernetesSignals.applicationSignals(), ...props } as OperableKubernetesServiceProps);
  };

  test('a namespace that is not a DNS-1123 label', () => {
    expect(build({ kubernetesNamespace: 'Bad_NS' })).toThrow("[Test/Freight/Quotes] kubernetesNamespace must be a DNS-1123 label (lowercase letters, digits and '-', " +
      "at most 63 characters, starting and ending with a letter or digit), got 'Bad_NS' (a string). E.g. 'shop'.");
  });

  test('a deployment name that is not a DNS-1123 subdomain, given or defaulted from the service name', () => {
    expect(build({ deploymentName: 'Quotes' })).toThrow("deploymentName must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', " +
      "at most 253 characters, starting and ending with a letter or digit), got 'Quotes' (a string). E.g. 'quotes'.");
    expect(build({ serviceName: 'Quote_Engine' })).toThrow("[Test/Freight/Quotes] deploymentName defaults to the service name 'Quote_Engine', " +
      "which is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters, starting and ending with a letter or " +
      "digit): pass the workload's deploymentName.");
  });

  test('a latencyThreshold with latencySlo false', () => {
    expect(build({ latencySlo: false, latencyThreshold: Duration.millis(400) })).toThrow('[Test/Freight/Quotes] latencyThreshold is set but ' +
      'latencySlo is false: remove it, or the latencySlo: false.');
  });

  test('missing signals', () => {
    expect(build({ signals: undefined })).toThrow('[Test/Freight/Quotes] signals is required, got undefined. Say where the SLIs come from: ' +
      'KubernetesSignals.applicationSignals() (Application Signals), KubernetesSignals.loadBalancer({ targetGroupFullName, loadBalancerFullName }) ' +
      '(the ALB in front of the workload) or KubernetesSignals.custom({ traffic, errors, ... }) (metrics of your own).');
  });

  test('signals that are not a KubernetesSignals, a missing cluster, an unknown prop', () => {
    expect(build({ signals: { source: 'APPLICATION_SIGNALS' } as unknown as KubernetesSignals })).toThrow(
      'signals must be a KubernetesSignals, got a plain object {"source":"APPLICATION_SIGNALS"}. Use KubernetesSignals.applicationSignals(), ' +
      'KubernetesSignals.loadBalancer({ ... }) or KubernetesSignals.custom({ ... }).');
    expect(build({ cluster: undefined })).toThrow('[Test/Freight/Quotes] cluster is required, got undefined. Pass new eks.Cluster(...), or ' +
      'eks.Cluster.fromClusterAttributes(scope, id, { clusterName, kubectlProvider }).');
    expect(build({ nameSpace: 'shop' } as unknown as Partial<OperableKubernetesServiceProps>)).toThrow('nameSpace is not a prop of ' +
      'OperableKubernetesServiceProps (did you mean kubernetesNamespace?): remove it, or see the OperableKubernetesServiceProps docs for the setting you want.');
  });

  test('load balancer names of the wrong shape, or missing', () => {
    expect(build({ signals: KubernetesSignals.loadBalancer({ targetGroupFullName: 'quotes-tg', loadBalancerFullName: 'app/shop/50dc6c495c0c9188' }) }))
      .toThrow("signals: KubernetesSignals.loadBalancer targetGroupFullName must be a target group full name 'targetgroup/<name>/<id>', got " +
        "'quotes-tg' (a string).");
    expect(build({ signals: KubernetesSignals.loadBalancer({ targetGroupFullName: 'targetgroup/quotes/73e2d6bc24d8a067' } as never) }))
      .toThrow('[Test/Freight/Quotes] signals: KubernetesSignals.loadBalancer loadBalancerFullName is required, got undefined. Pass the load ' +
        "balancer's full name, e.g. read from an SSM parameter, or ApplicationLoadBalancer.loadBalancerFullName.");
  });

  test('custom signals: settings that do not apply to their Slis', () => {
    const traffic = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Requests', statistic: 'Sum' });
    const errors = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Errors', statistic: 'Sum' });
    const custom = (extra: object = {}) => KubernetesSignals.custom({ traffic, errors, ...extra });
    expect(build({ signals: custom(), latencyThreshold: Duration.millis(400) })).toThrow('[Test/Freight/Quotes] latencyThreshold is set, but ' +
      'signals (KubernetesSignals.custom) has no latency Sli, so the service has no latency SLO: remove it, or pass latency: ' +
      'Sli.latency({ metric, unit, threshold }).');
    expect(build({ signals: custom(), latencySlo: true })).toThrow('latencySlo is true, but signals (KubernetesSignals.custom) has no latency Sli');
    const duration = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Duration', statistic: 'Average' });
    const latency = Sli.latency({ metric: duration, unit: cloudwatch.Unit.MILLISECONDS });
    expect(build({ signals: custom({ latency }), latencyThreshold: Duration.millis(400) })).toThrow('[Test/Freight/Quotes] latencyThreshold is ' +
      'set, but the latency Sli of signals (KubernetesSignals.custom) carries its own threshold: pass it as Sli.latency({ threshold }) and remove ' +
      'latencyThreshold.');
    expect(build({ signals: custom({ availability: Sli.ratio({ bad: errors, total: traffic }) }), availabilitySlo: false })).toThrow(
      'signals (KubernetesSignals.custom) has an availability Sli, but availabilitySlo is false: remove one of them.');
    expect(build({ signals: KubernetesSignals.custom({ traffic } as never) })).toThrow('signals: KubernetesSignals.custom errors is required');
  });

  test('clusterTelemetry of another cluster', () => {
    expect(() => {
      const { stack } = testStack();
      const { workload } = freight(stack);
      const cluster = makeCluster(stack, ClusterKind.DEFINED) as eks.Cluster;
      const other = new eks.Cluster(stack, 'Other', { version: eks.KubernetesVersion.V1_35, clusterName: 'other' });
      const telemetry = new OperableEksCluster(workload, 'Telemetry', { cluster: other });
      new OperableKubernetesService(workload, 'Quotes', { cluster, signals: KubernetesSignals.applicationSignals(), clusterTelemetry: telemetry });
    }).toThrow('[Test/Freight/Quotes] clusterTelemetry watches cluster Test/Other, not Test/Cluster: pass the OperableEksCluster of the cluster ' +
      'the workload runs on.');
  });
});

test('Stack.resolve of the rollout analysis of a service with a token cluster name keeps the reference', () => {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: ssm.StringParameter.valueForStringParameter(stack, '/shop/cluster') });
  const service = new OperableKubernetesService(workload, 'Quotes', { cluster, signals: KubernetesSignals.applicationSignals(), containerInsights: false });
  const resolved = Stack.of(service).resolve(service.rolloutAnalysis) as AnalysisTemplateManifest;
  const environment = resolved.spec.metrics[0].provider.cloudWatch.metricDataQueries[0].metricStat!.metric.dimensions![0] as unknown as
    { name: string; value: { 'Fn::Join': [string, unknown[]] } };
  expect(environment.name).toBe('Environment');
  expect(environment.value['Fn::Join'][1][0]).toBe('eks:');
});
