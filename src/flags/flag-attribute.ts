import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

const FLAG_ATTRIBUTE_SYMBOL = Symbol.for('cdk-operable.FlagAttribute');

/** AppConfig caps string attribute values, patterns and enum members at 1,024 characters. */
export const MAX_STRING_LENGTH = 1024;
/** AppConfig takes at most 100 enum members per string constraint. */
const MAX_ENUM_MEMBERS = 100;

/**
 * Options every flag attribute takes.
 */
export interface FlagAttributeOptions {
  /**
   * What the attribute controls, shown in the AppConfig console.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * AppConfig rejects a configuration version whose value of this flag lacks the attribute (constraint `required`).
   *
   * @default false
   */
  readonly required?: boolean;
}

/**
 * A number attribute: `{ "type": "number", "minimum"?, "maximum"? }`.
 */
export interface NumberAttributeProps extends FlagAttributeOptions {
  /** The value the flag ships with. */
  readonly defaultValue: number;

  /**
   * Smallest allowed value (a whole number: AppConfig number constraints take integers).
   *
   * @default - no lower bound
   */
  readonly minimum?: number;

  /**
   * Largest allowed value (a whole number: AppConfig number constraints take integers).
   *
   * @default - no upper bound
   */
  readonly maximum?: number;
}

/**
 * A string attribute: `{ "type": "string", "pattern"? | "enum"? }`. Give `pattern` or `allowedValues`, not both.
 */
export interface StringAttributeProps extends FlagAttributeOptions {
  /** The value the flag ships with (at most 1,024 characters). */
  readonly defaultValue: string;

  /**
   * Regular expression every value must match (JSON Schema semantics: unanchored unless you write `^...$`).
   *
   * @default - any string
   */
  readonly pattern?: string;

  /**
   * The only values allowed (rendered as the constraint's `enum`).
   *
   * @default - any string
   */
  readonly allowedValues?: string[];
}

/**
 * An array-of-numbers attribute: `{ "type": "array", "elements": { "type": "number", ... } }`.
 */
export interface NumberArrayAttributeProps extends FlagAttributeOptions {
  /** The value the flag ships with. */
  readonly defaultValue: number[];

  /**
   * Smallest allowed element (a whole number).
   *
   * @default - no lower bound
   */
  readonly minimum?: number;

  /**
   * Largest allowed element (a whole number).
   *
   * @default - no upper bound
   */
  readonly maximum?: number;
}

/**
 * An array-of-strings attribute: `{ "type": "array", "elements": { "type": "string", ... } }`.
 */
export interface StringArrayAttributeProps extends FlagAttributeOptions {
  /** The value the flag ships with. */
  readonly defaultValue: string[];

  /**
   * Regular expression every element must match.
   *
   * @default - any string
   */
  readonly pattern?: string;

  /**
   * The only elements allowed (the element constraint's `enum`).
   *
   * @default - any string
   */
  readonly allowedValues?: string[];
}

/**
 * A boolean attribute: `{ "type": "boolean" }`.
 */
export interface BooleanAttributeProps extends FlagAttributeOptions {
  /** The value the flag ships with. */
  readonly defaultValue: boolean;
}

type Kind = 'number' | 'string' | 'boolean' | 'numberArray' | 'stringArray';
/** The factory of each kind, for messages. */
const FACTORIES: Record<Kind, string> = {
  number: 'ofNumber', string: 'ofString', boolean: 'ofBoolean', numberArray: 'ofNumberArray', stringArray: 'ofStringArray',
};
type Json = Record<string, unknown>;

interface Bounds { readonly minimum?: number; readonly maximum?: number }
interface StringRules { readonly pattern?: string; readonly allowedValues?: string[] }

/**
 * An attribute of a feature flag: a typed value with AppConfig constraints, and the value the flag ships with.
 * AppConfig rejects any later value that breaks the constraints; cdk-operable checks the default at synth.
 *
 * @example
 * new Flag({ key: 'new_checkout', attributes: { percent: FlagAttribute.ofNumber({ defaultValue: 0, minimum: 0, maximum: 100 }) } });
 */
