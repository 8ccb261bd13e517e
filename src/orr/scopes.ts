import { Attestation, attestationFor } from './attestations';
import { GameDayInventoryEntry, MaturityLevel, PracticeAssessment, PracticeStatus, ReadinessFinding, ScopeReadiness } from './model';
import { Replay, ReplayedCheck, ReplayedResource } from './replay';
import { OpsTags } from '../core/ops-tags';
import { ServiceTier } from '../core/service-tier';
import { OpsBestPractice, OpsBestPractices, OpsRisk } from '../nag/best-practices';
import { rulesOfPractice } from '../nag/pack';
import { levelName } from '../nag/rule';

/** The kinds of scope a review assesses. */
export const SCOPE_SERVICE = 'service';
export const SCOPE_WORKLOAD = 'workload';
export const SCOPE_UNOWNED = 'unowned';
/** The workload field of an unowned scope (its name is the stack's artifact id). */
export const UNOWNED = 'unowned';

/** Statuses that count towards maturity. */
export const SATISFIED: readonly PracticeStatus[] = [PracticeStatus.MET, PracticeStatus.ATTESTED];
/** Statuses that are never a risk: satisfied, or nothing of the scope the practice concerns. */
const NO_RISK: readonly PracticeStatus[] = [...SATISFIED, PracticeStatus.NOT_APPLICABLE];
/** How much each risk weighs in a scope's score. */
const WEIGHT: Record<string, number> = { [OpsRisk.HIGH]: 3, [OpsRisk.MEDIUM]: 2, [OpsRisk.LOW]: 1 };

/** A set of resources assessed together. */
export interface Scope {
  readonly kind: string;
  readonly name: string;
  readonly workload: string;
  readonly service?: string;
  readonly members: ReplayedResource[];
}

/** A finding's identity across scopes (a workload and its service share their findings). */
export function findingKey(f: ReadinessFinding): string {
  return `${f.stack}\u0000${f.resourcePath}\u0000${f.findingId}`;
}

/** How the scope reads a label in reports, gates and baselines: `workload/service`, `workload`, or `unowned:<stack>`. */
export function scopeLabel(scope: { kind: string; name: string; workload: string }): string {
  return scope.kind === SCOPE_SERVICE ? `${scope.workload}/${scope.name}` : scope.kind === SCOPE_UNOWNED ? `${UNOWNED}:${scope.name}` : scope.name;
}

/**
 * Split the replayed resources into scopes. Every resource counts: for its workload (its `ops:workload` tag, else the
 * workload its stack's tagged resources name — the most common one), and for its service when it has one; a stack no
 * workload claims forms an unowned scope of its own, named after the stack.
 */
