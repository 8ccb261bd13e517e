import { AlarmCatalogueEntry, GameDayInventoryEntry, RunbookInventoryEntry } from './model';
import { Replay } from './replay';
import { OpsTags } from '../core/ops-tags';
import { ALARM_TYPES, alarmActions, namedRunbook, notifies, statedSeverity } from '../nag/alarm-evidence';
import { automationContent, isAutomationDocument } from '../nag/automation-content';
import { literals, referencedIds, str } from '../nag/evidence';
import { runbookChangesState } from '../nag/runbook-evidence';

/*
 * The inventories of a review: every alarm, Automation document and game day of the assembly, read from the templates.
 */

export function gameDayInventory(replay: Replay): GameDayInventoryEntry[] {
  return replay.index.ofType('AWS::FIS::ExperimentTemplate').map((template) => {
    const origin = replay.of(template);
    const actions = template.properties.Actions;
    type StopCondition = { Source?: unknown; Value?: unknown };
    const stops = Array.isArray(template.properties.StopConditions) ? template.properties.StopConditions as StopCondition[] : [];
    const alarmName = (value: unknown) => {
      const [id] = [...referencedIds(value)];
      const alarm = id === undefined ? undefined : replay.index.byLogicalId(template.stack, id);
      return alarm ? str(alarm.properties.AlarmName) ?? alarm.logicalId : literals(value).join('').split(':alarm:').pop() ?? '';
    };
    return {
      name: template.tags.Name ?? template.logicalId,
      description: str(template.properties.Description) ?? '',
      stack: origin.stack,
      resourcePath: origin.path,
      service: origin.service,
      workload: origin.workload,
      actions: actions && typeof actions === 'object' ? Object.values(actions as Record<string, { ActionId?: unknown }>).map((a) => String(a.ActionId)) : [],
      stopAlarms: stops.filter((c) => c.Source === 'aws:cloudwatch:alarm').map((c) => alarmName(c.Value)),
    };
  }).sort((a, b) => `${a.workload ?? ''}/${a.service ?? ''}/${a.name}`.localeCompare(`${b.workload ?? ''}/${b.service ?? ''}/${b.name}`));
}

export function alarmCatalogue(replay: Replay): AlarmCatalogueEntry[] {
  return replay.index.ofType(...ALARM_TYPES).map((alarm) => {
    const origin = replay.of(alarm);
    const description = literals(alarm.properties.AlarmDescription).join('');
    const owner = /\bOwner: ([^|\n]+?)\s*(\||$)/m.exec(description)?.[1] ?? alarm.tags[OpsTags.OWNER];
    return {
      alarmName: str(alarm.properties.AlarmName) ?? alarm.logicalId,
      kind: alarm.type === 'AWS::CloudWatch::CompositeAlarm' ? 'composite' : 'metric',
      stack: origin.stack,
      resourcePath: origin.path,
      severity: statedSeverity(alarm) ?? 'NONE',
      owner,
      runbook: namedRunbook(alarm),
      service: alarm.tags[OpsTags.SERVICE],
      workload: alarm.tags[OpsTags.WORKLOAD],
      actionCount: alarmActions(alarm).length,
      notifies: notifies(replay.index, alarm),
    };
  }).sort((a, b) => `${a.workload ?? ''}/${a.service ?? ''}/${a.alarmName}`.localeCompare(`${b.workload ?? ''}/${b.service ?? ''}/${b.alarmName}`));
}

export function runbookInventory(replay: Replay): RunbookInventoryEntry[] {
  return replay.index.ofType('AWS::SSM::Document').filter(isAutomationDocument).map((doc) => {
    const origin = replay.of(doc);
    const content = automationContent(doc);
    const name = str(doc.properties.Name) ?? doc.logicalId;
    return {
      documentName: name,
      title: /^#\s+(.+)$/m.exec(content.description ?? '')?.[1] ?? name,
      stack: origin.stack,
      resourcePath: origin.path,
      service: doc.tags[OpsTags.SERVICE],
      workload: doc.tags[OpsTags.WORKLOAD],
      steps: content.steps.map((s) => s.name ?? s.action ?? '?'),
      changesState: runbookChangesState(replay.index, doc),
      approvalGate: content.steps.some((s) => s.action === 'aws:approve'),
      hasAssumeRole: content.assumeRole !== undefined && content.assumeRole !== '',
    };
  }).sort((a, b) => a.documentName.localeCompare(b.documentName));
}
