import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { OpsBestPractices, OpsRisk } from './best-practices';

/** The plugin name of the pack: the namespace of acknowledgements (`OpsExcellence::OPS-...`). */
export const PLUGIN_NAME = 'OpsExcellence';
/** The rule-id prefix. */
export const RULE_PREFIX = 'OPS';

/**
 * One rule of the operational-excellence pack, as documentation, the readiness review and the custom lens see it.
 */
export interface OpsRule {
  /** The rule id as it appears in findings, e.g. `OPS-AlarmAction`. */
  readonly id: string;
  /** The id to acknowledge a finding with: `OpsExcellence::OPS-AlarmAction` (append `[finding]` for granular findings). */
  readonly acknowledgeId: string;
  /** The folder of the rule under `src/nag/rules/` (alarms, observability, deployment, ...). */
  readonly area: string;
  /** The Operational Excellence best practices the rule gives evidence for, e.g. `OPS08-BP04`. */
  readonly bestPractices: string[];
  /** The risk of leaving it unfixed: the highest risk the framework states for those best practices. */
  readonly risk: OpsRisk;
  /** How the finding is reported: ERROR fails synth, WARN and INFO do not. */
  readonly level: NagMessageLevel;
  /**
   * Where the rule reports some resources at another level than `level`, which (e.g. `WARN on components`).
   *
   * @default - every finding is reported at `level`
   */
  readonly levelNote?: string;
  /** What is wrong, one line. */
  readonly info: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to fix it (with cdk-operable, and with plain aws-cdk-lib). */
  readonly fix: string;
}

/** How reports name a level: ERROR, WARN or INFO (cdk-nag's enum values read Error, Warning, Info). */
export function levelName(level: NagMessageLevel): 'ERROR' | 'WARN' | 'INFO' {
  return level === NagMessageLevel.ERROR ? 'ERROR' : level === NagMessageLevel.WARN ? 'WARN' : 'INFO';
}

/** A rule: its metadata and its pure check. */
export interface RuleDefinition {
  readonly rule: OpsRule;
  readonly check: (node: CfnResource) => NagRuleResult;
  /** The level of the rule's findings on a resource when it is not the rule's level (see `RuleSpec.levelOn`). */
  readonly levelOn?: (node: CfnResource) => NagMessageLevel | undefined;
}

/** What a rule file declares; the id, acknowledgement id and risk are derived. */
export interface RuleSpec {
  readonly name: string;
  readonly area: string;
  readonly bestPractices: string[];
  readonly level: NagMessageLevel;
  /**
   * The level of the findings on a resource when it differs from `level` (undefined: `level`); decided from the
   * resource before the check runs. Used where a rule was extended to new resources whose findings must not fail the
   * synth of apps that passed before. Say which in `levelNote`.
   */
  readonly levelOn?: (node: CfnResource) => NagMessageLevel | undefined;
  readonly levelNote?: string;
  readonly info: string;
  readonly explanation: string;
  readonly fix: string;
}

/** Declare a rule: validates its best-practice ids against the catalogue and derives its risk from them. */
export function defineRule(spec: RuleSpec, check: (node: CfnResource) => NagRuleResult): RuleDefinition {
  if ((spec.levelOn === undefined) !== (spec.levelNote === undefined)) {
    throw new Error(`rule ${spec.name}: give levelOn and levelNote together (the note documents what levelOn does).`);
  }
  const practices = spec.bestPractices.map((id) => OpsBestPractices.of(id));
  const id = `${RULE_PREFIX}-${spec.name}`;
  return {
    rule: {
      id,
      acknowledgeId: `${PLUGIN_NAME}::${id}`,
      area: spec.area,
      bestPractices: spec.bestPractices,
      risk: OpsBestPractices.highestRisk(practices.map((p) => p.risk)),
      level: spec.level,
      ...(spec.levelNote !== undefined ? { levelNote: spec.levelNote } : {}),
      info: spec.info,
      explanation: spec.explanation,
      fix: spec.fix,
    },
    check,
    levelOn: spec.levelOn,
  };
}
