import { Duration } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER, sampleFlags, standalone, workloadIn } from './support';
import { RunbookApproval } from '../../src';
import { FeatureFlags, FeatureFlagsProps, Flag, FlagAttribute } from '../../src/flags';
import { testStack } from '../support/fixtures';

const AT = '[Test/Freight/Flags]';
const KEY_RULE = "match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase letter, then up to 63 letters, digits, '_' or '-')";

/** Build FeatureFlags 'Flags' with these flags (or props) in a workload with a service. */
const build = (props: Partial<FeatureFlagsProps>) => () => standalone(props);
const withFlag = (flag: () => Flag) => () => standalone({ flags: [flag()] });
const attr = (attribute: () => FlagAttribute) => withFlag(() => new Flag({ key: 'f', attributes: { x: attribute() } }));
const WHERE = `${AT} flag 'f' attribute 'x'`;

describe('flag keys, names and attribute counts', () => {
  test.each(['New_checkout', '1checkout', 'new checkout', 'new.checkout', '_new', '', 'a'.repeat(65)])("flag key '%s'", (key) => {
    expect(withFlag(() => Flag.boolean({ key }))).toThrow(`${AT} flag key '${key}' is invalid: AppConfig flag keys ${KEY_RULE}, e.g. 'new_checkout'.`);
  });

  test.each(['a', 'new-checkout', 'newCheckout2', `a${'B'.repeat(63)}`])("flag key '%s' is fine", (key) => {
    expect(withFlag(() => Flag.boolean({ key }))).not.toThrow();
  });

  test('two flags with one key', () => {
    expect(build({ flags: [Flag.boolean({ key: 'same' }), Flag.boolean({ key: 'same' })] })).toThrow(
      `${AT} flag key 'same' is used by two flags: give each flag its own key.`);
  });

  test('no flags', () => {
    expect(build({ flags: [] })).toThrow(`${AT} flags is empty: give at least one Flag, e.g. Flag.boolean({ key: 'new_checkout' }).`);
  });

  test('26 attributes', () => {
    const attributes = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`a${i}`, FlagAttribute.boolean({ defaultValue: true })]));
    expect(withFlag(() => new Flag({ key: 'wide', attributes }))).toThrow(
      `${AT} flag 'wide' has 26 attributes; AppConfig allows at most 25 per flag. Split it into several flags.`);
  });

  test.each(['Percent', '2x', 'a.b', 'a'.repeat(65)])("attribute name '%s'", (name) => {
    expect(withFlag(() => new Flag({ key: 'f', attributes: { [name]: FlagAttribute.boolean({ defaultValue: true }) } }))).toThrow(
      `${AT} flag 'f': attribute name '${name}' is invalid: attribute names ${KEY_RULE}.`);
  });

  test("attribute name 'enabled' is reserved", () => {
    expect(withFlag(() => new Flag({ key: 'f', attributes: { enabled: FlagAttribute.boolean({ defaultValue: true }) } }))).toThrow(
      `${AT} flag 'f': attribute name 'enabled' is reserved (it holds the flag's on/off value); rename the attribute.`);
  });

  test('an attribute that is not a FlagAttribute', () => {
    const attributes = { x: { defaultValue: 1 } } as unknown as Record<string, FlagAttribute>;
    expect(withFlag(() => new Flag({ key: 'f', attributes }))).toThrow(
      `${AT} flag 'f': attribute 'x' must be made with FlagAttribute.number(), .string(), .boolean(), .numberArray() or .stringArray().`);
  });

  test('a name that is too long or spans lines, a description over 1,024 characters', () => {
    expect(withFlag(() => Flag.boolean({ key: 'f', name: 'x'.repeat(65) }))).toThrow(
      `${AT} flag 'f': name must be 1-64 characters on one line, got '${'x'.repeat(65)}' (65 characters).`);
    expect(withFlag(() => Flag.boolean({ key: 'f', name: 'two\nlines' }))).toThrow(
      `${AT} flag 'f': name must be 1-64 characters on one line, got 'two\nlines' (9 characters).`);
    expect(withFlag(() => Flag.boolean({ key: 'f', description: 'd'.repeat(1025) }))).toThrow(
      `${AT} flag 'f': description is 1025 characters; AppConfig allows 1024.`);
    expect(attr(() => FlagAttribute.boolean({ defaultValue: true, description: 'd'.repeat(1025) }))).toThrow(
      `${WHERE}: description is 1025 characters; AppConfig allows 1024.`);
  });
});

