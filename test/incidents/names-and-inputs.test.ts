import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT, incidentApp, jane } from './incident-fixtures';
import { Severity } from '../../src';
import {
  ContactChannel, EscalationPlan, IIncidentContact, IncidentManagerSetup, IncidentResponse, IncidentResponseProps, OnCallContact, OnCallContactProps,
  OnCallSchedule, ResponsePlan, ResponsePlanProps, RotationRecurrence,
} from '../../src/incidents';

const PLACE = `account ${ACCOUNT}, region us-east-1`;
const daily = () => RotationRecurrence.daily('09:00');

describe('contact aliases are unique per account and region: people, escalation plans and schedules share one namespace', () => {
  test('the same alias twice fails, naming both constructs', () => {
    const { platform } = incidentApp();
    jane(platform);
    expect(() => jane(platform, 'Jane2')).toThrow(`[Platform/Jane2] SSM Contacts alias name 'jane-doe' is already used by Platform/Jane (${PLACE}): ` +
      'AWS needs it unique, so the deployment would fail.');
  });

  test('an escalation plan or a schedule may not reuse a person\'s alias; rotation names may repeat', () => {
    const { platform, stack } = incidentApp();
    const person = jane(platform);
    expect(() => new EscalationPlan(platform, 'Escalation', { alias: 'jane-doe', stages: [{ targets: [person] }] }))
      .toThrow("[Platform/Escalation] SSM Contacts alias name 'jane-doe' is already used by Platform/Jane");
    expect(() => new OnCallSchedule(stack, 'Primary', { alias: 'jane-doe', contacts: [person], recurrence: daily(), startTime: '2025-01-06T09:00:00' }))
      .toThrow("[Freight/Primary] SSM Contacts alias name 'jane-doe' is already used by Platform/Jane");
    new OnCallSchedule(platform, 'A', { alias: 'a', rotationName: 'shared', contacts: [person], recurrence: daily(), startTime: '2025-01-06T09:00:00' });
    expect(() => new OnCallSchedule(platform, 'B', { alias: 'b', rotationName: 'shared', contacts: [person], recurrence: daily(), startTime: '2025-01-06T09:00:00' }))
      .not.toThrow();
  });

  test('the same alias in another region is another contact', () => {
    const app = new App();
    jane(new Stack(app, 'East', { env: { account: ACCOUNT, region: 'us-east-1' } }));
    expect(() => jane(new Stack(app, 'West', { env: { account: ACCOUNT, region: 'us-west-2' } }))).not.toThrow();
  });
});

describe('response plan names are unique per account and region', () => {
  test('two plans with one name fail, naming both', () => {
    const { stack } = incidentApp();
    const props = { responsePlanName: 'quotes-page', title: 'Quotes', impact: 2 };
    new ResponsePlan(stack, 'A', props);
    expect(() => new ResponsePlan(stack, 'B', props)).toThrow(`[Freight/B] response plan name 'quotes-page' is already used by Freight/A (${PLACE})`);
  });

  test('two incident responses of one workload collide on <workload>-page: namePrefix tells them apart', () => {
    const { workload } = incidentApp();
    new IncidentResponse(workload, 'First');
    expect(() => new IncidentResponse(workload, 'Second')).toThrow("[Freight/Freight/Second/Page] response plan name 'freight-page' is already " +
      'used by Freight/Freight/First/Page');
    expect(() => new IncidentResponse(workload, 'Third', { namePrefix: 'freight-eu' })).not.toThrow();
  });
});

