import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, PolicyValidationPluginReport, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { OperationalExcellenceChecks, OperationalExcellenceChecksProps, OpsBestPractices, OpsRisk } from '../../src/nag';
import { defineRule } from '../../src/nag/rule';

const RULE_IDS = [
  'OPS-OwnershipTags',
  'OPS-ProcedureOwner',
  'OPS-AlarmOwner',
  'OPS-AlarmAction',
  'OPS-AlarmRunbook',
  'OPS-AlarmPlaybook',
  'OPS-AlarmCoverage',
  'OPS-DatabaseAlarms',
  'OPS-CriticalPaging',
  'OPS-ServiceLevelObjective',
  'OPS-TargetGroupSlo',
  'OPS-Tracing',
  'OPS-LogRetention',
  'OPS-StructuredLogs',
  'OPS-ServiceDashboard',
  'OPS-ApiCanary',
  'OPS-LoadBalancerCanary',
  'OPS-ContainerInsights',
  'OPS-EksControlPlaneLogging',
  'OPS-EksObservability',
  'OPS-DatabaseMonitoring',
  'OPS-SafeDeployment',
  'OPS-GradualRollout',
  'OPS-RollbackPlan',
  'OPS-FlagMonitors',
  'OPS-ConfigurationValidation',
  'OPS-DeadLetterQueue',
  'OPS-AsyncFailureDestination',
  'OPS-EventDeadLetter',
  'OPS-RunbookRole',
  'OPS-RunbookApproval',
  'OPS-AutomatedResponse',
  'OPS-EscalationPath',
  'OPS-GameDayGuardrails',
  'OPS-OperationsMetrics',
  'OPS-OperationsDashboard',
  'OPS-OperationsReview',
];

/** Where each rule lives and how it reports by default (ERROR fails synth). The rules added for issue 11 are all WARN. */
const AREA_AND_LEVEL: Record<string, [string, NagMessageLevel]> = {
  'OPS-OwnershipTags': ['organization', NagMessageLevel.ERROR],
  'OPS-ProcedureOwner': ['organization', NagMessageLevel.WARN],
  'OPS-AlarmOwner': ['organization', NagMessageLevel.WARN],
  'OPS-AlarmAction': ['alarms', NagMessageLevel.ERROR],
  'OPS-AlarmRunbook': ['alarms', NagMessageLevel.ERROR],
  'OPS-AlarmPlaybook': ['alarms', NagMessageLevel.WARN],
  'OPS-AlarmCoverage': ['alarms', NagMessageLevel.ERROR],
  'OPS-DatabaseAlarms': ['alarms', NagMessageLevel.WARN],
  'OPS-CriticalPaging': ['alarms', NagMessageLevel.ERROR],
  'OPS-ServiceLevelObjective': ['observability', NagMessageLevel.ERROR],
  'OPS-TargetGroupSlo': ['observability', NagMessageLevel.WARN],
  'OPS-Tracing': ['observability', NagMessageLevel.WARN],
  'OPS-LogRetention': ['observability', NagMessageLevel.ERROR],
  'OPS-StructuredLogs': ['observability', NagMessageLevel.WARN],
  'OPS-ServiceDashboard': ['observability', NagMessageLevel.WARN],
  'OPS-ApiCanary': ['observability', NagMessageLevel.WARN],
  'OPS-LoadBalancerCanary': ['observability', NagMessageLevel.WARN],
  'OPS-ContainerInsights': ['observability', NagMessageLevel.WARN],
  'OPS-EksControlPlaneLogging': ['observability', NagMessageLevel.WARN],
  'OPS-EksObservability': ['observability', NagMessageLevel.WARN],
  'OPS-DatabaseMonitoring': ['observability', NagMessageLevel.WARN],
  'OPS-SafeDeployment': ['deployment', NagMessageLevel.WARN],
  'OPS-GradualRollout': ['deployment', NagMessageLevel.WARN],
  'OPS-RollbackPlan': ['deployment', NagMessageLevel.WARN],
  'OPS-FlagMonitors': ['deployment', NagMessageLevel.ERROR],
  'OPS-ConfigurationValidation': ['deployment', NagMessageLevel.WARN],
  'OPS-DeadLetterQueue': ['resilience', NagMessageLevel.WARN],
  'OPS-AsyncFailureDestination': ['resilience', NagMessageLevel.WARN],
  'OPS-EventDeadLetter': ['resilience', NagMessageLevel.WARN],
  'OPS-RunbookRole': ['runbooks', NagMessageLevel.ERROR],
  'OPS-RunbookApproval': ['runbooks', NagMessageLevel.ERROR],
  'OPS-AutomatedResponse': ['runbooks', NagMessageLevel.WARN],
  'OPS-EscalationPath': ['incidents', NagMessageLevel.WARN],
  'OPS-GameDayGuardrails': ['gamedays', NagMessageLevel.WARN],
  'OPS-OperationsMetrics': ['operations', NagMessageLevel.WARN],
  'OPS-OperationsDashboard': ['operations', NagMessageLevel.WARN],
  'OPS-OperationsReview': ['operations', NagMessageLevel.WARN],
};

