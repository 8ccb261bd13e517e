import { Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ASSESSED_ON, BILLING_TAGS, EXAMPLE_ATTESTATIONS, PlainApp, attestations, entry, plainApp, plainFunction, practiceOf, practicesWith,
  reviewOf, scopeOf, synthesize, tagScope,
} from './support';
import { buildServerlessSquadApp } from '../../examples/serverless-squad/app';
import { OpsBestPractices, OpsRisk } from '../../src/nag/best-practices';
import { OperationalExcellenceChecks } from '../../src/nag/pack';
import { readAttestations } from '../../src/orr/attestations';
import { MaturityLevel, PracticeStatus, ReadinessFinding, ReadinessReport } from '../../src/orr/model';
import { ReadinessReview } from '../../src/orr/readiness-review';
import { REPORT_SCHEMA_VERSION } from '../../src/orr/review';

const EXAMPLE = synthesize(buildServerlessSquadApp);

describe('the serverless-squad example with its attestations', () => {
  const report = reviewOf(EXAMPLE, readAttestations(EXAMPLE_ATTESTATIONS));
  const quoteApi = scopeOf(report, 'quote-api');

  test('three critical services and the workload, each Silver with no high- or medium-risk issue', () => {
    expect(report.services.map((s) => `${s.workload}/${s.name}`)).toEqual(['freight/price-updates', 'freight/quote-api', 'freight/quotes']);
    expect(report.services.map((s) => [s.maturity, s.tier, s.owner, s.onCall, s.highRiskIssues.length])).toEqual(
      Array(3).fill([MaturityLevel.SILVER, 'critical', 'pricing', 'pricing-oncall@example.com', 0]));
    expect(report.workloads.map((w) => [w.kind, w.name, w.workload, w.maturity, w.highRiskIssues.length, w.mediumRiskIssues.length]))
      .toEqual([['workload', 'freight', 'freight', 'Silver', 0, 0]]);
    expect(report.unowned).toEqual([]);
    expect(report.summary).toMatchObject({
      services: 3,
      servicesByMaturity: { None: 0, Bronze: 0, Silver: 3, Gold: 0 },
      highRiskIssues: 0,
      mediumRiskIssues: 0,
      criticalWithHighRisk: [],
    });
    // Scores rank within the level: only LOW-risk practices are open.
    for (const s of [...report.services, ...report.workloads]) expect(s.score).toBeGreaterThan(95);
    expect(report.stacks).toEqual(['ServerlessSquad']);
    expect(report.services.map((s) => s.practices.length)).toEqual([68, 68, 68]);
  });

  test('a practice a rule checked is MET, with the rules that checked it', () => {
    expect(practiceOf(quoteApi, 'OPS08-BP04')).toMatchObject({
      questionId: 'OPS08',
      title: 'Create actionable alerts',
      risk: OpsRisk.HIGH,
      url: 'https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_workload_observability_create_alerts.html',
      status: PracticeStatus.MET,
      ruleIds: ['OPS-AlarmAction', 'OPS-AlarmCoverage', 'OPS-DatabaseAlarms', 'OPS-DeadLetterQueue', 'OPS-AsyncFailureDestination'],
      findings: [],
      acknowledged: [],
      improvement: '',
    });
    expect(practiceOf(quoteApi, 'OPS08-BP04').passedChecks).toBeGreaterThan(0);
    // The canary shows user-experience telemetry for the API itself.
    expect(practiceOf(quoteApi, 'OPS04-BP03')).toMatchObject({ status: PracticeStatus.MET, ruleIds: ['OPS-ApiCanary', 'OPS-LoadBalancerCanary'], passedChecks: 1 });
  });

  test('a practice no template shows is ATTESTED, with the attestation that covers that service', () => {
    expect(practiceOf(scopeOf(report, 'quotes'), 'OPS04-BP03')).toMatchObject({
      status: PracticeStatus.ATTESTED,
      ruleIds: ['OPS-ApiCanary', 'OPS-LoadBalancerCanary'],
      passedChecks: 0,
      improvement: '',
      attestation: {
        practiceId: 'OPS04-BP03',
        attestedBy: 'Sam Okafor (pricing on-call captain)',
        date: '2026-11-02',
        expires: '2027-11-02',
        evidence: 'Users reach quotes only through quote-api, whose canary measures their experience',
      },
    });
    expect(practiceOf(scopeOf(report, 'price-updates'), 'OPS04-BP03').attestation?.evidence).toBe(
      'No user-facing path: price freshness is measured by the FeedBacklog alarm');
    expect(practiceOf(quoteApi, 'OPS01-BP01')).toMatchObject({ status: PracticeStatus.ATTESTED, ruleIds: [], passedChecks: 0 });
  });

  test('practices its resources do not have are NOT_APPLICABLE, never an issue; what no template shows needs attestation, saying how', () => {
    expect(quoteApi.mediumRiskIssues).toEqual([]);
    // quote-api has no function: nothing of it is deployed through an alias, so safe deployment does not apply to it.
    expect(practiceOf(quoteApi, 'OPS06-BP03')).toMatchObject({ status: PracticeStatus.NOT_APPLICABLE, improvement: '', findings: [] });
    expect(practiceOf(scopeOf(report, 'quotes'), 'OPS06-BP03').status).toBe(PracticeStatus.MET);
    // No database, no container in the squad: not applicable, not an attestation to write.
    expect(practiceOf(quoteApi, 'OPS08-BP01').status).toBe(PracticeStatus.NOT_APPLICABLE);
    // The LOW-risk practices the squad has not attested: Silver, not Gold.
    const open = quoteApi.practices.filter((p) => p.status === PracticeStatus.NEEDS_ATTESTATION);
    expect(open.every((p) => p.risk === OpsRisk.LOW && p.ruleIds.length === 0)).toBe(true);
    expect(practiceOf(quoteApi, 'OPS11-BP08').improvement).toBe(
      'No template can show it: establish the practice and attest it ("practice": "OPS11-BP08" in the attestations file).');
  });

  test('the alarm catalogue: the page composite pages on-call and names the runbook', () => {
    expect(report.alarms.find((a) => a.alarmName === 'freight-quote-api-page')).toEqual({
      alarmName: 'freight-quote-api-page',
      kind: 'composite',
      stack: 'ServerlessSquad',
      resourcePath: 'ServerlessSquad/Freight/QuoteApi/Page/Resource',
      severity: 'PAGE',
      owner: 'pricing',
      runbook: 'https://runbooks.example.com/freight/quote-api',
      service: 'quote-api',
      workload: 'freight',
      actionCount: 2,
      notifies: true,
    });
    expect(report.alarms.filter((a) => a.kind === 'composite').map((a) => `${a.alarmName} ${a.severity}`)).toEqual([
      'freight-page PAGE',
      'freight-price-updates-page PAGE', 'freight-price-updates-ticket TICKET',
      'freight-quote-api-page PAGE', 'freight-quote-api-ticket TICKET',
      'freight-quotes-page PAGE', 'freight-quotes-ticket TICKET',
    ]);
    expect(new Set(report.alarms.map((a) => a.alarmName)).size).toBe(report.alarms.length);
  });

  test('the runbook inventory: the seven documents, which change state and which are gated', () => {
    expect(report.runbooks.map((r) => [r.documentName, r.title, r.service, r.approvalGate, r.changesState, r.hasAssumeRole])).toEqual([
      ['freight-price-updates-playbook', 'Investigate price-updates (freight)', 'price-updates', false, false, true],
      ['freight-quote-api-playbook', 'Investigate quote-api (freight)', 'quote-api', false, false, true],
      ['freight-quotes-feature-flags-prod-disable-dynamic_pricing', 'Turn off feature flag dynamic_pricing', 'quotes', true, true, true],
      ['freight-quotes-game-day', 'Start a game day of quotes (freight)', undefined, true, true, true],
      ['freight-quotes-playbook', 'Investigate quotes (freight)', 'quotes', false, false, true],
      ['freight-redrive-price-feed', 'Redrive a dead-letter queue', undefined, true, true, true],
      ['freight-ServerlessSquad-lambda-rollback', 'Roll back a Lambda alias', undefined, true, true, true],
    ]);
    expect(report.runbooks[6]).toMatchObject({
      resourcePath: 'ServerlessSquad/Freight/Rollup/Functions/Rollback/Document',
      workload: 'freight',
      steps: ['ReadAlias', 'Plan', 'CheckTarget', 'ApproveChange', 'PointAlias', 'Verify'],
    });
  });
});

