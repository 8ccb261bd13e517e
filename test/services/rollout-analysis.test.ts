import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ClusterKind, KUBECTL_SERVICE_TOKEN, KubernetesSetup, makeCluster, renderJoin, SERVICE_PATH, setupService, warningsAt } from './eks-fixtures';
import { MetricQuery, Resource } from './function-fixtures';
import { BurnRatePolicy, Sli } from '../../src';
import { KubernetesSignals } from '../../src/services/kubernetes-signals';
import { OperableKubernetesService } from '../../src/services/operable-kubernetes-service';
import { AnalysisQuery, AnalysisTemplateManifest, metricDataQueries } from '../../src/services/rollout-analysis';
import { freight, testStack } from '../support/fixtures';

const APP_SIGNALS_DIMS = [{ name: 'Environment', value: 'eks:shop/shop' }, { name: 'Service', value: 'quotes' }];

/** A metricStat query of the template. */
function query(id: string, metricName: string, statName: string, dimensions: unknown[] = APP_SIGNALS_DIMS, namespace = 'ApplicationSignals') {
  return { id, metricStat: { metric: { namespace, metricName, dimensions }, period: 300, stat: statName }, returnData: false };
}

/** A window alarm's metric queries (Ref → `${Id}`), in the provider's shape and order: metrics first, the result last as `burn_rate`. */
function asAnalysisQueries(alarmMetrics: MetricQuery[]): unknown[] {
  const value = (v: unknown) => (typeof v === 'string' ? v : renderJoin(v));
  const converted = alarmMetrics.map((m) => (m.MetricStat
    ? {
      id: m.Id,
      metricStat: {
        metric: {
          namespace: m.MetricStat.Metric.Namespace,
          metricName: m.MetricStat.Metric.MetricName,
          dimensions: m.MetricStat.Metric.Dimensions.map((d) => ({ name: d.Name, value: value(d.Value) })),
        },
        period: m.MetricStat.Period,
        stat: m.MetricStat.Stat,
      },
      returnData: false,
    }
    : { id: 'burn_rate', expression: m.Expression, returnData: true }));
  return [...converted.filter((q) => !q.returnData), ...converted.filter((q) => q.returnData)];
}

/** A query without its label (alarms carry none). */
function withoutLabel({ label, ...rest }: AnalysisQuery): Omit<AnalysisQuery, 'label'> {
  expect(label === undefined || typeof label === 'string').toBe(true);
  return rest;
}

/** The applied manifest(s), parsed from the custom resource's Manifest (an Fn::Join rendered with `${Id}` placeholders). */
function appliedManifest(s: KubernetesSetup): AnalysisTemplateManifest[] {
  const [[, resource]] = s.of('Custom::AWSCDK-EKS-KubernetesResource');
  return JSON.parse(renderJoin(resource.Properties!.Manifest));
}

