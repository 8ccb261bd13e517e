import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { aliasDimensions, functionProps, logicalIdOf, metricsOf, setup } from './function-fixtures';
import { OperationalExcellenceChecks } from '../../src';
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

  test('each missing telemetry element is reported once, with its own acknowledgeable id, and so is the missing safe deployment', () => {
    const annotations = Annotations.fromStack(s.stack);
    annotations.hasWarning(PATH, 'existing function Test/Legacy does not have X-Ray tracing Active; set tracing: Tracing.ACTIVE where it is ' +
      'defined (OPS04-BP05). [ack: cdk-operable:function-tracing]');
    annotations.hasWarning(PATH, 'existing function Test/Legacy does not log JSON; set loggingFormat: LoggingFormat.JSON where it is defined ' +
      '(OPS04-BP02). [ack: cdk-operable:function-json-logs]');
    annotations.hasWarning(PATH, 'existing function Test/Legacy logs to the Lambda-created /aws/lambda log group, which has no retention; give ' +
      'it an explicit logGroup with a retention where it is defined (OPS08-BP02). [ack: cdk-operable:function-log-retention]');
    annotations.hasWarning(PATH, 'existing function Test/Legacy has no POWERTOOLS_SERVICE_NAME; set the Powertools environment where it is ' +
      'defined. [ack: cdk-operable:function-powertools]');
    annotations.hasWarning(PATH, Match.stringLikeRegexp('^existing function Test/Legacy is deployed without an alias and CodeDeploy: its SLOs ' +
      'watch the function itself, as its callers invoke it. Set safeDeployment: true .*\\[ack: cdk-operable:function-no-alias\\]$'));
    for (const id of ['tracing', 'json-logs', 'log-retention', 'powertools', 'no-alias']) expect(countWithId(s.stack, `cdk-operable:function-${id}`)).toBe(1);
    expect(warnings(s.stack)).toHaveLength(5);
  });

  test('by default no alias, no version and no deployment group: nobody would call them', () => {
    s.template.resourceCountIs('AWS::Lambda::Alias', 0);
    s.template.resourceCountIs('AWS::Lambda::Version', 0);
    s.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    expect(s.fn.alias).toBeUndefined();
    expect(s.fn.deploymentGroup).toBeUndefined();
  });

  test('its SLOs, saturation alarm and dashboard watch the function itself (all versions): what its callers invoke', () => {
    const fnDimensions = [{ Name: 'FunctionName', Value: { Ref: legacyId } }];
    for (const name of ['freight-quotes-availability-burn14.4x-5m', 'freight-quotes-latency-burn14.4x-5m']) {
      for (const m of metricsOf(s.alarm(name)).filter((q) => q.MetricStat)) expect(m.MetricStat!.Metric.Dimensions).toEqual(fnDimensions);
    }
    const throttles = metricsOf(s.alarm('freight-quotes-saturation')).find((q) => q.Id === 'throttles')!;
    expect(throttles.MetricStat!.Metric.Dimensions).toEqual(fnDimensions);
    expect(JSON.stringify(s.resources[logicalIdOf(s.fn.dashboard!.cfnDashboard)].Properties)).not.toContain(':live');
  });

  test('it joins the service: the ops:service and ownership tags; and its template resource records the gaps already reported', () => {
    const props = s.resources[legacyId].Properties!;
    expect(props.Tags).toEqual([
      { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
      { Key: 'ops:owner', Value: 'pricing' },
      { Key: 'ops:service', Value: 'quotes' },
      { Key: 'ops:tier', Value: 'standard' },
      { Key: 'ops:workload', Value: 'freight' },
    ]);
    expect((s.resources[legacyId] as { Metadata?: Record<string, unknown> }).Metadata!['cdk-operable:reported-gaps']).toEqual({
      'OPS-Tracing': 'cdk-operable:function-tracing',
      'OPS-StructuredLogs': 'cdk-operable:function-json-logs',
      'OPS-LogRetention': 'cdk-operable:function-log-retention',
      'OPS-SafeDeployment': 'cdk-operable:function-no-alias',
    });
  });

  test('otherwise it is not modified: its properties are the same as without OperableFunction', () => {
    const { stack } = testStack('Reference');
    bare(stack);
    const reference = Template.fromStack(stack).toJSON().Resources[legacyId];
    const { Tags: _tags, ...props } = s.resources[legacyId].Properties!;
    expect(props).toEqual(reference.Properties);
    expect(props.Environment).toBeUndefined();
    expect(props.TracingConfig).toBeUndefined();
    expect(props.LoggingConfig).toBeUndefined();
  });

  test('it is not modified: no Custom::LogRetention is added for its log group', () => {
    s.template.resourceCountIs('Custom::LogRetention', 0);
    expect(s.of('AWS::Lambda::Function').map(([id]) => id)).toEqual([legacyId]);
  });

  test('the rule pack agrees with the construct: no ERROR finding (no ownership gap, the log retention gap at WARN), the gaps still listed', () => {
    const report = new OperationalExcellenceChecks().validateScope(s.stack);
    // (The fixture's own page and ticket topics sit outside the workload: only the existing function's findings count here.)
    const onFunction = report.violations.filter((v) => v.violatingResources.some((r) => r.constructPath?.startsWith('Test/Legacy')));
    expect(onFunction.filter((v) => v.severity === 'error').map((v) => v.ruleName)).toEqual([]);
    const onLegacy = (rule: string) => report.violations.find((v) => v.ruleName === rule && v.violatingResources.some((r) => r.constructPath === 'Test/Legacy/Resource'));
    expect(onLegacy('OPS-LogRetention')?.severity).toBe('warning');
    expect(onLegacy('OPS-SafeDeployment[NoAlias]')?.severity).toBe('warning');
    expect(onFunction.some((v) => v.ruleName.startsWith('OPS-OwnershipTags'))).toBe(false);
  });
});

