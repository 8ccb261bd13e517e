import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DASHBOARD_URL, logicalIdOf, orrTagsWithRunbook, RUNBOOK, setup, windowAlarmNames } from './function-fixtures';
import { AlarmDestination, AlarmRouting, ServiceLevelObjective } from '../../src';

const FOOTER = `Owner: pricing | Runbook: ${RUNBOOK} | Playbook: none | Dashboard: ${DASHBOARD_URL}`;

/** `${LogicalId.Arn}` of an SLO window alarm, by construct id (e.g. `14.4x1h`). */
function arnOf(slo: ServiceLevelObjective, window: string): string {
  return `\${${logicalIdOf(slo.windowAlarms.find((a) => a.node.id === `Window${window}`)!)}.Arn}`;
}

/** The FAST_RESET page condition of an SLO under SRE_WORKBOOK: (L1h AND S5m) OR (L6h AND S30m AND NOT L1h). */
function pageRule(slo: ServiceLevelObjective): string {
  return `((ALARM("${arnOf(slo, '14.4x1h')}") AND ALARM("${arnOf(slo, '14.4x5m')}")) OR (ALARM("${arnOf(slo, '6x6h')}") ` +
    `AND ALARM("${arnOf(slo, '6x30m')}") AND (NOT (ALARM("${arnOf(slo, '14.4x1h')}")))))`;
}

function ticketRule(slo: ServiceLevelObjective): string {
  return `((ALARM("${arnOf(slo, '1x3d')}") AND ALARM("${arnOf(slo, '1x6h')}")))`;
}

