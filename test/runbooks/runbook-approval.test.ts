import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DESCRIPTION, ONCALL_ROLE_ARN, opsStack, readAlias, runbook, updateAlias } from './runbook-fixtures';
import { Approvers, BranchChoice, Runbook, RunbookApproval, Step, StepFailure } from '../../src';
import { documentContent } from '../support/runbook-simulation';

const PATH = 'Ops/Freight/Rollback';
const GATE_DESCRIPTION = 'Approval gate inserted by cdk-operable: nothing changes before on-call approves.';
const SECURITY_ROLE_ARN = 'arn:aws:iam::123456789012:role/security';

const names = (rb: Runbook) => documentContent(rb).mainSteps.map((m) => m.name);
const stepOf = (rb: Runbook, name: string) => documentContent(rb).mainSteps.find((m) => m.name === name)!;
const security = (stack: Stack) => Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Security', SECURITY_ROLE_ARN)] });

describe('the approval gate of a state-changing runbook', () => {
  test('an ApproveChange step right before the first state-changing step, with the workload approvers', () => {
    const { runbook: rb } = runbook({ steps: [readAlias('Read'), readAlias('ReadAgain'), updateAlias('Point')] });
    expect(names(rb)).toEqual(['Read', 'ReadAgain', 'ApproveChange', 'Point']);
    expect(stepOf(rb, 'ApproveChange')).toEqual({
      name: 'ApproveChange',
      action: 'aws:approve',
      description: GATE_DESCRIPTION,
      inputs: {
        Approvers: [ONCALL_ROLE_ARN],
        MinRequiredApprovals: 1,
        Message: 'Approve runbook freight-rollback (execution {{ automation:EXECUTION_ID }}): it changes Point.',
      },
    });
    expect(rb.steps.map((s) => s.name)).toEqual(['Read', 'ReadAgain', 'ApproveChange', 'Point']);
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([true, true]);
  });

  test('the message lists every state-changing step', () => {
    const { runbook: rb } = runbook({ steps: [updateAlias('Point'), readAlias('Read'), updateAlias('PointAgain')] });
    expect(names(rb)).toEqual(['ApproveChange', 'Point', 'Read', 'PointAgain']);
    expect(stepOf(rb, 'ApproveChange').inputs.Message).toBe(
      'Approve runbook freight-rollback (execution {{ automation:EXECUTION_ID }}): it changes Point, PointAgain.');
  });

  test('MinRequiredApprovals and NotificationArn come from the approvers; the role may publish to the topic', () => {
    let topic: sns.Topic | undefined;
    const { stack, runbook: rb } = runbook({ steps: [readAlias(), updateAlias()] }, (s) => {
      topic = new sns.Topic(s, 'Approvals', { topicName: 'AutomationApprovals' });
      return Approvers.of({
        roles: [iam.Role.fromRoleArn(s, 'Oncall', ONCALL_ROLE_ARN)],
        principals: [SECURITY_ROLE_ARN],
        minRequiredApprovals: 2,
        notificationTopic: topic,
      });
    });
    const topicId = stack.getLogicalId(topic!.node.defaultChild as sns.CfnTopic);
    expect(stepOf(rb, 'ApproveChange').inputs).toEqual({
      Approvers: [ONCALL_ROLE_ARN, SECURITY_ROLE_ARN],
      MinRequiredApprovals: 2,
      Message: 'Approve runbook freight-rollback (execution {{ automation:EXECUTION_ID }}): it changes Point.',
      NotificationArn: topicId,
    });
    expect(rb.markdown).toContain('\n## Approval\n\nStep ApproveChange waits for 2 approval(s) from 2 approver(s) before anything changes.\n');
  });

  test('a nextStep that pointed at the guarded step points at the gate', () => {
    const { runbook: rb } = runbook({ steps: [readAlias('Read', { nextStep: 'Point' }), readAlias('Skipped'), updateAlias('Point')] });
    expect(names(rb)).toEqual(['Read', 'Skipped', 'ApproveChange', 'Point']);
    expect(stepOf(rb, 'Read').nextStep).toBe('ApproveChange');
  });

  test('an onFailure goTo that pointed at the guarded step points at the gate', () => {
    const { runbook: rb } = runbook({
      steps: [readAlias('Read', { onFailure: StepFailure.goTo('Point') }), readAlias('Check'), updateAlias('Point')],
    });
    expect(names(rb)).toEqual(['Read', 'Check', 'ApproveChange', 'Point']);
    expect(stepOf(rb, 'Read').onFailure).toBe('step:ApproveChange');
  });

  test('branch choices and the default that pointed at the guarded step point at the gate', () => {
    const { runbook: rb } = runbook({
      steps: [
        readAlias('Read'),
        Step.branch({
          name: 'Check',
          choices: [BranchChoice.stringEquals('{{ Read.Version }}', '7', 'Done'), BranchChoice.stringEquals('{{ Read.Version }}', '6', 'Point')],
          defaultStep: 'Point',
        }),
        updateAlias('Point', { isEnd: true }),
        readAlias('Done'),
      ],
    });
    expect(names(rb)).toEqual(['Read', 'Check', 'ApproveChange', 'Point', 'Done']);
    expect(stepOf(rb, 'Check').inputs).toEqual({
      Choices: [
        { NextStep: 'Done', Variable: '{{ Read.Version }}', StringEquals: '7' },
        { NextStep: 'ApproveChange', Variable: '{{ Read.Version }}', StringEquals: '6' },
      ],
      Default: 'ApproveChange',
    });
    expect(rb.hasApprovalGate).toBe(true);
  });

  test('when the first state-changing step does not guard the others, the gate goes first', () => {
    const { runbook: rb } = runbook({
      steps: [
        readAlias('Read'),
        Step.branch({ name: 'Check', choices: [BranchChoice.stringEquals('{{ Read.Version }}', '7', 'PointCanary')], defaultStep: 'Point' }),
        updateAlias('Point', { isEnd: true }),
        updateAlias('PointCanary', { inputs: { FunctionName: 'quotes', Name: 'canary', FunctionVersion: '7' } }),
      ],
    });
    expect(names(rb)).toEqual(['ApproveChange', 'Read', 'Check', 'Point', 'PointCanary']);
    expect(stepOf(rb, 'Check').inputs.Default).toBe('Point');
    expect(rb.hasApprovalGate).toBe(true);
  });

  test('the gate takes another name when a step is already called ApproveChange', () => {
    const { runbook: rb } = runbook({ steps: [readAlias('ApproveChange'), updateAlias()] });
    expect(names(rb)).toEqual(['ApproveChange', 'ApproveChange2', 'Point']);
    expect(stepOf(rb, 'ApproveChange2').action).toBe('aws:approve');
  });

  test('a child runbook that changes state is gated; a read-only one is not', () => {
    const { workload } = opsStack();
    const changing = Runbook.fromDocumentName(workload, 'Restart', 'freight-restart');
    const reading = Runbook.fromDocumentName(workload, 'Inspect', 'freight-inspect', { changesState: false });
    const gated = new Runbook(workload, 'Gated', { description: DESCRIPTION, steps: [Step.executeAutomation({ name: 'Run', runbook: changing })] });
    const open = new Runbook(workload, 'Open', { description: DESCRIPTION, steps: [Step.executeAutomation({ name: 'Run', runbook: reading })] });
    expect([names(gated), gated.changesState, gated.hasApprovalGate]).toEqual([['ApproveChange', 'Run'], true, true]);
    expect([names(open), open.changesState, open.hasApprovalGate]).toEqual([['Run'], false, false]);
  });

  test('without approvers on the workload: the precise error', () => {
    expect(() => runbook({ steps: [readAlias(), updateAlias('Point'), updateAlias('PointAgain')] }, null)).toThrow(
      `[${PATH}] Runbook 'freight-rollback' changes production state (Point, PointAgain) and needs an approval gate, ` +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });
});

describe('read-only runbooks and opting out', () => {
  test('a read-only runbook gets no gate and needs no approvers', () => {
    const { runbook: rb } = runbook({ description: { purpose: 'Show.', whenToUse: ['Always'] }, steps: [readAlias('Read'), readAlias('Again')] }, null);
    expect(names(rb)).toEqual(['Read', 'Again']);
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([false, false]);
  });

  test("RunbookApproval.none('reason'): no gate, no approvers needed, the reason in the Markdown", () => {
    const reason = 'runs unattended as an automated response; only moves the alias back';
    const { runbook: rb } = runbook({ steps: [readAlias(), updateAlias()], approval: RunbookApproval.none(reason) }, null);
    expect(names(rb)).toEqual(['Read', 'Point']);
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([true, false]);
    expect(rb.markdown).toContain(`\n## Approval\n\nNot gated: ${reason}\n`);
  });

  test.each(['', '   '])("RunbookApproval.none('%s') fails: the reason is required", (reason) => {
    expect(() => runbook({ steps: [updateAlias()], approval: RunbookApproval.none(reason) })).toThrow(
      `[${PATH}] approval is RunbookApproval.none('${reason}') without a reason: say why the runbook may run unattended ` +
      '(e.g. "runs unattended as an automated response; only restarts tasks").');
  });

  test('RunbookApproval.by(approvers) gates even a read-only runbook, with those approvers, on a workload without any', () => {
    const { stack, workload } = opsStack(null);
    const rb = new Runbook(workload, 'Rollback', {
      description: { purpose: 'Show.', whenToUse: ['Always'] },
      steps: [readAlias()],
      approval: RunbookApproval.by(security(stack)),
    });
    expect(names(rb)).toEqual(['ApproveChange', 'Read']);
    expect(stepOf(rb, 'ApproveChange').inputs).toEqual({
      Approvers: [SECURITY_ROLE_ARN],
      MinRequiredApprovals: 1,
      Message: 'Approve runbook freight-rollback (execution {{ automation:EXECUTION_ID }}): it changes .',
    });
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([false, true]);
  });

  test('RunbookApproval.by(approvers) replaces the workload approvers of a state-changing runbook', () => {
    const { stack, workload } = opsStack();
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [updateAlias()], approval: RunbookApproval.by(security(stack)) });
    expect(stepOf(rb, 'ApproveChange').inputs.Approvers).toEqual([SECURITY_ROLE_ARN]);
  });

  test("RunbookApproval.by(approvers): the Markdown does not claim the workload's approvers", () => {
    const { stack, workload } = opsStack(null);
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [updateAlias()], approval: RunbookApproval.by(security(stack)) });
    expect(rb.markdown).toContain('Step ApproveChange waits for 1 approval(s)');
    expect(rb.markdown).not.toContain("the workload's approvers");
  });
});