const CONTAINER_INSIGHTS = 'The ECS cluster does not have CloudWatch Container Insights enabled.';
const TRACING = 'X-Ray tracing is off for this function, REST API stage or state machine.';
const THREW = 'Rule threw an error during validation. This is generally caused by a parameter referencing an intrinsic function.';

/** An app (writing to a fresh temporary directory) with stack 'Test' whose resources carry the three ownership tags. */
function ownedApp(): { app: App; stack: Stack; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-pack-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Test');
  Tags.of(app).add('ops:owner', 'pricing');
  Tags.of(app).add('ops:oncall', 'pricing-oncall@example.com');
  Tags.of(app).add('ops:tier', 'standard');
  return { app, stack, outdir };
}

/** An ECS cluster without Container Insights: one OPS-ContainerInsights warning, nothing else. */
const cluster = (stack: Stack) => new ecs.CfnCluster(stack, 'Cluster', {});
/** A state machine without tracing: one OPS-Tracing warning, nothing else. */
const machine = (stack: Stack, props: Partial<sfn.CfnStateMachineProps> = {}) => new sfn.CfnStateMachine(stack, 'Machine', {
  roleArn: 'arn:aws:iam::123456789012:role/machine',
  definitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}',
  ...props,
});
/** A log group without retention: one OPS-LogRetention error, nothing else. */
const logGroup = (stack: Stack) => new logs.CfnLogGroup(stack, 'Logs', {});

function validate(app: App, props: OperationalExcellenceChecksProps = {}): PolicyValidationPluginReport {
  app.synth();
  return new OperationalExcellenceChecks(undefined, props).validateScope(app);
}

/** Each violation as [ruleName, severity, construct paths]. */
const summary = (report: PolicyValidationPluginReport) =>
  report.violations.map((v) => [v.ruleName, v.severity, v.violatingResources.map((r) => r.constructPath)]);

describe('the rules of the pack', () => {
  test('the exact, ordered list of rule ids', () => {
    expect(OperationalExcellenceChecks.RULES.map((r) => r.id)).toEqual(RULE_IDS);
    expect(new OperationalExcellenceChecks().ruleIds).toEqual(RULE_IDS);
    expect([OperationalExcellenceChecks.PLUGIN_NAME, OperationalExcellenceChecks.RULE_PREFIX, new OperationalExcellenceChecks().name])
      .toEqual(['OpsExcellence', 'OPS', 'OpsExcellence']);
  });

  test.each(RULE_IDS)('%s: area, default level, best practices, risk, texts and acknowledgement id', (id) => {
    const rule = OperationalExcellenceChecks.RULES.find((r) => r.id === id)!;
    expect([rule.area, rule.level]).toEqual(AREA_AND_LEVEL[id]);
    expect(rule.bestPractices.length).toBeGreaterThan(0);
    const practices = rule.bestPractices.map((bp) => OpsBestPractices.of(bp));
    expect(practices.map((p) => p.id)).toEqual(rule.bestPractices);
    const order = [OpsRisk.HIGH, OpsRisk.MEDIUM, OpsRisk.LOW];
    expect(rule.risk).toBe(order.find((r) => practices.some((p) => p.risk === r)));
    for (const text of [rule.info, rule.explanation, rule.fix]) {
      expect(text.trim().length).toBeGreaterThan(20);
    }
    // The explanation cites the best practices it maps to.
    expect(rule.bestPractices.filter((bp) => !rule.explanation.includes(bp))).toEqual([]);
    expect(rule.acknowledgeId).toBe(`OpsExcellence::${id}`);
  });
});

