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

/** A risk rule of a question: a condition over choice ids (or `default`) and the risk it yields. */
interface RiskRuleDoc { readonly condition: string; readonly risk: string }
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
  readonly riskRules: RiskRuleDoc[];
}
interface PillarDoc { readonly id: string; readonly name: string; readonly questions: QuestionDoc[] }
interface LensDoc { readonly schemaVersion: string; readonly name: string; readonly description: string; readonly pillars: PillarDoc[] }

type Json = Record<string, unknown>;

// Limits: lens name/description, 500 KB, PillarId/ChoiceId ≤ 64 and QuestionId ≤ 128 are official (lens format
// specification, ImportLens, API types); choice description and choice content ≤ 1,024 come from API_Choice and
// API_ChoiceContent; the id pattern, title ≤ 128, other text ≤ 2,048, 10 pillars, 20 questions, 15 choices and 1–3 risk
// rules are the limits every community lens tool enforces.
const LIMITS = {
  name: 128,
  description: 2048,
  title: 128,
  text: 2048,
  choiceText: 1024,
  pillarId: 64,
  questionId: 128,
  choiceId: 64,
  pillars: 10,
  questionsPerPillar: 20,
  choicesPerQuestion: 15,
  riskRules: 3,
};
const ID_PATTERN = /^[a-zA-Z0-9_]{3,128}$/;
const RISKS = ['HIGH_RISK', 'MEDIUM_RISK', 'NO_RISK'];
const AREAS = [OpsArea.ORGANIZATION, OpsArea.PREPARE, OpsArea.OPERATE, OpsArea.EVOLVE];
const GENERIC_PLAN = 'Establish this practice and record an attestation (see docs/readiness-review.md, Attestations).';

/**
 * A Well-Architected Tool custom lens (schema version 2021-11-01) generated from the Operational Excellence catalogue
 * and the `OpsExcellence` rule pack: one pillar per pillar area (Organization, Prepare, Operate, Evolve), one question
 * per OPS question, one choice per best practice plus a final "None of these" choice.
 *
 * Each choice names the rules that check the practice at synth (or says it is attested), links the framework page,
 * and carries the first checking rule's fix as its improvement plan. Risk rules per question: no risk when every HIGH
 * and MEDIUM practice is selected, medium risk when every HIGH one is, high risk otherwise (a question without HIGH
 * practices tops out at medium risk). The JSON is validated against the lens limits when the lens is built; deploy it
 * with `OrrLens` or import it with `aws wellarchitected import-lens`.
 */
export class CustomLens {
  /** The custom lens schema version (from the AWS lens template; do not change). */
  public static readonly SCHEMA_VERSION = '2021-11-01';
  /** The largest lens the Well-Architected Tool imports, in UTF-8 bytes. */
  public static readonly MAX_SIZE_BYTES = 500000;
  /** The lens name when none is given. */
  public static readonly DEFAULT_NAME = 'cdk-operable Operational Readiness';
  /** The pattern every pillar, question and choice id must match (pillar and choice ids also at most 64 characters). */
  public static readonly ID_PATTERN = ID_PATTERN.source;

