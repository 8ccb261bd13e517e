import { Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  checkFeatureFlagsProps, monitor, namedInStack, owningService, pascal, validateEnvironments, validateFlags,
} from './feature-flags-checks';
import { Flag } from './flag';
import { featureFlagsDocument, featureFlagsSchema } from './flag-document';
import { EXTENSION_PORT, extensionLayerArn } from './lambda-extension';
import { Checks, checkProps, checkRequired, describeValue } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';
import { kebab, validateName } from '../core/naming';
import { ProcedureKind, registerProcedure } from '../core/procedures';
import { Workload } from '../core/workload';
import { DisableFeatureFlag } from '../runbooks/presets/disable-feature-flag';
import { RunbookApproval } from '../runbooks/runbook';
import { IOperableService } from '../services/operable-service';
import { WorkloadRollup } from '../services/workload-rollup';

/** AppConfig takes at most 5 monitors per environment. */
const MAX_MONITORS = 5;
/** AppConfig caps a validator's content at 32,768 characters. */
const MAX_VALIDATOR_LENGTH = 32768;
const SSM_DOCUMENT_NAME_LENGTH = 128;

/**
 * Properties of a set of feature flags.
 */
export interface FeatureFlagsProps {
  /** The flags, defined in code and checked at synth. */
  readonly flags: Flag[];

  /**
   * Name of the AppConfig application.
   *
   * @default `<workload>-<service>-<id in kebab case>` (without the service outside a service)
   */
  readonly applicationName?: string;

  /**
   * Name of the configuration profile (type `AWS.AppConfig.FeatureFlags`).
   *
   * @default 'feature-flags'
   */
  readonly profileName?: string;

  /**
   * The AppConfig environments the flags are deployed to; each gets the same monitors and an initial deployment.
   *
   * @default ['prod']
   */
  readonly environments?: string[];

  /**
   * Alarms that roll a flag deployment back when they fire during the rollout or its bake time (at most 5). An empty
   * list turns automatic rollback off (the rule pack's OPS-FlagMonitors then reports it).
   *
   * @default - the owning service's page composite and the workload's page composite (in this stack)
   */
  readonly monitors?: cloudwatch.IAlarm[];

  /**
   * How a new flag version rolls out, for the deployment strategy created here.
   *
   * @default FeatureFlags.DEFAULT_ROLLOUT_STRATEGY: linear, 20 % every 2 minutes over 10 minutes, then 10 minutes of bake time
   */
  readonly rolloutStrategy?: appconfig.RolloutStrategy;

  /**
   * An existing deployment strategy to use instead of creating one (then leave `rolloutStrategy` out).
   *
   * @default - a strategy created from `rolloutStrategy`
   */
  readonly existingDeploymentStrategy?: appconfig.IDeploymentStrategy;

  /**
   * The service that owns the flags, when they are not defined under it: its page composite becomes a default
   * monitor and its kill-switch runbooks are registered on it. Flags defined under an operable service belong to that
   * service; naming another one is an error.
   *
   * @default - the operable service the flags are defined under, if any
   */
  readonly service?: IOperableService;

  /**
   * Attach a JSON Schema validator to the profile that pins the flag definitions to the code, so a console edit that
   * removes a flag, changes a constraint or sets a value of the wrong type is rejected.
   *
   * @default true
   */
  readonly schemaValidator?: boolean;

  /**
   * Deletion protection of the environments and the profile (use `BYPASS` for ephemeral stacks).
   *
   * @default - DeletionProtectionCheck.ACCOUNT_DEFAULT
   */
  readonly deletionProtectionCheck?: appconfig.DeletionProtectionCheck;

  /**
   * Create a DisableFeatureFlag runbook per flag and environment: it deploys the flags as defined in code with that
   * flag off, all at once.
   *
   * @default - true when the workload has approvers or `killSwitchApproval` is given
   */
  readonly killSwitch?: boolean;

  /**
   * Approval of the kill-switch runbooks.
   *
   * @default RunbookApproval.whenChangingState(): the workload's approvers approve
   */
  readonly killSwitchApproval?: RunbookApproval;
}