describe('the best-practice catalogue', () => {
  test('68 best practices (30 HIGH, 31 MEDIUM, 7 LOW) over 11 questions', () => {
    const count = (risk: OpsRisk) => OpsBestPractices.ALL.filter((p) => p.risk === risk).length;
    expect(OpsBestPractices.ALL).toHaveLength(68);
    expect([count(OpsRisk.HIGH), count(OpsRisk.MEDIUM), count(OpsRisk.LOW)]).toEqual([30, 31, 7]);
    expect(OpsBestPractices.QUESTIONS.map((q) => q.id)).toEqual(
      ['OPS01', 'OPS02', 'OPS03', 'OPS04', 'OPS05', 'OPS06', 'OPS07', 'OPS08', 'OPS09', 'OPS10', 'OPS11']);
    expect(new Set(OpsBestPractices.ALL.map((p) => p.id)).size).toBe(68);
    expect(OpsBestPractices.ALL.filter((p) => !OpsBestPractices.QUESTIONS.some((q) => q.id === p.questionId))).toEqual([]);
  });

  test('an unknown best practice throws a clear message', () => {
    expect(() => OpsBestPractices.of('OPS99-BP01')).toThrow(
      "OpsBestPractices: 'OPS99-BP01' is not an Operational Excellence best practice of framework 2024-06-27; " +
      'use an id such as OPS08-BP04 (see OpsBestPractices.ALL).');
  });
});

