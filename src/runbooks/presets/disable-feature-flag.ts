import { Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import { Construct, IConstruct } from 'constructs';
import { checkPresetProps, PRESET_TIMEOUT, PresetRunbookProps } from './preset-props';
import { Checks } from '../../core/checks';
import { fail } from '../../core/errors';
import { Kinds } from '../kinds';
import { buildProps, Runbook } from '../runbook';
import { Step } from '../step';
import { StepOutputType } from '../step-parts';

/** AppConfig feature flag keys. */
const FLAG_KEY = /^[a-z][a-zA-Z\d_-]{0,63}$/;

/**
 * Properties of a DisableFeatureFlag runbook.
 */
export interface DisableFeatureFlagProps extends PresetRunbookProps {
  /** The AppConfig application. */
  readonly application: appconfig.IApplication;

  /** The environment to turn the flag off in. */
  readonly environment: appconfig.IEnvironment;

  /** The feature-flag configuration (a configuration profile of type `AWS.AppConfig.FeatureFlags`). */
  readonly configuration: appconfig.IConfiguration;

  /**
   * The flags as defined in code (the `AWS.AppConfig.FeatureFlags` JSON this app deploys). The runbook deploys this
   * content with the flag off, so every other flag keeps its value from code.
   */
  readonly flagsContent: string;

  /** The flag to turn off. */
  readonly flagKey: string;

  /**
   * The deployment strategy.
   *
   * @default 'AppConfig.AllAtOnce' (a kill switch should not roll out gradually)
   */
  readonly deploymentStrategyId?: string;

  /**
   * How long to wait for the deployment, which ends after the strategy's bake time (10 minutes for AllAtOnce): whole
   * seconds, at most 7 days.
   *
   * @default Duration.minutes(20)
   */
  readonly timeout?: Duration;
}

/**
 * The kill switch of an AppConfig feature flag: create a configuration version with the flag off, deploy it all at
 * once, and wait until the deployment completes.
 *
 * @example
 * new DisableFeatureFlag(workload, 'KillNewCheckout', { application, environment, configuration, flagsContent, flagKey: 'new_checkout' });
 */
export class DisableFeatureFlag extends Runbook {
  /** The configuration the runbook deploys: `flagsContent` with the flag off. */
  public readonly disabledContent: string;

  constructor(scope: Construct, id: string, props: DisableFeatureFlagProps) {
    let disabled = '';
    super(scope, id, buildProps((self) => {
      checkPresetProps(self, 'DisableFeatureFlagProps', props, {
        application: [Kinds.application],
        environment: [Kinds.environment],
        configuration: [Kinds.configuration],
        flagsContent: [Checks.string({ tokens: false }), 'Give the AWS.AppConfig.FeatureFlags JSON the app deploys, as text known at synth (the runbook embeds it with the flag off).'],
        flagKey: [Checks.string({ tokens: false }), "Give the flag's key, e.g. 'new_checkout'."],
        deploymentStrategyId: [Checks.string({ nonEmpty: true }), "Give a strategy id such as 'AppConfig.AllAtOnce', or leave it out."],
        timeout: PRESET_TIMEOUT,
      }, ['application', 'environment', 'configuration', 'flagsContent', 'flagKey']);
      disabled = withFlagOff(self, props.flagsContent, props.flagKey);
      const app = props.application;
      const env = props.environment;
      const profileId = props.configuration.configurationProfileId;
      const profileArn = `${app.applicationArn}/configurationprofile/${profileId}`;
      const strategy = props.deploymentStrategyId ?? 'AppConfig.AllAtOnce';
      const strategyArn = Stack.of(self).formatArn({ service: 'appconfig', resource: 'deploymentstrategy', resourceName: strategy });
      const deploymentArn = `${env.environmentArn}/deployment/*`;
      const ids = { ApplicationId: app.applicationId, EnvironmentId: env.environmentId };
      const create = Step.executeAwsApi({
        name: 'CreateVersion',
        service: 'appconfig',
        api: 'CreateHostedConfigurationVersion',
        resources: [app.applicationArn, profileArn],
        inputs: {
          ApplicationId: app.applicationId,
          ConfigurationProfileId: profileId,
          Content: disabled,
          ContentType: 'application/json',
          Description: `Kill switch: ${props.flagKey} off`,
        },
        // StartDeployment takes the version as a string; Automation converts the number.
        outputs: [{ name: 'Version', selector: '$.VersionNumber' }],
        description: `Create a configuration version with ${props.flagKey} off.`,
      });
      const deploy = Step.executeAwsApi({
        name: 'Deploy',
        service: 'appconfig',
        api: 'StartDeployment',
        resources: [app.applicationArn, profileArn, env.environmentArn, strategyArn],
        inputs: { ...ids, ConfigurationProfileId: profileId, ConfigurationVersion: create.output('Version'), DeploymentStrategyId: strategy },
        outputs: [{ name: 'Number', selector: '$.DeploymentNumber', outputType: StepOutputType.INTEGER }],
        description: `Deploy it with ${strategy}.`,
      });
      const status = { ...ids, DeploymentNumber: deploy.output('Number') };
      return {
        documentName: props.documentName,
        approval: props.approval,
        title: `Turn off feature flag ${props.flagKey}`,
        description: {
          purpose: `Turn off the feature flag '${props.flagKey}' in this environment at once, keeping every other flag as defined in code.`,
          whenToUse: [`The feature behind '${props.flagKey}' hurts users (its SLO burns, errors or complaints rise).`],
          preconditions: ['No other AppConfig deployment runs in the environment (AppConfig allows one at a time).'],
          rollback: `Deploy the previous configuration version again, or turn '${props.flagKey}' back on in code and deploy.`,
        },
        steps: [
          create,
          deploy,
          Step.waitForAwsResourceProperty({
            name: 'WaitForDeployment',
            service: 'appconfig',
            api: 'GetDeployment',
            inputs: status,
            resources: [app.applicationArn, env.environmentArn, deploymentArn],
            propertySelector: '$.State',
            desiredValues: ['COMPLETE', 'ROLLED_BACK'],
            timeout: props.timeout ?? Duration.minutes(20),
            description: 'Wait until the deployment ends.',
          }),
          Step.assertAwsResourceProperty({
            name: 'VerifyComplete',
            service: 'appconfig',
            api: 'GetDeployment',
            inputs: status,
            resources: [app.applicationArn, env.environmentArn, deploymentArn],
            propertySelector: '$.State',
            desiredValues: ['COMPLETE'],
            description: 'Fail unless the deployment completed (an alarm may have rolled it back).',
          }),
        ],
        outputs: [create.output('Version'), deploy.output('Number')],
      };
    }));
    this.disabledContent = disabled;
  }
}

/** The flags JSON with `flagKey` off, after checking the flag exists. */
function withFlagOff(scope: IConstruct, content: string, flagKey: string): string {
  if (!FLAG_KEY.test(flagKey)) {
    fail(scope, `flagKey '${flagKey}' is not an AppConfig flag key: use a lowercase letter, then up to 63 letters, digits, '_' or '-'.`);
  }
  let parsed: { flags?: Record<string, unknown>; values?: Record<string, Record<string, unknown>> };
  try {
    parsed = JSON.parse(content);
  } catch {
    fail(scope, `flagsContent is not JSON (it starts '${content.slice(0, 40)}'): give the AWS.AppConfig.FeatureFlags document the app deploys.`);
  }
  if (parsed === null || typeof parsed !== 'object' || !parsed.flags?.[flagKey] || !parsed.values?.[flagKey]) {
    const known = parsed && typeof parsed === 'object' ? Object.keys(parsed.flags ?? {}) : [];
    fail(scope, `flagKey '${flagKey}' is not a flag of flagsContent with a value (flags: ${known.join(', ') || 'none'}): ` +
      'give a flag the content defines under both flags and values.');
  }
  return JSON.stringify({ ...parsed, values: { ...parsed.values, [flagKey]: { ...parsed.values[flagKey], enabled: false } } });
}
