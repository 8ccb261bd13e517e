import { planLensRelease } from './lens-release';
import { RiskRule, tieredRiskRules } from './lens-rules';
import { clip, ID_PATTERN, LIMITS, MAX_SIZE_BYTES, normalizedLensName, restrictedCharacters, SCHEMA_VERSION, validateLensJson } from './lens-validate';
import { fail } from '../core/errors';
import { OpsArea, OpsBestPractice, OpsBestPractices, OpsQuestion, OpsRisk } from '../nag/best-practices';
import { OperationalExcellenceChecks } from '../nag/pack';
import { OpsRule } from '../nag/rule';

/**
 * Options of a Well-Architected custom lens generated from the operational-excellence rule pack.
 */
export interface CustomLensProps {
  /**
   * The lens name shown in the Well-Architected Tool (at most 128 characters).
   *
   * @default 'cdk-operable Operational Readiness'
   */
  readonly lensName?: string;

  /**
   * The lens description (at most 2,048 characters).
   *
   * @default - generated: names the framework version, the rule pack and which questions are included
   */
  readonly description?: string;

  /**
   * Include all eleven Operational Excellence questions, also those no rule of the pack gives synth-time evidence for
   * (their practices are attested).
   *
   * @default false - only the questions at least one rule of the pack gives evidence for
   */
  readonly includeUncoveredQuestions?: boolean;
}

interface ContentDoc { readonly displayText: string; readonly url?: string }
interface ChoiceDoc {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly helpfulResource: ContentDoc;
  readonly improvementPlan?: ContentDoc;
}
interface QuestionDoc {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly helpfulResource: ContentDoc;
  readonly choices: ChoiceDoc[];
  readonly riskRules: RiskRule[];
}
interface PillarDoc { readonly id: string; readonly name: string; readonly questions: QuestionDoc[] }
interface LensDoc { readonly schemaVersion: string; readonly name: string; readonly description: string; readonly pillars: PillarDoc[] }

const AREAS = [OpsArea.ORGANIZATION, OpsArea.PREPARE, OpsArea.OPERATE, OpsArea.EVOLVE];
const GENERIC_PLAN = 'Establish this practice and record an attestation (see docs/readiness-review.md, Attestations).';

/**
 * One row of the crosswalk from lens choices to Well-Architected best practices.
 */
export interface LensCrosswalkEntry {
  /** The lens question id, e.g. `ops08`. */
  readonly questionId: string;
  /** The lens choice id, e.g. `ops08_bp04`. */
  readonly choiceId: string;
  /**
   * The statement tier: `core` (needed to avoid high risk), `sec` (needed for no risk) or `none` (a LOW practice: listed,
   * in no risk rule).
   */
  readonly tier: string;
  /** The Well-Architected best-practice id, e.g. `OPS08-BP04`. */
  readonly bestPracticeId: string;
  /** The best-practice title. */
  readonly bestPracticeTitle: string;
  /** The risk the framework states when the practice is not established. */
  readonly frameworkRisk: OpsRisk;
  /** The framework version the ids and titles are from. */
  readonly frameworkVersion: string;
  /** The framework page. */
  readonly url: string;
  /** The rules of the pack that check the practice at synth (empty: attested). */
  readonly rules: string[];
}

/**
 * What releasing a new version of a published lens involves (see `CustomLens.planRelease`).
 */
export interface LensReleasePlan {
  /** Why the new JSON cannot be imported over the published lens (empty when it can). */
  readonly problems: string[];
  /**
   * Whether the new version must be published as a major version (`create-lens-version --is-major-version`): a
   * question or choice was removed or a risk rule changed, so reviews must be upgraded.
   */
  readonly majorVersion: boolean;
  /** Question ids only in the new version. */
  readonly addedQuestionIds: string[];
  /** Question ids only in the published version (their answers leave the current review). */
  readonly removedQuestionIds: string[];
  /** Choice ids (`question/choice`) only in the new version. */
  readonly addedChoiceIds: string[];
  /** Choice ids (`question/choice`) only in the published version (their selections are cleared on upgrade). */
  readonly removedChoiceIds: string[];
  /** Question ids whose risk rules changed. */
  readonly changedRiskRuleQuestionIds: string[];
}

