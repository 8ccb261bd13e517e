import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * A kind of name AWS needs unique, and where: alarm names (metric and composite alarms share one namespace), canary,
 * SSM document, contact and response-plan names are unique per account and region; dashboard names per account.
 */
export enum PhysicalNameKind {
  ALARM = 'alarm',
  DASHBOARD = 'dashboard',
  CANARY = 'canary',
  DOCUMENT = 'SSM document',
  CONTACT = 'SSM Contacts alias',
  RESPONSE_PLAN = 'response plan',
}

const GLOBAL_KINDS = [PhysicalNameKind.DASHBOARD];
const REGISTRY = Symbol.for('cdk-operable.PhysicalNames');

interface Claim {
  readonly path: string;
  readonly kind: PhysicalNameKind;
  readonly name: string;
}

/** The registry of one app (held by the root construct). */
function registryOf(scope: IConstruct): Map<string, Claim> {
  const root = scope.node.root as unknown as Record<symbol, Map<string, Claim> | undefined>;
  let registry = root[REGISTRY];
  if (!registry) {
    registry = new Map();
    Object.defineProperty(root, REGISTRY, { value: registry, enumerable: false });
  }
  return registry;
}

/** Where a name must be unique: the account (and region, except for dashboards) of the construct's stack. */
function placeOf(scope: IConstruct, kind: PhysicalNameKind): string {
  const stack = Stack.of(scope);
  const account = Token.isUnresolved(stack.account) ? '(any account)' : stack.account;
  if (GLOBAL_KINDS.includes(kind)) return `account ${account}`;
  const region = Token.isUnresolved(stack.region) ? '(any region)' : stack.region;
  return `account ${account}, region ${region}`;
}

function claim(scope: IConstruct, kind: PhysicalNameKind, name: string): void {
  const place = placeOf(scope, kind);
  const key = `${kind}\u0000${place}\u0000${name}`;
  const registry = registryOf(scope);
  const existing = registry.get(key);
  if (existing && existing.path !== scope.node.path) {
    fail(scope, `${kind} name '${name}' is already used by ${existing.path} (${place}): AWS needs it unique, so the deployment would fail. ` +
      'Give one of them another name (a different service, SLO, dashboard or document name).');
  }
  registry.set(key, { path: scope.node.path, kind, name });
}

/**
 * Claim a physical name for `scope` in the app-wide registry (internal). A literal name is checked at once: a name
 * already claimed in the same account (and region) throws, naming both construct paths. A name that is a token is
 * checked at synth, once it resolves to a literal.
 */
export function claimPhysicalName(scope: IConstruct, kind: PhysicalNameKind, name: string): void {
  if (!Token.isUnresolved(name)) {
    claim(scope, kind, name);
    return;
  }
  scope.node.addValidation({
    validate: () => {
      const resolved = Stack.of(scope).resolve(name);
      if (typeof resolved !== 'string') return [];
      try {
        claim(scope, kind, resolved);
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    },
  });
}
