import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BAD_ASSEMBLIES, HandAssembly, QUEUE_TEMPLATE, freshDir, spoiled } from './fixtures/bad-assemblies';
import { plainApp, plainFunction, synthesize, tagScope, tempDir, writeJson } from './support';
import { AssemblyStack, acknowledgementOf, pathsByLogicalId, readAssemblies, readAssembly, readStackTemplate } from '../../src/orr/assembly';
import { replay } from '../../src/orr/replay';

/** The message of the error `run` throws (an OperableError); fails the test when it throws none. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect((e as Error).name).toBe('OperableError');
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** Run `fn` with `dir` as the working directory. */
function inDirectory<T>(dir: string, fn: () => T): T {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(cwd);
  }
}

/** Stack `Orders` with a queue, tagged for `squad`: the same artifact id in every squad's assembly. */
function squadAssembly(squad: string): string {
  return synthesize((app) => {
    const stack = new Stack(app, 'Orders');
    tagScope(new sqs.Queue(stack, 'Queue'), { workload: squad, service: 'orders', owner: `${squad}-team`, tier: 'standard' });
  });
}

/** An app with a top-level stack and a stage `Prod` holding stack `Mail`. */
let staged: { dir: string; nested: string };

beforeAll(() => {
  let nested = '';
  const dir = synthesize((app) => {
    new Stack(app, 'Top');
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Mail');
    const inbox = new Construct(stack, 'Inbox');
    const queue = new sqs.Queue(inbox, 'Queue');
    queue.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'], principals: [new iam.ServicePrincipal('sns.amazonaws.com')], resources: [queue.queueArn],
    }));
    tagScope(inbox, { workload: 'mail', service: 'inbox', owner: 'mail-team', oncall: 'mail@example.com', tier: 'standard' });
    nested = stack.artifactId;
  });
  staged = { dir, nested };
});

describe('readAssembly errors', () => {
  test('a directory that does not exist', () => {
    const dir = path.join(tempDir(), 'cdk.out');
    expect(errorOf(() => readAssembly(dir))).toBe(
      `Cloud assembly '${dir}' does not exist or is not a directory: run \`cdk synth\` (or \`npx cdk synth -o ${dir}\`) first.`);
  });

  test('a file instead of a directory', () => {
    const file = writeJson(path.join(tempDir(), 'manifest.json'), {});
    expect(() => readAssembly(file)).toThrow(`Cloud assembly '${file}' does not exist or is not a directory`);
  });

  test('a directory without manifest.json', () => {
    const dir = tempDir();
    expect(errorOf(() => readAssembly(dir))).toBe(
      `'${dir}' is not a cloud assembly: ${path.join(dir, 'manifest.json')} is missing. Point at the cdk.out directory \`cdk synth\` writes.`);
  });

  test('a manifest that is not JSON', () => {
    const dir = tempDir();
    const manifest = writeJson(path.join(dir, 'manifest.json'), '{ "version": "55.0.0", "artifacts": ');
    expect(() => readAssembly(dir)).toThrow(`Cloud assembly manifest '${manifest}' is not valid JSON (`);
    expect(() => readAssembly(dir)).toThrow('): synthesize again with `cdk synth`.');
  });

  test('a manifest without artifacts', () => {
    const dir = tempDir();
    const manifest = writeJson(path.join(dir, 'manifest.json'), { version: '55.0.0' });
    expect(errorOf(() => readAssembly(dir))).toBe(`Cloud assembly manifest '${manifest}' has no "artifacts": synthesize again with \`cdk synth\`.`);
  });

  test('an assembly without stacks', () => {
    const a = new HandAssembly();
    delete a.manifest.artifacts.Queues;
    expect(errorOf(() => readAssembly(a.write()))).toBe(`Cloud assembly '${a.dir}' has no CloudFormation stacks: nothing to review.`);
  });

  test('a synthesized assembly whose template was deleted', () => {
    const { dir } = plainApp();
    fs.rmSync(path.join(dir, 'Plain.template.json'));
    expect(errorOf(() => readAssembly(dir))).toBe(`Stack 'Plain' in manifest '${path.join(dir, 'manifest.json')}' names template ` +
      "'Plain.template.json', which is missing: synthesize again with `cdk synth`.");
  });

  test('a nested assembly without its manifest names the assembly given', () => {
    const a = new HandAssembly();
    a.manifest.artifacts['assembly-Prod'] = { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } };
    fs.mkdirSync(a.file('assembly-Prod'));
    expect(errorOf(() => readAssembly(a.write()))).toBe(`'${a.dir}' is not a cloud assembly: ${a.file('assembly-Prod', 'manifest.json')} is missing. ` +
      'Point at the cdk.out directory `cdk synth` writes.');
  });

  test('an empty or non-string directory', () => {
    expect(errorOf(() => readAssembly(''))).toBe('Cloud assembly directory the string "" is not a path: name the directory `cdk synth` writes (e.g. cdk.out).');
  });
});

