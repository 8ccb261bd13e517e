import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { assessment } from './fixtures/report';
import { ASSESSED_ON, attestations, entry, plainApp, practiceOf, reviewOf, scopeOf, tempDir } from './support';
import { OpsBestPractices } from '../../src/nag/best-practices';
import { CustomLens } from '../../src/orr/lens';
import { RiskRule, riskOf } from '../../src/orr/lens-rules';
import { PracticeAssessment, PracticeStatus, ReadinessFinding, ReadinessReport, ScopeReadiness } from '../../src/orr/model';
import { WellArchitectedAnswers } from '../../src/orr/wa-answers';
import { CLIP_MARKER } from '../../src/orr/wa-answers-build';

interface ChoiceUpdateDoc { Status: string; Reason: string; Notes: string }
interface AnswerDoc {
  QuestionId: string;
  SelectedChoices: string[];
  ChoiceUpdates: Record<string, ChoiceUpdateDoc>;
  IsApplicable: boolean;
  Reason?: string;
  Notes: string;
  ExpectedRisk: string;
}
interface WorkloadDoc {
  lensAlias: string;
  workload: string;
  workloadId: string;
  assessedOn: string;
  answers: AnswerDoc[];
  milestone: { MilestoneName: string; ClientRequestToken: string };
  commands: string[];
}

const LENS = new CustomLens();
const ALL_LENS = new CustomLens({ includeUncoveredQuestions: true });
const ACK_REASON = 'X-Ray not allowed in this account';
const EVIDENCE = "https://wiki.example.com/on-call?team=billing&view='full' $HOME `id` \"quoted\"";

/** The risk rules of each question of a lens, by question id. */
function rulesOf(lens: CustomLens): Map<string, RiskRule[]> {
  const doc = JSON.parse(lens.toJson()) as { pillars: Array<{ questions: Array<{ id: string; riskRules: RiskRule[] }> }> };
  return new Map(doc.pillars.flatMap((p) => p.questions.map((q) => [q.id, q.riskRules] as [string, RiskRule[]])));
}

/** An assessment of a practice with this status (catalogue id, title, risk, URL), checked by a rule. */
function practice(practiceId: string, status: PracticeStatus, extra: Partial<PracticeAssessment> = {}): PracticeAssessment {
  return assessment(practiceId, status, { ruleIds: ['OPS-Example'], passedChecks: status === PracticeStatus.MET ? 3 : 0, improvement: '', ...extra });
}

function findingOn(resourcePath: string, ruleId = 'OPS-AlarmAction'): ReadinessFinding {
  return {
    ruleId,
    findingId: ruleId,
    level: 'ERROR',
    resourcePath,
    logicalId: 'Alarm',
    stack: 'Hand',
    resourceType: 'AWS::CloudWatch::Alarm',
    info: 'The alarm has no action.',
    fix: 'Give it an action.',
  };
}

let report: ReadinessReport;
let answers: WellArchitectedAnswers;
let doc: WorkloadDoc;
let payments: ScopeReadiness;

/** A report of one hand-built workload, from the synthesized report (so every field of the model is there). */
function handReport(practices: PracticeAssessment[], name = 'hand'): ReadinessReport {
  return { ...report, workloads: [{ ...payments, kind: 'workload', name, workload: name, practices }] };
}

function answerOf(d: WorkloadDoc, questionId: string): AnswerDoc {
  const found = d.answers.find((a) => a.QuestionId === questionId);
  if (!found) throw new Error(`No answer to ${questionId}: ${d.answers.map((a) => a.QuestionId).join(', ')}`);
  return found;
}

beforeAll(() => {
  const app = plainApp((fn) => Validations.of(fn).acknowledge({ id: 'OpsExcellence::OPS-Tracing', reason: ACK_REASON }));
  report = reviewOf(app.dir, attestations(entry('OPS07-BP01', { attestedBy: "Dana O'Neil (squad lead)", expires: '2027-06-30', evidence: EVIDENCE })));
  payments = scopeOf(report, 'payments', 'workloads');
  answers = WellArchitectedAnswers.fromReport(report, LENS);
  doc = JSON.parse(answers.documentOf('payments')) as WorkloadDoc;
});

