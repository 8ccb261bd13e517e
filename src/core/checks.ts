import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * Runtime checks of construct props (internal). TypeScript checks shapes at compile time, but plain JavaScript and the
 * loosely typed jsii languages can pass anything (`owner: null`, `routing: {}`, `dashboard: 'false'`, `logRetention: 8`):
 * each check turns such input into an error naming the construct path, the prop, the offending value and the fix, instead
 * of a raw TypeError or a silently enabled feature.
 */

/** A check of one value: the problem ("must be ...") or undefined when the value is fine. */
export type Check = (value: unknown) => string | undefined;

/** The value as an error message shows it: `'false' (a string)`, `null`, `NaN`, `a plain object {}`, `8`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return Token.isUnresolved(value) ? 'a token' : `'${value.length > 80 ? `${value.slice(0, 80)}...` : value}' (a string)`;
  if (typeof value === 'number') return Token.isUnresolved(value) ? 'a token' : String(value);
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isDuration(value)) {
    try {
      return `Duration ${value.toHumanString()}`;
    } catch {
      return 'a Duration';
    }
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const text = JSON.stringify(value);
    return `a plain object ${text && text.length <= 60 ? text : '{...}'}`;
  }
  return `an instance of ${(proto?.constructor?.name as string | undefined) ?? 'an unknown class'}`;
}

/** A Duration of this (or another copy of) aws-cdk-lib. */
export function isDuration(value: unknown): value is Duration {
  if (value instanceof Duration) return true;
  const v = value as { toSeconds?: unknown; toMilliseconds?: unknown; toHumanString?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.toSeconds === 'function' && typeof v.toMilliseconds === 'function' &&
    typeof v.toHumanString === 'function';
}

/** Throw when a given (not undefined) value fails the check. */
export function checkValue(scope: IConstruct | undefined, prop: string, value: unknown, check: Check, fix?: string): void {
  if (value === undefined) return;
  const problem = check(value);
  if (problem) fail(scope, `${prop} ${problem}, got ${describeValue(value)}.${fix ? ` ${fix}` : ''}`);
}

/** Throw unless a required value is given and passes the check. */
export function checkRequired(scope: IConstruct | undefined, prop: string, value: unknown, check: Check, fix?: string): void {
  if (value === undefined || value === null) {
    fail(scope, `${prop} is required, got ${describeValue(value)}.${fix ? ` ${fix}` : ''}`);
  }
  checkValue(scope, prop, value, check, fix);
}

/**
 * Check a props object against a table of prop name → [check, fix]. Throws when `props` is not an object (`what` names
 * the expected props type) or when a given prop fails its check. Props not in the table are not checked here.
 */
export function checkProps(scope: IConstruct, what: string, props: unknown, table: Record<string, readonly [Check, string?]>,
  prefix = '', options: { readonly exhaustive?: boolean } = {}): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    fail(scope, `${prefix || 'props'} must be an object of ${what}, got ${describeValue(props)}.`);
  }
  const given = props as Record<string, unknown>;
  if (options.exhaustive) {
    // A prop the construct does not know (a typo, or one renamed or removed) would otherwise be silently ignored.
    const unknown = Object.keys(given).filter((k) => given[k] !== undefined && !(k in table));
    if (unknown.length > 0) {
      const near = (k: string) => Object.keys(table).find((t) => t.toLowerCase() === k.toLowerCase() || t.toLowerCase().includes(k.toLowerCase()));
      fail(scope, `${unknown.map((k) => `${prefix}${k}`).join(', ')} ${unknown.length === 1 ? 'is not a prop' : 'are not props'} of ${what}` +
        `${unknown.map(near).some((n) => n) ? ` (did you mean ${unknown.map(near).filter((n) => n).join(', ')}?)` : ''}: remove ` +
        `${unknown.length === 1 ? 'it' : 'them'}, or see the ${what} docs for the setting you want.`);
    }
  }
  for (const [prop, [check, fix]] of Object.entries(table)) checkValue(scope, `${prefix}${prop}`, given[prop], check, fix);
}

