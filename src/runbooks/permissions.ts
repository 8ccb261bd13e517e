import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { arnMatchesTemplate, changesState, factsOf, IamActionFacts, iamDataDate, permissionsOfCall } from '../core/iam-catalog';

/** IAM actions a step needs on some resources (internal). */
export interface StepPermission {
  readonly actions: string[];
  readonly resources: string[];
  /** Whether any of the actions changes state (IAM access level other than Read or List). */
  readonly changesState: boolean;
}

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/**
 * The permissions of an API call: its IAM action (and any the service implies), scoped to `resources` when IAM
 * scopes the action to resources, else `*` (and `*` for all of them with `allResources`, the explicit opt-in).
 */
export function permissionsOfApiCall(scope: IConstruct, where: string, service: string, api: string, resources?: string[],
  allResources = false): StepPermission[] {
  const { permissions, problem } = permissionsOfCall(service, api);
  if (!permissions) fail(scope, `${where} calls ${service}:${api}, but ${problem}.`);
  return scoped(scope, where, [permissions.primary, ...permissions.implied], resources, allResources);
}

/**
 * The permissions of IAM actions a step lists itself (a script's calls, or an API the IAM data does not know).
 */
export function permissionsOfIamActions(scope: IConstruct, where: string, actions: string[], resources?: string[],
  allResources = false): StepPermission[] {
  if (actions.length === 0) fail(scope, `${where} has an empty iamActions: list the actions it calls, or leave iamActions out.`);
  const known: IamActionFacts[] = [];
  const unknown: string[] = [];
  for (const action of actions) {
    if (!IAM_ACTION.test(action)) {
      fail(scope, `${where} lists IAM action '${action}': use 'service:Action' without wildcards, e.g. 'lambda:UpdateAlias'.`);
    }
    const facts = factsOf(action);
    if (facts) known.push(facts);
    else unknown.push(action);
  }
  const permissions = known.length > 0 ? scoped(scope, where, known, resources, allResources) : [];
  if (unknown.length > 0) {
    // Newer than the IAM data: scope to the given resources, and assume anything but reads changes state.
    permissions.push({
      actions: unknown,
      resources: resources && resources.length > 0 ? resources : ['*'],
      changesState: unknown.some((a) => !/:(Get|List|Describe|Batch[Gg]et)/.test(a)),
    });
  }
  return permissions;
}

function scoped(scope: IConstruct, where: string, facts: IamActionFacts[], resources: string[] | undefined, allResources: boolean): StepPermission[] {
  if (allResources) return [{ actions: facts.map((f) => f.action), resources: ['*'], changesState: facts.some(changesState) }];
  const given = resources ?? [];
  const mustScope = facts.find((f) => f.requiredResourceTypes.length > 0);
  if (mustScope && given.length === 0) {
    fail(scope, `${where} calls ${mustScope.action}, which IAM scopes to ${mustScope.requiredResourceTypes.join(' and ')} resources: ` +
      `pass the ARNs it acts on as resources (e.g. ${mustScope.resourceArnTemplates[0] ?? 'the resource ARN'}).`);
  }
  if (given.length === 0) return [{ actions: facts.map((f) => f.action), resources: ['*'], changesState: facts.some(changesState) }];
  // Resources given: scope every action IAM can scope; the rest can only be granted on *.
  const scopable = facts.filter((f) => f.resourceTypes.length > 0);
  const unscopable = facts.filter((f) => f.resourceTypes.length === 0);
  if (scopable.length === 0) {
    fail(scope, `${where} lists resources, but ${facts.map((f) => f.action).join(', ')} cannot be scoped to resources in IAM ` +
      '(they are granted on *): remove resources.');
  }
  const templates = scopable.flatMap((f) => f.resourceArnTemplates);
  for (const arn of given) {
    if (isUnresolved(arn) || arn === '*' || templates.length === 0) continue;
    if (!templates.some((t) => arnMatchesTemplate(arn, t))) {
      fail(scope, `${where} lists resource '${arn}', which is not an ARN ${scopable.map((f) => f.action).join('/')} acts on ` +
        `(IAM data of ${iamDataDate()}: ${[...new Set(templates)].join(', ')}).`);
    }
  }
  const result: StepPermission[] = [{ actions: scopable.map((f) => f.action), resources: given, changesState: scopable.some(changesState) }];
  if (unscopable.length > 0) result.push({ actions: unscopable.map((f) => f.action), resources: ['*'], changesState: unscopable.some(changesState) });
  return result;
}

/** Whether a value is a token, including an element of an encoded list token (`#{Token[...]}`). */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value) || (typeof value === 'string' && value.includes('#{Token['));
}