export class FlagAttribute {
  /** A number, optionally bounded. */
  public static ofNumber(props: NumberAttributeProps): FlagAttribute {
    return new FlagAttribute('number', props);
  }

  /** A string, optionally restricted by a pattern or to a list of values. */
  public static ofString(props: StringAttributeProps): FlagAttribute {
    return new FlagAttribute('string', props);
  }

  /** A boolean. */
  public static ofBoolean(props: BooleanAttributeProps): FlagAttribute {
    return new FlagAttribute('boolean', props);
  }

  /** An array of numbers, each optionally bounded. */
  public static ofNumberArray(props: NumberArrayAttributeProps): FlagAttribute {
    return new FlagAttribute('numberArray', props);
  }

  /** An array of strings, each optionally restricted by a pattern or to a list of values. */
  public static ofStringArray(props: StringArrayAttributeProps): FlagAttribute {
    return new FlagAttribute('stringArray', props);
  }

  /**
   * Whether `x` is a FlagAttribute (works across copies of this library).
   */
  public static isFlagAttribute(x: unknown): x is FlagAttribute {
    return x !== null && typeof x === 'object' && FLAG_ATTRIBUTE_SYMBOL in (x as object);
  }

  /** The AppConfig constraint type: `number`, `string`, `boolean` or `array`. */
  public readonly attributeType: string;
  /**
   * What the attribute controls.
   * @default - none
   */
  public readonly description?: string;
  /** Whether every value of the flag must carry the attribute. */
  public readonly required: boolean;

  private readonly kind: Kind;
  private readonly props: FlagAttributeOptions & { readonly defaultValue: unknown } & Bounds & StringRules;

  /** What the factory was given when it was not a props object (reported when a construct uses the attribute). */
  private readonly givenProps?: unknown;

  private constructor(kind: Kind, props: FlagAttributeOptions & { readonly defaultValue: unknown } & Bounds & StringRules) {
    Object.defineProperty(this, FLAG_ATTRIBUTE_SYMBOL, { value: true });
    const isObject = props !== null && typeof props === 'object' && !Array.isArray(props);
    if (!isObject) this.givenProps = props === undefined ? 'undefined' : describe(props);
    const p = isObject ? props : { defaultValue: undefined };
    this.kind = kind;
    this.props = { ...p };
    this.attributeType = kind.endsWith('Array') ? 'array' : kind;
    this.description = p.description;
    this.required = p.required ?? false;
  }

  /**
   * The attribute definition of the FeatureFlags document: `{ description?, constraints }`.
   * @internal
   */
  public _definition(): Json {
    return { ...(this.description !== undefined ? { description: this.description } : {}), constraints: this.constraints() };
  }

  /**
   * The value the flag ships with.
   * @internal
   */
  public _defaultValue(): unknown {
    const v = this.props.defaultValue;
    return Array.isArray(v) ? [...v] : v;
  }

  /**
   * JSON Schema (draft-04) of a value of this attribute.
   * @internal
   */
  public _valueSchema(): Json {
    switch (this.kind) {
      case 'number': return numberSchema(this.props);
      case 'string': return stringSchema(this.props);
      case 'boolean': return { type: 'boolean' };
      case 'numberArray': return { type: 'array', items: numberSchema(this.props) };
      case 'stringArray': return { type: 'array', items: stringSchema(this.props) };
    }
  }

  /**
   * JSON Schema (draft-04) that pins this attribute's constraints as defined in code.
   * @internal
   */
  public _constraintsSchema(): Json {
    return pin(this.constraints());
  }