/**
 * A Well-Architected Tool custom lens (schema version 2021-11-01) generated from the Operational Excellence catalogue
 * and the `OpsExcellence` rule pack: one pillar per pillar area (Organization, Prepare, Operate, Evolve), one question
 * per OPS question, one choice per best practice plus a final "None of these" choice.
 *
 * It is built the way the AWS Operational Readiness Review lens 2.0 is, so the two sit side by side in the Tool: each
 * choice is a statement with a tier (`core` for the practices the framework rates HIGH, `sec` for MEDIUM ones), at
 * most three risk rules are generated from the tiers (no risk when every core and secondary statement is selected,
 * medium risk when every core one is, else the question's maximum risk; the Tool takes the first rule that holds),
 * and "None of these" is guarded in the rules because the Tool's API does not make it exclusive. Each question
 * description starts with its maximum risk; each choice names the rules that check it at synth (or says it is
 * attested), links the framework page (`crosswalk()` lists them) and carries the first checking rule's fix as its
 * improvement plan. The JSON is validated against the lens limits and the character set `import-lens` accepts.
 */
export class CustomLens {
  /** The custom lens schema version (from the AWS lens template; do not change). */
  public static readonly SCHEMA_VERSION = SCHEMA_VERSION;
  /** The largest lens the Well-Architected Tool imports, in UTF-8 bytes. */
  public static readonly MAX_SIZE_BYTES = MAX_SIZE_BYTES;
  /** The lens name when none is given. */
  public static readonly DEFAULT_NAME = 'cdk-operable Operational Readiness';
  /** The pattern every pillar, question and choice id must match (pillar and choice ids also at most 64 characters). */
  public static readonly ID_PATTERN = ID_PATTERN.source;
  /**
   * The name of the AWS Operational Readiness Review lens. A lens whose normalized name equals it cannot be imported
   * into an account that has the ORR lens, so `lensName` may not normalize to it.
   */
  public static readonly AWS_ORR_LENS_NAME = 'AWS Operational Readiness Review';

  /**
   * Check any custom lens JSON against the documented limits. Returns one line per problem, naming the path of the
   * offending value and the fix; an empty list means the lens is within the limits.
   *
   * @param json the lens JSON as a string
   */
  public static validate(json: string): string[] {
    return validateLensJson(json);
  }

  /**
   * What importing `nextJson` over the published lens `publishedJson` involves: problems that make `import-lens`
   * reject it (a changed lens name: a published lens cannot be renamed, not even by a major version), whether it must
   * be published as a major version, and which question and choice ids come and go.
   *
   * @param publishedJson the lens JSON last published (e.g. from `aws wellarchitected export-lens`)
   * @param nextJson the new lens JSON
   */
  public static planRelease(publishedJson: string, nextJson: string): LensReleasePlan {
    return planLensRelease(publishedJson, nextJson);
  }

  /**
   * The lens choice id of a best practice, e.g. `ops08_bp04` for `OPS08-BP04`.
   *
   * @param bestPracticeId the best-practice id
   */
  public static choiceIdOf(bestPracticeId: string): string {
    return bestPracticeId.toLowerCase().replace('-', '_');
  }

  /** The lens name. */
  public readonly lensName: string;
  /** The lens description. */
  public readonly description: string;
  /** The number of pillars (pillar areas with at least one included question). */
  public readonly pillarCount: number;
  /** The number of questions. */
  public readonly questionCount: number;
  /** The number of choices, "None of these" choices included. */
  public readonly choiceCount: number;
  /** The question ids in lens order, e.g. `ops08`. */
  public readonly questionIds: string[];
  /** The size of `toJson()` in UTF-8 bytes. */
  public readonly sizeBytes: number;

  private readonly json: string;
  private readonly rows: LensCrosswalkEntry[];

