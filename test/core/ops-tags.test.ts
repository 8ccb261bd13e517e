import { Aws, Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { OpsTags } from '../../src';
import { testStack } from '../support/fixtures';

function scope() {
  const { stack } = testStack();
  return { stack, scope: new Construct(stack, 'Scope') };
}

describe('OpsTags keys', () => {
  test('constants', () => {
    expect(OpsTags.WORKLOAD).toBe('ops:workload');
    expect(OpsTags.SERVICE).toBe('ops:service');
    expect(OpsTags.OWNER).toBe('ops:owner');
    expect(OpsTags.ONCALL).toBe('ops:oncall');
    expect(OpsTags.TIER).toBe('ops:tier');
    expect(OpsTags.RUNBOOK).toBe('ops:runbook');
  });

  test('ALL_KEYS lists every key in a stable order', () => {
    expect(OpsTags.ALL_KEYS).toEqual(['ops:workload', 'ops:service', 'ops:owner', 'ops:oncall', 'ops:tier', 'ops:runbook']);
  });
});

describe('OpsTags.validate', () => {
  test.each([
    ['freight'],
    ['pricing-oncall@example.com'],
    ['https://runbooks.example.com/freight/quotes'],
    ['a b+c-d=e.f_g:h/i@j'],
    ['Équipe tarifs'],
    ['料金チーム'],
    ['ценообразование'],
    ['٣٤٥'],
    ['x'.repeat(256)],
  ])('accepts %j', (value) => {
    expect(() => OpsTags.validate(scope().scope, OpsTags.OWNER, value)).not.toThrow();
  });

  test.each([[''], [' '], ['\t \t']])('rejects the empty value %j, naming scope and key', (value) => {
    expect(() => OpsTags.validate(scope().scope, OpsTags.OWNER, value))
      .toThrow("[Test/Scope] Tag 'ops:owner' has an empty value. Give it a non-empty value (letters, digits, spaces or + - = . _ : / @).");
  });

  test('rejects a value of 257 characters, stating its length', () => {
    const value = 'x'.repeat(257);
    expect(() => OpsTags.validate(scope().scope, OpsTags.ONCALL, value))
      .toThrow(`[Test/Scope] Tag 'ops:oncall' value is 257 characters long ('${'x'.repeat(40)}...'); AWS tag values hold at most 256. Shorten it.`);
  });

  test('lists every illegal character once, in order of appearance', () => {
    const value = 'a?b#c&d*e?#';
    expect(() => OpsTags.validate(scope().scope, OpsTags.OWNER, value))
      .toThrow(`[Test/Scope] Tag 'ops:owner' value '${value}' contains '?', '#', '&', '*', which AWS tag values do not allow ` +
        '(only letters, digits, spaces and + - = . _ : / @). Remove or replace those characters.');
  });

  test.each([['?'], ['#'], ['&'], ['*'], ['%'], ['!'], [','], ['~'], ['"'], ['\n']])('rejects %j', (c) => {
    expect(() => OpsTags.validate(scope().scope, OpsTags.TIER, `tier${c}x`)).toThrow(/Tag 'ops:tier' value [\s\S]* which AWS tag values do not allow/);
  });

  test('an illegal ops:runbook value asks for a path-style runbook URL', () => {
    expect(() => OpsTags.validate(scope().scope, OpsTags.RUNBOOK, 'https://wiki/x?id=1'))
      .toThrow(/contains '\?'.*Use a path-style runbook URL without query string or fragment, or an SSM document name\.$/);
  });

  test('rejects a key longer than 128 characters', () => {
    const key = `ops:${'k'.repeat(125)}`;
    expect(key).toHaveLength(129);
    expect(() => OpsTags.validate(scope().scope, key, 'v'))
      .toThrow(`[Test/Scope] Tag key '${key}' is not a valid AWS tag key: use 1-128 letters, digits, spaces or + - = . _ : / @.`);
  });

  test('accepts a key of 128 characters', () => {
    expect(() => OpsTags.validate(scope().scope, `ops:${'k'.repeat(124)}`, 'v')).not.toThrow();
  });

  test.each([[''], ['ops?key'], ['ops#key']])('rejects the key %j', (key) => {
    expect(() => OpsTags.validate(scope().scope, key, 'v')).toThrow(`[Test/Scope] Tag key '${key}' is not a valid AWS tag key`);
  });

  // Keys starting with `aws:` are reserved for AWS; CloudFormation would reject them at deploy time.
  test('rejects a key with the reserved aws: prefix', () => {
    expect(() => OpsTags.validate(scope().scope, 'aws:owner', 'pricing')).toThrow(/\[Test\/Scope\] Tag key 'aws:owner'/);
  });

  test('skips tokens in the key or the value', () => {
    const { scope: s } = scope();
    expect(() => OpsTags.validate(s, OpsTags.OWNER, Aws.ACCOUNT_ID)).not.toThrow();
    expect(() => OpsTags.validate(s, OpsTags.OWNER, Lazy.string({ produce: () => '' }))).not.toThrow();
    expect(() => OpsTags.validate(s, Lazy.string({ produce: () => '?' }), 'value?')).not.toThrow();
  });

  // AWS limits tag values to 256 Unicode characters, not UTF-16 code units.
  test('AWS counts tag value length in Unicode characters: 256 letters outside the BMP are valid', () => {
    // U+20000 is a CJK letter (\p{L}) that JavaScript stores as two UTF-16 code units.
    const value = '\u{20000}'.repeat(256);
    expect([...value]).toHaveLength(256);
    expect(() => OpsTags.validate(scope().scope, OpsTags.OWNER, value)).not.toThrow();
  });
});

describe('OpsTags.apply', () => {
  test('tags every taggable resource under the scope', () => {
    const { stack, scope: s } = scope();
    new sns.Topic(s, 'A');
    new sns.Topic(new Construct(s, 'Deep'), 'B');
    new sns.Topic(stack, 'Outside');
    OpsTags.apply(s, OpsTags.SERVICE, 'quotes');

    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { Tags: [{ Key: 'ops:service', Value: 'quotes' }] }, 2);
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { Tags: Match.absent() }, 1);
  });

  test('applies a token value', () => {
    const { stack, scope: s } = scope();
    new sns.Topic(s, 'A');
    OpsTags.apply(s, OpsTags.OWNER, Aws.ACCOUNT_ID);

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { Tags: [{ Key: 'ops:owner', Value: { Ref: 'AWS::AccountId' } }] });
  });

  test('validates before tagging', () => {
    const { stack, scope: s } = scope();
    new sns.Topic(s, 'A');
    expect(() => OpsTags.apply(s, OpsTags.OWNER, 'a&b')).toThrow(/\[Test\/Scope\] Tag 'ops:owner' value 'a&b' contains '&'/);

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { Tags: Match.absent() });
  });
});