describe('the AnalysisTemplate of an Application Signals service (rolloutAnalysis)', () => {
  let s: KubernetesSetup;
  let template: AnalysisTemplateManifest;
  beforeAll(() => {
    s = setupService({ signals: KubernetesSignals.applicationSignals(), latencyThreshold: Duration.millis(400) });
    template = Stack.of(s.service).resolve(s.service.rolloutAnalysis);
  });

  test('exact manifest: one metric per SLO, the fast-burn short-window burn rate below 14.4, measured every minute', () => {
    const metric = (name: string, queries: unknown[]) => ({
      name,
      interval: '1m',
      count: 5,
      failureLimit: 1,
      successCondition: 'all(result[0].Values, {# < 14.4})',
      provider: { cloudWatch: { interval: '5m', metricDataQueries: queries } },
    });
    expect(template).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: {
        name: 'quotes-slo-burn',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/managed-by': 'cdk-operable' },
        annotations: { 'cdk-operable/workload': 'freight', 'cdk-operable/service': 'quotes' },
      },
      spec: {
        metrics: [
          metric('availability', [
            query('bad', 'Fault', 'Sum'),
            query('total', 'Latency', 'SampleCount'),
            { id: 'burn_rate', expression: '(FILL(bad,0)/total)/0.001', label: 'availability burn rate over 5 min (fast burn at 14.4x)', returnData: true },
          ]),
          metric('latency', [
            query('pr', 'Latency', 'PR(:400)'),
            { id: 'burn_rate', expression: '((100-pr)/100)/0.01', label: 'latency burn rate over 5 min (fast burn at 14.4x)', returnData: true },
          ]),
        ],
      },
    });
  });

  test("the queries are the SLOs' fast-burn alarm's own metrics, and the threshold is that alarm's", () => {
    for (const [i, slo] of s.service.slos.entries()) {
      const alarm = s.alarm(`freight-quotes-${slo.sloName}-burn14.4x-5m`);
      const queries = template.spec.metrics[i].provider.cloudWatch.metricDataQueries.map(withoutLabel);
      expect(queries).toEqual(asAnalysisQueries(alarm.Metrics as MetricQuery[]));
      expect(template.spec.metrics[i].successCondition).toBe(`all(result[0].Values, {# < ${alarm.Threshold}})`);
    }
    expect(s.service.slos.map((slo) => slo.fastBurnAlarm.node.path)).toEqual([
      'Test/Freight/Quotes/Availability/Window14.4x5m', 'Test/Freight/Quotes/Latency/Window14.4x5m',
    ]);
  });
});

describe('argoRollouts: true applies the template through the kubectl provider (load balancer names from SSM)', () => {
  let s: KubernetesSetup;
  let manifest: AnalysisTemplateManifest[];
  beforeAll(() => {
    s = setupService((stack) => ({
      signals: KubernetesSignals.loadBalancer({
        targetGroupFullName: ssm.StringParameter.valueForStringParameter(stack, '/shop/quotes/target-group'),
        loadBalancerFullName: ssm.StringParameter.valueForStringParameter(stack, '/shop/alb'),
      }),
      argoRollouts: true,
    }), {
      cluster: ClusterKind.DEFINED_WITH_KUBECTL,
      // Added after construction: the applied manifest is rendered at synth, so it gates this SLO too.
      beforeSynth: (service) => service.addSlo('Checkout', {
        sli: Sli.ratio({
          bad: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'CheckoutErrors', statistic: 'Sum' }),
          total: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Checkouts', statistic: 'Sum' }),
        }),
        policy: BurnRatePolicy.LOW_TRAFFIC,
      }),
    });
    manifest = appliedManifest(s);
  });

  test('one KubernetesResource on cluster shop, through the cluster\'s kubectl provider, after the kubectl-ready barrier', () => {
    const resources = s.template.toJSON().Resources as Record<string, Resource & { DependsOn?: string[] }>;
    const [[id, resource]] = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource');
    expect(id).toMatch(/^FreightQuotesRolloutAnalysis/);
    expect(resource.Properties!.ClusterName).toEqual({ Ref: 'ClusterEB0386A7' });
    expect(resource.Properties!.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ClusterKubectlProvider/), 'Arn'] });
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ClusterKubectlReadyBarrier/)]));
    expect(s.service.rolloutAnalysisManifest!.node.path).toBe('Test/Freight/Quotes/RolloutAnalysis');
  });

  test('the applied manifest is the template, with the prune label and the target group names resolved from the parameters', () => {
    expect(manifest).toHaveLength(1);
    const [applied] = manifest;
    const expected = JSON.parse(renderJoin(Stack.of(s.service).resolve(Stack.of(s.service).toJsonString(s.service.rolloutAnalysis))));
    const { labels, ...metadata } = applied.metadata;
    expect(labels).toEqual({ [Object.keys(labels).find((k) => k.startsWith('aws.cdk.eks/prune-'))!]: '', 'app.kubernetes.io/managed-by': 'cdk-operable' });
    expect({ ...applied, metadata }).toEqual({ ...expected, metadata: { ...expected.metadata, labels: undefined } });
    expect(applied.spec.metrics.map((m) => m.name)).toEqual(['availability', 'latency', 'checkout']);
    const params = s.template.toJSON().Parameters as Record<string, { Default: string }>;
    const tg = Object.entries(params).find(([, p]) => p.Default === '/shop/quotes/target-group')![0];
    const dims = applied.spec.metrics[0].provider.cloudWatch.metricDataQueries[0].metricStat!.metric.dimensions;
    expect(dims).toContainEqual({ name: 'TargetGroup', value: `\${${tg}}` });
  });

  test('each metric reads exactly what the fast-burn alarm of its SLO reads (latency in seconds)', () => {
    for (const [i, slo] of ['availability', 'latency'].entries()) {
      const alarm = s.alarm(`freight-quotes-${slo}-burn14.4x-5m`);
      const queries = manifest[0].spec.metrics[i].provider.cloudWatch.metricDataQueries.map(withoutLabel);
      expect(queries).toEqual(asAnalysisQueries(alarm.Metrics as MetricQuery[]));
    }
    const latency = manifest[0].spec.metrics[1].provider.cloudWatch.metricDataQueries[0];
    expect(latency.metricStat).toMatchObject({ metric: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime' }, stat: 'PR(:1)' });
  });

  test('an SLO with another policy is measured over its own fast-burn short window (LOW_TRAFFIC: 15 minutes)', () => {
    expect(manifest[0].spec.metrics[2]).toMatchObject({
      name: 'checkout',
      interval: '1m',
      count: 15,
      failureLimit: 1,
      successCondition: 'all(result[0].Values, {# < 14.4})',
      provider: { cloudWatch: { interval: '15m' } },
    });
    expect(manifest[0].spec.metrics[2].provider.cloudWatch.metricDataQueries.map((q: AnalysisQuery) => q.metricStat?.period ?? q.expression))
      .toEqual([900, 900, '(FILL(bad,0)/total)/0.001']);
  });

  test('no rollout-analysis warning', () => {
    expect(s.warningsAt(SERVICE_PATH).filter((w) => w.includes('kubernetes-no-rollout-analysis'))).toEqual([]);
  });
});