describe('approval steps placed by the user', () => {
  const approve = (name = 'Approve', approvers?: Approvers) => Step.approve({ name, message: 'Move the alias back?', approvers });

  test('an approval before every state-changing step is the gate: nothing is inserted', () => {
    const { runbook: rb } = runbook({ steps: [readAlias(), approve(), updateAlias()] });
    expect(names(rb)).toEqual(['Read', 'Approve', 'Point']);
    expect(stepOf(rb, 'Approve').inputs).toEqual({ Approvers: [ONCALL_ROLE_ARN], MinRequiredApprovals: 1, Message: 'Move the alias back?' });
    expect(rb.hasApprovalGate).toBe(true);
    expect(rb.markdown).toContain('Step Approve waits for 1 approval(s) from 1 approver(s) before anything changes.');
  });

  test('an approval after a state-changing step fails', () => {
    expect(() => runbook({ steps: [updateAlias('Point'), approve(), updateAlias('PointAgain')] })).toThrow(
      `[${PATH}] Step(s) Point change state but can run before any approval step: move the approval before them, ` +
      "or opt out with RunbookApproval.none('reason').");
  });

  test('an approval a branch can skip fails', () => {
    expect(() => runbook({
      steps: [
        readAlias('Read'),
        Step.branch({ name: 'Check', choices: [BranchChoice.stringEquals('{{ Read.Version }}', '7', 'Point')], defaultStep: 'Approve' }),
        approve(),
        updateAlias('Point'),
      ],
    })).toThrow(`[${PATH}] Step(s) Point change state but can run before any approval step`);
  });

  test('with approvers of its own on a workload without any', () => {
    const { stack, workload } = opsStack(null);
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [approve('Approve', security(stack)), updateAlias()] });
    expect(stepOf(rb, 'Approve').inputs.Approvers).toEqual([SECURITY_ROLE_ARN]);
    expect(rb.hasApprovalGate).toBe(true);
  });

  test('the Markdown counts the approvals the gating step needs', () => {
    const two = Approvers.of({ principals: [ONCALL_ROLE_ARN, SECURITY_ROLE_ARN], minRequiredApprovals: 2 });
    const { runbook: rb } = runbook({ steps: [approve('Approve', two), updateAlias()] });
    expect(stepOf(rb, 'Approve').inputs.MinRequiredApprovals).toBe(2);
    expect(rb.markdown).toContain('Step Approve waits for 2 approval(s)');
  });

  test('without approvers, on a workload without any, fails', () => {
    expect(() => runbook({ steps: [approve(), updateAlias()] }, null)).toThrow(
      `[${PATH}] Step 'Approve' is an approval, but no approvers are given and the workload has none: set approvers on the Workload ` +
      '(Approvers.of({ roles: [oncallRole] })) or on the step.');
  });

  test('with RunbookApproval.none, an approval that guards nothing is allowed but is no gate', () => {
    const { runbook: rb } = runbook({ steps: [updateAlias(), approve()], approval: RunbookApproval.none('a drill') });
    expect([names(rb), rb.hasApprovalGate]).toEqual([['Point', 'Approve'], false]);
  });
});

