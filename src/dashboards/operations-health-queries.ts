import type { DeploymentSource, IncidentSource } from './operations-health-sources';

/** Metric names the metric filters publish (internal). */
export const DEPLOYMENTS_METRIC = 'Deployments';
export const FAILED_DEPLOYMENTS_METRIC = 'FailedDeployments';

/** `<prefix>y`, `<prefix>mo`, ... : the parts of a CloudWatch alarm timestamp (`2019-10-02T17:04:40.989+0000`). */
function parseTimestamp(field: string, prefix: string): string {
  const [y, mo, d, h, mi, s] = ['y', 'mo', 'd', 'h', 'mi', 's'].map((p) => `${prefix}${p}`);
  return `parse ${field} /^(?<${y}>\\d{4})-(?<${mo}>\\d{2})-(?<${d}>\\d{2})T(?<${h}>\\d{2}):(?<${mi}>\\d{2}):(?<${s}>\\d{2}(?:\\.\\d+)?)/`;
}

/**
 * The day number of a parsed date, as Logs Insights arithmetic (the Julian day number of the Gregorian date, per Tøndering's Calendar FAQ):
 * only differences of it are used, so the epoch does not matter. Three steps, each a `fields` command.
 */
function dayNumber(prefix: string): string[] {
  const [y, mo, d, a, yy, mm] = ['y', 'mo', 'd', 'a', 'yy', 'mm'].map((p) => `${prefix}${p}`);
  return [
    `fields floor((14 - ${mo}) / 12) as ${a}`,
    `fields ${y} + 4800 - ${a} as ${yy}, ${mo} + 12 * ${a} - 3 as ${mm}`,
    `fields ${d} + floor((153 * ${mm} + 2) / 5) + 365 * ${yy} + floor(${yy} / 4) - floor(${yy} / 100) + floor(${yy} / 400) - 32045 as ${prefix}jdn`,
  ];
}

/**
 * Logs Insights query: time to restore, per alarm. Each "CloudWatch Alarm State Change" event from ALARM to OK carries
 * both when the alarm went into ALARM (`detail.previousState.timestamp`) and when it returned to OK
 * (`detail.state.timestamp`); their difference, in minutes, is one restore. Timestamps are parsed and subtracted with
 * plain arithmetic so the query depends on no date function.
 */
export function timeToRestoreQuery(): string {
  return [
    'filter `detail-type` = "CloudWatch Alarm State Change" and detail.previousState.value = "ALARM" and detail.state.value = "OK"',
    parseTimestamp('detail.previousState.timestamp', 'from'),
    parseTimestamp('detail.state.timestamp', 'to'),
    ...dayNumber('from'),
    ...dayNumber('to'),
    'fields (tojdn - fromjdn) * 1440 + (toh - fromh) * 60 + (tomi - frommi) + (tos - froms) / 60 as minutesToRestore',
    'stats count(*) as restores, avg(minutesToRestore) as meanMinutes, pct(minutesToRestore, 50) as medianMinutes, ' +
      'max(minutesToRestore) as maxMinutes by detail.alarmName',
    'sort restores desc',
  ].join('\n| ');
}

/** Logs Insights query: incidents opened per week (7-day bins), from the given sources. */
export function incidentsPerWeekQuery(sources: IncidentSource[]): string {
  return [
    `filter ${sources.map((s) => s._insightsCondition).join(' or ')}`,
    'stats count(*) as incidents by bin(1w)',
  ].join('\n| ');
}

/** Metric filter pattern: events of `sources` in their completed (or failed) states. */
export function deploymentFilterPattern(sources: DeploymentSource[], failed: boolean): string {
  return `{ ${sources.map((s) => s._condition(failed ? s.failedStates : s.completedStates)).join(' || ')} }`;
}

/** What each figure means and where it comes from, in words (the dashboard's legend and the table in docs/release-and-respond.md). */
export function metricDefinitions(namespace: string, deployments: DeploymentSource[], incidents: IncidentSource[],
  alarms: string): Record<string, string> {
  const states = (pick: (s: DeploymentSource) => string[]) =>
    deployments.map((s) => `${s.name} ${pick(s).join('/')}`).join('; ');
  return {
    [DEPLOYMENTS_METRIC]: `Deployments that finished (succeeded or failed): metric ${namespace}/${DEPLOYMENTS_METRIC}, Sum, ` +
      `counted by a metric filter on the event log from ${states((s) => s.completedStates)}.`,
    [FAILED_DEPLOYMENTS_METRIC]: `Deployments that failed or were stopped: metric ${namespace}/${FAILED_DEPLOYMENTS_METRIC}, Sum, ` +
      `counted by a metric filter on the event log from ${states((s) => s.failedStates)}; every other logged event publishes 0, ` +
      'so a period with deployments and no failure shows 0.',
    DeploymentFrequency: `${DEPLOYMENTS_METRIC} per day (DORA deployment frequency).`,
    ChangeFailureRate: `100 × ${FAILED_DEPLOYMENTS_METRIC} / ${DEPLOYMENTS_METRIC} over the period, in percent (DORA change failure rate); ` +
      'no value for a period without deployments.',
    TimeToRestore: `Minutes from an alarm entering ALARM to its return to OK, per alarm (count, mean, median, max), for ${alarms}: ` +
      'Logs Insights over "CloudWatch Alarm State Change" events (DORA time to restore service).',
    IncidentsPerWeek: `Incidents opened per 7-day bin: Logs Insights count of ${incidents.map((s) => `${s.name} "${s.detailType}"`).join(' and ')} events.`,
  };
}
