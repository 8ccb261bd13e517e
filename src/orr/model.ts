import { OpsRisk } from '../nag/best-practices';

/**
 * Where a best practice stands for a service or a workload.
 */
export enum PracticeStatus {
  /** A rule of the pack checked it on the template and found nothing wrong. */
  MET = 'MET',
  /** The template shows it is not established: the findings say where and how to fix it. */
  NOT_MET = 'NOT_MET',
  /** A rule found a gap that the team acknowledged with a reason (a risk accepted, still listed). */
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  /** No template can show it; the team attested it in its attestations file. */
  ATTESTED = 'ATTESTED',
  /** Nothing in the template shows it and nobody attested it. */
  NEEDS_ATTESTATION = 'NEEDS_ATTESTATION',
  /**
   * Its rules check templates, and none of them applies to any resource of this scope (no database, no container, no
   * queue): listed, never a risk, never needing attestation.
   */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/**
 * Maturity of a service: Bronze when every HIGH-risk practice is met or attested, Silver when every MEDIUM one is too,
 * Gold when every LOW one is too.
 */
export enum MaturityLevel {
  /** Some HIGH-risk practice is neither met nor attested. */
  NONE = 'None',
  /** Every HIGH-risk practice met or attested. */
  BRONZE = 'Bronze',
  /** Bronze, and every MEDIUM-risk practice met or attested. */
  SILVER = 'Silver',
  /** Silver, and every LOW-risk practice met or attested. */
  GOLD = 'Gold',
}

/** One rule finding on one resource. */
export interface ReadinessFinding {
  /** The rule id, e.g. `OPS-AlarmAction`. */
  readonly ruleId: string;
  /** The finding id as reported and acknowledged, e.g. `OPS-OwnershipTags[ops:tier]`. */
  readonly findingId: string;
  /** ERROR, WARN or INFO (the rule's default level). */
  readonly level: string;
  /** The construct path of the resource. */
  readonly resourcePath: string;
  /** The logical id of the resource. */
  readonly logicalId: string;
  /** The stack (cloud-assembly artifact id). */
  readonly stack: string;
  /** The CloudFormation type. */
  readonly resourceType: string;
  /** What is wrong. */
  readonly info: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * The reason given when the finding was acknowledged.
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

/** An attestation read from the workload's attestations file. */
export interface ReadinessAttestation {
  /** The best practice attested. */
  readonly practiceId: string;
  /** Who attests. */
  readonly attestedBy: string;
  /** When (YYYY-MM-DD). */
  readonly date: string;
  /** Until when it holds (YYYY-MM-DD). */
  readonly expires: string;
  /** The evidence: a URL or a sentence. */
  readonly evidence: string;
}

/** One best practice assessed for a service or a workload. */
export interface PracticeAssessment {
  /** The best-practice id, e.g. `OPS08-BP04`. */
  readonly practiceId: string;
  /** The question id, e.g. `OPS08`. */
  readonly questionId: string;
  /** The title as the framework states it. */
  readonly title: string;
  /** The risk the framework states. */
  readonly risk: OpsRisk;
  /** The framework page. */
  readonly url: string;
  /** Where it stands. */
  readonly status: PracticeStatus;
  /** The ids of the rules that give evidence for it (empty: attestation only). */
  readonly ruleIds: string[];
  /** How many resource checks of those rules passed. */
  readonly passedChecks: number;
  /** Open findings (status NOT_MET). */
  readonly findings: ReadinessFinding[];
  /** Acknowledged findings, with their reasons. */
  readonly acknowledged: ReadinessFinding[];
  /**
   * The attestation that covers it.
   * @default - not attested
   */
  readonly attestation?: ReadinessAttestation;
  /** What to do next: the fixes of the findings, or how to attest. Empty when met or attested. */
  readonly improvement: string;
}

/** The readiness of one service (resources tagged `ops:service`), of a workload as a whole, or of a stack nobody owns. */
export interface ScopeReadiness {
  /**
   * What the scope is: `service` (resources tagged `ops:service`), `workload` (every resource of a workload, by its
   * `ops:workload` tag or its stack's), or `unowned` (the resources of a stack no workload claims; every open
   * finding there is a high-risk issue).
   */
  readonly kind: string;
  /** The service name, the workload name, or for an unowned scope the stack's artifact id. */
  readonly name: string;
  /** The workload (`ops:workload`, else its stack's); `unowned` for an unowned scope. */
  readonly workload: string;
  /**
   * The tier (`ops:tier`).
   * @default - untagged
   */
  readonly tier?: string;
  /**
   * The owning team (`ops:owner`).
   * @default - untagged
   */
  readonly owner?: string;
  /**
   * The on-call contact (`ops:oncall`).
   * @default - untagged
   */
  readonly onCall?: string;
  /** How many resources it has. */
  readonly resourceCount: number;
  /** The maturity level reached. */
  readonly maturity: MaturityLevel;
  /**
   * The share (0 to 100) of the applicable practices met or attested, weighted by risk (HIGH 3, MEDIUM 2, LOW 1): ranks
   * scopes within a maturity level.
   */
  readonly score: number;
  /** Every best practice, in catalogue order. */
  readonly practices: PracticeAssessment[];
  /**
   * High-risk issues: HIGH-risk practices neither met, attested nor not applicable; in an unowned scope, also every
   * practice with an open finding.
   */
  readonly highRiskIssues: PracticeAssessment[];
  /** Medium-risk issues: MEDIUM-risk practices neither met, attested nor not applicable. */
  readonly mediumRiskIssues: PracticeAssessment[];
  /** The game days (FIS experiment templates) of this scope, by name. */
  readonly gameDays: string[];
}

/** One alarm of the app. */
export interface AlarmCatalogueEntry {
  /** The alarm name (its logical id when CloudFormation names it). */
  readonly alarmName: string;
  /** `metric` or `composite`. */
  readonly kind: string;
  /** The stack. */
  readonly stack: string;
  /** The construct path. */
  readonly resourcePath: string;
  /** PAGE, TICKET, or NONE when the description states no severity. */
  readonly severity: string;
  /**
   * The owning team (description footer, else `ops:owner`).
   * @default - unknown
   */
  readonly owner?: string;
  /**
   * The runbook or playbook it names.
   * @default - none
   */
  readonly runbook?: string;
  /**
   * The service (`ops:service`).
   * @default - none
   */
  readonly service?: string;
  /**
   * The workload (`ops:workload`).
   * @default - none
   */
  readonly workload?: string;
  /** How many alarm actions it has itself. */
  readonly actionCount: number;
  /** Whether it reaches someone (its own actions, or a composite's). */
  readonly notifies: boolean;
}

/** One SSM Automation document of the app. */
export interface RunbookInventoryEntry {
  /** The document name (its logical id when CloudFormation names it). */
  readonly documentName: string;
  /** The first heading of its description, or its name. */
  readonly title: string;
  /** The stack. */
  readonly stack: string;
  /** The construct path. */
  readonly resourcePath: string;
  /**
   * The service (`ops:service`).
   * @default - none
   */
  readonly service?: string;
  /**
   * The workload (`ops:workload`).
   * @default - none
   */
  readonly workload?: string;
  /** Step names in order. */
  readonly steps: string[];
  /** Whether a step may change state. */
  readonly changesState: boolean;
  /** Whether an aws:approve step gates it. */
  readonly approvalGate: boolean;
  /** Whether it runs as its own role. */
  readonly hasAssumeRole: boolean;
}

/** One game day: an AWS FIS experiment template of the app. */
export interface GameDayInventoryEntry {
  /** The experiment template's name (its `Name` tag, else its logical id). */
  readonly name: string;
  /** Its description (cdk-operable names the runbook it exercises there). */
  readonly description: string;
  /** The stack. */
  readonly stack: string;
  /** The construct path. */
  readonly resourcePath: string;
  /**
   * The service (`ops:service`).
   * @default - none
   */
  readonly service?: string;
  /**
   * The workload (`ops:workload`).
   * @default - none
   */
  readonly workload?: string;
  /** The FIS actions it injects, e.g. `aws:lambda:invocation-error`. */
  readonly actions: string[];
  /** The alarms that stop it (alarm names, or logical ids when CloudFormation names them); empty: it never stops early. */
  readonly stopAlarms: string[];
}

/** Totals of a readiness report. */
export interface ReadinessSummary {
  /** Services assessed. */
  readonly services: number;
  /** Services per maturity level, e.g. `{ Bronze: 2 }`. */
  readonly servicesByMaturity: { [level: string]: number };
  /** Workloads assessed. */
  readonly workloads: number;
  /** Workloads per maturity level. */
  readonly workloadsByMaturity: { [level: string]: number };
  /** Stacks no workload claims (each an unowned scope). */
  readonly unownedStacks: number;
  /** High-risk issues over the workloads and unowned scopes (each practice once per scope). */
  readonly highRiskIssues: number;
  /** Medium-risk issues over the workloads and unowned scopes. */
  readonly mediumRiskIssues: number;
  /** High-risk issues over all services. */
  readonly serviceHighRiskIssues: number;
  /** Medium-risk issues over all services. */
  readonly serviceMediumRiskIssues: number;
  /** Open findings over the whole app. */
  readonly openFindings: number;
  /** Acknowledged findings over the whole app. */
  readonly acknowledgedFindings: number;
  /**
   * The critical-tier scopes with a high-risk issue: services as `<workload>/<service>`, whole workloads as `<workload>`,
   * and every unowned scope with one as `unowned:<stack>`. The CLI's `--fail-on critical` gate fails on these.
   */
  readonly criticalWithHighRisk: string[];
  /** Services with at least one game day. */
  readonly servicesWithGameDay: number;
}

/** The operational readiness review of a cloud assembly. */
export interface ReadinessReport {
  /** The version of this JSON schema (semantic versioning; a major bump breaks readers). */
  readonly schemaVersion: string;
  /** The Well-Architected framework revision of the best practices. */
  readonly frameworkVersion: string;
  /** The rule pack: plugin name and rule count. */
  readonly rulePack: { [key: string]: string };
  /** The date the review assessed attestations against (YYYY-MM-DD). */
  readonly assessedOn: string;
  /** The cloud assemblies read (directories as given). */
  readonly assemblies: string[];
  /** The stacks read, by artifact id. */
  readonly stacks: string[];
  /** Totals. */
  readonly summary: ReadinessSummary;
  /** Each workload as a whole: every resource of it, with or without a service. */
  readonly workloads: ScopeReadiness[];
  /** Each stack no workload claims (`ops:workload` on none of its resources). */
  readonly unowned: ScopeReadiness[];
  /** Each service. */
  readonly services: ScopeReadiness[];
  /** Every alarm. */
  readonly alarms: AlarmCatalogueEntry[];
  /** Every Automation document. */
  readonly runbooks: RunbookInventoryEntry[];
  /** Every game day (FIS experiment template). */
  readonly gameDays: GameDayInventoryEntry[];
  /**
   * What changed since the baseline review.
   * @default - no baseline given
   */
  readonly sinceBaseline?: ReadinessChanges;
}

/** A high- or medium-risk issue that opened or closed since the baseline. */
export interface RiskIssueChange {
  /** The scope: `<workload>/<service>`, `<workload>` or `unowned:<stack>`. */
  readonly scope: string;
  /** `service`, `workload` or `unowned`. */
  readonly kind: string;
  /** The best practice. */
  readonly practiceId: string;
  /** HIGH or MEDIUM: which issue list it is (was) on. */
  readonly risk: string;
}

/** A scope whose maturity changed since the baseline. */
export interface MaturityChange {
  /** The scope label. */
  readonly scope: string;
  /** `service`, `workload` or `unowned`. */
  readonly kind: string;
  /** The maturity at the baseline. */
  readonly before: string;
  /** The maturity now. */
  readonly after: string;
}

/** What changed since a baseline review: the trajectory of a workload, not just its grade. */
export interface ReadinessChanges {
  /** The date the baseline assessed. */
  readonly baselineAssessedOn: string;
  /** The baseline's schema version. */
  readonly baselineSchemaVersion: string;
  /** High-risk issues (workloads and unowned scopes) at the baseline. */
  readonly highRiskIssuesBefore: number;
  /** High-risk issues now. */
  readonly highRiskIssuesAfter: number;
  /** Medium-risk issues at the baseline. */
  readonly mediumRiskIssuesBefore: number;
  /** Medium-risk issues now. */
  readonly mediumRiskIssuesAfter: number;
  /** Issues of scopes in both reviews that are no longer open. */
  readonly closed: RiskIssueChange[];
  /** Issues open now that were not (new scopes' issues included). */
  readonly opened: RiskIssueChange[];
  /** Scopes in both reviews whose maturity changed. */
  readonly maturityChanges: MaturityChange[];
  /** Scopes (services, workloads, unowned stacks) not in the baseline. */
  readonly newScopes: string[];
  /** Scopes of the baseline that are gone. */
  readonly removedScopes: string[];
}
