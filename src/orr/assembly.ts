import * as fs from 'fs';
import * as path from 'path';
import { fail } from '../core/errors';

/** A stack of a cloud assembly, as the readiness review reads it. */
export interface AssemblyStack {
  /**
   * The artifact id: unique in the assembly, nested assemblies prefixed by their artifact id, and when several
   * assemblies are reviewed together, prefixed by the label of the assembly (see `readAssemblies`).
   */
  readonly artifactId: string;
  /** The absolute real path of the template (inside the assembly). */
  readonly templateFile: string;
  /** Construct path → metadata entries (`aws:cdk:logicalId`, `aws:cdk:acknowledged-rules`, ...). */
  readonly metadata: Record<string, Array<{ type: string; data?: unknown }>>;
}

/** What the review reads from `cdk.out` (one directory, or several squads' assemblies merged). */
export interface Assembly {
  /** The first assembly directory, resolved. */
  readonly directory: string;
  /** Every assembly directory read, resolved, in the order given. */
  readonly directories: string[];
  readonly stacks: AssemblyStack[];
}

type Json = Record<string, unknown>;
type Entries = Array<{ type: string; data?: unknown }>;

const SYNTH_AGAIN = 'synthesize again with `cdk synth`';
const TEMPLATE_SECTIONS = ['Resources', 'Parameters', 'Conditions', 'Mappings', 'Outputs', 'Rules', 'Metadata'];

/** Templates already read and validated by `readAssembly`, so the replay parses each one once. */
const templates = new WeakMap<AssemblyStack, Json>();

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a JSON value is, for messages: `null`, `an array`, `the string "x"`, `the number 3`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** Read and parse a JSON file; `subject` names it in messages (`Cloud assembly manifest '<file>'`). */
function readJson(file: string, subject: string, hint = ''): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(undefined, `${subject} cannot be read (${(e as Error).message}): ${SYNTH_AGAIN}.`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(undefined, `${subject} is not valid JSON (${(e as Error).message})${hint}: ${SYNTH_AGAIN}.`);
  }
}

/** One assembly being read: where it is, what it nests, what it found. */
interface Reading {
  /** The directory as given, for messages. */
  readonly given: string;
  /** The real path of the assembly directory: nothing outside it is read. */
  readonly root: string;
  /** Real directory of each nested assembly → the manifest (as shown) that named it: one named twice is an error. */
  readonly seen: Map<string, string>;
  readonly stacks: AssemblyStack[];
}

/** A directory of the assembly: its real path (read) and its path under the directory as given (shown). */
interface Place {
  readonly real: string;
  readonly shown: string;
  /** The real directories enclosing this one, outermost first (this one last): a nested assembly in it is a cycle. */
  readonly chain: string[];
}

function outside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

/**
 * Resolve `ref` (relative to the directory of the manifest naming it) inside the assembly: never outside its root,
 * neither by the path nor through a link; existing; a file or a directory as `kind` says. Returns its real path.
 * `named` starts the messages (`Stack 'X' in manifest 'M' names template 'T', which`).
 */
function resolveInside(r: Reading, place: Place, named: string, ref: string, kind: 'file' | 'directory'): string {
  const assembly = `the cloud assembly '${r.given}'${r.root === path.resolve(r.given) ? '' : ` (${r.root})`}`;
  const target = path.resolve(place.real, ref);
  if (outside(r.root, target)) {
    fail(undefined, `${named} is outside ${assembly}: the review reads only files inside the assembly. ${capitalized(SYNTH_AGAIN)} into this directory.`);
  }
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(undefined, `${named} ${code === 'ENOENT' ? 'is missing' : `cannot be resolved (${(e as Error).message})`}: ${SYNTH_AGAIN}.`);
  }
  if (outside(r.root, real)) {
    fail(undefined, `${named} is a link to '${real}', outside ${assembly}: the review reads only files inside the assembly. ` +
      `Replace the link by the ${kind} itself, or ${SYNTH_AGAIN}.`);
  }
  const stat = fs.statSync(real);
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) {
    fail(undefined, `${named} is not a ${kind}: ${SYNTH_AGAIN}.`);
  }
  return real;
}

function capitalized(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

/** The assembly directory as given, resolved, and its real path; a clear error when it is not a directory. */
function rootOf(directory: string): { resolved: string; real: string } {
  if (typeof directory !== 'string' || directory === '') {
    fail(undefined, `Cloud assembly directory ${describe(directory)} is not a path: name the directory \`cdk synth\` writes (e.g. cdk.out).`);
  }
  const resolved = path.resolve(directory);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) {
    fail(undefined, `Cloud assembly '${directory}' does not exist or is not a directory: run \`cdk synth\` (or \`npx cdk synth -o ${directory}\`) first.`);
  }
  return { resolved, real: fs.realpathSync(resolved) };
}

