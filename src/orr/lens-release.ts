import type { LensReleasePlan } from './lens';
import { clip, validateLensJson } from './lens-validate';

interface LensQuestionJson {
  readonly id: string;
  readonly choices?: Array<{ readonly id: string }>;
  readonly riskRules?: unknown;
}

/** A lens document as the Tool's JSON has it (validated by `validateLensJson` before it is read here). */
interface LensJson {
  readonly name?: string;
  readonly pillars?: Array<{ readonly questions?: LensQuestionJson[] }>;
}

interface Shape {
  readonly name: string;
  readonly questions: Map<string, { choices: Set<string>; rules: string }>;
}

function shapeOf(doc: LensJson): Shape {
  const questions = new Map<string, { choices: Set<string>; rules: string }>();
  for (const pillar of doc.pillars ?? []) {
    for (const q of pillar.questions ?? []) {
      questions.set(q.id, { choices: new Set((q.choices ?? []).map((c) => c.id)), rules: JSON.stringify(q.riskRules ?? []) });
    }
  }
  return { name: doc.name ?? '', questions };
}

/**
 * What importing `nextJson` over the published lens involves (see `CustomLens.planRelease`). Follows the Tool's rules
 * as the AWS ORR lens maintainers recorded them (gates G2, G8, 2026-10-06): a published lens cannot be renamed, not even
 * by a major version ("Lens name must match published name"); on a major-version upgrade, selections of removed or
 * changed choices are cleared while notes and "does not apply" carry over.
 */
export function planLensRelease(publishedJson: string, nextJson: string): LensReleasePlan {
  const problems: string[] = [];
  const docs: LensJson[] = [];
  for (const [label, json] of [['published lens', publishedJson], ['new lens', nextJson]] as const) {
    const invalid = validateLensJson(json);
    if (invalid.length > 0) {
      problems.push(...invalid.map((p) => `${label}: ${p}`));
      continue;
    }
    docs.push(JSON.parse(json));
  }
  if (docs.length < 2) {
    return {
      problems,
      majorVersion: false,
      addedQuestionIds: [],
      removedQuestionIds: [],
      addedChoiceIds: [],
      removedChoiceIds: [],
      changedRiskRuleQuestionIds: [],
    };
  }
  const [before, after] = docs.map(shapeOf);
  if (before.name !== after.name) {
    problems.push(`the lens name changes from '${clip(before.name, 60)}' to '${clip(after.name, 60)}': the Well-Architected Tool rejects renaming a ` +
      `published lens, also in a major version ("Lens name must match published name"): keep '${clip(before.name, 60)}' ` +
      '(cdk-operable lens --name), or import the new lens as a separate lens and move the workloads to it.');
  }
  const added = (a: Iterable<string>, b: Set<string> | Map<string, unknown>) => [...a].filter((x) => !b.has(x));
  const addedQuestionIds = added(after.questions.keys(), before.questions);
  const removedQuestionIds = added(before.questions.keys(), after.questions);
  const addedChoiceIds: string[] = [];
  const removedChoiceIds: string[] = [];
  const changedRiskRuleQuestionIds: string[] = [];
  for (const [id, q] of after.questions) {
    const old = before.questions.get(id);
    if (!old) {
      continue;
    }
    addedChoiceIds.push(...added(q.choices, old.choices).map((c) => `${id}/${c}`));
    removedChoiceIds.push(...added(old.choices, q.choices).map((c) => `${id}/${c}`));
    if (old.rules !== q.rules) {
      changedRiskRuleQuestionIds.push(id);
    }
  }
  const majorVersion = [addedQuestionIds, removedQuestionIds, addedChoiceIds, removedChoiceIds, changedRiskRuleQuestionIds].some((l) => l.length > 0);
  return { problems, majorVersion, addedQuestionIds, removedQuestionIds, addedChoiceIds, removedChoiceIds, changedRiskRuleQuestionIds };
}