  /**
   * Check the constraints and the default value, failing with a message that starts with `where`.
   * @internal
   */
  public _validate(scope: IConstruct, where: string): void {
    const factory = `FlagAttribute.${FACTORIES[this.kind]}`;
    if (this.givenProps !== undefined) {
      fail(scope, `${where}: ${factory}() needs a props object, got ${this.givenProps}. Pass e.g. ${factory}({ defaultValue: ... }).`);
    }
    const p = this.props;
    if (p.description !== undefined && typeof p.description !== 'string') {
      fail(scope, `${where}: description must be a string, got ${describe(p.description)}.`);
    }
    if (p.description !== undefined && p.description.length > MAX_STRING_LENGTH) {
      fail(scope, `${where}: description is ${p.description.length} characters; AppConfig allows ${MAX_STRING_LENGTH}.`);
    }
    if (p.required !== undefined && typeof p.required !== 'boolean') {
      fail(scope, `${where}: required must be true or false, got ${describe(p.required)}.`);
    }
    const misplaced = this.kind === 'number' || this.kind === 'numberArray' ? ['pattern', 'allowedValues']
      : this.kind === 'boolean' ? ['minimum', 'maximum', 'pattern', 'allowedValues'] : ['minimum', 'maximum'];
    const stray = misplaced.find((k) => (p as unknown as Record<string, unknown>)[k] !== undefined);
    if (stray !== undefined) {
      fail(scope, `${where}: ${stray} does not apply to ${factory}() (got ${describe((p as unknown as Record<string, unknown>)[stray])}), so AppConfig would ` +
        'never check it: remove it, or use the factory of the type it applies to.');
    }
    switch (this.kind) {
      case 'number':
        checkBounds(scope, where, p);
        checkNumber(scope, where, 'defaultValue', p.defaultValue, p);
        break;
      case 'string':
        checkStringRules(scope, where, p);
        checkString(scope, where, 'defaultValue', p.defaultValue, p);
        break;
      case 'boolean':
        if (typeof p.defaultValue !== 'boolean') fail(scope, `${where}: defaultValue must be a boolean, got ${describe(p.defaultValue)}.`);
        break;
      case 'numberArray':
        checkBounds(scope, where, p);
        checkArray(scope, where, p.defaultValue).forEach((v, i) => checkNumber(scope, where, `defaultValue[${i}]`, v, p));
        break;
      case 'stringArray':
        checkStringRules(scope, where, p);
        checkArray(scope, where, p.defaultValue).forEach((v, i) => checkString(scope, where, `defaultValue[${i}]`, v, p));
        break;
    }
  }

  private constraints(): Json {
    const required = this.required ? { required: true } : {};
    switch (this.kind) {
      case 'number': return { type: 'number', ...bounds(this.props), ...required };
      case 'string': return { type: 'string', ...stringRules(this.props), ...required };
      case 'boolean': return { type: 'boolean', ...required };
      case 'numberArray': return { type: 'array', elements: { type: 'number', ...bounds(this.props) }, ...required };
      case 'stringArray': return { type: 'array', elements: { type: 'string', ...stringRules(this.props) }, ...required };
    }
  }
}

function bounds(p: Bounds): Json {
  return { ...(p.minimum !== undefined ? { minimum: p.minimum } : {}), ...(p.maximum !== undefined ? { maximum: p.maximum } : {}) };
}

function stringRules(p: StringRules): Json {
  return { ...(p.pattern !== undefined ? { pattern: p.pattern } : {}), ...(p.allowedValues !== undefined ? { enum: [...p.allowedValues] } : {}) };
}

function numberSchema(p: Bounds): Json {
  return { type: 'number', ...bounds(p) };
}

function stringSchema(p: StringRules): Json {
  return { type: 'string', maxLength: MAX_STRING_LENGTH, ...stringRules(p) };
}

/**
 * A schema accepting exactly `value` (draft-04 has no `const`): each property pinned with a one-member `enum`, a
 * `required` constraint left out in code may also be written `false` (as the console does).
 */
