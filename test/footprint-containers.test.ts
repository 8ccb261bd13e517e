import { statSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { OperableFargateService } from '../src';
import { freight } from './support/fixtures';

/**
 * Footprint of OperableFargateService in a CloudFormation stack: resources and template bytes per service, measured on
 * the template file CDK writes, in a stack whose services share one VPC and one ECS cluster (created before them).
 * Figures are stated in the test names; README.md and docs/services.md quote them.
 */
function synth(services: number) {
  const app = new App();
  const stack = new Stack(app, 'Squad', { env: { account: '123456789012', region: 'eu-west-1' } });
  const { workload } = freight(stack);
  const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Containers', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  for (let i = 0; i < services; i++) {
    new OperableFargateService(workload, `DispatchEngine${String(i).padStart(2, '0')}`, {
      cluster,
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') },
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
const nine = synth(9);

describe('footprint of OperableFargateService', () => {
  test(`each service adds ${perService.resources} resources and ${perService.bytes} template bytes`, () => {
    // Task definition, its task and execution roles and the execution role's policy, log group, load balancer with its
    // security group and egress rule, listener, listener rule, two target groups, the service with its security group and
    // ingress rule, the alternate-target role, the deployment-failure metric filter, 12 SLO window alarms, the canary
    // alarm, 5 tickets, 2 composites, the dashboard. The ECS event capture and the workload rollup are shared.
    expect(perService.resources).toBe(38);
    expect(perService.bytes).toBeLessThan(110_000);
  });

  test(`9 services: ${nine.resources} resources and ${nine.bytes} bytes, under CloudFormation's 500 and 1,000,000`, () => {
    expect(nine.resources).toBeLessThan(500);
    expect(nine.bytes).toBeLessThan(1_000_000);
  });
});
