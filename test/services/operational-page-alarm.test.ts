import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { functionProps } from './function-fixtures';
import { OperableFunction } from '../../src';
import { freight, testStack } from '../support/fixtures';

/**
 * `addOperationalAlarm(..., { pages: true })`: a symptom no SLO measures (the backlog of a critical pipeline's queue)
 * pages through the service's page composite; without it the alarm tickets, as before.
 */
describe('an operational alarm that pages', () => {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const fn = new OperableFunction(workload, 'PriceUpdates', { functionProps: functionProps() });
  const feed = new sqs.Queue(stack, 'Feed');
  const backlog = fn.addOperationalAlarm('FeedBacklog', {
    metric: feed.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
    threshold: 600,
    evaluationPeriods: 3,
    summary: 'The oldest feed message waited 10 minutes.',
    pages: true,
  });
  const dlq = fn.addOperationalAlarm('FeedDeadLetters', {
    metric: feed.metricApproximateNumberOfMessagesVisible(),
    threshold: 1,
    summary: 'Feed messages wait in the dead-letter queue.',
  });
  const template = Template.fromStack(stack);
  const composites = template.findResources('AWS::CloudWatch::CompositeAlarm');
  const byName = (name: string) => Object.values(composites).find((r) => r.Properties.AlarmName === name)!.Properties;
  const alarms = template.findResources('AWS::CloudWatch::Alarm');
  const alarmOf = (name: string) => Object.entries(alarms).find(([, r]) => r.Properties.AlarmName === name)!;

  test('the page composite ORs it with the SLO page conditions; the ticket composite does not list it', () => {
    const [backlogId] = alarmOf('freight-price-updates-feed-backlog');
    const [dlqId] = alarmOf('freight-price-updates-feed-dead-letters');
    const page = JSON.stringify(byName('freight-price-updates-page').AlarmRule);
    const ticket = JSON.stringify(byName('freight-price-updates-ticket').AlarmRule);
    expect(page).toContain(`ALARM(\\"\${${backlogId}.Arn}\\")`);
    expect(ticket).not.toContain(backlogId);
    expect(ticket).toContain(`ALARM(\\"\${${dlqId}.Arn}\\")`);
    expect(page).not.toContain(dlqId);
    expect(fn.alarms).toEqual(expect.arrayContaining([backlog, dlq]));
  });

  test('its description states PAGE and how it pages; it has no actions of its own', () => {
    const [, backlogAlarm] = alarmOf('freight-price-updates-feed-backlog');
    const description = JSON.stringify(backlogAlarm.Properties.AlarmDescription);
    expect(description).toContain("The oldest feed message waited 10 minutes. Pages through price-updates's page composite; no actions of its own.");
    expect(description).toMatch(/Severity: PAGE/);
    expect(backlogAlarm.Properties.AlarmActions).toBeUndefined();
    const [, dlqAlarm] = alarmOf('freight-price-updates-feed-dead-letters');
    expect(JSON.stringify(dlqAlarm.Properties.AlarmDescription)).toContain("Tickets through price-updates's ticket composite");
  });

  test('the page composite says it also pages on operational alarms', () => {
    expect(JSON.stringify(byName('freight-price-updates-page').AlarmDescription)).toContain('or an operational alarm that pages (1 alarm).');
  });
});
