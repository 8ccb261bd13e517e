import { Construct } from 'constructs';
import { AlarmDescription, AlarmDescriptionProps, Severity } from '../../src';
import { testStack } from '../support/fixtures';

const BASE: AlarmDescriptionProps = {
  summary: 'quotes availability SLO is burning its error budget fast',
  severity: Severity.PAGE,
  owner: 'pricing',
  runbook: 'https://runbooks.example.com/freight/quotes/availability',
};
/** Length of the footer when only owner `pricing` and severity PAGE are given. */
const MINIMAL_FOOTER = 'Severity: PAGE | Owner: pricing | Runbook: none | Playbook: none | Dashboard: none';

describe('AlarmDescription.render', () => {
  test('writes the summary, then the footer', () => {
    expect(AlarmDescription.render(BASE)).toBe(
      'quotes availability SLO is burning its error budget fast\n' +
      'Severity: PAGE | Owner: pricing | Runbook: https://runbooks.example.com/freight/quotes/availability | Playbook: none | Dashboard: none');
  });

  test('every field given', () => {
    expect(AlarmDescription.render({
      ...BASE,
      severity: Severity.TICKET,
      playbook: 'Freight-Investigate',
      dashboard: 'https://console.aws.amazon.com/cloudwatch/home#dashboards/dashboard/freight',
    })).toBe('quotes availability SLO is burning its error budget fast\n' +
      'Severity: TICKET | Owner: pricing | Runbook: https://runbooks.example.com/freight/quotes/availability' +
      ' | Playbook: Freight-Investigate | Dashboard: https://console.aws.amazon.com/cloudwatch/home#dashboards/dashboard/freight');
  });

  test('omitted fields are written as none; summary and fields are trimmed', () => {
    expect(AlarmDescription.render({ summary: '  Errors high  ', severity: Severity.PAGE, owner: ' pricing ' }))
      .toBe(`Errors high\n${MINIMAL_FOOTER}`);
    expect(AlarmDescription.NONE).toBe('none');
    expect(AlarmDescription.MAX_LENGTH).toBe(1024);
  });

  test.each([[''], ['   '], ['\n']])('rejects the empty summary %j', (summary) => {
    expect(() => AlarmDescription.render({ ...BASE, summary }))
      .toThrow('Alarm description summary is empty: say in one line what is wrong.');
  });

  test.each([['line one\nline two'], ['line one\r\nline two'], ['a\rb']])('rejects the multi-line summary %j', (summary) => {
    expect(() => AlarmDescription.render({ ...BASE, summary }))
      .toThrow(`Alarm description summary must be one line, got '${summary}'. Put details in the runbook.`);
  });

  test.each([
    ['Owner', { owner: 'pricing | billing' }, 'pricing | billing'],
    ['Runbook', { runbook: 'step 1 | step 2' }, 'step 1 | step 2'],
    ['Playbook', { playbook: 'a | b' }, 'a | b'],
    ['Dashboard', { dashboard: 'x | y' }, 'x | y'],
    ['Runbook', { runbook: 'https://a\nhttps://b' }, 'https://a\nhttps://b'],
  ])('rejects a %s field holding the separator or a line break', (name, extra, value) => {
    expect(() => AlarmDescription.render({ ...BASE, ...extra }))
      .toThrow(`Alarm description field ${name} '${value}' must be one line without ' | ' (the footer separator).`);
  });

  test('a pipe without surrounding spaces is fine', () => {
    expect(AlarmDescription.render({ ...BASE, owner: 'pricing|billing' })).toContain('| Owner: pricing|billing |');
  });

  test.each([
    [{ owner: '' }],
    [{ owner: '  ' }],
  ])('rejects an empty Owner field (%o)', (extra) => {
    expect(() => AlarmDescription.render({ ...BASE, ...extra })).toThrow('Alarm description field Owner is empty: name the owning team.');
  });

  test.each([
    ['Runbook', { runbook: '' }],
    ['Playbook', { playbook: ' ' }],
    ['Dashboard', { dashboard: '' }],
  ])('rejects an empty %s field', (name, extra) => {
    expect(() => AlarmDescription.render({ ...BASE, ...extra }))
      .toThrow(`Alarm description field ${name} is empty: omit it to write 'none'.`);
  });

  test('accepts exactly 1024 characters', () => {
    const summary = 'x'.repeat(1024 - 1 - MINIMAL_FOOTER.length);
    const text = AlarmDescription.render({ summary, severity: Severity.PAGE, owner: 'pricing' });
    expect(text).toHaveLength(1024);
  });

  test('rejects a result over 1024 characters, stating both lengths', () => {
    const summary = 'x'.repeat(1000);
    expect(MINIMAL_FOOTER).toHaveLength(82);
    expect(() => AlarmDescription.render({ summary, severity: Severity.PAGE, owner: 'pricing' }))
      .toThrow('Alarm description is 1083 characters; CloudWatch allows 1024. Shorten the summary (1000 characters) ' +
        'or the runbook/playbook/dashboard links.');
  });

  test('long links count too', () => {
    const runbook = `https://runbooks.example.com/${'r'.repeat(1000)}`;
    expect(() => AlarmDescription.render({ ...BASE, summary: 'short', runbook }))
      .toThrow(/^Alarm description is 1113 characters; CloudWatch allows 1024\. Shorten the summary \(5 characters\)/);
  });

  test('errors name the scope path when a scope is passed', () => {
    const { stack } = testStack();
    const scope = new Construct(new Construct(stack, 'Freight'), 'Availability');
    expect(() => AlarmDescription.render({ ...BASE, summary: '' }, scope))
      .toThrow(/^\[Test\/Freight\/Availability\] Alarm description summary is empty/);
    expect(() => AlarmDescription.render({ ...BASE, owner: 'a | b' }, scope))
      .toThrow(/^\[Test\/Freight\/Availability\] Alarm description field Owner/);
    expect(() => AlarmDescription.render({ ...BASE, summary: 'x'.repeat(1100) }, scope))
      .toThrow(/^\[Test\/Freight\/Availability\] Alarm description is \d+ characters/);
  });

  test('errors have no path prefix without a scope', () => {
    expect(() => AlarmDescription.render({ ...BASE, summary: '' })).toThrow(/^Alarm description summary is empty/);
  });
});