  constructor(props: CustomLensProps = {}) {
    const rules = OperationalExcellenceChecks.RULES;
    const name = props.lensName ?? CustomLens.DEFAULT_NAME;
    if (name.trim().length === 0 || name.length > LIMITS.name) {
      fail(undefined, `CustomLens: lensName '${clip(name, 40)}' is ${name.length} characters; give 1 to ${LIMITS.name}.`);
    }
    checkRestricted('lensName', name);
    if (normalizedLensName(name) === normalizedLensName(CustomLens.AWS_ORR_LENS_NAME)) {
      fail(undefined, `CustomLens: lensName '${name}' normalizes to '${normalizedLensName(name)}', the name of the AWS ORR lens; the ` +
        'Well-Architected Tool rejects a second lens with that normalized name in the same account and Region: choose another name.');
    }
    const questions = OpsBestPractices.QUESTIONS.filter((q) => props.includeUncoveredQuestions || rulesOfQuestion(rules, q.id).length > 0);
    const description = props.description ?? defaultDescription(rules.length, props.includeUncoveredQuestions ?? false);
    if (description.trim().length === 0 || description.length > LIMITS.description) {
      fail(undefined, `CustomLens: description is ${description.length} characters; give 1 to ${LIMITS.description}.`);
    }
    checkRestricted('description', description);
    const pillars: PillarDoc[] = AREAS
      .map((area) => ({
        id: `ops_${area.toLowerCase()}`,
        name: `Operational Excellence: ${area}`,
        questions: questions.filter((q) => q.area === area).map((q) => questionDoc(q, rules)),
      }))
      .filter((p) => p.questions.length > 0);
    const doc: LensDoc = { schemaVersion: CustomLens.SCHEMA_VERSION, name, description, pillars };

    this.json = JSON.stringify(doc, undefined, 2);
    const problems = CustomLens.validate(this.json);
    if (problems.length > 0) {
      fail(undefined, `CustomLens: the generated lens breaks Well-Architected limits: ${problems.join(' ')} Change the props named above.`);
    }
    this.lensName = name;
    this.description = description;
    this.pillarCount = pillars.length;
    this.questionIds = pillars.flatMap((p) => p.questions.map((q) => q.id));
    this.questionCount = this.questionIds.length;
    this.choiceCount = pillars.reduce((n, p) => n + p.questions.reduce((m, q) => m + q.choices.length, 0), 0);
    this.sizeBytes = Buffer.byteLength(this.json, 'utf8');
    this.rows = questions.flatMap((q) => OpsBestPractices.ofQuestion(q.id).map((bp) => ({
      questionId: q.id.toLowerCase(),
      choiceId: CustomLens.choiceIdOf(bp.id),
      tier: tierOf(bp.risk),
      bestPracticeId: bp.id,
      bestPracticeTitle: bp.title,
      frameworkRisk: bp.risk,
      frameworkVersion: OpsBestPractices.FRAMEWORK_VERSION,
      url: bp.url,
      rules: rules.filter((r) => r.bestPractices.includes(bp.id)).map((r) => r.id),
    })));
  }

  /**
   * The lens as Well-Architected custom lens JSON (2-space indentation), ready for `import-lens` or `AWS::WellArchitected::Lens`.
   */
  public toJson(): string {
    return this.json;
  }

  /**
   * The crosswalk from every practice choice of the lens to its Well-Architected best practice: tier, framework risk,
   * framework version, page and the rules that check it ("None of these" choices are not listed).
   */
  public crosswalk(): LensCrosswalkEntry[] {
    return this.rows.map((r) => ({ ...r, rules: [...r.rules] }));
  }

  /**
   * The crosswalk as CSV with a header row: `question_id,choice_id,tier,wa_bp_id,wa_bp_title,wa_risk,framework_version,url,rules`
   * (rules separated by spaces).
   */
  public toCrosswalkCsv(): string {
    const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = ['question_id,choice_id,tier,wa_bp_id,wa_bp_title,wa_risk,framework_version,url,rules'];
    for (const r of this.rows) {
      lines.push([r.questionId, r.choiceId, r.tier, r.bestPracticeId, r.bestPracticeTitle, r.frameworkRisk, r.frameworkVersion, r.url,
        r.rules.join(' ')].map(cell).join(','));
    }
    return `${lines.join('\n')}\n`;
  }
}

function checkRestricted(prop: string, value: string): void {
  const bad = restrictedCharacters(value);
  if (bad.length > 0) {
    fail(undefined, `CustomLens: ${prop} '${clip(value, 40)}' contains ${bad.map((c) => `'${c}'`).join(' ')}, which import-lens rejects in ` +
      "lens names and descriptions: use only letters, digits, spaces, line breaks and - _ . , : / ( ) @ ! & # + ' ?.");
  }
}

