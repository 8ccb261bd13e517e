export { OperableFunction } from './operable-function';
export type { OperableFunctionProps } from './operable-function';
export { OperableService } from './operable-service';
export type { OperableServiceProps, OperationalAlarmOptions, ServiceSloOptions } from './operable-service';
export { WorkloadRollup } from './workload-rollup';
