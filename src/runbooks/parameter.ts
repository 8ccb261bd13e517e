import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { brand } from './kinds';
import { isUnresolved } from './permissions';
import { Check, Checks, checkValue, describeValue } from '../core/checks';
import { fail } from '../core/errors';

/** SSM parameter names: letters, digits and underscores. */
const PARAMETER_NAME = /^[A-Za-z0-9_]{1,128}$/;
/** The key under which a parameter keeps options that were not an object (a plain-JavaScript caller's mistake). */
const INVALID = '__invalid__';

/**
 * The type of a runbook parameter, as Automation declares it.
 */
export enum RunbookParameterType {
  /** A string. */
  STRING = 'String',
  /** A whole number. */
  INTEGER = 'Integer',
  /** true or false. */
  BOOLEAN = 'Boolean',
  /** A list of strings. */
  STRING_LIST = 'StringList',
}

/**
 * Options shared by every runbook parameter.
 */
export interface RunbookParameterOptions {
  /**
   * What the parameter means, shown in the Systems Manager console and the runbook's Markdown (not empty).
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
  readonly defaultValue?: string;

  /**
   * The only values allowed (at least one).
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
  readonly defaultValue?: number;

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
  readonly defaultValue?: boolean;
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
  readonly defaultValue?: string[];

  /**
   * The only values allowed (each item must be one of them).
   *
   * @default - any values
   */
  readonly allowedValues?: string[];
}

/** A whole number, or a number token (resolved at deploy time). */
const WHOLE_NUMBER: Check = (v) => (typeof v === 'number' && Token.isUnresolved(v) ? undefined : Checks.number({ integer: true })(v));

/** What each parameter type takes, by option: the check and the fix. */
const OPTIONS: Record<RunbookParameterType, { what: string; table: Record<string, readonly [Check, string?]> }> = {
  [RunbookParameterType.STRING]: {
    what: 'StringParameterOptions',
    table: {
      defaultValue: [Checks.string(), "A String parameter defaults to a string, e.g. defaultValue: 'live'."],
      allowedValues: [Checks.arrayOf(Checks.string(), 'an array of strings')],
      allowedPattern: [Checks.string({ nonEmpty: true }), "Give a regular expression, e.g. '^[0-9]*$', or leave allowedPattern out."],
    },
  },
  [RunbookParameterType.INTEGER]: {
    what: 'IntegerParameterOptions',
    table: {
      defaultValue: [WHOLE_NUMBER, 'An Integer parameter takes whole numbers.'],
      allowedValues: [Checks.arrayOf(WHOLE_NUMBER, 'an array of whole numbers'), 'An Integer parameter takes whole numbers.'],
    },
  },
  [RunbookParameterType.BOOLEAN]: {
    what: 'BooleanParameterOptions',
    table: { defaultValue: [Checks.boolean, 'A Boolean parameter defaults to true or false.'] },
  },
  [RunbookParameterType.STRING_LIST]: {
    what: 'StringListParameterOptions',
    table: {
      defaultValue: [Checks.arrayOf(Checks.string(), 'an array of strings'), "A StringList parameter defaults to a list, e.g. defaultValue: ['live']."],
      allowedValues: [Checks.arrayOf(Checks.string(), 'an array of strings')],
    },
  },
};

/**
 * A typed input of a runbook. Reference it in step inputs with `param.reference` (`{{ Name }}`).
 *
 * @example
 * const desired = RunbookParameter.ofInteger('DesiredCount', { description: 'Tasks to run', defaultValue: 2 });
 * Step.executeAwsApi({ name: 'Scale', service: 'ecs', api: 'UpdateService', inputs: { desiredCount: desired.reference }, ... });
 */
export class RunbookParameter {
  /** A String parameter. */
  public static ofString(name: string, options: StringParameterOptions): RunbookParameter {
    return new RunbookParameter(name, RunbookParameterType.STRING, options);
  }

  /** An Integer parameter. */
  public static ofInteger(name: string, options: IntegerParameterOptions): RunbookParameter {
    return new RunbookParameter(name, RunbookParameterType.INTEGER, options);
  }

  /** A Boolean parameter. */
  public static ofBoolean(name: string, options: BooleanParameterOptions): RunbookParameter {
    return new RunbookParameter(name, RunbookParameterType.BOOLEAN, options);
  }

  /** A StringList parameter. */
  public static ofStringList(name: string, options: StringListParameterOptions): RunbookParameter {
    return new RunbookParameter(name, RunbookParameterType.STRING_LIST, options);
  }

