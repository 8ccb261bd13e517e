export { OpsArea, OpsBestPractices, OpsRisk } from './best-practices';
export type { OpsBestPractice, OpsQuestion } from './best-practices';
export { OperationalExcellenceChecks } from './pack';
export type { OperationalExcellenceChecksProps } from './pack';
export type { OpsRule } from './rule';
