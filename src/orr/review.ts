import { Assembly } from './assembly';
import { Attestation, attestationFor } from './attestations';
import {
  AlarmCatalogueEntry, GameDayInventoryEntry, MaturityLevel, PracticeAssessment, PracticeStatus, ReadinessFinding, ReadinessReport,
  RunbookInventoryEntry,
  ScopeReadiness,
} from './model';
import { Replay, ReplayedCheck, ReplayedResource } from './replay';
import { OpsTags } from '../core/ops-tags';
import { ALARM_TYPES, alarmActions, namedRunbook, notifies, statedSeverity } from '../nag/alarm-evidence';
import { automationContent, isAutomationDocument } from '../nag/automation-content';
import { OpsBestPractice, OpsBestPractices, OpsRisk } from '../nag/best-practices';
import { literals, referencedIds, str } from '../nag/evidence';
import { OperationalExcellenceChecks } from '../nag/pack';
import { PLUGIN_NAME, levelName } from '../nag/rule';
import { runbookChangesState } from '../nag/runbook-evidence';

/** The version of the report's JSON schema. */
export const REPORT_SCHEMA_VERSION = '1.0.0';
/** The workload name of resources without an `ops:workload` tag. */
export const UNASSIGNED = '(unassigned)';

const SATISFIED = [PracticeStatus.MET, PracticeStatus.ATTESTED];

interface Scope {
  readonly name: string;
  readonly workload: string;
  readonly service?: string;
  readonly members: ReplayedResource[];
}

function finding(check: ReplayedCheck, findingId: string): ReadinessFinding {
  const { target, rule } = check;
  return {
    ruleId: rule.id,
    findingId,
    level: levelName(rule.level),
    resourcePath: target.path,
    logicalId: target.resource.logicalId,
    stack: target.stack,
    resourceType: target.resource.type,
    info: rule.info,
    fix: rule.fix,
    acknowledgedReason: check.acknowledged.get(findingId),
  };
}

function assess(practice: OpsBestPractice, scope: Scope, checks: ReplayedCheck[], attestations: Attestation[], on: string): PracticeAssessment {
  const ruleIds = OperationalExcellenceChecks.RULES.filter((r) => r.bestPractices.includes(practice.id)).map((r) => r.id);
  const relevant = checks.filter((c) => ruleIds.includes(c.rule.id));
  const passedChecks = relevant.filter((c) => c.passed).length;
  const all = relevant.flatMap((c) => c.findingIds.map((id) => finding(c, id)));
  const findings = all.filter((f) => f.acknowledgedReason === undefined);
  const acknowledged = all.filter((f) => f.acknowledgedReason !== undefined);
  const attestation = attestationFor(attestations, practice.id, scope.workload, scope.service, on);
  let status: PracticeStatus;
  let improvement = '';
  if (findings.length > 0) {
    status = PracticeStatus.NOT_MET;
    improvement = [...new Set(findings.map((f) => `${f.ruleId}: ${f.fix}`))].join(' ');
  } else if (acknowledged.length > 0) {
    status = PracticeStatus.ACKNOWLEDGED;
    // An acknowledged finding is still a failing check, which no attestation overrides: only a fix counts.
    improvement = `Accepted risk: ${[...new Set(acknowledged.map((f) => f.acknowledgedReason))].join('; ')}. ` +
      'Fix it to count towards maturity (an attestation does not override a failing check).';
  } else if (passedChecks > 0) {
    status = PracticeStatus.MET;
  } else if (attestation) {
    status = PracticeStatus.ATTESTED;
  } else {
    status = PracticeStatus.NEEDS_ATTESTATION;
    improvement = (ruleIds.length > 0 ? `No resource of ${scope.name} is checked by ${ruleIds.join(', ')}. ` : '') +
      `Establish the practice and attest it ("practice": "${practice.id}" in the attestations file).`;
  }
  return {
    practiceId: practice.id,
    questionId: practice.questionId,
    title: practice.title,
    risk: practice.risk,
    url: practice.url,
    status,
    ruleIds,
    passedChecks,
    findings,
    acknowledged,
    attestation,
    improvement,
  };
}

