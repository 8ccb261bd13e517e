import { AppIndex, RenderedResource, literals, referencedIds } from './evidence';

/**
 * What the template says a role may do (internal): its statements, from inline policies and the `AWS::IAM::Policy`
 * resources attached to it, indexed once per evaluation. Read by the automated-response rule and the runbook evidence.
 */

/** One IAM policy statement as written in a template. */
export interface PolicyStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
}

/** What a role's policies grant, as far as the template shows. */
export interface RoleGrants {
  readonly statements: PolicyStatement[];
  /** The role has managed policies, whose statements the template does not show. */
  readonly managed: boolean;
}

function statementsOf(document: unknown): PolicyStatement[] {
  const st = (document as { Statement?: unknown } | undefined)?.Statement;
  return (Array.isArray(st) ? st : st ? [st] : []) as PolicyStatement[];
}

const key = (stackPath: string, logicalId: string) => `${stackPath}\u0000${logicalId}`;

/** The `AWS::IAM::Policy` documents attached to each role of the app, by stack and role logical id (built once). */
function attachedPolicies(index: AppIndex): Map<string, unknown[]> {
  return index.memo('iam-attached-policies', () => {
    const byRole = new Map<string, unknown[]>();
    for (const policy of index.ofType('AWS::IAM::Policy')) {
      for (const id of referencedIds(policy.properties.Roles)) {
        const k = key(policy.stack.node.path, id);
        byRole.set(k, [...(byRole.get(k) ?? []), policy.properties.PolicyDocument]);
      }
    }
    return byRole;
  });
}

/** What a role of the app may do: its inline policies and the policies attached to it. */
export function roleGrants(index: AppIndex, role: RenderedResource): RoleGrants {
  const inline = Array.isArray(role.properties.Policies)
    ? role.properties.Policies.map((p) => (p as { PolicyDocument?: unknown }).PolicyDocument) : [];
  const attached = attachedPolicies(index).get(key(role.stack.node.path, role.logicalId)) ?? [];
  const managed = Array.isArray(role.properties.ManagedPolicyArns) ? role.properties.ManagedPolicyArns.length > 0
    : role.properties.ManagedPolicyArns !== undefined;
  return { statements: [...inline, ...attached].flatMap(statementsOf), managed };
}

/**
 * The role of the same stack a value names (`Fn::GetAtt Role.Arn`, `Ref`, `${Role.Arn}` in a `Fn::Sub`); undefined
 * for an imported role (a literal ARN) or none.
 */
export function roleNamedBy(index: AppIndex, from: RenderedResource, value: unknown): RenderedResource | undefined {
  const ids = new Set([...referencedIds(value), ...literals(value).flatMap((t) => [...t.matchAll(/\$\{([A-Za-z0-9]+)\.Arn\}/g)].map((m) => m[1]))]);
  return [...ids].map((id) => index.byLogicalId(from.stack, id)).find((r) => r?.type === 'AWS::IAM::Role');
}

/** Whether an IAM action pattern (`ssm:Start*`, `*`) covers an action, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/**
 * Whether the statements allow `action` on a resource `resourceMatches` accepts (it is given each `Resource` entry of
 * an Allow statement naming the action). A Deny is not weighed: the question is whether the grant was written at all.
 */
export function allows(statements: PolicyStatement[], action: string, resourceMatches: (resource: unknown) => boolean): boolean {
  return statements.some((st) => {
    if (st.Effect === 'Deny') return false;
    const named = st.NotAction !== undefined
      ? !literals(st.NotAction).some((a) => actionMatches(a, action))
      : literals(st.Action).some((a) => actionMatches(a, action));
    if (!named) return false;
    if (st.NotResource !== undefined) return true;
    const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
    return resources.some((r) => r !== undefined && resourceMatches(r));
  });
}