describe('validateScope: severities, levels and what violations carry', () => {
  test('WARN-only findings do not fail', () => {
    const { app, stack } = ownedApp();
    cluster(stack);
    const report = validate(app);
    expect(summary(report)).toEqual([['OPS-ContainerInsights', 'warning', ['Test/Cluster']]]);
    expect(report.success).toBe(true);
  });

  test('an ERROR finding fails', () => {
    const { app, stack } = ownedApp();
    cluster(stack);
    logGroup(stack);
    const report = validate(app);
    expect(summary(report)).toEqual([
      ['OPS-ContainerInsights', 'warning', ['Test/Cluster']],
      ['OPS-LogRetention', 'error', ['Test/Logs']],
    ]);
    expect(report.success).toBe(false);
  });

  test('levels raise a rule to ERROR (fails) or lower it to INFO (severity info)', () => {
    const { app, stack } = ownedApp();
    machine(stack);
    expect(summary(validate(app))).toEqual([['OPS-Tracing', 'warning', ['Test/Machine']]]);
    const raised = validate(app, { levels: { 'OPS-Tracing': NagMessageLevel.ERROR } });
    expect([summary(raised), raised.success]).toEqual([[['OPS-Tracing', 'error', ['Test/Machine']]], false]);
    const lowered = validate(app, { levels: { 'OPS-Tracing': NagMessageLevel.INFO } });
    expect([summary(lowered), lowered.success]).toEqual([[['OPS-Tracing', 'info', ['Test/Machine']]], true]);
    expect(lowered.violations[0].ruleMetadata).toEqual({ bestPractices: 'OPS04-BP05', risk: 'HIGH', level: 'Info' });
  });

  test('a rule extended to components reports them at WARN (levelNote says so); levels still set every finding of the rule', () => {
    expect(OperationalExcellenceChecks.RULES.filter((r) => r.levelNote !== undefined).map((r) => [r.id, r.level, r.levelNote])).toEqual([
      ['OPS-AlarmRunbook', NagMessageLevel.ERROR, 'WARN on components'],
      ['OPS-CriticalPaging', NagMessageLevel.ERROR, 'WARN on components'],
    ]);
    const { app, stack } = ownedApp();
    new sqs.Queue(stack, 'Queue');
    const runbook = (report: PolicyValidationPluginReport) => summary(report).filter(([id]) => String(id).startsWith('OPS-AlarmRunbook'));
    const byDefault = validate(app);
    expect(runbook(byDefault)).toEqual([['OPS-AlarmRunbook[NoRunbookAlarm]', 'warning', ['Test/Queue/Resource']]]);
    expect(byDefault.violations.find((v) => v.ruleName === 'OPS-AlarmRunbook[NoRunbookAlarm]')!.ruleMetadata)
      .toEqual({ bestPractices: 'OPS07-BP03,OPS10-BP02', risk: 'HIGH', level: NagMessageLevel.WARN });
    expect(runbook(validate(app, { levels: { 'OPS-AlarmRunbook': NagMessageLevel.ERROR } })))
      .toEqual([['OPS-AlarmRunbook[NoRunbookAlarm]', 'error', ['Test/Queue/Resource']]]);
  });

  test('a rule declaring a level by resource must document it (levelOn and levelNote come together)', () => {
    const spec = { name: 'Example', area: 'alarms', bestPractices: ['OPS08-BP04'], level: NagMessageLevel.ERROR, info: 'i', explanation: 'e', fix: 'f' };
    expect(() => defineRule({ ...spec, levelOn: () => NagMessageLevel.WARN }, () => NagRuleCompliance.COMPLIANT))
      .toThrow('rule Example: give levelOn and levelNote together (the note documents what levelOn does).');
    expect(defineRule({ ...spec, levelOn: () => NagMessageLevel.WARN, levelNote: 'WARN on queues' }, () => NagRuleCompliance.COMPLIANT).rule.levelNote)
      .toBe('WARN on queues');
  });

  test('a level for an id that is not a rule of the pack throws naming it', () => {
    expect(() => new OperationalExcellenceChecks(undefined, { levels: { 'OPS-Tracng': NagMessageLevel.ERROR } }))
      .toThrow(`OperationalExcellenceChecks levels: 'OPS-Tracng' is not a rule of the pack; use one of ${RULE_IDS.join(', ')}.`);
  });

  test('violations carry the description, the fix and rule metadata (best practices, risk, level)', () => {
    const { app, stack } = ownedApp();
    cluster(stack);
    const rule = OperationalExcellenceChecks.RULES.find((r) => r.id === 'OPS-ContainerInsights')!;
    expect(validate(app).violations).toEqual([{
      ruleName: 'OPS-ContainerInsights',
      description: CONTAINER_INSIGHTS,
      severity: 'warning',
      fix: rule.fix,
      ruleMetadata: { bestPractices: 'OPS04-BP02,OPS08-BP01', risk: 'HIGH', level: 'Warning' },
      violatingResources: [{ constructPath: 'Test/Cluster', locations: ['Properties'] }],
    }]);
    expect(validate(app, { verbose: true }).violations[0].description).toBe(`${CONTAINER_INSIGHTS} ${rule.explanation}`);
  });

  test('granular findings are reported one violation per finding, with the metadata of their rule', () => {
    const { app, stack } = ownedApp();
    const retained = new logs.CfnLogGroup(stack, 'Retained', { retentionInDays: 7 });
    Tags.of(retained).remove('ops:tier');
    Tags.of(retained).add('ops:oncall', ' ');
    const report = validate(app);
    expect(summary(report)).toEqual([
      ['OPS-OwnershipTags[ops:oncall]', 'error', ['Test/Retained']],
      ['OPS-OwnershipTags[ops:tier]', 'error', ['Test/Retained']],
    ]);
    expect(report.violations.map((v) => v.ruleMetadata)).toEqual([
      { bestPractices: 'OPS02-BP01', risk: 'HIGH', level: 'Error' },
      { bestPractices: 'OPS02-BP01', risk: 'HIGH', level: 'Error' },
    ]);
  });

  test('a rule that throws (a token that cannot be resolved) is reported as a violation of that rule, not a crash', () => {
    const { app, stack } = ownedApp();
    new sqs.CfnQueue(stack, 'Queue', { queueName: Lazy.string({ produce: () => { throw new Error('queue name not decided yet'); } }) });
    // No synth: it would fail on the same token. The pack resolves the queue itself, and survives.
    const pack = new OperationalExcellenceChecks(undefined, { verbose: true });
    const verbose = pack.validateScope(app).violations.find((v) => v.ruleName === 'OPS-DeadLetterQueue');
    expect(verbose).toEqual(expect.objectContaining({
      description: expect.stringMatching(/^Rule threw an error during validation\. .*queue name not decided yet/),
      severity: 'warning',
      violatingResources: [{ constructPath: 'Test/Queue', locations: ['Properties'] }],
    }));
    expect(pack._evaluations().filter((e) => e.rule.id === 'OPS-DeadLetterQueue').map((e) => [e.node.node.path, e.result, e.error]))
      .toEqual([['Test/Queue', 'ERROR', expect.stringContaining('queue name not decided yet')]]);
    const terse = new OperationalExcellenceChecks().validateScope(app).violations.find((v) => v.ruleName === 'OPS-DeadLetterQueue');
    expect(terse?.description).toBe(THREW);
  });
});