describe('argoRollouts on other clusters', () => {
  const build = (kind: ClusterKind, argoRollouts?: boolean) => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const cluster = makeCluster(stack, kind);
    const service = new OperableKubernetesService(workload, 'Quotes', {
      cluster, kubernetesNamespace: 'shop', signals: KubernetesSignals.applicationSignals(), argoRollouts, containerInsights: false,
    });
    return { stack, service };
  };

  test('an imported cluster with its kubectl provider: the manifest goes to that provider', () => {
    const { stack } = build(ClusterKind.IMPORTED_WITH_KUBECTL, true);
    const resources = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>);
    const manifest = resources.find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')!;
    expect(manifest.Properties!.ServiceToken).toBe(KUBECTL_SERVICE_TOKEN);
    expect(manifest.Properties!.ClusterName).toBe('shop');
  });

  test('a cluster without a kubectl provider: a precise error', () => {
    const message = (path: string) => `[Test/Freight/Quotes] argoRollouts is true, but cluster ${path} has no kubectl provider to apply the ` +
      "AnalysisTemplate with: create it with kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'Kubectl') }, or import it with " +
      'kubectlProvider (eks.KubectlProvider.fromKubectlProviderAttributes); or set argoRollouts: false and apply rolloutAnalysis with your own tooling.';
    expect(() => build(ClusterKind.DEFINED, true)).toThrow(message('Test/Cluster'));
    expect(() => build(ClusterKind.IMPORTED, true)).toThrow(message('Test/Cluster'));
  });

  test('argoRollouts: false warns, saying the template is still available as a property', () => {
    const { stack } = build(ClusterKind.IMPORTED_WITH_KUBECTL, false);
    expect(warningsAt(stack, SERVICE_PATH)).toEqual(["argoRollouts is false: the Argo Rollouts AnalysisTemplate 'quotes-slo-burn' is not " +
      "applied, so canary steps are not gated by the SLOs' fast burn (OPS06-BP04). Set argoRollouts: true to apply it through the cluster's " +
      'kubectl provider, or apply the rolloutAnalysis property with your own tooling (GitOps) and acknowledge this warning. ' +
      '[ack: cdk-operable:kubernetes-no-rollout-analysis]']);
  });
});

