import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { documents, ROOT, runSnippet, Snippet, snippetName, snippetsOf, typeCheck } from './snippets';
import { CloudWatchPricing, OperableFunction, OperationalExcellenceChecks, ServiceLevelObjective } from '../../src';

/**
 * Every ```ts block of README.md and docs/*.md runs as written, with the rule pack registered, and produces no ERROR
 * finding (issue #10 §6). A block that cannot run says why in a `<!-- snippet: not-run (reason) -->` comment right
 * above it. Each snippet is self-contained: its own imports and `const app = new App()`; the harness takes that `app`,
 * synthesizes it once and runs `OperationalExcellenceChecks().validateScope(app)` on it.
 */
const snippets: Snippet[] = documents().flatMap(snippetsOf);
const runnable = snippets.filter((s) => s.notRun === undefined);
const apps = new Map<Snippet, App>();

/** The app a snippet builds (run once, shared by the checks below). */
function appOf(snippet: Snippet): App {
  if (!apps.has(snippet)) apps.set(snippet, runSnippet(snippet));
  return apps.get(snippet)!;
}

function firstStack(app: App): Stack {
  return app.node.findAll().find((c): c is Stack => Stack.isStack(c))!;
}

describe('documentation snippets', () => {
  test('every document has runnable snippets; blocks that do not run are rare and say why', () => {
    const withSnippets = new Set(runnable.map((s) => s.file));
    // docs/benchmark.md and docs/warnings.md are tables; every other page shows code that runs.
    expect(documents().filter((d) => !withSnippets.has(d))).toEqual(['docs/benchmark.md', 'docs/warnings.md']);
    const notRun = snippets.filter((s) => s.notRun !== undefined);
    expect(notRun.map((s) => [snippetName(s), s.notRun!.length > 10])).toEqual(notRun.map((s) => [snippetName(s), true]));
    expect(notRun.length).toBeLessThanOrEqual(2);
  });

  test('every snippet compiles as a TypeScript user would compile it (strict, cdk-operable mapped to src/)', () => {
    expect(Object.fromEntries(typeCheck(runnable))).toEqual({});
  });

  describe.each(runnable.map((s) => [snippetName(s), s] as const))('%s', (_name, snippet) => {
    test('synthesizes with no error annotation, and the rule pack finds no ERROR', () => {
      const app = appOf(snippet);
      // The validation plugin prints its WARN findings on every synth; a failing synth throws with the whole report.
      const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const assembly = (() => {
        try { return app.synth(); } finally { quiet.mockRestore(); }
      })();
      const errors = assembly.stacks.flatMap((st) => st.messages.filter((m) => m.level === 'error').map((m) => `${m.id}: ${m.entry.data}`));
      expect(errors).toEqual([]);
      const report = new OperationalExcellenceChecks().validateScope(app);
      const findings = report.violations.filter((v) => v.severity === 'error').map((v) => ({
        rule: v.ruleName,
        resources: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId),
        description: v.description,
        fix: v.fix,
      }));
      expect(findings).toEqual([]);
    });
  });
});

