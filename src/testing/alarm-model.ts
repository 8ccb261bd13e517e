import { parseAlarmRule, RuleNode, ruleReferences } from './alarm-rule';
import { renderIntrinsic } from './intrinsics';
import { MathNode, parseMath, referencedIds } from './metric-math';
import { fail } from '../core/errors';

/** A metric the simulator needs a series for (internal). */
export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
  readonly periodMinutes: number;
}

/** One query of a metric alarm: a metric, or an expression over other queries (internal). */
export type AlarmQuery =
  | { readonly kind: 'metric'; readonly id: string; readonly metric: MetricQuery }
  | { readonly kind: 'expression'; readonly id: string; readonly tree: MathNode };

interface AlarmCommon {
  readonly logicalId: string;
  readonly alarmName: string;
  readonly actionsEnabled: boolean;
  readonly actions: { readonly ALARM: string[]; readonly OK: string[]; readonly INSUFFICIENT_DATA: string[] };
}

/** A metric alarm read from a template (internal). */
export interface MetricAlarmModel extends AlarmCommon {
  readonly type: 'metric';
  readonly queries: Map<string, AlarmQuery>;
  readonly returnId: string;
  readonly threshold: number;
  readonly comparison: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
}

/** A composite alarm read from a template (internal). */
export interface CompositeAlarmModel extends AlarmCommon {
  readonly type: 'composite';
  readonly rule: RuleNode;
  /** Logical ids of the alarms the rule references, resolved. */
  readonly children: string[];
  readonly resolveRef: (ref: string) => string;
  readonly suppressor?: string;
  readonly waitMinutes: number;
  readonly extensionMinutes: number;
}

export type AlarmModel = MetricAlarmModel | CompositeAlarmModel;

const COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const MISSING_MODES = ['missing', 'notBreaching', 'breaching', 'ignore'];

type Props = Record<string, unknown>;

/** Read every CloudWatch alarm and composite alarm of a template. */
export function readAlarms(template: Props): Map<string, AlarmModel> {
  const resources = (template.Resources ?? {}) as Record<string, { Type: string; Properties?: Props }>;
  const byName = new Map<string, string>();
  const alarmIds: string[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::CloudWatch::Alarm' && r.Type !== 'AWS::CloudWatch::CompositeAlarm') continue;
    alarmIds.push(id);
    byName.set(alarmNameOf(id, r.Properties ?? {}), id);
  }
  const resolveRef = (where: string) => (ref: string): string => {
    const direct = /^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}$/.exec(ref);
    if (direct && resources[direct[1]]) return direct[1];
    const name = /:alarm:(.+)$/.exec(ref)?.[1] ?? ref;
    const id = byName.get(name);
    if (!id) fail(undefined, `${where}: references alarm '${ref}', which is not in the template. Simulate the stack that defines it.`);
    return id!;
  };

  const models = new Map<string, AlarmModel>();
  for (const id of alarmIds) {
    const r = resources[id];
    const p = r.Properties ?? {};
    const common: AlarmCommon = {
      logicalId: id,
      alarmName: alarmNameOf(id, p),
      actionsEnabled: p.ActionsEnabled === undefined ? true : p.ActionsEnabled === true || p.ActionsEnabled === 'true',
      actions: {
        ALARM: list(p.AlarmActions),
        OK: list(p.OKActions),
        INSUFFICIENT_DATA: list(p.InsufficientDataActions),
      },
    };
    const where = `Alarm ${id}`;
    if (r.Type === 'AWS::CloudWatch::CompositeAlarm') {
      const resolve = resolveRef(where);
      const rule = parseAlarmRule(renderIntrinsic(p.AlarmRule), where);
      const suppressor = p.ActionsSuppressor !== undefined ? resolve(renderIntrinsic(p.ActionsSuppressor)) : undefined;
      models.set(id, {
        ...common,
        type: 'composite',
        rule,
        children: [...new Set(ruleReferences(rule).map(resolve))],
        resolveRef: resolve,
        suppressor,
        waitMinutes: suppressor ? Math.ceil(num(p.ActionsSuppressorWaitPeriod ?? 60, where) / 60) : 0,
        extensionMinutes: suppressor ? Math.ceil(num(p.ActionsSuppressorExtensionPeriod ?? 60, where) / 60) : 0,
      });
    } else {
      models.set(id, readMetricAlarm(common, p, where));
    }
  }
  return models;
}

