import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { newEvaluation, render } from './evidence';
import { OpsRule, PLUGIN_NAME, RULE_PREFIX, RuleDefinition, levelName } from './rule';
import { ALL_RULES } from './rules';
import { fail, REPORTED_GAPS_METADATA } from '../core/errors';

/** Each rule's definition by id. */
const DEFINITIONS = new Map<string, RuleDefinition>(ALL_RULES.map((d) => [d.rule.id, d]));

/** The CDK validation-report severity of each level. */
const SEVERITY = { ERROR: 'error', WARN: 'warning', INFO: 'info' };


/**
 * Options of the operational-excellence rule pack.
 */
export interface OperationalExcellenceChecksProps extends NagPackProps {
  /**
   * Report some rules at another level than their default, by rule id (e.g. `{ 'OPS-Tracing': NagMessageLevel.ERROR }`).
   * ERROR findings fail synth; WARN and INFO findings are reported and never fail it.
   *
   * @default - every rule at the level in `OperationalExcellenceChecks.RULES`
   */
  readonly levels?: { [ruleId: string]: NagMessageLevel };
}

/** One rule evaluated on one resource (what the readiness review replays). */
const RULES_OF_PRACTICE = new Map<string, string[]>();

/** The ids of the rules that give evidence for a best practice, in pack order (none: attestation only). */
export function rulesOfPractice(practiceId: string): string[] {
  let ids = RULES_OF_PRACTICE.get(practiceId);
  if (ids === undefined) {
    ids = ALL_RULES.filter((d) => d.rule.bestPractices.includes(practiceId)).map((d) => d.rule.id);
    RULES_OF_PRACTICE.set(practiceId, ids);
  }
  return ids;
}

export interface RuleEvaluation {
  readonly rule: OpsRule;
  readonly node: CfnResource;
  /** COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, or the findings. */
  readonly result: NagRuleResult | 'ERROR';
  /** The level its findings are reported at on this resource (the rule's, or less: `OpsRule.levelNote`, reported gaps). */
  readonly level: NagMessageLevel;
  readonly error?: string;
}

/**
 * The operational Definition of Done as a cdk-nag v3 rule pack: one rule per file under `src/nag/rules/<area>/`, each
 * mapped to Operational Excellence best practices (see RULES.md).
 *
 * Plugin name `OpsExcellence`, rule ids `OPS-<Rule>`. Register it on the app:
 * `Validations.of(app).addPlugins(new OperationalExcellenceChecks(app))`. Acknowledge a finding with its namespaced
 * id so it appears in the validation report's `suppressedViolations` with the reason:
 * `Validations.of(construct).acknowledge({ id: 'OpsExcellence::OPS-Tracing', reason })`. ERROR findings fail synth;
 * WARN and INFO findings are reported and never fail it.
 */
export class OperationalExcellenceChecks extends NagPack {
  /** The plugin name: the namespace of acknowledgement ids. */
  public static readonly PLUGIN_NAME = PLUGIN_NAME;
  /** The prefix of every rule id. */
  public static readonly RULE_PREFIX = RULE_PREFIX;
  /** Every rule with its metadata, in order. */
  public static readonly RULES: OpsRule[] = ALL_RULES.map((d) => d.rule);

  public readonly name = PLUGIN_NAME;
  /**
   * The ids of every rule, in order (optional only because cdk-nag's `NagPack` declares it so).
   * @default - every rule of `OperationalExcellenceChecks.RULES`
   */
  public readonly ruleIds?: string[] = ALL_RULES.map((d) => d.rule.id);
  private readonly levels: Map<string, NagMessageLevel>;
  private evaluations: RuleEvaluation[] = [];
  private nodes = new Map<string, CfnResource>();

  constructor(scope?: IConstruct, props: OperationalExcellenceChecksProps = {}) {
    super(scope, props);
    this.packName = RULE_PREFIX;
    for (const id of Object.keys(props.levels ?? {})) {
      const known = OperationalExcellenceChecks.RULES.map((r) => r.id);
      if (!known.includes(id)) {
        fail(undefined, `OperationalExcellenceChecks levels: '${id}' is not a rule of the pack; use one of ${known.join(', ')}.`);
      }
    }
    this.levels = new Map(Object.entries(props.levels ?? {}));
  }