  /**
   * Check any custom lens JSON against the documented limits. Returns one line per problem, naming the path of the
   * offending value and the fix; an empty list means the lens is within the limits.
   *
   * @param json the lens JSON as a string
   */
  public static validate(json: string): string[] {
    const problems: string[] = [];
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > CustomLens.MAX_SIZE_BYTES) {
      problems.push(`the lens is ${bytes} bytes (UTF-8); the limit is ${CustomLens.MAX_SIZE_BYTES}: remove questions or shorten texts.`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (e) {
      return [...problems, `the lens is not valid JSON (${(e as Error).message}): fix the syntax.`];
    }
    validateLens(doc, problems);
    return problems;
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

  constructor(props: CustomLensProps = {}) {
    const rules = OperationalExcellenceChecks.RULES;
    const name = props.lensName ?? CustomLens.DEFAULT_NAME;
    if (name.trim().length === 0 || name.length > LIMITS.name) {
      fail(undefined, `CustomLens: lensName '${clip(name, 40)}' is ${name.length} characters; give 1 to ${LIMITS.name}.`);
    }
    const questions = OpsBestPractices.QUESTIONS.filter((q) => props.includeUncoveredQuestions || rulesOfQuestion(rules, q.id).length > 0);
    const description = props.description ?? defaultDescription(rules.length, props.includeUncoveredQuestions ?? false);
    if (description.trim().length === 0 || description.length > LIMITS.description) {
      fail(undefined, `CustomLens: description is ${description.length} characters; give 1 to ${LIMITS.description}.`);
    }
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
  }

  /**
   * The lens as Well-Architected custom lens JSON (2-space indentation), ready for `import-lens` or `AWS::WellArchitected::Lens`.
   */
  public toJson(): string {
    return this.json;
  }
}

/**
 * The risk rules of a question whose HIGH and MEDIUM practices have these choice ids; mutually exclusive conditions,
 * `default` last.
 */
function riskRules(high: string[], medium: string[]): RiskRuleDoc[] {
  const all = (ids: string[]) => ids.join(' && ');
  const notAll = (ids: string[]) => (ids.length === 1 ? `!${ids[0]}` : `(${ids.map((id) => `!${id}`).join(' || ')})`);
  if (high.length > 0 && medium.length > 0) {
    return [
      { condition: `${all(high)} && ${all(medium)}`, risk: 'NO_RISK' },
      { condition: `${all(high)} && ${notAll(medium)}`, risk: 'MEDIUM_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ];
  }
  if (high.length > 0) {
    return [{ condition: all(high), risk: 'NO_RISK' }, { condition: 'default', risk: 'HIGH_RISK' }];
  }
  if (medium.length > 0) {
    return [{ condition: all(medium), risk: 'NO_RISK' }, { condition: 'default', risk: 'MEDIUM_RISK' }];
  }
  // Only LOW practices: leaving them out is no risk the framework rates.
  return [{ condition: 'default', risk: 'NO_RISK' }];
}

function rulesOfQuestion(rules: OpsRule[], questionId: string): OpsRule[] {
  return rules.filter((r) => r.bestPractices.some((bp) => bp.startsWith(`${questionId}-`)));
}

function defaultDescription(ruleCount: number, all: boolean): string {
  return `Operational readiness review of the AWS Well-Architected Operational Excellence pillar (framework ${OpsBestPractices.FRAMEWORK_VERSION}), ` +
    `generated by cdk-operable from the ${OperationalExcellenceChecks.PLUGIN_NAME} rule pack (${ruleCount} rules). ` +
    (all ? 'All eleven questions are included; practices no rule checks are attested. '
      : 'Only the questions at least one rule gives synth-time evidence for are included. ') +
    'Each choice is a best practice; its description names the rules that check it at synth.';
}

function choiceId(bp: OpsBestPractice): string {
  return bp.id.toLowerCase().replace('-', '_');
}

function questionDoc(question: OpsQuestion, rules: OpsRule[]): QuestionDoc {
  const qid = question.id.toLowerCase();
  const practices = OpsBestPractices.ofQuestion(question.id);
  const evidence = rulesOfQuestion(rules, question.id)
    .map((r) => `${r.id} (${r.bestPractices.filter((bp) => bp.startsWith(`${question.id}-`)).join(', ')})`);
  const choices: ChoiceDoc[] = practices.map((bp) => {
    const checking = rules.filter((r) => r.bestPractices.includes(bp.id));
    return {
      id: choiceId(bp),
      title: clip(bp.title, LIMITS.title),
      description: clip(`${bp.id}. Risk if not established: ${bp.risk}. ` +
        (checking.length > 0 ? `Checked at synth by ${checking.map((r) => r.id).join(', ')}.` : 'Attested, not checked at synth.'), LIMITS.choiceText),
      helpfulResource: { displayText: clip(`${bp.id} ${bp.title} (AWS Well-Architected Framework)`, LIMITS.choiceText), url: bp.url },
      improvementPlan: { displayText: clip(checking.length > 0 ? checking[0].fix : GENERIC_PLAN, LIMITS.choiceText), url: bp.url },
    };
  });
  choices.push({
    id: `${qid}_no`,
    title: 'None of these',
    description: 'None of these practices is established for this workload.',
    helpfulResource: { displayText: 'Select this when no practice of the question is in place; the question is then at its highest risk.' },
  });
  const ids = (risk: OpsRisk) => practices.filter((p) => p.risk === risk).map(choiceId);
  return {
    id: qid,
    title: clip(question.title, LIMITS.title),
    description: clip(`${question.id} of the Operational Excellence pillar (framework ${OpsBestPractices.FRAMEWORK_VERSION}). ` +
      (evidence.length > 0 ? `Evidence at synth from the rules ${evidence.join('; ')}. Other practices are attested.`
        : 'No rule checks this question at synth: every practice is attested.'), LIMITS.text),
    helpfulResource: { displayText: clip(`${question.id}: ${question.title} (AWS Well-Architected Framework)`, LIMITS.text), url: question.url },
    choices,
    riskRules: riskRules(ids(OpsRisk.HIGH), ids(OpsRisk.MEDIUM)),
  };
}

/** Cut a text to at most `max` UTF-16 units, never inside a character, marking the cut with '...'. */
function clip(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 3) {
      break;
    }
    out += ch;
  }
  return `${out}...`;
}

// ---- validation of any lens JSON ----

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkText(problems: string[], obj: Json, key: string, path: string, max: number, required = true): void {
  const v = obj[key];
  if (v === undefined && !required) {
    return;
  }
  if (typeof v !== 'string' || v.length === 0) {
    problems.push(`${path}.${key} is missing or not a non-empty string: give one of 1 to ${max} characters.`);
  } else if (v.length > max) {
    problems.push(`${path}.${key} '${clip(v, 40)}' is ${v.length} characters; the limit is ${max}: shorten it.`);
  }
}

function checkId(problems: string[], obj: Json, path: string, max: number, seen: Set<string>): string | undefined {
  const id = obj.id;
  if (typeof id !== 'string') {
    problems.push(`${path}.id is missing or not a string: give an id matching ${ID_PATTERN.source}.`);
    return undefined;
  }
  if (!ID_PATTERN.test(id)) {
    problems.push(`${path}.id '${clip(id, 40)}' must match ${ID_PATTERN.source} (3 or more letters, digits, underscores): ` +
      `use e.g. '${id.replace(/[^a-zA-Z0-9_]/g, '_').padEnd(3, '_').slice(0, max)}'.`);
  } else if (id.length > max) {
    problems.push(`${path}.id '${clip(id, 40)}' is ${id.length} characters; the limit is ${max}: shorten it.`);
  }
  if (seen.has(id)) {
    problems.push(`${path}.id '${id}' is used twice: ids must be unique.`);
  }
  seen.add(id);
  return id;
}

function checkContent(problems: string[], obj: Json, key: string, path: string, max: number, required: boolean): void {
  const v = obj[key];
  if (v === undefined && !required) {
    return;
  }
  if (!isObject(v)) {
    problems.push(`${path}.${key} is missing or not an object: give { displayText, url }.`);
    return;
  }
  checkText(problems, v, 'displayText', `${path}.${key}`, max);
  checkText(problems, v, 'url', `${path}.${key}`, max, false);
  if (typeof v.url === 'string' && !/^https?:\/\//.test(v.url)) {
    problems.push(`${path}.${key}.url '${clip(v.url, 60)}' must start with http:// or https://.`);
  }
}

function checkArray(problems: string[], obj: Json, key: string, path: string, min: number, max: number, what: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) {
    problems.push(`${path}.${key} is missing or not an array: give ${min} to ${max} ${what}.`);
    return [];
  }
  if (v.length < min || v.length > max) {
    problems.push(`${path}.${key} has ${v.length} ${what}; give ${min} to ${max}${v.length > max ? ': split or remove some' : ''}.`);
  }
  return v;
}

function validateLens(doc: unknown, problems: string[]): void {
  if (!isObject(doc)) {
    problems.push('the lens is not a JSON object: give { schemaVersion, name, description, pillars }.');
    return;
  }
  if (doc.schemaVersion !== CustomLens.SCHEMA_VERSION) {
    problems.push(`schemaVersion ${JSON.stringify(doc.schemaVersion)} is not supported: use '${CustomLens.SCHEMA_VERSION}'.`);
  }
  checkText(problems, doc, 'name', 'lens', LIMITS.name);
  checkText(problems, doc, 'description', 'lens', LIMITS.description);
  const pillarIds = new Set<string>();
  const questionIds = new Set<string>();
  checkArray(problems, doc, 'pillars', 'lens', 1, LIMITS.pillars, 'pillars').forEach((pillar, p) => {
    const path = `pillars[${p}]`;
    if (!isObject(pillar)) {
      problems.push(`${path} is not an object: give { id, name, questions }.`);
      return;
    }
    checkId(problems, pillar, path, LIMITS.pillarId, pillarIds);
    checkText(problems, pillar, 'name', path, LIMITS.title);
    checkArray(problems, pillar, 'questions', path, 1, LIMITS.questionsPerPillar, 'questions').forEach((question, q) => {
      validateQuestion(question, `${path}.questions[${q}]`, questionIds, problems);
    });
  });
}

function validateQuestion(question: unknown, path: string, questionIds: Set<string>, problems: string[]): void {
  if (!isObject(question)) {
    problems.push(`${path} is not an object: give { id, title, description, choices, riskRules }.`);
    return;
  }
  checkId(problems, question, path, LIMITS.questionId, questionIds);
  checkText(problems, question, 'title', path, LIMITS.title);
  checkText(problems, question, 'description', path, LIMITS.text);
  checkContent(problems, question, 'helpfulResource', path, LIMITS.text, false);
  const choiceIds = new Set<string>();
  checkArray(problems, question, 'choices', path, 1, LIMITS.choicesPerQuestion, 'choices').forEach((choice, c) => {
    const cpath = `${path}.choices[${c}]`;
    if (!isObject(choice)) {
      problems.push(`${cpath} is not an object: give { id, title, helpfulResource, improvementPlan }.`);
      return;
    }
    const id = checkId(problems, choice, cpath, LIMITS.choiceId, choiceIds);
    checkText(problems, choice, 'title', cpath, LIMITS.title);
    checkText(problems, choice, 'description', cpath, LIMITS.choiceText, false);
    checkContent(problems, choice, 'helpfulResource', cpath, LIMITS.choiceText, false);
    checkContent(problems, choice, 'improvementPlan', cpath, LIMITS.choiceText, !(id ?? '').endsWith('_no'));
  });
  const rules = checkArray(problems, question, 'riskRules', path, 1, LIMITS.riskRules, 'risk rules');
  let defaults = 0;
  rules.forEach((rule, r) => {
    const rpath = `${path}.riskRules[${r}]`;
    if (!isObject(rule) || typeof rule.condition !== 'string') {
      problems.push(`${rpath} is not { condition, risk } with a string condition: fix it.`);
      return;
    }
    if (!RISKS.includes(rule.risk as string)) {
      problems.push(`${rpath}.risk ${JSON.stringify(rule.risk)} is not a risk: use ${RISKS.join(', ')}.`);
    }
    if (rule.condition === 'default') {
      defaults++;
    } else {
      const error = conditionError(rule.condition, choiceIds);
      if (error) {
        problems.push(`${rpath}.condition '${clip(rule.condition, 80)}' ${error}`);
      }
    }
  });
  if (rules.length > 0 && defaults !== 1) {
    problems.push(`${path}.riskRules has ${defaults} 'default' conditions: give exactly one.`);
  }
}

/**
 * Why a risk-rule condition is not a boolean expression over the question's choice ids with `&&`, `||`, `!` and
 * parentheses; undefined when it is one.
 */
function conditionError(condition: string, choiceIds: Set<string>): string | undefined {
  const tokens: string[] = [];
  const re = /\s*(&&|\|\||!|\(|\)|[A-Za-z0-9_]+)\s*/y;
  while (re.lastIndex < condition.length) {
    const start = re.lastIndex;
    const m = re.exec(condition);
    if (!m) {
      return `has an unexpected character at index ${start} ('${condition.slice(start, start + 10)}'): use choice ids, &&, ||, ! and parentheses.`;
    }
    tokens.push(m[1]);
  }
  let i = 0;
  let error: string | undefined;
  const check = (ok: boolean, message: string) => {
    if (!ok && !error) {
      error = message;
    }
    return ok;
  };
  const factor = (): void => {
    const t = tokens[i++];
    if (t === '!') {
      factor();
    } else if (t === '(') {
      or();
      check(tokens[i++] === ')', 'has an unclosed parenthesis: balance them.');
    } else if (check(t !== undefined && /^[A-Za-z0-9_]+$/.test(t), `expects a choice id where it has '${t ?? 'the end'}': fix the expression.`)) {
      check(choiceIds.has(t), `names '${t}', which is not a choice of the question: use one of ${[...choiceIds].join(', ')}.`);
    }
  };
  const and = (): void => {
    factor();
    while (tokens[i] === '&&') {
      i++;
      factor();
    }
  };
  const or = (): void => {
    and();
    while (tokens[i] === '||') {
      i++;
      and();
    }
  };
  or();
  check(i >= tokens.length, `has '${tokens[i]}' where an operator or the end was expected: fix the expression.`);
  return error;
}