describe('number constraints', () => {
  test.each([
    ['defaultValue 101 is above the maximum 100.', { defaultValue: 101, minimum: 0, maximum: 100 }],
    ['defaultValue -1 is below the minimum 0.', { defaultValue: -1, minimum: 0 }],
    ['minimum 10 is greater than maximum 1.', { defaultValue: 5, minimum: 10, maximum: 1 }],
    ['maximum must be a whole number (AppConfig number constraints take integers), got 9.5.', { defaultValue: 5, maximum: 9.5 }],
    ['defaultValue must be a finite number, got number NaN.', { defaultValue: NaN }],
    ["defaultValue must be a finite number, got string '5'.", { defaultValue: '5' as unknown as number }],
    ['defaultValue must be a finite number, got undefined.', { defaultValue: undefined as unknown as number }],
  ])('%s', (message, props) => {
    expect(attr(() => FlagAttribute.number(props))).toThrow(`${WHERE}: ${message}`);
  });
});

describe('string constraints', () => {
  test.each([
    ["defaultValue 'purple' is not one of allowedValues (light, dark).", { defaultValue: 'purple', allowedValues: ['light', 'dark'] }],
    ["defaultValue 'abc' does not match pattern '^[0-9]+$'.", { defaultValue: 'abc', pattern: '^[0-9]+$' }],
    ["pattern '[' is not a valid regular expression (Invalid regular expression: /[/: Unterminated character class).", { defaultValue: 'a', pattern: '[', allowedValues: undefined }],
    ['give pattern or allowedValues, not both (an AppConfig string constraint takes one of them).', { defaultValue: 'a', pattern: 'a', allowedValues: ['a'] }],
    ['pattern must be 1-1024 characters, got 0.', { defaultValue: 'a', pattern: '' }],
    ['allowedValues must list 1-100 values, got 0.', { defaultValue: 'a', allowedValues: [] }],
    ["allowedValues lists 'a' twice.", { defaultValue: 'a', allowedValues: ['a', 'a'] }],
    ['allowedValues must be strings of at most 1024 characters, got number 7.', { defaultValue: 'a', allowedValues: ['a', 7 as unknown as string] }],
    ['defaultValue must be a string, got number 7.', { defaultValue: 7 as unknown as string }],
    ['defaultValue is 1025 characters; AppConfig attribute values hold at most 1024.', { defaultValue: 'x'.repeat(1025) }],
  ])('%s', (message, props) => {
    expect(attr(() => FlagAttribute.string(props))).toThrow(`${WHERE}: ${message}`);
  });
});

describe('array and boolean constraints', () => {
  test.each([
    [() => FlagAttribute.numberArray({ defaultValue: [1, 7], maximum: 5 }), 'defaultValue[1] 7 is above the maximum 5.'],
    [() => FlagAttribute.numberArray({ defaultValue: 3 as unknown as number[] }), 'defaultValue must be an array, got number 3.'],
    [() => FlagAttribute.numberArray({ defaultValue: [] }), 'defaultValue is an empty array, which the AWS.AppConfig.FeatureFlags schema rejects ' +
      '(it matches both its string-array and number-array forms): give at least one element.'],
    [() => FlagAttribute.stringArray({ defaultValue: ['eu', 'US'], pattern: '^[a-z]+$' }), "defaultValue[1] 'US' does not match pattern '^[a-z]+$'."],
    [() => FlagAttribute.stringArray({ defaultValue: ['a', 1 as unknown as string] }), 'defaultValue[1] must be a string, got number 1.'],
    [() => FlagAttribute.boolean({ defaultValue: 'true' as unknown as boolean }), "defaultValue must be a boolean, got string 'true'."],
  ])('case %#', (attribute, message) => {
    expect(attr(attribute)).toThrow(`${WHERE}: ${message}`);
  });

  test('enabled must be a boolean', () => {
    expect(withFlag(() => Flag.boolean({ key: 'f', enabled: 'yes' as unknown as boolean }))).toThrow(`${AT} flag 'f': enabled must be true or false, got yes.`);
  });
});