describe('an existing lambda.Function with safeDeployment: true (the alias path, asked for)', () => {
  const s = setup((stack) => ({ existingFunction: bare(stack), safeDeployment: true }));
  const legacyId = logicalIdOf(s.fn.lambdaFunction);

  test('an alias and a deployment group are created, and the SLOs measure the alias', () => {
    const versionId = logicalIdOf((s.fn.lambdaFunction as lambda.Function).currentVersion);
    s.template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionName: { Ref: legacyId }, FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] } });
    s.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 1);
    expect(s.fn.alias).toBeDefined();
    expect(s.fn.deploymentGroup).toBeDefined();
    expect(metricsOf(s.alarm('freight-quotes-availability-burn14.4x-5m'))[1].MetricStat!.Metric.Dimensions).toEqual(aliasDimensions(legacyId));
  });

  test('a warning says every caller must now invoke the alias; no function-no-alias warning', () => {
    Annotations.fromStack(s.stack).hasWarning(PATH, 'safeDeployment created the alias live for existing function Test/Legacy: its SLOs, alarms ' +
      'and canary deployments now watch the alias, so every caller must invoke the alias, not the function (OPS06-BP03). ' +
      '[ack: cdk-operable:function-alias-callers]');
    expect(countWithId(s.stack, 'cdk-operable:function-no-alias')).toBe(0);
    expect((s.resources[legacyId] as { Metadata?: Record<string, unknown> }).Metadata!['cdk-operable:reported-gaps']).not.toHaveProperty('OPS-SafeDeployment');
  });

  test('aliasName and deployment settings apply only on this path: without safeDeployment they are an error', () => {
    expect(() => setup((stack) => ({ existingFunction: bare(stack), aliasName: 'prod' }))).toThrow(
      '[Test/Freight/Quotes] aliasName is set, but an existingFunction is deployed without an alias unless safeDeployment is true (its callers ' +
      'invoke the function itself): remove it.');
  });

  test('safeDeployment: true on an imported function is an error: no alias can be created for it', () => {
    expect(() => setup((stack) => ({ existingFunction: lambda.Function.fromFunctionArn(stack, 'Imported', IMPORTED_ARN), safeDeployment: true }))).toThrow(
      '[Test/Freight/Quotes] safeDeployment is true, but existingFunction is imported: no version, alias or deployment group can be created for it.');
  });
});

describe('an existing lambda.Function with every telemetry element on', () => {
  const s = setup((stack) => ({ existingFunction: configured(stack) }));

  test('nothing is reported but the missing safe deployment', () => {
    for (const id of ['tracing', 'json-logs', 'log-retention', 'powertools']) {
      Annotations.fromStack(s.stack).hasNoWarning(PATH, Match.stringLikeRegexp(`\\[ack: cdk-operable:function-${id}\\]`));
    }
    expect(warnings(s.stack)).toHaveLength(1);
    expect(countWithId(s.stack, 'cdk-operable:function-no-alias')).toBe(1);
  });

  test('its log group, defined outside the workload, joins the service too (ownership and ops:service tags)', () => {
    const own = s.stack.node.findChild('LegacyLogs') as logs.LogGroup;
    expect(s.resources[logicalIdOf(own)].Properties!.Tags).toEqual(expect.arrayContaining([
      { Key: 'ops:owner', Value: 'pricing' }, { Key: 'ops:service', Value: 'quotes' }, { Key: 'ops:tier', Value: 'standard' },
    ]));
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
