import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import type { FunctionFacts } from './function-inspect';
import type { OperableFunctionProps } from './operable-function';
import { SERVICE_PROP_CHECKS, SLO_DEFAULT_CHECKS } from './operable-service';
import { Check, Checks, checkProps } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';

const isFunction = (v: unknown) => typeof (v as lambda.IFunction | undefined)?.functionArn === 'string' && typeof (v as lambda.IFunction).metricErrors === 'function';

/** CloudWatch namespaces: 1-255 characters of this set; `AWS/` is reserved for AWS services (PutMetricData rejects it). */
const NAMESPACE = /^[0-9A-Za-z.\-_/#:]{1,255}$/;

/** Every prop of OperableFunctionProps and its check (a prop missing here is reported as unknown). */
const CHECKS: Record<string, readonly [Check, string?]> = {
  ...SERVICE_PROP_CHECKS,
  ...SLO_DEFAULT_CHECKS,
  functionProps: [Checks.object('lambda.FunctionProps')],
  existingFunction: [Checks.instance(isFunction, 'a lambda.IFunction (a Function, an Alias or Function.fromFunctionArn(...))')],
  logRetention: [Checks.enumOf(logs.RetentionDays, 'logs.RetentionDays'), 'E.g. logs.RetentionDays.SIX_MONTHS.'],
  applicationLogLevel: [Checks.enumOf(lambda.ApplicationLogLevel, 'lambda.ApplicationLogLevel'), 'E.g. lambda.ApplicationLogLevel.INFO.'],
  systemLogLevel: [Checks.enumOf(lambda.SystemLogLevel, 'lambda.SystemLogLevel'), 'E.g. lambda.SystemLogLevel.WARN.'],
  lambdaInsights: [Checks.boolean],
  metricsNamespace: [Checks.string({
    nonEmpty: true,
    pattern: NAMESPACE,
    patternText: "1-255 letters, digits or . - _ / # : (a CloudWatch namespace), e.g. 'freight'",
  })],
  safeDeployment: [Checks.boolean],
  rollbackRunbook: [Checks.boolean],
  deploymentConfig: [Checks.object('a codedeploy.ILambdaDeploymentConfig (e.g. LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES)')],
  deploymentAlarms: [Checks.arrayOf(Checks.instance((a) => typeof (a as { alarmArn?: unknown } | undefined)?.alarmArn === 'string', 'a cloudwatch.IAlarm'))],
  aliasName: [Checks.string({ pattern: /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/, patternText: "1-128 letters, digits, '-' or '_', not only digits" })],
  concurrencyAlarmPercent: [Checks.number({ above: 0, max: 100 })],
  concurrencyLimit: [Checks.number({ integer: true, min: 1 })],
  throttleAlarm: [Checks.boolean],
  asyncInvocation: [Checks.boolean],
  deadLetterQueue: [Checks.instance((q) => typeof (q as { queueArn?: unknown } | undefined)?.queueArn === 'string', 'an sqs.IQueue')],
  // Removed: FeatureFlags now attach themselves to a function (new FeatureFlags(service, id, props).addToFunction(fn)).
  featureFlags: [() => 'was removed: create new FeatureFlags(thisService, \'Flags\', { flags }) and call flags.addToFunction(service.lambdaFunction)'],
};

/** Props that configure a function cdk-operable creates. */
const CREATE_ONLY = ['logRetention', 'applicationLogLevel', 'systemLogLevel', 'lambdaInsights', 'metricsNamespace'] as const;
/** Props that describe a function you bring. */
const EXISTING_ONLY = ['deadLetterQueue'] as const;

/** Check the props of an OperableFunction: their shapes, and that each one applies to the path taken (create or bring your own). */
export function validateFunctionProps(scope: IConstruct, props: OperableFunctionProps): void {
  checkProps(scope, 'OperableFunctionProps', props, CHECKS, '', { exhaustive: true });
  if ((props.functionProps === undefined) === (props.existingFunction === undefined)) {
    fail(scope, props.functionProps
      ? 'give either functionProps (to create the function) or existingFunction (to make an existing one operable), not both.'
      : 'give functionProps (to create the function) or existingFunction (to make an existing one operable).');
  }
  if (props.existingFunction) {
    const given = CREATE_ONLY.filter((k) => props[k] !== undefined);
    if (given.length > 0) {
      fail(scope, `${given.map((k) => `${k} (${String(props[k])})`).join(', ')} ${given.length === 1 ? 'configures' : 'configure'} a function cdk-operable ` +
        'creates; with existingFunction, set ' + (given.length === 1 ? 'it' : 'them') + ' where the function is defined.');
    }
  } else {
    const given = EXISTING_ONLY.filter((k) => props[k] !== undefined);
    if (given.length > 0) {
      fail(scope, `${given.join(', ')} describes a function you bring (existingFunction); for the function cdk-operable creates, set ` +
        'functionProps.deadLetterQueue (or deadLetterQueueEnabled) instead: its depth is then alarmed.');
    }
  }
  const namespace = props.metricsNamespace;
  if (namespace !== undefined && !Token.isUnresolved(namespace) && namespace.toUpperCase().startsWith('AWS/')) {
    fail(scope, `metricsNamespace '${namespace}' starts with 'AWS/', which CloudWatch reserves for AWS services: PutMetricData rejects it. ` +
      "Use your own, e.g. the workload name 'freight'.");
  }
}

/** Deployment settings must apply to something: never silently ignored. */
export function validateDeploymentSettings(scope: IConstruct, props: OperableFunctionProps, facts: FunctionFacts, createsAlias: boolean): void {
  const given = (['deploymentConfig', 'deploymentAlarms', 'aliasName'] as const).filter((k) => props[k] !== undefined);
  if (props.safeDeployment === true && !createsAlias) {
    fail(scope, facts.givenAlias
      ? `safeDeployment is true, but existingFunction is the alias ${facts.givenAlias.aliasName}, which cdk-operable does not deploy: give it a ` +
        "LambdaDeploymentGroup watching this service's pageAlarm where the alias is defined, or pass the function instead of the alias."
      : 'safeDeployment is true, but existingFunction is imported: no version, alias or deployment group can be created for it. Deploy it ' +
        'safely where it is defined, or leave safeDeployment unset.');
  }
  if (given.length === 0) {
    if (facts.givenAlias && props.safeDeployment !== false) {
      warn(scope, Warnings.FUNCTION_DEPLOYMENT, `existingFunction is the alias ${facts.givenAlias.aliasName}: cdk-operable does ` +
        "not attach a deployment group to an alias it does not own. Give it a LambdaDeploymentGroup watching this service's pageAlarm (OPS06-BP03).");
    }
    return;
  }
  const why = props.safeDeployment === false ? 'safeDeployment is false'
    : facts.givenAlias ? 'existingFunction is an alias cdk-operable does not deploy'
      : !createsAlias ? (facts.inspectable
        ? 'an existingFunction is deployed without an alias unless safeDeployment is true (its callers invoke the function itself)'
        : 'existingFunction is imported, so no alias or deployment group can be created')
        : undefined;
  if (why) fail(scope, `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set, but ${why}: remove ${given.length === 1 ? 'it' : 'them'}.`);
}
