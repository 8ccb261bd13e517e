import { App, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { functionProps } from './function-fixtures';
import { buildServerlessSquadApp } from '../../examples/serverless-squad/app';
import {
  AlarmDescription, Approvers, FeatureFlags, Flag, OperableFunction, RedriveDeadLetterQueue, ServiceDashboard, ServiceLevelObjective, Sli,
} from '../../src';
import { freight, quotesMetric, resourcesOf, testStack } from '../support/fixtures';

type Json = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** The footer, the summary and the ops:runbook tag of every alarm and composite, by alarm name. */
function alarmLinks(template: Json): Map<string, { runbook?: string; playbook?: string; dashboard?: string; summary: string; tag?: string }> {
  const out = new Map();
  for (const [, r] of [...resourcesOf(template, 'AWS::CloudWatch::Alarm'), ...resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm')]) {
    const d = r.Properties!.AlarmDescription as string | { 'Fn::Sub': string | [string, unknown] };
    const text = typeof d === 'string' ? d : Array.isArray(d['Fn::Sub']) ? d['Fn::Sub'][0] : d['Fn::Sub'];
    const footer = AlarmDescription.parse(text)!;
    const tag = (r.Properties!.Tags as Array<{ Key: string; Value: string }> | undefined)?.find((t) => t.Key === 'ops:runbook')?.Value;
    out.set(r.Properties!.AlarmName, { ...footer, tag });
  }
  return out;
}

describe('every alarm names the most specific runbook that exists for it (the base URL only as a fallback)', () => {
  const { app, stack } = testStack();
  const { workload } = freight(stack, {
    approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }),
  });
  const quotes = new OperableFunction(workload, 'Quotes', { functionProps: functionProps() });
  const flags = new FeatureFlags(quotes, 'Flags', { flags: [Flag.ofBoolean({ key: 'new_pricing' })] });
  flags.addToFunction(quotes.lambdaFunction);
  const dlq = new sqs.Queue(stack, 'FeedDlq');
  const feed = new sqs.Queue(stack, 'Feed', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
  workload.own(dlq);
  workload.own(feed);
  quotes.addOperationalAlarm('FeedDeadLetters', {
    metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    summary: 'Feed messages wait in the dead-letter queue.',
  });
  // Created after the alarm: runbooks are linked at synth, so order does not matter.
  const redrive = new RedriveDeadLetterQueue(workload, 'RedriveFeed', { deadLetterQueue: dlq, sourceQueues: [feed] });
  const links = alarmLinks(app.synth().getStackArtifact(stack.artifactId).template as Json);
  const rollback = quotes.rollbackRunbook!.documentName;
  const killSwitch = flags.killSwitches[0].documentName;

  test('the page composite, the ticket composite and every SLO window alarm name the rollback runbook of the alias, tag it, and list the kill switch', () => {
    const names = ['freight-quotes-page', 'freight-quotes-ticket', 'freight-quotes-availability-burn14.4x-5m', 'freight-quotes-latency-burn1x-3d'];
    for (const name of names) {
      const l = links.get(name)!;
      expect([name, l.runbook, l.tag]).toEqual([name, rollback, rollback]);
      expect(l.summary).toContain(`Also: ${killSwitch} (turn flag new_pricing off in prod).`);
    }
    expect(quotes.runbook).toBe(rollback);
  });

  test('an operational alarm on a dead-letter queue names the redrive runbook of that queue, created after it', () => {
    const l = links.get('freight-quotes-feed-dead-letters')!;
    expect([l.runbook, l.tag]).toEqual([redrive.documentName, redrive.documentName]);
    expect(l.summary).not.toContain('Also:');
  });

  test('an alarm no runbook acts on (saturation) falls back to <runbookBaseUrl>/<service>', () => {
    const l = links.get('freight-quotes-saturation')!;
    expect([l.runbook, l.tag]).toEqual(['https://runbooks.example.com/freight/quotes', 'https://runbooks.example.com/freight/quotes']);
  });

  test("the service's own runbook prop wins over every procedure found", () => {
    const t = testStack();
    const w = freight(t.stack, { approvers: Approvers.of({ roles: [iam.Role.fromRoleArn(t.stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] }) });
    new OperableFunction(w.workload, 'Quotes', { functionProps: functionProps(), runbook: 'https://wiki.example.com/quotes' });
    const own = alarmLinks(t.app.synth().getStackArtifact(t.stack.artifactId).template as Json);
    expect(own.get('freight-quotes-page')!.runbook).toBe('https://wiki.example.com/quotes');
    expect(own.get('freight-quotes-availability-burn14.4x-5m')!.tag).toBe('https://wiki.example.com/quotes');
  });
});

describe('a standalone SLO names the dashboard it is added to (before: Dashboard: none)', () => {
  test('added to a ServiceDashboard after it was created, every alarm of the SLO names that dashboard', () => {
    const { app, stack } = testStack();
    const { workload } = freight(stack);
    const slo = new ServiceLevelObjective(workload, 'QuoteSuccess', {
      serviceName: 'quotes', sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    });
    const dashboard = new ServiceDashboard(workload, 'Dashboard', { serviceName: 'quotes' });
    dashboard.addSlo(slo);
    const links = alarmLinks(app.synth().getStackArtifact(stack.artifactId).template as Json);
    for (const name of ['freight-quotes-quote-success-page', 'freight-quotes-quote-success-burn14.4x-5m']) {
      expect([name, links.get(name)!.dashboard]).toEqual([name, 'https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-quotes']);
    }
  });
});

describe('the example squad: every runbook and playbook the library generated for a service is named by an alarm (the game-day start runbook is started by people, not alarms)', () => {
  const app = new App();
  const squad = buildServerlessSquadApp(app);
  const links = alarmLinks(app.synth().getStackArtifact(squad.artifactId).template as Json);
  const named = new Set([...links.values()].flatMap((l) => [l.runbook, l.playbook, ...(l.summary.match(/Also: (.*)\.$/)?.[1].split('; ').map((x) => x.split(' (')[0]) ?? [])]));

  test.each(squad.runbooks.filter((r) => r !== squad.gameDay.startRunbook).map((r) => [r.documentName]))('%s is named by an alarm', (documentName) => {
    expect(named.has(documentName)).toBe(true);
  });
});
