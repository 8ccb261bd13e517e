import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Sli } from './sli';
import { Playbook } from '../runbooks/playbook';

/**
 * The investigation playbook of an SLO that pages on its own (internal): the alarm history of its composites and the
 * SLI's metrics over the last hour.
 */
export function sloPlaybook(slo: Construct, input: {
  readonly documentName: string;
  readonly title: string;
  readonly serviceName: string;
  readonly sloName: string;
  readonly sli: Sli;
  readonly alarms: cloudwatch.IAlarm[];
  readonly escalation: string;
}): Playbook {
  return new Playbook(slo, 'Playbook', {
    documentName: input.documentName,
    title: `Investigate ${input.title}`,
    symptoms: [
      `The page composite fired: ${input.serviceName} burns the error budget of SLO ${input.sloName} fast.`,
      `The ticket composite fired: the budget of ${input.sloName} burns steadily.`,
    ],
    checks: [
      'Run this playbook with the firing alarm as AlarmName and read its Summary output: how many events were bad, since when?',
      'Was anything deployed or reconfigured shortly before the first state change?',
      `Which callers or operations of ${input.serviceName} fail? Break the SLI metrics down by dimension.`,
    ],
    hypotheses: [
      'A recent deployment or configuration change broke part of the traffic.',
      'A dependency is slow or failing.',
      'A traffic change (new client, burst, retry storm) pushed the service past capacity.',
    ],
    nextSteps: [
      'A deployment: roll it back, then investigate.',
      'A dependency: engage its owner; fail over or shed load if you can.',
      `Not clear within 30 minutes: escalate to ${input.escalation}.`,
    ],
    alarms: input.alarms,
    metrics: input.sli._playbookMetrics(),
  });
}
