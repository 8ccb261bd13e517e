import { IConstruct } from 'constructs';
import { fail } from './errors';
import { Severity } from './severity';

/** CloudWatch's limit on `AlarmDescription`, for metric and composite alarms alike. */
const MAX_DESCRIPTION_LENGTH = 1024;
const FOOTER_PATTERN = /^Severity: (\S+) \| Owner: (.*?) \| Runbook: (.*?) \| Playbook: (.*?) \| Dashboard: (.*)$/;

/**
 * What goes into an alarm description.
 */
export interface AlarmDescriptionProps {
  /**
   * One line saying what is wrong, in words the on-call engineer understands at 3 a.m.
   */
  readonly summary: string;

  /**
   * How urgent the alarm is.
   */
  readonly severity: Severity;

  /**
   * The owning team.
   */
  readonly owner: string;

  /**
   * The runbook to follow: a URL or an SSM Automation document name.
   *
   * @default 'none'
   */
  readonly runbook?: string;

  /**
   * The playbook to investigate with: a URL or an SSM Automation document name.
   *
   * @default 'none'
   */
  readonly playbook?: string;

  /**
   * The dashboard to look at: a URL.
   *
   * @default 'none'
   */
  readonly dashboard?: string;
}

/**
 * An alarm description read back from a template (see `AlarmDescription.parse`).
 */
export interface ParsedAlarmDescription {
  /** The summary line. */
  readonly summary: string;
  /** The severity as written (`PAGE` or `TICKET` when produced by this library). */
  readonly severity: string;
  /** The owning team. */
  readonly owner: string;
  /**
   * The runbook.
   * @default - the description names no runbook
   */
  readonly runbook?: string;
  /**
   * The playbook.
   * @default - the description names no playbook
   */
  readonly playbook?: string;
  /**
   * The dashboard.
   * @default - the description names no dashboard
   */
  readonly dashboard?: string;
}

/**
 * The alarm description contract: a one-line summary, then one footer line
 * `Severity: PAGE|TICKET | Owner: <team> | Runbook: <...> | Playbook: <...> | Dashboard: <...>`.
 *
 * Every alarm this library creates is described through `render`; the rule pack and the readiness review read
 * descriptions back with `parse`, so they also work on alarms written by hand in the same format.
 */
export class AlarmDescription {
  /** The value written for a field that has nothing to point at. */
  public static readonly NONE = 'none';

  /** CloudWatch's maximum description length. */
  public static readonly MAX_LENGTH = MAX_DESCRIPTION_LENGTH;

  /**
   * Render a description. Throws when the summary spans lines, a field is empty or holds the ` | `
   * separator, or the result exceeds CloudWatch's 1,024 characters.
   *
   * @param props what to say
   * @param scope the construct the description is for, named in errors
   */
  public static render(props: AlarmDescriptionProps, scope?: IConstruct): string {
    const summary = props.summary.trim();
    if (summary.length === 0) fail(scope, 'Alarm description summary is empty: say in one line what is wrong.');
    if (/[\r\n]/.test(summary)) fail(scope, `Alarm description summary must be one line, got '${summary}'. Put details in the runbook.`);
    const field = (name: string, value: string | undefined): string => {
      const v = (value ?? AlarmDescription.NONE).trim();
      if (v.length === 0) {
        fail(scope, name === 'Owner'
          ? 'Alarm description field Owner is empty: name the owning team.'
          : `Alarm description field ${name} is empty: omit it to write '${AlarmDescription.NONE}'.`);
      }
      if (/[\r\n]/.test(v) || v.includes(' | ')) {
        fail(scope, `Alarm description field ${name} '${v}' must be one line without ' | ' (the footer separator).`);
      }
      return v;
    };
    const footer = `Severity: ${props.severity} | Owner: ${field('Owner', props.owner)} | Runbook: ${field('Runbook', props.runbook)}`
      + ` | Playbook: ${field('Playbook', props.playbook)} | Dashboard: ${field('Dashboard', props.dashboard)}`;
    const text = `${summary}\n${footer}`;
    if (text.length > MAX_DESCRIPTION_LENGTH) {
      fail(scope, `Alarm description is ${text.length} characters; CloudWatch allows ${MAX_DESCRIPTION_LENGTH}. Shorten the summary ` +
        `(${summary.length} characters) or the runbook/playbook/dashboard links.`);
    }
    return text;
  }

  /**
   * Read a description back. Returns undefined when the text has no contract footer.
   */
  public static parse(text: string): ParsedAlarmDescription | undefined {
    const lines = text.split('\n');
    const footer = lines[lines.length - 1];
    const match = FOOTER_PATTERN.exec(footer);
    if (!match) return undefined;
    const opt = (v: string): string | undefined => (v === AlarmDescription.NONE ? undefined : v);
    return {
      summary: lines.slice(0, -1).join('\n'),
      severity: match[1],
      owner: match[2],
      runbook: opt(match[3]),
      playbook: opt(match[4]),
      dashboard: opt(match[5]),
    };
  }

  private constructor() {}
}
