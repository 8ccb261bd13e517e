import { AppIndex, RenderedResource, literals, referencedIds, str } from './evidence';
import { AlarmDescription } from '../core/alarm-description';
import { OpsTags } from '../core/ops-tags';

/**
 * What the template says about alarms: who notifies, what each alarm watches, which runbook it names.
 * Works on any CloudWatch alarm (L1, L2, ours), reading only the rendered template.
 */

const METRIC_ALARM = 'AWS::CloudWatch::Alarm';
const COMPOSITE_ALARM = 'AWS::CloudWatch::CompositeAlarm';
export const ALARM_TYPES = [METRIC_ALARM, COMPOSITE_ALARM];

/** The alarm actions of an alarm, empty when it has none or its actions are disabled. */
export function alarmActions(alarm: RenderedResource): unknown[] {
  if (alarm.properties.ActionsEnabled === false) {
    return [];
  }
  const actions = alarm.properties.AlarmActions;
  return Array.isArray(actions) ? actions : [];
}

/**
 * Whether a composite alarm rule names the alarm called `name` literally: by name (`ALARM("name")`, `ALARM(name)`) or by
 * ARN (`ALARM("arn:...:alarm:name")`, as `AlarmRule.fromAlarm` renders an imported alarm), also inside an
 * `AT_LEAST(..., ("a", "b"))` list.
 */
