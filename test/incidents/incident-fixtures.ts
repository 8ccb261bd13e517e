import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Runbook, RunbookApproval, RunbookParameter, ServiceTier, Step, Workload } from '../../src';
import { ContactChannel, EscalationPlan, IncidentManagerSetup, OnCallContact } from '../../src/incidents';

/** Shared helpers of the incident tests (not a test file itself). */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:quotes`;

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] };

/** An app with a platform stack holding the Incident Manager setup, and a freight stack (same account and region). */
export function incidentApp(options: { setup?: boolean; tier?: ServiceTier; workloadName?: string } = {}) {
  const app = new App();
  const env = { account: ACCOUNT, region: REGION };
  const platform = new Stack(app, 'Platform', { env });
  const setup = options.setup === false ? undefined : new IncidentManagerSetup(platform, 'IncidentManager');
  const stack = new Stack(app, 'Freight', { env });
  const workload = new Workload(stack, 'Freight', {
    workloadName: options.workloadName ?? 'freight',
    owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' },
    tier: options.tier ?? ServiceTier.STANDARD,
    runbookBaseUrl: 'https://runbooks.example.com/freight',
  });
  return { app, platform, setup, stack, workload };
}

/** A person `jane-doe` with an e-mail and an SMS channel. */
export function jane(scope: Construct, id = 'Jane'): OnCallContact {
  return new OnCallContact(scope, id, {
    alias: 'jane-doe',
    channels: [ContactChannel.email('jane@example.com'), ContactChannel.sms('+15555550100')],
  });
}

/** An escalation plan `pricing-escalation` engaging jane. */
export function escalation(scope: Construct): EscalationPlan {
  return new EscalationPlan(scope, 'Escalation', { alias: 'pricing-escalation', stages: [{ targets: [jane(scope)] }] });
}

/**
 * A read-only runbook `freight-inspect` (no approval needed) with a StringList `InvolvedResources`, a String
 * `IncidentRecordArn` and a required String `Mode`, unless `parameters` is given.
 */
export function inspectRunbook(scope: Construct, parameters?: RunbookParameter[], id = 'Inspect'): Runbook {
  return new Runbook(scope, id, {
    documentName: 'freight-inspect',
    description: { purpose: 'Read the quotes alias.', whenToUse: ['A page fires'] },
    approval: RunbookApproval.none('read-only'),
    parameters: parameters ?? [
      RunbookParameter.ofStringList('InvolvedResources', { description: 'Resources of the incident.', defaultValue: [] }),
      RunbookParameter.ofString('IncidentRecordArn', { description: 'The incident.', defaultValue: '' }),
      RunbookParameter.ofString('Mode', { description: 'How deep to look.' }),
    ],
    steps: [Step.executeAwsApi({
      name: 'Read',
      service: 'lambda',
      api: 'GetAlias',
      inputs: { FunctionName: 'quotes', Name: 'live' },
      resources: [FUNCTION_ARN],
    })],
  });
}

/** The synthesized template of a stack as JSON. */
export function json(stack: Stack): { Resources: Record<string, Resource> } {
  return Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
}

/** The resources of a type in a stack, as [logicalId, resource]. */
export function ofType(stack: Stack, type: string): [string, Resource][] {
  return Object.entries(json(stack).Resources).filter(([, r]) => r.Type === type);
}

/** The logical id of an L1 or of an L2's default child. */
export function idOf(construct: Construct): string {
  return Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}

/** An imported role (for runbooks with a given role). */
export const importedRole = (scope: Construct, arn = `arn:aws:iam::${ACCOUNT}:role/inspect`) => iam.Role.fromRoleArn(scope, 'Given', arn);