describe('WellArchitectedAnswers from a synthesized review', () => {
  test('one document per workload in the UpdateAnswer request shape, answering exactly the lens questions', () => {
    expect(answers.workloads).toEqual(['payments']);
    expect(Object.keys(doc)).toEqual(['lensAlias', 'workload', 'workloadId', 'assessedOn', 'answers', 'milestone', 'commands']);
    expect(doc).toMatchObject({ lensAlias: '$LENS_ALIAS', workload: 'payments', workloadId: '$WORKLOAD_ID', assessedOn: ASSESSED_ON });
    expect(doc.answers.map((a) => a.QuestionId)).toEqual(LENS.questionIds);
    for (const a of doc.answers) {
      expect(Object.keys(a)).toEqual(['QuestionId', 'SelectedChoices', 'ChoiceUpdates', 'IsApplicable', ...(a.IsApplicable ? [] : ['Reason']), 'Notes', 'ExpectedRisk']);
    }
    // A lens with all eleven questions gets all eleven answered.
    const all = WellArchitectedAnswers.fromReport(report, ALL_LENS).answersOf('payments');
    expect(all.map((a) => a.questionId)).toEqual(['ops01', 'ops02', 'ops03', 'ops04', 'ops05', 'ops06', 'ops07', 'ops08', 'ops09', 'ops10', 'ops11']);
    // toJson holds every workload's document.
    expect(JSON.parse(answers.toJson())).toEqual({ assessedOn: ASSESSED_ON, lensAlias: '$LENS_ALIAS', workloads: [doc] });
  });

  test('MET and ATTESTED practices are selected, and every choice of the question gets a status', () => {
    for (const a of doc.answers) {
      const inQuestion = payments.practices.filter((p) => p.questionId.toLowerCase() === a.QuestionId);
      const satisfied = inQuestion.filter((p) => [PracticeStatus.MET, PracticeStatus.ATTESTED].includes(p.status))
        .map((p) => CustomLens.choiceIdOf(p.practiceId));
      const noneSelected = satisfied.length === 0 && !inQuestion.every((p) => p.status === PracticeStatus.NOT_APPLICABLE);
      expect(a.SelectedChoices).toEqual(noneSelected ? [`${a.QuestionId}_no`] : satisfied);
      expect(Object.keys(a.ChoiceUpdates)).toEqual([...inQuestion.map((p) => CustomLens.choiceIdOf(p.practiceId)), `${a.QuestionId}_no`]);
      for (const [id, u] of Object.entries(a.ChoiceUpdates)) expect(u.Status).toEqual(a.SelectedChoices.includes(id) ? 'SELECTED' : expect.stringMatching(/^(UNSELECTED|NOT_APPLICABLE)$/));
    }
    expect(answerOf(doc, 'ops02').SelectedChoices).toContain('ops02_bp01');
    expect(answerOf(doc, 'ops02').ChoiceUpdates.ops02_bp01.Notes).toBe(`Met: ${practiceOf(payments, 'OPS02-BP01').passedChecks} check(s) by ` +
      `${practiceOf(payments, 'OPS02-BP01').ruleIds.join(', ')} passed on the templates.`);
    const ops07 = answerOf(doc, 'ops07');
    expect(ops07.SelectedChoices).toContain('ops07_bp01');
    expect(ops07.ChoiceUpdates.ops07_bp01).toEqual({
      Status: 'SELECTED',
      Reason: 'NONE',
      Notes: `Attested by Dana O'Neil (squad lead) on 2026-11-02, until 2027-06-30 (evidence: ${EVIDENCE}).`,
    });
    expect(ops07.Notes).toContain(`OPS07-BP01 attested by Dana O'Neil (squad lead) on 2026-11-02, until 2027-06-30 (evidence: ${EVIDENCE}).`);
    // Nothing that applies in OPS05 is met or attested: "None of these" is selected, so the Tool scores the maximum risk.
    expect(practiceOf(payments, 'OPS05-BP04').status).toBe(PracticeStatus.NOT_MET);
    const ops05 = answerOf(doc, 'ops05');
    expect(ops05.SelectedChoices).toEqual(['ops05_no']);
    expect(ops05.ChoiceUpdates.ops05_no).toEqual({ Status: 'SELECTED', Reason: 'NONE', Notes: 'No practice of this question that applies is met or attested.' });
    expect(ops05.ExpectedRisk).toBe('HIGH_RISK');
  });

  test('NOT_APPLICABLE practices are marked not applicable (OUT_OF_SCOPE); the question stays applicable while another practice applies', () => {
    const ops04 = answerOf(doc, 'ops04');
    const bp03 = practiceOf(payments, 'OPS04-BP03');
    expect(bp03.status).toBe(PracticeStatus.NOT_APPLICABLE);
    expect(ops04.ChoiceUpdates.ops04_bp03).toEqual({
      Status: 'NOT_APPLICABLE', Reason: 'OUT_OF_SCOPE', Notes: `Not applicable: no resource of payments is checked by ${bp03.ruleIds.join(', ')}.`,
    });
    expect(ops04.IsApplicable).toBe(true);
    // A not-applicable practice does not stand in for a met one: nothing that applies is met, so "None of these".
    expect(ops04.SelectedChoices).toEqual(['ops04_no']);
    expect(ops04.ChoiceUpdates.ops04_no.Status).toBe('SELECTED');
    expect(ops04.ExpectedRisk).toBe('HIGH_RISK');
  });

  test('an acknowledged finding stays UNSELECTED with reason BUSINESS_PRIORITIES, never selected', () => {
    const tracing = practiceOf(payments, 'OPS04-BP05');
    expect(tracing.status).toBe(PracticeStatus.ACKNOWLEDGED);
    const ops04 = answerOf(doc, 'ops04');
    expect(ops04.SelectedChoices).not.toContain('ops04_bp05');
    expect(ops04.ChoiceUpdates.ops04_bp05).toEqual({
      Status: 'UNSELECTED', Reason: 'BUSINESS_PRIORITIES', Notes: `Accepted risk (${ACK_REASON}): OPS-Tracing on Plain/Billing/Handler/Resource`,
    });
    expect(ops04.Notes).toContain(`OPS04-BP05 accepted risk (${ACK_REASON}): OPS-Tracing on Plain/Billing/Handler/Resource.`);
  });

  test('ExpectedRisk is riskOf on the lens rules of the question; HIGH_RISK when a HIGH practice is NOT_MET', () => {
    const rules = rulesOf(LENS);
    for (const a of doc.answers) {
      const na = Object.entries(a.ChoiceUpdates).filter(([, u]) => u.Status === 'NOT_APPLICABLE').map(([id]) => id);
      expect(a.ExpectedRisk).toBe(a.IsApplicable ? riskOf(rules.get(a.QuestionId)!, new Set(a.SelectedChoices), new Set(na)) : 'NOT_APPLICABLE');
    }
    expect(practiceOf(payments, 'OPS08-BP04')).toMatchObject({ risk: 'HIGH', status: PracticeStatus.NOT_MET });
    expect(answerOf(doc, 'ops08').ExpectedRisk).toBe('HIGH_RISK');
    expect(answerOf(doc, 'ops08').Notes).toContain(`OPS08-BP04 not met: ${practiceOf(payments, 'OPS08-BP04').findings[0].ruleId} on `);
  });

  test('notes name counts, findings (rule and resource path), attestations, met and not-applicable practices, within the limits', () => {
    const ops04 = answerOf(doc, 'ops04');
    const bp01 = practiceOf(payments, 'OPS04-BP01');
    expect(ops04.Notes.startsWith(`cdk-operable readiness review of payments, ${ASSESSED_ON}: 2 not met, 1 risk accepted, 2 not applicable. ` +
      `OPS04-BP01 not met: ${bp01.findings[0].ruleId} on ${bp01.findings[0].resourcePath}.`)).toBe(true);
    expect(ops04.Notes.endsWith('Not applicable (their rules check no resource here): OPS04-BP03, OPS04-BP04.')).toBe(true);
    for (const a of doc.answers) {
      expect(a.Notes.length).toBeLessThanOrEqual(WellArchitectedAnswers.NOTES_MAX_LENGTH);
      expect(a.Notes).not.toMatch(/[\n\r\t]/);
      for (const u of Object.values(a.ChoiceUpdates)) expect(u.Notes.length).toBeLessThanOrEqual(WellArchitectedAnswers.CHOICE_NOTES_MAX_LENGTH);
    }
  });

  test('the milestone: ORR <date> <hash of the answers>, at most 100 characters, unique per answers and date, idempotent', () => {
    const milestone = answers.milestoneOf('payments');
    expect(milestone.milestoneName).toMatch(new RegExp(`^ORR ${ASSESSED_ON} [0-9a-f]{8}$`));
    expect(milestone.milestoneName.length).toBeLessThanOrEqual(WellArchitectedAnswers.MILESTONE_NAME_MAX_LENGTH);
    expect(milestone.clientRequestToken).toMatch(/^cdk-operable-[0-9a-f]{32}$/);
    expect(doc.milestone).toEqual({ MilestoneName: milestone.milestoneName, ClientRequestToken: milestone.clientRequestToken });
    // The same review again: the same milestone and token (re-running create-milestone is safe).
    expect(WellArchitectedAnswers.fromReport(report, LENS).milestoneOf('payments')).toEqual(milestone);
    // Other answers, or another date: another name and token.
    const unattested = reviewOf(plainApp().dir);
    const other = WellArchitectedAnswers.fromReport(unattested, LENS).milestoneOf('payments');
    expect(other.milestoneName).toMatch(new RegExp(`^ORR ${ASSESSED_ON} [0-9a-f]{8}$`));
    expect(other.milestoneName).not.toBe(milestone.milestoneName);
    expect(other.clientRequestToken).not.toBe(milestone.clientRequestToken);
    const later = WellArchitectedAnswers.fromReport({ ...report, assessedOn: '2027-01-05' }, LENS).milestoneOf('payments');
    expect(later.milestoneName).toMatch(/^ORR 2027-01-05 [0-9a-f]{8}$/);
    expect(later.clientRequestToken).not.toBe(milestone.clientRequestToken);
    const prefixed = WellArchitectedAnswers.fromReport(report, LENS, { milestonePrefix: 'x'.repeat(80) }).milestoneOf('payments');
    expect(prefixed.milestoneName.length).toBe(100);
    expect(() => WellArchitectedAnswers.fromReport(report, LENS, { milestonePrefix: 'x'.repeat(81) })).toThrow(
      `WellArchitectedAnswers: milestonePrefix '${'x'.repeat(81)}' must be 1 to 80 characters without control characters, ` +
      "so the milestone name '<prefix> <date> <hash>' stays within 100.");
  });
});

