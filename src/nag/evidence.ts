import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Template-level evidence for the rules: each resource as CloudFormation will see it (property overrides, tags added
 * by aspects and escape hatches included), and an index of every resource in the app for the cross-resource rules.
 *
 * Rules stay pure functions of the construct tree: this module only memoizes what they read. The memo is keyed by
 * an evaluation generation that the pack advances before each run, so a tree changed between runs is re-read.
 */

/** A resource as rendered into its template. */
export interface RenderedResource {
  readonly node: CfnResource;
  readonly stack: Stack;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly tags: Record<string, string>;
  readonly metadata: Record<string, unknown>;
  readonly updatePolicy: Record<string, unknown>;
}

/** Every resource of an app, by type and by stack. */
export interface AppIndex {
  readonly resources: RenderedResource[];
  ofType(...types: string[]): RenderedResource[];
  /** The resource of `stack` with this logical id. */
  byLogicalId(stack: Stack, logicalId: string): RenderedResource | undefined;
  /** A value derived from the whole index (a lookup table for a cross-resource rule), computed once per evaluation. */
  memo<T>(key: string, compute: () => T): T;
}

let generation = 0;
const rendered = new WeakMap<CfnResource, { generation: number; value: RenderedResource }>();
const indexes = new WeakMap<IConstruct, { generation: number; value: AppIndex }>();

/** Start a new evaluation: what was memoized before is read again. */
export function newEvaluation(): void {
  generation++;
}

/** The resource as CloudFormation will see it. */
export function render(node: CfnResource): RenderedResource {
  const cached = rendered.get(node);
  if (cached && cached.generation === generation) {
    return cached.value;
  }
  const stack = Stack.of(node);
  const logicalId = stack.resolve(node.logicalId) as string;
  type Rendered = { Type?: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown>; UpdatePolicy?: Record<string, unknown> };
  const cfn = stack.resolve((node as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as { Resources?: Record<string, Rendered> };
  const resource = cfn.Resources?.[logicalId] ?? {};
  const properties = resource.Properties ?? {};
  const value: RenderedResource = {
    node,
    stack,
    logicalId,
    type: resource.Type ?? node.cfnResourceType,
    properties,
    tags: tagsOf(properties[tagProperty(node)], resource.Type === 'AWS::DynamoDB::GlobalTable' ? properties.Replicas : undefined),
    metadata: resource.Metadata ?? {},
    updatePolicy: resource.UpdatePolicy ?? {},
  };
  rendered.set(node, { generation, value });
  return value;
}

/**
 * The template property holding a resource's tags: `Tags` for most types, another one for a few (`FileSystemTags`,
 * `UserPoolTags`, `HostedZoneTags`, ...), as its tag manager knows.
 */
function tagProperty(node: CfnResource): string {
  const name = TagManager.of(node)?.tagPropertyName;
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Tags';
}

/**
 * A resource's tags from its tag property; a DynamoDB global table keeps them on its replicas (`Replicas[].Tags`), read
 * when the resource has none of its own.
 */
function tagsOf(tags: unknown, replicas?: unknown): Record<string, string> {
  if (tags === undefined && Array.isArray(replicas)) {
    return Object.assign({}, ...replicas.map((r) => tagsOf((r as { Tags?: unknown } | undefined)?.Tags)));
  }
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const t of tags) {
      if (t && typeof t === 'object' && typeof t.Key === 'string' && typeof t.Value === 'string') {
        out[t.Key] = t.Value;
      }
    }
  } else if (tags && typeof tags === 'object') {
    for (const [k, v] of Object.entries(tags)) {
      if (typeof v === 'string') {
        out[k] = v;
      }
    }
  }
  return out;
}

