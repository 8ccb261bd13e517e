import { documentedFormat, only, sampleFlags, standalone } from './support';
import { FeatureFlags, Flag, FlagAttribute } from '../../src/flags';

const format = documentedFormat();

/** The document of the sample flags, as deployed. */
const SAMPLE_DOCUMENT = {
  version: '1',
  flags: {
    fast_quotes: { name: 'Fast quotes', description: 'Quotes from the cache' },
    new_checkout: {
      name: 'New checkout',
      attributes: {
        percent: { description: 'Share of carts', constraints: { type: 'number', minimum: 0, maximum: 100, required: true } },
        theme: { constraints: { type: 'string', enum: ['light', 'dark'] } },
        banner: { constraints: { type: 'string', pattern: '^[A-Z]+$' } },
        beta: { constraints: { type: 'boolean' } },
        tiers: { constraints: { type: 'array', elements: { type: 'number', minimum: 1, maximum: 3 } } },
        regions: { constraints: { type: 'array', elements: { type: 'string', pattern: '^[a-z]{2}-[a-z]+-\\d$' } } },
      },
    },
  },
  values: {
    fast_quotes: { enabled: false },
    new_checkout: { enabled: true, percent: 10, theme: 'light', banner: 'WELCOME', beta: false, tiers: [1, 2], regions: ['eu-west-1'] },
  },
};

describe('the AWS.AppConfig.FeatureFlags document', () => {
  test('flags, attribute constraints of every kind and default values, exactly as deployed', () => {
    const { stack, flags } = standalone();
    expect(JSON.parse(flags.content)).toEqual(SAMPLE_DOCUMENT);
    const version = only(stack, 'AWS::AppConfig::HostedConfigurationVersion');
    expect(version.Properties.Content).toBe(flags.content);
    expect(version.Properties.ContentType).toBe('application/json');
  });

  test('satisfies the documented FeatureFlags JSON schema', () => {
    const { flags } = standalone();
    expect(format(JSON.parse(flags.content))).toEqual([]);
  });

  test('a flag ships off, named after its key, unless told otherwise; deprecated flags carry _deprecation', () => {
    const { flags } = standalone({ flags: [Flag.ofBoolean({ key: 'old_search', deprecated: true }), Flag.ofBoolean({ key: 'on', enabled: true })] });
    const doc = JSON.parse(flags.content);
    expect(doc).toEqual({
      version: '1',
      flags: { old_search: { name: 'old_search', _deprecation: { status: 'planned' } }, on: { name: 'on' } },
      values: { old_search: { enabled: false }, on: { enabled: true } },
    });
    expect(format(doc)).toEqual([]);
  });

  test('unbounded attributes and required booleans render only what is set', () => {
    const { flags } = standalone({
      flags: [new Flag({
        key: 'limits',
        attributes: {
          n: FlagAttribute.ofNumber({ defaultValue: -3.5 }),
          s: FlagAttribute.ofString({ defaultValue: '' }),
          b: FlagAttribute.ofBoolean({ defaultValue: true, required: true }),
          words: FlagAttribute.ofStringArray({ defaultValue: ['a'], allowedValues: ['a', 'b'] }),
          sizes: FlagAttribute.ofNumberArray({ defaultValue: [0.5] }),
        },
      })],
    });
    const doc = JSON.parse(flags.content);
    expect(doc.flags.limits.attributes).toEqual({
      n: { constraints: { type: 'number' } },
      s: { constraints: { type: 'string' } },
      b: { constraints: { type: 'boolean', required: true } },
      words: { constraints: { type: 'array', elements: { type: 'string', enum: ['a', 'b'] } } },
      sizes: { constraints: { type: 'array', elements: { type: 'number' } } },
    });
    expect(doc.values.limits).toEqual({ enabled: false, n: -3.5, s: '', b: true, words: ['a'], sizes: [0.5] });
    expect(format(doc)).toEqual([]);
  });

  test('25 attributes are allowed', () => {
    const attributes = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`a${i}`, FlagAttribute.ofBoolean({ defaultValue: false })]));
    const { flags } = standalone({ flags: [new Flag({ key: 'wide', attributes })] });
    expect(format(JSON.parse(flags.content))).toEqual([]);
  });

  test('the Flag and FlagAttribute objects report what they hold', () => {
    const [plain, rich] = sampleFlags();
    expect([plain.key, plain.name, plain.description, plain.enabled, plain.deprecated, plain.attributes]).toEqual(
      ['fast_quotes', 'Fast quotes', 'Quotes from the cache', false, false, {}]);
    expect(Object.entries(rich.attributes).map(([n, a]) => [n, a.attributeType, a.required, a.description])).toEqual([
      ['percent', 'number', true, 'Share of carts'],
      ['theme', 'string', false, undefined],
      ['banner', 'string', false, undefined],
      ['beta', 'boolean', false, undefined],
      ['tiers', 'array', false, undefined],
      ['regions', 'array', false, undefined],
    ]);
  });
});

