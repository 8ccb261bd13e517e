import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { functionProps, logicalIdOf, setup } from './function-fixtures';
import { ServiceTier } from '../../src';

const PATH = '/Test/Freight/Quotes';

afterEach(() => jest.restoreAllMocks());

/** The warnings reported on the OperableFunction. */
function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning(PATH, Match.anyValue()).map((w) => String(w.entry.data));
}

/** Properties of the only AWS::Lambda::Function of the service. */
function functionOf(s: ReturnType<typeof setup>): Record<string, unknown> {
  return s.resources[logicalIdOf(s.fn.lambdaFunction)].Properties!;
}

describe('OperableFunction telemetry of a created function', () => {
  const s = setup();
  const logGroupId = logicalIdOf(s.fn.logGroup);

  test('X-Ray active tracing, JSON logs at INFO into its own log group, and the Powertools environment', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: { Ref: logGroupId } },
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'quotes', POWERTOOLS_METRICS_NAMESPACE: 'freight' } },
    });
    expect((functionOf(s).Environment as { Variables: object }).Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'quotes',
      POWERTOOLS_METRICS_NAMESPACE: 'freight',
    });
  });

  test('the role may write traces (aws-cdk-lib adds the X-Ray statement for active tracing)', () => {
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('an explicit log group kept 180 days (STANDARD tier) and retained when the stack is deleted or it is replaced', () => {
    s.template.resourceCountIs('AWS::Logs::LogGroup', 1);
    s.template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 180 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(s.resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    expect(s.fn.logGroup).toBe((s.fn.lambdaFunction as lambda.Function).logGroup);
    s.template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('no Lambda Insights by default: no layer and only the basic execution policy', () => {
    expect(functionOf(s).Layers).toBeUndefined();
    const role = s.resources[logicalIdOf((s.fn.lambdaFunction as lambda.Function).role!)].Properties!;
    expect(role.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] },
    ]);
  });

  test('nothing to report: no warning at all', () => {
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('OperableFunction telemetry overrides', () => {
  test('a CRITICAL workload keeps logs 365 days', () => {
    setup({}, { tier: ServiceTier.CRITICAL }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('logRetention overrides the tier retention', () => {
    setup({ logRetention: logs.RetentionDays.ONE_WEEK }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('applicationLogLevel and systemLogLevel set the JSON log levels', () => {
    const s = setup({ applicationLogLevel: lambda.ApplicationLogLevel.DEBUG, systemLogLevel: lambda.SystemLogLevel.WARN });
    expect(functionOf(s).LoggingConfig).toEqual({
      LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN', LogGroup: { Ref: logicalIdOf(s.fn.logGroup) },
    });
  });

  test('metricsNamespace sets POWERTOOLS_METRICS_NAMESPACE; serviceName sets POWERTOOLS_SERVICE_NAME', () => {
    const s = setup({ metricsNamespace: 'FreightQuotes', serviceName: 'quote-engine' });
    expect((functionOf(s).Environment as { Variables: object }).Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'quote-engine',
      POWERTOOLS_METRICS_NAMESPACE: 'FreightQuotes',
    });
  });

  test('user environment variables are kept, and a user POWERTOOLS_SERVICE_NAME wins', () => {
    const s = setup({ functionProps: functionProps({ environment: { TABLE_NAME: 'quotes', POWERTOOLS_SERVICE_NAME: 'pricing-quotes' } }) });
    expect((functionOf(s).Environment as { Variables: object }).Variables).toEqual({
      TABLE_NAME: 'quotes',
      POWERTOOLS_SERVICE_NAME: 'pricing-quotes',
      POWERTOOLS_METRICS_NAMESPACE: 'freight',
    });
  });

  test('lambdaInsights adds the Lambda Insights extension layer and its managed policy', () => {
    const s = setup({ lambdaInsights: true });
    // aws-cdk-lib 2.276 resolves LambdaInsightsVersion.VERSION_1_0_498_0 to a literal ARN in a stack with a region.
    expect(functionOf(s).Layers).toEqual(['arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:60']);
    const role = s.resources[logicalIdOf((s.fn.lambdaFunction as lambda.Function).role!)].Properties!;
    expect(role.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy']] },
    ]);
  });
});

describe('user settings win and are reported, never silently overridden', () => {
  test('tracing DISABLED: no tracing config, and a function-tracing warning', () => {
    const s = setup({ functionProps: functionProps({ tracing: lambda.Tracing.DISABLED }) });
    expect(functionOf(s).TracingConfig).toBeUndefined();
    Annotations.fromStack(s.stack).hasWarning(PATH,
      'functionProps.tracing is Disabled: the function is not traced with X-Ray (OPS04-BP05). [ack: cdk-operable:function-tracing]');
    expect(warnings(s.stack)).toHaveLength(1);
  });

  test('tracing PASS_THROUGH is kept and reported', () => {
    const s = setup({ functionProps: functionProps({ tracing: lambda.Tracing.PASS_THROUGH }) });
    expect(functionOf(s).TracingConfig).toEqual({ Mode: 'PassThrough' });
    Annotations.fromStack(s.stack).hasWarning(PATH, Match.stringLikeRegexp('^functionProps.tracing is PassThrough: .*\\[ack: cdk-operable:function-tracing\\]$'));
  });

  test('loggingFormat TEXT: text logs without log levels, still into the retained log group, and a function-json-logs warning', () => {
    const s = setup({ functionProps: functionProps({ loggingFormat: lambda.LoggingFormat.TEXT }) });
    expect(functionOf(s).LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: { Ref: logicalIdOf(s.fn.logGroup) } });
    Annotations.fromStack(s.stack).hasWarning(PATH,
      'functionProps sets a text log format: logs are not structured JSON (OPS04-BP02). [ack: cdk-operable:function-json-logs]');
    expect(warnings(s.stack)).toHaveLength(1);
  });

  test('JSON log levels given in functionProps win over the defaults', () => {
    const s = setup({
      functionProps: functionProps({ loggingFormat: lambda.LoggingFormat.JSON, applicationLogLevelV2: lambda.ApplicationLogLevel.ERROR }),
    });
    expect(functionOf(s).LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'INFO' });
  });

  test('a logGroup in functionProps is used, and no other log group is created', () => {
    const s = setup((stack) => ({
      functionProps: functionProps({ logGroup: new logs.LogGroup(stack, 'OwnLogs', { retention: logs.RetentionDays.TWO_WEEKS }) }),
    }));
    s.template.resourceCountIs('AWS::Logs::LogGroup', 1);
    const own = s.stack.node.findChild('OwnLogs') as logs.LogGroup;
    expect(s.fn.logGroup).toBe(own);
    expect(functionOf(s).LoggingConfig).toMatchObject({ LogGroup: { Ref: logicalIdOf(own) } });
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    expect(warnings(s.stack)).toEqual([]);
  });

  test('the deprecated functionProps.logRetention is kept (no explicit log group) and reported', () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined); // aws-cdk-lib's own deprecation notice
    const s = setup({ functionProps: functionProps({ logRetention: logs.RetentionDays.ONE_WEEK }) });
    s.template.resourceCountIs('AWS::Logs::LogGroup', 0);
    s.template.hasResourceProperties('Custom::LogRetention', { RetentionInDays: 7 });
    Annotations.fromStack(s.stack).hasWarning(PATH,
      'functionProps.logRetention is deprecated and keeps the log group out of the stack; drop it to get an explicit, retained log group ' +
      'with the tier retention. [ack: cdk-operable:function-log-retention]');
  });

  test('an explicit `tracing: undefined` keeps the default Active tracing', () => {
    const s = setup({ functionProps: functionProps({ tracing: undefined }) });
    expect(functionOf(s).TracingConfig).toEqual({ Mode: 'Active' });
    expect(warnings(s.stack)).toEqual([]);
  });

  test('an explicit `logGroup: undefined` still wires the created, retained log group', () => {
    const s = setup({ functionProps: functionProps({ logGroup: undefined }) });
    s.template.resourceCountIs('Custom::LogRetention', 0);
    expect(functionOf(s).LoggingConfig).toMatchObject({ LogGroup: { Ref: logicalIdOf(s.fn.logGroup) } });
  });
});
