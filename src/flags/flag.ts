import { IConstruct } from 'constructs';
import { FlagAttribute, MAX_STRING_LENGTH } from './flag-attribute';
import { describeValue } from '../core/checks';
import { fail } from '../core/errors';

/** AppConfig flag and attribute keys. */
export const FLAG_KEY_PATTERN = /^[a-z][a-zA-Z\d_-]{0,63}$/;
/** AppConfig allows at most 25 attributes per flag. */
export const MAX_ATTRIBUTES = 25;
const KEY_RULE = "match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase letter, then up to 63 letters, digits, '_' or '-')";
const FLAG_SYMBOL = Symbol.for('cdk-operable.Flag');
const ATTRIBUTE_FACTORIES = 'FlagAttribute.ofNumber(), .ofString(), .ofBoolean(), .ofNumberArray() or .ofStringArray()';

/**
 * What every flag takes.
 */
export interface FlagOptions {
  /** The flag key applications read, e.g. `new_checkout`: a lowercase letter, then up to 63 letters, digits, `_` or `-`. */
  readonly key: string;

  /**
   * Name shown in the AppConfig console (1-64 characters, one line).
   *
   * @default - the key
   */
  readonly name?: string;

  /**
   * What the flag turns on, shown in the AppConfig console.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether the flag ships on. Off by default: the code is deployed, the feature is released later by turning the
   * flag on (in code, or in the console).
   *
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * Mark the flag as planned for removal (`_deprecation: { status: 'planned' }`); the console shows it.
   *
   * @default false
   */
  readonly deprecated?: boolean;
}

/**
 * A flag with attributes.
 */
export interface FlagProps extends FlagOptions {
  /**
   * Typed values delivered with the flag (at most 25), by attribute name; `enabled` is reserved.
   *
   * @default - none: an on/off flag
   */
  readonly attributes?: { [name: string]: FlagAttribute };
}

/**
 * A feature flag of an AppConfig `AWS.AppConfig.FeatureFlags` configuration: a key, an on/off value and typed
 * attributes with constraints. Checked at synth by the `FeatureFlags` construct that deploys it.
 *
 * @example
 * const newCheckout = new Flag({
 *   key: 'new_checkout',
 *   description: 'The one-page checkout',
 *   attributes: { percent: FlagAttribute.ofNumber({ defaultValue: 0, minimum: 0, maximum: 100 }) },
 * });
 * const fastQuotes = Flag.ofBoolean({ key: 'fast_quotes' });
 */
export class Flag {
  /** An on/off flag without attributes. */
  public static ofBoolean(options: FlagOptions): Flag {
    const given = options as FlagProps | undefined;
    const flag = new Flag(options);
    if (given !== null && typeof given === 'object' && given.attributes !== undefined) {
      flag.problems.push('Flag.ofBoolean() makes an on/off flag and takes no attributes, got attributes: use new Flag({ key, attributes }) instead.');
    }
    return flag;
  }

  /**
   * Whether `x` is a Flag (works across copies of this library).
   */
  public static isFlag(x: unknown): x is Flag {
    return x !== null && typeof x === 'object' && FLAG_SYMBOL in (x as object);
  }

  /** The flag key. */
  public readonly key: string;
  /** Name shown in the console. */
  public readonly name: string;
  /**
   * What the flag turns on.
   * @default - none
   */
  public readonly description?: string;
  /** Whether the flag ships on. */
  public readonly enabled: boolean;
  /** Whether the flag is planned for removal. */
  public readonly deprecated: boolean;
  /** The attributes, by name. */
  public readonly attributes: { [name: string]: FlagAttribute };

  /** Problems found without a scope, reported when a construct uses the flag. */
  private readonly problems: string[] = [];

