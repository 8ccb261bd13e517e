import { fail } from '../core/errors';

/**
 * The risk the Well-Architected Framework states for a best practice that is not established
 * ("Level of risk exposed if this best practice is not established").
 */
export enum OpsRisk {
  /** High risk: a missing practice is a high-risk issue (HRI). */
  HIGH = 'HIGH',
  /** Medium risk: a missing practice is a medium-risk issue (MRI). */
  MEDIUM = 'MEDIUM',
  /** Low risk. */
  LOW = 'LOW',
}

/**
 * The four areas of the Operational Excellence pillar.
 */
export enum OpsArea {
  /** OPS01–OPS03: priorities, operating model, culture. */
  ORGANIZATION = 'Organization',
  /** OPS04–OPS07: observability, delivery, deployment risk, readiness. */
  PREPARE = 'Prepare',
  /** OPS08–OPS10: using observability, operations health, event management. */
  OPERATE = 'Operate',
  /** OPS11: evolving operations. */
  EVOLVE = 'Evolve',
}

/**
 * One question of the Operational Excellence pillar (OPS01–OPS11).
 */
export interface OpsQuestion {
  /** The question id, e.g. `OPS08`. */
  readonly id: string;
  /** The question as the framework asks it. */
  readonly title: string;
  /** The pillar area the question belongs to. */
  readonly area: OpsArea;
  /** The framework page of the question. */
  readonly url: string;
}

/**
 * One best practice of the Operational Excellence pillar.
 */
export interface OpsBestPractice {
  /** The best-practice id, e.g. `OPS08-BP04`. */
  readonly id: string;
  /** The question it answers, e.g. `OPS08`. */
  readonly questionId: string;
  /** The title as the framework states it. */
  readonly title: string;
  /** The risk the framework states when the practice is not established. */
  readonly risk: OpsRisk;
  /** The framework page of the practice. */
  readonly url: string;
}

const FRAMEWORK_URL = 'https://docs.aws.amazon.com/wellarchitected/latest/framework';

function q(id: string, area: OpsArea, title: string): OpsQuestion {
  return { id, area, title, url: `${FRAMEWORK_URL}/${id.toLowerCase().replace('ops', 'ops-')}.html` };
}

function bp(id: string, risk: OpsRisk, title: string, slug: string): OpsBestPractice {
  return { id, questionId: id.slice(0, 5), title, risk, url: `${FRAMEWORK_URL}/${slug}.html` };
}

const QUESTIONS: OpsQuestion[] = [
  q('OPS01', OpsArea.ORGANIZATION, 'How do you determine what your priorities are?'),
  q('OPS02', OpsArea.ORGANIZATION, 'How do you structure your organization to support your business outcomes?'),
  q('OPS03', OpsArea.ORGANIZATION, 'How does your organizational culture support your business outcomes?'),
  q('OPS04', OpsArea.PREPARE, 'How do you implement observability in your workload?'),
  q('OPS05', OpsArea.PREPARE, 'How do you reduce defects, ease remediation, and improve flow into production?'),
  q('OPS06', OpsArea.PREPARE, 'How do you mitigate deployment risks?'),
  q('OPS07', OpsArea.PREPARE, 'How do you know that you are ready to support a workload?'),
  q('OPS08', OpsArea.OPERATE, 'How do you utilize workload observability in your organization?'),
  q('OPS09', OpsArea.OPERATE, 'How do you understand the health of your operations?'),
  q('OPS10', OpsArea.OPERATE, 'How do you manage workload and operations events?'),
  q('OPS11', OpsArea.EVOLVE, 'How do you evolve operations?'),
];

