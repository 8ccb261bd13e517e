import { documentedFormat, draft04, standalone } from './support';
import { Flag, FlagAttribute } from '../../src/flags';

/** A console edit: set the value at a dotted path (or delete it when the value is undefined). */
type Edit = [path: string, value: unknown];
const DELETE = undefined;

function apply(doc: Record<string, unknown>, edits: Edit[]): Record<string, unknown> {
  for (const [path, value] of edits) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, doc);
    if (value === DELETE) delete parent[keys[keys.length - 1]];
    else parent[keys[keys.length - 1]] = value;
  }
  return doc;
}

/** The sample flags' validator, and the deployed document after console edits. */
function setup(approvers = false) {
  const { flags } = standalone({}, { approvers });
  const validate = draft04(flags.validatorSchema!);
  const edit = (...edits: Edit[]) => validate(apply(JSON.parse(flags.content), edits));
  return { flags, validate, edit };
}

describe('the JSON Schema validator accepts the document and console edits of values', () => {
  const { flags, validate, edit } = setup(true);

  test('the deployed document and every kill-switch version', () => {
    expect(validate(JSON.parse(flags.content))).toEqual([]);
    for (const runbook of flags.killSwitches) expect(validate(JSON.parse(runbook.disabledContent))).toEqual([]);
    for (const runbook of flags.killSwitches) expect(documentedFormat()(JSON.parse(runbook.disabledContent))).toEqual([]);
  });

  test.each<[string, Edit[]]>([
    ['turning a flag on', [['values.fast_quotes.enabled', true]]],
    ['changing attribute values within their constraints', [
      ['values.new_checkout.percent', 100], ['values.new_checkout.theme', 'dark'], ['values.new_checkout.banner', 'SALE'],
      ['values.new_checkout.beta', true], ['values.new_checkout.tiers', [3]], ['values.new_checkout.regions', ['us-east-1', 'eu-west-2']],
    ]],
    ['leaving out an attribute that is not required', [['values.new_checkout.theme', DELETE]]],
    ['console metadata: _createdAt, _updatedAt, _deprecation, a new name and description', [
      ['flags.fast_quotes._createdAt', '2026-01-01T00:00:00Z'], ['flags.fast_quotes._updatedAt', '2026-01-02T00:00:00Z'],
      ['flags.fast_quotes._deprecation', { status: 'planned' }], ['flags.new_checkout.name', 'Checkout v2'],
      ['flags.new_checkout.description', 'Renamed in the console'], ['values.fast_quotes._updatedAt', '2026-01-02T00:00:00Z'],
    ]],
    ['an explicit required: false on a constraint', [['flags.new_checkout.attributes.theme.constraints.required', false]]],
    ['a variant with attribute values', [
      ['values.new_checkout._variants', [{ name: 'beta users', enabled: true, rule: '(eq $group "beta")', attributeValues: { percent: 50 } }]],
    ]],
  ])('%s', (_, edits) => {
    expect(edit(...edits)).toEqual([]);
  });
});

describe('the JSON Schema validator rejects console edits that break the contract with the code', () => {
  const { edit } = setup();

  test.each<[string, Edit[], string]>([
    ['a value above the maximum', [['values.new_checkout.percent', 150]], '.values.new_checkout.percent should be <= 100'],
    ['a value of the wrong type', [['values.new_checkout.percent', '50']], '.values.new_checkout.percent should be number'],
    ['a value outside the allowed values', [['values.new_checkout.theme', 'neon']], '.values.new_checkout.theme should be equal to one of the allowed values'],
    ['a value not matching the pattern', [['values.new_checkout.banner', 'sale']], '.values.new_checkout.banner should match pattern "^[A-Z]+$"'],
    ['an array element out of range', [['values.new_checkout.tiers', [1, 9]]], '.values.new_checkout.tiers[1] should be <= 3'],
    ['enabled that is not a boolean', [['values.fast_quotes.enabled', 'true']], '.values.fast_quotes.enabled should be boolean'],
    ['a required attribute removed', [['values.new_checkout.percent', DELETE]], ".values.new_checkout should have required property 'percent'"],
    ['an attribute value the code does not know', [['values.fast_quotes.colour', 'red']], '.values.fast_quotes should NOT have additional properties'],
    ['a flag removed', [['flags.fast_quotes', DELETE], ['values.fast_quotes', DELETE]], ".flags should have required property 'fast_quotes'"],
    ['a flag added', [['flags.rogue', { name: 'rogue' }], ['values.rogue', { enabled: true }]], '.flags should NOT have additional properties'],
    ['a constraint loosened', [['flags.new_checkout.attributes.percent.constraints.maximum', 1000]], 'should be equal to one of the allowed values'],
    ['a constraint added', [['flags.new_checkout.attributes.beta.constraints.required', true]], 'should be equal to one of the allowed values'],
    ['an attribute added to a flag without attributes', [['flags.fast_quotes.attributes', { x: { constraints: { type: 'boolean' } } }]], '.flags.fast_quotes.attributes should NOT have more than 0 properties'],
    ['a variant with a bad attribute value', [['values.new_checkout._variants', [{ name: 'v', enabled: true, attributeValues: { percent: -5 } }]]], '.values.new_checkout._variants[0].attributeValues.percent should be >= 0'],
    ['another schema version', [['version', '2']], '.version should be equal to one of the allowed values'],
  ])('%s', (_, edits, error) => {
    expect(edit(...edits)).toContainEqual(expect.stringContaining(error));
  });
});

test('a flag without attributes in code accepts no attribute values', () => {
  const { flags } = standalone({ flags: [Flag.ofBoolean({ key: 'a' }), new Flag({ key: 'b', attributes: { n: FlagAttribute.ofNumber({ defaultValue: 1 }) } })] });
  const validate = draft04(flags.validatorSchema!);
  expect(validate({
    version: '1',
    flags: { a: { name: 'a' }, b: { name: 'b', attributes: { n: { constraints: { type: 'number' } } } } },
    values: { a: { enabled: true, n: 1 }, b: { enabled: true } },
  })).toEqual(['.values.a should NOT have additional properties']);
});
