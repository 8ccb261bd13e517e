import { RuleDefinition } from '../rule';
import AlarmAction from './alarms/AlarmAction';
import AlarmCoverage from './alarms/AlarmCoverage';
import AlarmRunbook from './alarms/AlarmRunbook';
import CriticalPaging from './alarms/CriticalPaging';
import FlagMonitors from './deployment/FlagMonitors';
import SafeDeployment from './deployment/SafeDeployment';
import ApiCanary from './observability/ApiCanary';
import ContainerInsights from './observability/ContainerInsights';
import DatabaseMonitoring from './observability/DatabaseMonitoring';
import LogRetention from './observability/LogRetention';
import ServiceDashboard from './observability/ServiceDashboard';
import ServiceLevelObjective from './observability/ServiceLevelObjective';
import StructuredLogs from './observability/StructuredLogs';
import Tracing from './observability/Tracing';
import OwnershipTags from './organization/OwnershipTags';
import AsyncFailureDestination from './resilience/AsyncFailureDestination';
import DeadLetterQueue from './resilience/DeadLetterQueue';
import RunbookApproval from './runbooks/RunbookApproval';
import RunbookRole from './runbooks/RunbookRole';

/** Every rule of the pack, in the order they run and are documented. */
export const ALL_RULES: RuleDefinition[] = [
  OwnershipTags,
  AlarmAction,
  AlarmRunbook,
  AlarmCoverage,
  CriticalPaging,
  ServiceLevelObjective,
  Tracing,
  LogRetention,
  StructuredLogs,
  ServiceDashboard,
  ApiCanary,
  ContainerInsights,
  DatabaseMonitoring,
  SafeDeployment,
  FlagMonitors,
  DeadLetterQueue,
  AsyncFailureDestination,
  RunbookRole,
  RunbookApproval,
];
