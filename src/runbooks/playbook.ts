import { Duration, Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { Kinds, NON_EMPTY_STRINGS } from './kinds';
import { heading, paragraph, section } from './markdown';
import { RunbookParameter } from './parameter';
import { buildProps, MARKDOWN_OVERRIDE, Runbook, RunbookProps } from './runbook';
import { Step } from './step';
import { BranchChoice, StepOutputType } from './step-parts';
import { Check, Checks, checkProps, checkRequired } from '../core/checks';
import { fail } from '../core/errors';
import type { GoldenSignals } from '../core/golden-signals';

/** The default Logs Insights query: recent errors in structured (JSON) logs or plain text. */
export const RECENT_ERRORS = 'fields @timestamp, @log, @message | filter @message like /(?i)(error|exception|fail|timeout)/ | sort @timestamp desc | limit 20';

/** The time window the playbook looks at, as ISO timestamps and epoch seconds. */
const WINDOW_SCRIPT = `from datetime import datetime, timedelta, timezone

def handler(events, context):
    end = datetime.now(timezone.utc).replace(microsecond=0)
    start = end - timedelta(minutes=int(events["LookbackMinutes"]))
    return {"Start": start.isoformat(), "End": end.isoformat(), "StartEpoch": int(start.timestamp()), "EndEpoch": int(end.timestamp())}
`;

/** Turns what was gathered into a few lines an engineer reads first. */
const SUMMARY_SCRIPT = `def handler(events, context):
    lines = []
    history = events.get("History") or []
    lines.append("Alarm " + str(events["AlarmName"]) + ": " + str(len(history)) + " state change(s) in the last " + str(events["LookbackMinutes"]) + " min" +
                 ("; latest " + str(history[0].get("Timestamp")) + ": " + str(history[0].get("HistorySummary")) if history else "") + ".")
    for result in events.get("Signals") or []:
        values = result.get("Values") or []
        if values:
            lines.append(str(result.get("Label")) + ": latest " + format(values[0], "g") + ", min " + format(min(values), "g") + ", max " + format(max(values), "g") + " (" + str(len(values)) + " points).")
        else:
            lines.append(str(result.get("Label")) + ": no data.")
    if "LogMatches" in events:
        first = events.get("LogFirst") or []
        row = ", ".join(str(f.get("field")) + "=" + str(f.get("value")) for f in first if not str(f.get("field")).startswith("@ptr"))
        lines.append("Logs: " + str(events["LogMatches"]) + " matching record(s)" + ("; latest: " + row if row else "") + ".")
    return {"Summary": "\\n".join(lines)}
`;

/**
 * A metric a playbook fetches, with the label its summary shows.
 */
export interface PlaybookMetric {
  /** The label, e.g. `Bad events`. */
  readonly label: string;
  /** A plain metric (not a math expression). */
  readonly metric: cloudwatch.IMetric;
}

/**
 * Properties of a playbook.
 */
export interface PlaybookProps {
  /** How the problem shows: which alarms fire, what users see. */
  readonly symptoms: string[];

  /** What to check first, in order. */
  readonly checks: string[];

  /** The likely causes to confirm or rule out. */
  readonly hypotheses: string[];

  /** What to do once the cause is known (runbooks to run, people to call). */
  readonly nextSteps: string[];

  /**
   * The alarms it investigates (the `AlarmName` parameter). Add more with `addAlarm`.
   *
   * @default - none yet: add at least one with `addAlarm` before synth
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * Golden signals to fetch over the lookback window (`GetMetricData`); latency is read as p99.
   *
   * @default - no metrics
   */
  readonly signals?: GoldenSignals;

  /**
   * More metrics to fetch over the lookback window, e.g. an SLI's good and total events.
   *
   * @default - none
   */
  readonly metrics?: PlaybookMetric[];

  /**
   * Log groups to query with Logs Insights.
   *
   * @default - no log query
   */
  readonly logGroups?: logs.ILogGroup[];

  /**
   * The Logs Insights query over `logGroups` (only with them): at most 10,000 characters, Logs Insights' limit.
   *
   * @default - the most recent records mentioning error, exception, fail or timeout
   */
  readonly logQuery?: string;

  /**
   * How far back it looks by default: 5 minutes to 7 days, in whole minutes.
   *
   * @default Duration.hours(1)
   */
  readonly lookback?: Duration;

  /**
   * The title of the Markdown.
   *
   * @default `Investigate <document name>`
   */
  readonly title?: string;

  /**
   * The document's name.
   *
   * @default `<workload>-<service>-<id in kebab case>`
   */
  readonly documentName?: string;
}

/**
 * A playbook as code: an Automation document that investigates an alarm — its state changes, the service's golden
 * signals and a Logs Insights query over the last hour — and returns a `Summary`, with a Markdown description
 * (symptoms → what to check first → hypotheses → next steps) for the console and the readiness report
 * (OPS07-BP04, OPS10-BP02). It only reads, so it needs no approval.
 *
 * @example
 * new Playbook(workload, 'InvestigateQuotes', {
 *   symptoms: ['quotes pages'], checks: ['Open the dashboard'], hypotheses: ['A bad deployment'], nextSteps: ['Roll back'],
 *   alarms: [quotes.pageAlarm], signals: { traffic, errors }, logGroups: [quotes.logGroup],
 * });
 */
export class Playbook extends Runbook {
  private readonly alarmList: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: PlaybookProps) {
    const alarms: cloudwatch.IAlarm[] = [];
    super(scope, id, buildProps((self) => {
      checkPlaybookProps(self, props);
      alarms.push(...(props.alarms ?? []));
      const lookback = props.lookback ?? Duration.hours(1);
      const minutes = lookback.toMinutes();
      const alarmName = RunbookParameter.ofString('AlarmName', {
        description: 'The alarm to investigate.',
        allowedValues: Lazy.list({ produce: () => alarms.map((a) => a.alarmName) }),
      });
      const lookbackMinutes = RunbookParameter.ofInteger('LookbackMinutes', { description: 'How many minutes back to look.', defaultValue: minutes });
      const window = Step.executeScript({
        name: 'Window',
        script: WINDOW_SCRIPT,
        inputs: { LookbackMinutes: lookbackMinutes.reference },
        outputs: [
          { name: 'Start', selector: '$.Payload.Start' }, { name: 'End', selector: '$.Payload.End' },
          { name: 'StartEpoch', selector: '$.Payload.StartEpoch', outputType: StepOutputType.INTEGER },
          { name: 'EndEpoch', selector: '$.Payload.EndEpoch', outputType: StepOutputType.INTEGER },
        ],
        description: 'Work out the time window.',
      });
      const history = Step.executeAwsApi({
        name: 'AlarmHistory',
        service: 'cloudwatch',
        api: 'DescribeAlarmHistory',
        // CloudWatch returns a composite alarm's history only to callers allowed DescribeAlarmHistory on *.
        resources: Lazy.list({ produce: () => (alarms.some((a) => a instanceof cloudwatch.CompositeAlarm) ? ['*'] : alarms.map((a) => a.alarmArn)) }),
        inputs: { AlarmName: alarmName.reference, AlarmTypes: ['CompositeAlarm', 'MetricAlarm'], HistoryItemType: 'StateUpdate', StartDate: window.output('Start'), EndDate: window.output('End'), MaxRecords: 20 },
        outputs: [{ name: 'Items', selector: '$.AlarmHistoryItems', outputType: StepOutputType.MAP_LIST }],
        description: "Read the alarm's state changes.",
      });
      const steps: Step[] = [window, history];
      const summaryInputs: Record<string, string> = { AlarmName: alarmName.reference, LookbackMinutes: lookbackMinutes.reference, History: history.output('Items') };
      const queries = metricQueries(self, props.signals, props.metrics ?? []);
      if (queries.length > 0) {
        const signals = Step.executeAwsApi({
          name: 'GoldenSignals',
          service: 'cloudwatch',
          api: 'GetMetricData',
          inputs: { MetricDataQueries: queries, StartTime: window.output('Start'), EndTime: window.output('End'), ScanBy: 'TimestampDescending' },
          outputs: [{ name: 'Results', selector: '$.MetricDataResults', outputType: StepOutputType.MAP_LIST }],
          description: 'Fetch the golden signals.',
        });
        steps.push(signals);
        summaryInputs.Signals = signals.output('Results');
      }
      let withoutRecords: Step | undefined;
      const groups = props.logGroups ?? [];
      const query = props.logQuery ?? RECENT_ERRORS;
      if (groups.length > 0) {
        const logResources = groups.map((g) => g.logGroupArn);
        const start = Step.executeAwsApi({
          name: 'StartLogQuery',
          service: 'logs',
          api: 'StartQuery',
          resources: logResources,
          inputs: { logGroupNames: groups.map((g) => g.logGroupName), startTime: window.output('StartEpoch'), endTime: window.output('EndEpoch'), queryString: query },
          outputs: [{ name: 'QueryId', selector: '$.queryId' }],
          description: 'Start the Logs Insights query.',
        });
        const byId = { queryId: start.output('QueryId') };
        const results = Step.executeAwsApi({
          name: 'LogResults',
          service: 'logs',
          api: 'GetQueryResults',
          resources: logResources,
          inputs: byId,
          // recordsMatched is a number; Automation converts it to a string.
          outputs: [{ name: 'Matches', selector: '$.statistics.recordsMatched' }],
          description: 'Count the matching records.',
        });
        const latest = Step.executeAwsApi({
          name: 'LatestRecord',
          service: 'logs',
          api: 'GetQueryResults',
          resources: logResources,
          inputs: byId,
          outputs: [{ name: 'Fields', selector: '$.results[0]', outputType: StepOutputType.MAP_LIST }],
          description: 'Read the latest matching record.',
        });
        steps.push(start, Step.waitForAwsResourceProperty({
          name: 'WaitForLogQuery',
          service: 'logs',
          api: 'GetQueryResults',
          resources: logResources,
          inputs: byId,
          propertySelector: '$.status',
          desiredValues: ['Complete', 'Failed', 'Cancelled', 'Timeout'],
          timeout: Duration.minutes(5),
          description: 'Wait for the query to finish.',
        }), results, Step.branch({
          name: 'AnyRecords',
          choices: [
            BranchChoice.stringEquals(results.output('Matches'), '0', 'SummarizeWithoutRecords'),
            BranchChoice.stringEquals(results.output('Matches'), '0.0', 'SummarizeWithoutRecords'),
          ],
          defaultStep: 'LatestRecord',
          description: 'Read a record only when the query matched some.',
        }), latest);
        summaryInputs.LogMatches = results.output('Matches');
        withoutRecords = Step.executeScript({
          name: 'SummarizeWithoutRecords',
          script: SUMMARY_SCRIPT,
          inputs: { ...summaryInputs },
          outputs: [{ name: 'Summary', selector: '$.Payload.Summary' }],
          isEnd: true,
          description: 'Summarize what was found (no log records matched).',
        });
        summaryInputs.LogFirst = latest.output('Fields');
      }
      const summary = Step.executeScript({
        name: 'Summarize',
        script: SUMMARY_SCRIPT,
        inputs: summaryInputs,
        outputs: [{ name: 'Summary', selector: '$.Payload.Summary' }],
        description: 'Summarize what was found.',
        isEnd: withoutRecords !== undefined,
      });
      steps.push(summary, ...(withoutRecords ? [withoutRecords] : []));
      const gathers = [
        `The alarm's state changes over the last ${lookback.toHumanString()} (\`cloudwatch:DescribeAlarmHistory\`).`,
        ...(queries.length > 0 ? [`Golden signals: ${queries.map((q) => q.Label).join(', ')} (\`cloudwatch:GetMetricData\`).`] : []),
        ...(groups.length > 0 ? [`Logs Insights on ${groups.length} log group(s): \`${query.replace(/\s*\n\s*/g, ' ')}\`.`] : []),
      ];
      return {
        documentName: props.documentName,
        description: { purpose: 'Investigate an alarm.', whenToUse: props.symptoms },
        parameters: [alarmName, lookbackMinutes],
        steps,
        outputs: [summary.output('Summary'), ...(withoutRecords ? [withoutRecords.output('Summary')] : [])],
        [MARKDOWN_OVERRIDE]: (finalSteps: Step[], documentName: string) => [
          heading(props.title ?? `Investigate ${documentName}`,
            'Playbook: find out what is wrong. Run it with the firing alarm as AlarmName and read the Summary output first.'),
          section('Symptoms', props.symptoms),
          section('What to check first', props.checks, true),
          section('Hypotheses', props.hypotheses),
          section('Next steps', props.nextSteps),
          section('What the automation gathers', gathers),
          paragraph('Approval', 'Not needed: it only reads.'),
          section('Steps', finalSteps.map((s) => `**${s.name}**: ${s._summary()}${s.description ? ` — ${s.description}` : ''}`), true),
        ].join(''),
      } as RunbookProps;
    }));
    this.alarmList = alarms;
    this.node.addValidation({
      validate: () => (this.alarmList.length === 0 ? [`Playbook ${this.node.path} investigates no alarm: pass alarms or call addAlarm().`] : []),
    });
  }

  /** Let the playbook investigate `alarm` too. */
  public addAlarm(alarm: cloudwatch.IAlarm): void {
    checkRequired(this, 'addAlarm(alarm)', alarm, Kinds.alarm, 'Pass a CloudWatch alarm (an Alarm, a CompositeAlarm or an imported one).');
    if (!this.alarmList.includes(alarm)) this.alarmList.push(alarm);
  }
}