/**
 * Read a cloud assembly directory (`cdk.out`): every CloudFormation stack, nested assemblies (stages) included, with
 * its template and construct metadata. Every manifest, metadata file and template is validated (templates are parsed
 * once here and handed to `readStackTemplate`), and nothing outside the directory is read, through links neither:
 * a missing or malformed assembly throws an error naming the file, what is wrong and the fix.
 */
export function readAssembly(directory: string): Assembly {
  const { resolved, real } = rootOf(directory);
  const reading: Reading = { given: directory, root: real, seen: new Map(), stacks: [] };
  collect(reading, { real, shown: resolved, chain: [real] }, '');
  if (reading.stacks.length === 0) {
    fail(undefined, `Cloud assembly '${directory}' has no CloudFormation stacks: nothing to review.`);
  }
  for (const stack of reading.stacks) readStackTemplate(stack);
  return { directory: resolved, directories: [resolved], stacks: reading.stacks };
}

function collect(r: Reading, place: Place, prefix: string): void {
  const manifest = path.join(place.shown, 'manifest.json');
  if (!fs.existsSync(path.join(place.real, 'manifest.json'))) {
    fail(undefined, `'${r.given}' is not a cloud assembly: ${manifest} is missing. Point at the cdk.out directory \`cdk synth\` writes.`);
  }
  const manifestFile = resolveInside(r, place, `Cloud assembly manifest '${manifest}'`, 'manifest.json', 'file');
  const parsed = readJson(manifestFile, `Cloud assembly manifest '${manifest}'`);
  if (!isObject(parsed)) {
    fail(undefined, `Cloud assembly manifest '${manifest}' is ${describe(parsed)}, not a JSON object with "artifacts": ${SYNTH_AGAIN}.`);
  }
  if (parsed.artifacts === undefined) {
    fail(undefined, `Cloud assembly manifest '${manifest}' has no "artifacts": ${SYNTH_AGAIN}.`);
  }
  if (!isObject(parsed.artifacts)) {
    fail(undefined, `Cloud assembly manifest '${manifest}' has "artifacts" ${describe(parsed.artifacts)}, not an object of artifact id → artifact: ${SYNTH_AGAIN}.`);
  }
  for (const [id, artifact] of Object.entries(parsed.artifacts)) {
    if (!isObject(artifact)) {
      fail(undefined, `Artifact '${id}' in manifest '${manifest}' is ${describe(artifact)}, not an object: ${SYNTH_AGAIN}.`);
    }
    if (typeof artifact.type !== 'string') {
      fail(undefined, `Artifact '${id}' in manifest '${manifest}' has "type" ${describe(artifact.type)}, not a string: ${SYNTH_AGAIN}.`);
    }
    if (artifact.type === 'cdk:cloud-assembly') {
      nested(r, place, manifest, id, artifact, prefix);
    } else if (artifact.type === 'aws:cloudformation:stack') {
      r.stacks.push(stackOf(r, place, manifest, id, artifact, prefix));
    }
  }
}

function nested(r: Reading, place: Place, manifest: string, id: string, artifact: Json, prefix: string): void {
  const subject = `Nested assembly '${id}' in manifest '${manifest}'`;
  const properties = artifact.properties;
  if (!isObject(properties) || typeof properties.directoryName !== 'string' || properties.directoryName === '') {
    fail(undefined, `${subject} has ${isObject(properties) ? `"directoryName" ${describe(properties.directoryName)}` : `"properties" ${describe(properties)}`}, ` +
      `not the name of its directory: ${SYNTH_AGAIN}.`);
  }
  const ref = properties.directoryName;
  const real = resolveInside(r, place, `${subject} names directory '${ref}', which`, ref, 'directory');
  if (place.chain.includes(real)) {
    const name = (dir: string) => path.relative(r.root, dir) || '.';
    const cycle = [...place.chain.slice(place.chain.indexOf(real)), real].map(name).join(' → ');
    fail(undefined, `${subject} names directory '${ref}', which contains that manifest: the assembly nests itself (${cycle}, ` +
      `directories relative to '${r.given}'). A cloud assembly cannot contain itself: ${SYNTH_AGAIN}.`);
  }
  const first = r.seen.get(real);
  if (first !== undefined) {
    fail(undefined, `${subject} names directory '${ref}', already read as a nested assembly of manifest '${first}': ` +
      `each nested assembly is named once. ${capitalized(SYNTH_AGAIN)}.`);
  }
  r.seen.set(real, manifest);
  collect(r, { real, shown: path.join(place.shown, ref), chain: [...place.chain, real] }, `${prefix}${id}/`);
}

