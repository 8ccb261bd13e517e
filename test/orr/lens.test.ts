import { OpsBestPractices, OpsRisk } from '../../src/nag/best-practices';
import { OperationalExcellenceChecks } from '../../src/nag/pack';
import { CustomLens } from '../../src/orr/lens';

interface Content { displayText: string; url?: string }
interface Choice { id: string; title: string; description?: string; helpfulResource?: Content; improvementPlan?: Content }
interface RiskRule { condition: string; risk: string }
interface Question { id: string; title: string; description: string; helpfulResource?: Content; choices: Choice[]; riskRules: RiskRule[] }
interface Pillar { id: string; name: string; questions: Question[] }
interface Lens { schemaVersion: string; name: string; description: string; pillars: Pillar[] }

const parse = (lens: CustomLens): Lens => JSON.parse(lens.toJson());
const questionsOf = (lens: Lens): Question[] => lens.pillars.flatMap((p) => p.questions);
const questionOf = (lens: Lens, id: string): Question => questionsOf(lens).find((q) => q.id === id)!;

const DEFAULT = new CustomLens();
const ALL = new CustomLens({ includeUncoveredQuestions: true });

/** Evaluate a risk-rule condition with these choices selected (conditions are checked by CustomLens.validate first). */
function holds(condition: string, selected: Set<string>): boolean {
  const expression = condition.replace(/[A-Za-z0-9_]+/g, (id) => String(selected.has(id)));
  return new Function(`return ${expression};`)() as boolean;
}

/** The risk the framework implies: a missing HIGH practice is high risk, a missing MEDIUM one medium risk. */
function expectedRisk(questionId: string, selected: Set<string>): string {
  const missing = OpsBestPractices.ofQuestion(questionId).filter((bp) => !selected.has(bp.id.toLowerCase().replace('-', '_')));
  if (missing.some((bp) => bp.risk === OpsRisk.HIGH)) return 'HIGH_RISK';
  if (missing.some((bp) => bp.risk === OpsRisk.MEDIUM)) return 'MEDIUM_RISK';
  return 'NO_RISK';
}

