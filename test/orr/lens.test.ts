import { OpsBestPractices, OpsRisk } from '../../src/nag/best-practices';
import { OperationalExcellenceChecks } from '../../src/nag/pack';
import { CustomLens } from '../../src/orr/lens';
import { riskOf } from '../../src/orr/lens-rules';

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

/** Evaluate a risk-rule condition with these choices selected, independently of the library (JavaScript semantics). */
function holds(condition: string, selected: Set<string>): boolean {
  const expression = condition.replace(/[A-Za-z0-9_]+/g, (id) => String(selected.has(id)));
  return new Function(`return ${expression};`)() as boolean;
}

/** The Tool's scoring: the first rule whose condition holds wins, `default` last. */
function scored(q: Question, selected: Set<string>): string {
  return q.riskRules.find((r) => r.condition === 'default' || holds(r.condition, selected))!.risk;
}

const RISK_ORDER = ['NO_RISK', 'MEDIUM_RISK', 'HIGH_RISK'];

/**
 * The risk the framework implies: "None of these" or a missing HIGH practice is the question's maximum risk, a missing
 * MEDIUM one medium risk.
 */
function expectedRisk(questionId: string, selected: Set<string>): string {
  const practices = OpsBestPractices.ofQuestion(questionId);
  const max = practices.some((bp) => bp.risk === OpsRisk.HIGH) ? 'HIGH_RISK' : practices.some((bp) => bp.risk === OpsRisk.MEDIUM) ? 'MEDIUM_RISK' : 'NO_RISK';
  if (selected.has(`${questionId.toLowerCase()}_no`)) return max;
  const missing = practices.filter((bp) => !selected.has(bp.id.toLowerCase().replace('-', '_')));
  if (missing.some((bp) => bp.risk === OpsRisk.HIGH)) return 'HIGH_RISK';
  if (missing.some((bp) => bp.risk === OpsRisk.MEDIUM)) return 'MEDIUM_RISK';
  return 'NO_RISK';
}

/** Every subset of the choices of a question. */
function* selections(q: Question): Generator<Set<string>> {
  const ids = q.choices.map((c) => c.id);
  for (let mask = 0; mask < 2 ** ids.length; mask++) {
    yield new Set(ids.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1));
  }
}