describe('metricDataQueries (the GetMetricData renderer)', () => {
  const stack = () => testStack().stack;
  const m = (metricName: string, extra: Partial<cloudwatch.MetricProps> = {}) =>
    new cloudwatch.Metric({ namespace: 'Shop', metricName, statistic: 'Sum', ...extra });

  test('nested math expressions are flattened, the outer period applies to every metric, units are kept', () => {
    const s = stack();
    const inner = new cloudwatch.MathExpression({ expression: 'a + b', usingMetrics: { a: m('A'), b: m('B', { unit: cloudwatch.Unit.COUNT }) } });
    const outer = new cloudwatch.MathExpression({ expression: 'errors / total', usingMetrics: { errors: inner, total: m('Total') }, period: Duration.minutes(10) });
    expect(s.resolve(metricDataQueries(s, 'test', outer, 'result', 'Error rate'))).toEqual([
      { id: 'a', metricStat: { metric: { namespace: 'Shop', metricName: 'A' }, period: 600, stat: 'Sum' }, returnData: false },
      { id: 'b', metricStat: { metric: { namespace: 'Shop', metricName: 'B' }, period: 600, stat: 'Sum', unit: 'Count' }, returnData: false },
      { id: 'errors', expression: 'a + b', returnData: false },
      { id: 'total', metricStat: { metric: { namespace: 'Shop', metricName: 'Total' }, period: 600, stat: 'Sum' }, returnData: false },
      { id: 'result', expression: 'errors / total', label: 'Error rate', returnData: true },
    ]);
  });

  test('a plain metric is one query returning data, with its own period', () => {
    const s = stack();
    expect(s.resolve(metricDataQueries(s, 'test', m('Requests', { dimensionsMap: { Service: 'quotes' } }), 'requests'))).toEqual([
      { id: 'requests', metricStat: { metric: { namespace: 'Shop', metricName: 'Requests', dimensions: [{ name: 'Service', value: 'quotes' }] }, period: 300, stat: 'Sum' }, returnData: true },
    ]);
  });

  test('two different metrics under one id, or a metric of another account or region, are errors', () => {
    const s = stack();
    // aws-cdk-lib refuses this in a MathExpression; any other IMetric implementation may still produce it.
    const twice = (n: number, metricName: string) => new cloudwatch.MathExpression({ expression: `a * ${n}`, usingMetrics: { a: m(metricName) } });
    const clash = {
      toMetricConfig: () => ({ mathExpression: { expression: 'x + y', period: 300, usingMetrics: { x: twice(2, 'A'), y: twice(3, 'Other') } } }),
    } as unknown as cloudwatch.IMetric;
    expect(() => metricDataQueries(s, 'rolloutAnalysis of SLO \'x\'', clash, 'r')).toThrow("[Test] rolloutAnalysis of SLO 'x': two different " +
      "metrics use the query id 'a'; GetMetricData needs ids unique within a query. Rename one of them in its math expression.");
    expect(() => metricDataQueries(s, 'test', m('A', { account: '210987654321' }), 'r')).toThrow("[Test] test: metric 'r' is read from account " +
      "210987654321, but the Argo Rollouts CloudWatch provider queries only the controller's own account and region. Use metrics of the service's " +
      'own account and region, or set argoRollouts: false and gate the canary another way.');
    expect(() => metricDataQueries(s, 'test', m('A', { region: 'eu-west-1' }), 'r')).toThrow("metric 'r' is read from region eu-west-1");
    expect(s.resolve(metricDataQueries(s, 'test', m('A', { account: '123456789012', region: 'us-east-1' }), 'r'))).toHaveLength(1);
  });
});
