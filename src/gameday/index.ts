export { GameDay } from './game-day';
export type { GameDayProps } from './game-day';
export { GameDayExperiment } from './experiment';
export type {
  AuroraFailoverOptions, EcsNetworkLatencyOptions, EcsStopTasksOptions, GameDayExperimentOptions, LambdaAddedLatencyOptions, LambdaFaultOptions,
  LambdaInvocationErrorsOptions,
} from './experiment';
export { LambdaFaultConfiguration } from './lambda-fault-configuration';