describe('plain JavaScript input fails at the construct, naming the prop and the value', () => {
  const contact = (props: Partial<OnCallContactProps>) => () => new OnCallContact(incidentApp().platform, 'Jane', {
    alias: 'jane-doe', channels: [ContactChannel.email('jane@example.com')], ...props,
  } as OnCallContactProps);

  test.each([
    [{ channels: ['jane@example.com'] }, "channels [0] must be a ContactChannel (ContactChannel.email(...), .sms(...) or .voice(...)) (got 'jane@example.com' (a string)), got an array of 1."],
    [{ retryInterval: 5 }, 'retryInterval must be a Duration (e.g. Duration.minutes(5)), got 5. e.g. Duration.minutes(5).'],
    [{ alias: undefined }, "alias is required, got undefined. e.g. alias: 'jane-doe'."],
    [{ displayName: 7 }, 'displayName must be a string, got 7.'],
    [{ channels: [ContactChannel.email('jane@example.com', { deferActivation: 'yes' as unknown as boolean })] },
      "channels[0]: ContactChannel.email() options.deferActivation must be true or false, got 'yes' (a string)."],
    [{ channels: [ContactChannel.sms(undefined as unknown as string)] },
      "channels[0]: ContactChannel.sms() address is required, got undefined. a phone number in E.164 format, e.g. '+15555550100'."],
  ])('OnCallContact %p', (props, message) => {
    expect(contact(props as Partial<OnCallContactProps>)).toThrow(`[Platform/Jane] ${message}`);
  });

  test('EscalationPlan stages', () => {
    const { platform } = incidentApp();
    const person = jane(platform);
    let n = 0;
    const plan = (stages: unknown) => () => new EscalationPlan(platform, `Escalation${n++ || ''}`, { alias: 'e', stages } as never);
    expect(plan([{ targets: [{}] }])).toThrow('[Platform/Escalation] stages[0].targets [0] must be a contact (an OnCallContact, OnCallSchedule or ' +
      'imported contact) (got a plain object {}), got an array of 1.');
    expect(plan([{ targets: [person], acknowledgementStopsEscalation: 'no' }])).toThrow(
      "[Platform/Escalation1] stages[0].acknowledgementStopsEscalation must be true or false, got 'no' (a string).");
    expect(plan([{ targets: [person], duration: 10 }])).toThrow('[Platform/Escalation2] stages[0].duration must be a Duration (e.g. Duration.minutes(5)), ' +
      'got 10. e.g. Duration.minutes(10).');
    expect(plan(undefined)).toThrow('[Platform/Escalation3] stages is required, got undefined. e.g. stages: [{ targets: [primarySchedule] }].');
    expect(plan([{ targets: [person], duration: Duration.minutes(5) }])).not.toThrow();
  });

  test('ResponsePlan', () => {
    const { stack, platform } = incidentApp();
    const person = jane(platform);
    let n = 0;
    const plan = (props: Partial<ResponsePlanProps>) => () => new ResponsePlan(stack, `Plan${n++}`, {
      responsePlanName: 'quotes-page', title: 'Quotes', impact: 2, ...props,
    } as ResponsePlanProps);
    expect(plan({ impact: '1' as unknown as number })).toThrow("[Freight/Plan0] impact must be a finite number, got '1' (a string). Give 1 (critical) to 5 (no impact).");
    expect(plan({ engagements: [person, person] })).toThrow("[Freight/Plan1] engagements lists contact 'jane-doe' (Platform/Jane) twice: engage each contact once.");
    expect(plan({ chatChannel: {} as sns.ITopic })).toThrow('[Freight/Plan2] chatChannel must be an SNS topic (sns.ITopic), got a plain object {}.');
    expect(plan({ incidentTags: { team: 7 as unknown as string } })).toThrow("[Freight/Plan3] incident tag 'team=7' is invalid");
    expect(plan({ title: undefined })).toThrow("[Freight/Plan4] title is required, got undefined. e.g. title: 'freight PAGE'.");
    expect(plan({ automation: { runbook: 'freight-inspect' } as never })).toThrow('[Freight/Plan5] automation must be an IncidentAutomation ' +
      '({ runbook, parameters?, ... }) whose runbook is a Runbook, got a plain object {"runbook":"freight-inspect"}. e.g. automation: { runbook: restartQuotes }.');
  });

  test('IncidentResponse', () => {
    const { workload } = incidentApp();
    let n = 0;
    const response = (props: Partial<IncidentResponseProps>) => () => new IncidentResponse(workload, `Response${n++}`, props as IncidentResponseProps);
    expect(response({ severities: ['page' as Severity] })).toThrow('[Freight/Freight/Response0] severities [0] must be one of Severity (PAGE, TICKET) ' +
      "(got 'page' (a string)), got an array of 1. e.g. severities: [Severity.PAGE].");
    expect(response({ namePrefix: '' })).toThrow("[Freight/Freight/Response1] namePrefix must not be empty, got '' (a string).");
    expect(response({ engagements: [{ alias: 'x' } as IIncidentContact] })).toThrow('[Freight/Freight/Response2] engagements [0] must be a contact');
  });

  test('IncidentManagerSetup', () => {
    const app = new App();
    const stack = new Stack(app, 'Platform', { env: { account: ACCOUNT, region: 'us-east-1' } });
    expect(() => new IncidentManagerSetup(stack, 'A', { deletionProtected: 'true' as unknown as boolean })).toThrow(
      "[Platform/A] deletionProtected must be true or false, got 'true' (a string).");
    expect(() => IncidentManagerSetup.fromReplicationSetArn(stack, 'B', 'arn:aws:sns:us-east-1:123456789012:x')).toThrow(
      '[Platform/B] replicationSetArn must be an Incident Manager replication set ARN (arn:aws:ssm-incidents::<account>:replication-set/<id>), got ' +
      "'arn:aws:sns:us-east-1:123456789012:x' (a string). Copy it from the Incident Manager console.");
  });

  test('isEscalationPlan and isOnCallSchedule recognise copies of the library', () => {
    const { platform } = incidentApp();
    const person = jane(platform);
    expect(EscalationPlan.isEscalationPlan(new EscalationPlan(platform, 'E', { alias: 'e', stages: [{ targets: [person] }] }))).toBe(true);
    expect(EscalationPlan.isEscalationPlan(person)).toBe(false);
    expect(OnCallSchedule.isOnCallSchedule({ [Symbol.for('cdk-operable.OnCallSchedule')]: true })).toBe(true);
    expect(OnCallContact.isOnCallContact(person)).toBe(true);
  });
});