describe('bad assemblies: the file, what is wrong, the fix; nothing outside the assembly is read', () => {
  test.each(BAD_ASSEMBLIES.map((bad) => [bad.name, bad]))('%s', (_name, bad) => {
    const a = spoiled(bad);
    expect(errorOf(() => readAssembly(a.dir))).toBe(bad.message(a));
  });

  test('the fixtures are otherwise valid: the unspoiled assembly reads', () => {
    const a = new HandAssembly();
    expect(readAssembly(a.write()).stacks.map((s) => s.artifactId)).toEqual(['Queues']);
  });

  test('a path through a subdirectory: inside it is read, climbing out of the assembly is refused', () => {
    const a = new HandAssembly();
    a.properties.templateFile = 'sub/../Queues.template.json';
    a.write();
    fs.mkdirSync(a.file('sub'));
    expect(readAssembly(a.dir).stacks[0].templateFile).toBe(a.file('Queues.template.json'));
    a.properties.templateFile = 'sub/../../Queues.template.json';
    a.write();
    expect(errorOf(() => readAssembly(a.dir))).toContain("names template 'sub/../../Queues.template.json', which is outside the cloud assembly");
  });
});

describe('readAssembly', () => {
  test('the hand-written assembly: real template path, inline metadata and the metadata file merged, the template validated', () => {
    const a = new HandAssembly();
    a.metadataFile = {
      '/Queues/Queue': [{ type: 'aws:cdk:acknowledged-rules', data: { 'OpsExcellence::OPS-QueueDlq': 'replayed from the source' } }],
      '/Queues/Queue/Resource': [{ type: 'aws:cdk:warning', data: 'a warning' }],
    };
    const assembly = readAssembly(path.relative(process.cwd(), a.write()));
    expect(assembly.directory).toBe(a.dir);
    expect(assembly.directories).toEqual([a.dir]);
    expect(assembly.stacks).toEqual([{
      artifactId: 'Queues',
      templateFile: a.file('Queues.template.json'),
      metadata: {
        '/Queues/Queue/Resource': [{ type: 'aws:cdk:logicalId', data: 'Queue4A7E3555' }, { type: 'aws:cdk:warning', data: 'a warning' }],
        '/Queues/Queue': [{ type: 'aws:cdk:acknowledged-rules', data: { 'OpsExcellence::OPS-QueueDlq': 'replayed from the source' } }],
      },
    }]);
    const [stack] = assembly.stacks;
    expect(pathsByLogicalId(stack)).toEqual(new Map([['Queue4A7E3555', 'Queues/Queue/Resource']]));
    expect(acknowledgementOf(stack, 'Queues/Queue/Resource', 'OpsExcellence', 'OPS-QueueDlq')).toBe('replayed from the source');
    expect(readStackTemplate(stack)).toEqual(QUEUE_TEMPLATE);
  });

  test('templates are read once: readStackTemplate returns what readAssembly parsed', () => {
    const a = new HandAssembly();
    const [stack] = readAssembly(a.write()).stacks;
    fs.rmSync(a.file('Queues.template.json'));
    expect(readStackTemplate(stack)).toEqual(QUEUE_TEMPLATE);
    expect(readStackTemplate(stack)).toBe(readStackTemplate(stack));
  });

  test('a stack not read by readAssembly: its template is read and validated', () => {
    const dir = freshDir();
    const stack: AssemblyStack = { artifactId: 'Loose', templateFile: writeJson(path.join(dir, 'loose.json'), { Resources: { Q: { Properties: {} } } }), metadata: {} };
    expect(errorOf(() => readStackTemplate(stack))).toBe(`Template '${stack.templateFile}' of stack 'Loose': resource 'Q' has "Type" missing, ` +
      'not a resource type such as "AWS::SQS::Queue": synthesize again with `cdk synth`.');
    const missing: AssemblyStack = { ...stack, templateFile: path.join(dir, 'none.json') };
    expect(errorOf(() => readStackTemplate(missing))).toMatch(new RegExp(`^Template '${missing.templateFile}' of stack 'Loose' cannot be read \\(ENOENT`));
  });

  test('a template without Resources is an empty stack; custom and unknown types are resources like any other', () => {
    const a = new HandAssembly();
    a.template = { Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' } } };
    expect(readStackTemplate(readAssembly(a.write()).stacks[0])).toEqual(a.template);
    a.template = {};
    expect(readStackTemplate(readAssembly(a.write()).stacks[0])).toEqual({});
    a.template = { Resources: { Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn' } }, Other: { Type: 'Vendor::Some::Thing' } } };
    expect(readStackTemplate(readAssembly(a.write()).stacks[0])).toEqual(a.template);
  });

  test('links inside the assembly are followed; an assembly given through a link is read where it really is', () => {
    const a = new HandAssembly();
    a.properties.templateFile = 'current.template.json';
    a.write();
    fs.symlinkSync('Queues.template.json', a.file('current.template.json'));
    const link = path.join(freshDir(), 'cdk.out');
    fs.symlinkSync(a.dir, link);
    const assembly = readAssembly(link);
    expect(assembly.directory).toBe(link);
    expect(assembly.stacks[0].templateFile).toBe(a.file('Queues.template.json'));
  });

  test('artifacts of other types are not read', () => {
    const a = new HandAssembly();
    a.manifest.artifacts['Queues.assets'] = { type: 'cdk:asset-manifest', properties: { file: '/etc/hostname' } };
    expect(readAssembly(a.write()).stacks.map((s) => s.artifactId)).toEqual(['Queues']);
  });

  test('a synthesized app: the stack metadata file is read', () => {
    const app = plainApp();
    const [stack] = readAssembly(app.dir).stacks;
    expect(stack.artifactId).toBe('Plain');
    expect(stack.templateFile).toBe(path.join(fs.realpathSync(app.dir), 'Plain.template.json'));
    expect(stack.metadata['/Plain/Billing/Handler/Resource']).toContainEqual({ type: 'aws:cdk:logicalId', data: app.functionLogicalId });
    expect(pathsByLogicalId(stack)).toEqual(new Map([
      [app.roleLogicalId, 'Plain/Billing/Handler/ServiceRole/Resource'],
      [app.functionLogicalId, 'Plain/Billing/Handler/Resource'],
      ['BootstrapVersion', 'Plain/BootstrapVersion'],
      ['CheckBootstrapVersion', 'Plain/CheckBootstrapVersion'],
    ]));
  });

  test('a stage inside the app: its stacks are read from the nested assembly, ids prefixed by the stage assembly', () => {
    const { dir, nested } = staged;
    expect(nested).toMatch(/^ProdMail[0-9A-F]{8}$/);
    const assembly = readAssembly(dir);
    expect(assembly.stacks.map((s) => s.artifactId).sort()).toEqual(['Top', `assembly-Prod/${nested}`]);
    const stack = assembly.stacks.find((s) => s.artifactId === `assembly-Prod/${nested}`)!;
    expect(stack.templateFile).toBe(path.join(fs.realpathSync(dir), 'assembly-Prod', `${nested}.template.json`));
    const paths = [...pathsByLogicalId(stack).values()];
    expect(paths).toEqual(expect.arrayContaining(['Prod/Mail/Inbox/Queue/Resource', 'Prod/Mail/Inbox/Queue/Policy/Resource']));

    // Replayed: the nested stack's resources keep their original construct paths and their scope.
    const replayed = replay(assembly).resources.filter((r) => r.resource.type.startsWith('AWS::SQS::'));
    expect(replayed.map((r) => [r.stack, r.path, r.workload, r.service])).toEqual([
      [`assembly-Prod/${nested}`, 'Prod/Mail/Inbox/Queue/Resource', 'mail', 'inbox'],
      [`assembly-Prod/${nested}`, 'Prod/Mail/Inbox/Queue/Policy/Resource', 'mail', 'inbox'],
    ]);
  });
});

describe('readAssemblies: one review of several squads', () => {
  let squads: { parent: string; a: string; b: string };

  beforeAll(() => {
    const parent = freshDir('orr-squads-');
    const a = path.join(parent, 'squad-a', 'cdk.out');
    const b = path.join(parent, 'squad-b', 'cdk.out');
    for (const [squad, target] of [['squad-a', a], ['squad-b', b]]) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(squadAssembly(squad), target);
    }
    squads = { parent, a, b };
  });

  test('two synthesized assemblies: ids prefixed by the directory as given, templates read once', () => {
    const { parent, a, b } = squads;
    const merged = readAssemblies([`${parent}/squad-a/./cdk.out/`, b]);
    expect(merged.directory).toBe(a);
    expect(merged.directories).toEqual([a, b]);
    expect(merged.stacks.map((s) => s.artifactId)).toEqual([`${parent}/squad-a/cdk.out/Orders`, `${parent}/squad-b/cdk.out/Orders`]);
    expect(merged.stacks.map((s) => s.templateFile)).toEqual([path.join(a, 'Orders.template.json'), path.join(b, 'Orders.template.json')]);
    expect(merged.stacks.map((s) => Object.values(readStackTemplate(s).Resources as object).map((r: { Type: string }) => r.Type)))
      .toEqual([['AWS::SQS::Queue'], ['AWS::SQS::Queue']]);
  });

  test('relative directories label the stacks as given; the merged assembly replays with each squad\'s scope', () => {
    const merged = inDirectory(squads.parent, () => readAssemblies(['squad-a/cdk.out', './squad-b/cdk.out']));
    expect(merged.stacks.map((s) => s.artifactId)).toEqual(['squad-a/cdk.out/Orders', 'squad-b/cdk.out/Orders']);
    const queues = replay(merged).resources.filter((r) => r.resource.type === 'AWS::SQS::Queue');
    expect(queues.map((r) => [r.stack, r.path, r.workload])).toEqual([
      ['squad-a/cdk.out/Orders', 'Orders/Queue/Resource', 'squad-a'],
      ['squad-b/cdk.out/Orders', 'Orders/Queue/Resource', 'squad-b'],
    ]);
  });

  test('one directory: exactly readAssembly', () => {
    expect(readAssemblies([squads.a])).toEqual(readAssembly(squads.a));
  });

  test('no directory, the same directory twice (as given, or through a link), a bad assembly among them', () => {
    expect(errorOf(() => readAssemblies([]))).toBe('No cloud assembly to review: name at least one directory `cdk synth` wrote (e.g. cdk.out).');
    const { a, b } = squads;
    expect(errorOf(() => readAssemblies([a, b, `${a}/`]))).toBe(
      `Cloud assemblies '${a}' and '${a}/' are the same directory (${a}): give each squad's assembly once.`);
    const link = path.join(freshDir(), 'cdk.out');
    fs.symlinkSync(a, link);
    expect(errorOf(() => readAssemblies([link, a]))).toBe(`Cloud assemblies '${link}' and '${a}' are the same directory (${a}): give each squad's assembly once.`);
    const missing = path.join(freshDir(), 'cdk.out');
    expect(errorOf(() => readAssemblies([a, missing]))).toContain(`Cloud assembly '${missing}' does not exist or is not a directory`);
    const bad = spoiled(BAD_ASSEMBLIES[0]);
    expect(errorOf(() => readAssemblies([a, bad.dir]))).toBe(BAD_ASSEMBLIES[0].message(bad));
  });

  test('artifact ids that collide across assemblies: an assembly and one nested in it', () => {
    const { dir, nested } = staged;
    const inner = path.join(dir, 'assembly-Prod');
    expect(errorOf(() => readAssemblies([dir, inner]))).toBe(`Stack '${inner}/${nested}' is in both cloud assembly '${dir}' and '${inner}': ` +
      'artifact ids must be unique across the assemblies reviewed together. Give the assemblies paths that do not nest one label in another ' +
      '(e.g. squad-a/cdk.out, squad-b/cdk.out).');
  });
});

describe('acknowledgementOf', () => {
  const stack: AssemblyStack = {
    artifactId: 'S',
    templateFile: '/dev/null',
    metadata: {
      '/S/Svc': [{ type: 'aws:cdk:acknowledged-rules', data: { 'OpsExcellence::OPS-Tracing': 'X-Ray not allowed in this account' } }],
      '/S/Svc/Fn/Resource': [
        { type: 'aws:cdk:logicalId', data: 'Fn1' },
        { type: 'aws:cdk:acknowledged-rules', data: { 'Annotation::OPS-LogRetention': 'kept by the central log archive' } },
        { type: 'aws:cdk:acknowledged-rules', data: { 'OpsExcellence::OPS-OwnershipTags[ops:tier]': 'tiered by the account' } },
        { type: 'aws:cdk:acknowledged-rules', data: { 'OtherPack::OPS-StructuredLogs': 'another plugin' } },
      ],
      '/S/Svc/Fn': [{ type: 'aws:cdk:acknowledged-rules', data: { 'annotation::OPS-SafeDeployment[NoAlias]': 'deployed by the pipeline' } }],
      '/S/Other/Resource': [{ type: 'aws:cdk:acknowledged-rules' }],
    },
  };
  const ack = (constructPath: string, findingId: string) => acknowledgementOf(stack, constructPath, 'OpsExcellence', findingId);

  test('namespaced, on an ancestor', () => {
    expect(ack('S/Svc/Fn/Resource', 'OPS-Tracing')).toBe('X-Ray not allowed in this account');
    expect(ack('S/Svc', 'OPS-Tracing')).toBe('X-Ray not allowed in this account');
  });

  test('bare (stored by CDK under the annotation namespace), on the resource or its parent', () => {
    expect(ack('S/Svc/Fn/Resource', 'OPS-LogRetention')).toBe('kept by the central log archive');
    expect(ack('S/Svc/Fn/Resource', 'OPS-SafeDeployment[NoAlias]')).toBe('deployed by the pipeline');
  });

  test('granular findings match exactly, as CDK matches them', () => {
    expect(ack('S/Svc/Fn/Resource', 'OPS-OwnershipTags[ops:tier]')).toBe('tiered by the account');
    expect(ack('S/Svc/Fn/Resource', 'OPS-OwnershipTags[ops:owner]')).toBeUndefined();
    expect(ack('S/Svc/Fn/Resource', 'OPS-OwnershipTags')).toBeUndefined();
  });

  test('not elsewhere: another plugin, a sibling, a descendant, an entry without data', () => {
    expect(ack('S/Svc/Fn/Resource', 'OPS-StructuredLogs')).toBeUndefined();
    expect(acknowledgementOf(stack, 'S/Svc/Fn/Resource', 'OtherPack', 'OPS-StructuredLogs')).toBe('another plugin');
    expect(ack('S/Other/Resource', 'OPS-Tracing')).toBeUndefined();
    expect(ack('S/Svc/Fn', 'OPS-LogRetention')).toBeUndefined();
    expect(ack('S/Svc/Fn/ResourceX', 'OPS-Tracing')).toBe('X-Ray not allowed in this account');
    expect(ack('S/Svc2/Fn/Resource', 'OPS-Tracing')).toBeUndefined();
  });

  test('as Validations.of(...).acknowledge writes it into a synthesized assembly, namespaced or bare', () => {
    const app = plainApp((fn, service) => {
      Validations.of(fn).acknowledge({ id: 'OpsExcellence::OPS-Tracing', reason: 'X-Ray not allowed in this account' });
      Validations.of(service).acknowledge({ id: 'OPS-LogRetention', reason: 'kept by the central log archive' });
      plainFunction(new Construct(service.node.scope!, 'Elsewhere'));
    });
    const [synthesized] = readAssembly(app.dir).stacks;
    expect(synthesized.metadata['/Plain/Billing']).toContainEqual(expect.objectContaining({
      type: 'aws:cdk:acknowledged-rules', data: { 'Annotation::OPS-LogRetention': 'kept by the central log archive' },
    }));
    const of = (p: string, id: string) => acknowledgementOf(synthesized, p, 'OpsExcellence', id);
    expect(of('Plain/Billing/Handler/Resource', 'OPS-Tracing')).toBe('X-Ray not allowed in this account');
    expect(of('Plain/Billing/Handler/Resource', 'OPS-LogRetention')).toBe('kept by the central log archive');
    expect(of('Plain/Billing/Handler/ServiceRole/Resource', 'OPS-Tracing')).toBe('X-Ray not allowed in this account'); // under the function
    expect(of('Plain/Elsewhere/Handler/Resource', 'OPS-Tracing')).toBeUndefined();
    expect(of('Plain/Elsewhere/Handler/Resource', 'OPS-LogRetention')).toBeUndefined();
  });
});
