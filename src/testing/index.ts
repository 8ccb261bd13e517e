export { MetricSeries, TrafficSeries } from './series';
export type { BurnRateTrafficProps, RandomTrafficProps, SteadyTrafficProps } from './series';
export { AlarmSimulator, SimulationResult } from './simulator';
export type { AlarmNotification, AlarmStateChange, MetricIdentity, SimulationOptions } from './simulator';