  constructor(props: FlagProps) {
    Object.defineProperty(this, FLAG_SYMBOL, { value: true });
    const isObject = props !== null && typeof props === 'object' && !Array.isArray(props);
    if (!isObject) this.problems.push(`a Flag needs a props object ({ key, ... }), got ${describeValue(props)}.`);
    const p: Partial<FlagProps> = isObject ? props : {};
    this.key = p.key as string;
    this.name = p.name ?? p.key as string;
    this.description = p.description;
    this.enabled = p.enabled ?? false;
    this.deprecated = p.deprecated ?? false;
    const attributes = p.attributes ?? {};
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      this.problems.push('attributes must be an object of FlagAttribute by name (e.g. { percent: FlagAttribute.ofNumber({ defaultValue: 0 }) }), ' +
        `got ${describeValue(attributes)}.`);
      this.attributes = {};
    } else {
      this.attributes = { ...attributes };
    }
  }

  /**
   * Check the key, name, description and every attribute (names, count, constraints, default values).
   * @internal
   */
  public _validate(scope: IConstruct): void {
    const key = this.key;
    const problem = this.problems[0];
    if (problem !== undefined) fail(scope, typeof key === 'string' ? `flag '${key}': ${problem}` : problem);
    if (typeof key !== 'string' || !FLAG_KEY_PATTERN.test(key)) {
      fail(scope, `flag key '${key}' is invalid: AppConfig flag keys ${KEY_RULE}, e.g. 'new_checkout'.`);
    }
    const where = `flag '${key}'`;
    if (typeof this.name !== 'string') fail(scope, `${where}: name must be a string, got ${describeValue(this.name)}.`);
    if (this.description !== undefined && typeof this.description !== 'string') {
      fail(scope, `${where}: description must be a string, got ${describeValue(this.description)}.`);
    }
    if (typeof this.deprecated !== 'boolean') fail(scope, `${where}: deprecated must be true or false, got ${describeValue(this.deprecated)}.`);
    if (!/^[^\n]{1,64}$/.test(this.name)) {
      fail(scope, `${where}: name must be 1-64 characters on one line, got '${this.name}' (${this.name.length} characters).`);
    }
    if (this.description !== undefined && this.description.length > MAX_STRING_LENGTH) {
      fail(scope, `${where}: description is ${this.description.length} characters; AppConfig allows ${MAX_STRING_LENGTH}.`);
    }
    if (typeof this.enabled !== 'boolean') fail(scope, `${where}: enabled must be true or false, got ${describeValue(this.enabled)}.`);
    const names = Object.keys(this.attributes);
    if (names.length > MAX_ATTRIBUTES) {
      fail(scope, `${where} has ${names.length} attributes; AppConfig allows at most ${MAX_ATTRIBUTES} per flag. Split it into several flags.`);
    }
    for (const name of names) {
      if (name === 'enabled') {
        fail(scope, `${where}: attribute name 'enabled' is reserved (it holds the flag's on/off value); rename the attribute.`);
      }
      if (!FLAG_KEY_PATTERN.test(name)) fail(scope, `${where}: attribute name '${name}' is invalid: attribute names ${KEY_RULE}.`);
      const attribute = this.attributes[name];
      if (!FlagAttribute.isFlagAttribute(attribute)) {
        fail(scope, `${where}: attribute '${name}' must be made with ${ATTRIBUTE_FACTORIES}, got ${describeValue(attribute)}.`);
      }
      attribute._validate(scope, `${where} attribute '${name}'`);
    }
  }

  /**
   * The flag definition of the FeatureFlags document.
   * @internal
   */
  public _definition(): Record<string, unknown> {
    const attributes = Object.entries(this.attributes);
    return {
      name: this.name,
      ...(this.description !== undefined ? { description: this.description } : {}),
      ...(this.deprecated ? { _deprecation: { status: 'planned' } } : {}),
      ...(attributes.length > 0 ? { attributes: Object.fromEntries(attributes.map(([n, a]) => [n, a._definition()])) } : {}),
    };
  }

  /**
   * The flag value of the FeatureFlags document: `enabled` and every attribute's default.
   * @internal
   */
  public _value(): Record<string, unknown> {
    return { enabled: this.enabled, ...Object.fromEntries(Object.entries(this.attributes).map(([n, a]) => [n, a._defaultValue()])) };
  }
}
