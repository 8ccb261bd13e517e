export { FeatureFlags } from './feature-flags';
export type { FeatureFlagsFunctionOptions, FeatureFlagsProps } from './feature-flags';
export { Flag } from './flag';
export type { FlagOptions, FlagProps } from './flag';
export { FlagAttribute } from './flag-attribute';
export type {
  BooleanAttributeProps, FlagAttributeOptions, NumberArrayAttributeProps, NumberAttributeProps, StringArrayAttributeProps, StringAttributeProps,
} from './flag-attribute';
