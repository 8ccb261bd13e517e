import { Aws, Duration, Lazy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { alarmName, describeWindow, formatBurnRate, formatWindow, kebab, MAX_ALARM_NAME_LENGTH, validateName } from '../../src/core/naming';
import { testStack } from '../support/fixtures';

function scope() {
  return new Construct(new Construct(testStack().stack, 'Freight'), 'Availability');
}

describe('kebab', () => {
  test.each([
    ['LookupLatency', 'lookup-latency'],
    ['Availability', 'availability'],
    ['APIGateway5xx', 'api-gateway5xx'],
    ['HTTPServer', 'http-server'],
    ['getHTTPResponseCode', 'get-http-response-code'],
    ['Quotes2Latency', 'quotes2-latency'],
    ['already-kebab', 'already-kebab'],
    ['snake_case.name', 'snake_case.name'],
    ['With Spaces', 'with-spaces'],
    ['Slash/Separated', 'slash-separated'],
    ['  Trim!!', 'trim'],
    ['--Leading', 'leading'],
    ['UPPER', 'upper'],
    ['p99', 'p99'],
  ])('%j → %j', (id, expected) => {
    expect(kebab(id)).toBe(expected);
  });
});

describe('formatWindow', () => {
  test.each([
    [Duration.seconds(300), '5m'],
    [Duration.seconds(3600), '1h'],
    [Duration.seconds(259200), '3d'],
    [Duration.seconds(90), '90s'],
    [Duration.minutes(30), '30m'],
    [Duration.minutes(90), '90m'],
    [Duration.hours(6), '6h'],
    [Duration.hours(24), '1d'],
    [Duration.hours(36), '36h'],
    [Duration.days(30), '30d'],
    [Duration.seconds(10), '10s'],
    [Duration.millis(500), '0.5s'],
  ])('%s → %j', (window, expected) => {
    expect(formatWindow(window)).toBe(expected);
  });
});

describe('describeWindow', () => {
  test.each([
    [Duration.seconds(1), '1 second'],
    [Duration.seconds(90), '90 seconds'],
    [Duration.minutes(1), '1 minute'],
    [Duration.minutes(5), '5 minutes'],
    [Duration.hours(1), '1 hour'],
    [Duration.hours(6), '6 hours'],
    [Duration.days(1), '1 day'],
    [Duration.days(3), '3 days'],
    [Duration.hours(36), '36 hours'],
  ])('%s → %j', (window, expected) => {
    expect(describeWindow(window)).toBe(expected);
  });
});

describe('formatBurnRate', () => {
  test.each([
    [14.4, '14.4x'],
    [6, '6x'],
    [1, '1x'],
    [0.5, '0.5x'],
    [1 / 3, '0.333333x'],
    [14.399999999999999, '14.4x'],
    [1000, '1000x'],
  ])('%p → %j', (rate, expected) => {
    expect(formatBurnRate(rate)).toBe(expected);
  });
});

describe('alarmName', () => {
  test('joins the parts with dashes', () => {
    expect(alarmName(scope(), ['freight', 'quotes', 'availability', 'page'])).toBe('freight-quotes-availability-page');
  });

  test('accepts exactly 255 characters', () => {
    expect(MAX_ALARM_NAME_LENGTH).toBe(255);
    const name = alarmName(scope(), ['a'.repeat(200), 'b'.repeat(54)]);
    expect(name).toHaveLength(255);
  });

  test('throws over 255 characters, naming the scope, the start of the name and its length', () => {
    const parts = ['freight', 'q'.repeat(244), 'page'];
    const start = `freight-${'q'.repeat(52)}`;
    expect(() => alarmName(scope(), parts))
      .toThrow(`[Test/Freight/Availability] Alarm name '${start}...' is 257 characters; CloudWatch allows 255. ` +
        'Shorten the workload, service or SLO name.');
  });
});

describe('validateName', () => {
  test.each([['freight'], ['Freight'], ['9lives'], ['a.b_c-d'], ['a'.repeat(64)], ['x']])('accepts %j and returns it', (name) => {
    expect(validateName(scope(), 'serviceName', name)).toBe(name);
  });

  test.each([
    ['has space'], ['-lead'], ['.lead'], ['_lead'], ['a'.repeat(65)], [''], ['a/b'], ['a:b'], ['é'], ['a@b'],
  ])('rejects %j, naming the field and the value', (name) => {
    expect(() => validateName(scope(), 'serviceName', name))
      .toThrow(`[Test/Freight/Availability] serviceName '${name}' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  });

  test.each([[Aws.REGION], [Lazy.string({ produce: () => 'freight' })]])('rejects the token %#', (token) => {
    expect(() => validateName(scope(), 'workloadName', token))
      .toThrow('[Test/Freight/Availability] workloadName must be a plain string known at synth time (it becomes part of alarm names), got a token.');
  });

  test('without a scope the message has no path prefix', () => {
    expect(() => validateName(undefined, 'sloName', 'bad name')).toThrow(/^sloName 'bad name' is invalid/);
  });
});