/**
 * How a Lambda function reads the flags (`FeatureFlags.addToFunction`).
 */
export interface FeatureFlagsFunctionOptions {
  /**
   * The environment the function reads.
   *
   * @default - the first environment
   */
  readonly environmentName?: string;

  /**
   * Add the AWS AppConfig Lambda extension layer (for the function's architecture and the stack's region). Applies
   * only to a `lambda.Function` defined in this app.
   *
   * @default true
   */
  readonly lambdaExtension?: boolean;

  /**
   * How often the extension polls AppConfig (`AWS_APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS`), in whole seconds.
   * Applies only to a `lambda.Function` defined in this app.
   *
   * @default - the extension's default, 45 seconds
   */
  readonly pollInterval?: Duration;
}

/**
 * Feature flags that decouple "deployed" from "released" (OPS06-BP01/04): an AppConfig application, its environments
 * and a configuration profile of type `AWS.AppConfig.FeatureFlags` built from typed `Flag`s checked at synth, with a
 * JSON Schema validator that also rejects bad console edits. Each environment is monitored by the owning service's
 * and the workload's page composites, so a flag rollout that burns an SLO rolls back; every version rolls out
 * linearly with bake time (the first one too), and each flag gets a DisableFeatureFlag kill-switch runbook, registered
 * on the owning service so its alarms can name it.
 *
 * Define the flags under the operable service that reads them (or name it with `service`), then give its function
 * access with `addToFunction`.
 *
 * @example
 * const flags = new FeatureFlags(quotes, 'Flags', {
 *   flags: [Flag.ofBoolean({ key: 'new_checkout' })],
 * });
 * flags.addToFunction(quotes.lambdaFunction);
 */
export class FeatureFlags extends Construct {
  /** Linear, 20 % every 2 minutes over 10 minutes, then 10 minutes of bake time. */
  public static readonly DEFAULT_ROLLOUT_STRATEGY = appconfig.RolloutStrategy.linear({
    growthFactor: 20,
    deploymentDuration: Duration.minutes(10),
    finalBakeTime: Duration.minutes(10),
  });

  /** The workload the flags belong to. */
  public readonly workload: Workload;
  /**
   * The service that owns the flags.
   * @default - none: the flags are neither defined under an operable service nor given one
   */
  public readonly service?: IOperableService;
  /** Name of the AppConfig application. */
  public readonly applicationName: string;
  /** The AppConfig application. */
  public readonly application: appconfig.Application;
  /** The environments, in the order given. */
  public readonly environments: appconfig.Environment[];
  /** The feature-flag configuration profile and its hosted version. */
  public readonly configuration: appconfig.HostedConfiguration;
  /** The strategy every deployment uses. */
  public readonly deploymentStrategy: appconfig.IDeploymentStrategy;
  /** The alarms that roll a deployment back. */
  public readonly monitors: cloudwatch.IAlarm[];
  /** The flags. */
  public readonly flags: Flag[];
  /** The `AWS.AppConfig.FeatureFlags` document deployed (JSON). */
  public readonly content: string;
  /**
   * The JSON Schema of the profile's validator.
   * @default - none when `schemaValidator` is false
   */
  public readonly validatorSchema?: string;
  /** The kill-switch runbooks (one per flag and environment; none when `killSwitch` is false). */
  public readonly killSwitches: DisableFeatureFlag[];

  private readonly killSwitchIndex = new Map<string, DisableFeatureFlag>();