// Titles, risks and page slugs as the framework states them (version below); 68 practices: 30 HIGH, 31 MEDIUM, 7 LOW.
const PRACTICES: OpsBestPractice[] = [
  // OPS01
  bp('OPS01-BP01', OpsRisk.HIGH, 'Evaluate external customer needs', 'ops_priorities_ext_cust_needs'),
  bp('OPS01-BP02', OpsRisk.HIGH, 'Evaluate internal customer needs', 'ops_priorities_int_cust_needs'),
  bp('OPS01-BP03', OpsRisk.HIGH, 'Evaluate governance requirements', 'ops_priorities_governance_reqs'),
  bp('OPS01-BP04', OpsRisk.HIGH, 'Evaluate compliance requirements', 'ops_priorities_compliance_reqs'),
  bp('OPS01-BP05', OpsRisk.MEDIUM, 'Evaluate threat landscape', 'ops_priorities_eval_threat_landscape'),
  bp('OPS01-BP06', OpsRisk.MEDIUM, 'Evaluate tradeoffs while managing benefits and risks', 'ops_priorities_eval_tradeoffs'),
  // OPS02
  bp('OPS02-BP01', OpsRisk.HIGH, 'Resources have identified owners', 'ops_ops_model_def_resource_owners'),
  bp('OPS02-BP02', OpsRisk.HIGH, 'Processes and procedures have identified owners', 'ops_ops_model_def_proc_owners'),
  bp('OPS02-BP03', OpsRisk.HIGH, 'Operations activities have identified owners responsible for their performance', 'ops_ops_model_def_activity_owners'),
  bp('OPS02-BP04', OpsRisk.HIGH, 'Mechanisms exist to manage responsibilities and ownership', 'ops_ops_model_def_responsibilities_ownership'),
  bp('OPS02-BP05', OpsRisk.MEDIUM, 'Mechanisms exist to request additions, changes, and exceptions', 'ops_ops_model_req_add_chg_exception'),
  bp('OPS02-BP06', OpsRisk.LOW, 'Responsibilities between teams are predefined or negotiated', 'ops_ops_model_def_neg_team_agreements'),
  // OPS03
  bp('OPS03-BP01', OpsRisk.HIGH, 'Provide executive sponsorship', 'ops_org_culture_executive_sponsor'),
  bp('OPS03-BP02', OpsRisk.MEDIUM, 'Team members are empowered to take action when outcomes are at risk', 'ops_org_culture_team_emp_take_action'),
  bp('OPS03-BP03', OpsRisk.HIGH, 'Escalation is encouraged', 'ops_org_culture_team_enc_escalation'),
  bp('OPS03-BP04', OpsRisk.HIGH, 'Communications are timely, clear, and actionable', 'ops_org_culture_effective_comms'),
  bp('OPS03-BP05', OpsRisk.MEDIUM, 'Experimentation is encouraged', 'ops_org_culture_team_enc_experiment'),
  bp('OPS03-BP06', OpsRisk.MEDIUM, 'Team members are encouraged to maintain and grow their skill sets', 'ops_org_culture_team_enc_learn'),
  bp('OPS03-BP07', OpsRisk.MEDIUM, 'Resource teams appropriately', 'ops_org_culture_team_res_appro'),
  // OPS04
  bp('OPS04-BP01', OpsRisk.HIGH, 'Identify key performance indicators', 'ops_observability_identify_kpis'),
  bp('OPS04-BP02', OpsRisk.HIGH, 'Implement application telemetry', 'ops_observability_application_telemetry'),
  bp('OPS04-BP03', OpsRisk.HIGH, 'Implement user experience telemetry', 'ops_observability_customer_telemetry'),
  bp('OPS04-BP04', OpsRisk.HIGH, 'Implement dependency telemetry', 'ops_observability_dependency_telemetry'),
  bp('OPS04-BP05', OpsRisk.HIGH, 'Implement distributed tracing', 'ops_observability_dist_trace'),
  // OPS05
  bp('OPS05-BP01', OpsRisk.HIGH, 'Use version control', 'ops_dev_integ_version_control'),
  bp('OPS05-BP02', OpsRisk.HIGH, 'Test and validate changes', 'ops_dev_integ_test_val_chg'),
  bp('OPS05-BP03', OpsRisk.MEDIUM, 'Use configuration management systems', 'ops_dev_integ_conf_mgmt_sys'),
  bp('OPS05-BP04', OpsRisk.MEDIUM, 'Use build and deployment management systems', 'ops_dev_integ_build_mgmt_sys'),
  bp('OPS05-BP05', OpsRisk.MEDIUM, 'Perform patch management', 'ops_dev_integ_patch_mgmt'),
  bp('OPS05-BP06', OpsRisk.MEDIUM, 'Share design standards', 'ops_dev_integ_share_design_stds'),
  bp('OPS05-BP07', OpsRisk.MEDIUM, 'Implement practices to improve code quality', 'ops_dev_integ_code_quality'),
  bp('OPS05-BP08', OpsRisk.MEDIUM, 'Use multiple environments', 'ops_dev_integ_multi_env'),
  bp('OPS05-BP09', OpsRisk.LOW, 'Make frequent, small, reversible changes', 'ops_dev_integ_freq_sm_rev_chg'),
  bp('OPS05-BP10', OpsRisk.LOW, 'Fully automate integration and deployment', 'ops_dev_integ_auto_integ_deploy'),
  // OPS06
  bp('OPS06-BP01', OpsRisk.HIGH, 'Plan for unsuccessful changes', 'ops_mit_deploy_risks_plan_for_unsucessful_changes'),
  bp('OPS06-BP02', OpsRisk.HIGH, 'Test deployments', 'ops_mit_deploy_risks_test_val_chg'),
  bp('OPS06-BP03', OpsRisk.MEDIUM, 'Employ safe deployment strategies', 'ops_mit_deploy_risks_deploy_mgmt_sys'),
  bp('OPS06-BP04', OpsRisk.MEDIUM, 'Automate testing and rollback', 'ops_mit_deploy_risks_auto_testing_and_rollback'),
  // OPS07
  bp('OPS07-BP01', OpsRisk.HIGH, 'Ensure personnel capability', 'ops_ready_to_support_personnel_capability'),
  bp('OPS07-BP02', OpsRisk.HIGH, 'Ensure a consistent review of operational readiness', 'ops_ready_to_support_const_orr'),
  bp('OPS07-BP03', OpsRisk.MEDIUM, 'Use runbooks to perform procedures', 'ops_ready_to_support_use_runbooks'),
  bp('OPS07-BP04', OpsRisk.MEDIUM, 'Use playbooks to investigate issues', 'ops_ready_to_support_use_playbooks'),
  bp('OPS07-BP05', OpsRisk.LOW, 'Make informed decisions to deploy systems and changes', 'ops_ready_to_support_informed_deploy_decisions'),
  bp('OPS07-BP06', OpsRisk.LOW, 'Create support plans for production workloads', 'ops_ready_to_support_enable_support_plans'),
  // OPS08
  bp('OPS08-BP01', OpsRisk.MEDIUM, 'Analyze workload metrics', 'ops_workload_observability_analyze_workload_metrics'),
  bp('OPS08-BP02', OpsRisk.MEDIUM, 'Analyze workload logs', 'ops_workload_observability_analyze_workload_logs'),
  bp('OPS08-BP03', OpsRisk.MEDIUM, 'Analyze workload traces', 'ops_workload_observability_analyze_workload_traces'),
  bp('OPS08-BP04', OpsRisk.HIGH, 'Create actionable alerts', 'ops_workload_observability_create_alerts'),
  bp('OPS08-BP05', OpsRisk.MEDIUM, 'Create dashboards', 'ops_workload_observability_create_dashboards'),
  // OPS09
  bp('OPS09-BP01', OpsRisk.MEDIUM, 'Measure operations goals and KPIs with metrics', 'ops_operations_health_measure_ops_goals_kpis'),
  bp('OPS09-BP02', OpsRisk.MEDIUM, 'Communicate status and trends to ensure visibility into operation', 'ops_operations_health_communicate_status_trends'),
  bp('OPS09-BP03', OpsRisk.MEDIUM, 'Review operations metrics and prioritize improvement', 'ops_operations_health_review_ops_metrics_prioritize_improvement'),
  // OPS10
  bp('OPS10-BP01', OpsRisk.HIGH, 'Use a process for event, incident, and problem management', 'ops_event_response_event_incident_problem_process'),
  bp('OPS10-BP02', OpsRisk.HIGH, 'Have a process per alert', 'ops_event_response_process_per_alert'),
  bp('OPS10-BP03', OpsRisk.HIGH, 'Prioritize operational events based on business impact', 'ops_event_response_prioritize_events'),
  bp('OPS10-BP04', OpsRisk.MEDIUM, 'Define escalation paths', 'ops_event_response_define_escalation_paths'),
  bp('OPS10-BP05', OpsRisk.MEDIUM, 'Define a customer communication plan for service-impacting events', 'ops_event_response_push_notify'),
  bp('OPS10-BP06', OpsRisk.MEDIUM, 'Communicate status through dashboards', 'ops_event_response_dashboards'),
  bp('OPS10-BP07', OpsRisk.MEDIUM, 'Automate responses to events', 'ops_event_response_auto_event_response'),
  // OPS11
  bp('OPS11-BP01', OpsRisk.HIGH, 'Have a process for continuous improvement', 'ops_evolve_ops_process_cont_imp'),
  bp('OPS11-BP02', OpsRisk.HIGH, 'Perform post-incident analysis', 'ops_evolve_ops_perform_rca_process'),
  bp('OPS11-BP03', OpsRisk.HIGH, 'Implement feedback loops', 'ops_evolve_ops_feedback_loops'),
  bp('OPS11-BP04', OpsRisk.HIGH, 'Perform knowledge management', 'ops_evolve_ops_knowledge_management'),
  bp('OPS11-BP05', OpsRisk.MEDIUM, 'Define drivers for improvement', 'ops_evolve_ops_drivers_for_imp'),
  bp('OPS11-BP06', OpsRisk.MEDIUM, 'Validate insights', 'ops_evolve_ops_validate_insights'),
  bp('OPS11-BP07', OpsRisk.MEDIUM, 'Perform operations metrics reviews', 'ops_evolve_ops_metrics_review'),
  bp('OPS11-BP08', OpsRisk.LOW, 'Document and share lessons learned', 'ops_evolve_ops_share_lessons_learned'),
  bp('OPS11-BP09', OpsRisk.LOW, 'Allocate time to make improvements', 'ops_evolve_ops_allocate_time_for_imp'),
];

