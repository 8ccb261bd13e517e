import { App, Stack, TagManager } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { Assembly, AssemblyStack, acknowledgementOf, pathsByLogicalId, readStackTemplate } from './assembly';
import { includeTemplate, REPLAY_CONTEXT } from './template-include';
import { fail } from '../core/errors';
import { OpsTags } from '../core/ops-tags';
import { AppIndex, RenderedResource, appIndex } from '../nag/evidence';
import { OperationalExcellenceChecks } from '../nag/pack';
import { OpsRule, PLUGIN_NAME } from '../nag/rule';

/** A resource of the assembly, with where it came from. */
export interface ReplayedResource {
  readonly resource: RenderedResource;
  readonly stack: string;
  /** The construct path in the original app (the logical id when the metadata does not say). */
  readonly path: string;
  /** Its workload: its `ops:workload` tag, or for a resource that cannot carry tags, its nearest tagged construct's. */
  workload?: string;
  /** Its service, found the same way. */
  service?: string;
}

/**
 * Resources that cannot carry tags (permissions, API methods, policies, versions) belong to the scope of the tagged
 * resource nearest to them in the construct tree, when they share more than the stack: a method under
 * `Stack/Freight/QuoteApi/Api/...` belongs to the service its sibling `Stack/Freight/QuoteApi/Api/Resource` is tagged with.
 */
function inheritScope(resources: ReplayedResource[]): void {
  // A resource tagged with a service but no workload is still that service's (its workload is reported as unassigned).
  const isTagged = (r: ReplayedResource) => r.resource.tags[OpsTags.WORKLOAD] !== undefined || r.resource.tags[OpsTags.SERVICE] !== undefined;
  const tagged = resources.filter(isTagged).map((r) => ({ r, segments: r.path.split('/') }));
  for (const { r } of tagged) {
    r.workload = r.resource.tags[OpsTags.WORKLOAD];
    r.service = r.resource.tags[OpsTags.SERVICE];
  }
  // Where each service's resources start to differ. Compare the constructs that hold them (paths without their last
  // segment): a service with one tagged resource (`.../Inbox/Queue/Resource`) still owns what sits beside it
  // (`.../Inbox/Queue/Policy/Resource`).
  const roots = new Map<string, { first: string[]; depth: number }>();
  for (const { r, segments } of tagged) {
    if (r.service === undefined) continue;
    const key = `${r.workload ?? ''}\u0000${r.service}`;
    const holder = segments.slice(0, -1);
    const root = roots.get(key);
    if (!root) {
      roots.set(key, { first: holder, depth: holder.length });
      continue;
    }
    let d = 0;
    while (d < root.depth && d < holder.length && holder[d] === root.first[d]) d++;
    root.depth = d;
  }
  for (const r of resources) {
    if (isTagged(r) || TagManager.isTaggable(r.resource.node) || r.resource.type === 'AWS::CDK::Metadata') continue;
    const segments = r.path.split('/');
    let best: ReplayedResource | undefined;
    let bestDepth = 1;
    for (const t of tagged) {
      let depth = 0;
      while (depth < segments.length && depth < t.segments.length && segments[depth] === t.segments[depth]) depth++;
      if (depth > bestDepth) {
        best = t.r;
        bestDepth = depth;
      }
    }
    if (best) {
      r.workload = best.workload;
      // The service only when the shared part goes below where the service's resources start to differ.
      const root = best.service === undefined ? undefined : roots.get(`${best.workload ?? ''}\u0000${best.service}`);
      r.service = root !== undefined && bestDepth >= root.depth ? best.service : undefined;
    }
  }
}

/** One rule result on one resource. */
export interface ReplayedCheck {
  readonly rule: OpsRule;
  /** The level of its findings on this resource (the rule's, or less where the rule says so). */
  readonly level: NagMessageLevel;
  readonly target: ReplayedResource;
  readonly passed: boolean;
  /** The finding ids (empty when passed). */
  readonly findingIds: string[];
  /** findingId → acknowledgement reason. */
  readonly acknowledged: Map<string, string>;
}

