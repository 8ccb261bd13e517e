import { PracticeStatus, ReadinessReport, ScopeReadiness } from './model';
import { findingKey } from './scopes';
import { OpsBestPractices } from '../nag/best-practices';
import { OperationalExcellenceChecks, rulesOfPractice } from '../nag/pack';
import { levelName } from '../nag/rule';

/*
 * The JSON form of a report (schema 2.x). Texts are written once and referenced by id: the practice catalogue (title,
 * risk, page, rules), the rule texts (level, what is wrong, how to fix) and every finding (a workload and its service
 * share their findings). Each scope lists its practices grouped by status, its issues by practice id, and its findings
 * by index into `findings`. Large arrays are written one element per line, so a committed baseline diffs line by line.
 */

/** A scope as the JSON report writes it: the model's fields, practices and issues by id, findings and attestations by index. */
export type ScopeJson = Omit<ScopeReadiness, 'practices' | 'highRiskIssues' | 'mediumRiskIssues'> & {
  readonly highRiskIssues: string[];
  readonly mediumRiskIssues: string[];
  /** Practice ids by status (only statuses the scope has). */
  readonly practices: Record<string, string[]>;
  /** Indexes into the report's `findings` (open and acknowledged). */
  readonly findings: number[];
  /** Practice id → index into the report's `attestations`. */
  readonly attestations: Record<string, number>;
};


/** The report as JSON: catalogue, rules, findings and attestations once, scopes referencing them. */
export function reportToJson(report: ReadinessReport): string {
  const findings: object[] = [];
  const findingIndex = new Map<string, number>();
  const attestations: object[] = [];
  const attestationIndex = new Map<object, number>();
  const scope = (s: ScopeReadiness): ScopeJson => {
    const byStatus: Record<string, string[]> = {};
    const indexes = new Set<number>();
    const attested: Record<string, number> = {};
    for (const p of s.practices) {
      (byStatus[p.status] ??= []).push(p.practiceId);
      for (const f of [...p.findings, ...p.acknowledged]) {
        const key = findingKey(f);
        let i = findingIndex.get(key);
        if (i === undefined) {
          i = findings.length;
          findingIndex.set(key, i);
          findings.push({
            ruleId: f.ruleId,
            findingId: f.findingId,
            stack: f.stack,
            resourcePath: f.resourcePath,
            logicalId: f.logicalId,
            resourceType: f.resourceType,
            ...(f.acknowledgedReason !== undefined ? { acknowledgedReason: f.acknowledgedReason } : {}),
          });
        }
        indexes.add(i);
      }
      if (p.attestation && p.status === PracticeStatus.ATTESTED) {
        let i = attestationIndex.get(p.attestation);
        if (i === undefined) {
          i = attestations.length;
          attestationIndex.set(p.attestation, i);
          const a = p.attestation;
          attestations.push({ practiceId: a.practiceId, attestedBy: a.attestedBy, date: a.date, expires: a.expires, evidence: a.evidence });
        }
        attested[p.practiceId] = i;
      }
    }
    return {
      kind: s.kind,
      name: s.name,
      workload: s.workload,
      tier: s.tier,
      owner: s.owner,
      onCall: s.onCall,
      resourceCount: s.resourceCount,
      maturity: s.maturity,
      score: s.score,
      highRiskIssues: s.highRiskIssues.map((p) => p.practiceId),
      mediumRiskIssues: s.mediumRiskIssues.map((p) => p.practiceId),
      gameDays: s.gameDays,
      practices: byStatus,
      findings: [...indexes].sort((a, b) => a - b),
      attestations: attested,
    };
  };
  const workloads = report.workloads.map(scope);
  const unowned = report.unowned.map(scope);
  const services = report.services.map(scope);
  const doc: Array<[string, unknown, boolean]> = [
    ['schemaVersion', report.schemaVersion, false],
    ['frameworkVersion', report.frameworkVersion, false],
    ['rulePack', report.rulePack, false],
    ['assessedOn', report.assessedOn, false],
    ['assemblies', report.assemblies, false],
    ['stacks', report.stacks, true],
    ['summary', report.summary, false],
    ...(report.sinceBaseline ? [['sinceBaseline', report.sinceBaseline, false] as [string, unknown, boolean]] : []),
    ['practices', OpsBestPractices.ALL.map((p) => ({
      id: p.id,
      questionId: p.questionId,
      title: p.title,
      risk: p.risk,
      url: p.url,
      ruleIds: rulesOfPractice(p.id),
    })), true],
    ['rules', OperationalExcellenceChecks.RULES.map((r) => ({
      id: r.id,
      level: levelName(r.level),
      bestPractices: r.bestPractices,
      info: r.info,
      fix: r.fix,
    })), true],
    ['workloads', workloads, true],
    ['unowned', unowned, true],
    ['services', services, true],
    ['findings', findings, true],
    ['attestations', attestations, true],
    ['alarms', report.alarms, true],
    ['runbooks', report.runbooks, true],
    ['gameDays', report.gameDays, true],
  ];
  const lines = doc.map(([key, value, perLine]) => {
    const k = JSON.stringify(key);
    if (!perLine || !Array.isArray(value) || value.length === 0) return `  ${k}: ${JSON.stringify(value)}`;
    return `  ${k}: [\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}