describe('construct settings', () => {
  test('environments: empty, invalid, duplicated', () => {
    expect(build({ environments: [] })).toThrow(`${AT} environments is empty: give at least one environment name, e.g. ['prod'].`);
    expect(build({ environments: ['prod/eu'] })).toThrow(
      `${AT} environment name 'prod/eu' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
    expect(build({ environments: ['pre-prod', 'pre_prod'] })).toThrow(
      `${AT} environment name 'pre_prod' is given twice (or differs from another only in case, '-', '_' or '.').`);
  });

  test('applicationName and profileName are checked', () => {
    expect(build({ applicationName: 'my app' })).toThrow(
      `${AT} applicationName 'my app' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
    expect(build({ profileName: '-flags' })).toThrow(
      `${AT} profileName '-flags' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  });

  test('rolloutStrategy and deploymentStrategy together', () => {
    expect(() => {
      const { stack } = testStack();
      const workload = workloadIn(stack);
      new FeatureFlags(workload, 'Flags', {
        flags: sampleFlags(),
        monitors: [],
        rolloutStrategy: appconfig.RolloutStrategy.ALL_AT_ONCE,
        deploymentStrategy: appconfig.DeploymentStrategy.fromDeploymentStrategyId(stack, 'S', appconfig.DeploymentStrategyId.ALL_AT_ONCE),
      });
    }).toThrow(`${AT} give rolloutStrategy (to create a deployment strategy) or deploymentStrategy (an existing one), not both.`);
  });

  test('more than 5 monitors', () => {
    expect(() => {
      const { stack } = testStack();
      const workload = workloadIn(stack);
      const alarms = Array.from({ length: 6 }, (_, i) => cloudwatch.Alarm.fromAlarmArn(stack, `A${i}`, `arn:aws:cloudwatch:us-east-1:123456789012:alarm:a${i}`));
      new FeatureFlags(workload, 'Flags', { flags: sampleFlags(), monitors: alarms });
    }).toThrow(`${AT} monitors has 6 alarms; an AppConfig environment takes at most 5. Pass fewer monitors (a composite alarm can combine several).`);
  });

  test('killSwitchApproval with killSwitch: false', () => {
    expect(build({ killSwitch: false, killSwitchApproval: RunbookApproval.none('unattended') })).toThrow(
      `${AT} killSwitchApproval is set but killSwitch is false: remove killSwitchApproval, or the killSwitch: false.`);
  });

  test('a kill-switch document name over 128 characters', () => {
    const key = `k${'e'.repeat(63)}`;
    expect(() => standalone({ applicationName: 'a'.repeat(60), flags: [Flag.boolean({ key })] }, { approvers: true })).toThrow(
      `${AT} the kill-switch runbook name '${'a'.repeat(60)}-prod-disable-${key}' is 138 characters; SSM allows 128. ` +
      'Shorten applicationName, the environment name or the flag key.');
  });

  test('unknown environment or flag names', () => {
    const { flags } = standalone();
    expect(() => flags.environment('staging')).toThrow(`${AT} has no environment 'staging' (environments: prod).`);
    expect(() => flags.killSwitch('nope')).toThrow(`${AT} has no flag 'nope' (flags: fast_quotes, new_checkout).`);
    expect(() => flags.environmentVariables('staging')).toThrow(`${AT} has no environment 'staging' (environments: prod).`);
  });

  test('pollInterval must be whole seconds', () => {
    const { stack, flags } = standalone();
    const fn = new lambda.Function(stack, 'Fn', HANDLER);
    expect(() => flags.addToFunction(fn, { pollInterval: Duration.millis(1500) })).toThrow(
      `${AT} pollInterval must be a whole number of seconds, at least 1, got 1 second 500 millis.`);
  });

  test('a validator schema over the 32,768 characters AppConfig allows', () => {
    const attributes = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`a${i}`, FlagAttribute.number({ defaultValue: 1, minimum: 0, maximum: 9 })]));
    const many = Array.from({ length: 6 }, (_, i) => new Flag({ key: `flag${i}`, attributes }));
    expect(build({ flags: many })).toThrow(/^\[Test\/Freight\/Flags\] the JSON Schema validator of 6 flags is \d+ characters; AppConfig allows 32768\. Split the flags into several FeatureFlags, or set schemaValidator: false\.$/);
    expect(build({ flags: many, schemaValidator: false })).not.toThrow();
  });

  test('flags that are not Flag objects', () => {
    expect(build({ flags: [{ key: 'a' } as unknown as Flag] })).toThrow(
      `${AT} flags must be Flag objects: new Flag({ key, ... }) or Flag.boolean({ key }).`);
  });

  test('outside a workload', () => {
    const { stack } = testStack();
    expect(() => new FeatureFlags(stack, 'Flags', { flags: sampleFlags() })).toThrow('[Test/Flags] is not inside a Workload.');
  });
});