describe('approvers checked at synth', () => {
  const withTopic = (topic: (stack: Stack) => sns.ITopic) => {
    const { stack, workload } = opsStack(null);
    return () => new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [updateAlias()],
      approval: RunbookApproval.by(Approvers.of({ principals: [SECURITY_ROLE_ARN], notificationTopic: topic(stack) })),
    });
  };
  const WRONG_NAME = `[${PATH}] notificationTopic 'Approvals' must have a name starting with 'Automation' for Systems Manager to notify it ` +
    "(e.g. topicName: 'AutomationApprovals').";

  test("an imported notification topic whose name does not start with 'Automation'", () => {
    expect(withTopic((stack) => sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:Approvals'))).toThrow(WRONG_NAME);
  });

  test("an imported notification topic named 'Automation...' is fine", () => {
    expect(withTopic((stack) => sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:AutomationApprovals'))).not.toThrow();
  });

  test("a notification topic defined with a name that does not start with 'Automation'", () => {
    expect(withTopic((stack) => new sns.Topic(stack, 'Topic', { topicName: 'Approvals' }))).toThrow(WRONG_NAME);
  });

  test('a notification topic with a generated name', () => {
    expect(withTopic((stack) => new sns.Topic(stack, 'Topic'))).toThrow(
      `[${PATH}] notificationTopic Ops/Topic has a generated name; Systems Manager only notifies topics named 'Automation...'`);
  });

  test('more required approvals than approvers', () => {
    const { stack, workload } = opsStack(null);
    expect(() => new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [updateAlias()],
      approval: RunbookApproval.by(Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', ONCALL_ROLE_ARN)], minRequiredApprovals: 2 })),
    })).toThrow(`[${PATH}] minRequiredApprovals 2 must be a whole number from 1 to the number of approvers (1).`);
  });
});
