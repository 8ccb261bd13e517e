import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { Flag } from './flag';
import { Check, Checks, checkProps, checkRequired, describeValue, isDuration } from '../core/checks';
import { fail } from '../core/errors';
import { validateName } from '../core/naming';
import { Workload } from '../core/workload';
import { IOperableService, OperableService } from '../services/operable-service';

/**
 * Runtime checks and template helpers of `FeatureFlags` (internal).
 */

const FLAG = Checks.instance(Flag.isFlag, 'a Flag (new Flag({ key, ... }) or Flag.ofBoolean({ key }))');

/** A CloudWatch alarm (any `IAlarm`: an L2, an imported one). */
export const isAlarm = (v: unknown): boolean => v !== null && typeof v === 'object' &&
  typeof (v as cloudwatch.IAlarm).alarmArn === 'string' && typeof (v as cloudwatch.IAlarm).alarmName === 'string';

/** A RunbookApproval made by one of its factories (duck-typed: works across copies of this library). */
const isRunbookApproval = (v: unknown): boolean => v !== null && typeof v === 'object' &&
  ['auto', 'explicit', 'none'].includes((v as { _mode?: unknown })._mode as string);

/** An operable service: one of ours, or any construct shaped like `IOperableService`. */
export const isOperableServiceLike = (v: unknown): boolean => OperableService.isOperableService(v) || (v !== null && typeof v === 'object' &&
  typeof (v as IOperableService).node === 'object' && typeof (v as IOperableService).serviceName === 'string' && isAlarm((v as IOperableService).pageAlarm));

const CHECKS: Record<string, readonly [Check, string?]> = {
  flags: [Checks.arrayOf(FLAG, 'an array of Flag')],
  applicationName: [Checks.string({ tokens: false }), 'Give a literal name, or leave applicationName out.'],
  profileName: [Checks.string({ tokens: false }), 'Give a literal name, or leave profileName out.'],
  environments: [Checks.arrayOf(Checks.string({ tokens: false }), 'an array of environment names'), "e.g. environments: ['staging', 'prod']."],
  monitors: [Checks.arrayOf(Checks.instance(isAlarm, 'a CloudWatch alarm (cloudwatch.IAlarm)'), 'an array of alarms')],
  rolloutStrategy: [Checks.instance((v) => v !== null && typeof v === 'object' && typeof (v as appconfig.RolloutStrategy).growthFactor === 'number' &&
    isDuration((v as appconfig.RolloutStrategy).deploymentDuration), 'an appconfig.RolloutStrategy'), 'e.g. RolloutStrategy.linear({ ... }).'],
  existingDeploymentStrategy: [Checks.instance((v) => v !== null && typeof v === 'object' &&
    typeof (v as appconfig.IDeploymentStrategy).deploymentStrategyId === 'string', 'an appconfig.IDeploymentStrategy'),
  'e.g. DeploymentStrategy.fromDeploymentStrategyId(scope, id, DeploymentStrategyId.ALL_AT_ONCE).'],
  schemaValidator: [Checks.boolean],
  deletionProtectionCheck: [Checks.enumOf(appconfig.DeletionProtectionCheck, 'DeletionProtectionCheck')],
  killSwitch: [Checks.boolean],
  killSwitchApproval: [Checks.instance(isRunbookApproval, 'a RunbookApproval'), 'e.g. RunbookApproval.none(reason) or RunbookApproval.by(approvers).'],
  service: [Checks.instance(isOperableServiceLike, 'an operable service (IOperableService, e.g. an OperableFunction)')],
};

/** Check the props' shapes (for plain JavaScript callers) and the conflicts between them. */
export function checkFeatureFlagsProps(scope: IConstruct, props: unknown): void {
  checkProps(scope, 'FeatureFlagsProps', props, CHECKS);
  const given = props as Record<string, unknown>;
  checkRequired(scope, 'flags', given.flags, CHECKS.flags[0], "e.g. flags: [Flag.ofBoolean({ key: 'new_checkout' })].");
  if (given.deploymentStrategy !== undefined) {
    fail(scope, `deploymentStrategy was renamed existingDeploymentStrategy, got ${describeValue(given.deploymentStrategy)}: rename the prop ` +
      '(it would otherwise be ignored).');
  }
  if (given.rolloutStrategy !== undefined && given.existingDeploymentStrategy !== undefined) {
    fail(scope, 'give rolloutStrategy (to create a deployment strategy) or existingDeploymentStrategy (an existing one), not both.');
  }
  if (given.killSwitch === false && given.killSwitchApproval !== undefined) {
    fail(scope, 'killSwitchApproval is set but killSwitch is false: remove killSwitchApproval, or the killSwitch: false.');
  }
}