describe('WellArchitectedAnswers commands', () => {
  test('one update-answer per question, then create-milestone; the shell passes back exactly the request values', () => {
    const commands = answers.commandsOf('payments');
    expect(commands).toHaveLength(doc.answers.length + 1);
    expect(commands).toEqual(doc.commands);
    expect(commands[0].startsWith(`aws wellarchitected update-answer --workload-id "$WORKLOAD_ID" --lens-alias "$LENS_ALIAS" --question-id ${doc.answers[0].QuestionId} `)).toBe(true);
    expect(commands[commands.length - 1]).toBe('aws wellarchitected create-milestone --workload-id "$WORKLOAD_ID" --milestone-name ' +
      `'${doc.milestone.MilestoneName}' --client-request-token ${doc.milestone.ClientRequestToken}`);
    // Run them with an `aws` that prints its arguments NUL-separated: quoting must survive ' $ ` " in the notes.
    const script = `aws() { printf '%s\\0' "$@"; printf '\\n'; }\n${commands.join('\n')}\n`;
    const run = spawnSync('bash', ['-c', script], {
      encoding: 'utf8', env: { PATH: process.env.PATH, WORKLOAD_ID: '0123456789abcdef0123456789abcdef', LENS_ALIAS: 'arn:aws:wellarchitected:eu-west-1:111122223333:lens/abc' },
    });
    expect(run.status).toBe(0);
    const calls = run.stdout.split('\0\n').filter((l) => l !== '').map((l) => l.split('\0'));
    expect(calls).toHaveLength(commands.length);
    doc.answers.forEach((a, i) => {
      const args = calls[i];
      const value = (flag: string) => args[args.indexOf(flag) + 1];
      expect(args.slice(0, 2)).toEqual(['wellarchitected', 'update-answer']);
      expect(value('--workload-id')).toBe('0123456789abcdef0123456789abcdef');
      expect(value('--lens-alias')).toBe('arn:aws:wellarchitected:eu-west-1:111122223333:lens/abc');
      expect(value('--question-id')).toBe(a.QuestionId);
      expect(JSON.parse(value('--selected-choices'))).toEqual(a.SelectedChoices);
      expect(JSON.parse(value('--choice-updates'))).toEqual(a.ChoiceUpdates);
      expect(value('--notes')).toBe(a.Notes);
      expect(args.slice(a.IsApplicable ? -1 : -3)).toEqual(a.IsApplicable ? ['--is-applicable'] : ['--no-is-applicable', '--reason', 'OUT_OF_SCOPE']);
    });
    expect(answerOf(doc, 'ops07').Notes).toContain("'full' $HOME `id` \"quoted\"");
    expect(calls[calls.length - 1]).toEqual(['wellarchitected', 'create-milestone', '--workload-id', '0123456789abcdef0123456789abcdef',
      '--milestone-name', doc.milestone.MilestoneName, '--client-request-token', doc.milestone.ClientRequestToken]);
  });

  test('a lens ARN and workload ids given are written into the commands', () => {
    const arn = 'arn:aws:wellarchitected:eu-west-1:111122223333:lens/0123456789abcdef';
    const id = 'fedcba9876543210fedcba9876543210';
    const given = WellArchitectedAnswers.fromReport(report, LENS, { lensAlias: arn, workloadIds: { payments: id } });
    expect(given.commandsOf('payments')[0].startsWith(`aws wellarchitected update-answer --workload-id ${id} --lens-alias ${arn} `)).toBe(true);
    expect(JSON.parse(given.documentOf('payments'))).toMatchObject({ lensAlias: arn, workloadId: id });
    const variable = WellArchitectedAnswers.fromReport(report, LENS, { workloadIds: { payments: '${PAYMENTS_ID}' } });
    expect(variable.commandsOf('payments')[0]).toContain('--workload-id "${PAYMENTS_ID}" ');
  });
});

