import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { aliasDimensions, functionProps, logicalIdOf, metricsOf, setup } from './function-fixtures';
import { testStack } from '../support/fixtures';

const PATH = '/Test/Freight/Quotes';
const IMPORTED_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:legacy-quotes';

/** The warnings reported on the OperableFunction. */
function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning(PATH, Match.anyValue()).map((w) => String(w.entry.data));
}

function countWithId(stack: Stack, id: string): number {
  return warnings(stack).filter((w) => w.endsWith(`[ack: ${id}]`)).length;
}

/** A `lambda.Function` defined in the app, outside the workload, without any telemetry. */
function bare(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Legacy', functionProps());
}

/** A `lambda.Function` defined in the app with every telemetry element on. */
function configured(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Legacy', functionProps({
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    logGroup: new logs.LogGroup(stack, 'LegacyLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    environment: { POWERTOOLS_SERVICE_NAME: 'legacy', POWERTOOLS_METRICS_NAMESPACE: 'freight' },
  }));
}

describe('an existing lambda.Function defined in the app', () => {
  const s = setup((stack) => ({ existingFunction: bare(stack) }));
  const legacyId = logicalIdOf(s.fn.lambdaFunction);

  test('each missing telemetry element is reported once, with its own acknowledgeable id', () => {
    const annotations = Annotations.fromStack(s.stack);
    annotations.hasWarning(PATH, 'existing function Test/Legacy does not have X-Ray tracing Active; set tracing: Tracing.ACTIVE where it is ' +
      'defined (OPS04-BP05). [ack: cdk-operable:function-tracing]');
    annotations.hasWarning(PATH, 'existing function Test/Legacy does not log JSON; set loggingFormat: LoggingFormat.JSON where it is defined ' +
      '(OPS04-BP02). [ack: cdk-operable:function-json-logs]');
    annotations.hasWarning(PATH, 'existing function Test/Legacy logs to the Lambda-created /aws/lambda log group, which has no retention; give ' +
      'it an explicit logGroup with a retention where it is defined (OPS08-BP02). [ack: cdk-operable:function-log-retention]');
    annotations.hasWarning(PATH, 'existing function Test/Legacy has no POWERTOOLS_SERVICE_NAME; set the Powertools environment where it is ' +
      'defined. [ack: cdk-operable:function-powertools]');
    for (const id of ['tracing', 'json-logs', 'log-retention', 'powertools']) expect(countWithId(s.stack, `cdk-operable:function-${id}`)).toBe(1);
    expect(countWithId(s.stack, 'cdk-operable:function-no-alias')).toBe(0);
    expect(warnings(s.stack)).toHaveLength(4);
  });

  test('it is not modified: its AWS::Lambda::Function is the same as without OperableFunction', () => {
    const { stack } = testStack('Reference');
    bare(stack);
    const reference = Template.fromStack(stack).toJSON().Resources[legacyId];
    expect(s.resources[legacyId]).toEqual(reference);
    const props = s.resources[legacyId].Properties!;
    expect(props.Environment).toBeUndefined();
    expect(props.TracingConfig).toBeUndefined();
    expect(props.LoggingConfig).toBeUndefined();
    expect(props.Tags).toBeUndefined();
  });

  test('it is not modified: no Custom::LogRetention is added for its log group', () => {
    s.template.resourceCountIs('Custom::LogRetention', 0);
    expect(s.of('AWS::Lambda::Function').map(([id]) => id)).toEqual([legacyId]);
  });

  test('an alias and a deployment group are still created for it, and the SLOs measure the alias', () => {
    const versionId = logicalIdOf((s.fn.lambdaFunction as lambda.Function).currentVersion);
    s.template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: legacyId },
      FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
    });
    s.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 1);
    expect(s.fn.alias).toBeDefined();
    expect(s.fn.deploymentGroup).toBeDefined();
    const metrics = metricsOf(s.alarm('freight-quotes-availability-burn14.4x-5m'));
    expect(metrics[1].MetricStat!.Metric.Dimensions).toEqual(aliasDimensions(legacyId));
  });
});

