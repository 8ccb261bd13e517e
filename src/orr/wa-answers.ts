import * as fs from 'fs';
import * as path from 'path';
import { CustomLens } from './lens';
import { ReadinessReport } from './model';
import { SCOPE_UNOWNED } from './scopes';
import {
  AnswerDoc, answerOf, createMilestoneCommand, fileStem, LensQuestionShape, lensQuestions, shortHash, updateAnswerCommand, WA_LIMITS,
} from './wa-answers-build';
import { fail } from '../core/errors';

/**
 * Options of the Well-Architected Tool answers of a readiness review.
 */
export interface WellArchitectedAnswersOptions {
  /**
   * The lens the answers are recorded under, as `update-answer --lens-alias` takes it: for a custom lens its ARN
   * (`arn:aws:wellarchitected:<region>:<account>:lens/<id>`, e.g. the `lensArn` of `OrrLens`), or a shell variable
   * reference such as `$LENS_ALIAS` that the commands leave to the shell. 1 to 128 characters.
   *
   * @default '$LENS_ALIAS'
   */
  readonly lensAlias?: string;

  /**
   * The Well-Architected Tool workload id (32 lowercase hex characters, or a shell variable reference such as
   * `$PAYMENTS_WORKLOAD_ID`) of each workload, by workload name as the report names it.
   *
   * @default - every workload's commands use `$WORKLOAD_ID`
   */
  readonly workloadIds?: { [workload: string]: string };

  /**
   * The first word of every milestone name (`<prefix> <assessedOn> <hash of the answers>`), at most 80 characters.
   *
   * @default 'ORR'
   */
  readonly milestonePrefix?: string;
}

/** One choice update of an answer (`ChoiceUpdates` of UpdateAnswer). */
export interface WellArchitectedChoiceUpdate {
  /** `SELECTED`, `NOT_APPLICABLE` or `UNSELECTED`. */
  readonly status: string;
  /** `OUT_OF_SCOPE` (not applicable), `BUSINESS_PRIORITIES` (an acknowledged finding: a risk accepted) or `NONE`. */
  readonly reason: string;
  /** What the review found for this practice (at most 250 characters). */
  readonly notes: string;
}

/** The answer to one lens question: an UpdateAnswer request body plus the risk the Tool is expected to compute. */
export interface WellArchitectedAnswer {
  /** The lens question id, e.g. `ops08`. */
  readonly questionId: string;
  /** The selected choice ids: MET and ATTESTED practices, or the question's "None of these" (`<question>_no`). */
  readonly selectedChoices: string[];
  /** A status for every practice choice of the question and its "None of these" choice, by choice id. */
  readonly choiceUpdates: { [choiceId: string]: WellArchitectedChoiceUpdate };
  /** False when every practice of the question is NOT_APPLICABLE. */
  readonly isApplicable: boolean;
  /**
   * Why the question does not apply (`OUT_OF_SCOPE`).
   * @default - the question applies
   */
  readonly reason?: string;
  /** Findings, accepted risks and attestations of the question's practices (at most 2,084 characters). */
  readonly notes: string;
  /**
   * The risk the Tool computes from the lens's risk rules for these choices: `HIGH_RISK`, `MEDIUM_RISK`, `NO_RISK`
   * (shown as HIGH, MEDIUM, NONE by `get-answer`), or `NOT_APPLICABLE` for a question that does not apply.
   */
  readonly expectedRisk: string;
}

/** The CreateMilestone request of a workload's review. */
export interface WellArchitectedMilestone {
  /** `<prefix> <assessedOn> <hash of the answers>`: unique per review and answers, at most 100 characters. */
  readonly milestoneName: string;
  /** An idempotency token derived from the workload and the milestone name (re-running the command is safe). */
  readonly clientRequestToken: string;
}

interface WorkloadDoc {
  readonly workload: string;
  readonly workloadId: string;
  readonly file: string;
  readonly answers: AnswerDoc[];
  readonly milestoneName: string;
  readonly clientRequestToken: string;
  readonly commands: string[];
}

const VARIABLE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
const WORKLOAD_ID = /^[0-9a-f]{32}$/;
const MAX_PREFIX = WA_LIMITS.milestoneName - ' YYYY-MM-DD 12345678'.length;

/**
 * The answers of a readiness review for the Well-Architected Tool, per workload, for the cdk-operable custom lens
 * (`CustomLens`, deployed with `OrrLens` or `cdk-operable lens`): one UpdateAnswer request per lens question, the
 * CreateMilestone request that records the review, and the AWS CLI commands doing both, so a squad records the review
 * where auditors look. Nothing here calls AWS.
 *
 * Practices that are MET or ATTESTED are selected; when none of a question's practices is MET or ATTESTED and the
 * question applies, its "None of these" choice is selected so the Tool scores the question's maximum risk. NOT_APPLICABLE
 * practices are marked not applicable (reason OUT_OF_SCOPE), and a question whose every practice is NOT_APPLICABLE is
 * answered as not applicable. Acknowledged findings stay unselected with reason BUSINESS_PRIORITIES: an accepted risk is
 * still scored as a risk. Every answer states every choice of its question, so it never keeps a status from an
 * earlier review. The notes list findings (rule and resource path) and attestations (who, until when, evidence),
 * clipped to the API limit. Scopes of kind `unowned` have no workload in the Tool and are not answered.
 */
