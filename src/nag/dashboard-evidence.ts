import { ALARM_TYPES } from './alarm-evidence';
import { AppIndex, RenderedResource, literals, referencedIds, str } from './evidence';
import { OpsTags } from '../core/ops-tags';

/**
 * What the dashboards of an app show (internal), read once per evaluation: every quoted string of their bodies (metric
 * dimension values, alarm ARNs, titles), the logical ids they reference per stack, their names and service tags, and
 * the alarms they display. Read by the dashboard rule, so its cost per resource does not grow with the dashboards.
 */
export interface DashboardEvidence {
  /** Every `"quoted"` string of every dashboard body (a literal dimension value, an alarm ARN, ...). */
  readonly quoted: ReadonlySet<string>;
  /** The logical ids the dashboard bodies reference, by stack path. */
  readonly idsByStack: ReadonlyMap<string, ReadonlySet<string>>;
  /** The dashboard names, lower-cased. */
  readonly names: string[];
  /** `<workload>\0<service>` of every dashboard tagged with a service. */
  readonly serviceKeys: ReadonlySet<string>;
  /** The alarms (metric or composite) a dashboard shows: referenced, or named by literal name or ARN. */
  readonly alarms: ReadonlySet<RenderedResource>;
}

/** The key of a resource's service: its `ops:workload` and `ops:service` tags. */
export const serviceKey = (r: RenderedResource) => `${r.tags[OpsTags.WORKLOAD] ?? ''}\u0000${r.tags[OpsTags.SERVICE]}`;

/** What the app's dashboards show (built once per evaluation). */
export function dashboardEvidence(index: AppIndex): DashboardEvidence {
  return index.memo('dashboard-evidence', () => {
    const quoted = new Set<string>();
    const idsByStack = new Map<string, Set<string>>();
    const names: string[] = [];
    const serviceKeys = new Set<string>();
    for (const dashboard of index.ofType('AWS::CloudWatch::Dashboard')) {
      const body = dashboard.properties.DashboardBody;
      for (const m of literals(body).join('').matchAll(/"((?:[^"\\]|\\.)*)"/g)) quoted.add(m[1]);
      const path = dashboard.stack.node.path;
      const ids = idsByStack.get(path) ?? new Set<string>();
      referencedIds(body, ids);
      idsByStack.set(path, ids);
      const name = str(dashboard.properties.DashboardName);
      if (name !== undefined) names.push(name.toLowerCase());
      if (dashboard.tags[OpsTags.SERVICE] !== undefined) serviceKeys.add(serviceKey(dashboard));
    }
    const alarmNames = new Set([...quoted].map((q) => (q.includes(':alarm:') ? q.slice(q.lastIndexOf(':alarm:') + 7) : q)));
    const alarms = new Set(index.ofType(...ALARM_TYPES).filter((alarm) => {
      const name = str(alarm.properties.AlarmName);
      return idsByStack.get(alarm.stack.node.path)?.has(alarm.logicalId) || (name !== undefined && alarmNames.has(name));
    }));
    return { quoted, idsByStack, names, serviceKeys, alarms };
  });
}