  /** Run by CDK at synth: succeeds unless an ERROR-level finding is left unacknowledged. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return super.validate(context);
  }

  /**
   * Check a construct tree without synthesizing (tests, tools). Findings carry the fix and the rule's best practices;
   * INFO findings have severity `info`; `success` is false only when an ERROR finding remains.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    newEvaluation();
    this.evaluations = [];
    this.nodes = new Map();
    const report = super.validateScope(scope);
    // cdk-nag groups the resources of a finding under one level; split them where a resource's level differs (a gap
    // its construct already reported as a warning is at most WARN).
    const violations: PolicyViolation[] = report.violations.flatMap((v) => {
      const rule = this.ruleOf(v.ruleName);
      const byLevel = new Map<NagMessageLevel, typeof v.violatingResources>();
      for (const resource of v.violatingResources) {
        const level = rule ? this.levelOf(rule, resource.constructPath ? this.nodes.get(resource.constructPath) : undefined) : NagMessageLevel.ERROR;
        byLevel.set(level, [...(byLevel.get(level) ?? []), resource]);
      }
      return [...byLevel.entries()].map(([level, violatingResources]) => ({
        ...v,
        violatingResources,
        severity: SEVERITY[levelName(level)],
        fix: rule?.fix,
        ruleMetadata: rule ? { bestPractices: rule.bestPractices.join(','), risk: rule.risk, level } : undefined,
      }));
    });
    return { ...report, violations, success: !violations.some((v) => v.severity === 'error') };
  }

  /** @internal every rule result of the last `validateScope`, compliant and not applicable ones included */
  public _evaluations(): RuleEvaluation[] {
    return this.evaluations;
  }

  protected checkResource(node: CfnResource): void {
    this.nodes.set(node.node.path, node);
    for (const definition of ALL_RULES) {
      this.applyRule({
        ruleSuffixOverride: definition.rule.id.slice(RULE_PREFIX.length + 1),
        info: definition.rule.info,
        explanation: definition.rule.explanation,
        level: this.levelOf(definition.rule, node),
        node,
        rule: (n) => this.run(definition, n),
      });
    }
  }

  private run(definition: RuleDefinition, node: CfnResource): NagRuleResult {
    try {
      const result = definition.check(node);
      if (result !== NagRuleCompliance.NOT_APPLICABLE) {
        this.evaluations.push({ rule: definition.rule, node, result, level: this.levelOf(definition.rule, node) });
      }
      return result;
    } catch (e) {
      this.evaluations.push({ rule: definition.rule, node, result: 'ERROR', error: (e as Error).message, level: this.levelOf(definition.rule, node) });
      throw e;
    }
  }

  /**
   * The level of a rule's findings on a node: the level set in `levels`, else the rule's (on that kind of resource, for a
   * rule whose level depends on it: `OpsRule.levelNote`); a gap that the construct
   * wrapping the resource already reported as an acknowledgeable warning (the `cdk-operable:reported-gaps` metadata) is
   * reported at most at WARN, so it is still listed (and the review still shows it) but does not fail synth twice.
   */
  private levelOf(rule: OpsRule, node?: CfnResource): NagMessageLevel {
    const set = this.levels.get(rule.id);
    if (set !== undefined) return set;
    const level = (node && DEFINITIONS.get(rule.id)?.levelOn?.(node)) ?? rule.level;
    if (node && level === NagMessageLevel.ERROR && reportedGaps(node)[rule.id] !== undefined) return NagMessageLevel.WARN;
    return level;
  }

  private ruleOf(ruleName: string): OpsRule | undefined {
    const id = ruleName.replace(/\[.*\]$/, '');
    return OperationalExcellenceChecks.RULES.find((r) => r.id === id);
  }
}

/** The gaps a construct reported on this resource, from its template metadata (none when the resource cannot be rendered). */
function reportedGaps(node: CfnResource): Record<string, unknown> {
  try {
    const reported = render(node).metadata[REPORTED_GAPS_METADATA];
    return reported && typeof reported === 'object' ? reported as Record<string, unknown> : {};
  } catch {
    return {};
  }
}