export class WellArchitectedAnswers {
  /** The longest answer notes UpdateAnswer accepts. */
  public static readonly NOTES_MAX_LENGTH = WA_LIMITS.notes;
  /** The longest choice notes UpdateAnswer accepts. */
  public static readonly CHOICE_NOTES_MAX_LENGTH = WA_LIMITS.choiceNotes;
  /** The longest milestone name CreateMilestone accepts. */
  public static readonly MILESTONE_NAME_MAX_LENGTH = WA_LIMITS.milestoneName;
  /** The lens alias when none is given: a shell variable the commands leave to the shell. */
  public static readonly DEFAULT_LENS_ALIAS = '$LENS_ALIAS';
  /** The workload id when none is given: a shell variable the commands leave to the shell. */
  public static readonly DEFAULT_WORKLOAD_ID = '$WORKLOAD_ID';

  /**
   * The answers of a review for a lens generated by cdk-operable. Only the lens's questions are answered.
   *
   * @param report the readiness review (`ReadinessReview.report`)
   * @param lens the custom lens the workloads are reviewed with (the same props as the lens published)
   * @param options lens alias, workload ids, milestone prefix
   */
  public static fromReport(report: ReadinessReport, lens: CustomLens, options: WellArchitectedAnswersOptions = {}): WellArchitectedAnswers {
    return new WellArchitectedAnswers(report, lensQuestions(lens.toJson(), `lens '${lens.lensName}'`), options);
  }

  /**
   * The answers of a review for a published lens, given as its JSON (e.g. from `aws wellarchitected export-lens`):
   * the choice ids of its questions are matched to the practices (`ops08_bp04` is `OPS08-BP04`).
   *
   * @param report the readiness review (`ReadinessReview.report`)
   * @param lensJson the custom lens JSON
   * @param options lens alias, workload ids, milestone prefix
   */
  public static fromLensJson(report: ReadinessReport, lensJson: string, options: WellArchitectedAnswersOptions = {}): WellArchitectedAnswers {
    return new WellArchitectedAnswers(report, lensQuestions(lensJson, 'the lens JSON'), options);
  }

  /** The workloads answered, in report order. */
  public readonly workloads: string[];
  /** The lens alias of the commands. */
  public readonly lensAlias: string;
  /** The date of the review (YYYY-MM-DD). */
  public readonly assessedOn: string;

  private readonly docs: Map<string, WorkloadDoc>;

  private constructor(report: ReadinessReport, questions: LensQuestionShape[], options: WellArchitectedAnswersOptions) {
    const lensAlias = options.lensAlias ?? WellArchitectedAnswers.DEFAULT_LENS_ALIAS;
    if (lensAlias.length < 1 || lensAlias.length > WA_LIMITS.lensAlias || /\s/.test(lensAlias)) {
      fail(undefined, `WellArchitectedAnswers: lensAlias '${lensAlias}' is not a lens alias: give the lens ARN ` +
        `(1 to ${WA_LIMITS.lensAlias} characters, no spaces, e.g. the lensArn of OrrLens) or a shell variable such as $LENS_ALIAS.`);
    }
    const prefix = options.milestonePrefix ?? 'ORR';
    if (prefix.trim().length === 0 || prefix.length > MAX_PREFIX || /[\u0000-\u001f\u007f]/.test(prefix)) {
      fail(undefined, `WellArchitectedAnswers: milestonePrefix '${prefix}' must be 1 to ${MAX_PREFIX} characters without control ` +
        `characters, so the milestone name '<prefix> <date> <hash>' stays within ${WA_LIMITS.milestoneName}.`);
    }
    // Nobody can record answers for an unowned scope (a review lists them in `report.unowned`; a hand-built report may not).
    const scopes = report.workloads.filter((s) => s.kind !== SCOPE_UNOWNED);
    const names = scopes.map((s) => s.name);
    const ids = options.workloadIds ?? {};
    for (const [workload, id] of Object.entries(ids)) {
      if (!names.includes(workload)) {
        fail(undefined, `WellArchitectedAnswers: workloadIds names '${workload}', which is not a workload of the review: use one of ` +
          `${names.map((n) => `'${n}'`).join(', ') || '(none)'}.`);
      }
      if (!WORKLOAD_ID.test(id) && !VARIABLE.test(id)) {
        fail(undefined, `WellArchitectedAnswers: workloadIds['${workload}'] is '${id}', not a Well-Architected workload id: give its 32 ` +
          'lowercase hex characters (aws wellarchitected list-workloads) or a shell variable such as $WORKLOAD_ID.');
      }
    }
    this.lensAlias = lensAlias;
    this.assessedOn = report.assessedOn;
    this.workloads = names;
    this.docs = new Map();
    const stems = new Map<string, number>();
    for (const name of names) stems.set(fileStem(name), (stems.get(fileStem(name)) ?? 0) + 1);
    for (const scope of scopes) {
      const answers = questions.map((q) => answerOf(q, scope, report.assessedOn)).filter((a): a is AnswerDoc => a !== undefined);
      const workloadId = ids[scope.name] ?? WellArchitectedAnswers.DEFAULT_WORKLOAD_ID;
      const milestoneName = `${prefix} ${report.assessedOn} ${shortHash(JSON.stringify(answers))}`;
      const clientRequestToken = `cdk-operable-${shortHash(`${scope.name}\n${milestoneName}`, 32)}`;
      const stem = fileStem(scope.name);
      this.docs.set(scope.name, {
        workload: scope.name,
        workloadId,
        // Two workload names that differ only in characters a file name cannot hold get a hash each.
        file: `${stems.get(stem)! > 1 ? `${stem}-${shortHash(scope.name, 6)}` : stem}.json`,
        answers,
        milestoneName,
        clientRequestToken,
        commands: [
          ...answers.map((a) => updateAnswerCommand(workloadId, lensAlias, a)),
          createMilestoneCommand(workloadId, milestoneName, clientRequestToken),
        ],
      });
    }
  }