describe('WellArchitectedAnswers from hand-built scopes', () => {
  test('a question whose every practice is NOT_APPLICABLE is answered as not applicable (OUT_OF_SCOPE)', () => {
    const ops10 = OpsBestPractices.ofQuestion('OPS10').map((bp) => practice(bp.id, PracticeStatus.NOT_APPLICABLE));
    const hand = WellArchitectedAnswers.fromReport(handReport([...ops10, practice('OPS08-BP04', PracticeStatus.MET)]), ALL_LENS);
    const [a] = hand.answersOf('hand').filter((x) => x.questionId === 'ops10');
    expect(a.isApplicable).toBe(false);
    expect(a.reason).toBe('OUT_OF_SCOPE');
    expect(a.selectedChoices).toEqual([]);
    expect(a.expectedRisk).toBe('NOT_APPLICABLE');
    expect(a.choiceUpdates.ops10_bp01).toEqual({ status: 'NOT_APPLICABLE', reason: 'OUT_OF_SCOPE', notes: 'Not applicable: no resource of hand is checked by OPS-Example.' });
    expect(a.choiceUpdates.ops10_no).toEqual({ status: 'UNSELECTED', reason: 'NONE', notes: '' });
    expect(a.notes).toBe(`cdk-operable readiness review of hand, ${ASSESSED_ON}: 7 not applicable. ` +
      'Not applicable (their rules check no resource here): OPS10-BP01, OPS10-BP02, OPS10-BP03, OPS10-BP04, OPS10-BP05, OPS10-BP06, OPS10-BP07.');
    expect(hand.commandsOf('hand').find((c) => c.includes('--question-id ops10 '))!.endsWith(' --no-is-applicable --reason OUT_OF_SCOPE')).toBe(true);
    // Questions the scope has no practice of are not answered.
    expect(hand.answersOf('hand').map((x) => x.questionId)).toEqual(['ops08', 'ops10']);
  });

  test.each([
    ['a HIGH practice not met', 'HIGH_RISK', { 'OPS08-BP04': PracticeStatus.NOT_MET }],
    ['every practice met', 'NO_RISK', {}],
    ['a MEDIUM practice unattested', 'MEDIUM_RISK', { 'OPS08-BP02': PracticeStatus.NEEDS_ATTESTATION }],
    ['a MEDIUM practice acknowledged', 'MEDIUM_RISK', { 'OPS08-BP05': PracticeStatus.ACKNOWLEDGED }],
    ['MEDIUM practices not applicable (neutral)', 'NO_RISK', { 'OPS08-BP01': PracticeStatus.NOT_APPLICABLE, 'OPS08-BP03': PracticeStatus.NOT_APPLICABLE }],
    ['the HIGH practice not applicable, a MEDIUM one not met', 'MEDIUM_RISK', { 'OPS08-BP04': PracticeStatus.NOT_APPLICABLE, 'OPS08-BP02': PracticeStatus.NOT_MET }],
  ])('OPS08 with %s: ExpectedRisk %s', (_label, risk, statuses: Record<string, PracticeStatus>) => {
    const practices = OpsBestPractices.ofQuestion('OPS08').map((bp) => practice(bp.id, statuses[bp.id] ?? PracticeStatus.MET));
    const [a] = WellArchitectedAnswers.fromReport(handReport(practices), LENS).answersOf('hand').filter((x) => x.questionId === 'ops08');
    const na = Object.entries(a.choiceUpdates).filter(([, u]) => u.status === 'NOT_APPLICABLE').map(([id]) => id);
    expect(a.expectedRisk).toBe(risk);
    expect(a.expectedRisk).toBe(riskOf(rulesOf(LENS).get('ops08')!, new Set(a.selectedChoices), new Set(na)));
  });

  test('notes longer than the API limits are clipped with a marker, issues first', () => {
    const many = Array.from({ length: 60 }, (_, i) => findingOn(`Hand/Service${i}/${'Nested/'.repeat(20)}Alarm${i}/Resource`));
    const practices = OpsBestPractices.ofQuestion('OPS08').map((bp) => practice(bp.id, PracticeStatus.NOT_MET, { findings: many }));
    const [a] = WellArchitectedAnswers.fromReport(handReport(practices), LENS).answersOf('hand').filter((x) => x.questionId === 'ops08');
    expect(a.notes.length).toBeLessThanOrEqual(2084);
    expect(a.notes.length).toBeGreaterThan(2084 - CLIP_MARKER.length - 200);
    expect(a.notes.endsWith(CLIP_MARKER)).toBe(true);
    expect(a.notes.startsWith(`cdk-operable readiness review of hand, ${ASSESSED_ON}: 5 not met. OPS08-BP01 not met: OPS-AlarmAction on Hand/Service0/`)).toBe(true);
    // Five findings per practice, then how many more.
    expect(a.notes).toContain('/Alarm4/Resource (+55 more).');
    const choiceNotes = a.choiceUpdates.ops08_bp04.notes;
    expect(choiceNotes.length).toBeLessThanOrEqual(250);
    expect(choiceNotes.endsWith('...')).toBe(true);
    expect(choiceNotes.startsWith('Not met: OPS-AlarmAction on Hand/Service0/')).toBe(true);
  });

  test('unowned scopes are not answered; names unfit for files get distinct files', () => {
    const base = handReport([practice('OPS08-BP04', PracticeStatus.MET)]);
    const scope = base.workloads[0];
    const withUnowned: ReadinessReport = {
      ...base,
      workloads: [{ ...scope, name: 'team/a' }, { ...scope, name: 'team:a' }, { ...scope, kind: 'unowned', name: 'OrphanStack' }],
    };
    const hand = WellArchitectedAnswers.fromReport(withUnowned, LENS);
    expect(hand.workloads).toEqual(['team/a', 'team:a']);
    expect(() => hand.answersOf('OrphanStack')).toThrow("WellArchitectedAnswers: no workload 'OrphanStack' in the review: use one of 'team/a', 'team:a'.");
    const dir = path.join(tempDir(), 'wa');
    const files = hand.writeFiles(dir);
    expect(files.map((f) => path.basename(f))).toEqual([expect.stringMatching(/^team-a-[0-9a-f]{6}\.json$/), expect.stringMatching(/^team-a-[0-9a-f]{6}\.json$/)]);
    expect(new Set(files).size).toBe(2);
    expect(fs.readFileSync(files[1], 'utf8')).toBe(`${hand.documentOf('team:a')}\n`);
  });

  test('writeFiles writes <workload>.json per workload and returns the paths', () => {
    const dir = path.join(tempDir(), 'nested', 'wa');
    expect(answers.writeFiles(dir)).toEqual([path.join(dir, 'payments.json')]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'payments.json'), 'utf8'))).toEqual(doc);
  });
});

