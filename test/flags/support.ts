import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Approvers, OperableFunction, Workload, WorkloadProps } from '../../src';
import { FeatureFlags, FeatureFlagsProps, Flag, FlagAttribute } from '../../src/flags';
import { freight, testStack } from '../support/fixtures';

/** Shared helpers of the feature-flag tests (not a test file itself). */

/** A parsed template value, indexable at any depth. */
export interface Json { [key: string]: Json }
export type Resource = { Type: string; Properties: Json; DependsOn?: string[] };

/** The flags most tests deploy: an on/off flag and one with an attribute of every kind. */
export function sampleFlags(): Flag[] {
  return [
    Flag.ofBoolean({ key: 'fast_quotes', name: 'Fast quotes', description: 'Quotes from the cache' }),
    new Flag({
      key: 'new_checkout',
      name: 'New checkout',
      enabled: true,
      attributes: {
        percent: FlagAttribute.ofNumber({ defaultValue: 10, minimum: 0, maximum: 100, required: true, description: 'Share of carts' }),
        theme: FlagAttribute.ofString({ defaultValue: 'light', allowedValues: ['light', 'dark'] }),
        banner: FlagAttribute.ofString({ defaultValue: 'WELCOME', pattern: '^[A-Z]+$' }),
        beta: FlagAttribute.ofBoolean({ defaultValue: false }),
        tiers: FlagAttribute.ofNumberArray({ defaultValue: [1, 2], minimum: 1, maximum: 3 }),
        regions: FlagAttribute.ofStringArray({ defaultValue: ['eu-west-1'], pattern: '^[a-z]{2}-[a-z]+-\\d$' }),
      },
    }),
  ];
}

/** The on-call role that approves runbooks. */
export function oncall(stack: Stack): iam.IRole {
  return iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall');
}

/** The freight workload; with `approvers`, its on-call role approves runbooks. */
export function workloadIn(stack: Stack, approvers = false, props: Partial<WorkloadProps> = {}): Workload {
  return freight(stack, { ...(approvers ? { approvers: Approvers.of({ roles: [oncall(stack)] }) } : {}), ...props }).workload;
}

export const HANDLER = { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') };

/**
 * The quotes OperableFunction of freight with FeatureFlags 'FeatureFlags' under it (sample flags unless given), added to
 * its function.
 */
export function withFunction(flags: Partial<FeatureFlagsProps> = {}, options: { approvers?: boolean; fn?: Partial<lambda.FunctionProps> } = {}) {
  const { app, stack } = testStack();
  const workload = workloadIn(stack, options.approvers);
  const fn = new OperableFunction(workload, 'Quotes', { functionProps: { ...HANDLER, ...options.fn } });
  const featureFlags = new FeatureFlags(fn, 'FeatureFlags', { flags: sampleFlags(), ...flags });
  featureFlags.addToFunction(fn.lambdaFunction);
  return { app, stack, workload, fn, flags: featureFlags };
}

/** A standalone FeatureFlags 'Flags' in the freight workload (which has a service, so its page composite can fire). */
export function standalone(props: Partial<FeatureFlagsProps> = {}, options: { approvers?: boolean; service?: boolean } = {}) {
  const { app, stack } = testStack();
  const workload = workloadIn(stack, options.approvers);
  const service = options.service === false ? undefined : new OperableFunction(workload, 'Quotes', { functionProps: HANDLER });
  const flags = new FeatureFlags(workload, 'Flags', { flags: sampleFlags(), ...props });
  return { app, stack, workload, service, flags };
}

/** Resources of a type, with their logical ids. */
export function resources(stack: Stack, type: string): Array<[string, Resource]> {
  return Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
}

/** The one resource of a type. */
export function only(stack: Stack, type: string): Resource {
  const found = resources(stack, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][1];
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The logical id of the flags' configuration profile. */
export function profileId(stack: Stack, flags: FeatureFlags): string {
  return stack.getLogicalId(flags.configuration.node.findChild('ConfigurationProfile') as CfnElement);
}

/** `arn:${Partition}:cloudwatch:us-east-1:123456789012:alarm:<name>`, as the monitors render it. */
export function alarmArn(name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:us-east-1:123456789012:alarm:${name}`]] };
}

export { documentedFormat, draft04 } from './json-schema';
