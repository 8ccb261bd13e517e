import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Approvers, Runbook, RunbookProps, Step, Workload } from '../../src';

/** Shared helpers of the runbook tests (not a test file itself). */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const ONCALL_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/oncall`;
export const QUOTES_FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:quotes`;
export const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:quotes-dlq`;

/** The ORR tags of the freight workload (CloudFormation sorts tags by key). */
export const ORR_TAGS = [
  { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
  { Key: 'ops:owner', Value: 'pricing' },
  { Key: 'ops:tier', Value: 'standard' },
  { Key: 'ops:workload', Value: 'freight' },
];

/** A description for runbooks that change state. */
export const DESCRIPTION = { purpose: 'Point the live alias back.', whenToUse: ['Errors after a deployment'], rollback: 'Run it again.' };

/**
 * An eu-west-1 stack with the freight workload. Its approvers are the on-call role unless `approvers` is given
 * (`null`: no approvers).
 */
export function opsStack(approvers?: ((stack: Stack) => Approvers) | null): { stack: Stack; workload: Workload } {
  const stack = new Stack(new App(), 'Ops', { env: { account: ACCOUNT, region: REGION } });
  const workload = new Workload(stack, 'Freight', {
    workloadName: 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    ...(approvers === null ? {} : {
      approvers: approvers ? approvers(stack) : Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', ONCALL_ROLE_ARN)] }),
    }),
  });
  return { stack, workload };
}

/** A read-only step: lambda:GetAlias on the quotes function, output `Version`. */
export function readAlias(name = 'Read', options: Partial<Parameters<typeof Step.executeAwsApi>[0]> = {}): Step {
  return Step.executeAwsApi({
    name,
    service: 'lambda',
    api: 'GetAlias',
    inputs: { FunctionName: 'quotes', Name: 'live' },
    resources: [QUOTES_FUNCTION_ARN],
    outputs: [{ name: 'Version', selector: '$.FunctionVersion' }],
    ...options,
  });
}

/** A state-changing step: lambda:UpdateAlias on the quotes function. */
export function updateAlias(name = 'Point', options: Partial<Parameters<typeof Step.executeAwsApi>[0]> = {}): Step {
  return Step.executeAwsApi({
    name,
    service: 'lambda',
    api: 'UpdateAlias',
    inputs: { FunctionName: 'quotes', Name: 'live', FunctionVersion: '7' },
    resources: [QUOTES_FUNCTION_ARN],
    ...options,
  });
}

/** A runbook `Rollback` in a fresh freight stack (workload approvers: the on-call role). */
export function runbook(props: Partial<RunbookProps> & Pick<RunbookProps, 'steps'>, approvers?: ((stack: Stack) => Approvers) | null) {
  const { stack, workload } = opsStack(approvers);
  const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, ...props });
  return { stack, workload, runbook: rb };
}

/** The `Policies` of the runbook's generated role, as synthesized. */
export function rolePolicies(rb: Runbook): unknown {
  const stack = Stack.of(rb);
  const role = rb.node.findChild('Role').node.defaultChild as iam.CfnRole;
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Properties: { Policies: unknown } }> };
  return template.Resources[stack.resolve(role.logicalId) as string].Properties.Policies;
}

/** The logical id of the runbook's generated role. */
export function roleLogicalId(rb: Runbook): string {
  const role = rb.node.findChild('Role').node.defaultChild as iam.CfnRole;
  return Stack.of(rb).resolve(role.logicalId) as string;
}

/** The runbook's one inline policy statement list (`Policies[0].PolicyDocument.Statement`). */
export function statements(rb: Runbook): unknown[] {
  const policies = rolePolicies(rb) as Array<{ PolicyName: string; PolicyDocument: { Statement: unknown[] } }>;
  return policies[0].PolicyDocument.Statement;
}