function pin(value: Json): Json {
  const properties: Json = {};
  for (const [k, v] of Object.entries(value)) {
    properties[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? pin(v as Json) : { enum: [v] };
  }
  if (value.required === undefined && value.type !== undefined) properties.required = { enum: [false] };
  return { type: 'object', required: Object.keys(value), properties, additionalProperties: false };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `string '${v}'`;
  if (Array.isArray(v)) return 'an array';
  if (v === null || v === undefined) return `${v}`;
  return `${typeof v} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
}

function checkBounds(scope: IConstruct, where: string, p: Bounds): void {
  for (const [name, v] of [['minimum', p.minimum], ['maximum', p.maximum]] as const) {
    if (v !== undefined && !Number.isInteger(v)) {
      fail(scope, `${where}: ${name} must be a whole number (AppConfig number constraints take integers), got ${typeof v === 'number' ? v : describe(v)}.`);
    }
  }
  if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum) {
    fail(scope, `${where}: minimum ${p.minimum} is greater than maximum ${p.maximum}.`);
  }
}

function checkNumber(scope: IConstruct, where: string, what: string, v: unknown, p: Bounds): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(scope, `${where}: ${what} must be a finite number, got ${describe(v)}.`);
  if (p.minimum !== undefined && v < p.minimum) fail(scope, `${where}: ${what} ${v} is below the minimum ${p.minimum}.`);
  if (p.maximum !== undefined && v > p.maximum) fail(scope, `${where}: ${what} ${v} is above the maximum ${p.maximum}.`);
}

function checkStringRules(scope: IConstruct, where: string, p: StringRules): void {
  if (p.pattern !== undefined && p.allowedValues !== undefined) {
    fail(scope, `${where}: give pattern or allowedValues, not both (an AppConfig string constraint takes one of them).`);
  }
  if (p.pattern !== undefined && typeof p.pattern !== 'string') fail(scope, `${where}: pattern must be a string, got ${describe(p.pattern)}.`);
  if (p.allowedValues !== undefined && !Array.isArray(p.allowedValues)) {
    fail(scope, `${where}: allowedValues must be an array of strings, got ${describe(p.allowedValues)}.`);
  }
  if (p.pattern !== undefined) {
    if (p.pattern.length === 0 || p.pattern.length > MAX_STRING_LENGTH) {
      fail(scope, `${where}: pattern must be 1-${MAX_STRING_LENGTH} characters, got ${p.pattern.length}.`);
    }
    try {
      new RegExp(p.pattern);
    } catch (e) {
      fail(scope, `${where}: pattern '${p.pattern}' is not a valid regular expression (${(e as Error).message}).`);
    }
  }
  if (p.allowedValues !== undefined) {
    const values = p.allowedValues;
    if (values.length === 0 || values.length > MAX_ENUM_MEMBERS) {
      fail(scope, `${where}: allowedValues must list 1-${MAX_ENUM_MEMBERS} values, got ${values.length}.`);
    }
    values.forEach((v) => {
      if (typeof v !== 'string' || v.length > MAX_STRING_LENGTH) {
        fail(scope, `${where}: allowedValues must be strings of at most ${MAX_STRING_LENGTH} characters, got ${describe(v)}.`);
      }
    });
    const duplicate = values.find((v, i) => values.indexOf(v) !== i);
    if (duplicate !== undefined) fail(scope, `${where}: allowedValues lists '${duplicate}' twice.`);
  }
}

function checkString(scope: IConstruct, where: string, what: string, v: unknown, p: StringRules): void {
  if (typeof v !== 'string') fail(scope, `${where}: ${what} must be a string, got ${describe(v)}.`);
  if (v.length > MAX_STRING_LENGTH) {
    fail(scope, `${where}: ${what} is ${v.length} characters; AppConfig attribute values hold at most ${MAX_STRING_LENGTH}.`);
  }
  if (p.pattern !== undefined && !new RegExp(p.pattern).test(v)) fail(scope, `${where}: ${what} '${v}' does not match pattern '${p.pattern}'.`);
  if (p.allowedValues !== undefined && !p.allowedValues.includes(v)) {
    fail(scope, `${where}: ${what} '${v}' is not one of allowedValues (${p.allowedValues.join(', ')}).`);
  }
}

function checkArray(scope: IConstruct, where: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(scope, `${where}: defaultValue must be an array, got ${describe(v)}.`);
  if (v.length === 0) {
    fail(scope, `${where}: defaultValue is an empty array, which the AWS.AppConfig.FeatureFlags schema rejects (it matches both its ` +
      'string-array and number-array forms): give at least one element.');
  }
  return v;
}
