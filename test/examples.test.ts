import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildContainerSquadApp } from '../examples/container-squad/app';
import { buildFreightSlosApp } from '../examples/freight-slos/app';
import { buildServerlessSquadApp } from '../examples/serverless-squad/app';
import { AlarmDescription, OperationalExcellenceChecks, ReadinessReview } from '../src';

/**
 * The example app synthesizes cleanly with aws-cdk-lib's built-in CloudFormation validation ON (as `cdk synth`
 * and `npm run demo` run it), and its template is pinned: the one whole-template snapshot we keep.
 */
describe('examples/freight-slos', () => {
  const previous = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previous; });

  test('synthesizes with no warnings or errors, including CloudFormation validation', () => {
    const app = new App({ builtinCloudFormationValidation: true });
    const stack = buildFreightSlosApp(app);
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${m.entry.data}`)).toEqual([]);
    expect(stack.slos.map((s) => s.estimatedMonthlyCostUsd)).toEqual([2.2, 1.9]); // short latency windows read the percentile rank only
    expect(artifact.template).toMatchSnapshot();
  });
});

describe('examples/serverless-squad', () => {
  const previous = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previous; });

  test('synthesizes with no warnings or errors, including CloudFormation validation', () => {
    const app = new App({ builtinCloudFormationValidation: true });
    const stack = buildServerlessSquadApp(app);
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${m.entry.data}`)).toEqual([]);
    expect(stack.services.map((s) => [s.serviceName, s.slos.map((slo) => slo.sloName)])).toEqual([
      ['quote-api', ['availability', 'latency', 'canary']],
      ['quotes', ['availability', 'latency']],
      ['price-updates', ['availability', 'latency']],
    ]);
    expect(artifact.template).toMatchSnapshot();
  });

  test('every alarm follows the description contract and carries ops:runbook and the ORR tags', () => {
    const stack = buildServerlessSquadApp(new App());
    const template = Template.fromStack(stack);
    const alarms = [
      ...Object.entries(template.findResources('AWS::CloudWatch::Alarm')),
      ...Object.entries(template.findResources('AWS::CloudWatch::CompositeAlarm')),
    ];
    expect(alarms.length).toBeGreaterThan(40);
    for (const [id, alarm] of alarms) {
      const description = stack.resolve(alarm.Properties.AlarmDescription);
      const text = typeof description === 'string' ? description : (description as { 'Fn::Sub': string })['Fn::Sub'];
      const parsed = AlarmDescription.parse(text);
      expect([id, parsed?.owner, parsed?.runbook !== undefined, parsed?.dashboard !== undefined]).toEqual([id, 'pricing', true, true]);
      const keys = (alarm.Properties.Tags as Array<{ Key: string }>).map((t) => t.Key);
      // The workload rollup composite belongs to the workload, not to one service.
      const orr = ['ops:workload', 'ops:owner', 'ops:oncall', 'ops:tier', 'ops:runbook', ...(alarm.Properties.AlarmName === 'freight-page' ? [] : ['ops:service'])];
      expect([id, keys]).toEqual([id, expect.arrayContaining(orr)]);
    }
  });
});

describe('examples/container-squad', () => {
  const previous = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previous; });

  test('synthesizes with no warnings or errors and no rule-pack finding, a Fargate service and an EKS service', () => {
    const app = new App({ builtinCloudFormationValidation: true });
    const stack = buildContainerSquadApp(app);
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${m.entry.data}`)).toEqual([]);
    expect(new OperationalExcellenceChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
    expect(stack.services.map((s) => [s.serviceName, s.constructor.name, s.slos.map((slo) => slo.sloName)])).toEqual([
      ['dispatch', 'OperableFargateService', ['availability', 'latency', 'canary']],
      ['tracking', 'OperableKubernetesService', ['availability', 'latency']],
    ]);
    expect(stack.runbooks.map((r) => r.documentName)).toEqual([
      'logistics-dispatch-rollback-runbook', 'logistics-dispatch-restart-runbook', 'logistics-dispatch-scale-runbook', 'logistics-scale-workers',
      'logistics-dispatch-game-day',
    ]);
    expect(artifact.template).toMatchSnapshot();
  });

  test('its readiness review, replayed from the assembly (synthesized without path metadata): every scope Silver, no risk', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'container-squad-'));
    try {
      const app = new App({ outdir });
      buildContainerSquadApp(app);
      app.synth();
      // The EKS kubectl provider's function and its ready barrier are CDK's own resources, told by their construct paths,
      // which the replay reads from the manifest: the same answer as the rule pack gave at synth.
      const review = ReadinessReview.fromAssembly(outdir, { attestationsFile: join(__dirname, '..', 'examples', 'container-squad', 'ops-attestations.json') });
      const scopes = [...review.report.workloads, ...review.report.services]
        .map((s) => [s.name, s.maturity, s.highRiskIssues.length, s.mediumRiskIssues.length]);
      expect(scopes).toEqual([['logistics', 'Silver', 0, 0], ['dispatch', 'Silver', 0, 0], ['tracking', 'Silver', 0, 0]]);
      expect(review.report.unowned).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
