import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { render } from '../../evidence';
import { defineRule } from '../../rule';

/** AppConfig validates feature-flag profiles against the feature-flag schema (flag shape, attribute constraints) itself. */
const FEATURE_FLAGS = 'AWS.AppConfig.FeatureFlags';

/**
 * Configuration managed in AppConfig is validated before it is deployed: the configuration profile has a validator
 * (a JSON Schema or a Lambda function), or is a feature-flag profile, which AppConfig validates against the flag schema
 * and the flags' attribute constraints. A profile without either lets a typo reach every environment.
 */
export default defineRule({
  name: 'ConfigurationValidation',
  area: 'deployment',
  bestPractices: ['OPS05-BP03'],
  level: NagMessageLevel.WARN,
  info: 'The AppConfig configuration profile has no validator and is not a feature-flag profile: a malformed configuration is ' +
    'deployed as it is.',
  explanation: 'OPS05-BP03 Use configuration management systems: configuration changes are made, validated and deployed through ' +
    'the system, so an invalid value is rejected before it reaches production instead of being found by users.',
  fix: 'cdk-operable FeatureFlags (a feature-flag profile with a JSON Schema validator); with plain aws-cdk-lib, validators: ' +
    '[appconfig.JsonSchemaValidator.fromInline(schema)] (or a LambdaValidator) on the HostedConfiguration or SourcedConfiguration.',
}, (node) => {
  if (node.cfnResourceType !== 'AWS::AppConfig::ConfigurationProfile') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const profile = render(node).properties;
  const validated = profile.Type === FEATURE_FLAGS || (Array.isArray(profile.Validators) && profile.Validators.length > 0);
  return validated ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
