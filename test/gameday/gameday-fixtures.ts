import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { Approvers, OperableFunction, Workload, WorkloadProps } from '../../src';
import { GameDay, GameDayProps, LambdaFaultConfiguration } from '../../src/gameday';
import { freight, testStack } from '../support/fixtures';

/** Shared helpers of the game day tests (not a test file itself). */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const ONCALL_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/oncall`;

export type Resource = { Type: string; Properties: Record<string, unknown> };
/** A policy statement as synthesized. */
export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Everything a game day test needs. */
export interface World {
  readonly stack: Stack;
  readonly workload: Workload;
  readonly quotes: OperableFunction;
  readonly bucket: s3.Bucket;
  readonly faults: LambdaFaultConfiguration;
}

/**
 * The freight workload (approvers: the on-call role, unless `approvers` is false) with the OperableFunction 'Quotes'
 * (service 'quotes', runbook `<base>/quotes`) and a FIS configuration bucket.
 */
export function world(options: { approvers?: boolean; workload?: Partial<WorkloadProps> } = {}): World {
  const { stack } = testStack();
  const approvers = options.approvers === false ? {} : {
    approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', ONCALL_ROLE_ARN)] }),
  };
  const { workload } = freight(stack, { ...approvers, ...options.workload });
  const quotes = new OperableFunction(workload, 'Quotes', {
    functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') },
  });
  const bucket = new s3.Bucket(stack, 'FisConfig');
  return { stack, workload, quotes, bucket, faults: LambdaFaultConfiguration.fromBucket(bucket) };
}

/** A game day 'QuotesGameDay' in the freight workload of `w`. */
export function gameDay(w: World, props: Partial<GameDayProps> & Pick<GameDayProps, 'experiments'>): GameDay {
  return new GameDay(w.workload, 'QuotesGameDay', { service: w.quotes, ...props });
}

/** An ECS Fargate service 'Api' in cluster 'Cluster' (names 'freight' / 'api'). */
export function ecsService(stack: Stack): ecs.FargateService {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, clusterName: 'freight' });
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
  return new ecs.FargateService(stack, 'Api', { cluster, taskDefinition: task, serviceName: 'api', assignPublicIp: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
}

/** An Aurora PostgreSQL cluster 'Orders' with a writer and `readers` readers. */
export function auroraCluster(stack: Stack, readers = 1): rds.DatabaseCluster {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return new rds.DatabaseCluster(stack, 'Orders', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    readers: Array.from({ length: readers }, (_, i) => rds.ClusterInstance.serverlessV2(`Reader${i + 1}`)),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  });
}

/** The synthesized template of the stack. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The resources of a type, as [logicalId, resource]. */
export function resources(stack: Stack, type: string): Array<[string, Resource]> {
  const json = templateOf(stack).toJSON() as { Resources: Record<string, Resource> };
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type);
}

/** The logical id of an L1, or of a construct's default child. */
export function logicalId(construct: IConstruct): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** The synthesized properties of an L1 (or of a construct's default child). */
export function propertiesOf(construct: IConstruct): Record<string, unknown> {
  const json = templateOf(Stack.of(construct)).toJSON() as { Resources: Record<string, Resource> };
  return json.Resources[logicalId(construct)].Properties;
}

/** The statements of a role's one inline policy, as synthesized. */
export function inlineStatements(role: IConstruct): Statement[] {
  return (propertiesOf(role).Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>)[0].PolicyDocument.Statement;
}
