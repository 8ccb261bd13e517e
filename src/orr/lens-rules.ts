/**
 * Risk rules of a custom-lens question built the way the AWS Operational Readiness Review lens 2.0 builds them
 * (`lens-src/SCHEMA.md`, docs/scoring.md of awslabs/operational-readiness-review-custom-war-lens): every choice is a
 * statement with a tier, and at most three rules are generated from the tiers, `default` last; the Well-Architected
 * Tool evaluates the rules in order and the first true condition wins.
 *
 * - `core`: needed to avoid the question's maximum risk (our HIGH-risk practices);
 * - `sec`: secondary, needed only for no risk (our MEDIUM-risk practices);
 * - practices the framework rates LOW change no risk level the Tool has, so they are listed but in no rule.
 *
 * "None of these" is not exclusive through the Tool's API (gate G1 of the ORR lens: `UpdateAnswer` stores it next to
 * other choices and the rules ignore it), so rules 1 and 2 end in `&& !<none>`: selecting "None of these", alone or
 * with other choices, falls through to the maximum risk. That guard is the only negation; the rules are monotone.
 */

/** A risk rule: a condition over choice ids (or `default`) and the risk it yields. */
export interface RiskRule {
  readonly condition: string;
  readonly risk: string;
}

export const NO_RISK = 'NO_RISK';
export const MEDIUM_RISK = 'MEDIUM_RISK';
export const HIGH_RISK = 'HIGH_RISK';

/**
 * The rules of a question whose core (HIGH) and secondary (MEDIUM) statements have these choice ids, guarded by the
 * question's "None of these" choice.
 */
export function tieredRiskRules(core: string[], sec: string[], noneId: string): RiskRule[] {
  const guard = (terms: string[]) => `${terms.join(' && ')} && !${noneId}`;
  if (core.length > 0 && sec.length > 0) {
    return [
      { condition: guard([...core, ...sec]), risk: NO_RISK },
      { condition: guard(core), risk: MEDIUM_RISK },
      { condition: 'default', risk: HIGH_RISK },
    ];
  }
  if (core.length > 0) {
    return [{ condition: guard(core), risk: NO_RISK }, { condition: 'default', risk: HIGH_RISK }];
  }
  if (sec.length > 0) {
    return [{ condition: guard(sec), risk: NO_RISK }, { condition: 'default', risk: MEDIUM_RISK }];
  }
  // Only LOW practices: the framework rates none of them a risk the Tool has.
  return [{ condition: 'default', risk: NO_RISK }];
}

/**
 * Whether a condition holds when these choices are selected and these are marked not applicable. A choice marked not
 * applicable is neutral (ORR lens gate G3): it satisfies an `&&` term and does not satisfy an `||` term on its own.
 * The condition must already be valid (see `conditionError`).
 */
export function conditionHolds(condition: string, selected: ReadonlySet<string>, notApplicable: ReadonlySet<string> = new Set()): boolean {
  const tokens = condition.match(/&&|\|\||!|\(|\)|[A-Za-z0-9_]+/g) ?? [];
  let i = 0;
  // Three-valued: true, false, or undefined for "neutral" (not applicable).
  type V = boolean | undefined;
  const factor = (): V => {
    const t = tokens[i++];
    if (t === '!') {
      const v = factor();
      return v === undefined ? undefined : !v;
    }
    if (t === '(') {
      const v = or();
      i++; // ')'
      return v;
    }
    return notApplicable.has(t) ? undefined : selected.has(t);
  };
  const and = (): V => {
    const values = [factor()];
    while (tokens[i] === '&&') {
      i++;
      values.push(factor());
    }
    const decided = values.filter((v) => v !== undefined);
    return decided.length === 0 ? undefined : decided.every(Boolean);
  };
  const or = (): V => {
    const values = [and()];
    while (tokens[i] === '||') {
      i++;
      values.push(and());
    }
    const decided = values.filter((v) => v !== undefined);
    return decided.length === 0 ? undefined : decided.some(Boolean);
  };
  const value = or();
  // A condition whose every term is not applicable holds (marking every statement not applicable scores no risk, G3).
  return value ?? true;
}

/** The risk the Tool computes for a question: the first rule whose condition holds, else the `default` rule. */
export function riskOf(rules: readonly RiskRule[], selected: ReadonlySet<string>, notApplicable: ReadonlySet<string> = new Set()): string {
  for (const rule of rules) {
    if (rule.condition === 'default' || conditionHolds(rule.condition, selected, notApplicable)) {
      return rule.risk;
    }
  }
  return 'UNANSWERED';
}

/**
 * Why a risk-rule condition is not a boolean expression over the question's choice ids with `&&`, `||`, `!` and
 * parentheses; undefined when it is one.
 */
export function conditionError(condition: string, choiceIds: Set<string>): string | undefined {
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
