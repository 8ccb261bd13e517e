import { statSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OperableFunction } from '../src';
import { freight } from './support/fixtures';

/**
 * Footprint of operable services in a CloudFormation stack: resources and template bytes per service, measured on the
 * template file CDK writes (JSON indented by one space, what CloudFormation receives). Services get realistic names.
 * Figures are stated in the test names; docs/services.md "Footprint" quotes them.
 */
function synth(services: number) {
  const app = new App();
  const stack = new Stack(app, 'Squad', { env: { account: '123456789012', region: 'eu-west-1' } });
  const { workload } = freight(stack);
  for (let i = 0; i < services; i++) {
    new OperableFunction(workload, `QuoteEngine${String(i).padStart(2, '0')}`, {
      functionProps: {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      },
    });
  }
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  return {
    resources: Object.keys(artifact.template.Resources).length,
    bytes: statSync(join(assembly.directory, artifact.templateFile)).size,
    warnings: artifact.messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data)),
  };
}

const one = synth(1);
const two = synth(2);
const perService = { resources: two.resources - one.resources, bytes: two.bytes - one.bytes };
const fifteen = synth(15);
const twenty = synth(20);

describe('footprint of OperableFunction', () => {
  test(`each service adds ${perService.resources} resources and ${perService.bytes} template bytes`, () => {
    // Function, role, policy, version, alias, log group, deployment group, 12 SLO window alarms, saturation alarm,
    // page and ticket composites, dashboard. CodeDeploy application and role, saved queries and the workload
    // rollup are shared by all services of the workload.
    expect(perService.resources).toBe(23);
    expect(perService.bytes).toBeLessThan(50_000);
  });

  test(`20 services: ${twenty.resources} resources and ${twenty.bytes} bytes, under CloudFormation's 500 and 1,000,000`, () => {
    expect(twenty.resources).toBeLessThan(500);
    expect(twenty.bytes).toBeLessThan(1_000_000);
  });

  test('past 80 % of the resource limit an acknowledgeable warning says so (and aws-cdk-lib warns on template size)', () => {
    expect(twenty.warnings).toContain("Stack Squad has 469 resources, 94% of CloudFormation's 500. " +
      'Plan to move services into another stack before it stops deploying. [ack: cdk-operable:stack-size]');
    expect(twenty.warnings.some((w) => w.includes('[ack: @aws-cdk/core:Stack.templateSize]'))).toBe(true);
  });

  test(`15 services (${fifteen.resources} resources, ${fifteen.bytes} bytes) raise no size warning`, () => {
    expect(fifteen.warnings).toEqual([]);
  });
});
