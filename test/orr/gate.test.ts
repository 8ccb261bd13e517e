import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { captureIo, synthesize, tagScope, tempDir } from './support';
import { EXIT_GATE, runCli } from '../../src/cli/cli';
import { MaturityLevel, PracticeStatus, ReadinessReport, ScopeReadiness } from '../../src/orr/model';
import { ReadinessReview } from '../../src/orr/readiness-review';

/**
 * The gate cannot be bypassed: a critical-tier container stack with nothing that pages — an ECS Fargate service
 * behind an ALB, an Aurora cluster, a DynamoDB table and an SQS queue, zero alarms, no `ops:service` tag — fails the
 * readiness gate and the report names its gaps; the same stack untagged is unowned and fails it too.
 */
function containerStack(app: App, tagged: boolean): Stack {
  const stack = new Stack(app, tagged ? 'Dispatch' : 'Loose', { env: { account: '111111111111', region: 'eu-west-1' } });
  if (tagged) tagScope(stack, { workload: 'dispatch', owner: 'team-dispatch', oncall: 'dispatch-oncall', tier: 'critical' });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
    cluster,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') },
  });
  new rds.DatabaseCluster(stack, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer'),
    vpc,
  });
  new dynamodb.Table(stack, 'Shipments', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new sqs.Queue(stack, 'Inbox');
  return stack;
}

function cli(...argv: string[]) {
  const captured = captureIo();
  const code = runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

const practice = (s: ScopeReadiness, id: string) => s.practices.find((p) => p.practiceId === id)!;

describe('a critical-tier container stack with nothing that pages', () => {
  let dir: string;
  let run: ReturnType<typeof cli>;
  let report: ReadinessReport;
  beforeAll(() => {
    dir = synthesize((app) => containerStack(app, true));
    const out = path.join(tempDir(), 'review.json');
    run = cli('orr', dir, '--out', out, '--assessed-on', '2026-12-07');
    report = ReadinessReview.fromAssembly(dir, { assessedOn: '2026-12-07' }).report;
    expect(fs.existsSync(out)).toBe(true);
  });

  test('the CLI exits 1 and names the workload and its gaps', () => {
    expect(run.code).toBe(EXIT_GATE);
    expect(run.stderr).toContain('Readiness gate (--fail-on critical) failed: dispatch has high-risk issues:');
    expect(run.stderr).toMatch(/ {2}dispatch: .*OPS08-BP04 Create actionable alerts \([^)]*OPS-AlarmCoverage/);
    expect(run.stdout).toContain('  CRITICAL or UNOWNED scopes with high-risk issues: dispatch');
  });

  test('every resource counts for the workload, which is critical and has no maturity', () => {
    expect(report.services).toEqual([]);
    expect(report.unowned).toEqual([]);
    const [dispatch] = report.workloads;
    expect([dispatch.kind, dispatch.name, dispatch.tier, dispatch.owner, dispatch.maturity]).toEqual(['workload', 'dispatch', 'critical', 'team-dispatch', MaturityLevel.NONE]);
    expect(report.summary.criticalWithHighRisk).toEqual(['dispatch']);
    expect(report.summary.highRiskIssues).toBe(dispatch.highRiskIssues.length);
    expect(report.summary.highRiskIssues).toBeGreaterThan(0);
  });

  test('a failing checkable practice is NOT_MET with its findings, never NEEDS_ATTESTATION', () => {
    const [dispatch] = report.workloads;
    // Alarms on each component, per-alert process, critical paging and dashboards: checkable, failing.
    for (const id of ['OPS08-BP04', 'OPS10-BP02', 'OPS10-BP03', 'OPS08-BP05']) {
      const p = practice(dispatch, id);
      expect([id, p.status]).toEqual([id, PracticeStatus.NOT_MET]);
      expect(p.findings.length).toBeGreaterThan(0);
    }
    const coverage = practice(dispatch, 'OPS08-BP04').findings.filter((f) => f.ruleId === 'OPS-AlarmCoverage').map((f) => f.resourceType).sort();
    expect(coverage).toEqual(expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::ECS::Service', 'AWS::SQS::Queue']));
    for (const p of dispatch.practices) {
      if (p.ruleIds.length > 0) expect([p.practiceId, p.status]).not.toEqual([p.practiceId, PracticeStatus.NEEDS_ATTESTATION]);
    }
  });
});

describe('the same stack without any ownership tag', () => {
  let run: ReturnType<typeof cli>;
  let report: ReadinessReport;
  beforeAll(() => {
    const dir = synthesize((app) => containerStack(app, false));
    run = cli('orr', dir, '--format', 'json', '--assessed-on', '2026-12-07');
    report = JSON.parse(run.stdout);
  });

  test('is one unowned scope named after its stack, whose open findings are all high risk, and the CLI exits 1', () => {
    expect(run.code).toBe(EXIT_GATE);
    expect(run.stderr).toContain('Readiness gate (--fail-on critical) failed: unowned:Loose has high-risk issues:');
    expect(report.workloads).toEqual([]);
    expect(report.unowned.map((u) => [u.kind, u.name, u.workload, u.maturity])).toEqual([['unowned', 'Loose', 'unowned', 'None']]);
    const [loose] = report.unowned as unknown as Array<{ highRiskIssues: string[]; practices: Record<string, string[]> }>;
    // Every practice with an open finding is a high-risk issue there, whatever its framework risk.
    expect(loose.highRiskIssues).toEqual(expect.arrayContaining(loose.practices.NOT_MET));
    expect(report.summary.criticalWithHighRisk).toEqual(['unowned:Loose']);
  });
});
