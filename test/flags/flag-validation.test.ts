import { Duration } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER, sampleFlags, standalone, workloadIn } from './support';
import { RunbookApproval } from '../../src';
import { FeatureFlags, FeatureFlagsProps, Flag, FlagAttribute, FlagOptions, FlagProps, NumberAttributeProps, StringAttributeProps } from '../../src/flags';
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
    expect(withFlag(() => Flag.ofBoolean({ key }))).toThrow(`${AT} flag key '${key}' is invalid: AppConfig flag keys ${KEY_RULE}, e.g. 'new_checkout'.`);
  });

  test.each(['a', 'new-checkout', 'newCheckout2', `a${'B'.repeat(63)}`])("flag key '%s' is fine", (key) => {
    expect(withFlag(() => Flag.ofBoolean({ key }))).not.toThrow();
  });

  test('two flags with one key', () => {
    expect(build({ flags: [Flag.ofBoolean({ key: 'same' }), Flag.ofBoolean({ key: 'same' })] })).toThrow(
      `${AT} flag key 'same' is used by two flags: give each flag its own key.`);
  });

  test('no flags', () => {
    expect(build({ flags: [] })).toThrow(`${AT} flags is empty: give at least one Flag, e.g. Flag.ofBoolean({ key: 'new_checkout' }).`);
  });

  test('26 attributes', () => {
    const attributes = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`a${i}`, FlagAttribute.ofBoolean({ defaultValue: true })]));
    expect(withFlag(() => new Flag({ key: 'wide', attributes }))).toThrow(
      `${AT} flag 'wide' has 26 attributes; AppConfig allows at most 25 per flag. Split it into several flags.`);
  });

  test.each(['Percent', '2x', 'a.b', 'a'.repeat(65)])("attribute name '%s'", (name) => {
    expect(withFlag(() => new Flag({ key: 'f', attributes: { [name]: FlagAttribute.ofBoolean({ defaultValue: true }) } }))).toThrow(
      `${AT} flag 'f': attribute name '${name}' is invalid: attribute names ${KEY_RULE}.`);
  });

  test("attribute name 'enabled' is reserved", () => {
    expect(withFlag(() => new Flag({ key: 'f', attributes: { enabled: FlagAttribute.ofBoolean({ defaultValue: true }) } }))).toThrow(
      `${AT} flag 'f': attribute name 'enabled' is reserved (it holds the flag's on/off value); rename the attribute.`);
  });

  test('an attribute that is not a FlagAttribute', () => {
    const attributes = { x: { defaultValue: 1 } } as unknown as Record<string, FlagAttribute>;
    expect(withFlag(() => new Flag({ key: 'f', attributes }))).toThrow(
      `${AT} flag 'f': attribute 'x' must be made with FlagAttribute.ofNumber(), .ofString(), .ofBoolean(), .ofNumberArray() or .ofStringArray(), ` +
      'got a plain object {"defaultValue":1}.');
  });

  test('a name that is too long or spans lines, a description over 1,024 characters', () => {
    expect(withFlag(() => Flag.ofBoolean({ key: 'f', name: 'x'.repeat(65) }))).toThrow(
      `${AT} flag 'f': name must be 1-64 characters on one line, got '${'x'.repeat(65)}' (65 characters).`);
    expect(withFlag(() => Flag.ofBoolean({ key: 'f', name: 'two\nlines' }))).toThrow(
      `${AT} flag 'f': name must be 1-64 characters on one line, got 'two\nlines' (9 characters).`);
    expect(withFlag(() => Flag.ofBoolean({ key: 'f', description: 'd'.repeat(1025) }))).toThrow(
      `${AT} flag 'f': description is 1025 characters; AppConfig allows 1024.`);
    expect(attr(() => FlagAttribute.ofBoolean({ defaultValue: true, description: 'd'.repeat(1025) }))).toThrow(
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
    expect(attr(() => FlagAttribute.ofNumber(props))).toThrow(`${WHERE}: ${message}`);
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
    expect(attr(() => FlagAttribute.ofString(props))).toThrow(`${WHERE}: ${message}`);
  });
});