describe('CustomLens (default: covered questions only)', () => {
  const lens = parse(DEFAULT);

  test('pillars and questions are the OE areas and the OPS questions the rule pack evidences', () => {
    expect(lens.schemaVersion).toBe('2021-11-01');
    expect(lens.name).toBe('cdk-operable Operational Readiness');
    expect(lens.pillars.map((p) => p.id)).toEqual(['ops_organization', 'ops_prepare', 'ops_operate']);
    expect(lens.pillars.map((p) => p.name)).toEqual([
      'Operational Excellence: Organization', 'Operational Excellence: Prepare', 'Operational Excellence: Operate',
    ]);
    expect(lens.pillars.map((p) => p.questions.map((q) => q.id))).toEqual([['ops02'], ['ops04', 'ops06', 'ops07'], ['ops08', 'ops10']]);
    expect(DEFAULT.questionIds).toEqual(['ops02', 'ops04', 'ops06', 'ops07', 'ops08', 'ops10']);
    expect(DEFAULT.pillarCount).toBe(3);
    expect(DEFAULT.questionCount).toBe(6);
    // OPS02 6 + OPS04 5 + OPS06 4 + OPS07 6 + OPS08 5 + OPS10 7 practices, plus one "None of these" each
    expect(DEFAULT.choiceCount).toBe(33 + 6);
  });

  test('the default description names the framework version and the rule pack', () => {
    expect(DEFAULT.description).toContain('framework 2024-06-27');
    expect(DEFAULT.description).toContain(`OpsExcellence rule pack (${OperationalExcellenceChecks.RULES.length} rules)`);
    expect(DEFAULT.description).toContain('Only the questions at least one rule gives synth-time evidence for');
    expect(lens.description).toBe(DEFAULT.description);
  });

  test('OPS08: framework title, the evidencing rules, one choice per practice plus None of these', () => {
    const q = questionOf(lens, 'ops08');
    expect(q.title).toBe('How do you utilize workload observability in your organization?');
    expect(q.helpfulResource).toEqual({
      displayText: 'OPS08: How do you utilize workload observability in your organization? (AWS Well-Architected Framework)',
      url: 'https://docs.aws.amazon.com/wellarchitected/latest/framework/ops-08.html',
    });
    for (const rule of ['OPS-AlarmAction', 'OPS-AlarmCoverage', 'OPS-LogRetention', 'OPS-StructuredLogs', 'OPS-ServiceDashboard',
      'OPS-ContainerInsights', 'OPS-DatabaseMonitoring', 'OPS-DeadLetterQueue', 'OPS-AsyncFailureDestination']) {
      expect(q.description).toContain(rule);
    }
    expect(q.description).not.toContain('OPS-Tracing');
    expect(q.choices).toHaveLength(6);
    expect(q.choices.map((c) => c.id)).toEqual(['ops08_bp01', 'ops08_bp02', 'ops08_bp03', 'ops08_bp04', 'ops08_bp05', 'ops08_no']);
    expect(q.choices.map((c) => c.title)).toEqual([
      'Analyze workload metrics', 'Analyze workload logs', 'Analyze workload traces', 'Create actionable alerts', 'Create dashboards',
      'None of these',
    ]);
  });

  test('a checked practice names its rules, its risk, its page and the first rule fix', () => {
    const bp04 = questionOf(lens, 'ops08').choices.find((c) => c.id === 'ops08_bp04')!;
    const url = OpsBestPractices.of('OPS08-BP04').url;
    const first = OperationalExcellenceChecks.RULES.find((r) => r.bestPractices.includes('OPS08-BP04'))!;
    expect(first.id).toBe('OPS-AlarmAction');
    expect(bp04.description).toBe('OPS08-BP04. Risk if not established: HIGH. Checked at synth by ' +
      'OPS-AlarmAction, OPS-AlarmCoverage, OPS-DeadLetterQueue, OPS-AsyncFailureDestination.');
    expect(bp04.helpfulResource).toEqual({ displayText: 'OPS08-BP04 Create actionable alerts (AWS Well-Architected Framework)', url });
    expect(bp04.improvementPlan).toEqual({ displayText: first.fix, url });
  });

  test('an unchecked practice is attested and gets the generic improvement plan', () => {
    const bp03 = questionOf(lens, 'ops08').choices.find((c) => c.id === 'ops08_bp03')!;
    expect(bp03.description).toBe('OPS08-BP03. Risk if not established: MEDIUM. Attested, not checked at synth.');
    expect(bp03.improvementPlan).toEqual({
      displayText: 'Establish this practice and record an attestation (see docs/readiness-review.md, Attestations).',
      url: 'https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_workload_observability_analyze_workload_traces.html',
    });
  });

  test('None of these is last, ends in _no and has no improvement plan', () => {
    for (const q of questionsOf(lens)) {
      const last = q.choices[q.choices.length - 1];
      expect(last).toMatchObject({ id: `${q.id}_no`, title: 'None of these' });
      expect(last.improvementPlan).toBeUndefined();
    }
  });

  test('risk rules, HIGH and MEDIUM practices (OPS08: one HIGH, four MEDIUM)', () => {
    expect(questionOf(lens, 'ops08').riskRules).toEqual([
      { condition: 'ops08_bp04 && ops08_bp01 && ops08_bp02 && ops08_bp03 && ops08_bp05', risk: 'NO_RISK' },
      { condition: 'ops08_bp04 && (!ops08_bp01 || !ops08_bp02 || !ops08_bp03 || !ops08_bp05)', risk: 'MEDIUM_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ]);
  });

  test('risk rules, a single MEDIUM practice and a LOW one that does not count (OPS02)', () => {
    expect(questionOf(lens, 'ops02').riskRules).toEqual([
      { condition: 'ops02_bp01 && ops02_bp02 && ops02_bp03 && ops02_bp04 && ops02_bp05', risk: 'NO_RISK' },
      { condition: 'ops02_bp01 && ops02_bp02 && ops02_bp03 && ops02_bp04 && !ops02_bp05', risk: 'MEDIUM_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ]);
  });

  test('risk rules, HIGH practices only (OPS04): no medium rule', () => {
    expect(questionOf(lens, 'ops04').riskRules).toEqual([
      { condition: 'ops04_bp01 && ops04_bp02 && ops04_bp03 && ops04_bp04 && ops04_bp05', risk: 'NO_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ]);
  });

  test('the JSON passes validate with zero problems, is indented and well under 500 KB', () => {
    expect(CustomLens.validate(DEFAULT.toJson())).toEqual([]);
    expect(DEFAULT.toJson().startsWith('{\n  "schemaVersion": "2021-11-01",\n  "name"')).toBe(true);
    expect(DEFAULT.sizeBytes).toBe(Buffer.byteLength(DEFAULT.toJson(), 'utf8'));
    expect(DEFAULT.sizeBytes).toBeGreaterThan(10_000);
    expect(DEFAULT.sizeBytes).toBeLessThan(CustomLens.MAX_SIZE_BYTES / 10);
  });

  test('generation is deterministic', () => {
    expect(new CustomLens().toJson()).toBe(DEFAULT.toJson());
  });
});

describe('CustomLens with includeUncoveredQuestions', () => {
  const lens = parse(ALL);

  test('all 11 questions in 4 pillars, 68 practices plus 11 None of these', () => {
    expect(lens.pillars.map((p) => p.id)).toEqual(['ops_organization', 'ops_prepare', 'ops_operate', 'ops_evolve']);
    expect(ALL.questionIds).toEqual(['ops01', 'ops02', 'ops03', 'ops04', 'ops05', 'ops06', 'ops07', 'ops08', 'ops09', 'ops10', 'ops11']);
    expect([ALL.pillarCount, ALL.questionCount, ALL.choiceCount]).toEqual([4, 11, 79]);
    expect(CustomLens.validate(ALL.toJson())).toEqual([]);
    expect(ALL.sizeBytes).toBeLessThan(CustomLens.MAX_SIZE_BYTES / 5);
    expect(ALL.description).toContain('All eleven questions are included');
  });

  test('an uncovered question says every practice is attested', () => {
    const q = questionOf(lens, 'ops11');
    expect(q.description).toContain('No rule checks this question at synth: every practice is attested.');
    expect(q.choices.slice(0, -1).every((c) => c.description!.endsWith('Attested, not checked at synth.'))).toBe(true);
  });

  test('risk rules, MEDIUM practices only (OPS09): tops out at medium risk', () => {
    expect(questionOf(lens, 'ops09').riskRules).toEqual([
      { condition: 'ops09_bp01 && ops09_bp02 && ops09_bp03', risk: 'NO_RISK' },
      { condition: 'default', risk: 'MEDIUM_RISK' },
    ]);
  });

  test('for every question and every selection, at most one condition holds and the risk is the framework risk', () => {
    let selections = 0;
    for (const q of questionsOf(lens)) {
      const ids = q.choices.map((c) => c.id);
      for (let mask = 0; mask < 2 ** ids.length; mask++) {
        const selected = new Set(ids.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1));
        const matching = q.riskRules.filter((r) => r.condition !== 'default' && holds(r.condition, selected));
        expect(matching.length).toBeLessThanOrEqual(1);
        const risk = matching[0]?.risk ?? q.riskRules.find((r) => r.condition === 'default')!.risk;
        expect(risk).toBe(expectedRisk(q.id.toUpperCase(), selected));
        selections++;
      }
    }
    expect(selections).toBe(4144);
  });
});

describe('CustomLens props', () => {
  test('a custom name and description', () => {
    const lens = new CustomLens({ lensName: 'Freight ORR', description: 'Readiness of freight services.' });
    expect(parse(lens)).toMatchObject({ name: 'Freight ORR', description: 'Readiness of freight services.' });
    expect(lens.lensName).toBe('Freight ORR');
  });

  test.each([
    ['a name over 128 characters', { lensName: 'n'.repeat(129) }, /lensName 'n+\.\.\.' is 129 characters; give 1 to 128/],
    ['a blank name', { lensName: '  ' }, /lensName ' {2}' is 2 characters; give 1 to 128/],
    ['a description over 2048 characters', { description: 'd'.repeat(2049) }, /description is 2049 characters; give 1 to 2048/],
    ['an empty description', { description: '' }, /description is 0 characters; give 1 to 2048/],
  ])('rejects %s', (_, props, message) => {
    expect(() => new CustomLens(props)).toThrow(message);
  });
});

/** A small valid lens to break one limit at a time. */
function minimal(): Lens {
  const choice = (id: string): Choice => ({
    id,
    title: `Choice ${id}`,
    helpfulResource: { displayText: 'Read this.', url: 'https://example.com/a' },
    improvementPlan: { displayText: 'Do this.' },
  });
  return {
    schemaVersion: '2021-11-01',
    name: 'Minimal',
    description: 'A minimal lens.',
    pillars: [{
      id: 'pillar_one',
      name: 'Pillar one',
      questions: [{
        id: 'question_one',
        title: 'Question one?',
        description: 'The first question.',
        choices: [choice('choice_a'), choice('choice_b'), { id: 'question_one_no', title: 'None of these' }],
        riskRules: [
          { condition: 'choice_a && choice_b', risk: 'NO_RISK' },
          { condition: 'choice_a && !choice_b', risk: 'MEDIUM_RISK' },
          { condition: 'default', risk: 'HIGH_RISK' },
        ],
      }],
    }],
  };
}

function problemsOf(mutate: (lens: Lens) => void): string[] {
  const lens = minimal();
  mutate(lens);
  return CustomLens.validate(JSON.stringify(lens));
}

describe('CustomLens.validate', () => {
  const question = (lens: Lens) => lens.pillars[0].questions[0];

  test('the minimal lens is valid', () => {
    expect(problemsOf(() => undefined)).toEqual([]);
  });

  test.each<[string, (lens: Lens) => void, string]>([
    ['a long name', (l) => { l.name = 'x'.repeat(129); }, `lens.name '${'x'.repeat(37)}...' is 129 characters; the limit is 128: shorten it.`],
    ['a long description', (l) => { l.description = 'x'.repeat(2049); }, 'is 2049 characters; the limit is 2048'],
    ['another schema version', (l) => { l.schemaVersion = '2020-01-01'; }, 'schemaVersion "2020-01-01" is not supported: use \'2021-11-01\'.'],
    ['bad id characters', (l) => { question(l).id = 'ops-08'; },
      "pillars[0].questions[0].id 'ops-08' must match ^[a-zA-Z0-9_]{3,128}$ (3 or more letters, digits, underscores): use e.g. 'ops_08'."],
    ['a short id', (l) => { l.pillars[0].id = 'p1'; }, "pillars[0].id 'p1' must match"],
    ['a pillar id over 64', (l) => { l.pillars[0].id = 'p'.repeat(65); }, 'pillars[0].id \'ppppp'],
    ['a choice id over 64', (l) => { question(l).choices[0].id = 'c'.repeat(65); }, 'is 65 characters; the limit is 64: shorten it.'],
    ['a question id over 128', (l) => { question(l).id = 'q'.repeat(129); }, 'pillars[0].questions[0].id'],
    ['a long title', (l) => { question(l).choices[1].title = 't'.repeat(129); },
      `pillars[0].questions[0].choices[1].title '${'t'.repeat(37)}...' is 129 characters; the limit is 128`],
    ['a long displayText', (l) => { question(l).choices[0].improvementPlan!.displayText = 'p'.repeat(1025); },
      'pillars[0].questions[0].choices[0].improvementPlan.displayText'],
    ['a relative url', (l) => { question(l).choices[0].helpfulResource!.url = '/docs'; }, "helpfulResource.url '/docs' must start with http:// or https://."],
    ['a choice without improvement plan', (l) => { delete question(l).choices[0].improvementPlan; },
      'pillars[0].questions[0].choices[0].improvementPlan is missing or not an object'],
    ['duplicate choice ids', (l) => { question(l).choices[1].id = 'choice_a'; }, "choices[1].id 'choice_a' is used twice: ids must be unique."],
    ['more than 15 choices', (l) => {
      question(l).choices = Array.from({ length: 16 }, (_, i) => ({ ...question(l).choices[0], id: `choice_${i}` }));
      question(l).riskRules = [{ condition: 'default', risk: 'HIGH_RISK' }];
    }, 'pillars[0].questions[0].choices has 16 choices; give 1 to 15: split or remove some.'],
    ['no choices', (l) => { question(l).choices = []; question(l).riskRules = [{ condition: 'default', risk: 'HIGH_RISK' }]; },
      'choices has 0 choices; give 1 to 15.'],
    ['more than 20 questions', (l) => {
      l.pillars[0].questions = Array.from({ length: 21 }, (_, i) => ({ ...question(l), id: `question_${i}` }));
    }, 'pillars[0].questions has 21 questions; give 1 to 20: split or remove some.'],
    ['more than 10 pillars', (l) => {
      l.pillars = Array.from({ length: 11 }, (_, i) => ({ ...l.pillars[0], id: `pillar_${i}`, questions: [{ ...question(l), id: `q_${i}` }] }));
    }, 'lens.pillars has 11 pillars; give 1 to 10: split or remove some.'],
    ['a missing default rule', (l) => { question(l).riskRules.pop(); }, "pillars[0].questions[0].riskRules has 0 'default' conditions: give exactly one."],
    ['two default rules', (l) => { question(l).riskRules[0].condition = 'default'; }, "riskRules has 2 'default' conditions"],
    ['four risk rules', (l) => { question(l).riskRules.unshift({ condition: 'choice_b', risk: 'MEDIUM_RISK' }); },
      'riskRules has 4 risk rules; give 1 to 3: split or remove some.'],
    ['an unknown risk', (l) => { question(l).riskRules[1].risk = 'LOW_RISK'; },
      'riskRules[1].risk "LOW_RISK" is not a risk: use HIGH_RISK, MEDIUM_RISK, NO_RISK.'],
    ['a condition naming an unknown choice', (l) => { question(l).riskRules[0].condition = 'choice_a && choice_z'; },
      "riskRules[0].condition 'choice_a && choice_z' names 'choice_z', which is not a choice of the question: use one of choice_a, choice_b, question_one_no."],
    ['a single &', (l) => { question(l).riskRules[0].condition = 'choice_a & choice_b'; }, "has an unexpected character at index 9 ('& choice_b'): use choice ids, &&, ||, ! and parentheses."],
    ['an unclosed parenthesis', (l) => { question(l).riskRules[0].condition = '(choice_a && choice_b'; }, 'has an unclosed parenthesis'],
    ['a dangling operator', (l) => { question(l).riskRules[0].condition = 'choice_a &&'; }, "expects a choice id where it has 'the end'"],
    ['two ids without operator', (l) => { question(l).riskRules[0].condition = 'choice_a choice_b'; },
      "has 'choice_b' where an operator or the end was expected"],
  ])('catches %s', (_, mutate, problem) => {
    const problems = problemsOf(mutate);
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.join('\n')).toContain(problem);
  });

  test('accepts nested conditions with negation and parentheses', () => {
    expect(problemsOf((l) => { question(l).riskRules[1].condition = '!(choice_a || !choice_b) && (choice_b)'; })).toEqual([]);
  });

  test('catches a lens over 500,000 bytes', () => {
    const problems = problemsOf((l) => {
      l.pillars[0].questions = Array.from({ length: 20 }, (_, i) => ({
        ...question(l),
        id: `question_${i}`,
        choices: Array.from({ length: 15 }, (__, c) => ({
          id: `choice_${c}`,
          title: `Choice ${c}`,
          description: 'é'.repeat(500),
          helpfulResource: { displayText: 'h'.repeat(1000) },
          improvementPlan: { displayText: 'i'.repeat(1000) },
        })),
        riskRules: [{ condition: 'default', risk: 'HIGH_RISK' }],
      }));
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^the lens is (\d+) bytes \(UTF-8\); the limit is 500000: remove questions or shorten texts\.$/);
    expect(Number(/is (\d+) bytes/.exec(problems[0])![1])).toBeGreaterThan(900_000);
  });

  test.each([
    ['{ "name": ', /^the lens is not valid JSON \(.*\): fix the syntax\.$/],
    ['[]', /^the lens is not a JSON object/],
    ['{}', /schemaVersion undefined is not supported/],
  ])('reports %j', (json, problem) => {
    expect(CustomLens.validate(json)[0]).toMatch(problem);
  });

  test('a lens missing its parts lists each missing part', () => {
    expect(CustomLens.validate('{"schemaVersion":"2021-11-01"}')).toEqual([
      'lens.name is missing or not a non-empty string: give one of 1 to 128 characters.',
      'lens.description is missing or not a non-empty string: give one of 1 to 2048 characters.',
      'lens.pillars is missing or not an array: give 1 to 10 pillars.',
    ]);
  });
});