export function scopesOf(replay: Replay): { workloads: Scope[]; services: Scope[]; unowned: Scope[] } {
  const resources = replay.resources.filter((r) => r.resource.type !== 'AWS::CDK::Metadata');
  const stackWorkload = new Map<string, string>();
  const counts = new Map<string, Map<string, number>>();
  for (const r of resources) {
    if (r.workload === undefined) continue;
    const perStack = counts.get(r.stack) ?? new Map<string, number>();
    perStack.set(r.workload, (perStack.get(r.workload) ?? 0) + 1);
    counts.set(r.stack, perStack);
  }
  for (const [stack, perStack] of counts) {
    stackWorkload.set(stack, [...perStack.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]);
  }
  const workloads = new Map<string, Scope>();
  const unowned = new Map<string, Scope>();
  const services = new Map<string, Scope>();
  for (const r of resources) {
    const workload = r.workload ?? stackWorkload.get(r.stack);
    const holder = workload === undefined
      ? getOrAdd(unowned, r.stack, () => ({ kind: SCOPE_UNOWNED, name: r.stack, workload: UNOWNED, members: [] }))
      : getOrAdd(workloads, workload, () => ({ kind: SCOPE_WORKLOAD, name: workload, workload, members: [] }));
    holder.members.push(r);
    if (r.service !== undefined) {
      const owner = workload ?? UNOWNED;
      getOrAdd(services, `${owner}\u0000${r.service}`, () => ({ kind: SCOPE_SERVICE, name: r.service!, workload: owner, service: r.service, members: [] }))
        .members.push(r);
    }
  }
  const byName = (a: Scope, b: Scope) => a.workload.localeCompare(b.workload) || a.name.localeCompare(b.name);
  return {
    workloads: [...workloads.values()].sort(byName),
    services: [...services.values()].sort(byName),
    unowned: [...unowned.values()].sort(byName),
  };
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function finding(check: ReplayedCheck, findingId: string): ReadinessFinding {
  const { target, rule } = check;
  return {
    ruleId: rule.id,
    findingId,
    level: levelName(check.level),
    resourcePath: target.path,
    logicalId: target.resource.logicalId,
    stack: target.stack,
    resourceType: target.resource.type,
    info: rule.info,
    fix: rule.fix,
    acknowledgedReason: check.acknowledged.get(findingId),
  };
}


/**
 * Where one practice stands for a scope. A failing check is NOT_MET whatever is attested (a reviewer cannot attest a
 * failing check away); a passing one is MET; a practice whose rules check nothing of the scope is NOT_APPLICABLE
 * (unless the team attested it anyway); a practice no rule checks is ATTESTED or NEEDS_ATTESTATION. Unowned scopes
 * take no attestations: nobody owns them.
 */
function assess(practice: OpsBestPractice, scope: Scope, checksByRule: Map<string, ReplayedCheck[]>, attestations: Attestation[],
  on: string): PracticeAssessment {
  const ruleIds = rulesOfPractice(practice.id);
  const relevant = ruleIds.flatMap((id) => checksByRule.get(id) ?? []);
  const passedChecks = relevant.filter((c) => c.passed).length;
  const all = relevant.flatMap((c) => c.findingIds.map((id) => finding(c, id)));
  const findings = all.filter((f) => f.acknowledgedReason === undefined);
  const acknowledged = all.filter((f) => f.acknowledgedReason !== undefined);
  const attestation = scope.kind === SCOPE_UNOWNED ? undefined : attestationFor(attestations, practice.id, scope.workload, scope.service, on);
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
  } else if (ruleIds.length > 0) {
    // Rules check this practice, and none applies to any resource here (no database, no container, no queue...).
    status = PracticeStatus.NOT_APPLICABLE;
  } else if (scope.kind === SCOPE_UNOWNED) {
    status = PracticeStatus.NEEDS_ATTESTATION;
    improvement = `Nobody owns ${scope.name}: tag its resources '${OpsTags.WORKLOAD}' (and '${OpsTags.OWNER}'), then attest the practice.`;
  } else {
    status = PracticeStatus.NEEDS_ATTESTATION;
    improvement = `No template can show it: establish the practice and attest it ("practice": "${practice.id}" in the attestations file).`;
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

/**
 * Maturity: Bronze when no HIGH-risk practice is open (each one met, attested or not applicable), Silver when no
 * MEDIUM one is either, Gold when no LOW one is. An unowned scope reaches no level.
 */
export function maturityOf(practices: PracticeAssessment[], kind: string = SCOPE_WORKLOAD): MaturityLevel {
  if (kind === SCOPE_UNOWNED) return MaturityLevel.NONE;
  const holds = (risk: OpsRisk) => practices.filter((p) => p.risk === risk).every((p) => NO_RISK.includes(p.status));
  if (!holds(OpsRisk.HIGH)) return MaturityLevel.NONE;
  if (!holds(OpsRisk.MEDIUM)) return MaturityLevel.BRONZE;
  return holds(OpsRisk.LOW) ? MaturityLevel.GOLD : MaturityLevel.SILVER;
}

/**
 * The score (0 to 100): the share of the applicable practices that are met or attested, weighted by risk (HIGH 3,
 * MEDIUM 2, LOW 1). It ranks scopes of one maturity level: a paved-road service with every check passing scores above
 * a hand-made one with gaps.
 */
export function scoreOf(practices: PracticeAssessment[]): number {
  const applicable = practices.filter((p) => p.status !== PracticeStatus.NOT_APPLICABLE);
  const total = applicable.reduce((n, p) => n + WEIGHT[p.risk], 0);
  const met = applicable.filter((p) => SATISFIED.includes(p.status)).reduce((n, p) => n + WEIGHT[p.risk], 0);
  return total === 0 ? 100 : Math.round((1000 * met) / total) / 10;
}

function common(members: ReplayedResource[], key: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members) {
    const v = m.resource.tags[key];
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The tier of a scope: `critical` when any member is critical (a critical resource makes its scope critical), else the most common. */
function tierOf(members: ReplayedResource[]): string | undefined {
  const critical = ServiceTier.CRITICAL.name;
  return members.some((m) => m.resource.tags[OpsTags.TIER]?.toLowerCase() === critical) ? critical : common(members, OpsTags.TIER);
}

/** Assess every practice of a scope. */
export function readiness(scope: Scope, checksByTarget: Map<ReplayedResource, ReplayedCheck[]>, attestations: Attestation[], on: string,
  gameDays: GameDayInventoryEntry[]): ScopeReadiness {
  const checksByRule = new Map<string, ReplayedCheck[]>();
  for (const m of scope.members) {
    for (const c of checksByTarget.get(m) ?? []) getOrAdd(checksByRule, c.rule.id, () => []).push(c);
  }
  const paths = new Set(scope.members.map((m) => m.path));
  const practices = OpsBestPractices.ALL.map((p) => assess(p, scope, checksByRule, attestations, on));
  const open = (p: PracticeAssessment) => !NO_RISK.includes(p.status);
  // In a scope nobody owns, every failing check is high risk: there is no one to page, fix or accept it.
  const high = scope.kind === SCOPE_UNOWNED
    ? practices.filter((p) => p.status === PracticeStatus.NOT_MET || (open(p) && p.risk === OpsRisk.HIGH))
    : practices.filter((p) => open(p) && p.risk === OpsRisk.HIGH);
  const medium = practices.filter((p) => open(p) && p.risk === OpsRisk.MEDIUM && !high.includes(p));
  return {
    kind: scope.kind,
    name: scope.name,
    workload: scope.workload,
    tier: tierOf(scope.members),
    owner: common(scope.members, OpsTags.OWNER),
    onCall: common(scope.members, OpsTags.ONCALL),
    resourceCount: scope.members.length,
    maturity: maturityOf(practices, scope.kind),
    score: scoreOf(practices),
    practices,
    highRiskIssues: high,
    mediumRiskIssues: medium,
    gameDays: gameDays.filter((g) => paths.has(g.resourcePath)).map((g) => g.name),
  };
}