/** GetMetricData queries for the golden signals: traffic, errors, latency (p99) and saturation. */
function metricQueries(scope: IConstruct, signals: GoldenSignals | undefined, metrics: PlaybookMetric[]): Array<Record<string, unknown>> {
  const entries: Array<[string, string, cloudwatch.IMetric, string]> = [];
  if (signals) {
    const latency = signals.latency instanceof cloudwatch.Metric ? signals.latency.with({ statistic: 'p99' }) : signals.latency;
    entries.push(['traffic', 'Traffic', signals.traffic, 'signals.traffic'], ['errors', 'Errors', signals.errors, 'signals.errors']);
    if (latency) entries.push(['latency', 'Latency p99', latency, 'signals.latency']);
    (signals.saturation ?? []).forEach((m, i) =>
      entries.push([`saturation${i}`, (m as cloudwatch.Metric).label ?? `Saturation ${i + 1}`, m, `signals.saturation[${i}]`]));
  }
  metrics.forEach((m, i) => entries.push([`metric${i}`, m.label, m.metric, `metrics[${i}].metric`]));
  return entries.map(([queryId, label, metric, prop]) => {
    const stat = metric.toMetricConfig().metricStat;
    if (!stat) fail(scope, `${prop} (${label}) is a math expression: give a plain metric (GetMetricData reads each one).`);
    return {
      Id: queryId,
      Label: label,
      MetricStat: {
        Metric: {
          Namespace: stat.namespace,
          MetricName: stat.metricName,
          Dimensions: (stat.dimensions ?? []).map((d) => ({ Name: d.name, Value: d.value })),
        },
        Period: stat.period.toSeconds(),
        Stat: stat.statistic,
      },
      ReturnData: true,
    };
  });
}

