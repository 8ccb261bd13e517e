export { BurnRatePolicy, PairCombination } from './burn-rate-policy';
export type { BurnRatePolicyOptions } from './burn-rate-policy';
export { BurnRateWindow } from './burn-rate-window';
export type { BurnRateWindowOptions, BurnRateWindowProps } from './burn-rate-window';
export { Sli, SliKind } from './sli';
export type { LatencySliProps, PercentGoodSliProps, RatioSliProps } from './sli';
export { ServiceLevelObjective } from './slo';
export type { ServiceLevelObjectiveProps } from './slo-props';
