import { createHash } from 'crypto';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomLens } from '../../src/orr/lens';
import { OrrLens, OrrLensProps } from '../../src/orr/orr-lens';
import { testStack } from '../support/fixtures';

interface LensResource { Type: string; Properties: { JSONString: string; LensVersion: string; Tags?: { Key: string; Value: string }[] } }

/** Synthesize a fresh app with one OrrLens and return the construct and its only AWS::WellArchitected::Lens resource. */
function synth(props?: OrrLensProps): { lens: OrrLens; stack: Stack; logicalId: string; resource: LensResource } {
  const { stack } = testStack();
  const lens = new OrrLens(stack, 'Lens', props);
  const resources = Template.fromStack(stack).findResources('AWS::WellArchitected::Lens');
  expect(Object.keys(resources)).toHaveLength(1);
  const [logicalId, resource] = Object.entries(resources)[0];
  return { lens, stack, logicalId, resource: resource as LensResource };
}

describe('OrrLens', () => {
  test('deploys AWS::WellArchitected::Lens whose JSONString is the generated lens', () => {
    const { lens, resource } = synth();
    expect(resource.Type).toBe('AWS::WellArchitected::Lens');
    expect(typeof resource.Properties.JSONString).toBe('string');
    expect(JSON.parse(resource.Properties.JSONString)).toEqual(JSON.parse(new CustomLens().toJson()));
    expect(JSON.parse(resource.Properties.JSONString)).toEqual(JSON.parse(lens.lens.toJson()));
    expect(CustomLens.validate(resource.Properties.JSONString)).toEqual([]);
    expect(lens.lens.questionCount).toBe(9);
  });

  test('the template carries compact JSON', () => {
    const { resource } = synth();
    expect(resource.Properties.JSONString).not.toContain('\n');
    expect(resource.Properties.JSONString.length).toBeLessThan(new CustomLens().sizeBytes);
  });

  test('LensVersion is the first 8 hex characters of the SHA-256 of the JSONString, stable across synths', () => {
    const first = synth().resource.Properties;
    const second = synth().resource.Properties;
    expect(first.LensVersion).toMatch(/^[0-9a-f]{8}$/);
    expect(first.LensVersion).toBe(createHash('sha256').update(first.JSONString).digest('hex').slice(0, 8));
    expect(second.LensVersion).toBe(first.LensVersion);
    expect(second.JSONString).toBe(first.JSONString);
  });

  test('LensVersion changes when the content changes', () => {
    const base = synth().lens.lensVersion;
    const renamed = synth({ lensName: 'Freight ORR' });
    expect(JSON.parse(renamed.resource.Properties.JSONString).name).toBe('Freight ORR');
    expect(renamed.lens.lensVersion).not.toBe(base);
    expect(renamed.resource.Properties.LensVersion).toBe(renamed.lens.lensVersion);
    expect(synth({ includeUncoveredQuestions: true }).lens.lensVersion).not.toBe(base);
  });

  test('includeUncoveredQuestions reaches the deployed lens', () => {
    const { resource, lens } = synth({ includeUncoveredQuestions: true });
    const doc = JSON.parse(resource.Properties.JSONString) as { pillars: { questions: unknown[] }[] };
    expect(doc.pillars.flatMap((p) => p.questions)).toHaveLength(11);
    expect(lens.lens.questionCount).toBe(11);
  });

  test('an explicit lensVersion is used as given', () => {
    const { resource, lens } = synth({ lensVersion: '2024.06-r1' });
    expect(resource.Properties.LensVersion).toBe('2024.06-r1');
    expect(lens.lensVersion).toBe('2024.06-r1');
  });

  test('lensArn is the LensArn attribute', () => {
    const { lens, stack, logicalId } = synth();
    expect(stack.resolve(lens.lensArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'LensArn'] });
    expect(lens.cfnLens.node.path).toBe('Test/Lens/Resource');
  });

  test('tags applied to the scope reach the lens', () => {
    const app = new App();
    const stack = new Stack(app, 'Tagged');
    new OrrLens(stack, 'Lens');
    Tags.of(stack).add('ops:owner', 'platform');
    Template.fromStack(stack).hasResourceProperties('AWS::WellArchitected::Lens', { Tags: [{ Key: 'ops:owner', Value: 'platform' }] });
  });

  test.each([
    ['a lens version over 32 characters', { lensVersion: 'v'.repeat(33) },
      `[Test/Lens] OrrLens: lensVersion '${'v'.repeat(33)}' is 33 characters; give 1 to 32 (or leave it out to version by content hash).`],
    ['an empty lens version', { lensVersion: '' }, "[Test/Lens] OrrLens: lensVersion '' is 0 characters; give 1 to 32"],
    ['a lens name over 128 characters', { lensName: 'n'.repeat(129) }, '[Test/Lens] CustomLens: lensName'],
  ])('rejects %s, naming the construct path', (_, props, message) => {
    const { stack } = testStack();
    expect(() => new OrrLens(stack, 'Lens', props)).toThrow(message);
  });
});
