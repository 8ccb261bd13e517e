import { Assembly } from './assembly';
import { Attestation } from './attestations';
import { alarmCatalogue, gameDayInventory, runbookInventory } from './inventory';
import { MaturityLevel, ReadinessReport, ScopeReadiness } from './model';
import { Replay, ReplayedCheck, ReplayedResource } from './replay';
import { SCOPE_UNOWNED, readiness, scopeLabel, scopesOf } from './scopes';
import { ServiceTier } from '../core/service-tier';
import { OpsBestPractices } from '../nag/best-practices';
import { OperationalExcellenceChecks } from '../nag/pack';
import { PLUGIN_NAME } from '../nag/rule';

/**
 * The version of the report's JSON schema. 2.0.0: every resource counts (workload and unowned scopes), the
 * NOT_APPLICABLE status, scores, changes since a baseline, and texts written once (practice catalogue, rules, findings)
 * and referenced by id.
 */
export const REPORT_SCHEMA_VERSION = '2.0.0';

function byMaturity(scopes: ScopeReadiness[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const level of Object.values(MaturityLevel)) out[level] = scopes.filter((s) => s.maturity === level).length;
  return out;
}

/** Build the readiness report of a replayed assembly. */
export function buildReport(assembly: Assembly, replay: Replay, attestations: Attestation[], on: string): ReadinessReport {
  const checksByTarget = new Map<ReplayedResource, ReplayedCheck[]>();
  for (const c of replay.checks) {
    const list = checksByTarget.get(c.target);
    if (list) list.push(c);
    else checksByTarget.set(c.target, [c]);
  }
  const gameDays = gameDayInventory(replay);
  const scopes = scopesOf(replay);
  const assessAll = (list: typeof scopes.services) => list.map((s) => readiness(s, checksByTarget, attestations, on, gameDays));
  const workloads = assessAll(scopes.workloads);
  const unowned = assessAll(scopes.unowned);
  const services = assessAll(scopes.services);
  const wholes = [...workloads, ...unowned];
  const allFindings = replay.checks.flatMap((c) => c.findingIds.map((id) => c.acknowledged.has(id)));
  const sum = (list: ScopeReadiness[], pick: (s: ScopeReadiness) => unknown[]) => list.reduce((n, s) => n + pick(s).length, 0);
  const gate = [...services, ...workloads, ...unowned]
    .filter((s) => s.highRiskIssues.length > 0 && (s.kind === SCOPE_UNOWNED || s.tier === ServiceTier.CRITICAL.name))
    .map(scopeLabel);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    frameworkVersion: OpsBestPractices.FRAMEWORK_VERSION,
    rulePack: { plugin: PLUGIN_NAME, rules: String(OperationalExcellenceChecks.RULES.length) },
    assessedOn: on,
    assemblies: assembly.directories,
    stacks: assembly.stacks.map((s) => s.artifactId),
    summary: {
      services: services.length,
      servicesByMaturity: byMaturity(services),
      workloads: workloads.length,
      workloadsByMaturity: byMaturity(workloads),
      unownedStacks: unowned.length,
      highRiskIssues: sum(wholes, (s) => s.highRiskIssues),
      mediumRiskIssues: sum(wholes, (s) => s.mediumRiskIssues),
      serviceHighRiskIssues: sum(services, (s) => s.highRiskIssues),
      serviceMediumRiskIssues: sum(services, (s) => s.mediumRiskIssues),
      openFindings: allFindings.filter((acked) => !acked).length,
      acknowledgedFindings: allFindings.filter((acked) => acked).length,
      criticalWithHighRisk: gate,
      servicesWithGameDay: services.filter((s) => s.gameDays.length > 0).length,
    },
    workloads,
    unowned,
    services,
    alarms: alarmCatalogue(replay),
    runbooks: runbookInventory(replay),
    gameDays,
  };
}
