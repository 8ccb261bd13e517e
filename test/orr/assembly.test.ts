import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { plainApp, plainFunction, synthesize, tagScope, tempDir, writeJson } from './support';
import { AssemblyStack, acknowledgementOf, pathsByLogicalId, readAssembly } from '../../src/orr/assembly';
import { replay } from '../../src/orr/replay';

/** A hand-written assembly: one stack artifact per template given, metadata inline. */
function handWritten(templates: Record<string, unknown>, artifacts: Record<string, unknown> = {}): string {
  const dir = tempDir('orr-hand-');
  const stacks: Record<string, unknown> = {};
  for (const [id, template] of Object.entries(templates)) {
    writeJson(path.join(dir, `${id}.template.json`), template);
    stacks[id] = {
      type: 'aws:cloudformation:stack',
      properties: { templateFile: `${id}.template.json` },
      metadata: { [`/${id}/Queue/Resource`]: [{ type: 'aws:cdk:logicalId', data: 'Queue4A7E3555' }] },
    };
  }
  writeJson(path.join(dir, 'manifest.json'), { version: '55.0.0', artifacts: { ...stacks, ...artifacts } });
  return dir;
}

const QUEUE_TEMPLATE = { Resources: { Queue4A7E3555: { Type: 'AWS::SQS::Queue', Properties: {} } } };

describe('readAssembly errors', () => {
  test('a directory that does not exist', () => {
    const dir = path.join(tempDir(), 'cdk.out');
    expect(() => readAssembly(dir)).toThrow(
      `Cloud assembly '${dir}' does not exist or is not a directory: run \`cdk synth\` (or \`npx cdk synth -o ${dir}\`) first.`);
  });

  test('a file instead of a directory', () => {
    const file = writeJson(path.join(tempDir(), 'manifest.json'), {});
    expect(() => readAssembly(file)).toThrow(`Cloud assembly '${file}' does not exist or is not a directory`);
  });

  test('a directory without manifest.json', () => {
    const dir = tempDir();
    expect(() => readAssembly(dir)).toThrow(
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
    expect(() => readAssembly(dir)).toThrow(`Cloud assembly manifest '${manifest}' has no "artifacts": synthesize again with \`cdk synth\`.`);
  });

  test('an assembly without stacks', () => {
    const dir = handWritten({}, { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } });
    expect(() => readAssembly(dir)).toThrow(`Cloud assembly '${dir}' has no CloudFormation stacks: nothing to review.`);
  });

  test('a stack whose template is missing', () => {
    const dir = handWritten({ Queues: QUEUE_TEMPLATE });
    fs.rmSync(path.join(dir, 'Queues.template.json'));
    expect(() => readAssembly(dir)).toThrow(
      `Stack 'Queues' of cloud assembly '${dir}' names template 'Queues.template.json', which is missing: synthesize again.`);
  });

  test('a synthesized assembly whose template was deleted', () => {
    const { dir } = plainApp();
    fs.rmSync(path.join(dir, 'Plain.template.json'));
    expect(() => readAssembly(dir)).toThrow("Stack 'Plain' of cloud assembly");
    expect(() => readAssembly(dir)).toThrow("names template 'Plain.template.json', which is missing");
  });

  test('a nested assembly without its manifest names the assembly given', () => {
    const dir = handWritten({ Queues: QUEUE_TEMPLATE }, {
      'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } },
    });
    fs.mkdirSync(path.join(dir, 'assembly-Prod'));
    expect(() => readAssembly(dir)).toThrow(`'${dir}' is not a cloud assembly: ${path.join(dir, 'assembly-Prod', 'manifest.json')} is missing.`);
  });

  test('errors are OperableErrors', () => {
    expect(() => readAssembly(path.join(tempDir(), 'none'))).toThrow(expect.objectContaining({ name: 'OperableError' }));
  });
});

describe('readAssembly', () => {
  test('a hand-written assembly: absolute template path, inline metadata', () => {
    const dir = handWritten({ Queues: QUEUE_TEMPLATE });
    const relative = path.relative(process.cwd(), dir);
    const assembly = readAssembly(relative);
    expect(assembly.directory).toBe(dir);
    expect(assembly.stacks).toEqual([{
      artifactId: 'Queues',
      templateFile: path.join(dir, 'Queues.template.json'),
      metadata: { '/Queues/Queue/Resource': [{ type: 'aws:cdk:logicalId', data: 'Queue4A7E3555' }] },
    }]);
    expect(pathsByLogicalId(assembly.stacks[0])).toEqual(new Map([['Queue4A7E3555', 'Queues/Queue/Resource']]));
  });

  test('a synthesized app: the stack metadata file is read', () => {
    const app = plainApp();
    const [stack] = readAssembly(app.dir).stacks;
    expect(stack.artifactId).toBe('Plain');
    expect(stack.templateFile).toBe(path.join(app.dir, 'Plain.template.json'));
    expect(stack.metadata['/Plain/Billing/Handler/Resource']).toContainEqual({ type: 'aws:cdk:logicalId', data: app.functionLogicalId });
    expect(pathsByLogicalId(stack)).toEqual(new Map([
      [app.roleLogicalId, 'Plain/Billing/Handler/ServiceRole/Resource'],
      [app.functionLogicalId, 'Plain/Billing/Handler/Resource'],
      ['BootstrapVersion', 'Plain/BootstrapVersion'],
      ['CheckBootstrapVersion', 'Plain/CheckBootstrapVersion'],
    ]));
  });

  test('a stage inside the app: its stacks are read from the nested assembly, ids prefixed by the stage assembly', () => {
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
    expect(nested).toMatch(/^ProdMail[0-9A-F]{8}$/);
    const assembly = readAssembly(dir);
    expect(assembly.stacks.map((s) => s.artifactId).sort()).toEqual(['Top', `assembly-Prod/${nested}`]);
    const stack = assembly.stacks.find((s) => s.artifactId === `assembly-Prod/${nested}`)!;
    expect(stack.templateFile).toBe(path.join(dir, 'assembly-Prod', `${nested}.template.json`));
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