/** The README's claims about its quick start, proven on the app the snippet builds. */
describe('README quick start', () => {
  const quickStart = runnable.find((s) => s.file === 'README.md' && s.heading === 'Quick start')!;
  let app: App;
  let stack: Stack;
  let template: Template;
  beforeAll(() => {
    app = appOf(quickStart);
    stack = firstStack(app);
    template = Template.fromJSON(app.synth().getStackArtifact(stack.artifactId).template);
  });

  test('builds an OperableFunction inside a Workload', () => {
    expect(quickStart.code).toContain('new OperableFunction(workload,');
    expect(app.node.findAll().filter(OperableFunction.isOperableFunction)).toHaveLength(1);
  });

  test('creates what "What you get" lists: 32 resources', () => {
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(32);
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'quotes' }) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' });
    // Two SLOs of six window alarms each, and the saturation alarm; the service's page and ticket composites and the
    // workload rollup's page composite; the service dashboard and the workload overview.
    const fn = app.node.findAll().find(OperableFunction.isOperableFunction)!;
    expect([fn.availability?.objective, fn.latency?.objective]).toEqual([99.95, 99]);
    expect(JSON.stringify(template.toJSON())).toContain('PR(:500)'); // 99 % under 500 ms
    expect(app.node.findAll().filter((c) => c instanceof ServiceLevelObjective)).toHaveLength(2);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 13);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 3);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    const actions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmActions);
    expect(actions.every((a) => a === undefined)).toBe(true); // window alarms carry no actions: only the composites notify
  });

  test('costs what the README states: US$ 6.40 for the function, US$ 9.90 with the rollup', () => {
    const fn = app.node.findAll().find(OperableFunction.isOperableFunction)!;
    expect(CloudWatchPricing.estimateMonthlyUsd(fn)).toBeCloseTo(6.4, 6);
    expect(CloudWatchPricing.estimateMonthlyUsd(stack)).toBeCloseTo(9.9, 6);
  });

  test('tags every resource with the ORR tags the README lists, every alarm with its runbook', () => {
    const ownership = [
      { Key: 'ops:workload', Value: 'freight' },
      { Key: 'ops:owner', Value: 'pricing' },
      { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
      { Key: 'ops:tier', Value: 'critical' },
    ];
    const service = { Key: 'ops:service', Value: 'quotes' };
    const runbook = { Key: 'ops:runbook', Value: 'https://runbooks.example.com/freight/quotes' };
    for (const type of ['AWS::Lambda::Function', 'AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::SNS::Topic', 'AWS::CloudWatch::Dashboard']) {
      for (const resource of Object.values(template.findResources(type))) expect(resource.Properties.Tags).toEqual(expect.arrayContaining(ownership));
    }
    template.hasResourceProperties('AWS::Lambda::Function', { Tags: Match.arrayWith([service]) });
    for (const [id, alarm] of Object.entries({
      ...template.findResources('AWS::CloudWatch::Alarm'),
      ...template.findResources('AWS::CloudWatch::CompositeAlarm'),
    })) {
      // The workload rollup composite belongs to the workload, not to one service.
      const expected = id.startsWith('FreightRollup') ? ownership : [...ownership, service, runbook];
      expect([id, alarm.Properties.Tags]).toEqual([id, expect.arrayContaining(expected)]);
    }
  });

  test('synthesizes with no warning and no ERROR finding; the three WARN findings are those the README names', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    const violations = new OperationalExcellenceChecks().validateScope(app).violations;
    expect(violations.map((v) => [v.ruleName, v.severity, v.violatingResources.map((r) => r.constructPath)])).toEqual([
      ['OPS-AlarmPlaybook', 'warning', ['Quotes/Freight/Quotes/Page/Resource']],
      ['OPS-OperationsMetrics[NotCaptured]', 'warning', ['Quotes/Freight/Quotes/Deployment/Resource']],
      ['OPS-OperationsDashboard', 'warning', ['Quotes/Freight/Quotes/Deployment/Resource']],
    ]);
  });
});

/** The claims docs/slo.md makes about its first snippet (the standalone SLO). */
describe('docs/slo.md standalone SLO', () => {
  const snippet = runnable.find((s) => s.file === 'docs/slo.md' && s.heading === 'Service level objectives')!;

  test('creates six window alarms and two composites, US$ 2.20 a month, tagged as the page says', () => {
    const app = appOf(snippet);
    const stack = firstStack(app);
    const template = Template.fromJSON(app.synth().getStackArtifact(stack.artifactId).template);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    const slo = app.node.findAll().find((c): c is ServiceLevelObjective => c instanceof ServiceLevelObjective)!;
    expect(slo.estimatedMonthlyCostUsd).toBeCloseTo(2.2, 6);
    const tags = [
      { Key: 'ops:workload', Value: 'freight' },
      { Key: 'ops:owner', Value: 'pricing' },
      { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
      { Key: 'ops:tier', Value: 'critical' },
      { Key: 'ops:service', Value: 'quotes' },
      { Key: 'ops:runbook', Value: 'https://runbooks.example.com/freight/quotes/quote-success' },
    ];
    const alarms = { ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') };
    for (const [id, alarm] of Object.entries(alarms)) expect([id, alarm.Properties.Tags]).toEqual([id, expect.arrayContaining(tags)]);
  });
});

/** The README is the front door; docs/ holds the depth. */
describe('README and docs/', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('the README stays at most 250 lines and maps every docs page', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    for (const page of documents().filter((d) => d.startsWith('docs/'))) expect([page, readme.includes(`](${page})`)]).toEqual([page, true]);
  });

  test('every relative link in README.md, CONTRIBUTING.md and docs/ points to a file and heading that exist', () => {
    const broken: string[] = [];
    for (const file of [...documents(), 'CONTRIBUTING.md']) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [rel, anchor] = target.split('#');
        const resolved = rel === '' ? path.join(ROOT, file) : path.join(ROOT, path.dirname(file), rel);
        if (!fs.existsSync(resolved)) {
          broken.push(`${file}: ${target} (no such file)`);
        } else if (anchor !== undefined && !headingSlugs(fs.readFileSync(resolved, 'utf8')).includes(anchor)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

/** GitHub's anchors for the headings of a Markdown document. */
function headingSlugs(markdown: string): string[] {
  return markdown.replace(/```[\s\S]*?```/g, '').split('\n').filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
}