const ruleOf = (ruleId: string) => OperationalExcellenceChecks.RULES.find((r) => r.id === ruleId)!;

/** The expected finding of `ruleId` on the plain function. */
function onFunction(app: PlainApp, ruleId: string, findingId: string, level: string): ReadinessFinding {
  const rule = ruleOf(ruleId);
  return {
    ruleId,
    findingId,
    level,
    resourcePath: 'Plain/Billing/Handler/Resource',
    logicalId: app.functionLogicalId,
    stack: 'Plain',
    resourceType: 'AWS::Lambda::Function',
    info: rule.info,
    fix: rule.fix,
  };
}

describe('a plain Lambda function of a critical service', () => {
  const app = plainApp();
  const report = reviewOf(app.dir);
  const billing = scopeOf(report, 'billing');

  test('practices the template shows missing are NOT_MET, with the findings', () => {
    expect(practicesWith(billing, PracticeStatus.NOT_MET)).toEqual([
      'OPS04-BP01', 'OPS04-BP02', 'OPS04-BP05', 'OPS05-BP04', 'OPS06-BP01', 'OPS06-BP03', 'OPS06-BP04', 'OPS07-BP03', 'OPS08-BP02', 'OPS08-BP04',
      'OPS08-BP05', 'OPS10-BP02', 'OPS10-BP03', 'OPS10-BP04', 'OPS10-BP06',
    ]);
    // Critical paging and a process per alert: checkable, failing on the function itself (no alarm watches it).
    expect(practiceOf(billing, 'OPS10-BP03').findings.map((f) => [f.findingId, f.level])).toEqual([['OPS-CriticalPaging[NoPagingAlarm]', 'WARN']]);
    expect(practiceOf(billing, 'OPS10-BP02').findings.map((f) => f.findingId)).toEqual(['OPS-AlarmRunbook[NoRunbookAlarm]']);
    // What the rules check and a plain function does not have (a database, a canary, a game day, a queue...) does not apply.
    expect(practicesWith(billing, PracticeStatus.NOT_APPLICABLE)).toEqual([
      'OPS02-BP02', 'OPS02-BP03', 'OPS04-BP03', 'OPS04-BP04', 'OPS05-BP03', 'OPS05-BP09', 'OPS07-BP04', 'OPS08-BP01', 'OPS09-BP01', 'OPS09-BP02',
      'OPS09-BP03', 'OPS10-BP01', 'OPS10-BP07', 'OPS11-BP05', 'OPS11-BP07', 'OPS11-BP09',
    ]);
    expect(practiceOf(billing, 'OPS08-BP01')).toMatchObject({ passedChecks: 0, findings: [], improvement: '' });
    expect(practiceOf(billing, 'OPS04-BP05')).toMatchObject({
      ruleIds: ['OPS-Tracing'], passedChecks: 0, findings: [onFunction(app, 'OPS-Tracing', 'OPS-Tracing', 'WARN')], acknowledged: [],
    });
    expect(practiceOf(billing, 'OPS04-BP05').improvement).toBe(`OPS-Tracing: ${ruleOf('OPS-Tracing').fix}`);
    expect(practiceOf(billing, 'OPS08-BP04').findings).toEqual([onFunction(app, 'OPS-AlarmCoverage', 'OPS-AlarmCoverage', 'ERROR')]);
    expect(practiceOf(billing, 'OPS06-BP03').findings).toEqual([onFunction(app, 'OPS-SafeDeployment', 'OPS-SafeDeployment[NoAlias]', 'WARN')]);
    expect(practiceOf(billing, 'OPS08-BP02').findings.map((f) => f.findingId)).toEqual(['OPS-LogRetention', 'OPS-StructuredLogs']);
    // Reported once per service, on its first resource: the role.
    expect(practiceOf(billing, 'OPS08-BP05').findings.map((f) => [f.findingId, f.resourcePath, f.logicalId, f.resourceType])).toEqual([
      ['OPS-ServiceDashboard', 'Plain/Billing/Handler/ServiceRole/Resource', app.roleLogicalId, 'AWS::IAM::Role'],
    ]);
    expect(practiceOf(billing, 'OPS02-BP01')).toMatchObject({ status: PracticeStatus.MET, passedChecks: 2 });
  });

  test('maturity None, the gaps among the high-risk issues, the critical service named in the summary', () => {
    expect(billing).toMatchObject({
      workload: 'payments',
      tier: 'critical',
      owner: 'billing-team',
      onCall: 'billing-oncall@example.com',
      resourceCount: 2,
      maturity: MaturityLevel.NONE,
    });
    const hri = billing.highRiskIssues.map((p) => p.practiceId);
    expect(hri).toEqual(expect.arrayContaining(['OPS04-BP01', 'OPS04-BP05', 'OPS08-BP04']));
    // Every HIGH-risk practice but the one met (OPS02-BP01) and those that do not apply.
    const high = OpsBestPractices.ALL.filter((p) => p.risk === OpsRisk.HIGH);
    const closed = [PracticeStatus.MET, PracticeStatus.NOT_APPLICABLE];
    expect(hri).toEqual(high.filter((p) => !closed.includes(practiceOf(billing, p.id).status)).map((p) => p.id));
    expect(hri).toHaveLength(24);
    expect(report.summary).toEqual({
      services: 1,
      servicesByMaturity: { None: 1, Bronze: 0, Silver: 0, Gold: 0 },
      workloads: 1,
      workloadsByMaturity: { None: 1, Bronze: 0, Silver: 0, Gold: 0 },
      unownedStacks: 0,
      highRiskIssues: hri.length,
      mediumRiskIssues: billing.mediumRiskIssues.length,
      serviceHighRiskIssues: hri.length,
      serviceMediumRiskIssues: billing.mediumRiskIssues.length,
      openFindings: 9,
      acknowledgedFindings: 0,
      criticalWithHighRisk: ['payments/billing', 'payments'],
      servicesWithGameDay: 0,
    });
    expect(report.workloads.map((w) => [w.name, w.resourceCount, w.maturity])).toEqual([['payments', 2, 'None']]);
  });

  test('an acknowledged finding is ACKNOWLEDGED with its reason, and still a high-risk issue', () => {
    const acked = plainApp((fn) => Validations.of(fn).acknowledge({ id: 'OpsExcellence::OPS-Tracing', reason: 'X-Ray not allowed in this account' }));
    const acknowledged = reviewOf(acked.dir);
    const service = scopeOf(acknowledged, 'billing');
    const tracing = practiceOf(service, 'OPS04-BP05');
    expect(tracing).toMatchObject({ status: PracticeStatus.ACKNOWLEDGED, findings: [] });
    expect(tracing.acknowledged).toEqual([{
      ...onFunction(acked, 'OPS-Tracing', 'OPS-Tracing', 'WARN'), acknowledgedReason: 'X-Ray not allowed in this account',
    }]);
    expect(tracing.acknowledged[0].acknowledgedReason).toBe('X-Ray not allowed in this account');
    expect(tracing.improvement).toBe('Accepted risk: X-Ray not allowed in this account. ' +
      'Fix it to count towards maturity (an attestation does not override a failing check).');
    expect(service.highRiskIssues.map((p) => p.practiceId)).toContain('OPS04-BP05');
    expect(service.maturity).toBe(MaturityLevel.NONE);
    expect(acknowledged.summary).toMatchObject({ openFindings: 8, acknowledgedFindings: 1, criticalWithHighRisk: ['payments/billing', 'payments'] });
    // Other findings on the same function are not acknowledged by it.
    expect(practiceOf(service, 'OPS08-BP04').status).toBe(PracticeStatus.NOT_MET);
    // An attestation does not override the failing check.
    const attested = scopeOf(reviewOf(acked.dir, attestations(entry('OPS04-BP05'))), 'billing');
    expect(practiceOf(attested, 'OPS04-BP05').status).toBe(PracticeStatus.ACKNOWLEDGED);
  });

  test('a service tagged without a workload is still reviewed; its stack is unowned and gates', () => {
    const untagged = reviewOf(plainApp(undefined, { ...BILLING_TAGS, workload: undefined }).dir);
    expect(untagged.services.map((s) => [s.workload, s.name, s.resourceCount])).toEqual([['unowned', 'billing', 2]]);
    expect(untagged.workloads).toEqual([]);
    expect(untagged.unowned.map((u) => [u.kind, u.name, u.resourceCount, u.maturity])).toEqual([['unowned', 'Plain', 2, 'None']]);
    expect(untagged.summary.criticalWithHighRisk).toEqual(['unowned/billing', 'unowned:Plain']);
    // Nobody owns it: attestations do not apply there, and every open finding is a high-risk issue.
    const attested = reviewOf(plainApp(undefined, { ...BILLING_TAGS, workload: undefined }).dir, attestations(entry('OPS01-BP01', { workloads: [] })));
    expect(practiceOf(attested.unowned[0], 'OPS01-BP01').status).toBe(PracticeStatus.NEEDS_ATTESTATION);
    const [plain] = untagged.unowned;
    expect(plain.highRiskIssues.map((p) => p.practiceId)).toEqual(expect.arrayContaining(practicesWith(plain, PracticeStatus.NOT_MET)));
    expect(practicesWith(plain, PracticeStatus.NOT_MET)).toContain('OPS08-BP02'); // MEDIUM in the framework, high risk here
  });
});