  /**
   * The answers of a workload, one per lens question.
   *
   * @param workload the workload name
   */
  public answersOf(workload: string): WellArchitectedAnswer[] {
    return this.docOf(workload).answers.map((a) => ({
      questionId: a.QuestionId,
      selectedChoices: [...a.SelectedChoices],
      choiceUpdates: Object.fromEntries(Object.entries(a.ChoiceUpdates)
        .map(([id, u]) => [id, { status: u.Status, reason: u.Reason, notes: u.Notes }])),
      isApplicable: a.IsApplicable,
      reason: a.Reason,
      notes: a.Notes,
      expectedRisk: a.ExpectedRisk,
    }));
  }

  /**
   * The milestone that records a workload's review.
   *
   * @param workload the workload name
   */
  public milestoneOf(workload: string): WellArchitectedMilestone {
    const doc = this.docOf(workload);
    return { milestoneName: doc.milestoneName, clientRequestToken: doc.clientRequestToken };
  }

  /**
   * The AWS CLI commands that record a workload's review: one `update-answer` per question, then `create-milestone`,
   * each shell-quoted on one line.
   *
   * @param workload the workload name
   */
  public commandsOf(workload: string): string[] {
    return [...this.docOf(workload).commands];
  }

  /**
   * A workload's document as JSON: `lensAlias`, `workload`, `workloadId`, `assessedOn`, `answers` (UpdateAnswer request
   * bodies with `QuestionId` and `ExpectedRisk`), `milestone` (the CreateMilestone request) and `commands`.
   *
   * @param workload the workload name
   */
  public documentOf(workload: string): string {
    return JSON.stringify(this.plain(this.docOf(workload)), undefined, 2);
  }

  /** Every workload's document, as JSON: `{ assessedOn, lensAlias, workloads: [...] }`. */
  public toJson(): string {
    const workloads = [...this.docs.values()].map((d) => this.plain(d));
    return JSON.stringify({ assessedOn: this.assessedOn, lensAlias: this.lensAlias, workloads }, undefined, 2);
  }

  /**
   * Write one JSON document per workload (`documentOf`) into a directory, created when missing; returns the files
   * written, in workload order. The file of a workload is its name with characters other than letters, digits, `.`,
   * `_` and `-` replaced, plus `.json`.
   *
   * @param directory the directory to write into
   */
  public writeFiles(directory: string): string[] {
    fs.mkdirSync(directory, { recursive: true });
    return this.workloads.map((name) => {
      const file = path.join(directory, this.docOf(name).file);
      fs.writeFileSync(file, `${this.documentOf(name)}\n`);
      return file;
    });
  }

  private plain(doc: WorkloadDoc): Record<string, unknown> {
    return {
      lensAlias: this.lensAlias,
      workload: doc.workload,
      workloadId: doc.workloadId,
      assessedOn: this.assessedOn,
      answers: doc.answers,
      milestone: { MilestoneName: doc.milestoneName, ClientRequestToken: doc.clientRequestToken },
      commands: doc.commands,
    };
  }

  private docOf(workload: string): WorkloadDoc {
    const doc = this.docs.get(workload);
    if (!doc) {
      fail(undefined, `WellArchitectedAnswers: no workload '${workload}' in the review: use one of ` +
        `${this.workloads.map((n) => `'${n}'`).join(', ') || '(none)'}.`);
    }
    return doc;
  }
}
