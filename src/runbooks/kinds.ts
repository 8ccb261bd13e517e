import { Check, Checks } from '../core/checks';

/**
 * Runtime recognition of the runbook value objects and of the AWS constructs runbook props take (internal): the
 * library's own classes carry a `Symbol.for` brand (so two copies of the library still recognize each other, where
 * `instanceof` would not), aws-cdk-lib interfaces are recognized by the members the runbooks read.
 */

/** Brand `obj` as a `kind` (a `Symbol.for('cdk-operable.<kind>')` property that is not enumerable). */
export function brand(obj: object, kind: string): void {
  Object.defineProperty(obj, Symbol.for(`cdk-operable.${kind}`), { value: true });
}

/** Whether `value` carries the brand of `kind`. */
export function isBranded(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[Symbol.for(`cdk-operable.${kind}`)] === true;
}

function has(value: unknown, ...members: string[]): boolean {
  return typeof value === 'object' && value !== null && members.every((m) => (value as Record<string, unknown>)[m] !== undefined);
}

/** A check that `value` is an instance of one of the library's branded classes, described as `what`. */
export function branded(kind: string, what: string): Check {
  return Checks.instance((v) => isBranded(v, kind), what);
}

/** A check that `value` has every one of `members` (an aws-cdk-lib interface), described as `what`. */
export function shaped(what: string, ...members: string[]): Check {
  return Checks.instance((v) => has(v, ...members), what);
}

/** Strings, each non-empty. */
export const NON_EMPTY_STRINGS = Checks.arrayOf(Checks.string({ nonEmpty: true }), 'an array of non-empty strings');

/** A map of parameter name to a list of string values (`{ FunctionName: ['quotes'] }`), as Automation passes them. */
export const PARAMETER_VALUES: Check = (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return "must be a map of parameter name to a list of values, e.g. { FunctionName: ['quotes'] }";
  for (const [key, values] of Object.entries(v as Record<string, unknown>)) {
    const problem = Checks.arrayOf(Checks.string())(values);
    if (problem) return `must map each parameter to a list of strings (${key} ${problem})`;
  }
  return undefined;
};

/** The checks of the constructs and value objects runbook props take. */
export const Kinds = {
  step: branded('Step', 'a Step (Step.executeAwsApi(...), Step.approve(...), ...)'),
  parameter: branded('RunbookParameter', "a RunbookParameter (RunbookParameter.ofString('Name', { description }), ...)"),
  approval: branded('RunbookApproval', "a RunbookApproval (RunbookApproval.whenChangingState(), .by(approvers) or .none('reason'))"),
  failure: branded('StepFailure', "a StepFailure (StepFailure.ABORT, StepFailure.CONTINUE or StepFailure.goTo('Step'))"),
  choice: branded('BranchChoice', "a BranchChoice (BranchChoice.stringEquals('{{ Step.Output }}', 'value', 'NextStep'), ...)"),
  runtime: branded('ScriptRuntime', 'a ScriptRuntime (ScriptRuntime.PYTHON_3_11, ScriptRuntime.POWERSHELL_7_4 or ScriptRuntime.of(name))'),
  approvers: Checks.instance((v) => has(v, 'principals', 'minRequiredApprovals') && typeof (v as { validate?: unknown }).validate === 'function',
    'Approvers (Approvers.of({ roles: [oncallRole] }))'),
  runbook: shaped('a runbook (a Runbook, a preset, or Runbook.fromDocumentName(...))', 'documentName', 'automationDefinitionArn', 'parameters', 'passedRoleArns'),
  role: shaped('an IAM role (iam.IRole)', 'roleArn', 'grantPrincipal'),
  alarm: shaped('a CloudWatch alarm (cloudwatch.IAlarm)', 'alarmArn', 'alarmName'),
  logGroup: shaped('a log group (logs.ILogGroup)', 'logGroupArn', 'logGroupName'),
  metric: Checks.instance((v) => typeof (v as { toMetricConfig?: unknown } | null)?.toMetricConfig === 'function', 'a CloudWatch metric (cloudwatch.IMetric)'),
  queue: shaped('an SQS queue (sqs.IQueue)', 'queueArn', 'queueUrl'),
  alias: shaped('a Lambda alias (lambda.IAlias)', 'aliasName', 'version'),
  ecsService: shaped('an ECS service (ecs.IBaseService: a FargateService, an Ec2Service or an imported service)', 'serviceArn', 'serviceName', 'cluster'),
  cluster: shaped('an Aurora cluster (rds.IDatabaseCluster)', 'clusterIdentifier', 'clusterArn'),
  eksCluster: shaped('an EKS cluster (eks.ICluster from aws-eks-v2)', 'clusterName', 'clusterArn'),
  nodegroup: shaped('an EKS managed node group (eks.INodegroup from aws-eks-v2: cluster.addNodegroupCapacity(...) or Nodegroup.fromNodegroupName(...))',
    'nodegroupName', 'node'),
  application: shaped('an AppConfig application (appconfig.IApplication)', 'applicationId', 'applicationArn'),
  environment: shaped('an AppConfig environment (appconfig.IEnvironment)', 'environmentId', 'environmentArn'),
  configuration: shaped('an AppConfig configuration (appconfig.IConfiguration)', 'configurationProfileId'),
};