/**
 * The service that owns the flags: the operable service they are defined under (found on the scopes), or the one
 * named by `service`. Naming another service than the enclosing one, or a service of another workload, is an error.
 */
export function owningService(scope: IConstruct, workload: Workload, given?: IOperableService): IOperableService | undefined {
  const enclosing = [...scope.node.scopes].reverse().find((s) => s !== scope && OperableService.isOperableService(s)) as IOperableService | undefined;
  if (given !== undefined && enclosing !== undefined && given !== enclosing) {
    fail(scope, `service is ${given.node.path} ('${given.serviceName}'), but the flags are defined under service ${enclosing.node.path} ` +
      `('${enclosing.serviceName}'), which owns them: leave service out, or define the flags outside ${enclosing.node.path}.`);
  }
  const service = enclosing ?? given;
  if (service !== undefined && service.workload !== workload) {
    fail(scope, `service ${service.node.path} belongs to workload '${service.workload.workloadName}', but the flags are defined in workload ` +
      `'${workload.workloadName}': define the flags inside the service's workload, or name a service of '${workload.workloadName}'.`);
  }
  return service;
}

/** Every flag is a checked Flag, and keys are unique. */
export function validateFlags(scope: IConstruct, flags: Flag[]): void {
  if (flags.length === 0) fail(scope, "flags is empty: give at least one Flag, e.g. Flag.ofBoolean({ key: 'new_checkout' }).");
  const seen = new Set<string>();
  for (const flag of flags) {
    flag._validate(scope);
    if (seen.has(flag.key)) fail(scope, `flag key '${flag.key}' is used by two flags: give each flag its own key.`);
    seen.add(flag.key);
  }
}

/** At least one valid environment name; no two that map to the same construct id. */
export function validateEnvironments(scope: IConstruct, names: string[]): string[] {
  if (names.length === 0) fail(scope, "environments is empty: give at least one environment name, e.g. ['prod'].");
  names.forEach((n) => validateName(scope, 'environment name', n));
  const ids = names.map(pascal);
  const clash = names.find((_, i) => ids.indexOf(ids[i]) !== i);
  if (clash !== undefined) fail(scope, `environment name '${clash}' is given twice (or differs from another only in case, '-', '_' or '.').`);
  return [...names];
}

/** `pre-prod` → `PreProd`, for construct ids. */
export function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter((p) => p).map((p) => p[0].toUpperCase() + p.slice(1).toLowerCase()).join('');
}

/**
 * An AppConfig monitor. An alarm of this stack with a fixed name is referenced by an ARN built from its name, not
 * `Fn::GetAtt`: a service's page composite watches the service's function, which reads the flags, so a reference
 * would close a cycle (function → environment → page composite → window alarm → function).
 */
export function monitor(scope: IConstruct, alarm: cloudwatch.IAlarm, role: iam.IRole): appconfig.Monitor {
  const name = namedInStack(scope, alarm);
  if (name === undefined) return appconfig.Monitor.fromCloudWatchAlarm(alarm, role);
  const alarmArn = Stack.of(alarm).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return appconfig.Monitor.fromCfnMonitorsProperty({ alarmArn, alarmRoleArn: role.roleArn });
}

/** The fixed name of an alarm or composite alarm defined in `scope`'s stack, or undefined. */
export function namedInStack(scope: IConstruct, alarm: cloudwatch.IAlarm): string | undefined {
  const cfn = alarm.node.defaultChild;
  if (!(cfn instanceof cloudwatch.CfnAlarm || cfn instanceof cloudwatch.CfnCompositeAlarm) || Stack.of(cfn) !== Stack.of(scope)) return undefined;
  const name = cfn.alarmName;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}