/** CloudWatch Logs Insights accepts queries of up to 10,000 characters. */
const MAX_QUERY_LENGTH = 10000;

/** The runtime shape of PlaybookProps, for plain-JavaScript callers, and the props that only apply together. */
function checkPlaybookProps(scope: IConstruct, props: PlaybookProps): void {
  const guide = 'A playbook guides the investigation: give at least one entry, none empty.';
  const metric: Check = (v) => {
    const m = v as PlaybookMetric | null;
    if (m === null || typeof m !== 'object') return 'must be a PlaybookMetric ({ label, metric })';
    return Checks.string({ nonEmpty: true })(m.label) ? 'must have a label (a non-empty string)' : Kinds.metric(m.metric);
  };
  checkProps(scope, 'PlaybookProps', props, {
    alarms: [Checks.arrayOf(Kinds.alarm, 'an array of CloudWatch alarms')],
    signals: [Checks.object('GoldenSignals ({ traffic, errors, latency, saturation })')],
    metrics: [Checks.arrayOf(metric, 'an array of PlaybookMetric ({ label, metric })')],
    logGroups: [Checks.arrayOf(Kinds.logGroup, 'an array of log groups')],
    logQuery: [Checks.string({ nonEmpty: true, maxLength: MAX_QUERY_LENGTH }),
      `CloudWatch Logs Insights runs queries of up to ${MAX_QUERY_LENGTH.toLocaleString('en-US')} characters: shorten it.`],
    lookback: [Checks.duration({ wholeMinutes: true, minSeconds: 5 * 60, maxSeconds: 7 * 24 * 3600 }),
      'Give 5 minutes to 7 days in whole minutes (LookbackMinutes), e.g. Duration.hours(1).'],
    title: [Checks.string({ nonEmpty: true })],
    documentName: [Checks.string()],
  });
  for (const what of ['symptoms', 'checks', 'hypotheses', 'nextSteps'] as const) {
    checkRequired(scope, what, props[what], NON_EMPTY_STRINGS, guide);
    if (props[what].length === 0) fail(scope, `${what} is empty: a playbook guides the investigation, give at least one.`);
  }
  if (props.signals) {
    checkProps(scope, 'GoldenSignals', props.signals, {
      latency: [Kinds.metric],
      saturation: [Checks.arrayOf(Kinds.metric, 'an array of CloudWatch metrics')],
    }, 'signals.');
    checkRequired(scope, 'signals.traffic', props.signals.traffic, Kinds.metric);
    checkRequired(scope, 'signals.errors', props.signals.errors, Kinds.metric);
  }
  if (props.logQuery !== undefined && (props.logGroups ?? []).length === 0) {
    fail(scope, 'logQuery is given without logGroups, so no query would run: give the log groups to query, or leave logQuery out.');
  }
}
