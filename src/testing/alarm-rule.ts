import { fail } from '../core/errors';

/**
 * Parser for the composite alarm rule grammar (internal): `ALARM(x)`, `OK(x)`, `INSUFFICIENT_DATA(x)`, `TRUE`,
 * `FALSE`, `AND`, `OR`, `NOT`, parentheses, and `AT_LEAST(n[%], [NOT ]STATE, (x, y, ...))`. `x` is an alarm name
 * or ARN, quoted or not. NOT binds tighter than AND, AND tighter than OR.
 */
export type RuleNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: string; ref: string }
  | { kind: 'not'; arg: RuleNode }
  | { kind: 'and' | 'or'; args: RuleNode[] }
  | { kind: 'atLeast'; threshold: number; percent: boolean; negate: boolean; state: string; refs: string[] };

const STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

export function parseAlarmRule(rule: string, where: string): RuleNode {
  let pos = 0;
  const err = (msg: string): never => fail(undefined, `${where}: ${msg} at position ${pos} of alarm rule '${rule}'.`);
  const ws = () => {
    while (pos < rule.length && /\s/.test(rule[pos])) pos++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z_]+/.exec(rule.slice(pos));
    return m ? m[0] : '';
  };
  const take = (text: string) => {
    ws();
    if (!rule.startsWith(text, pos)) err(`expected '${text}'`);
    pos += text.length;
  };
  const ref = (): string => {
    ws();
    if (rule[pos] === '"' || rule[pos] === "'") {
      const quote = rule[pos];
      const end = rule.indexOf(quote, pos + 1);
      if (end < 0) err('unterminated quoted alarm reference');
      const value = rule.slice(pos + 1, end);
      pos = end + 1;
      return value;
    }
    const m = /^[^\s(),]+/.exec(rule.slice(pos));
    if (!m) err('expected an alarm name or ARN');
    pos += m![0].length;
    return m![0];
  };

  const primary = (): RuleNode => {
    ws();
    if (rule[pos] === '(') {
      pos++;
      const inner = or();
      take(')');
      return inner;
    }
    const w = word();
    if (w === 'TRUE' || w === 'FALSE') {
      pos += w.length;
      return { kind: 'const', value: w === 'TRUE' };
    }
    if (STATES.includes(w)) {
      pos += w.length;
      take('(');
      const r = ref();
      take(')');
      return { kind: 'state', state: w, ref: r };
    }
    if (w === 'AT_LEAST') {
      pos += w.length;
      take('(');
      ws();
      const m = /^(\d+(?:\.\d+)?)(%?)/.exec(rule.slice(pos));
      if (!m) err('expected a count or percentage');
      pos += m![0].length;
      take(',');
      let negate = false;
      let state = word();
      if (state === 'NOT') {
        negate = true;
        pos += 3;
        state = word();
      }
      if (!STATES.includes(state)) err(`expected ALARM, OK or INSUFFICIENT_DATA, got '${state}'`);
      pos += state.length;
      take(',');
      take('(');
      const refs = [ref()];
      ws();
      while (rule[pos] === ',') {
        pos++;
        refs.push(ref());
        ws();
      }
      take(')');
      take(')');
      return { kind: 'atLeast', threshold: Number(m![1]), percent: m![2] === '%', negate, state, refs };
    }
    return err(w ? `unsupported keyword '${w}'` : `unexpected '${rule[pos] ?? 'end of rule'}'`);
  };
  const not = (): RuleNode => {
    if (word() === 'NOT') {
      pos += 3;
      return { kind: 'not', arg: not() };
    }
    return primary();
  };
  const level = (kind: 'and' | 'or', keyword: string, next: () => RuleNode) => (): RuleNode => {
    const args = [next()];
    while (word() === keyword) {
      pos += keyword.length;
      args.push(next());
    }
    return args.length === 1 ? args[0] : { kind, args };
  };
  const and = level('and', 'AND', not);
  const or: () => RuleNode = level('or', 'OR', and);

  const tree = or();
  ws();
  if (pos < rule.length) err(`unexpected '${rule.slice(pos, pos + 20)}'`);
  return tree;
}

/** Every alarm reference in a rule. */
export function ruleReferences(node: RuleNode): string[] {
  switch (node.kind) {
    case 'state': return [node.ref];
    case 'not': return ruleReferences(node.arg);
    case 'and':
    case 'or': return node.args.flatMap(ruleReferences);
    case 'atLeast': return node.refs;
    default: return [];
  }
}

/** Evaluate a rule; `stateOf` gives the current state of a referenced alarm. */
export function evaluateRule(node: RuleNode, stateOf: (ref: string) => string): boolean {
  switch (node.kind) {
    case 'const': return node.value;
    case 'state': return stateOf(node.ref) === node.state;
    case 'not': return !evaluateRule(node.arg, stateOf);
    case 'and': return node.args.every((a) => evaluateRule(a, stateOf));
    case 'or': return node.args.some((a) => evaluateRule(a, stateOf));
    case 'atLeast': {
      const matching = node.refs.filter((r) => (stateOf(r) === node.state) !== node.negate).length;
      const needed = node.percent ? (node.threshold / 100) * node.refs.length : node.threshold;
      return matching >= needed;
    }
  }
}