function tierOf(risk: OpsRisk): string {
  return risk === OpsRisk.HIGH ? 'core' : risk === OpsRisk.MEDIUM ? 'sec' : 'none';
}

function rulesOfQuestion(rules: OpsRule[], questionId: string): OpsRule[] {
  return rules.filter((r) => r.bestPractices.some((bp) => bp.startsWith(`${questionId}-`)));
}

function defaultDescription(ruleCount: number, all: boolean): string {
  return `Operational readiness review of the AWS Well-Architected Operational Excellence pillar (framework ${OpsBestPractices.FRAMEWORK_VERSION}), ` +
    `generated by cdk-operable from the ${OperationalExcellenceChecks.PLUGIN_NAME} rule pack (${ruleCount} rules). ` +
    (all ? 'All eleven questions are included, practices no rule checks are attested. '
      : 'Only the questions at least one rule gives synth-time evidence for are included. ') +
    'Each choice is a best practice, and its description names the rules that check it at synth. ' +
    'Built like the AWS ORR lens 2.0: tiered statements, at most three risk rules, None of these guarded.';
}

const MAX_RISK_TEXT: Record<string, string> = {
  HIGH_RISK: 'Maximum risk: High (launch-blocking unless remediated or formally accepted).',
  MEDIUM_RISK: 'Maximum risk: Medium (not launch-blocking, remediate on a plan).',
  NO_RISK: 'Maximum risk: None (the framework rates every practice of this question Low).',
};

function questionDoc(question: OpsQuestion, rules: OpsRule[]): QuestionDoc {
  const qid = question.id.toLowerCase();
  const noneId = `${qid}_no`;
  const practices = OpsBestPractices.ofQuestion(question.id);
  const evidence = rulesOfQuestion(rules, question.id)
    .map((r) => `${r.id} (${r.bestPractices.filter((bp) => bp.startsWith(`${question.id}-`)).join(', ')})`);
  const choices: ChoiceDoc[] = practices.map((bp: OpsBestPractice) => {
    const checking = rules.filter((r) => r.bestPractices.includes(bp.id));
    return {
      id: CustomLens.choiceIdOf(bp.id),
      title: clip(bp.title, LIMITS.title),
      description: clip(`${bp.id}. Risk if not established: ${bp.risk} (tier ${tierOf(bp.risk)}). ` +
        (checking.length > 0 ? `Checked at synth by ${checking.map((r) => r.id).join(', ')}.` : 'Attested, not checked at synth.'), LIMITS.choiceText),
      helpfulResource: { displayText: clip(`${bp.id} ${bp.title} (AWS Well-Architected Framework)`, LIMITS.choiceText), url: bp.url },
      improvementPlan: { displayText: clip(checking.length > 0 ? checking[0].fix : GENERIC_PLAN, LIMITS.choiceText), url: bp.url },
    };
  });
  choices.push({
    id: noneId,
    title: 'None of these',
    description: 'None of these practices is established for this workload.',
    helpfulResource: { displayText: 'Select this when no practice of the question is in place; the question is then at its highest risk, whatever else is selected.' },
  });
  const ids = (risk: OpsRisk) => practices.filter((p) => p.risk === risk).map((p) => CustomLens.choiceIdOf(p.id));
  const riskRules = tieredRiskRules(ids(OpsRisk.HIGH), ids(OpsRisk.MEDIUM), noneId);
  const maxRisk = riskRules[riskRules.length - 1].risk;
  return {
    id: qid,
    title: clip(question.title, LIMITS.title),
    description: clip(`${MAX_RISK_TEXT[maxRisk]} ${question.id} of the Operational Excellence pillar (framework ${OpsBestPractices.FRAMEWORK_VERSION}). ` +
      (evidence.length > 0 ? `Evidence at synth from the rules ${evidence.join(', ')}. Other practices are attested.`
        : 'No rule checks this question at synth: every practice is attested.'), LIMITS.text),
    helpfulResource: { displayText: clip(`${question.id}: ${question.title} (AWS Well-Architected Framework)`, LIMITS.text), url: question.url },
    choices,
    riskRules,
  };
}