function ruleNamesAlarm(rule: unknown, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?:[(,]\\s*"?|:alarm:)${escaped}"?\\s*[),]`);
  return literals(rule).some((text) => pattern.test(text));
}

/** Which composite names which alarm, for the whole app (built once per evaluation). */
interface AlarmGraph {
  readonly parents: Map<RenderedResource, RenderedResource[]>;
  readonly children: Map<RenderedResource, RenderedResource[]>;
}

function alarmGraph(index: AppIndex): AlarmGraph {
  return index.memo('alarm-graph', () => {
    const parents = new Map<RenderedResource, RenderedResource[]>();
    const children = new Map<RenderedResource, RenderedResource[]>();
    const alarms = index.ofType(...ALARM_TYPES);
    const named = alarms.map((a) => ({ alarm: a, name: str(a.properties.AlarmName) }));
    for (const composite of index.ofType(COMPOSITE_ALARM)) {
      const ids = referencedIds(composite.properties.AlarmRule);
      const text = literals(composite.properties.AlarmRule).join('\n');
      const mine = named.filter(({ alarm, name }) => alarm !== composite && (
        (alarm.stack === composite.stack && ids.has(alarm.logicalId)) ||
        (name !== undefined && text.includes(name) && ruleNamesAlarm(composite.properties.AlarmRule, name)))).map(({ alarm }) => alarm);
      children.set(composite, mine);
      for (const child of mine) parents.set(child, [...(parents.get(child) ?? []), composite]);
    }
    return { parents, children };
  });
}

/** The composites of the app whose rule names this alarm (by `Fn::GetAtt ...Arn` or by literal alarm name or ARN). */
export function parentComposites(index: AppIndex, alarm: RenderedResource): RenderedResource[] {
  return alarmGraph(index).parents.get(alarm) ?? [];
}

/**
 * Whether an alarm reaches someone: it has alarm actions itself, or a composite that (transitively) has them
 * includes it in its rule.
 */
export function notifies(index: AppIndex, alarm: RenderedResource, seen: Set<RenderedResource> = new Set()): boolean {
  if (alarmActions(alarm).length > 0) {
    return true;
  }
  if (seen.has(alarm)) {
    return false;
  }
  seen.add(alarm);
  return parentComposites(index, alarm).some((parent) => notifies(index, parent, seen));
}

/** The runbook or playbook an alarm names: its `ops:runbook` tag, or `Runbook:` / `Playbook:` in its description. */
export function namedRunbook(alarm: RenderedResource): string | undefined {
  // 'none', in any case and ending a sentence ('Runbook: none.'), names nothing.
  const isNone = (value: string) => value.trim().replace(/[.,;]+$/, '').toLowerCase() === AlarmDescription.NONE;
  const tag = alarm.tags[OpsTags.RUNBOOK];
  if (tag?.trim() && !isNone(tag)) {
    return tag;
  }
  const description = literals(alarm.properties.AlarmDescription).join('');
  const parsed = AlarmDescription.parse(description);
  const fromFooter = [parsed?.runbook, parsed?.playbook].find((x) => x !== undefined && x !== AlarmDescription.NONE);
  if (fromFooter) {
    return fromFooter;
  }
  return [...description.matchAll(/\b(?:runbook|playbook)\s*[:=]\s*(\S+)/gi)].map((m) => m[1]).find((value) => !isNone(value));
}

/** The severity an alarm states in its description footer (`PAGE`, `TICKET`), upper-cased. */
export function statedSeverity(alarm: RenderedResource): string | undefined {
  const description = literals(alarm.properties.AlarmDescription).join('');
  return AlarmDescription.parse(description)?.severity.toUpperCase() ?? /\bSeverity:\s*(\w+)/i.exec(description)?.[1].toUpperCase();
}

/** Each metric the alarm evaluates, as its dimension map (one entry per metric of a math expression). */
export function alarmDimensions(alarm: RenderedResource): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const add = (dims: unknown) => {
    if (!Array.isArray(dims)) return;
    const map: Record<string, unknown> = {};
    for (const d of dims) {
      if (d && typeof d === 'object' && typeof (d as { Name?: unknown }).Name === 'string') {
        map[(d as { Name: string }).Name] = (d as { Value?: unknown }).Value;
      }
    }
    out.push(map);
  };
  add(alarm.properties.Dimensions);
  const metrics = alarm.properties.Metrics;
  if (Array.isArray(metrics)) {
    for (const m of metrics) {
      add((m as { MetricStat?: { Metric?: { Dimensions?: unknown } } })?.MetricStat?.Metric?.Dimensions);
    }
  }
  return out;
}

/**
 * How an alarm dimension names a resource: by reference to one of `ids` (its own logical id or a parent's, such as
 * the REST API of a stage), or by one of its literal `names`.
 */
export interface ResourceIdentity {
  readonly dimension: string[];
  readonly ids: string[];
  readonly names: string[];
}

/** The metric alarms of the app watching the resource identified this way (same stack for references). */
export function alarmsWatching(index: AppIndex, resource: RenderedResource, identity: ResourceIdentity): RenderedResource[] {
  const watched = index.memo('alarm-dimensions', () => index.ofType(METRIC_ALARM).map((alarm) => ({
    alarm,
    dimensions: alarmDimensions(alarm).flatMap((dims) => Object.entries(dims).map(([name, value]) =>
      ({ name, literal: typeof value === 'string' ? value : undefined, ids: typeof value === 'string' ? undefined : referencedIds(value) }))),
  })));
  return watched.filter(({ alarm, dimensions }) => dimensions.some(({ name, literal, ids }) => {
    if (!identity.dimension.includes(name)) return false;
    if (literal !== undefined) return identity.names.includes(literal) || identity.names.some((n) => literal.startsWith(`${n}:`));
    return alarm.stack === resource.stack && identity.ids.some((id) => ids!.has(id));
  })).map(({ alarm }) => alarm);
}

/** Whether an alarm is an SLO burn-rate alarm: described as such, or tagged with `ops:slo`. */
export function isBurnRateAlarm(alarm: RenderedResource): boolean {
  if (alarm.tags['ops:slo'] !== undefined) {
    return true;
  }
  return /\bburn(?:[- ]rate|\s*>=|s?\b.*error budget)/i.test(literals(alarm.properties.AlarmDescription).join(''));
}

/** The alarms a composite's rule names (by reference in the same stack, or by literal alarm name or ARN anywhere in the app). */
export function childAlarms(index: AppIndex, composite: RenderedResource): RenderedResource[] {
  return alarmGraph(index).children.get(composite) ?? [];
}
