import { fail } from '../core/errors';

/**
 * A parser and vectorised evaluator for the CloudWatch metric-math subset alarms use (internal):
 * numbers, metric/expression ids, `+ - * / ^`, comparisons (`== != < <= > >=`, giving 1 or 0), `AND`/`&&`,
 * `OR`/`||`, `NOT`/`!`, `IF(c, a[, b])`, `FILL(x, number)`, `ABS`, `CEIL`, `FLOOR`, and `SERVICE_QUOTA(m)` (the quota
 * fed for metric m, see `AlarmSimulator.setServiceQuota`).
 *
 * Values are per-minute arrays where NaN means "no datapoint". Arithmetic on a missing datapoint is missing;
 * a non-finite result (division by zero) is missing; `FILL` replaces missing with its value.
 * Anything else — other functions, `FILL(x, REPEAT)`, strings — throws: never silently 0.
 */
export type MathNode =
  | { kind: 'num'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'unary'; op: '-' | 'NOT'; arg: MathNode }
  | { kind: 'binary'; op: string; left: MathNode; right: MathNode }
  | { kind: 'call'; fn: string; args: MathNode[] };

const SUPPORTED_FUNCTIONS = ['IF', 'FILL', 'ABS', 'CEIL', 'FLOOR', 'SERVICE_QUOTA'];

interface Token { type: 'num' | 'id' | 'fn' | 'op' | 'lparen' | 'rparen' | 'comma'; text: string }

function tokenize(expression: string, where: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[-+*/^<>!])|(\()|(\))|(,)|(\S))/y;
  let match: RegExpExecArray | null;
  while (re.lastIndex < expression.length && (match = re.exec(expression)) !== null) {
    const [, num, word, op, lp, rp, comma, other] = match;
    if (num !== undefined) {tokens.push({ type: 'num', text: num });} else if (word !== undefined) {
      if (['AND', 'OR', 'NOT'].includes(word)) {tokens.push({ type: 'op', text: word });} else {
        const isCall = /^[A-Z][A-Z0-9_]*$/.test(word) && /^\s*\(/.test(expression.slice(re.lastIndex));
        tokens.push({ type: isCall ? 'fn' : 'id', text: word });
      }
    } else if (op !== undefined) {tokens.push({ type: 'op', text: op === '&&' ? 'AND' : op === '||' ? 'OR' : op === '!' ? 'NOT' : op });} else if (lp !== undefined) {tokens.push({ type: 'lparen', text: '(' });} else if (rp !== undefined) {tokens.push({ type: 'rparen', text: ')' });} else if (comma !== undefined) {tokens.push({ type: 'comma', text: ',' });} else if (other !== undefined) {fail(undefined, `${where}: unsupported character '${other}' in metric math '${expression}' (strings and SEARCH are not simulated).`);}
    if (/^\s*$/.test(expression.slice(re.lastIndex))) break;
  }
  return tokens;
}