function stackOf(r: Reading, place: Place, manifest: string, id: string, artifact: Json, prefix: string): AssemblyStack {
  const subject = `Stack '${id}' in manifest '${manifest}'`;
  const properties = artifact.properties;
  if (!isObject(properties)) {
    fail(undefined, `${subject} has "properties" ${describe(properties)}, not an object with "templateFile": ${SYNTH_AGAIN}.`);
  }
  const templateFile = properties.templateFile;
  if (typeof templateFile !== 'string' || templateFile === '') {
    fail(undefined, `${subject} has "templateFile" ${describe(templateFile)}, not the name of its template file: ${SYNTH_AGAIN}.`);
  }
  const template = resolveInside(r, place, `${subject} names template '${templateFile}', which`, templateFile, 'file');
  const metadata: Record<string, Entries> = {};
  if (artifact.metadata !== undefined) {
    mergeMetadata(metadata, artifact.metadata, `Stack '${id}' in manifest '${manifest}'`, '"metadata"');
  }
  const extra = artifact.additionalMetadataFile;
  if (extra !== undefined) {
    if (typeof extra !== 'string' || extra === '') {
      fail(undefined, `${subject} has "additionalMetadataFile" ${describe(extra)}, not the name of its metadata file: ${SYNTH_AGAIN}.`);
    }
    const file = resolveInside(r, place, `${subject} names metadata file '${extra}', which`, extra, 'file');
    const named = `Metadata file '${path.join(place.shown, extra)}' of stack '${id}'`;
    mergeMetadata(metadata, readJson(file, named), named, 'its content');
  }
  return { artifactId: `${prefix}${id}`, templateFile: template, metadata };
}

/**
 * Validate construct metadata (construct path → entries) and add it to `into`. The entries the review reads must have
 * the shape CDK writes: `aws:cdk:logicalId` a string, `aws:cdk:acknowledged-rules` an object of rule id → reason.
 */
function mergeMetadata(into: Record<string, Entries>, value: unknown, where: string, what: string): void {
  const fix = `${SYNTH_AGAIN} (construct metadata is written by the CDK, not by hand)`;
  if (!isObject(value)) {
    fail(undefined, `${where}: ${what} is ${describe(value)}, not an object of construct path → metadata entries: ${fix}.`);
  }
  for (const [constructPath, entries] of Object.entries(value)) {
    const at = `${where}, construct '${constructPath}'`;
    if (!constructPath.startsWith('/')) {
      fail(undefined, `${at}: the metadata key is not a construct path (they start with '/'): ${fix}.`);
    }
    if (!Array.isArray(entries)) {
      fail(undefined, `${at}: the metadata is ${describe(entries)}, not an array of entries: ${fix}.`);
    }
    entries.forEach((entry: unknown, i) => {
      if (!isObject(entry) || typeof entry.type !== 'string') {
        fail(undefined, `${at}: metadata entry ${i} ${isObject(entry) ? `has "type" ${describe(entry.type)}, not a string` : `is ${describe(entry)}, not an object with a "type"`}: ${fix}.`);
      }
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data !== 'string') {
        fail(undefined, `${at}: metadata entry ${i} (aws:cdk:logicalId) has "data" ${describe(entry.data)}, not the logical id of a resource: ${fix}.`);
      }
      if (entry.type === 'aws:cdk:acknowledged-rules') {
        const reasons = entry.data;
        if (!isObject(reasons)) {
          fail(undefined, `${at}: metadata entry ${i} (aws:cdk:acknowledged-rules) has "data" ${describe(reasons)}, not an object of rule id → reason: ${fix}.`);
        }
        for (const [rule, reason] of Object.entries(reasons)) {
          if (typeof reason !== 'string') {
            fail(undefined, `${at}: metadata entry ${i} (aws:cdk:acknowledged-rules) gives rule '${rule}' the reason ${describe(reason)}, not a string: ${fix}.`);
          }
        }
      }
    });
    into[constructPath] = [...(into[constructPath] ?? []), ...(entries as Entries)];
  }
}

/**
 * The JSON template of a stack, read once and validated: a JSON object whose sections are objects, each resource an
 * object with a string `Type` (and object `Properties`, `Metadata` when present). A template without `Resources` is an
 * empty stack. Stacks from `readAssembly` were validated when read: their template is returned without reading it
 * again. Throws an error naming the template file, the stack, what is wrong and the fix.
 */
