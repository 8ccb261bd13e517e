import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import type { FunctionFacts } from './function-inspect';

/** Warning ids for telemetry an OperableFunction could not turn on (acknowledgeable). */
export const FunctionWarnings = {
  TRACING: 'cdk-operable:function-tracing',
  JSON_LOGS: 'cdk-operable:function-json-logs',
  LOG_RETENTION: 'cdk-operable:function-log-retention',
  POWERTOOLS: 'cdk-operable:function-powertools',
  NO_ALIAS: 'cdk-operable:function-no-alias',
  DEPLOYMENT: 'cdk-operable:function-deployment',
} as const;

/** Telemetry settings for a function we create (internal). */
export interface TelemetryOptions {
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly logRetention: logs.RetentionDays;
  readonly applicationLogLevel: lambda.ApplicationLogLevel;
  readonly systemLogLevel: lambda.SystemLogLevel;
  readonly lambdaInsights: boolean;
}

/**
 * Function props with telemetry on by default: X-Ray active tracing, JSON logs with log levels, an explicit retained
 * log group, Powertools environment, optional Lambda Insights. Every setting the user gave wins; each one that turns
 * a Definition-of-Done element off is reported as an acknowledgeable warning instead of being overridden.
 */
export function withTelemetry(scope: Construct, props: lambda.FunctionProps, options: TelemetryOptions):
{ props: lambda.FunctionProps; logGroup?: logs.LogGroup } {
  // A key given as undefined means "not given": it must not erase a default.
  const given = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as lambda.FunctionProps;
  const usesDeprecatedLogging = given.logFormat !== undefined || given.applicationLogLevel !== undefined || given.systemLogLevel !== undefined;
  const format = given.loggingFormat ?? (usesDeprecatedLogging ? undefined : lambda.LoggingFormat.JSON);
  const json = format === lambda.LoggingFormat.JSON || given.logFormat === lambda.LogFormat.JSON;
  const logGroup = given.logGroup !== undefined || given.logRetention !== undefined ? undefined : new logs.LogGroup(scope, 'LogGroup', {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const merged: lambda.FunctionProps = {
    tracing: lambda.Tracing.ACTIVE,
    ...(format ? { loggingFormat: format } : {}),
    ...(json && !usesDeprecatedLogging ? { applicationLogLevelV2: options.applicationLogLevel, systemLogLevelV2: options.systemLogLevel } : {}),
    ...(logGroup ? { logGroup } : {}),
    ...(options.lambdaInsights ? { insightsVersion: lambda.LambdaInsightsVersion.VERSION_1_0_498_0 } : {}),
    ...given,
    environment: {
      POWERTOOLS_SERVICE_NAME: options.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: options.metricsNamespace,
      ...given.environment,
    },
  };
  if (merged.tracing !== lambda.Tracing.ACTIVE) {
    warn(scope, FunctionWarnings.TRACING, `functionProps.tracing is ${merged.tracing}: the function is not traced with X-Ray (OPS04-BP05).`);
  }
  if (!json) {
    warn(scope, FunctionWarnings.JSON_LOGS, 'functionProps sets a text log format: logs are not structured JSON (OPS04-BP02).');
  }
  if (given.logRetention !== undefined) {
    warn(scope, FunctionWarnings.LOG_RETENTION, 'functionProps.logRetention is deprecated and keeps the log group out of the stack; ' +
      'drop it to get an explicit, retained log group with the tier retention.');
  }
  return { props: merged, logGroup };
}

/**
 * For a function the user brought: report each telemetry element that is not on, without changing the function.
 * A function defined in the app is inspected; an imported one cannot be, so every element is reported.
 */
export function reportExistingFunction(scope: IConstruct, facts: FunctionFacts): void {
  const fn = facts.underlying;
  if (!(fn instanceof lambda.Function)) {
    const note = 'is imported, so cdk-operable cannot check or set its telemetry: make sure where it is defined that';
    warn(scope, FunctionWarnings.TRACING, `function ${fn.node.path} ${note} X-Ray tracing is Active (OPS04-BP05).`);
    warn(scope, FunctionWarnings.JSON_LOGS, `function ${fn.node.path} ${note} logs are JSON (OPS04-BP02).`);
    warn(scope, FunctionWarnings.LOG_RETENTION, `function ${fn.node.path} ${note} its log group has a retention (OPS08-BP02).`);
    warn(scope, FunctionWarnings.POWERTOOLS, `function ${fn.node.path} ${note} POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE are set.`);
    if (!facts.givenAlias) {
      warn(scope, FunctionWarnings.NO_ALIAS, `function ${fn.node.path} is imported: no version, alias or safe deployment can be created for it, ` +
        'and its SLOs measure the function itself (OPS06-BP03).');
    }
    return;
  }
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const stack = Stack.of(fn);
  const tracing = stack.resolve(cfn.tracingConfig) as { mode?: string } | undefined;
  const logging = stack.resolve(cfn.loggingConfig) as { logFormat?: string; logGroup?: unknown } | undefined;
  const environment = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  if (tracing?.mode !== 'Active') {
    warn(scope, FunctionWarnings.TRACING, `existing function ${fn.node.path} does not have X-Ray tracing Active; set tracing: Tracing.ACTIVE where it is defined (OPS04-BP05).`);
  }
  if (logging?.logFormat !== 'JSON') {
    warn(scope, FunctionWarnings.JSON_LOGS, `existing function ${fn.node.path} does not log JSON; set loggingFormat: LoggingFormat.JSON where it is defined (OPS04-BP02).`);
  }
  // An explicit log group, or the deprecated logRetention (a LogRetention custom resource), sets a retention.
  if (logging?.logGroup === undefined && fn.node.tryFindChild('LogRetention') === undefined) {
    warn(scope, FunctionWarnings.LOG_RETENTION, `existing function ${fn.node.path} logs to the Lambda-created /aws/lambda log group, which has no retention; ` +
      'give it an explicit logGroup with a retention where it is defined (OPS08-BP02).');
  }
  if (environment?.variables?.POWERTOOLS_SERVICE_NAME === undefined) {
    warn(scope, FunctionWarnings.POWERTOOLS, `existing function ${fn.node.path} has no POWERTOOLS_SERVICE_NAME; set the Powertools environment where it is defined.`);
  }
}

function warn(scope: IConstruct, id: string, message: string): void {
  Annotations.of(scope).addWarningV2(id, message);
}
