import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { auroraCluster, ecsService, gameDay, logicalId, propertiesOf, templateOf, world, World } from './gameday-fixtures';
import { RunbookApproval } from '../../src';
import { GameDay, GameDayExperiment, LambdaFaultConfiguration } from '../../src/gameday';
import { OperationalExcellenceChecks } from '../../src/nag';

/** Every experiment kind in one game day of the quotes service. */
function everything(w: World, props: Partial<Parameters<typeof gameDay>[1]> = {}): GameDay {
  const api = ecsService(w.stack);
  return gameDay(w, {
    experiments: [
      GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults }),
      GameDayExperiment.lambdaAddedLatency({ configuration: w.faults }),
      GameDayExperiment.ecsStopTasks({ service: api }),
      GameDayExperiment.ecsNetworkLatency({ service: api }),
      GameDayExperiment.auroraFailover({ cluster: auroraCluster(w.stack), runbook: 'freight-failover-orders' }),
    ],
    ...props,
  });
}

/** The rule pack's findings on the game day's own resources, as [rule, severity, path]. */
function findingsOn(day: GameDay): Array<[string, string, string]> {
  const app = day.node.root as App;
  app.synth();
  const report = new OperationalExcellenceChecks().validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources
    .filter((r) => r.constructPath?.startsWith(day.node.path))
    .map((r) => [v.ruleName, v.severity, r.constructPath!] as [string, string, string]));
}

describe('the rule pack', () => {
  test('no ERROR finding on anything a game day creates (templates, roles, log group, start runbook)', () => {
    const w = world();
    const day = everything(w);
    expect(findingsOn(day).filter(([, severity]) => severity === 'error')).toEqual([]);
  });

  test('the rules did check the game day resources: ownership tags, log retention, runbook role and approval are compliant', () => {
    const day = everything(world());
    const app = day.node.root as App;
    app.synth();
    const pack = new OperationalExcellenceChecks();
    pack.validateScope(app);
    const compliant = (rule: string, path: string) => pack._evaluations()
      .filter((e) => e.rule.id === rule && e.node.node.path === path).map((e) => e.result);
    const base = day.node.path;
    expect(compliant('OPS-OwnershipTags', `${base}/LambdaInvocationErrors/Template`)).toEqual(['Compliant']);
    expect(compliant('OPS-OwnershipTags', `${base}/AuroraFailover/Role/Resource`)).toEqual(['Compliant']);
    expect(compliant('OPS-LogRetention', `${base}/Logs/Resource`)).toEqual(['Compliant']);
    expect(compliant('OPS-RunbookRole', `${base}/Start/Document`)).toEqual(['Compliant']);
    expect(compliant('OPS-RunbookApproval', `${base}/Start/Document`)).toEqual(['Compliant']);
  });

  test('nor with an unattended start runbook, or without one', () => {
    const unattended = everything(world({ approvers: false }), { approval: RunbookApproval.none('game days run in the staging account only') });
    expect(findingsOn(unattended).filter(([, severity]) => severity === 'error')).toEqual([]);
    const manual = everything(world({ approvers: false }));
    expect(manual.startRunbook).toBeUndefined();
    expect(findingsOn(manual).filter(([, severity]) => severity === 'error')).toEqual([]);
  });
});

describe('the FIS Lambda extension', () => {
  test('applyTo: the extension layer of the architecture from the SSM public parameter, the environment and read access', () => {
    const w = world();
    const fn = w.quotes.lambdaFunction as lambda.Function;
    w.faults.applyTo(fn);
    const props = propertiesOf(fn);
    const layers = props.Layers as Array<{ Ref: string }>;
    expect(layers).toHaveLength(1);
    const parameters = (templateOf(w.stack).toJSON() as { Parameters: Record<string, unknown> }).Parameters;
    expect(parameters[layers[0].Ref]).toEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/aws/service/fis/lambda-extension/AWS-FIS-extension-x86_64/1.x.x',
    });
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables).toEqual(expect.objectContaining({
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/aws-fis/bootstrap',
      AWS_FIS_CONFIGURATION_LOCATION: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(w.bucket), 'Arn'] }, '/FisConfigs/']] },
    }));
    const policy = JSON.stringify(w.stack.resolve((fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).policyDocument));
    expect(policy).toContain('{"Action":"s3:ListBucket","Condition":{"StringLike":{"s3:prefix":["FisConfigs/*"]}}');
    expect(policy).toContain('{"Action":"s3:GetObject","Effect":"Allow","Resource":{"Fn::Join":["",[{"Fn::GetAtt":["FisConfigB9FDE769","Arn"]},"/FisConfigs/*"]]}}');
  });

  test('the layer parameter of each architecture; the environment alone', () => {
    expect(LambdaFaultConfiguration.layerParameterName(lambda.Architecture.ARM_64)).toBe('/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x');
    expect(LambdaFaultConfiguration.layerParameterName(lambda.Architecture.X86_64)).toBe('/aws/service/fis/lambda-extension/AWS-FIS-extension-x86_64/1.x.x');
    const w = world();
    expect(Object.keys(w.faults.environment())).toEqual(['AWS_LAMBDA_EXEC_WRAPPER', 'AWS_FIS_CONFIGURATION_LOCATION']);
    expect(w.faults.prefix).toBe('FisConfigs/');
    expect(w.stack.resolve(w.faults.locationArn)).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(w.bucket), 'Arn'] }, '/FisConfigs/']] });
  });

  test('a Lambda target without the extension setup warns (acknowledgeable); with it, no warning', () => {
    const bare = world();
    everything(bare);
    Annotations.fromStack(bare.stack).hasWarning('/Test/Freight/QuotesGameDay', Match.stringLikeRegexp(
      "^experiment 'lambda-invocation-errors': function Test/Freight/Quotes/Function lacks AWS_LAMBDA_EXEC_WRAPPER=/opt/aws-fis/bootstrap and " +
      "AWS_FIS_CONFIGURATION_LOCATION set to the configuration's location, so FIS cannot reach it: call configuration.applyTo\\(fn\\).*" +
      '\\[ack: cdk-operable:gameday-lambda-extension\\]$'));
    const prepared = world();
    prepared.faults.applyTo(prepared.quotes.lambdaFunction as lambda.Function);
    everything(prepared);
    Annotations.fromStack(prepared.stack).hasNoWarning('/Test/Freight/QuotesGameDay', Match.stringLikeRegexp('gameday-lambda-extension'));
  });

  test('a function prepared for another location warns about the location only', () => {
    const w = world();
    LambdaFaultConfiguration.fromBucket(w.bucket, 'other/').applyTo(w.quotes.lambdaFunction as lambda.Function);
    everything(w);
    Annotations.fromStack(w.stack).hasWarning('/Test/Freight/QuotesGameDay', Match.stringLikeRegexp(
      "function Test/Freight/Quotes/Function lacks AWS_FIS_CONFIGURATION_LOCATION set to the configuration's location, so FIS cannot reach it"));
  });
});