  /** The parameter's name. */
  public readonly name: string;
  /** The SSM type: String, Integer, Boolean or StringList. */
  public readonly parameterType: RunbookParameterType;
  /** What the parameter means. */
  public readonly description: string;
  /** Whether the caller must give a value (no default). */
  public readonly required: boolean;

  /** The options as given (checked when a runbook uses the parameter: the factory has no construct to name). */
  private readonly options: Record<string, unknown>;

  private constructor(name: string, parameterType: RunbookParameterType, options: RunbookParameterOptions) {
    brand(this, 'RunbookParameter');
    this.name = name;
    this.parameterType = parameterType;
    this.options = options !== null && typeof options === 'object' && !Array.isArray(options) ? { ...options } : { [INVALID]: options };
    this.description = typeof this.options.description === 'string' ? this.options.description : '';
    this.required = this.options.defaultValue === undefined;
  }

  /** `{{ Name }}`: the parameter's value in a step input. */
  public get reference(): string {
    return `{{ ${this.name} }}`;
  }

  /**
   * Check the parameter, naming `scope` in the error.
   */
  public validate(scope: IConstruct): void {
    const where = `parameter '${typeof this.name === 'string' ? this.name : describeValue(this.name)}'`;
    if (typeof this.name !== 'string' || Token.isUnresolved(this.name) || !PARAMETER_NAME.test(this.name)) {
      const given = typeof this.name === 'string' && !Token.isUnresolved(this.name) ? `'${this.name}'` : describeValue(this.name);
      fail(scope, `Runbook parameter name ${given} is invalid: use 1-128 letters, digits or '_'.`);
    }
    const o = this.options;
    const { what, table } = OPTIONS[this.parameterType];
    if (INVALID in o) fail(scope, `${where} options must be an object of ${what}, got ${describeValue(o[INVALID])}.`);
    if ('default' in o) fail(scope, `${where} has 'default', which is now called defaultValue: rename it.`);
    const known = ['description', ...Object.keys(table)];
    const extra = Object.keys(o).filter((k) => !known.includes(k));
    if (extra.length > 0) {
      fail(scope, `${where} is a ${this.parameterType} parameter, which does not take ${extra.join(', ')} (it takes ${known.join(', ')}): ` +
        'remove it, or declare another parameter type.');
    }
    if (o.description === undefined || o.description === null) {
      fail(scope, `${where} description is required, got ${describeValue(o.description)}. Say what the parameter means (the console shows it).`);
    }
    checkValue(scope, `${where} description`, o.description, Checks.string({ nonEmpty: true }), 'Say what the parameter means (the console shows it).');
    for (const [prop, [check, fix]] of Object.entries(table)) checkValue(scope, `${where} ${prop}`, o[prop], check, fix);
    const allowed = o.allowedValues as unknown[] | undefined;
    if (allowed && allowed.length === 0) {
      fail(scope, `${where} allowedValues is empty, so no value would be accepted: list the allowed values, or leave allowedValues out.`);
    }
    const defaultValue = o.defaultValue;
    if (allowed && defaultValue !== undefined && !isUnresolved(defaultValue)) {
      const defaults = Array.isArray(defaultValue) ? defaultValue : [defaultValue];
      const outside = defaults.find((d) => !isUnresolved(d) && !allowed.some((a) => isUnresolved(a) || a === d));
      if (outside !== undefined) {
        fail(scope, `${where} defaultValue '${outside}' is not one of its allowedValues (${allowed.join(', ')}): ` +
          'change the default, or add it to allowedValues.');
      }
    }
    const pattern = o.allowedPattern as string | undefined;
    if (pattern !== undefined && !Token.isUnresolved(pattern)) {
      try {
        new RegExp(pattern);
      } catch {
        fail(scope, `${where} allowedPattern '${pattern}' is not a regular expression: fix it, or leave allowedPattern out.`);
      }
    }
  }

  /**
   * The parameter as the document's `parameters` section declares it.
   * @internal
   */
  public _render(): Record<string, unknown> {
    const o = this.options;
    return {
      type: this.parameterType,
      description: this.description,
      ...(o.defaultValue !== undefined ? { default: o.defaultValue } : {}),
      ...(o.allowedValues ? { allowedValues: o.allowedValues } : {}),
      ...(o.allowedPattern !== undefined ? { allowedPattern: o.allowedPattern } : {}),
    };
  }
}
