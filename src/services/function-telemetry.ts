import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import type { FunctionFacts } from './function-inspect';
import { fail, REPORTED_GAPS_METADATA, warn, WarningDefinition, Warnings } from '../core/errors';

/** Telemetry settings of an OperableFunction (internal): what the user gave, before defaults. */
export interface TelemetryOptions {
  readonly serviceName: string;
  readonly metricsNamespace?: string;
  readonly defaultMetricsNamespace: string;
  readonly logRetention?: logs.RetentionDays;
  readonly defaultLogRetention: logs.RetentionDays;
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
  readonly systemLogLevel?: lambda.SystemLogLevel;
  readonly lambdaInsights?: boolean;
}


/**
 * Function props with telemetry on by default: X-Ray active tracing, JSON logs with log levels, an explicit retained
 * log group, Powertools environment, optional Lambda Insights. Every setting the user gave wins; each one that turns
 * a Definition-of-Done element off is reported as an acknowledgeable warning instead of being overridden, and an
 * OperableFunction prop that would be lost to a functionProps setting of the same thing is an error.
 */
export function withTelemetry(scope: Construct, props: lambda.FunctionProps, options: TelemetryOptions):
{ props: lambda.FunctionProps; logGroup?: logs.LogGroup } {
  // A key given as undefined means "not given": it must not erase a default.
  const given = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as lambda.FunctionProps;
  checkConflicts(scope, given, options);
  const usesDeprecatedLogging = given.logFormat !== undefined || given.applicationLogLevel !== undefined || given.systemLogLevel !== undefined;
  const format = given.loggingFormat ?? (usesDeprecatedLogging ? undefined : lambda.LoggingFormat.JSON);
  const json = format === lambda.LoggingFormat.JSON || given.logFormat === lambda.LogFormat.JSON;
  const logGroup = given.logGroup !== undefined || given.logRetention !== undefined ? undefined : new logs.LogGroup(scope, 'LogGroup', {
    retention: options.logRetention ?? options.defaultLogRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const levels = json && !usesDeprecatedLogging ? {
    applicationLogLevelV2: given.applicationLogLevelV2 ?? options.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: given.systemLogLevelV2 ?? options.systemLogLevel ?? lambda.SystemLogLevel.INFO,
  } : {};
  const merged: lambda.FunctionProps = {
    tracing: lambda.Tracing.ACTIVE,
    ...(format ? { loggingFormat: format } : {}),
    ...(logGroup ? { logGroup } : {}),
    ...(options.lambdaInsights ? { insightsVersion: lambda.LambdaInsightsVersion.VERSION_1_0_498_0 } : {}),
    ...given,
    ...levels,
    environment: {
      POWERTOOLS_SERVICE_NAME: options.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: options.metricsNamespace ?? options.defaultMetricsNamespace,
      ...given.environment,
    },
  };
  if (merged.tracing !== lambda.Tracing.ACTIVE) {
    warn(scope, Warnings.FUNCTION_TRACING, `functionProps.tracing is ${merged.tracing}: the function is not traced with X-Ray (OPS04-BP05).`);
  }
  if (!json) {
    warn(scope, Warnings.FUNCTION_JSON_LOGS, 'functionProps sets a text log format: logs are not structured JSON (OPS04-BP02).');
  }
  if (given.logRetention !== undefined) {
    warn(scope, Warnings.FUNCTION_LOG_RETENTION, 'functionProps.logRetention is deprecated and keeps the log group out of the stack; ' +
      'drop it to get an explicit, retained log group with the tier retention.');
  }
  return { props: merged, logGroup };
}

/** An OperableFunction setting and a functionProps setting of the same thing: one would be silently lost. */
function checkConflicts(scope: IConstruct, given: lambda.FunctionProps, options: TelemetryOptions): void {
  const clash = (ours: string, value: unknown, theirs: string[], fix: string) => {
    const set = theirs.filter((k) => (given as unknown as Record<string, unknown>)[k] !== undefined);
    if (value !== undefined && set.length > 0) {
      fail(scope, `${ours} (${String(value)}) and functionProps.${set.join(' / functionProps.')} both set ${fix}: keep one.`);
    }
  };
  clash('applicationLogLevel', options.applicationLogLevel, ['applicationLogLevelV2', 'applicationLogLevel'], "the function's application log level");
  clash('systemLogLevel', options.systemLogLevel, ['systemLogLevelV2', 'systemLogLevel'], "the function's system log level");
  clash('logRetention', options.logRetention, ['logGroup', 'logRetention'],
    'where the logs go and how long they stay (logRetention applies to the log group cdk-operable creates; set the retention of your own logGroup where it is defined)');
  clash('lambdaInsights', options.lambdaInsights, ['insightsVersion'], 'the Lambda Insights extension');
  const env = given.environment?.POWERTOOLS_METRICS_NAMESPACE;
  if (options.metricsNamespace !== undefined && env !== undefined) {
    fail(scope, `metricsNamespace ('${options.metricsNamespace}') and functionProps.environment.POWERTOOLS_METRICS_NAMESPACE ('${env}') both set ` +
      'the EMF metrics namespace: keep one.');
  }
  for (const [v2, v1] of [['applicationLogLevelV2', 'applicationLogLevel'], ['systemLogLevelV2', 'systemLogLevel'], ['loggingFormat', 'logFormat']] as const) {
    if (given[v2] !== undefined && given[v1] !== undefined) {
      fail(scope, `functionProps.${v2} (${String(given[v2])}) and the deprecated functionProps.${v1} (${String(given[v1])}) are both set, and ` +
        `aws-cdk-lib uses only one of them: keep ${v2}.`);
    }
  }
  const text = given.loggingFormat === lambda.LoggingFormat.TEXT || given.logFormat === lambda.LogFormat.TEXT;
  for (const [name, value] of [['applicationLogLevel', options.applicationLogLevel], ['systemLogLevel', options.systemLogLevel]] as const) {
    if (text && value !== undefined) {
      fail(scope, `${name} (${value}) applies to JSON logs, but functionProps sets a text log format: Lambda ignores log levels for text ` +
        `logs. Remove ${name}, or the text logging format.`);
    }
  }
}

/**
 * For a function the user brought: report each telemetry element that is not on, without changing the function.
 * A function defined in the app is inspected; an imported one cannot be, so every element is reported. The gaps
 * reported are recorded on the function's template resource (`cdk-operable:reported-gaps` metadata: rule id → warning
 * id), so the rule pack reports the same gap at most at WARN instead of failing synth a second time for it.
 */
export function reportExistingFunction(scope: IConstruct, facts: FunctionFacts, options: { readonly hasAlias: boolean }): void {
  const fn = facts.underlying;
  if (!(fn instanceof lambda.Function)) {
    const note = 'is imported, so cdk-operable cannot check or set its telemetry: make sure where it is defined that';
    warn(scope, Warnings.FUNCTION_TRACING, `function ${fn.node.path} ${note} X-Ray tracing is Active (OPS04-BP05).`);
    warn(scope, Warnings.FUNCTION_JSON_LOGS, `function ${fn.node.path} ${note} logs are JSON (OPS04-BP02).`);
    warn(scope, Warnings.FUNCTION_LOG_RETENTION, `function ${fn.node.path} ${note} its log group has a retention (OPS08-BP02).`);
    warn(scope, Warnings.FUNCTION_POWERTOOLS, `function ${fn.node.path} ${note} POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE are set.`);
    if (!options.hasAlias) {
      warn(scope, Warnings.FUNCTION_NO_ALIAS, `function ${fn.node.path} is imported: no version, alias or safe deployment can be created for it, ` +
        'and its SLOs measure the function itself (OPS06-BP03).');
    }
    return;
  }
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const stack = Stack.of(fn);
  const tracing = stack.resolve(cfn.tracingConfig) as { mode?: string } | undefined;
  const logging = stack.resolve(cfn.loggingConfig) as { logFormat?: string; logGroup?: unknown } | undefined;
  const environment = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  const gaps: Record<string, string> = {};
  const gap = (rule: string, warning: WarningDefinition, message: string) => {
    gaps[rule] = warning.id;
    warn(scope, warning, message);
  };
  if (tracing?.mode !== 'Active') {
    gap('OPS-Tracing', Warnings.FUNCTION_TRACING,
      `existing function ${fn.node.path} does not have X-Ray tracing Active; set tracing: Tracing.ACTIVE where it is defined (OPS04-BP05).`);
  }
  if (logging?.logFormat !== 'JSON') {
    gap('OPS-StructuredLogs', Warnings.FUNCTION_JSON_LOGS,
      `existing function ${fn.node.path} does not log JSON; set loggingFormat: LoggingFormat.JSON where it is defined (OPS04-BP02).`);
  }
  // An explicit log group, or the deprecated logRetention (a LogRetention custom resource), sets a retention.
  if (logging?.logGroup === undefined && fn.node.tryFindChild('LogRetention') === undefined) {
    gap('OPS-LogRetention', Warnings.FUNCTION_LOG_RETENTION, `existing function ${fn.node.path} logs to the Lambda-created /aws/lambda log group, ` +
      'which has no retention; give it an explicit logGroup with a retention where it is defined (OPS08-BP02).');
  }
  if (environment?.variables?.POWERTOOLS_SERVICE_NAME === undefined) {
    warn(scope, Warnings.FUNCTION_POWERTOOLS, `existing function ${fn.node.path} has no POWERTOOLS_SERVICE_NAME; set the Powertools environment where it is defined.`);
  }
  if (!options.hasAlias) {
    gap('OPS-SafeDeployment', Warnings.FUNCTION_NO_ALIAS, `existing function ${fn.node.path} is deployed without an alias and CodeDeploy: its ` +
      'SLOs watch the function itself, as its callers invoke it. Set safeDeployment: true to deploy it through a `live` alias (callers must then ' +
      'invoke the alias), or deploy it safely where it is defined (OPS06-BP03).');
  }
  if (Object.keys(gaps).length > 0) cfn.addMetadata(REPORTED_GAPS_METADATA, gaps);
}