/**
 * The Operational Excellence best-practice catalogue (OPS01–OPS11) that the rule pack, the readiness review and the
 * custom lens share: ids, titles, risk and framework URLs.
 */
export class OpsBestPractices {
  /**
   * The framework revision the catalogue follows: the last structural change of the pillar (OPS01–OPS03 consolidated,
   * OPS10 risks re-rated). Best-practice ids change between revisions.
   */
  public static readonly FRAMEWORK_VERSION = '2024-06-27';

  /** The eleven questions, in order. */
  public static readonly QUESTIONS: OpsQuestion[] = QUESTIONS;

  /** Every best practice, in order. */
  public static readonly ALL: OpsBestPractice[] = PRACTICES;

  /**
   * The best practice with this id (e.g. `OPS08-BP04`); throws when there is none.
   */
  public static of(id: string): OpsBestPractice {
    const found = PRACTICES.find((p) => p.id === id);
    if (!found) {
      fail(undefined, `OpsBestPractices: '${id}' is not an Operational Excellence best practice of framework ${OpsBestPractices.FRAMEWORK_VERSION}; ` +
        'use an id such as OPS08-BP04 (see OpsBestPractices.ALL).');
    }
    return found;
  }

  /**
   * The question with this id (e.g. `OPS08`); throws when there is none.
   */
  public static question(id: string): OpsQuestion {
    const found = QUESTIONS.find((x) => x.id === id);
    if (!found) {
      fail(undefined, `OpsBestPractices: '${id}' is not an Operational Excellence question; use OPS01 to OPS11.`);
    }
    return found;
  }

  /**
   * The best practices of one question, in order.
   */
  public static ofQuestion(questionId: string): OpsBestPractice[] {
    OpsBestPractices.question(questionId);
    return PRACTICES.filter((p) => p.questionId === questionId);
  }

  /**
   * The highest of some risks (HIGH before MEDIUM before LOW).
   */
  public static highestRisk(risks: OpsRisk[]): OpsRisk {
    if (risks.length === 0) {
      fail(undefined, 'OpsBestPractices.highestRisk: give at least one risk.');
    }
    return [OpsRisk.HIGH, OpsRisk.MEDIUM, OpsRisk.LOW].find((r) => risks.includes(r))!;
  }

  private constructor() {}
}
