export { CustomLens } from './lens';
export type { CustomLensProps, LensCrosswalkEntry, LensReleasePlan } from './lens';
export { MaturityLevel, PracticeStatus } from './model';
export type {
  AlarmCatalogueEntry, GameDayInventoryEntry, MaturityChange, PracticeAssessment, ReadinessAttestation, ReadinessChanges, ReadinessFinding,
  ReadinessReport, ReadinessSummary, RiskIssueChange, RunbookInventoryEntry, ScopeReadiness,
} from './model';
export { OrrLens } from './orr-lens';
export type { OrrLensProps } from './orr-lens';
export { ReadinessReview } from './readiness-review';
export type { ReadinessReviewOptions } from './readiness-review';
export { WellArchitectedAnswers } from './wa-answers';
export type { WellArchitectedAnswer, WellArchitectedAnswersOptions, WellArchitectedChoiceUpdate, WellArchitectedMilestone } from './wa-answers';
