import { Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RunbookParameter } from '../runbooks/parameter';
import { Runbook, RunbookApproval } from '../runbooks/runbook';
import { Step } from '../runbooks/step';

/** FIS experiment states after which nothing more happens (FIS API reference, ExperimentState). */
export const FINAL_STATES = ['completed', 'stopped', 'failed', 'cancelled'];

/** An experiment template the start runbook can start (internal). */
export interface StartableExperiment {
  readonly name: string;
  readonly kind: string;
  readonly templateId: string;
  readonly runbook: string;
  readonly duration?: Duration;
}

/** What the start runbook is built from (internal). */
export interface StartRunbookOptions {
  readonly documentName: string;
  readonly workloadName: string;
  readonly serviceName: string;
  readonly pageAlarms: string;
  readonly experiments: StartableExperiment[];
  readonly approval?: RunbookApproval;
}

/** Time to wait for an experiment beyond its longest action: target resolution, ECS task stops, a failover. */
const MARGIN = Duration.minutes(20);

/**
 * The runbook that starts one of a game day's experiment templates and waits until the experiment ends: parameter
 * `ExperimentTemplateId` (one of the game day's), the workload's approval gate, `fis:StartExperiment` (idempotent per
 * execution), a wait on `fis:GetExperiment` until a final state, and the outcome as outputs.
 */
export function startRunbook(scope: Construct, id: string, options: StartRunbookOptions): Runbook {
  const stack = Stack.of(scope);
  const experimentArns = stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' });
  const templateArns = options.experiments.map((e) => stack.formatArn({ service: 'fis', resource: 'experiment-template', resourceName: e.templateId }));
  const template = RunbookParameter.ofString('ExperimentTemplateId', {
    description: `The experiment to run: ${options.experiments.map((e) => `${e.name} (${e.templateId})`).join(', ')}.`,
    allowedValues: options.experiments.map((e) => e.templateId),
  });
  const start = Step.executeAwsApi({
    name: 'StartExperiment',
    service: 'fis',
    api: 'StartExperiment',
    inputs: { clientToken: '{{ automation:EXECUTION_ID }}', experimentTemplateId: template.reference },
    resources: [...templateArns, experimentArns],
    outputs: [{ name: 'ExperimentId', selector: '$.experiment.id' }],
    description: 'Start the experiment (one per execution: the execution id is the idempotency token).',
  });
  const experiment = { id: start.output('ExperimentId') };
  const longest = Math.max(0, ...options.experiments.map((e) => e.duration?.toSeconds() ?? 0));
  const result = Step.executeAwsApi({
    name: 'ReadResult',
    service: 'fis',
    api: 'GetExperiment',
    inputs: experiment,
    resources: [experimentArns],
    outputs: [
      { name: 'Status', selector: '$.experiment.state.status' },
      { name: 'Reason', selector: '$.experiment.state.reason' },
    ],
    description: 'Read how the experiment ended: completed, or stopped by a stop condition (the page alarm fired).',
  });
  return new Runbook(scope, id, {
    documentName: options.documentName,
    approval: options.approval,
    title: `Start a game day of ${options.serviceName} (${options.workloadName})`,
    description: {
      purpose: `Start one of the AWS FIS experiments of the ${options.serviceName} game day and wait until it ends. ` +
        `FIS stops it when ${options.pageAlarms} fires.`,
      whenToUse: [
        'A planned game day: the on-call engineer practises the runbook the experiment exercises while the fault is live (OPS07, OPS11).',
        ...options.experiments.map((e) => `${e.name}${e.name === e.kind ? '' : ` (${e.kind})`}, template ${e.templateId}: exercises ${e.runbook}.`),
      ],
      preconditions: [
        `${options.serviceName} is healthy and its page alarm is OK: FIS stops an experiment as soon as a stop condition is in ALARM.`,
        'The people on call know the game day is starting, and who watches the dashboard.',
      ],
      rollback: 'Stop the experiment: `aws fis stop-experiment --id <StartExperiment.ExperimentId>`. FIS ends timed faults; stopped ' +
        'tasks are replaced by ECS, and a failover is reverted with the failover runbook.',
    },
    parameters: [template],
    steps: [
      start,
      Step.waitForAwsResourceProperty({
        name: 'WaitForEnd',
        service: 'fis',
        api: 'GetExperiment',
        inputs: experiment,
        resources: [experimentArns],
        propertySelector: '$.experiment.state.status',
        desiredValues: FINAL_STATES,
        timeout: Duration.seconds(longest + MARGIN.toSeconds()),
        description: 'Wait until the experiment completes, or a stop condition stops it.',
      }),
      result,
    ],
    outputs: [start.output('ExperimentId'), result.output('Status'), result.output('Reason')],
  });
}
