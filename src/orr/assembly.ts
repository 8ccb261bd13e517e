import * as fs from 'fs';
import * as path from 'path';
import { fail } from '../core/errors';

/** A stack of a cloud assembly, as the readiness review reads it. */
export interface AssemblyStack {
  /** The artifact id (unique in the assembly, nested assemblies prefixed by their directory). */
  readonly artifactId: string;
  /** The absolute path of the template. */
  readonly templateFile: string;
  /** Construct path → metadata entries (`aws:cdk:logicalId`, `aws:cdk:acknowledged-rules`, ...). */
  readonly metadata: Record<string, Array<{ type: string; data?: unknown }>>;
}

/** What the review reads from `cdk.out`. */
export interface Assembly {
  readonly directory: string;
  readonly stacks: AssemblyStack[];
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(undefined, `${what} '${file}' is not valid JSON (${(e as Error).message}): synthesize again with \`cdk synth\`.`);
  }
}

interface ManifestArtifact {
  type?: string;
  properties?: { templateFile?: string; directoryName?: string };
  metadata?: Record<string, Array<{ type: string; data?: unknown }>>;
  additionalMetadataFile?: string;
}

/**
 * Read a cloud assembly directory (`cdk.out`): every CloudFormation stack, nested assemblies (stages) included, with
 * its template and construct metadata. Throws a clear error for a
 * missing or malformed assembly.
 */
export function readAssembly(directory: string): Assembly {
  const dir = path.resolve(directory);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    fail(undefined, `Cloud assembly '${directory}' does not exist or is not a directory: run \`cdk synth\` (or \`npx cdk synth -o ${directory}\`) first.`);
  }
  const stacks: AssemblyStack[] = [];
  collect(dir, '', stacks, directory);
  if (stacks.length === 0) {
    fail(undefined, `Cloud assembly '${directory}' has no CloudFormation stacks: nothing to review.`);
  }
  return { directory: dir, stacks };
}

function collect(dir: string, prefix: string, stacks: AssemblyStack[], given: string): void {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    fail(undefined, `'${given}' is not a cloud assembly: ${manifestFile} is missing. Point at the cdk.out directory \`cdk synth\` writes.`);
  }
  const manifest = readJson(manifestFile, 'Cloud assembly manifest') as { artifacts?: Record<string, ManifestArtifact> };
  if (!manifest || typeof manifest !== 'object' || typeof manifest.artifacts !== 'object') {
    fail(undefined, `Cloud assembly manifest '${manifestFile}' has no "artifacts": synthesize again with \`cdk synth\`.`);
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      collect(path.join(dir, artifact.properties.directoryName), `${prefix}${id}/`, stacks, given);
    } else if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (!templateFile || !fs.existsSync(path.join(dir, templateFile))) {
        fail(undefined, `Stack '${id}' of cloud assembly '${given}' names template '${templateFile}', which is missing: synthesize again.`);
      }
      const metadata = { ...(artifact.metadata ?? {}) };
      if (artifact.additionalMetadataFile) {
        const extra = path.join(dir, artifact.additionalMetadataFile);
        if (fs.existsSync(extra)) Object.assign(metadata, readJson(extra, 'Stack metadata file'));
      }
      stacks.push({ artifactId: `${prefix}${id}`, templateFile: path.join(dir, templateFile), metadata });
    }
  }
}

/** Logical id → construct path, from a stack's metadata. */
export function pathsByLogicalId(stack: AssemblyStack): Map<string, string> {
  const out = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(stack.metadata)) {
    for (const e of entries) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') out.set(e.data, constructPath.replace(/^\//, ''));
    }
  }
  return out;
}

/**
 * The acknowledgement reason of a rule finding on a resource, looked up on the resource and its ancestors as CDK does
 * (`Validations.of(c).acknowledge`), namespaced (`OpsExcellence::OPS-X`) or bare (`OPS-X`).
 */
export function acknowledgementOf(stack: AssemblyStack, constructPath: string, plugin: string, findingId: string): string | undefined {
  const segments = constructPath.split('/');
  for (let n = segments.length; n > 0; n--) {
    const entries = stack.metadata[`/${segments.slice(0, n).join('/')}`] ?? [];
    for (const e of entries) {
      if (e.type !== 'aws:cdk:acknowledged-rules' || !e.data || typeof e.data !== 'object') continue;
      for (const [id, reason] of Object.entries(e.data as Record<string, unknown>)) {
        const bare = id.replace(/^annotation::/i, '');
        if (bare === `${plugin}::${findingId}` || bare === findingId) return String(reason);
      }
    }
  }
  return undefined;
}