describe('array and boolean constraints', () => {
  test.each([
    [() => FlagAttribute.ofNumberArray({ defaultValue: [1, 7], maximum: 5 }), 'defaultValue[1] 7 is above the maximum 5.'],
    [() => FlagAttribute.ofNumberArray({ defaultValue: 3 as unknown as number[] }), 'defaultValue must be an array, got number 3.'],
    [() => FlagAttribute.ofNumberArray({ defaultValue: [] }), 'defaultValue is an empty array, which the AWS.AppConfig.FeatureFlags schema rejects ' +
      '(it matches both its string-array and number-array forms): give at least one element.'],
    [() => FlagAttribute.ofStringArray({ defaultValue: ['eu', 'US'], pattern: '^[a-z]+$' }), "defaultValue[1] 'US' does not match pattern '^[a-z]+$'."],
    [() => FlagAttribute.ofStringArray({ defaultValue: ['a', 1 as unknown as string] }), 'defaultValue[1] must be a string, got number 1.'],
    [() => FlagAttribute.ofBoolean({ defaultValue: 'true' as unknown as boolean }), "defaultValue must be a boolean, got string 'true'."],
  ])('case %#', (attribute, message) => {
    expect(attr(attribute)).toThrow(`${WHERE}: ${message}`);
  });

  test('enabled must be a boolean', () => {
    expect(withFlag(() => Flag.ofBoolean({ key: 'f', enabled: 'yes' as unknown as boolean }))).toThrow(`${AT} flag 'f': enabled must be true or false, got 'yes' (a string).`);
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

  test('rolloutStrategy and existingDeploymentStrategy together', () => {
    expect(() => {
      const { stack } = testStack();
      const workload = workloadIn(stack);
      new FeatureFlags(workload, 'Flags', {
        flags: sampleFlags(),
        monitors: [],
        rolloutStrategy: appconfig.RolloutStrategy.ALL_AT_ONCE,
        existingDeploymentStrategy: appconfig.DeploymentStrategy.fromDeploymentStrategyId(stack, 'S', appconfig.DeploymentStrategyId.ALL_AT_ONCE),
      });
    }).toThrow(`${AT} give rolloutStrategy (to create a deployment strategy) or existingDeploymentStrategy (an existing one), not both.`);
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
    expect(() => standalone({ applicationName: 'a'.repeat(60), flags: [Flag.ofBoolean({ key })] }, { approvers: true })).toThrow(
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
      `${AT} pollInterval must be a whole number of seconds and at least 1 second, got Duration 1 second 500 millis. The extension polls every whole number of seconds, ` +
      'e.g. Duration.seconds(45).');
  });

  test('a validator schema over the 32,768 characters AppConfig allows', () => {
    const attributes = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`a${i}`, FlagAttribute.ofNumber({ defaultValue: 1, minimum: 0, maximum: 9 })]));
    const many = Array.from({ length: 6 }, (_, i) => new Flag({ key: `flag${i}`, attributes }));
    expect(build({ flags: many })).toThrow(/^\[Test\/Freight\/Flags\] the JSON Schema validator of 6 flags is \d+ characters; AppConfig allows 32768\. Split the flags into several FeatureFlags, or set schemaValidator: false\.$/);
    expect(build({ flags: many, schemaValidator: false })).not.toThrow();
  });

  test('flags that are not Flag objects', () => {
    expect(build({ flags: [{ key: 'a' } as unknown as Flag] })).toThrow(
      `${AT} flags [0] must be a Flag (new Flag({ key, ... }) or Flag.ofBoolean({ key })) (got a plain object {"key":"a"}), got an array of 1.`);
  });

  test('outside a workload', () => {
    const { stack } = testStack();
    expect(() => new FeatureFlags(stack, 'Flags', { flags: sampleFlags() })).toThrow('[Test/Flags] is not inside a Workload.');
  });
});