describe('an existing lambda.Function with every telemetry element on', () => {
  const s = setup((stack) => ({ existingFunction: configured(stack) }));

  test('nothing is reported', () => {
    for (const id of ['tracing', 'json-logs', 'log-retention', 'powertools', 'no-alias']) {
      Annotations.fromStack(s.stack).hasNoWarning(PATH, Match.stringLikeRegexp(`\\[ack: cdk-operable:function-${id}\\]`));
    }
    expect(warnings(s.stack)).toEqual([]);
  });

  test('its own log group is used for the saved queries and no other log group or LogRetention is created', () => {
    const own = s.stack.node.findChild('LegacyLogs') as logs.LogGroup;
    expect(s.fn.logGroup).toBe(own);
    s.template.resourceCountIs('AWS::Logs::LogGroup', 1);
    s.template.resourceCountIs('Custom::LogRetention', 0);
    s.template.hasResourceProperties('AWS::Logs::QueryDefinition', { LogGroupNames: [{ Ref: logicalIdOf(own) }] });
  });
});

describe('an imported function (lambda.Function.fromFunctionArn)', () => {
  const s = setup((stack) => ({ existingFunction: lambda.Function.fromFunctionArn(stack, 'Imported', IMPORTED_ARN) }));

  test('all five elements are reported, including that it cannot have an alias', () => {
    const note = 'function Test/Imported is imported, so cdk-operable cannot check or set its telemetry: make sure where it is defined that';
    const annotations = Annotations.fromStack(s.stack);
    annotations.hasWarning(PATH, `${note} X-Ray tracing is Active (OPS04-BP05). [ack: cdk-operable:function-tracing]`);
    annotations.hasWarning(PATH, `${note} logs are JSON (OPS04-BP02). [ack: cdk-operable:function-json-logs]`);
    annotations.hasWarning(PATH, `${note} its log group has a retention (OPS08-BP02). [ack: cdk-operable:function-log-retention]`);
    annotations.hasWarning(PATH, `${note} POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE are set. [ack: cdk-operable:function-powertools]`);
    annotations.hasWarning(PATH, 'function Test/Imported is imported: no version, alias or safe deployment can be created for it, and its SLOs ' +
      'measure the function itself (OPS06-BP03). [ack: cdk-operable:function-no-alias]');
    expect(warnings(s.stack)).toHaveLength(5);
  });

  test('no version, alias or deployment group', () => {
    s.template.resourceCountIs('AWS::Lambda::Version', 0);
    s.template.resourceCountIs('AWS::Lambda::Alias', 0);
    s.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    s.template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(s.fn.alias).toBeUndefined();
    expect(s.fn.deploymentGroup).toBeUndefined();
  });

  test('the SLOs measure the function itself: dimension FunctionName only', () => {
    const dimensions = [{ Name: 'FunctionName', Value: 'legacy-quotes' }];
    const availability = metricsOf(s.alarm('freight-quotes-availability-burn14.4x-5m'));
    expect(availability.slice(1).map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Stat, m.MetricStat!.Metric.Dimensions])).toEqual([
      ['bad', 'Errors', 'Sum', dimensions],
      ['total', 'Invocations', 'Sum', dimensions],
    ]);
    const latency = metricsOf(s.alarm('freight-quotes-latency-burn14.4x-5m'));
    expect(latency[1].MetricStat!.Metric).toEqual({ Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dimensions });
  });

  test('its log group is referenced by the Lambda naming convention', () => {
    expect(s.stack.resolve(s.fn.logGroup.logGroupName)).toBe('/aws/lambda/legacy-quotes');
    s.template.hasResourceProperties('AWS::Logs::QueryDefinition', { Name: 'freight/lambda/recent-errors', LogGroupNames: ['/aws/lambda/legacy-quotes'] });
  });
});

describe('an existing lambda.Alias', () => {
  test('its logs are read from the function log group, not /aws/lambda/<function>:<alias>', () => {
    const s = setup((stack) => {
      const legacy = bare(stack);
      return { existingFunction: new lambda.Alias(stack, 'LegacyLive', { aliasName: 'live', version: legacy.currentVersion }) };
    });
    const name = JSON.stringify(s.stack.resolve(s.fn.logGroup.logGroupName));
    expect(name).toContain('/aws/lambda/');
    expect(name).not.toContain(':live');
  });
});