describe('WellArchitectedAnswers input checks', () => {
  test('fromLensJson answers the published lens the same way; a bad lens JSON names the problems', () => {
    expect(WellArchitectedAnswers.fromLensJson(report, LENS.toJson()).toJson()).toBe(answers.toJson());
    expect(() => WellArchitectedAnswers.fromLensJson(report, '{"name": "x"}')).toThrow(/^WellArchitectedAnswers: the lens JSON is not a valid custom lens: .+ Pass the lens JSON generated by `cdk-operable lens`/);
  });

  test.each([
    [{ lensAlias: 'my lens' }, "WellArchitectedAnswers: lensAlias 'my lens' is not a lens alias: give the lens ARN (1 to 128 characters, no spaces, e.g. the lensArn of OrrLens) or a shell variable such as $LENS_ALIAS."],
    [{ lensAlias: '' }, "WellArchitectedAnswers: lensAlias '' is not a lens alias"],
    [{ workloadIds: { billing: '0123456789abcdef0123456789abcdef' } }, "WellArchitectedAnswers: workloadIds names 'billing', which is not a workload of the review: use one of 'payments'."],
    [{ workloadIds: { payments: 'wl-123' } }, "WellArchitectedAnswers: workloadIds['payments'] is 'wl-123', not a Well-Architected workload id: give its 32 lowercase hex characters (aws wellarchitected list-workloads) or a shell variable such as $WORKLOAD_ID."],
    [{ milestonePrefix: ' ' }, "WellArchitectedAnswers: milestonePrefix ' ' must be 1 to 80 characters"],
  ])('options %p are rejected', (options, message) => {
    expect(() => WellArchitectedAnswers.fromReport(report, LENS, options)).toThrow(message);
  });
});