describe('the documented format rejects what synth rejects', () => {
  // Each case: a document the documented schema rejects, and the typed input that would produce it, rejected at synth.
  const doc = (flags: object, values: object) => ({ version: '1', flags, values });

  test.each([
    ['an invalid flag key', doc({ 'New-checkout': { name: 'x' } }, { 'New-checkout': { enabled: false } }),
      () => Flag.ofBoolean({ key: 'New-checkout' }), "flag key 'New-checkout' is invalid"],
    ['26 attributes', doc({ wide: { name: 'w', attributes: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`a${i}`, { constraints: { type: 'boolean' } }])) } },
      { wide: { enabled: false } }),
    () => new Flag({ key: 'wide', attributes: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`a${i}`, FlagAttribute.ofBoolean({ defaultValue: false })])) }),
    "flag 'wide' has 26 attributes"],
    ['a fractional number bound', doc({ n: { name: 'n', attributes: { x: { constraints: { type: 'number', minimum: 0.5 } } } } }, { n: { enabled: false, x: 1 } }),
      () => new Flag({ key: 'n', attributes: { x: FlagAttribute.ofNumber({ defaultValue: 1, minimum: 0.5 }) } }), 'minimum must be a whole number'],
    ['pattern and enum together', doc({ s: { name: 's', attributes: { x: { constraints: { type: 'string', pattern: 'a', enum: ['a'] } } } } }, { s: { enabled: false, x: 'a' } }),
      () => new Flag({ key: 's', attributes: { x: FlagAttribute.ofString({ defaultValue: 'a', pattern: 'a', allowedValues: ['a'] }) } }), 'give pattern or allowedValues, not both'],
    ['a name over 64 characters', doc({ n: { name: 'x'.repeat(65) } }, { n: { enabled: false } }),
      () => Flag.ofBoolean({ key: 'n', name: 'x'.repeat(65) }), "flag 'n': name must be 1-64 characters"],
    ['a string value over 1,024 characters', doc({ s: { name: 's', attributes: { x: { constraints: { type: 'string' } } } } }, { s: { enabled: false, x: 'x'.repeat(1025) } }),
      () => new Flag({ key: 's', attributes: { x: FlagAttribute.ofString({ defaultValue: 'x'.repeat(1025) }) } }), 'defaultValue is 1025 characters'],
    ['an empty array value', doc({ a: { name: 'a', attributes: { x: { constraints: { type: 'array' } } } } }, { a: { enabled: false, x: [] } }),
      () => new Flag({ key: 'a', attributes: { x: FlagAttribute.ofNumberArray({ defaultValue: [] }) } }), 'defaultValue is an empty array'],
  ])('%s', (_, document, flag, message) => {
    expect(format(document)).not.toEqual([]);
    expect(() => standalone({ flags: [flag()] })).toThrow(message);
  });

  test('the default rollout strategy is linear, 20 % every 2 minutes over 10 minutes, 10 minutes of bake', () => {
    const s = FeatureFlags.DEFAULT_ROLLOUT_STRATEGY;
    expect([s.growthFactor, s.growthType, s.deploymentDuration.toMinutes(), s.finalBakeTime?.toMinutes()]).toEqual([20, 'LINEAR', 10, 10]);
  });
});