describe('acknowledgements through CDK (Validations.of(...).acknowledge) and the validation report', () => {
  type Entry = Record<string, unknown>;
  type Report = { pluginReports: Array<{ pluginName: string; conclusion: string; violations: Entry[]; suppressedViolations?: Entry[] }> };

  /** Register the pack on the app, synthesize, and read `<outdir>/validation-report.json` (console output muted and returned). */
  function synthWithPack(app: App, outdir: string): { report: Report; printed: string } {
    Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
      return {
        report: JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as Report,
        printed: error.mock.calls.map((c) => c.join(' ')).join('\n'),
      };
    } finally {
      error.mockRestore();
    }
  }
  const construct = (constructPath: string, fqn: string) => expect.objectContaining({ constructPath, constructFqn: fqn, libraryVersion: '2.276.0' });
  const acknowledge = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });

  test('an acknowledged WARN is a suppressed violation with its reason; the other warnings stay violations', () => {
    const { app, stack, outdir } = ownedApp();
    cluster(stack);
    acknowledge(machine(stack), 'OpsExcellence::OPS-Tracing', 'Traced by the caller: the machine is a pass-through.');
    const { report, printed } = synthWithPack(app, outdir);
    expect(report.pluginReports.map((r) => [r.pluginName, r.conclusion])).toEqual([['OpsExcellence', 'success']]);
    const [plugin] = report.pluginReports;
    expect(plugin.violations).toEqual([{
      ruleName: 'OPS-ContainerInsights',
      description: CONTAINER_INSIGHTS,
      suggestedFix: OperationalExcellenceChecks.RULES.find((r) => r.id === 'OPS-ContainerInsights')!.fix,
      severity: 'warning',
      ruleMetadata: { bestPractices: 'OPS04-BP02,OPS08-BP01', risk: 'HIGH', level: 'Warning' },
      violatingConstructs: [construct('Test/Cluster', 'aws-cdk-lib.aws_ecs.CfnCluster')],
    }]);
    expect(plugin.suppressedViolations).toEqual([expect.objectContaining({
      ruleName: 'OPS-Tracing',
      description: TRACING,
      severity: 'warning',
      ruleMetadata: { bestPractices: 'OPS04-BP05', risk: 'HIGH', level: 'Warning' },
      violatingConstructs: [construct('Test/Machine', 'aws-cdk-lib.aws_stepfunctions.CfnStateMachine')],
      acknowledgedId: 'OpsExcellence::OPS-Tracing',
      reason: 'Traced by the caller: the machine is a pass-through.',
      acknowledgedAt: 'Test/Machine',
    })]);
    // CDK prints the report even when it succeeds, with the id to acknowledge each finding with.
    expect(printed).toContain(`WARNING ${CONTAINER_INSIGHTS} (OpsExcellence)`);
    expect(printed).toContain("Acknowledge with 'OpsExcellence::OPS-ContainerInsights'");
    expect(printed).not.toContain('OPS-Tracing');
  });

  test('an unacknowledged ERROR fails synth; acknowledged on its stack it is suppressed and synth succeeds', () => {
    const failing = ownedApp();
    logGroup(failing.stack);
    Validations.of(failing.app).addPlugins(new OperationalExcellenceChecks(failing.app));
    const info = OperationalExcellenceChecks.RULES.find((r) => r.id === 'OPS-LogRetention')!.info;
    expect(() => failing.app.synth()).toThrow(`ERROR ${info} (OpsExcellence)\n   Test/Logs aws-cdk-lib.aws_logs.CfnLogGroup\n`);
    expect(() => failing.app.synth()).toThrow("Acknowledge with 'OpsExcellence::OPS-LogRetention'");

    const { app, stack, outdir } = ownedApp();
    logGroup(stack);
    acknowledge(stack, 'OpsExcellence::OPS-LogRetention', 'Audit logs: kept forever by policy.');
    const { report } = synthWithPack(app, outdir);
    const [plugin] = report.pluginReports;
    expect([plugin.conclusion, plugin.violations]).toEqual(['success', []]);
    expect(plugin.suppressedViolations).toEqual([expect.objectContaining({
      ruleName: 'OPS-LogRetention',
      severity: 'error',
      violatingConstructs: [construct('Test/Logs', 'aws-cdk-lib.aws_logs.CfnLogGroup')],
      acknowledgedId: 'OpsExcellence::OPS-LogRetention',
      reason: 'Audit logs: kept forever by policy.',
      acknowledgedAt: 'Test',
    })]);
  });

  test('a granular finding is acknowledged by its full id; the bare rule id does not cover it', () => {
    const bare = ownedApp();
    const shared = new logs.CfnLogGroup(bare.stack, 'Shared', { retentionInDays: 7 });
    Tags.of(shared).remove('ops:tier');
    acknowledge(shared, 'OpsExcellence::OPS-OwnershipTags', 'Shared by every tier.');
    Validations.of(bare.app).addPlugins(new OperationalExcellenceChecks(bare.app));
    expect(() => bare.app.synth()).toThrow(/Acknowledge with 'OpsExcellence::OPS-OwnershipTags\[ops:tier\]'/);

    const { app, stack, outdir } = ownedApp();
    const logGroupWithoutTier = new logs.CfnLogGroup(stack, 'Shared', { retentionInDays: 7 });
    Tags.of(logGroupWithoutTier).remove('ops:tier');
    acknowledge(logGroupWithoutTier, 'OpsExcellence::OPS-OwnershipTags[ops:tier]', 'Shared by every tier.');
    const { report } = synthWithPack(app, outdir);
    const [plugin] = report.pluginReports;
    expect([plugin.conclusion, plugin.violations]).toEqual(['success', []]);
    expect(plugin.suppressedViolations).toEqual([expect.objectContaining({
      ruleName: 'OPS-OwnershipTags[ops:tier]',
      severity: 'error',
      acknowledgedId: 'OpsExcellence::OPS-OwnershipTags[ops:tier]',
      reason: 'Shared by every tier.',
      acknowledgedAt: 'Test/Shared',
      violatingConstructs: [construct('Test/Shared', 'aws-cdk-lib.aws_logs.CfnLogGroup')],
    })]);
  });

  test('an id without the plugin namespace is filtered inside cdk-nag: no violation and no audit trail', () => {
    const { app, stack, outdir } = ownedApp();
    acknowledge(machine(stack), 'OPS-Tracing', 'Traced by the caller.');
    cluster(stack);
    const { report } = synthWithPack(app, outdir);
    const [plugin] = report.pluginReports;
    expect(plugin.violations.map((v) => v.ruleName)).toEqual(['OPS-ContainerInsights']);
    // CDK leaves suppressedViolations out of a plugin report that suppressed nothing.
    expect(Object.keys(plugin)).toEqual(['pluginName', 'conclusion', 'violations']);
  });
});