describe('resources that cannot carry tags', () => {
  test('count for the service whose construct holds them', () => {
    const app = plainApp((fn, _service, stack) => {
      fn.addPermission('InvokeByApi', { principal: new iam.ServicePrincipal('apigateway.amazonaws.com') });
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::invoices/*'] }));
      new iam.CfnManagedPolicy(stack, 'Unrelated', { policyDocument: { Version: '2012-10-17', Statement: [] } });
    });
    const report = reviewOf(app.dir);
    expect(scopeOf(report, 'billing').resourceCount).toBe(4); // role, function, its permission, its role's policy
    // The untagged managed policy in the same stack counts for the stack's workload.
    expect(report.workloads.map((w) => [w.name, w.resourceCount])).toEqual([['payments', 5]]);
  });

  test('beside the only tagged resource of a service; workload-level ones stay with the workload', () => {
    const dir = synthesize((app) => {
      const stack = new Stack(app, 'Mail');
      const inbox = new Construct(stack, 'Inbox');
      const queue = new sqs.Queue(inbox, 'Queue');
      queue.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['sqs:SendMessage'], principals: [new iam.ServicePrincipal('sns.amazonaws.com')], resources: [queue.queueArn],
      }));
      tagScope(inbox, { workload: 'mail', service: 'inbox', owner: 'mail-team', oncall: 'mail@example.com', tier: 'standard' });
      const alerts = new sns.Topic(stack, 'Alerts');
      alerts.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['sns:Publish'], principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], resources: [alerts.topicArn],
      }));
      tagScope(alerts, { workload: 'mail', owner: 'mail-team', oncall: 'mail@example.com', tier: 'standard' });
    });
    const report = reviewOf(dir);
    expect(report.services.map((s) => [s.name, s.resourceCount])).toEqual([['inbox', 2]]); // queue and queue policy
    expect(report.workloads.map((w) => [w.name, w.resourceCount])).toEqual([['mail', 4]]); // and the topic and its policy
  });
});

describe('attestations', () => {
  test('an expired attestation does not count; a service-scoped one covers only its service', () => {
    const app = plainApp((_fn, _service, stack) => {
      const ledger = new Construct(stack, 'Ledger');
      new sns.Topic(ledger, 'Entries');
      tagScope(ledger, { ...BILLING_TAGS, service: 'ledger' });
      new cloudwatch.Dashboard(ledger, 'Dashboard', { dashboardName: 'payments-ledger' });
    });
    const given = attestations(
      entry('OPS01-BP01', { date: '2025-01-01', expires: '2025-06-01' }),
      entry('OPS01-BP02', { workloads: ['payments'], services: ['billing'] }),
    );
    const report = reviewOf(app.dir, given);
    const [billing, ledger, payments] = [scopeOf(report, 'billing'), scopeOf(report, 'ledger'), scopeOf(report, 'payments', 'workloads')];
    expect([billing, ledger, payments].map((s) => practiceOf(s, 'OPS01-BP01').status)).toEqual(Array(3).fill(PracticeStatus.NEEDS_ATTESTATION));
    expect([billing, ledger, payments].map((s) => practiceOf(s, 'OPS01-BP01').attestation)).toEqual([undefined, undefined, undefined]);
    expect([billing, ledger, payments].map((s) => practiceOf(s, 'OPS01-BP02').status)).toEqual([
      PracticeStatus.ATTESTED, PracticeStatus.NEEDS_ATTESTATION, PracticeStatus.NEEDS_ATTESTATION,
    ]);
    // While it held, the expired one counted everywhere.
    const earlier = reviewOf(app.dir, given, '2025-03-01');
    expect(['billing', 'ledger'].map((s) => practiceOf(scopeOf(earlier, s), 'OPS01-BP01').status)).toEqual(Array(2).fill(PracticeStatus.ATTESTED));
    expect(practiceOf(scopeOf(earlier, 'payments', 'workloads'), 'OPS01-BP01').attestation?.expires).toBe('2025-06-01');
  });

  test('attestations of another workload do not apply', () => {
    const report = reviewOf(plainApp().dir, attestations(entry('OPS01-BP01', { workloads: ['freight'] })));
    expect(practiceOf(scopeOf(report, 'billing'), 'OPS01-BP01').status).toBe(PracticeStatus.NEEDS_ATTESTATION);
  });

  test('a failing check is never overridden by an attestation', () => {
    const report = reviewOf(plainApp().dir, attestations(entry('OPS04-BP05'), entry('OPS08-BP04')));
    expect(['OPS04-BP05', 'OPS08-BP04'].map((id) => practiceOf(scopeOf(report, 'billing'), id).status)).toEqual([
      PracticeStatus.NOT_MET, PracticeStatus.NOT_MET,
    ]);
  });
});

describe('maturity levels', () => {
  /** Attest every practice for the example's quotes service, except some. */
  const everyPracticeOfQuotesBut = (...except: string[]) => attestations(...OpsBestPractices.ALL
    .filter((p) => !except.includes(p.id))
    .map((p) => entry(p.id, { workloads: ['freight'], services: ['quotes'], evidence: `quotes ${p.id}` })));
  const quotesOf = (report: ReadinessReport) => scopeOf(report, 'quotes');

  test('Gold when every practice is met or attested', () => {
    const report = reviewOf(EXAMPLE, everyPracticeOfQuotesBut());
    const quotes = quotesOf(report);
    expect(quotes.maturity).toBe(MaturityLevel.GOLD);
    expect([quotes.highRiskIssues, quotes.mediumRiskIssues]).toEqual([[], []]);
    expect(practicesWith(quotes, PracticeStatus.NEEDS_ATTESTATION)).toEqual([]);
    // What the template shows stays MET; the attestations do not reach the other services or the workload.
    expect(practiceOf(quotes, 'OPS08-BP04').status).toBe(PracticeStatus.MET);
    expect(report.services.map((s) => s.maturity)).toEqual([MaturityLevel.NONE, MaturityLevel.NONE, MaturityLevel.GOLD]);
    expect(report.summary.servicesByMaturity).toEqual({ None: 2, Bronze: 0, Silver: 0, Gold: 1 });
    expect(scopeOf(report, 'freight', 'workloads').maturity).toBe(MaturityLevel.NONE);
  });

  test('Silver without a LOW-risk practice, Bronze without a MEDIUM one, None without a HIGH one', () => {
    expect(OpsBestPractices.of('OPS11-BP08').risk).toBe(OpsRisk.LOW);
    const silver = quotesOf(reviewOf(EXAMPLE, everyPracticeOfQuotesBut('OPS11-BP08')));
    expect([silver.maturity, silver.highRiskIssues.length, silver.mediumRiskIssues.length]).toEqual([MaturityLevel.SILVER, 0, 0]);
    expect(practiceOf(silver, 'OPS11-BP08').status).toBe(PracticeStatus.NEEDS_ATTESTATION);

    const bronze = quotesOf(reviewOf(EXAMPLE, everyPracticeOfQuotesBut('OPS01-BP05')));
    expect([bronze.maturity, bronze.mediumRiskIssues.map((p) => p.practiceId)]).toEqual([MaturityLevel.BRONZE, ['OPS01-BP05']]);

    const none = quotesOf(reviewOf(EXAMPLE, everyPracticeOfQuotesBut('OPS01-BP01', 'OPS01-BP05')));
    expect([none.maturity, none.highRiskIssues.map((p) => p.practiceId)]).toEqual([MaturityLevel.NONE, ['OPS01-BP01']]);
    // Scores rank within and across levels.
    expect(silver.score).toBeGreaterThan(bronze.score);
    expect(bronze.score).toBeGreaterThan(none.score);
  });

  test('a paved-road service with its attestations ranks above a hand-made one with gaps', () => {
    const paved = scopeOf(reviewOf(EXAMPLE, readAttestations(EXAMPLE_ATTESTATIONS)), 'quotes');
    const handMade = scopeOf(reviewOf(plainApp().dir, readAttestations(EXAMPLE_ATTESTATIONS)), 'billing');
    expect(paved.maturity).toBe(MaturityLevel.SILVER);
    expect(handMade.maturity).toBe(MaturityLevel.NONE);
    expect(paved.score).toBeGreaterThan(handMade.score + 50);
  });
});

describe('ReadinessReview', () => {
  test('two reviews of the same assembly give the same JSON, schema 2.0.0, texts once and referenced by id', () => {
    const options = { attestationsFile: EXAMPLE_ATTESTATIONS, assessedOn: ASSESSED_ON };
    const first = ReadinessReview.fromAssembly(EXAMPLE, options);
    const second = ReadinessReview.fromAssembly(EXAMPLE, options);
    expect(second.toJson()).toBe(first.toJson());
    const json = JSON.parse(first.toJson()) as ReadinessReport;
    expect([ReadinessReview.SCHEMA_VERSION, REPORT_SCHEMA_VERSION, json.schemaVersion]).toEqual(['2.0.0', '2.0.0', '2.0.0']);
    expect(json).toMatchObject({
      frameworkVersion: '2024-06-27',
      rulePack: { plugin: 'OpsExcellence', rules: String(OperationalExcellenceChecks.RULES.length) },
      assessedOn: ASSESSED_ON,
      stacks: ['ServerlessSquad'],
    });
    const model = reviewOf(EXAMPLE, readAttestations(EXAMPLE_ATTESTATIONS));
    const doc = json as unknown as {
      practices: Array<{ id: string; title: string; ruleIds: string[] }>;
      rules: Array<{ id: string; fix: string }>;
      findings: Array<{ findingId: string; resourcePath: string }>;
      attestations: Array<{ practiceId: string; attestedBy: string }>;
      services: Array<{
        name: string;
        maturity: string;
        score: number;
        highRiskIssues: string[];
        practices: Record<string, string[]>;
        findings: number[];
        attestations: Record<string, number>;
      }>;
    };
    // The catalogue and the rule texts once.
    expect(doc.practices.map((p) => p.id)).toEqual(OpsBestPractices.ALL.map((p) => p.id));
    expect(doc.rules.map((r) => r.id)).toEqual(OperationalExcellenceChecks.RULES.map((r) => r.id));
    // Each scope: every practice once, by status; issues by id; findings and attestations by index.
    model.services.forEach((s, i) => {
      const out = doc.services[i];
      expect([out.name, out.maturity, out.score, out.highRiskIssues])
        .toEqual([s.name, s.maturity, s.score, s.highRiskIssues.map((p) => p.practiceId)]);
      expect(Object.values(out.practices).flat().sort()).toEqual(OpsBestPractices.ALL.map((p) => p.id).sort());
      for (const p of s.practices) expect(out.practices[p.status]).toContain(p.practiceId);
      const attested = s.practices.filter((p) => p.status === PracticeStatus.ATTESTED);
      expect(Object.keys(out.attestations).sort()).toEqual(attested.map((p) => p.practiceId).sort());
      for (const p of attested) expect(doc.attestations[out.attestations[p.practiceId]].attestedBy).toBe(p.attestation!.attestedBy);
      const findings = s.practices.flatMap((p) => [...p.findings, ...p.acknowledged]);
      expect(new Set(out.findings.map((n) => `${doc.findings[n].resourcePath} ${doc.findings[n].findingId}`)))
        .toEqual(new Set(findings.map((f) => `${f.resourcePath} ${f.findingId}`)));
    });
    expect(first.toJson().endsWith('}\n')).toBe(true);
    expect(first.criticalServicesWithHighRisk).toEqual([]);
  });

  test('summary lines', () => {
    const review = ReadinessReview.fromAssembly(plainApp().dir, { assessedOn: ASSESSED_ON });
    const [billing] = review.report.services;
    expect(review.summaryLines()).toEqual([
      'Readiness review of 1 stack (1 workloads, 1 services, 0 unowned stacks; framework 2024-06-27, assessed 2026-11-24)',
      `  high-risk issues: 24, medium-risk issues: ${billing.mediumRiskIssues.length} (workloads and unowned stacks)`,
      `  workload payments [critical]: None (score ${review.report.workloads[0].score}), 24 HRI, ${billing.mediumRiskIssues.length} MRI`,
      `  payments/billing [critical]: None (score ${billing.score}), 24 HRI, ${billing.mediumRiskIssues.length} MRI`,
      '  findings: 9 open, 0 acknowledged; 0 alarms, 0 runbooks, 0 game days (0 services)',
      '  CRITICAL or UNOWNED scopes with high-risk issues: payments/billing, payments',
    ]);
    expect(review.criticalServicesWithHighRisk).toEqual(['payments/billing', 'payments']);
  });

  test('assessedOn must be a calendar date; it defaults to today', () => {
    const dir = plainApp().dir;
    expect(() => ReadinessReview.fromAssembly(dir, { assessedOn: '24.11.2026' })).toThrow("assessedOn '24.11.2026' must be a date YYYY-MM-DD.");
    expect(() => ReadinessReview.fromAssembly(dir, { assessedOn: '2026-02-30' })).toThrow("assessedOn '2026-02-30' must be a date YYYY-MM-DD.");
    expect(ReadinessReview.fromAssembly(dir).report.assessedOn).toBe(new Date().toISOString().slice(0, 10));
  });

  test('a bad attestations file or assembly fails the review', () => {
    expect(() => ReadinessReview.fromAssembly(EXAMPLE, { attestationsFile: `${EXAMPLE}/none.json` })).toThrow('does not exist');
    expect(() => ReadinessReview.fromAssembly(`${EXAMPLE}/none`)).toThrow('does not exist or is not a directory');
  });

  test('a function outside any service still shows in its workload', () => {
    const dir = synthesize((app) => {
      const stack = new Stack(app, 'Loose');
      const fn = plainFunction(stack, 'Cron');
      tagScope(fn, { workload: 'ops', owner: 'sre', oncall: 'sre@example.com', tier: 'standard' });
    });
    const report = reviewOf(dir);
    expect(report.services).toEqual([]);
    expect(report.workloads.map((w) => [w.name, w.tier, w.resourceCount, w.maturity])).toEqual([['ops', 'standard', 2, 'None']]);
    expect(report.summary.criticalWithHighRisk).toEqual([]);
  });
});
