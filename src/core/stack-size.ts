import { CfnResource, Stack } from 'aws-cdk-lib';
import { warn, Warnings } from './errors';

/** CloudFormation's limits on one stack (limits.ts re-exports them as CloudWatchLimits). */
export const MAX_RESOURCES_PER_STACK = 500;
export const MAX_TEMPLATE_BYTES = 1_000_000;
/** Warn once a stack passes this share of the resource limit. */
export const STACK_SIZE_WARNING_RATIO = 0.8;

/**
 * Warn (acknowledgeable, `cdk-operable:stack-size`) once a stack passes 80 % of CloudFormation's 500 resources;
 * aws-cdk-lib itself fails synth beyond 500. Template bytes are measured by aws-cdk-lib when it writes the template,
 * with its own acknowledgeable warning past 80 % of 1,000,000 bytes (`@aws-cdk/core:Stack.templateSize`): measuring
 * them here, while other aspects still add tags, would undercount. Called once per stack and synth, after the
 * aspects ran (from a validation), so it counts the final tree in one walk.
 */
export function checkStackSize(stack: Stack): void {
  const resources = stack.node.findAll().filter((c) => c instanceof CfnResource && Stack.of(c) === stack).length;
  const share = resources / MAX_RESOURCES_PER_STACK;
  if (share >= STACK_SIZE_WARNING_RATIO && share <= 1) {
    warn(stack, Warnings.STACK_SIZE,
      `Stack ${stack.stackName} has ${resources} resources, ${Math.round(share * 100)}% of CloudFormation's ${MAX_RESOURCES_PER_STACK}. ` +
      'Plan to move services into another stack before it stops deploying.');
  }
}