export function readStackTemplate(stack: AssemblyStack): Record<string, unknown> {
  const cached = templates.get(stack);
  if (cached !== undefined) return cached;
  const file = stack.templateFile;
  const what = `Template '${file}' of stack '${stack.artifactId}'`;
  const template = readJson(file, what, '; `cdk synth` writes JSON templates (a YAML template is not part of a cloud assembly)');
  if (!isObject(template)) {
    fail(undefined, `${what} is ${describe(template)}, not a JSON object with "Resources": ${SYNTH_AGAIN}.`);
  }
  for (const section of TEMPLATE_SECTIONS) {
    if (template[section] !== undefined && !isObject(template[section])) {
      fail(undefined, `${what} has "${section}" ${describe(template[section])}, not an object: ${SYNTH_AGAIN}.`);
    }
  }
  for (const [logicalId, resource] of Object.entries((template.Resources ?? {}) as Json)) {
    if (!isObject(resource)) {
      fail(undefined, `${what}: resource '${logicalId}' is ${describe(resource)}, not an object with a "Type": ${SYNTH_AGAIN}.`);
    }
    if (typeof resource.Type !== 'string' || resource.Type === '') {
      fail(undefined, `${what}: resource '${logicalId}' has "Type" ${describe(resource.Type)}, not a resource type such as "AWS::SQS::Queue": ${SYNTH_AGAIN}.`);
    }
    for (const attribute of ['Properties', 'Metadata']) {
      if (resource[attribute] !== undefined && !isObject(resource[attribute])) {
        fail(undefined, `${what}: resource '${logicalId}' (${resource.Type}) has "${attribute}" ${describe(resource[attribute])}, not an object: ${SYNTH_AGAIN}.`);
      }
    }
  }
  templates.set(stack, template);
  return template;
}

/** The label of an assembly among several: the directory as given, with forward slashes, without a trailing slash. */
function labelOf(directory: string): string {
  const label = path.normalize(directory).split(path.sep).join('/');
  return label.length > 1 ? label.replace(/\/+$/, '') : label;
}

/**
 * Read several cloud assemblies (one per squad repository) as one: each stack's artifact id is prefixed by the label
 * of its assembly (the directory as given, e.g. `squad-a/cdk.out/Api`). With one directory, exactly `readAssembly`.
 * Throws for an empty list, the same directory twice, or artifact ids that collide across assemblies.
 */
export function readAssemblies(directories: string[]): Assembly {
  if (!Array.isArray(directories) || directories.length === 0) {
    fail(undefined, 'No cloud assembly to review: name at least one directory `cdk synth` wrote (e.g. cdk.out).');
  }
  if (directories.length === 1) return readAssembly(directories[0]);
  const byReal = new Map<string, string>();
  const byLabel = new Map<string, string>();
  for (const directory of directories) {
    const { real } = rootOf(directory);
    const same = byReal.get(real);
    if (same !== undefined) {
      fail(undefined, `Cloud assemblies '${same}' and '${directory}' are the same directory (${real}): give each squad's assembly once.`);
    }
    byReal.set(real, directory);
    const label = labelOf(directory);
    const twin = byLabel.get(label);
    if (twin !== undefined) {
      fail(undefined, `Cloud assemblies '${twin}' and '${directory}' have the same label '${label}': give each assembly a distinct path.`);
    }
    byLabel.set(label, directory);
  }
  const stacks: AssemblyStack[] = [];
  const from = new Map<string, string>();
  const resolved: string[] = [];
  for (const directory of directories) {
    const assembly = readAssembly(directory);
    resolved.push(assembly.directory);
    for (const stack of assembly.stacks) {
      const merged: AssemblyStack = { ...stack, artifactId: `${labelOf(directory)}/${stack.artifactId}` };
      const other = from.get(merged.artifactId);
      if (other !== undefined) {
        fail(undefined, `Stack '${merged.artifactId}' is in both cloud assembly '${other}' and '${directory}': artifact ids must be unique ` +
          'across the assemblies reviewed together. Give the assemblies paths that do not nest one label in another (e.g. squad-a/cdk.out, squad-b/cdk.out).');
      }
      from.set(merged.artifactId, directory);
      const template = templates.get(stack);
      if (template !== undefined) templates.set(merged, template);
      stacks.push(merged);
    }
  }
  return { directory: resolved[0], directories: resolved, stacks };
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