describe('AlarmDescription.parse', () => {
  test('round-trips render output; none reads back as undefined', () => {
    const text = AlarmDescription.render({ summary: 'Errors high', severity: Severity.TICKET, owner: 'pricing', playbook: 'Freight-Investigate' });
    expect(AlarmDescription.parse(text)).toEqual({
      summary: 'Errors high',
      severity: 'TICKET',
      owner: 'pricing',
      runbook: undefined,
      playbook: 'Freight-Investigate',
      dashboard: undefined,
    });
  });

  test('round-trips every field, including URLs with colons, # and pipes without spaces', () => {
    const props = {
      summary: 'p99 latency over 1 s: 5 % of requests | slow',
      severity: Severity.PAGE,
      owner: 'pricing|billing',
      runbook: 'https://runbooks.example.com/freight/quotes/latency',
      playbook: 'arn:aws:ssm:us-east-1:123456789012:document/Investigate',
      dashboard: 'https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=freight',
    };
    expect(AlarmDescription.parse(AlarmDescription.render(props))).toEqual(props);
  });

  test('handles a multi-line summary written by hand', () => {
    const text = `First line\nSecond line\n${MINIMAL_FOOTER}`;
    expect(AlarmDescription.parse(text)).toEqual({
      summary: 'First line\nSecond line',
      severity: 'PAGE',
      owner: 'pricing',
      runbook: undefined,
      playbook: undefined,
      dashboard: undefined,
    });
  });

  test('a footer alone parses with an empty summary', () => {
    expect(AlarmDescription.parse(MINIMAL_FOOTER)?.summary).toBe('');
  });

  test.each([
    ['no footer', 'CPU is high'],
    ['empty text', ''],
    ['footer not on the last line', `${MINIMAL_FOOTER}\nmore text`],
    ['footer missing a field', 'x\nSeverity: PAGE | Owner: pricing | Runbook: none | Playbook: none'],
    ['fields out of order', 'x\nSeverity: PAGE | Runbook: none | Owner: pricing | Playbook: none | Dashboard: none'],
    ['severity with a space', 'x\nSeverity: VERY HIGH | Owner: pricing | Runbook: none | Playbook: none | Dashboard: none'],
  ])('returns undefined for %s', (_what, text) => {
    expect(AlarmDescription.parse(text)).toBeUndefined();
  });

  test('reads a hand-written footer with any severity word', () => {
    expect(AlarmDescription.parse('x\nSeverity: SEV2 | Owner: ops team | Runbook: none | Playbook: none | Dashboard: https://d')).toEqual({
      summary: 'x', severity: 'SEV2', owner: 'ops team', runbook: undefined, playbook: undefined, dashboard: 'https://d',
    });
  });
});
