import { App } from 'aws-cdk-lib';
import { buildFreightSlosApp } from '../examples/freight-slos/app';
import { buildServerlessSquadApp } from '../examples/serverless-squad/app';

/**
 * The example app synthesizes cleanly with aws-cdk-lib's built-in CloudFormation validation ON (as `cdk synth`
 * and `npm run demo` run it), and its template is pinned: the one whole-template snapshot we keep.
 */
describe('examples/freight-slos', () => {
  const previous = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previous; });

  test('synthesizes with no warnings or errors, including CloudFormation validation', () => {
    const app = new App({ builtinCloudFormationValidation: true });
    const stack = buildFreightSlosApp(app);
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${m.entry.data}`)).toEqual([]);
    expect(stack.slos.map((s) => s.estimatedMonthlyCostUsd)).toEqual([2.2, 1.9]); // short latency windows read the percentile rank only
    expect(artifact.template).toMatchSnapshot();
  });
});

describe('examples/serverless-squad', () => {
  const previous = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previous; });

  test('synthesizes with no warnings or errors, including CloudFormation validation', () => {
    const app = new App({ builtinCloudFormationValidation: true });
    const stack = buildServerlessSquadApp(app);
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    expect(artifact.messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${m.entry.data}`)).toEqual([]);
    expect(stack.services.map((s) => [s.serviceName, s.slos.map((slo) => slo.sloName)])).toEqual([
      ['quote-api', ['availability', 'latency', 'canary']],
      ['quotes', ['availability', 'latency']],
      ['price-updates', ['availability', 'latency']],
    ]);
    expect(artifact.template).toMatchSnapshot();
  });
});
