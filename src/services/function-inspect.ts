import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What can be read from a function without changing it (internal). */
export interface FunctionFacts {
  /** The function itself (an alias's function for an alias). */
  readonly underlying: lambda.IFunction;
  /** The alias given, when an alias was given. */
  readonly givenAlias?: lambda.Alias;
  /** Whether the function is defined in this app (so its settings can be read). */
  readonly inspectable: boolean;
  readonly logGroup: logs.ILogGroup;
  readonly reservedConcurrency?: number;
  readonly deadLetterQueue?: sqs.IQueue;
  readonly deadLetterTopic?: sns.ITopic;
  /** An `EventInvokeConfig` exists (retries, max event age or destinations were configured). */
  readonly asyncConfigured: boolean;
  readonly hasDestinations: boolean;
}

/**
 * Read what an OperableFunction needs from a function — its log group, reserved concurrency, dead-letter target and
 * async configuration — from its CloudFormation resource, never through getters that add resources (the L2
 * `logGroup` getter creates a `Custom::LogRetention` for functions without an explicit log group).
 */
export function inspectFunction(scope: Construct, fn: lambda.IFunction, knownLogGroup?: logs.ILogGroup): FunctionFacts {
  const givenAlias = fn instanceof lambda.Alias ? fn : undefined;
  const underlying = givenAlias ? givenAlias.version.lambda : fn;
  const defaultGroup = () => logs.LogGroup.fromLogGroupName(scope, 'LogGroup', `/aws/lambda/${underlying.functionName}`);
  if (!(underlying instanceof lambda.Function)) {
    return { underlying, givenAlias, inspectable: false, logGroup: knownLogGroup ?? defaultGroup(), asyncConfigured: false, hasDestinations: false };
  }
  const cfn = underlying.node.defaultChild as lambda.CfnFunction;
  const logging = cfn.loggingConfig as lambda.CfnFunction.LoggingConfigProperty | undefined;
  const logGroupName = logging && !Token.isUnresolved(logging) ? logging.logGroup : undefined;
  const reserved = Stack.of(cfn).resolve(cfn.reservedConcurrentExecutions);
  const invokeConfig = underlying.node.tryFindChild('EventInvokeConfig')?.node.defaultChild as lambda.CfnEventInvokeConfig | undefined;
  type Destinations = { onFailure?: unknown; onSuccess?: unknown } | undefined;
  const destinations = invokeConfig ? Stack.of(cfn).resolve(invokeConfig.destinationConfig) as Destinations : undefined;
  return {
    underlying,
    givenAlias,
    inspectable: true,
    logGroup: knownLogGroup ?? (logGroupName !== undefined
      ? findLogGroup(underlying, logGroupName) ?? logs.LogGroup.fromLogGroupName(scope, 'LogGroup', logGroupName)
      : defaultGroup()),
    reservedConcurrency: typeof reserved === 'number' ? reserved : undefined,
    deadLetterQueue: underlying.deadLetterQueue,
    deadLetterTopic: underlying.deadLetterTopic,
    asyncConfigured: invokeConfig !== undefined,
    hasDestinations: destinations?.onFailure !== undefined || destinations?.onSuccess !== undefined,
  };
}

/** The `logs.LogGroup` of the function's stack whose name the function's logging config references, if any. */
function findLogGroup(fn: lambda.Function, logGroupName: string): logs.ILogGroup | undefined {
  const stack = Stack.of(fn);
  const ref = (stack.resolve(logGroupName) as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref !== 'string') return undefined;
  const cfn = stack.node.findAll().find((c) => c instanceof logs.CfnLogGroup && Stack.of(c) === stack && stack.resolve(c.logicalId) === ref);
  const parent = cfn?.node.scope;
  return parent instanceof logs.LogGroup ? parent : undefined;
}