/** The assembly replayed through the rule pack. */
export interface Replay {
  readonly index: AppIndex;
  readonly resources: ReplayedResource[];
  readonly checks: ReplayedCheck[];
  readonly of: (resource: RenderedResource) => ReplayedResource;
}

/**
 * The template with each resource's construct path as its `aws:cdk:path` metadata, read from the assembly's manifest
 * when the template does not carry it (apps synthesized without path metadata): rules that tell CDK's own resources
 * (custom-resource providers, the EKS kubectl provider) by their path then judge them as they did at synth.
 */
function withConstructPaths(template: Record<string, unknown>, paths: Map<string, string>): Record<string, unknown> {
  const resources = template.Resources as Record<string, { Metadata?: Record<string, unknown> }> | undefined;
  if (!resources) return template;
  const out: Record<string, unknown> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const path = paths.get(logicalId);
    out[logicalId] = path === undefined || resource.Metadata?.['aws:cdk:path'] !== undefined ? resource
      : { ...resource, Metadata: { ...resource.Metadata, 'aws:cdk:path': path } };
  }
  return { ...template, Resources: out };
}

/**
 * Load every template of the assembly into a fresh app (`CfnInclude`, logical ids preserved) and run the rule pack on
 * it, recording every result, passed ones included: the same rules as at synth, so the review works on any app,
 * whether or not it registered the pack. Acknowledgements come from the assembly's construct metadata.
 */
export function replay(assembly: Assembly): Replay {
  const app = new App({ context: REPLAY_CONTEXT });
  const stackOf = new Map<Stack, { source: AssemblyStack; paths: Map<string, string> }>();
  const ids = new Set<string>();
  for (const source of assembly.stacks) {
    // Artifact ids of several assemblies (`squad-a/cdk.out/Api`) become construct ids; keep them distinct.
    const base = `S-${source.artifactId.replace(/[^A-Za-z0-9-]/g, '-')}`.replace(/-+/g, '-');
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    const stack = new Stack(app, id);
    const paths = pathsByLogicalId(source);
    try {
      includeTemplate(stack, 'Template', source.templateFile, withConstructPaths(readStackTemplate(source), paths));
    } catch (e) {
      fail(undefined, `Stack '${source.artifactId}' (${source.templateFile}) could not be read as a CloudFormation template: ${(e as Error).message}`);
    }
    stackOf.set(stack, { source, paths });
  }
  const pack = new OperationalExcellenceChecks();
  pack.validateScope(app);
  const index = appIndex(app);
  const byResource = new Map<RenderedResource, ReplayedResource>();
  for (const resource of index.resources) {
    const origin = stackOf.get(resource.stack)!;
    byResource.set(resource, {
      resource,
      stack: origin.source.artifactId,
      path: origin.paths.get(resource.logicalId) ?? `${origin.source.artifactId}/${resource.logicalId}`,
    });
  }
  inheritScope([...byResource.values()]);
  const of = (resource: RenderedResource) => byResource.get(resource)!;
  const byNode = new Map(index.resources.map((r) => [r.node, r]));
  const checks = pack._evaluations().map((evaluation): ReplayedCheck => {
    const target = of(byNode.get(evaluation.node)!);
    const result = evaluation.result;
    const findingIds = result === 'Compliant' ? [] : Array.isArray(result) ? result.map((f) => `${evaluation.rule.id}[${f}]`) : [evaluation.rule.id];
    const acknowledged = new Map<string, string>();
    for (const id of findingIds) {
      const reason = acknowledgementOf(stackOf.get(target.resource.stack)!.source, target.path, PLUGIN_NAME, id);
      if (reason !== undefined) acknowledged.set(id, reason);
    }
    return { rule: evaluation.rule, level: evaluation.level, target, passed: findingIds.length === 0, findingIds, acknowledged };
  });
  return { index, resources: [...byResource.values()], checks, of };
}
