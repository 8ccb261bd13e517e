import { Token } from 'aws-cdk-lib';
import { brand } from './kinds';
import { Check, Checks, describeValue } from '../core/checks';

/** Step and output names: letters, digits and underscores. */
export const STEP_NAME = /^[A-Za-z0-9_]{1,128}$/;

/**
 * What Automation does when a step fails or is cancelled (an enum-like class: the constants, or `goTo`).
 */
export class StepFailure {
  /** Stop the automation (the default). */
  public static readonly ABORT = new StepFailure('Abort');

  /** Go on with the next step (not valid for `onCancel`). */
  public static readonly CONTINUE = new StepFailure('Continue');

  /**
   * Jump to the named step, e.g. one that restores the previous state. The name is checked when a runbook uses
   * the value: it must be the name of one of its steps.
   */
  public static goTo(stepName: string): StepFailure {
    return new StepFailure(`step:${stepName}`, stepName);
  }

  /** The value as the document writes it: `Abort`, `Continue` or `step:<name>`. */
  public readonly value: string;
  /**
   * The step jumped to.
   * @default - none
   */
  public readonly stepName?: string;

  private constructor(value: string, stepName?: string) {
    brand(this, 'StepFailure');
    this.value = value;
    this.stepName = stepName;
  }

  /**
   * What is wrong with the value (a `goTo` that names no possible step), for the runbook that uses it to report.
   * @internal
   */
  public _problem(): string | undefined {
    if (!this.value.startsWith('step:')) return undefined;
    const name = this.stepName;
    if (typeof name === 'string' && !Token.isUnresolved(name) && STEP_NAME.test(name)) return undefined;
    return `is StepFailure.goTo(${typeof name === 'string' && !Token.isUnresolved(name) ? `'${name}'` : describeValue(name)}), which is not a step name`;
  }
}

/**
 * The type of a step output.
 */
export enum StepOutputType {
  /** A string. */
  STRING = 'String',
  /** A whole number. */
  INTEGER = 'Integer',
  /** true or false. */
  BOOLEAN = 'Boolean',
  /** A list of strings. */
  STRING_LIST = 'StringList',
  /** A list of maps. */
  MAP_LIST = 'MapList',
  /** A map of strings. */
  STRING_MAP = 'StringMap',
}

/**
 * A value a step returns, selected from its response with a JSONPath expression.
 */
export interface StepOutput {
  /** The output's name; reference it as `step.output('Name')` (`{{ Step.Name }}`). */
  readonly name: string;

  /** JSONPath into the response, e.g. `$.FunctionVersion` (or `$.Payload.Key` for a script's return value). */
  readonly selector: string;

  /**
   * The output's type.
   *
   * @default StepOutputType.STRING
   */
  readonly outputType?: StepOutputType;
}

/**
 * One choice of an `aws:branch` step: when the condition holds, go to `nextStep`.
 */
export class BranchChoice {
  /** `variable` equals `value` (strings). */
  public static stringEquals(variable: string, value: string, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'StringEquals', value, nextStep);
  }

  /** `variable` starts with `prefix`. */
  public static startsWith(variable: string, prefix: string, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'StartsWith', prefix, nextStep);
  }

  /** `variable` contains `value`. */
  public static contains(variable: string, value: string, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'Contains', value, nextStep);
  }

  /** `variable` equals `value` (numbers). */
  public static numericEquals(variable: string, value: number, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'NumericEquals', value, nextStep);
  }

  /** `variable` is greater than `value`. */
  public static numericGreater(variable: string, value: number, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'NumericGreater', value, nextStep);
  }

  /** `variable` is less than `value`. */
  public static numericLesser(variable: string, value: number, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'NumericLesser', value, nextStep);
  }

  /** `variable` is `value` (booleans). */
  public static booleanEquals(variable: string, value: boolean, nextStep: string): BranchChoice {
    return new BranchChoice(variable, 'BooleanEquals', value, nextStep);
  }

  /** The variable tested, e.g. `{{ Check.State }}`. */
  public readonly variable: string;
  /** The comparison Automation makes, e.g. `StringEquals` or `NumericGreater`. */
  public readonly comparison: string;
  /** The step to go to when the condition holds. */
  public readonly nextStep: string;
  private readonly value: unknown;

  private constructor(variable: string, comparison: string, value: unknown, nextStep: string) {
    brand(this, 'BranchChoice');
    this.variable = variable;
    this.comparison = comparison;
    this.value = value;
    this.nextStep = nextStep;
  }

  /**
   * What is wrong with the choice (`[what, problem, value, fix]`), for the runbook that uses it to report: the factory
   * has no construct to name.
   * @internal
   */
  public _problem(): [string, string, unknown, string] | undefined {
    const factory = `BranchChoice.${this.comparison.charAt(0).toLowerCase()}${this.comparison.slice(1)}`;
    const variable = Checks.string({ nonEmpty: true })(this.variable);
    if (variable) return ['variable', variable, this.variable, "Give the value to test, e.g. '{{ Step.Output }}' or '{{ Parameter }}'."];
    const next = Checks.string({ nonEmpty: true })(this.nextStep);
    if (next) return ['nextStep', next, this.nextStep, 'Give the name of the step to go to.'];
    const [check, what] = VALUE_CHECKS[this.comparison];
    const value = Token.isUnresolved(this.value) ? undefined : check(this.value);
    if (value) return ['value', value, this.value, `${factory} compares with ${what}.`];
    return undefined;
  }

  /**
   * The same choice going to `to` where it went to `from`.
   * @internal
   */
  public _retarget(from: string, to: string): BranchChoice {
    return this.nextStep === from ? new BranchChoice(this.variable, this.comparison, this.value, to) : this;
  }

  /**
   * The choice as the document writes it.
   * @internal
   */
  public _render(): Record<string, unknown> {
    return { NextStep: this.nextStep, Variable: this.variable, [this.comparison]: this.value };
  }
}

/** What each comparison compares with. */
const NUMBER: [Check, string] = [Checks.number(), 'a finite number known at synth: NaN and Infinity cannot be written in the document'];
const STRING: [Check, string] = [Checks.string(), 'a string'];
const VALUE_CHECKS: Record<string, [Check, string]> = {
  StringEquals: STRING,
  StartsWith: STRING,
  Contains: STRING,
  NumericEquals: NUMBER,
  NumericGreater: NUMBER,
  NumericLesser: NUMBER,
  BooleanEquals: [Checks.boolean, 'true or false'],
};

/**
 * The runtime of an `aws:executeScript` step.
 */
export class ScriptRuntime {
  /** Python 3.11. */
  public static readonly PYTHON_3_11 = new ScriptRuntime('python3.11');
  /** PowerShell 7.4. */
  public static readonly POWERSHELL_7_4 = new ScriptRuntime('PowerShell 7.4');

  /** A runtime by the name Automation uses; only Python and PowerShell runtimes exist. */
  public static of(name: string): ScriptRuntime {
    return new ScriptRuntime(name);
  }

  /** The name the document writes, e.g. `python3.11`. */
  public readonly name: string;

  private constructor(name: string) {
    brand(this, 'ScriptRuntime');
    this.name = name;
  }

  /** Whether this is a runtime Automation runs inline scripts in (Python 3.x or PowerShell 7.x). */
  public get isSupported(): boolean {
    return typeof this.name === 'string' && (/^python3\.\d+$/.test(this.name) || /^PowerShell 7\.\d+$/.test(this.name));
  }
}