function maturityOf(practices: PracticeAssessment[]): MaturityLevel {
  const holds = (risk: OpsRisk) => practices.filter((p) => p.risk === risk).every((p) => SATISFIED.includes(p.status));
  if (!holds(OpsRisk.HIGH)) return MaturityLevel.NONE;
  if (!holds(OpsRisk.MEDIUM)) return MaturityLevel.BRONZE;
  return holds(OpsRisk.LOW) ? MaturityLevel.GOLD : MaturityLevel.SILVER;
}

function common(members: ReplayedResource[], key: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members) {
    const v = m.resource.tags[key];
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

function readiness(scope: Scope, replay: Replay, attestations: Attestation[], on: string, gameDays: GameDayInventoryEntry[]): ScopeReadiness {
  const members = new Set(scope.members);
  const paths = new Set(scope.members.map((m) => m.path));
  const checks = replay.checks.filter((c) => members.has(c.target));
  const practices = OpsBestPractices.ALL.map((p) => assess(p, scope, checks, attestations, on));
  const open = (risk: OpsRisk) => practices.filter((p) => p.risk === risk && !SATISFIED.includes(p.status));
  return {
    name: scope.name,
    workload: scope.workload,
    tier: common(scope.members, OpsTags.TIER),
    owner: common(scope.members, OpsTags.OWNER),
    onCall: common(scope.members, OpsTags.ONCALL),
    resourceCount: scope.members.length,
    maturity: maturityOf(practices),
    practices,
    highRiskIssues: open(OpsRisk.HIGH),
    mediumRiskIssues: open(OpsRisk.MEDIUM),
    gameDays: gameDays.filter((g) => paths.has(g.resourcePath)).map((g) => g.name),
  };
}

function gameDayInventory(replay: Replay): GameDayInventoryEntry[] {
  return replay.index.ofType('AWS::FIS::ExperimentTemplate').map((template) => {
    const origin = replay.of(template);
    const actions = template.properties.Actions;
    type StopCondition = { Source?: unknown; Value?: unknown };
    const stops = Array.isArray(template.properties.StopConditions) ? template.properties.StopConditions as StopCondition[] : [];
    const alarmName = (value: unknown) => {
      const [id] = [...referencedIds(value)];
      const alarm = id === undefined ? undefined : replay.index.byLogicalId(template.stack, id);
      return alarm ? str(alarm.properties.AlarmName) ?? alarm.logicalId : literals(value).join('').split(':alarm:').pop() ?? '';
    };
    return {
      name: template.tags.Name ?? template.logicalId,
      description: str(template.properties.Description) ?? '',
      stack: origin.stack,
      resourcePath: origin.path,
      service: origin.service,
      workload: origin.workload,
      actions: actions && typeof actions === 'object' ? Object.values(actions as Record<string, { ActionId?: unknown }>).map((a) => String(a.ActionId)) : [],
      stopAlarms: stops.filter((c) => c.Source === 'aws:cloudwatch:alarm').map((c) => alarmName(c.Value)),
    };
  }).sort((a, b) => `${a.workload ?? ''}/${a.service ?? ''}/${a.name}`.localeCompare(`${b.workload ?? ''}/${b.service ?? ''}/${b.name}`));
}

function alarmCatalogue(replay: Replay): AlarmCatalogueEntry[] {
  return replay.index.ofType(...ALARM_TYPES).map((alarm) => {
    const origin = replay.of(alarm);
    const description = literals(alarm.properties.AlarmDescription).join('');
    const owner = /\bOwner: ([^|\n]+?)\s*(\||$)/m.exec(description)?.[1] ?? alarm.tags[OpsTags.OWNER];
    return {
      alarmName: str(alarm.properties.AlarmName) ?? alarm.logicalId,
      kind: alarm.type === 'AWS::CloudWatch::CompositeAlarm' ? 'composite' : 'metric',
      stack: origin.stack,
      resourcePath: origin.path,
      severity: statedSeverity(alarm) ?? 'NONE',
      owner,
      runbook: namedRunbook(alarm),
      service: alarm.tags[OpsTags.SERVICE],
      workload: alarm.tags[OpsTags.WORKLOAD],
      actionCount: alarmActions(alarm).length,
      notifies: notifies(replay.index, alarm),
    };
  }).sort((a, b) => `${a.workload ?? ''}/${a.service ?? ''}/${a.alarmName}`.localeCompare(`${b.workload ?? ''}/${b.service ?? ''}/${b.alarmName}`));
}

function runbookInventory(replay: Replay): RunbookInventoryEntry[] {
  return replay.index.ofType('AWS::SSM::Document').filter(isAutomationDocument).map((doc) => {
    const origin = replay.of(doc);
    const content = automationContent(doc);
    const name = str(doc.properties.Name) ?? doc.logicalId;
    return {
      documentName: name,
      title: /^#\s+(.+)$/m.exec(content.description ?? '')?.[1] ?? name,
      stack: origin.stack,
      resourcePath: origin.path,
      service: doc.tags[OpsTags.SERVICE],
      workload: doc.tags[OpsTags.WORKLOAD],
      steps: content.steps.map((s) => s.name ?? s.action ?? '?'),
      changesState: runbookChangesState(replay.index, doc),
      approvalGate: content.steps.some((s) => s.action === 'aws:approve'),
      hasAssumeRole: content.assumeRole !== undefined && content.assumeRole !== '',
    };
  }).sort((a, b) => a.documentName.localeCompare(b.documentName));
}

/** Build the readiness report of a replayed assembly. */
export function buildReport(assembly: Assembly, replay: Replay, attestations: Attestation[], on: string): ReadinessReport {
  const workloads = new Map<string, ReplayedResource[]>();
  const services = new Map<string, Scope>();
  for (const r of replay.resources) {
    if (r.resource.type === 'AWS::CDK::Metadata') continue;
    const workload = r.workload ?? UNASSIGNED;
    if (!workloads.has(workload)) workloads.set(workload, []);
    workloads.get(workload)!.push(r);
    const service = r.service;
    if (service !== undefined) {
      const key = `${workload}\u0000${service}`;
      if (!services.has(key)) services.set(key, { name: service, workload, service, members: [] });
      (services.get(key)!.members as ReplayedResource[]).push(r);
    }
  }
  const byName = <T extends { workload: string; name: string }>(a: T, b: T) => a.workload.localeCompare(b.workload) || a.name.localeCompare(b.name);
  const gameDays = gameDayInventory(replay);
  const workloadReadiness = [...workloads.entries()]
    .map(([name, members]) => readiness({ name, workload: name, members }, replay, attestations, on, gameDays)).sort(byName);
  const serviceReadiness = [...services.values()].map((s) => readiness(s, replay, attestations, on, gameDays)).sort(byName);
  const servicesByMaturity: Record<string, number> = {};
  for (const level of Object.values(MaturityLevel)) servicesByMaturity[level] = serviceReadiness.filter((s) => s.maturity === level).length;
  const allFindings = replay.checks.flatMap((c) => c.findingIds.map((id) => c.acknowledged.has(id)));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    frameworkVersion: OpsBestPractices.FRAMEWORK_VERSION,
    rulePack: { plugin: PLUGIN_NAME, rules: String(OperationalExcellenceChecks.RULES.length) },
    assessedOn: on,
    stacks: assembly.stacks.map((s) => s.artifactId),
    summary: {
      services: serviceReadiness.length,
      servicesByMaturity,
      highRiskIssues: serviceReadiness.reduce((n, s) => n + s.highRiskIssues.length, 0),
      mediumRiskIssues: serviceReadiness.reduce((n, s) => n + s.mediumRiskIssues.length, 0),
      openFindings: allFindings.filter((acked) => !acked).length,
      acknowledgedFindings: allFindings.filter((acked) => acked).length,
      criticalWithHighRisk: serviceReadiness.filter((s) => s.tier === 'critical' && s.highRiskIssues.length > 0).map((s) => `${s.workload}/${s.name}`),
      servicesWithGameDay: serviceReadiness.filter((s) => s.gameDays.length > 0).length,
    },
    workloads: workloadReadiness,
    services: serviceReadiness,
    alarms: alarmCatalogue(replay),
    runbooks: runbookInventory(replay),
    gameDays,
  };
}
