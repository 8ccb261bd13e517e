import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ServiceLogQuery } from './service-options';
import { GoldenSignals } from '../core/golden-signals';
import { Workload } from '../core/workload';
import { Playbook } from '../runbooks/playbook';

/** What a service's investigation playbook is built from (internal). */
export interface ServicePlaybookInput {
  readonly documentName: string;
  readonly serviceName: string;
  readonly workload: Workload;
  readonly dashboardName?: string;
  readonly alarms: cloudwatch.IAlarm[];
  readonly signals: GoldenSignals;
  readonly logQuery?: ServiceLogQuery;
}

/**
 * The investigation playbook of a service (internal): what fired and since when, the golden signals, recent errors from
 * the logs, and the questions to ask, in the order an on-call engineer asks them.
 */
export function servicePlaybook(scope: Construct, input: ServicePlaybookInput): Playbook {
  const { workload, serviceName } = input;
  const dashboard = input.dashboardName ? `Open the dashboard ${input.dashboardName}: which golden signal moved first, and when?` : undefined;
  return new Playbook(scope, 'Playbook', {
    documentName: input.documentName,
    title: `Investigate ${serviceName} (${workload.workloadName})`,
    symptoms: [
      `The page composite ${workload.workloadName}-${serviceName}-page fired: an SLO of ${serviceName} burns its error budget fast.`,
      `The ticket composite ${workload.workloadName}-${serviceName}-ticket fired: a slow burn, or an operational alarm (saturation, failures).`,
    ],
    checks: [
      'Run this playbook with the firing alarm as AlarmName and read its Summary output.',
      ...(dashboard ? [dashboard] : []),
      'Was anything deployed or reconfigured in the last hour (a release, a feature flag, an infrastructure change)?',
    ],
    hypotheses: [
      'A recent deployment or configuration change introduced errors or latency.',
      'A dependency (database, downstream API, queue) is slow or failing.',
      'Traffic outgrew capacity: throttles, concurrency, connection limits.',
      'A client sends bad requests (a rise in 4XX or validation errors).',
    ],
    nextSteps: [
      'A deployment: roll it back, then investigate.',
      'A dependency: check its dashboard and on-call; fail over or shed load if you can.',
      'Capacity: raise the limit or scale out, then review the capacity plan.',
      `Not clear within 30 minutes: escalate to ${workload.owner.escalation ?? workload.owner.onCall}.`,
    ],
    alarms: input.alarms,
    signals: input.signals,
    logGroups: input.logQuery?.logGroups,
    logQuery: input.logQuery?.query,
  });
}
