import { RuleDefinition } from '../rule';
import AlarmAction from './alarms/AlarmAction';
import AlarmCoverage from './alarms/AlarmCoverage';
import AlarmPlaybook from './alarms/AlarmPlaybook';
import AlarmRunbook from './alarms/AlarmRunbook';
import CriticalPaging from './alarms/CriticalPaging';
import DatabaseAlarms from './alarms/DatabaseAlarms';
import ConfigurationValidation from './deployment/ConfigurationValidation';
import FlagMonitors from './deployment/FlagMonitors';
import GradualRollout from './deployment/GradualRollout';
import RollbackPlan from './deployment/RollbackPlan';
import SafeDeployment from './deployment/SafeDeployment';
import GameDayGuardrails from './gamedays/GameDayGuardrails';
import EscalationPath from './incidents/EscalationPath';
import ApiCanary from './observability/ApiCanary';
import ContainerInsights from './observability/ContainerInsights';
import DatabaseMonitoring from './observability/DatabaseMonitoring';
import EksControlPlaneLogging from './observability/EksControlPlaneLogging';
import EksObservability from './observability/EksObservability';
import LoadBalancerCanary from './observability/LoadBalancerCanary';
import LogRetention from './observability/LogRetention';
import ServiceDashboard from './observability/ServiceDashboard';
import ServiceLevelObjective from './observability/ServiceLevelObjective';
import StructuredLogs from './observability/StructuredLogs';
import TargetGroupSlo from './observability/TargetGroupSlo';
import Tracing from './observability/Tracing';
import OperationsDashboard from './operations/OperationsDashboard';
import OperationsMetrics from './operations/OperationsMetrics';
import OperationsReview from './operations/OperationsReview';
import AlarmOwner from './organization/AlarmOwner';
import OwnershipTags from './organization/OwnershipTags';
import ProcedureOwner from './organization/ProcedureOwner';
import AsyncFailureDestination from './resilience/AsyncFailureDestination';
import DeadLetterQueue from './resilience/DeadLetterQueue';
import EventDeadLetter from './resilience/EventDeadLetter';
import AutomatedResponse from './runbooks/AutomatedResponse';
import RunbookApproval from './runbooks/RunbookApproval';
import RunbookRole from './runbooks/RunbookRole';

/** Every rule of the pack, in the order they run and are documented. */
export const ALL_RULES: RuleDefinition[] = [
  OwnershipTags,
  ProcedureOwner,
  AlarmOwner,
  AlarmAction,
  AlarmRunbook,
  AlarmPlaybook,
  AlarmCoverage,
  DatabaseAlarms,
  CriticalPaging,
  ServiceLevelObjective,
  TargetGroupSlo,
  Tracing,
  LogRetention,
  StructuredLogs,
  ServiceDashboard,
  ApiCanary,
  LoadBalancerCanary,
  ContainerInsights,
  EksControlPlaneLogging,
  EksObservability,
  DatabaseMonitoring,
  SafeDeployment,
  GradualRollout,
  RollbackPlan,
  FlagMonitors,
  ConfigurationValidation,
  DeadLetterQueue,
  AsyncFailureDestination,
  EventDeadLetter,
  RunbookRole,
  RunbookApproval,
  AutomatedResponse,
  EscalationPath,
  GameDayGuardrails,
  OperationsMetrics,
  OperationsDashboard,
  OperationsReview,
];