describe('plain JavaScript input: wrong shapes fail at the construct, naming the prop', () => {
  test.each([
    [{ schemaValidator: 'false' }, "schemaValidator must be true or false, got 'false' (a string)."],
    [{ killSwitch: 1 }, 'killSwitch must be true or false, got 1.'],
    [{ environments: 'prod' }, "environments must be an array of environment names, got 'prod' (a string). e.g. environments: ['staging', 'prod']."],
    [{ monitors: [{}] }, 'monitors [0] must be a CloudWatch alarm (cloudwatch.IAlarm) (got a plain object {}), got an array of 1.'],
    [{ deletionProtectionCheck: 'OFF' }, "deletionProtectionCheck must be one of DeletionProtectionCheck (ACCOUNT_DEFAULT, APPLY, BYPASS), got 'OFF' (a string)."],
    [{ killSwitchApproval: 'none' }, "killSwitchApproval must be a RunbookApproval, got 'none' (a string). e.g. RunbookApproval.none(reason) or RunbookApproval.by(approvers)."],
    [{ service: {} }, 'service must be an operable service (IOperableService, e.g. an OperableFunction), got a plain object {}.'],
    [{ applicationName: '' }, "applicationName '' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."],
    [{ flags: undefined }, "flags is required, got undefined. e.g. flags: [Flag.ofBoolean({ key: 'new_checkout' })]."],
  ])('%p', (props, message) => {
    expect(build(props as unknown as Partial<FeatureFlagsProps>)).toThrow(`${AT} ${message}`);
  });

  test('the renamed deploymentStrategy prop is an error, never silently ignored', () => {
    const { stack } = testStack();
    const workload = workloadIn(stack);
    const existing = appconfig.DeploymentStrategy.fromDeploymentStrategyId(stack, 'S', appconfig.DeploymentStrategyId.ALL_AT_ONCE);
    expect(() => new FeatureFlags(workload, 'Flags', { flags: sampleFlags(), monitors: [], deploymentStrategy: existing } as unknown as FeatureFlagsProps))
      .toThrow(`${AT} deploymentStrategy was renamed existingDeploymentStrategy, got an instance of Import: rename the prop (it would otherwise be ignored).`);
  });

  test('value objects record bad input and fail where a construct uses them', () => {
    const badProps = new Flag(null as unknown as FlagProps);
    expect(withFlag(() => badProps)).toThrow(`${AT} a Flag needs a props object ({ key, ... }), got null.`);
    expect(withFlag(() => Flag.ofBoolean({ key: 'f', attributes: { x: FlagAttribute.ofBoolean({ defaultValue: true }) } } as FlagOptions))).toThrow(
      `${AT} flag 'f': Flag.ofBoolean() makes an on/off flag and takes no attributes, got attributes: use new Flag({ key, attributes }) instead.`);
    expect(withFlag(() => new Flag({ key: 'f', attributes: [] as unknown as Record<string, FlagAttribute> }))).toThrow(
      `${AT} flag 'f': attributes must be an object of FlagAttribute by name (e.g. { percent: FlagAttribute.ofNumber({ defaultValue: 0 }) }), got an array of 0.`);
    expect(withFlag(() => Flag.ofBoolean({ key: 'f', deprecated: 'yes' as unknown as boolean }))).toThrow(
      `${AT} flag 'f': deprecated must be true or false, got 'yes' (a string).`);
    expect(attr(() => FlagAttribute.ofNumber(undefined as unknown as NumberAttributeProps))).toThrow(
      `${WHERE}: FlagAttribute.ofNumber() needs a props object, got undefined. Pass e.g. FlagAttribute.ofNumber({ defaultValue: ... }).`);
    expect(attr(() => FlagAttribute.ofBoolean({ defaultValue: true, required: 'yes' as unknown as boolean }))).toThrow(
      `${WHERE}: required must be true or false, got string 'yes'.`);
  });

  test('a constraint given to an attribute type it does not apply to is an error, not dropped', () => {
    expect(attr(() => FlagAttribute.ofNumber({ defaultValue: 1, pattern: '^1$' } as NumberAttributeProps))).toThrow(
      `${WHERE}: pattern does not apply to FlagAttribute.ofNumber() (got string '^1$'), so AppConfig would never check it: remove it, or use the ` +
      'factory of the type it applies to.');
    expect(attr(() => FlagAttribute.ofString({ defaultValue: 'a', maximum: 3 } as StringAttributeProps))).toThrow(
      `${WHERE}: maximum does not apply to FlagAttribute.ofString() (got number 3)`);
  });

  test('isFlag and isFlagAttribute recognise copies of the library by their Symbol.for brand', () => {
    expect(Flag.isFlag(Flag.ofBoolean({ key: 'f' }))).toBe(true);
    expect(Flag.isFlag({ key: 'f' })).toBe(false);
    expect(Flag.isFlag({ [Symbol.for('cdk-operable.Flag')]: true })).toBe(true);
    expect(FlagAttribute.isFlagAttribute(FlagAttribute.ofBoolean({ defaultValue: true }))).toBe(true);
    expect(FlagAttribute.isFlagAttribute(null)).toBe(false);
  });
});