/** The checks. */
export const Checks = {
  boolean: ((v) => (typeof v === 'boolean' ? undefined : 'must be true or false')) as Check,

  /** A string; optionally non-empty, at most `maxLength` characters, matching `pattern` (described by `patternText`). */
  string(options: { nonEmpty?: boolean; maxLength?: number; pattern?: RegExp; patternText?: string; tokens?: boolean } = {}): Check {
    return (v) => {
      if (typeof v !== 'string') return 'must be a string';
      if (Token.isUnresolved(v)) return options.tokens === false ? 'must be a plain string known at synth, not a token' : undefined;
      if (options.nonEmpty && v.trim().length === 0) return 'must not be empty';
      if (options.maxLength !== undefined && v.length > options.maxLength) return `must be at most ${options.maxLength} characters (it has ${v.length})`;
      if (options.pattern && !options.pattern.test(v)) return `must be ${options.patternText ?? `a string matching ${options.pattern}`}`;
      return undefined;
    };
  },

  /** A finite number known at synth; optionally whole, and within bounds. */
  number(options: { integer?: boolean; min?: number; max?: number; above?: number; below?: number } = {}): Check {
    return (v) => {
      const range = [
        options.above !== undefined ? `above ${options.above}` : options.min !== undefined ? `at least ${options.min}` : undefined,
        options.below !== undefined ? `below ${options.below}` : options.max !== undefined ? `at most ${options.max}` : undefined,
      ].filter((p) => p).join(' and ');
      const expected = `must be ${options.integer ? 'a whole number' : 'a finite number'}${range ? ` ${range}` : ''}`;
      if (typeof v !== 'number' || Token.isUnresolved(v) || !Number.isFinite(v)) return expected;
      if (options.integer && !Number.isInteger(v)) return expected;
      if (options.min !== undefined && v < options.min) return expected;
      if (options.max !== undefined && v > options.max) return expected;
      if (options.above !== undefined && !(v > options.above)) return expected;
      if (options.below !== undefined && !(v < options.below)) return expected;
      return undefined;
    };
  },

  /** A Duration; optionally a whole number of seconds (or minutes), within bounds in seconds. */
  duration(options: { wholeSeconds?: boolean; wholeMinutes?: boolean; minSeconds?: number; maxSeconds?: number; positive?: boolean } = {}): Check {
    const human = (seconds: number) => {
      const [n, unit] = seconds % 86400 === 0 ? [seconds / 86400, 'day'] : seconds % 3600 === 0 ? [seconds / 3600, 'hour']
        : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    };
    const parts = [
      options.wholeMinutes ? 'a whole number of minutes' : options.wholeSeconds ? 'a whole number of seconds' : undefined,
      options.positive ? 'longer than zero' : undefined,
      options.minSeconds !== undefined ? `at least ${human(options.minSeconds)}` : undefined,
      options.maxSeconds !== undefined ? `at most ${human(options.maxSeconds)}` : undefined,
    ].filter((p) => p);
    const expected = parts.length === 0 ? 'must be a Duration known at synth' : `must be ${parts.join(', ').replace(/, ([^,]*)$/, ' and $1')}`;
    return (v) => {
      if (!isDuration(v)) return 'must be a Duration (e.g. Duration.minutes(5))';
      let ms: number;
      try {
        ms = v.toMilliseconds({ integral: false });
      } catch {
        return 'must be a Duration known at synth';
      }
      if (Token.isUnresolved(ms) || !Number.isFinite(ms)) return 'must be a Duration known at synth';
      if ((options.positive && !(ms > 0))
        || (options.wholeMinutes && ms % 60000 !== 0)
        || (options.wholeSeconds && ms % 1000 !== 0)
        || (options.minSeconds !== undefined && ms < options.minSeconds * 1000)
        || (options.maxSeconds !== undefined && ms > options.maxSeconds * 1000)) return expected;
      return undefined;
    };
  },

  /** One of the values of an enum (`Object.values(Enum)`, numeric enums included), named `label` in the message. */
  enumOf(enumObject: object, label: string): Check {
    const all = Object.values(enumObject);
    // A numeric TypeScript enum maps names to numbers and numbers back to names: keep the numbers.
    const values = all.some((x) => typeof x === 'number') ? all.filter((x) => typeof x === 'number') : all;
    return (v) => (values.includes(v) ? undefined : `must be one of ${label} (${values.join(', ')})`);
  },

  /** A value `guard` accepts, described as `what` (e.g. `an AlarmRouting (new AlarmRouting({ page: [...] }))`). */
  instance(guard: (v: unknown) => boolean, what: string): Check {
    return (v) => (guard(v) ? undefined : `must be ${what}`);
  },

  /** An http(s) URL (no `javascript:`, no spaces). */
  url: ((v) => (typeof v !== 'string' ? 'must be an http(s) URL string'
    : Token.isUnresolved(v) || HTTP_URL.test(v) ? undefined : 'must be an http(s) URL')) as Check,

  /** A runbook or playbook reference: an http(s) URL or an SSM document name. */
  procedure: ((v) => (typeof v !== 'string' ? 'must be a string: an http(s) URL or an SSM document name'
    : Token.isUnresolved(v) || HTTP_URL.test(v) || SSM_DOCUMENT_NAME.test(v) ? undefined
      : "must be an http(s) URL or an SSM document name (3-128 letters, digits, '_', '-' or '.')")) as Check,

  /** An object (not null, not an array). */
  object(what: string): Check {
    return (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? undefined : `must be ${what}`);
  },

  /** An array whose every element passes `element`. */
  arrayOf(element: Check, what = 'an array'): Check {
    return (v) => {
      if (!Array.isArray(v)) return `must be ${what}`;
      for (let i = 0; i < v.length; i++) {
        const problem = element(v[i]);
        if (problem) return `[${i}] ${problem} (got ${describeValue(v[i])})`;
      }
      return undefined;
    };
  },
};

/** A Duration in whole seconds, or an error naming the construct and the prop (instead of aws-cdk-lib's bare message). */
export function wholeSeconds(scope: IConstruct | undefined, prop: string, duration: Duration): number {
  checkValue(scope, prop, duration, Checks.duration({ wholeSeconds: true }), 'Use Duration.seconds(n) or Duration.minutes(n) with a whole n.');
  return duration.toSeconds();
}

/** An http(s) URL without whitespace. */
export const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;

/** An SSM document name. */
export const SSM_DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;