describe('the service composites (defaults)', () => {
  const s = setup();
  const availability = s.fn.availability!;
  const latency = s.fn.latency!;
  const saturation = s.fn.node.findChild('Saturation') as cloudwatch.Alarm;

  test('exactly one page and one ticket composite for the service', () => {
    const names = s.of('AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties!.AlarmName as string);
    expect(names.filter((n) => n.startsWith('freight-quotes-'))).toEqual(['freight-quotes-page', 'freight-quotes-ticket']);
  });

  test('the page rule ORs the page conditions (4 window alarms) of each SLO, as one Fn::Sub string', () => {
    expect(s.alarm('freight-quotes-page').AlarmRule).toEqual({ 'Fn::Sub': `(${pageRule(availability)} OR ${pageRule(latency)})` });
  });

  test('the ticket rule ORs the ticket conditions of each SLO and the saturation alarm', () => {
    expect(s.alarm('freight-quotes-ticket').AlarmRule).toEqual({
      'Fn::Sub': `(${ticketRule(availability)} OR ${ticketRule(latency)} OR ALARM("\${${logicalIdOf(saturation)}.Arn}"))`,
    });
  });

  test('the page suppresses the ticket: 2-minute wait, 6-hour extension', () => {
    expect(s.alarm('freight-quotes-ticket')).toMatchObject({
      ActionsSuppressor: { 'Fn::GetAtt': [logicalIdOf(s.fn.pageAlarm), 'Arn'] },
      ActionsSuppressorWaitPeriod: 120,
      ActionsSuppressorExtensionPeriod: 21600,
    });
  });

  test("only the composites notify: page to the workload's Pages topic, ticket to its Tickets topic", () => {
    expect(s.alarm('freight-quotes-page').AlarmActions).toEqual([{ Ref: logicalIdOf(s.pages) }]);
    expect(s.alarm('freight-quotes-ticket').AlarmActions).toEqual([{ Ref: logicalIdOf(s.tickets) }]);
    for (const name of [...windowAlarmNames('availability'), ...windowAlarmNames('latency'), 'freight-quotes-saturation']) {
      const alarm = s.alarm(name);
      expect([name, alarm.AlarmActions, alarm.OKActions, alarm.InsufficientDataActions]).toEqual([name, undefined, undefined, undefined]);
    }
  });

  test('descriptions follow the contract: summary, then Severity | Owner | Runbook | Playbook | Dashboard', () => {
    expect(s.alarm('freight-quotes-page').AlarmDescription).toBe(
      "Page: service quotes is burning an SLO's error budget fast (availability 99.9%, latency 99%).\n" +
      `Severity: PAGE | ${FOOTER}`);
    expect(s.alarm('freight-quotes-ticket').AlarmDescription).toBe(
      'Ticket: service quotes needs attention: slow error-budget burn (availability 99.9%, latency 99%) or an operational alarm ' +
      '(1 alarm); suppressed while the service pages.\n' +
      `Severity: TICKET | ${FOOTER}`);
    expect(s.alarm('freight-quotes-availability-burn14.4x-1h').AlarmDescription).toBe(
      'availability: burn >= 14.4x over 1h, long window of page 14.4x 1h+5m, min 5 bad events.\n' +
      `Severity: PAGE | ${FOOTER}`);
    expect(s.alarm('freight-quotes-latency-burn1x-6h').AlarmDescription).toBe(
      'latency: burn >= 1x over 6h, short window of ticket 1x 3d+6h.\n' +
      `Severity: TICKET | ${FOOTER}`);
  });

  test('every alarm carries ops:runbook: the composites, the saturation alarm and each window alarm', () => {
    expect(s.alarm('freight-quotes-page').Tags).toEqual(orrTagsWithRunbook());
    expect(s.alarm('freight-quotes-ticket').Tags).toEqual(orrTagsWithRunbook());
    expect(s.alarm('freight-quotes-saturation').Tags).toEqual(orrTagsWithRunbook());
    for (const name of [...windowAlarmNames('availability'), ...windowAlarmNames('latency')]) {
      expect([name, s.alarm(name).Tags]).toEqual([name, orrTagsWithRunbook()]);
    }
  });
});

describe('composite overrides', () => {
  test('routing sends the service composites elsewhere', () => {
    const s = setup((stack) => {
      const oncall = new sns.Topic(stack, 'QuotesOncall');
      const backlog = new sns.Topic(stack, 'QuotesBacklog');
      return { routing: new AlarmRouting({ page: [AlarmDestination.sns(oncall)], ticket: [AlarmDestination.sns(backlog)] }) };
    });
    expect(s.alarm('freight-quotes-page').AlarmActions).toEqual([{ Ref: logicalIdOf(s.stack.node.findChild('QuotesOncall')) }]);
    expect(s.alarm('freight-quotes-ticket').AlarmActions).toEqual([{ Ref: logicalIdOf(s.stack.node.findChild('QuotesBacklog')) }]);
  });

  test('runbook and playbook reach every footer, and the runbook the ops:runbook tags', () => {
    const runbook = 'Freight-RollbackQuotes';
    const playbook = 'https://playbooks.example.com/quotes';
    const s = setup({ runbook, playbook });
    const footer = `Owner: pricing | Runbook: ${runbook} | Playbook: ${playbook} | Dashboard: ${DASHBOARD_URL}`;
    expect(s.alarm('freight-quotes-page').AlarmDescription).toMatch(new RegExp(`\\nSeverity: PAGE \\| ${escape(footer)}$`));
    expect(s.alarm('freight-quotes-ticket').AlarmDescription).toMatch(new RegExp(`\\nSeverity: TICKET \\| ${escape(footer)}$`));
    expect((s.alarm('freight-quotes-saturation').AlarmDescription as { 'Fn::Sub': string })['Fn::Sub']).toMatch(new RegExp(`\\nSeverity: TICKET \\| ${escape(footer)}$`));
    expect(s.alarm('freight-quotes-availability-burn14.4x-5m').AlarmDescription).toMatch(new RegExp(`\\nSeverity: PAGE \\| ${escape(footer)}$`));
    for (const name of ['freight-quotes-page', 'freight-quotes-ticket', 'freight-quotes-saturation']) {
      expect([name, s.alarm(name).Tags]).toEqual([name, orrTagsWithRunbook(runbook)]);
    }
    expect(s.alarm('freight-quotes-latency-burn6x-6h').Tags).toEqual(orrTagsWithRunbook(runbook));
    expect(s.fn.runbook).toBe(runbook);
    expect(s.fn.availability!.runbook).toBe(runbook);
  });

  test('serviceName names the composites', () => {
    const s = setup({ serviceName: 'quote-engine' });
    expect(s.alarm('freight-quote-engine-page').AlarmDescription).toMatch(/^Page: service quote-engine is burning/);
    expect(s.alarm('freight-quote-engine-ticket').Tags).toEqual(expect.arrayContaining([
      { Key: 'ops:service', Value: 'quote-engine' },
      { Key: 'ops:runbook', Value: 'https://runbooks.example.com/freight/quote-engine' },
    ]));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