  constructor(scope: Construct, id: string, props: FeatureFlagsProps) {
    super(scope, id);
    checkFeatureFlagsProps(this, props);
    this.workload = Workload.of(this);
    this.service = owningService(this, this.workload, props.service);
    const service = this.service?.serviceName;
    this.applicationName = validateName(this, 'applicationName', props.applicationName ?? [this.workload.workloadName, service, kebab(id)]
      .filter((p) => p).join('-'));
    const profileName = validateName(this, 'profileName', props.profileName ?? 'feature-flags');
    this.flags = [...props.flags];
    validateFlags(this, this.flags);
    const environmentNames = validateEnvironments(this, props.environments ?? ['prod']);

    this.monitors = props.monitors ? [...props.monitors] : this.defaultMonitors();
    if (this.monitors.length > MAX_MONITORS) {
      fail(this, `monitors has ${this.monitors.length} alarms; an AppConfig environment takes at most ${MAX_MONITORS}. ` +
        'Pass fewer monitors (a composite alarm can combine several).');
    }

    this.content = JSON.stringify(featureFlagsDocument(this.flags));
    this.application = new appconfig.Application(this, 'Application', {
      applicationName: this.applicationName,
      description: `Feature flags of ${service ? `service ${service} of ` : ''}workload ${this.workload.workloadName} (cdk-operable).`,
    });
    const monitorRole = this.monitors.length === 0 ? undefined : new iam.Role(this, 'MonitorRole', {
      assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com'),
      description: `Lets AppConfig read the alarms that roll back ${this.applicationName} deployments (cdk-operable)`,
      inlinePolicies: {
        DescribeAlarms: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] })] }),
      },
    });
    this.environments = environmentNames.map((name) => new appconfig.Environment(this, `Environment${pascal(name)}`, {
      application: this.application,
      environmentName: name,
      monitors: this.monitors.map((alarm) => monitor(this, alarm, monitorRole!)),
      deletionProtectionCheck: props.deletionProtectionCheck,
    }));
    this.deploymentStrategy = props.existingDeploymentStrategy ?? new appconfig.DeploymentStrategy(this, 'DeploymentStrategy', {
      deploymentStrategyName: `${this.applicationName}-rollout`.slice(0, 64),
      rolloutStrategy: props.rolloutStrategy ?? FeatureFlags.DEFAULT_ROLLOUT_STRATEGY,
      description: `Rolls out ${this.applicationName}; the environment's monitors roll it back.`,
    });

    let validators: appconfig.IValidator[] | undefined;
    if (props.schemaValidator ?? true) {
      this.validatorSchema = JSON.stringify(featureFlagsSchema(this.flags, `${this.applicationName}/${profileName}`));
      if (this.validatorSchema.length > MAX_VALIDATOR_LENGTH) {
        fail(this, `the JSON Schema validator of ${this.flags.length} flags is ${this.validatorSchema.length} characters; AppConfig allows ` +
          `${MAX_VALIDATOR_LENGTH}. Split the flags into several FeatureFlags, or set schemaValidator: false.`);
      }
      validators = [appconfig.JsonSchemaValidator.fromInline(this.validatorSchema)];
    }
    this.configuration = new appconfig.HostedConfiguration(this, 'Configuration', {
      application: this.application,
      name: profileName,
      type: appconfig.ConfigurationType.FEATURE_FLAGS,
      content: appconfig.ConfigurationContent.fromInlineJson(this.content),
      validators,
      deploymentStrategy: this.deploymentStrategy,
      deployTo: this.environments,
      deletionProtectionCheck: props.deletionProtectionCheck,
      description: `Flags ${this.flags.map((f) => f.key).join(', ')}`.slice(0, 1024),
    });

    // Monitors named by ARN carry no reference: the deployments still wait for the alarms to exist.
    const deployments = this.configuration.node.children.filter((c): c is appconfig.CfnDeployment => c instanceof appconfig.CfnDeployment);
    this.monitors.filter((a) => namedInStack(this, a) !== undefined).forEach((a) => deployments.forEach((d) => d.node.addDependency(a)));

    this.killSwitches = [];
    const killSwitch = props.killSwitch ?? (this.workload.approvers !== undefined || props.killSwitchApproval !== undefined);
    if (killSwitch) {
      this.environments.forEach((environment, i) => this.flags.forEach((flag) => {
        const documentName = `${this.applicationName}-${environmentNames[i]}-disable-${flag.key}`;
        if (documentName.length > SSM_DOCUMENT_NAME_LENGTH) {
          fail(this, `the kill-switch runbook name '${documentName}' is ${documentName.length} characters; SSM allows ` +
            `${SSM_DOCUMENT_NAME_LENGTH}. Shorten applicationName, the environment name or the flag key.`);
        }
        const runbook = new DisableFeatureFlag(this, `KillSwitch-${environmentNames[i]}-${flag.key}`, {
          application: this.application,
          environment,
          configuration: this.configuration,
          flagsContent: this.content,
          flagKey: flag.key,
          documentName,
          approval: props.killSwitchApproval,
        });
        this.killSwitches.push(runbook);
        this.killSwitchIndex.set(`${environmentNames[i]}/${flag.key}`, runbook);
        if (this.service) {
          registerProcedure(this.service, {
            documentName, kind: ProcedureKind.RUNBOOK, purpose: `turn flag ${flag.key} off in ${environmentNames[i]}`, definedBy: runbook,
          });
        }
      }));
    } else if (props.killSwitch === undefined) {
      warn(this, Warnings.NO_KILL_SWITCH, `no kill-switch runbook: workload '${this.workload.workloadName}' has no ` +
        "approvers. Set approvers on the Workload, give killSwitchApproval (e.g. RunbookApproval.none('reason')), or set killSwitch: false (OPS10-BP02).");
    }
  }

  /** The environment named `environmentName`. */
  public environment(environmentName: string): appconfig.Environment {
    const found = this.environments.find((e) => e.name === environmentName);
    if (!found) {
      fail(this, `has no environment '${environmentName}' (environments: ${this.environments.map((e) => e.name).join(', ')}).`);
    }
    return found!;
  }

  /**
   * The kill-switch runbook of a flag in an environment (the first one by default), or undefined without kill switches.
   */
  public killSwitch(flagKey: string, environmentName?: string): DisableFeatureFlag | undefined {
    if (!this.flags.some((f) => f.key === flagKey)) {
      fail(this, `has no flag '${flagKey}' (flags: ${this.flags.map((f) => f.key).join(', ')}).`);
    }
    const env = this.environmentOrFirst(environmentName);
    return this.killSwitchIndex.get(`${env.name}/${flagKey}`);
  }

  /**
   * Let `grantee` read the flags at runtime (`appconfig:StartConfigurationSession`, `appconfig:GetLatestConfiguration`
   * on this profile in every environment).
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      resourceArns: this.environments.map((e) => `${e.environmentArn}/configuration/${this.configuration.configurationProfileId}`),
    });
  }

  /**
   * What an application needs to fetch the flags through the AppConfig Lambda extension or agent:
   * `FEATURE_FLAGS_APPLICATION`, `FEATURE_FLAGS_ENVIRONMENT`, `FEATURE_FLAGS_PROFILE` (ids),
   * `FEATURE_FLAGS_URL` (`http://localhost:2772/applications/…/environments/…/configurations/…`; add `?flag=<key>` for
   * one flag) and `AWS_APPCONFIG_EXTENSION_PREFETCH_LIST` (the extension fetches the flags when the function starts).
   */
  public environmentVariables(environmentName?: string): { [key: string]: string } {
    const env = this.environmentOrFirst(environmentName);
    const path = `/applications/${this.application.applicationId}/environments/${env.environmentId}/configurations/` +
      this.configuration.configurationProfileId;
    return {
      FEATURE_FLAGS_APPLICATION: this.application.applicationId,
      FEATURE_FLAGS_ENVIRONMENT: env.environmentId,
      FEATURE_FLAGS_PROFILE: this.configuration.configurationProfileId,
      FEATURE_FLAGS_URL: `http://localhost:${EXTENSION_PORT}${path}`,
      AWS_APPCONFIG_EXTENSION_PREFETCH_LIST: path,
    };
  }

  /**
   * Let a Lambda function read the flags. A `lambda.Function` defined in this app gets the environment variables of
   * `environmentVariables()`, the AppConfig Lambda extension layer and read access. Any other function (imported, an
   * alias or a version) cannot be modified here: it gets read access and a `cdk-operable:feature-flags-existing-function`
   * warning naming what to add where it is defined.
   */
  public addToFunction(fn: lambda.IFunction, options: FeatureFlagsFunctionOptions = {}): void {
    checkRequired(this, 'fn', fn, Checks.instance((v) => v !== null && typeof v === 'object' && typeof (v as lambda.IFunction).functionArn === 'string' &&
      typeof (v as lambda.IFunction).grantPrincipal === 'object', 'a Lambda function (lambda.IFunction)'), 'Pass the function that reads the flags.');
    checkProps(this, 'FeatureFlagsFunctionOptions', options, {
      environmentName: [Checks.string()],
      lambdaExtension: [Checks.boolean],
      pollInterval: [Checks.duration({ wholeSeconds: true, minSeconds: 1 }), 'The extension polls every whole number of seconds, e.g. Duration.seconds(45).'],
    });
    const variables = this.environmentVariables(options.environmentName);
    if (!(fn instanceof lambda.Function)) {
      this.addToUnmodifiable(fn, options, variables);
      return;
    }
    for (const [key, value] of Object.entries(variables)) fn.addEnvironment(key, value);
    if (options.pollInterval !== undefined) fn.addEnvironment('AWS_APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS', `${options.pollInterval.toSeconds()}`);
    if ((options.lambdaExtension ?? true) && !fn.node.tryFindChild('AppConfigExtension')) {
      fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(fn, 'AppConfigExtension', extensionLayerArn(this, fn.architecture)));
    }
    this.grantRead(fn);
  }

  private environmentOrFirst(environmentName?: string): appconfig.Environment {
    return environmentName === undefined ? this.environments[0] : this.environment(environmentName);
  }

  /** Read access and a warning for a function this construct must not modify; settings that would be lost are errors. */
  private addToUnmodifiable(fn: lambda.IFunction, options: FeatureFlagsFunctionOptions, variables: { [key: string]: string }): void {
    const alias = fn as Partial<lambda.IAlias>;
    const version = fn as Partial<lambda.IVersion>;
    const what = alias.aliasName !== undefined ? `alias ${fn.node.path}` : version.version !== undefined && version.lambda !== undefined
      ? `version ${fn.node.path}` : `imported function ${fn.node.path}`;
    const own = alias.version?.lambda ?? version.lambda;
    const hint = own instanceof lambda.Function ? ` (its function ${own.node.path} is defined in this app: pass that function instead)` : '';
    for (const [prop, value] of [['pollInterval', options.pollInterval], ['lambdaExtension', options.lambdaExtension === true ? true : undefined]] as const) {
      if (value !== undefined) {
        fail(this, `addToFunction: ${prop} is ${describeValue(value)}, but ${what} is not a lambda.Function defined in this app, so it cannot be ` +
          `changed here${hint}: remove ${prop} and configure the extension where the function is defined.`);
      }
    }
    this.grantRead(fn);
    warn(this, Warnings.FEATURE_FLAGS_EXISTING_FUNCTION, `${what} is not modified (not a lambda.Function defined in this app)${hint}: it can read ` +
      `the flags, but add the AppConfig Lambda extension layer and the environment variables ${Object.keys(variables).join(', ')} of this ` +
      "construct's environmentVariables() where the function is defined.");
  }

  /** The owning service's page composite and the workload's page composite in this stack. */
  private defaultMonitors(): cloudwatch.IAlarm[] {
    const service = this.service;
    const rollup = WorkloadRollup.of(this);
    if (!service) {
      const stack = Stack.of(this);
      this.node.addValidation({
        validate: () => (this.workload.registeredPageAlarms.some((a) => Stack.of(a) === stack) ? [] : [
          `FeatureFlags '${this.applicationName}' is monitored by workload '${this.workload.workloadName}''s page composite, but no service ` +
          `or SLO of the workload pages in stack '${stack.stackName}', so no flag rollout would ever roll back. Define the flags under an ` +
          'operable service (or give service), add a service to this stack, or pass monitors.',
        ]),
      });
    }
    return service ? [service.pageAlarm, rollup.pageAlarm] : [rollup.pageAlarm];
  }
}
