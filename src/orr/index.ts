export { CustomLens } from './lens';
export type { CustomLensProps } from './lens';
export { MaturityLevel, PracticeStatus } from './model';
export type {
  AlarmCatalogueEntry, GameDayInventoryEntry, PracticeAssessment, ReadinessAttestation, ReadinessFinding, ReadinessReport, ReadinessSummary,
  RunbookInventoryEntry, ScopeReadiness,
} from './model';
export { OrrLens } from './orr-lens';
export type { OrrLensProps } from './orr-lens';
export { ReadinessReview } from './readiness-review';
export type { ReadinessReviewOptions } from './readiness-review';