/** Every CfnResource of the app `node` belongs to, rendered. */
export function appIndex(node: IConstruct): AppIndex {
  const root = node.node.root;
  const cached = indexes.get(root);
  if (cached && cached.generation === generation) {
    return cached.value;
  }
  const resources = root.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c)).map(render);
  const byType = new Map<string, RenderedResource[]>();
  const byId = new Map<string, RenderedResource>();
  for (const r of resources) {
    byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    byId.set(`${r.stack.node.path}\u0000${r.logicalId}`, r);
  }
  const derived = new Map<string, unknown>();
  const value: AppIndex = {
    resources,
    ofType: (...types) => types.flatMap((t) => byType.get(t) ?? []),
    byLogicalId: (stack, logicalId) => byId.get(`${stack.node.path}\u0000${logicalId}`),
    memo: <T>(key: string, compute: () => T): T => {
      if (!derived.has(key)) derived.set(key, compute());
      return derived.get(key) as T;
    },
  };
  indexes.set(root, { generation, value });
  return value;
}

/** The logical ids a value references (`Ref`, `Fn::GetAtt`, `${Id}` / `${Id.Attr}` in `Fn::Sub`), deeply. */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedIds(v, into));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') {
        into.add(v);
      } else if (k === 'Fn::GetAtt') {
        const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof target === 'string') into.add(target);
      } else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) into.add(m[1]);
        }
        if (Array.isArray(v)) referencedIds(v[1], into);
      } else {
        referencedIds(v, into);
      }
    }
  }
  return into;
}

/** Whether a value references the resource with this logical id. */
export function refersTo(value: unknown, logicalId: string): boolean {
  return referencedIds(value).has(logicalId);
}

/** The literal strings inside a value, deeply (parts of `Fn::Join` included). */
export function literals(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    into.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => literals(v, into));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => literals(v, into));
  }
  return into;
}

/**
 * A template value as the text CloudFormation will produce, with what only the deployment knows left as `unknown`:
 * `Fn::Join` and `Fn::Sub` are rendered, any other intrinsic (`Ref`, `Fn::GetAtt`, `${AWS::Partition}` in a `Fn::Sub`)
 * becomes `unknown` (a `*`, so an ARN pattern read this way matches what the token may be).
 */
export function templateText(value: unknown, unknown = '*'): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => templateText(v, unknown)).join(',');
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: unknown })['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((v) => templateText(v, unknown)).join(join[0]);
    }
    const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') return text.replace(/\$\{[^}]+\}/g, unknown);
    return unknown;
  }
  return '';
}

/** A property read as a string when it is a literal; `undefined` when absent or a token. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Lambda functions that CDK itself adds to run custom resources (log retention, `AwsCustomResource`, provider
 * frameworks, bucket deployments, the EKS kubectl provider): they serve no requests of the workload, so the service-level rules skip them.
 */
export function isFrameworkFunction(resource: RenderedResource): boolean {
  if (resource.type !== 'AWS::Lambda::Function') {
    return false;
  }
  const segments = sourcePath(resource).split('/');
  return segments.some((s) => /[0-9a-f]{32}$/i.test(s) || /^(LogRetention|Custom[A-Za-z]*CustomResourceProvider|Provider)$/.test(s) ||
    /^framework-on(Event|Timeout|IsComplete)$/.test(s) || s === 'CustomResourceHandler' || s === 'KubectlProvider');
}

/**
 * Resources aws-cdk-lib writes as plain `CfnResource`s for its own plumbing, which no tag aspect can reach (the EKS
 * kubectl provider's ready barrier, an SSM parameter). At synth they are untaggable L1s, so ownership does not apply;
 * replayed from a template they look like ordinary taggable resources. Told by their construct path, the same either way.
 */
export function isUntaggableFrameworkResource(resource: RenderedResource): boolean {
  return sourcePath(resource).split('/').includes('KubectlReadyBarrier');
}

/** The construct path the resource was synthesized from (its `aws:cdk:path` metadata when replayed from a template). */
export function sourcePath(resource: RenderedResource): string {
  const path = resource.metadata['aws:cdk:path'];
  return typeof path === 'string' ? path : resource.node.node.path;
}