function readMetricAlarm(common: AlarmCommon, p: Props, where: string): MetricAlarmModel {
  if (p.ThresholdMetricId !== undefined) {
    fail(undefined, `${where}: anomaly-detection alarms (ThresholdMetricId) are not simulated.`);
  }
  const comparison = String(p.ComparisonOperator);
  if (!COMPARISONS.includes(comparison)) fail(undefined, `${where}: comparison operator '${comparison}' is not simulated.`);
  const treatMissingData = p.TreatMissingData === undefined ? 'missing' : String(p.TreatMissingData);
  if (!MISSING_MODES.includes(treatMissingData)) fail(undefined, `${where}: TreatMissingData '${treatMissingData}' is unknown.`);
  const evaluationPeriods = num(p.EvaluationPeriods, where);
  const queries = new Map<string, AlarmQuery>();
  let returnId: string;
  if (Array.isArray(p.Metrics)) {
    const entries = p.Metrics as Props[];
    for (const m of entries) {
      const id = String(m.Id);
      if (m.Expression !== undefined) {
        queries.set(id, { kind: 'expression', id, tree: parseMath(String(m.Expression), `${where} query ${id}`) });
      } else {
        const stat = m.MetricStat as Props;
        const metric = stat.Metric as Props;
        queries.set(id, {
          kind: 'metric',
          id,
          metric: metricQuery(metric.Namespace, metric.MetricName, metric.Dimensions, String(stat.Stat), num(stat.Period, where), where),
        });
      }
    }
    const returning = entries.filter((m) => m.ReturnData === undefined || m.ReturnData === true);
    if (returning.length !== 1) {
      fail(undefined, `${where}: exactly one metric query must return data, found ${returning.length}.`);
    }
    returnId = String(returning[0].Id);
    for (const q of queries.values()) {
      if (q.kind === 'expression') {
        for (const ref of referencedIds(q.tree)) {
          if (!queries.has(ref)) fail(undefined, `${where}: expression '${q.id}' references unknown id '${ref}'.`);
        }
      }
    }
  } else {
    const statistic = p.ExtendedStatistic ?? p.Statistic;
    returnId = 'm';
    queries.set('m', {
      kind: 'metric',
      id: 'm',
      metric: metricQuery(p.Namespace, p.MetricName, p.Dimensions, String(statistic), num(p.Period, where), where),
    });
  }
  return {
    ...common,
    type: 'metric',
    queries,
    returnId,
    threshold: num(p.Threshold, where),
    comparison,
    evaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm === undefined ? evaluationPeriods : num(p.DatapointsToAlarm, where),
    treatMissingData,
  };
}

function metricQuery(
  namespace: unknown, metricName: unknown, dimensions: unknown, statistic: string, periodSeconds: number, where: string,
): MetricQuery {
  if (periodSeconds < 60 || periodSeconds % 60 !== 0) {
    fail(undefined, `${where}: period ${periodSeconds} s is not simulated (the simulator steps in whole minutes).`);
  }
  const dims: Record<string, string> = {};
  for (const d of (dimensions ?? []) as Props[]) dims[String(d.Name)] = renderIntrinsic(d.Value);
  return {
    namespace: renderIntrinsic(namespace),
    metricName: renderIntrinsic(metricName),
    dimensions: dims,
    statistic,
    periodMinutes: periodSeconds / 60,
  };
}

/** Stable key of a metric and statistic. */
export function metricKey(namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string): string {
  const dims = Object.keys(dimensions).sort().map((k) => `${k}=${dimensions[k]}`).join(',');
  return `${namespace}|${metricName}|${dims}|${statistic}`;
}

function alarmNameOf(id: string, p: Props): string {
  return p.AlarmName !== undefined ? renderIntrinsic(p.AlarmName) : id;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(renderIntrinsic) : [];
}

function num(value: unknown, where: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) fail(undefined, `${where}: expected a number, got ${JSON.stringify(value)}.`);
  return n as number;
}
