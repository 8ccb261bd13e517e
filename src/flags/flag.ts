import { IConstruct } from 'constructs';
import { FlagAttribute, MAX_STRING_LENGTH } from './flag-attribute';
import { fail } from '../core/errors';

/** AppConfig flag and attribute keys. */
export const FLAG_KEY_PATTERN = /^[a-z][a-zA-Z\d_-]{0,63}$/;
/** AppConfig allows at most 25 attributes per flag. */
export const MAX_ATTRIBUTES = 25;
const KEY_RULE = "match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase letter, then up to 63 letters, digits, '_' or '-')";

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
 *   attributes: { percent: FlagAttribute.number({ defaultValue: 0, minimum: 0, maximum: 100 }) },
 * });
 * const fastQuotes = Flag.boolean({ key: 'fast_quotes' });
 */
export class Flag {
  /** An on/off flag without attributes. */
  public static boolean(options: FlagOptions): Flag {
    return new Flag(options);
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

  constructor(props: FlagProps) {
    this.key = props.key;
    this.name = props.name ?? props.key;
    this.description = props.description;
    this.enabled = props.enabled ?? false;
    this.deprecated = props.deprecated ?? false;
    this.attributes = { ...(props.attributes ?? {}) };
  }

  /**
   * Check the key, name, description and every attribute (names, count, constraints, default values).
   * @internal
   */
  public _validate(scope: IConstruct): void {
    const key = this.key;
    if (typeof key !== 'string' || !FLAG_KEY_PATTERN.test(key)) {
      fail(scope, `flag key '${key}' is invalid: AppConfig flag keys ${KEY_RULE}, e.g. 'new_checkout'.`);
    }
    const where = `flag '${key}'`;
    if (!/^[^\n]{1,64}$/.test(this.name)) {
      fail(scope, `${where}: name must be 1-64 characters on one line, got '${this.name}' (${this.name.length} characters).`);
    }
    if (this.description !== undefined && this.description.length > MAX_STRING_LENGTH) {
      fail(scope, `${where}: description is ${this.description.length} characters; AppConfig allows ${MAX_STRING_LENGTH}.`);
    }
    if (typeof this.enabled !== 'boolean') fail(scope, `${where}: enabled must be true or false, got ${String(this.enabled)}.`);
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
      if (!(attribute instanceof FlagAttribute)) {
        fail(scope, `${where}: attribute '${name}' must be made with FlagAttribute.number(), .string(), .boolean(), .numberArray() or .stringArray().`);
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
