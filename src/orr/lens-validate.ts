import { conditionError } from './lens-rules';

type Json = Record<string, unknown>;

// Limits: lens name/description, 500 KB, PillarId/ChoiceId ≤ 64 and QuestionId ≤ 128 are official (lens format
// specification, ImportLens, API types); choice description and choice content ≤ 1,024 come from API_Choice and
// API_ChoiceContent; the id pattern, title ≤ 128, other text ≤ 2,048, 10 pillars, 20 questions, 15 choices and 1–3 risk
// rules are the limits every community lens tool enforces.
export const LIMITS = {
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
export const ID_PATTERN = /^[a-zA-Z0-9_]{3,128}$/;
export const SCHEMA_VERSION = '2021-11-01';
export const MAX_SIZE_BYTES = 500000;
const RISKS = ['HIGH_RISK', 'MEDIUM_RISK', 'NO_RISK'];

// import-lens rejects any other character in the lens name and description, pillar names, question titles and
// descriptions, and choice titles (found by the AWS ORR lens maintainers' sandbox gates G4/G5, 2026-10-06; the lens
// format specification does not describe it). Helpful-resource and improvement-plan texts accept every character.
const RESTRICTED_ALLOWED_PUNCTUATION = "- _ . , : / ( ) @ ! & # + ' ? \u2019";
const RESTRICTED_ALLOWED = /[\p{L}\p{N} \n\r\-_.,:/()@!&#+'?\u2019]/u;

/** The characters of a restricted text that import-lens rejects, each once, in order of appearance. */
export function restrictedCharacters(text: string): string[] {
  return [...new Set([...text].filter((ch) => !RESTRICTED_ALLOWED.test(ch)))];
}

/**
 * The name the Well-Architected Tool compares lens names by: importing a lens whose normalized name equals an existing
 * lens's is rejected ("A lens with normalized name ... already exists"), e.g. `awsoperationalreadinessreview`.
 */
export function normalizedLensName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Cut a text to at most `max` UTF-16 units, never inside a character, marking the cut with '...'. */
export function clip(text: string, max: number): string {
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

/** Check any custom lens JSON against the documented limits; one line per problem. */
export function validateLensJson(json: string): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_SIZE_BYTES) {
    problems.push(`the lens is ${bytes} bytes (UTF-8); the limit is ${MAX_SIZE_BYTES}: remove questions or shorten texts.`);
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

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkText(problems: string[], obj: Json, key: string, path: string, max: number, required = true, restricted = false): void {
  const v = obj[key];
  if (v === undefined && !required) {
    return;
  }
  if (typeof v !== 'string' || v.length === 0) {
    problems.push(`${path}.${key} is missing or not a non-empty string: give one of 1 to ${max} characters.`);
    return;
  }
  if (v.length > max) {
    problems.push(`${path}.${key} '${clip(v, 40)}' is ${v.length} characters; the limit is ${max}: shorten it.`);
  }
  const bad = restricted ? restrictedCharacters(v) : [];
  if (bad.length > 0) {
    problems.push(`${path}.${key} '${clip(v, 40)}' contains ${bad.map((c) => `'${c}'`).join(' ')}, which import-lens rejects in names, titles ` +
      `and descriptions: use only letters, digits, spaces, line breaks and ${RESTRICTED_ALLOWED_PUNCTUATION}.`);
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

export function validateLens(doc: unknown, problems: string[]): void {
  if (!isObject(doc)) {
    problems.push('the lens is not a JSON object: give { schemaVersion, name, description, pillars }.');
    return;
  }
  if (doc.schemaVersion !== SCHEMA_VERSION) {
    problems.push(`schemaVersion ${JSON.stringify(doc.schemaVersion)} is not supported: use '${SCHEMA_VERSION}'.`);
  }
  checkText(problems, doc, 'name', 'lens', LIMITS.name, true, true);
  checkText(problems, doc, 'description', 'lens', LIMITS.description, true, true);
  const pillarIds = new Set<string>();
  const questionIds = new Set<string>();
  checkArray(problems, doc, 'pillars', 'lens', 1, LIMITS.pillars, 'pillars').forEach((pillar, p) => {
    const path = `pillars[${p}]`;
    if (!isObject(pillar)) {
      problems.push(`${path} is not an object: give { id, name, questions }.`);
      return;
    }
    checkId(problems, pillar, path, LIMITS.pillarId, pillarIds);
    checkText(problems, pillar, 'name', path, LIMITS.title, true, true);
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
  checkText(problems, question, 'title', path, LIMITS.title, true, true);
  checkText(problems, question, 'description', path, LIMITS.text, true, true);
  checkContent(problems, question, 'helpfulResource', path, LIMITS.text, false);
  const choiceIds = new Set<string>();
  checkArray(problems, question, 'choices', path, 1, LIMITS.choicesPerQuestion, 'choices').forEach((choice, c) => {
    const cpath = `${path}.choices[${c}]`;
    if (!isObject(choice)) {
      problems.push(`${cpath} is not an object: give { id, title, helpfulResource, improvementPlan }.`);
      return;
    }
    const id = checkId(problems, choice, cpath, LIMITS.choiceId, choiceIds);
    checkText(problems, choice, 'title', cpath, LIMITS.title, true, true);
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

