import { IConstruct } from 'constructs';
import { isUnresolved } from './permissions';
import { fail } from '../core/errors';

/** SSM parameter names: letters, digits and underscores. */
const PARAMETER_NAME = /^[A-Za-z0-9_]{1,128}$/;

/**
 * Options shared by every runbook parameter.
 */
export interface RunbookParameterOptions {
  /**
   * What the parameter means, shown in the Systems Manager console and the runbook's Markdown.
   */
  readonly description: string;
}

/**
 * Options of a String parameter.
 */
export interface StringParameterOptions extends RunbookParameterOptions {
  /**
   * The value used when the caller gives none; without it the parameter is required.
   *
   * @default - required
   */
  readonly default?: string;

  /**
   * The only values allowed.
   *
   * @default - any value
   */
  readonly allowedValues?: string[];

  /**
   * A regular expression the value must match.
   *
   * @default - any value
   */
  readonly allowedPattern?: string;
}

/**
 * Options of an Integer parameter.
 */
export interface IntegerParameterOptions extends RunbookParameterOptions {
  /**
   * The value used when the caller gives none; without it the parameter is required.
   *
   * @default - required
   */
  readonly default?: number;

  /**
   * The only values allowed.
   *
   * @default - any whole number
   */
  readonly allowedValues?: number[];
}

/**
 * Options of a Boolean parameter.
 */
export interface BooleanParameterOptions extends RunbookParameterOptions {
  /**
   * The value used when the caller gives none; without it the parameter is required.
   *
   * @default - required
   */
  readonly default?: boolean;
}

/**
 * Options of a StringList parameter.
 */
export interface StringListParameterOptions extends RunbookParameterOptions {
  /**
   * The value used when the caller gives none; without it the parameter is required.
   *
   * @default - required
   */
  readonly default?: string[];

  /**
   * The only values allowed (each item must be one of them).
   *
   * @default - any values
   */
  readonly allowedValues?: string[];
}

/**
 * A typed input of a runbook. Reference it in step inputs with `param.ref` (`{{ Name }}`).
 *
 * @example
 * const desired = RunbookParameter.integer('DesiredCount', { description: 'Tasks to run', default: 2 });
 * Step.executeAwsApi({ name: 'Scale', service: 'ecs', api: 'UpdateService', inputs: { desiredCount: desired.ref }, ... });
 */
export class RunbookParameter {
  /** A String parameter. */
  public static string(name: string, options: StringParameterOptions): RunbookParameter {
    return new RunbookParameter(name, 'String', options.description, options.default, options.allowedValues, options.allowedPattern);
  }

  /** An Integer parameter. */
  public static integer(name: string, options: IntegerParameterOptions): RunbookParameter {
    return new RunbookParameter(name, 'Integer', options.description, options.default, options.allowedValues);
  }

  /** A Boolean parameter. */
  public static boolean(name: string, options: BooleanParameterOptions): RunbookParameter {
    return new RunbookParameter(name, 'Boolean', options.description, options.default);
  }

  /** A StringList parameter. */
  public static stringList(name: string, options: StringListParameterOptions): RunbookParameter {
    return new RunbookParameter(name, 'StringList', options.description, options.default, options.allowedValues);
  }

  /** The parameter's name. */
  public readonly name: string;
  /** The SSM type: String, Integer, Boolean or StringList. */
  public readonly type: string;
  /** What the parameter means. */
  public readonly description: string;
  /** Whether the caller must give a value (no default). */
  public readonly required: boolean;

  private readonly defaultValue?: unknown;
  private readonly allowedValues?: unknown[];
  private readonly allowedPattern?: string;

  private constructor(name: string, type: string, description: string, defaultValue?: unknown, allowedValues?: unknown[], allowedPattern?: string) {
    this.name = name;
    this.type = type;
    this.description = description;
    this.defaultValue = defaultValue;
    this.allowedValues = allowedValues;
    this.allowedPattern = allowedPattern;
    this.required = defaultValue === undefined;
  }

  /** `{{ Name }}`: the parameter's value in a step input. */
  public get ref(): string {
    return `{{ ${this.name} }}`;
  }

  /**
   * Check the parameter, naming `scope` in the error.
   */
  public validate(scope: IConstruct): void {
    if (!PARAMETER_NAME.test(this.name)) {
      fail(scope, `Runbook parameter name '${this.name}' is invalid: use 1-128 letters, digits or '_'.`);
    }
    if (this.type === 'Integer') {
      const values = [this.defaultValue, ...(this.allowedValues ?? [])].filter((v) => v !== undefined);
      const bad = values.find((v) => !Number.isInteger(v));
      if (bad !== undefined) fail(scope, `Runbook parameter '${this.name}' is an Integer, but ${bad} is not a whole number.`);
    }
    const allowed = this.allowedValues;
    if (allowed && this.defaultValue !== undefined && !isUnresolved(this.defaultValue)) {
      const defaults = Array.isArray(this.defaultValue) ? this.defaultValue : [this.defaultValue];
      const outside = defaults.find((d) => !isUnresolved(d) && !allowed.some((a) => isUnresolved(a) || a === d));
      if (outside !== undefined) {
        fail(scope, `Runbook parameter '${this.name}' defaults to '${outside}', which is not one of its allowedValues (${allowed.join(', ')}).`);
      }
    }
    if (this.allowedPattern !== undefined) {
      try {
        new RegExp(this.allowedPattern);
      } catch {
        fail(scope, `Runbook parameter '${this.name}' has allowedPattern '${this.allowedPattern}', which is not a regular expression.`);
      }
    }
  }

  /**
   * The parameter as the document's `parameters` section declares it.
   * @internal
   */
  public _render(): Record<string, unknown> {
    return {
      type: this.type,
      description: this.description,
      ...(this.defaultValue !== undefined ? { default: this.defaultValue } : {}),
      ...(this.allowedValues ? { allowedValues: this.allowedValues } : {}),
      ...(this.allowedPattern !== undefined ? { allowedPattern: this.allowedPattern } : {}),
    };
  }
}