describe('CustomLens (default: covered questions only)', () => {
  const lens = parse(DEFAULT);

  test('pillars and questions are the OE areas and the OPS questions the rule pack evidences', () => {
    expect(lens.schemaVersion).toBe('2021-11-01');
    expect(lens.name).toBe('cdk-operable Operational Readiness');
    expect(lens.pillars.map((p) => p.id)).toEqual(['ops_organization', 'ops_prepare', 'ops_operate', 'ops_evolve']);
    expect(lens.pillars.map((p) => p.name)).toEqual([
      'Operational Excellence: Organization', 'Operational Excellence: Prepare', 'Operational Excellence: Operate', 'Operational Excellence: Evolve',
    ]);
    expect(lens.pillars.map((p) => p.questions.map((q) => q.id))).toEqual([['ops02'], ['ops04', 'ops05', 'ops06', 'ops07'], ['ops08', 'ops09', 'ops10'], ['ops11']]);
    expect(DEFAULT.questionIds).toEqual(['ops02', 'ops04', 'ops05', 'ops06', 'ops07', 'ops08', 'ops09', 'ops10', 'ops11']);
    expect(DEFAULT.pillarCount).toBe(4);
    expect(DEFAULT.questionCount).toBe(9);
    // Every practice but those of OPS01 and OPS03 (no rule evidences them), plus one "None of these" per question.
    const uncovered = ['OPS01', 'OPS03'].reduce((n, q) => n + OpsBestPractices.ofQuestion(q).length, 0);
    expect(DEFAULT.choiceCount).toBe(OpsBestPractices.ALL.length - uncovered + 9);
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
    expect(bp04.description).toBe('OPS08-BP04. Risk if not established: HIGH (tier core). Checked at synth by ' +
      'OPS-AlarmAction, OPS-AlarmCoverage, OPS-DatabaseAlarms, OPS-DeadLetterQueue, OPS-AsyncFailureDestination.');
    expect(bp04.helpfulResource).toEqual({ displayText: 'OPS08-BP04 Create actionable alerts (AWS Well-Architected Framework)', url });
    expect(bp04.improvementPlan).toEqual({ displayText: first.fix, url });
  });

  test('an unchecked practice is attested and gets the generic improvement plan', () => {
    const bp03 = questionOf(lens, 'ops08').choices.find((c) => c.id === 'ops08_bp03')!;
    expect(bp03.description).toBe('OPS08-BP03. Risk if not established: MEDIUM (tier sec). Attested, not checked at synth.');
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

  test('risk rules from tiers, ORR lens 2.0 style (OPS08: one core, four secondary; None of these guarded)', () => {
    expect(questionOf(lens, 'ops08').riskRules).toEqual([
      { condition: 'ops08_bp04 && ops08_bp01 && ops08_bp02 && ops08_bp03 && ops08_bp05 && !ops08_no', risk: 'NO_RISK' },
      { condition: 'ops08_bp04 && !ops08_no', risk: 'MEDIUM_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ]);
    expect(questionOf(lens, 'ops08').description.startsWith('Maximum risk: High (launch-blocking unless remediated or formally accepted). OPS08 of')).toBe(true);
  });

  test('risk rules, a single MEDIUM practice and a LOW one in no rule (OPS02)', () => {
    expect(questionOf(lens, 'ops02').riskRules).toEqual([
      { condition: 'ops02_bp01 && ops02_bp02 && ops02_bp03 && ops02_bp04 && ops02_bp05 && !ops02_no', risk: 'NO_RISK' },
      { condition: 'ops02_bp01 && ops02_bp02 && ops02_bp03 && ops02_bp04 && !ops02_no', risk: 'MEDIUM_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ]);
    expect(questionOf(lens, 'ops02').choices.find((c) => c.id === 'ops02_bp06')!.description).toBe(
      'OPS02-BP06. Risk if not established: LOW (tier none). Attested, not checked at synth.');
  });

  test('risk rules, HIGH practices only (OPS04): no medium rule', () => {
    expect(questionOf(lens, 'ops04').riskRules).toEqual([
      { condition: 'ops04_bp01 && ops04_bp02 && ops04_bp03 && ops04_bp04 && ops04_bp05 && !ops04_no', risk: 'NO_RISK' },
      { condition: 'default', risk: 'HIGH_RISK' },
    ]);
  });

  test('names, descriptions and titles use only the characters import-lens accepts (no semicolons)', () => {
    const restricted = [lens.name, lens.description, ...lens.pillars.map((p) => p.name),
      ...questionsOf(lens).flatMap((q) => [q.title, q.description, ...q.choices.map((c) => c.title)])];
    for (const text of restricted) {
      expect(text).toMatch(/^[\p{L}\p{N} \n\-_.,:/()@!&#+'?]+$/u);
    }
  });

  test('the JSON passes validate with zero problems, is indented and well under 500 KB', () => {
    expect(CustomLens.validate(DEFAULT.toJson())).toEqual([]);
    expect(DEFAULT.toJson().startsWith('{\n  "schemaVersion": "2021-11-01",\n  "name"')).toBe(true);
    expect(DEFAULT.sizeBytes).toBe(Buffer.byteLength(DEFAULT.toJson(), 'utf8'));
    expect(DEFAULT.sizeBytes).toBeGreaterThan(10_000);
    expect(DEFAULT.sizeBytes).toBeLessThan(CustomLens.MAX_SIZE_BYTES / 5);
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
    const q = questionOf(lens, 'ops03');
    expect(q.description).toContain('No rule checks this question at synth: every practice is attested.');
    expect(q.choices.slice(0, -1).every((c) => c.description!.endsWith('Attested, not checked at synth.'))).toBe(true);
  });

  test('risk rules, MEDIUM practices only (OPS09): tops out at medium risk', () => {
    expect(questionOf(lens, 'ops09').riskRules).toEqual([
      { condition: 'ops09_bp01 && ops09_bp02 && ops09_bp03 && !ops09_no', risk: 'NO_RISK' },
      { condition: 'default', risk: 'MEDIUM_RISK' },
    ]);
  });

  test('for every question and every selection, first-match scoring gives the framework risk (None of these: the maximum)', () => {
    let count = 0;
    for (const q of questionsOf(lens)) {
      for (const selected of selections(q)) {
        const risk = scored(q, selected);
        expect(risk).toBe(expectedRisk(q.id.toUpperCase(), selected));
        // the library's evaluator (used for the Tool answers) agrees with JavaScript's
        expect(riskOf(q.riskRules, selected)).toBe(risk);
        count++;
      }
    }
    expect(count).toBe(4144);
  });

  test('the properties the AWS ORR lens 2.0 proves in CI hold for every question', () => {
    for (const q of questionsOf(lens)) {
      const none = `${q.id}_no`;
      const practices = OpsBestPractices.ofQuestion(q.id.toUpperCase());
      const idOf = (id: string) => id.toLowerCase().replace('-', '_');
      const core = practices.filter((bp) => bp.risk === OpsRisk.HIGH).map((bp) => idOf(bp.id));
      const sec = practices.filter((bp) => bp.risk === OpsRisk.MEDIUM).map((bp) => idOf(bp.id));
      const all = new Set([...core, ...sec]);
      const max = q.riskRules[q.riskRules.length - 1].risk;
      // format: at most 3 rules, one per risk level, default last, no negation except the trailing guard
      expect(q.riskRules.length).toBeLessThanOrEqual(3);
      expect(new Set(q.riskRules.map((r) => r.risk)).size).toBe(q.riskRules.length);
      expect(q.riskRules[q.riskRules.length - 1].condition).toBe('default');
      for (const r of q.riskRules.slice(0, -1)) {
        expect(r.condition.endsWith(` && !${none}`)).toBe(true);
        expect(r.condition.slice(0, -` && !${none}`.length)).not.toContain('!');
      }
      // endpoints and None of these
      expect(scored(q, all)).toBe(all.size > 0 ? 'NO_RISK' : max);
      for (const selected of selections(q)) {
        if (selected.has(none)) expect(scored(q, selected)).toBe(max);
      }
      // monotonicity: adding a statement never raises the risk
      for (const selected of selections(q)) {
        for (const c of q.choices.filter((x) => x.id !== none && !selected.has(x.id))) {
          const more = new Set([...selected, c.id]);
          expect(RISK_ORDER.indexOf(scored(q, more))).toBeLessThanOrEqual(RISK_ORDER.indexOf(scored(q, selected)));
        }
      }
      // tier meaning: dropping a core statement gives High, dropping a secondary one gives Medium
      for (const c of core) expect(scored(q, new Set([...all].filter((x) => x !== c)))).toBe('HIGH_RISK');
      for (const c of sec) expect(scored(q, new Set([...all].filter((x) => x !== c)))).toBe(core.length > 0 ? 'MEDIUM_RISK' : 'MEDIUM_RISK');
    }
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
    ['a semicolon in the name', { lensName: 'Freight; ORR' },
      /lensName 'Freight; ORR' contains ';', which import-lens rejects in lens names and descriptions: use only letters, digits/],
    ['quotes and percent in the description', { description: 'The "best" 100%' }, /description 'The "best" 100%' contains '"' '%', which/],
    ['the AWS ORR lens name', { lensName: 'AWS Operational-Readiness Review' },
      /lensName 'AWS Operational-Readiness Review' normalizes to 'awsoperationalreadinessreview', the name of the AWS ORR lens; .* choose another name\./],
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

  test('catches characters import-lens rejects in names, titles and descriptions, not in helpful texts', () => {
    const problems = problemsOf((l) => {
      l.name = 'Min; imal';
      question(l).title = 'Is x > y?';
      question(l).choices[0].helpfulResource!.displayText = 'Anything goes here: ; % < > = * " [ ] $ | ~ { }';
    });
    expect(problems).toEqual([
      "lens.name 'Min; imal' contains ';', which import-lens rejects in names, titles and descriptions: use only letters, digits, " +
        "spaces, line breaks and - _ . , : / ( ) @ ! & # + ' ? \u2019.",
      "pillars[0].questions[0].title 'Is x > y?' contains '>', which import-lens rejects in names, titles and descriptions: use only " +
        "letters, digits, spaces, line breaks and - _ . , : / ( ) @ ! & # + ' ? \u2019.",
    ]);
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

describe('CustomLens crosswalk', () => {
  test('one row per practice of the included questions: tier, framework risk and version, page, checking rules', () => {
    const rows = DEFAULT.crosswalk();
    expect(rows).toHaveLength(DEFAULT.choiceCount - DEFAULT.questionCount);
    expect(rows.find((r) => r.choiceId === 'ops08_bp04')).toEqual({
      questionId: 'ops08',
      choiceId: 'ops08_bp04',
      tier: 'core',
      bestPracticeId: 'OPS08-BP04',
      bestPracticeTitle: 'Create actionable alerts',
      frameworkRisk: 'HIGH',
      frameworkVersion: '2024-06-27',
      url: OpsBestPractices.of('OPS08-BP04').url,
      rules: OperationalExcellenceChecks.RULES.filter((r) => r.bestPractices.includes('OPS08-BP04')).map((r) => r.id),
    });
    expect(rows.find((r) => r.choiceId === 'ops02_bp06')).toMatchObject({ tier: 'none', frameworkRisk: 'LOW' });
    expect(ALL.crosswalk()).toHaveLength(68);
  });

  test('CSV: header, one line per practice, quoted cells where needed', () => {
    const lines = ALL.toCrosswalkCsv().trimEnd().split('\n');
    expect(lines[0]).toBe('question_id,choice_id,tier,wa_bp_id,wa_bp_title,wa_risk,framework_version,url,rules');
    expect(lines).toHaveLength(69);
    expect(lines).toContain('ops05,ops05_bp01,core,OPS05-BP01,Use version control,HIGH,2024-06-27,' +
      `${OpsBestPractices.of('OPS05-BP01').url},${ALL.crosswalk().find((r) => r.bestPracticeId === 'OPS05-BP01')!.rules.join(' ')}`);
    // a title with commas is quoted
    expect(lines.find((l) => l.startsWith('ops05,ops05_bp09,'))).toContain(',OPS05-BP09,"Make frequent, small, reversible changes",LOW,');
  });
});

describe('CustomLens.planRelease', () => {
  const published = DEFAULT.toJson();

  test('the same lens: nothing to do, a minor version', () => {
    expect(CustomLens.planRelease(published, published)).toEqual({
      problems: [],
      majorVersion: false,
      addedQuestionIds: [],
      removedQuestionIds: [],
      addedChoiceIds: [],
      removedChoiceIds: [],
      changedRiskRuleQuestionIds: [],
    });
  });

  test('only texts changed: a minor version', () => {
    const next = JSON.parse(published) as Lens;
    next.description = 'Reworded.';
    next.pillars[0].questions[0].choices[0].improvementPlan!.displayText = 'Reworded plan.';
    expect(CustomLens.planRelease(published, JSON.stringify(next))).toMatchObject({ problems: [], majorVersion: false });
  });

  test('more questions covered: a major version listing the new question ids', () => {
    const plan = CustomLens.planRelease(published, ALL.toJson());
    expect(plan.problems).toEqual([]);
    expect(plan.majorVersion).toBe(true);
    expect(plan.addedQuestionIds).toEqual(ALL.questionIds.filter((id) => !DEFAULT.questionIds.includes(id)));
    expect(plan.removedQuestionIds).toEqual([]);
  });

  test('a removed choice and a changed risk rule: a major version naming them', () => {
    const next = JSON.parse(published) as Lens;
    const ops08 = questionOf(next, 'ops08');
    ops08.choices = ops08.choices.filter((c) => c.id !== 'ops08_bp03');
    ops08.riskRules = [{ condition: 'ops08_bp04 && !ops08_no', risk: 'NO_RISK' }, { condition: 'default', risk: 'HIGH_RISK' }];
    expect(CustomLens.planRelease(published, JSON.stringify(next))).toMatchObject({
      problems: [], majorVersion: true, removedChoiceIds: ['ops08/ops08_bp03'], changedRiskRuleQuestionIds: ['ops08'],
    });
  });

  test('a renamed lens cannot be imported over the published one', () => {
    const renamed = new CustomLens({ lensName: 'Freight ORR' }).toJson();
    expect(CustomLens.planRelease(published, renamed).problems).toEqual([
      "the lens name changes from 'cdk-operable Operational Readiness' to 'Freight ORR': the Well-Architected Tool rejects renaming a " +
        'published lens, also in a major version ("Lens name must match published name"): keep \'cdk-operable Operational Readiness\' ' +
        '(cdk-operable lens --name), or import the new lens as a separate lens and move the workloads to it.',
    ]);
  });

  test('an invalid file is named', () => {
    expect(CustomLens.planRelease('{', published).problems[0]).toMatch(/^published lens: the lens is not valid JSON/);
  });
});

describe('riskOf with choices marked not applicable (the Tool scores them neutral, ORR lens gate G3)', () => {
  const rules = [
    { condition: 'a && b && c && d && !q_no', risk: 'NO_RISK' },
    { condition: 'a && b && !q_no', risk: 'MEDIUM_RISK' },
    { condition: 'default', risk: 'HIGH_RISK' },
  ];
  test.each<[string, string[], string[], string]>([
    ['three selected, the fourth not applicable', ['a', 'b', 'c'], ['d'], 'NO_RISK'],
    ['first medium statement selected, second not applicable', ['a'], ['b'], 'MEDIUM_RISK'],
    ['all not applicable, nothing selected', [], ['a', 'b', 'c', 'd'], 'NO_RISK'],
    ['one not applicable, nothing selected', [], ['a'], 'HIGH_RISK'],
    ['None of these with everything else not applicable', ['q_no'], ['a', 'b', 'c', 'd'], 'HIGH_RISK'],
  ])('%s', (_, selected, notApplicable, risk) => {
    expect(riskOf(rules, new Set(selected), new Set(notApplicable))).toBe(risk);
  });
  test('an || term not applicable does not satisfy the alternative', () => {
    expect(riskOf([{ condition: 's || (a && b)', risk: 'NO_RISK' }, { condition: 'a', risk: 'MEDIUM_RISK' }, { condition: 'default', risk: 'HIGH_RISK' }],
      new Set(['a']), new Set(['s']))).toBe('MEDIUM_RISK');
  });
});