/** Parse a metric-math expression. */
export function parseMath(expression: string, where: string): MathNode {
  const tokens = tokenize(expression, where);
  let pos = 0;
  const peek = () => tokens[pos];
  const err = (msg: string): never => fail(undefined, `${where}: ${msg} in metric math '${expression}'.`);
  const expectOp = (text: string) => {
    const t = tokens[pos++];
    if (!t || t.text !== text) err(`expected '${text}'`);
  };

  const binaryLevel = (ops: string[], next: () => MathNode) => (): MathNode => {
    let left = next();
    while (peek() && peek().type === 'op' && ops.includes(peek().text)) {
      const op = tokens[pos++].text;
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };

  const primary = (): MathNode => {
    const t = tokens[pos++];
    if (!t) return err('unexpected end');
    if (t.type === 'num') return { kind: 'num', value: Number(t.text) };
    if (t.type === 'id') return { kind: 'id', name: t.text };
    if (t.type === 'lparen') {
      const inner = or();
      expectOp(')');
      return inner;
    }
    if (t.type === 'fn') {
      if (!SUPPORTED_FUNCTIONS.includes(t.text)) {
        err(`function ${t.text} is not supported by the simulator (supported: ${SUPPORTED_FUNCTIONS.join(', ')})`);
      }
      expectOp('(');
      const args: MathNode[] = [];
      if (peek()?.type !== 'rparen') {
        args.push(or());
        while (peek()?.type === 'comma') {
          pos++;
          args.push(or());
        }
      }
      expectOp(')');
      return { kind: 'call', fn: t.text, args };
    }
    return err(`unexpected '${t.text}'`);
  };
  const unary = (): MathNode => {
    const t = peek();
    if (t && t.type === 'op' && (t.text === '-' || t.text === 'NOT')) {
      pos++;
      return { kind: 'unary', op: t.text as '-' | 'NOT', arg: unary() };
    }
    if (t && t.type === 'op' && t.text === '+') {
      pos++;
      return unary();
    }
    return primary();
  };
  const power = binaryLevel(['^'], unary);
  const mul = binaryLevel(['*', '/'], power);
  const add = binaryLevel(['+', '-'], mul);
  const cmp = binaryLevel(['==', '!=', '<', '<=', '>', '>='], add);
  const and = binaryLevel(['AND'], cmp);
  const or: () => MathNode = binaryLevel(['OR'], and);

  const tree = or();
  if (pos < tokens.length) err(`unexpected '${tokens[pos].text}'`);
  validate(tree, expression, where);
  return tree;
}

function validate(node: MathNode, expression: string, where: string): void {
  if (node.kind === 'call') {
    const n = node.args.length;
    const bad = (msg: string) => fail(undefined, `${where}: ${node.fn} ${msg} in metric math '${expression}'.`);
    if (node.fn === 'IF' && (n < 2 || n > 3)) bad('takes 2 or 3 arguments');
    if (node.fn === 'FILL') {
      if (n !== 2) bad('takes 2 arguments');
      const v = node.args[1];
      if (!(v.kind === 'num' || (v.kind === 'unary' && v.arg.kind === 'num'))) {
        bad('is only simulated with a constant fill value (REPEAT, LINEAR and metric fills are not)');
      }
    }
    if (['ABS', 'CEIL', 'FLOOR'].includes(node.fn) && n !== 1) bad('takes 1 argument');
    if (node.fn === 'SERVICE_QUOTA' && (n !== 1 || node.args[0].kind !== 'id')) bad('takes the id of one metric query');
    node.args.forEach((a) => validate(a, expression, where));
  } else if (node.kind === 'unary') {validate(node.arg, expression, where);} else if (node.kind === 'binary') {
    validate(node.left, expression, where);
    validate(node.right, expression, where);
  }
}

/** Ids a tree refers to. */
export function referencedIds(node: MathNode): string[] {
  switch (node.kind) {
    case 'id': return [node.name];
    case 'unary': return referencedIds(node.arg);
    case 'binary': return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'call': return node.args.flatMap(referencedIds);
    default: return [];
  }
}

/** Evaluate over per-minute arrays of length `n`; `lookup` returns the array of an id. */
export function evaluateMath(node: MathNode, n: number, lookup: (id: string) => Float64Array,
  quota: (id: string) => Float64Array = () => new Float64Array(n).fill(NaN)): Float64Array {
  const out = new Float64Array(n);
  switch (node.kind) {
    case 'num': return out.fill(node.value);
    case 'id': return lookup(node.name);
    case 'unary': {
      const a = evaluateMath(node.arg, n, lookup, quota);
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(a[i]) ? NaN : node.op === '-' ? -a[i] : (a[i] === 0 ? 1 : 0);
      return out;
    }
    case 'binary': {
      const a = evaluateMath(node.left, n, lookup, quota);
      const b = evaluateMath(node.right, n, lookup, quota);
      const f = BINARY[node.op];
      for (let i = 0; i < n; i++) {
        const x = a[i];
        const y = b[i];
        const r = Number.isNaN(x) || Number.isNaN(y) ? NaN : f(x, y);
        out[i] = Number.isFinite(r) ? r : NaN;
      }
      return out;
    }
    case 'call': {
      // SERVICE_QUOTA(m): the quota AWS applies to metric m's usage, per minute (NaN when unknown).
      if (node.fn === 'SERVICE_QUOTA') return quota((node.args[0] as { name: string }).name);
      const args = node.args.map((a) => evaluateMath(a, n, lookup, quota));
      for (let i = 0; i < n; i++) out[i] = CALL[node.fn](args.map((a) => a[i]));
      return out;
    }
  }
}

const BINARY: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
  '==': (x, y) => (x === y ? 1 : 0),
  '!=': (x, y) => (x !== y ? 1 : 0),
  '<': (x, y) => (x < y ? 1 : 0),
  '<=': (x, y) => (x <= y ? 1 : 0),
  '>': (x, y) => (x > y ? 1 : 0),
  '>=': (x, y) => (x >= y ? 1 : 0),
  'AND': (x, y) => (x !== 0 && y !== 0 ? 1 : 0),
  'OR': (x, y) => (x !== 0 || y !== 0 ? 1 : 0),
};

const CALL: Record<string, (args: number[]) => number> = {
  IF: ([c, a, b]) => (Number.isNaN(c) ? NaN : c !== 0 ? a : (b === undefined ? NaN : b)),
  FILL: ([x, v]) => (Number.isNaN(x) ? v : x),
  ABS: ([x]) => Math.abs(x),
  CEIL: ([x]) => Math.ceil(x),
  FLOOR: ([x]) => Math.floor(x),
};
