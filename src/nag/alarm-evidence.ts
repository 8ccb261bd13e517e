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
 * The alarm names a composite rule holds literally: each operand of a state function or `AT_LEAST` list, bare or quoted
 * (`ALARM(name)`, `ALARM("name")`, `AT_LEAST(1, ALARM, ("a", "b"))`), and the name in an alarm ARN (`...:alarm:name`, as
 * `AlarmRule.fromAlarm` renders an imported alarm), also when a token splits the ARN.
 */
function operandNames(rule: unknown): Set<string> {
  const out = new Set<string>();
  for (const text of literals(rule)) {
    for (const m of text.matchAll(/[(,]\s*"?([^"(),]*?)"?\s*(?=[),])/g)) {
      if (m[1] !== '') out.add(m[1]);
    }
    for (const m of text.matchAll(/:alarm:([^"(),\s]+)(?="?\s*[),])/g)) out.add(m[1]);
  }
  return out;
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
    const byName = new Map<string, RenderedResource[]>();
    const byId = new Map<string, RenderedResource>();
    const position = new Map(alarms.map((a, i) => [a, i]));
    for (const alarm of alarms) {
      const name = str(alarm.properties.AlarmName);
      if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), alarm]);
      byId.set(`${alarm.stack.node.path}\u0000${alarm.logicalId}`, alarm);
    }
    for (const composite of index.ofType(COMPOSITE_ALARM)) {
      const rule = composite.properties.AlarmRule;
      const found = new Set<RenderedResource>();
      for (const id of referencedIds(rule)) {
        const alarm = byId.get(`${composite.stack.node.path}\u0000${id}`);
        if (alarm) found.add(alarm);
      }
      for (const name of operandNames(rule)) (byName.get(name) ?? []).forEach((alarm) => found.add(alarm));
      found.delete(composite);
      const mine = [...found].sort((a, b) => position.get(a)! - position.get(b)!);
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

const runbooks = new WeakMap<RenderedResource, { value: string | undefined }>();

/** The runbook or playbook an alarm names: its `ops:runbook` tag, or `Runbook:` / `Playbook:` in its description. */
export function namedRunbook(alarm: RenderedResource): string | undefined {
  // Rendered resources are new objects in each evaluation, so the cache never outlives the template it read.
  let cached = runbooks.get(alarm);
  if (!cached) {
    cached = { value: readRunbook(alarm) };
    runbooks.set(alarm, cached);
  }
  return cached.value;
}

function readRunbook(alarm: RenderedResource): string | undefined {
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

/** Which metric alarm names what in its dimensions, indexed once per evaluation. */
interface DimensionIndex {
  /** By `<dimension>\0<literal value>`, and by `<dimension>\0<value up to a ':'>` (a function name before `:alias`). */
  readonly byLiteral: Map<string, RenderedResource[]>;
  /** By `<stack path>\0<dimension>\0<referenced logical id>`. */
  readonly byReference: Map<string, RenderedResource[]>;
}

function dimensionIndex(index: AppIndex): DimensionIndex {
  return index.memo('alarm-dimension-index', () => {
    const byLiteral = new Map<string, RenderedResource[]>();
    const byReference = new Map<string, RenderedResource[]>();
    const add = (map: Map<string, RenderedResource[]>, key: string, alarm: RenderedResource) => {
      const list = map.get(key);
      if (!list) map.set(key, [alarm]);
      else if (list[list.length - 1] !== alarm) list.push(alarm);
    };
    for (const alarm of index.ofType(METRIC_ALARM)) {
      for (const dims of alarmDimensions(alarm)) {
        for (const [name, value] of Object.entries(dims)) {
          if (typeof value === 'string') {
            add(byLiteral, `${name}\u0000${value}`, alarm);
            // `quotes:live` names function `quotes` (an alias or version of it): index every prefix ending before a ':'.
            for (let i = value.indexOf(':'); i > 0; i = value.indexOf(':', i + 1)) add(byLiteral, `${name}\u0000${value.slice(0, i)}:`, alarm);
          } else {
            for (const id of referencedIds(value)) add(byReference, `${alarm.stack.node.path}\u0000${name}\u0000${id}`, alarm);
          }
        }
      }
    }
    return { byLiteral, byReference };
  });
}

/**
 * The metric alarms of the app watching the resource identified this way: a dimension of `identity.dimension` holds
 * one of its literal names (or `<name>:<qualifier>`), or references one of its ids in the same stack. Looked up in an
 * index built once per evaluation, so the cost does not grow with the number of alarms.
 */
export function alarmsWatching(index: AppIndex, resource: RenderedResource, identity: ResourceIdentity): RenderedResource[] {
  const { byLiteral, byReference } = dimensionIndex(index);
  const found = new Set<RenderedResource>();
  const stack = resource.stack.node.path;
  for (const dimension of identity.dimension) {
    for (const id of identity.ids) (byReference.get(`${stack}\u0000${dimension}\u0000${id}`) ?? []).forEach((a) => found.add(a));
    for (const name of identity.names) {
      (byLiteral.get(`${dimension}\u0000${name}`) ?? []).forEach((a) => found.add(a));
      (byLiteral.get(`${dimension}\u0000${name}:`) ?? []).forEach((a) => found.add(a));
    }
  }
  return [...found];
}

/** The composites that include this alarm, transitively (parents, their parents, ...), each once. */
export function ancestorComposites(index: AppIndex, alarm: RenderedResource): RenderedResource[] {
  const out: RenderedResource[] = [];
  const pending = [...parentComposites(index, alarm)];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next === alarm || out.includes(next)) continue;
    out.push(next);
    pending.push(...parentComposites(index, next));
  }
  return out;
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
