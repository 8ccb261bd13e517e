import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ACCOUNT, idOf, incidentApp, jane, json, ofType } from './incident-fixtures';
import { OperationalExcellenceChecks, Workload } from '../../src';
import { ContactChannel, ContactChannelType, EscalationPlan, OnCallContact, OnCallSchedule, RotationRecurrence } from '../../src/incidents';

const getArn = (c: Construct) => ({ 'Fn::GetAtt': [idOf(c), 'Arn'] });

function platform() {
  return incidentApp().platform;
}

describe('OnCallContact', () => {
  test('defaults: a PERSONAL contact named by its alias, one channel per ContactChannel, one stage engaging all, retry 5 min', () => {
    const stack = platform();
    const contact = jane(stack);
    const resources = json(stack).Resources;

    expect(resources[idOf(contact)]).toEqual({
      Type: 'AWS::SSMContacts::Contact',
      Properties: { Alias: 'jane-doe', DisplayName: 'jane-doe', Type: 'PERSONAL' },
    });
    const channels = ofType(stack, 'AWS::SSMContacts::ContactChannel').map(([, r]) => r.Properties);
    expect(channels).toEqual([
      { ContactId: getArn(contact), ChannelName: 'email', ChannelType: 'EMAIL', ChannelAddress: 'jane@example.com', DeferActivation: false },
      { ContactId: getArn(contact), ChannelName: 'sms', ChannelType: 'SMS', ChannelAddress: '+15555550100', DeferActivation: false },
    ]);
    const channelIds = contact.channels.map((c) => idOf(c));
    expect(ofType(stack, 'AWS::SSMContacts::Plan').map(([, r]) => r.Properties)).toEqual([{
      ContactId: getArn(contact),
      Stages: [{
        DurationInMinutes: 0,
        Targets: channelIds.map((id) => ({ ChannelTargetInfo: { ChannelId: { 'Fn::GetAtt': [id, 'Arn'] }, RetryIntervalInMinutes: 5 } })),
      }],
    }]);
    expect(contact.alias).toBe('jane-doe');
    expect(stack.resolve(contact.contactArn)).toEqual(getArn(contact));
  });

  test('overrides: display name, channel names, deferred activation, voice, retry interval', () => {
    const stack = platform();
    new OnCallContact(stack, 'Joe', {
      alias: 'joe_bloggs',
      displayName: 'Joe Bloggs',
      channels: [ContactChannel.voice('+4930123456', { name: 'desk phone', deferActivation: true })],
      retryInterval: Duration.minutes(15),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSMContacts::Contact', { Alias: 'joe_bloggs', DisplayName: 'Joe Bloggs' });
    template.hasResourceProperties('AWS::SSMContacts::ContactChannel', {
      ChannelName: 'desk phone', ChannelType: 'VOICE', ChannelAddress: '+4930123456', DeferActivation: true,
    });
    template.hasResourceProperties('AWS::SSMContacts::Plan', { Stages: [{ DurationInMinutes: 0, Targets: [{ ChannelTargetInfo: { RetryIntervalInMinutes: 15 } }] }] });
  });

  test('ContactChannel factories', () => {
    const sms = ContactChannel.sms('+15555550100');
    expect([sms.channelType, sms.address, sms.name, sms.deferActivation]).toEqual([ContactChannelType.SMS, '+15555550100', 'sms', false]);
    expect(ContactChannel.email('a@example.com').channelType).toBe('EMAIL');
    expect(ContactChannel.voice('+15555550100').name).toBe('voice');
  });

  test.each([
    ['Jane.Doe', "contact alias 'Jane.Doe' is invalid: use 1-255 lower-case letters, digits, '_' or '-', e.g. 'jane-doe'."],
    ['', "contact alias '' is invalid: use 1-255 lower-case letters, digits, '_' or '-', e.g. 'jane-doe'."],
    ['x'.repeat(256), `contact alias '${'x'.repeat(256)}' is invalid: use 1-255 lower-case letters, digits, '_' or '-', e.g. 'jane-doe'.`],
  ])('alias %p is rejected', (alias, message) => {
    expect(() => new OnCallContact(platform(), 'Jane', { alias, channels: [ContactChannel.email('jane@example.com')] }))
      .toThrow(`[Platform/Jane] ${message}`);
  });

  test('bad display name, channels, addresses and retry interval', () => {
    const make = (props: Partial<ConstructorParameters<typeof OnCallContact>[2]>) => () => new OnCallContact(platform(), 'Jane', {
      alias: 'jane-doe', channels: [ContactChannel.email('jane@example.com')], ...props,
    });
    expect(make({ displayName: 'Jane (lead)' }))
      .toThrow("[Platform/Jane] contact displayName 'Jane (lead)' is invalid: use 1-255 letters, digits, '_', '-' or spaces.");
    expect(make({ channels: [] }))
      .toThrow("[Platform/Jane] contact 'jane-doe' has no channels: give at least one, e.g. channels: [ContactChannel.email('oncall@example.com')].");
    expect(make({ channels: [ContactChannel.email('jane')] })).toThrow("[Platform/Jane] e-mail channel 'email': 'jane' is not an e-mail address.");
    expect(make({ channels: [ContactChannel.sms('0170 1234567')] }))
      .toThrow("[Platform/Jane] SMS channel 'sms': '0170 1234567' is not a phone number in E.164 format, e.g. '+15555550100'.");
    expect(make({ channels: [ContactChannel.email('jane@example.com', { name: 'mail!' })] }))
      .toThrow("[Platform/Jane] contact channel name 'mail!' is invalid: use 1-255 letters, digits, '_', '-' or spaces.");
    expect(make({ channels: [ContactChannel.email('jane@example.com'), ContactChannel.email('jane@example.org')] }))
      .toThrow("[Platform/Jane] contact 'jane-doe' has two channels named 'email': give one a name of its own.");
    expect(make({ retryInterval: Duration.minutes(61) })).toThrow('[Platform/Jane] retryInterval is 61 minutes; it must be 0 to 60 whole minutes.');
    expect(make({ retryInterval: Duration.seconds(90) })).toThrow('[Platform/Jane] retryInterval is 1 minute 30 seconds; it must be 0 to 60 whole minutes.');
  });
});

describe('EscalationPlan', () => {
  test('defaults: an ESCALATION contact, stages of 10 minutes, acknowledgement stops the escalation', () => {
    const stack = platform();
    const primary = jane(stack);
    const lead = new OnCallContact(stack, 'Lead', { alias: 'lead', channels: [ContactChannel.voice('+15555550101')] });
    const plan = new EscalationPlan(stack, 'Escalation', { alias: 'pricing-escalation', stages: [{ targets: [primary] }, { targets: [lead] }] });

    expect(json(stack).Resources[idOf(plan)]).toEqual({
      Type: 'AWS::SSMContacts::Contact',
      Properties: {
        Alias: 'pricing-escalation',
        DisplayName: 'pricing-escalation',
        Type: 'ESCALATION',
        Plan: [
          { DurationInMinutes: 10, Targets: [{ ContactTargetInfo: { ContactId: getArn(primary), IsEssential: true } }] },
          { DurationInMinutes: 10, Targets: [{ ContactTargetInfo: { ContactId: getArn(lead), IsEssential: true } }] },
        ],
      },
    });
    expect(plan.alias).toBe('pricing-escalation');
  });

  test('overrides: display name, stage duration 0-30 min, acknowledgement does not stop, schedules as targets', () => {
    const stack = platform();
    const person = jane(stack);
    const schedule = new OnCallSchedule(stack, 'Primary', {
      alias: 'pricing-primary', contacts: [person], recurrence: RotationRecurrence.daily('09:00'), startTime: '2025-01-06T09:00:00',
    });
    new EscalationPlan(stack, 'Escalation', {
      alias: 'pricing-escalation',
      displayName: 'Pricing escalation',
      stages: [
        { targets: [schedule], duration: Duration.minutes(0) },
        { targets: [person], duration: Duration.minutes(30), acknowledgementStopsEscalation: false },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SSMContacts::Contact', {
      Type: 'ESCALATION',
      DisplayName: 'Pricing escalation',
      Plan: [
        { DurationInMinutes: 0, Targets: [{ ContactTargetInfo: { ContactId: getArn(schedule), IsEssential: true } }] },
        { DurationInMinutes: 30, Targets: [{ ContactTargetInfo: { ContactId: getArn(person), IsEssential: false } }] },
      ],
    });
  });

  test('fromContactArn reads the alias from the ARN', () => {
    const stack = platform();
    const imported = EscalationPlan.fromContactArn(stack, 'Central', `arn:aws:ssm-contacts:us-east-1:${ACCOUNT}:contact/sre-escalation`);
    expect([imported.alias, imported.contactArn]).toEqual(['sre-escalation', `arn:aws:ssm-contacts:us-east-1:${ACCOUNT}:contact/sre-escalation`]);
    expect(() => EscalationPlan.fromContactArn(stack, 'Bad', 'arn:aws:sns:us-east-1:123456789012:pages'))
      .toThrow("[Platform/Bad] contactArn 'arn:aws:sns:us-east-1:123456789012:pages' is not an SSM Contacts contact ARN " +
        '(arn:aws:ssm-contacts:<region>:<account>:contact/<alias>).');
  });

  test('stage durations outside 0-30 whole minutes', () => {
    const stack = platform();
    const person = jane(stack);
    expect(() => new EscalationPlan(stack, 'Escalation', { alias: 'e', stages: [{ targets: [person] }, { targets: [person], duration: Duration.minutes(31) }] }))
      .toThrow('[Platform/Escalation] stage 2 duration is 31 minutes; it must be 0 to 30 whole minutes.');
    expect(() => new EscalationPlan(stack, 'Escalation2', { alias: 'e', stages: [{ targets: [person], duration: Duration.seconds(30) }] }))
      .toThrow('[Platform/Escalation2] stage 1 duration is 30 seconds; it must be 0 to 30 whole minutes.');
  });

  test('no stages, a stage without targets, an escalation plan as a target, a bad alias', () => {
    const stack = platform();
    const person = jane(stack);
    expect(() => new EscalationPlan(stack, 'A', { alias: 'a', stages: [] }))
      .toThrow("[Platform/A] escalation plan 'a' has no stages: give at least one stage with targets.");
    expect(() => new EscalationPlan(stack, 'B', { alias: 'b', stages: [{ targets: [person] }, { targets: [] }] }))
      .toThrow("[Platform/B] stage 2 of escalation plan 'b' has no targets: engage at least one contact or schedule.");
    const inner = new EscalationPlan(stack, 'Inner', { alias: 'inner', stages: [{ targets: [person] }] });
    expect(() => new EscalationPlan(stack, 'C', { alias: 'c', stages: [{ targets: [inner] }] }))
      .toThrow("[Platform/C] stage 1 of escalation plan 'c' targets escalation plan 'inner': escalation plans engage people and on-call " +
        'schedules; add its stages here instead.');
    expect(() => new EscalationPlan(stack, 'D', { alias: 'Pricing Escalation', stages: [{ targets: [person] }] }))
      .toThrow("[Platform/D] contact alias 'Pricing Escalation' is invalid: use 1-255 lower-case letters, digits, '_' or '-', e.g. 'jane-doe'.");
  });
});

test('SSM Contacts resources carry no ops:* tags (their keys allow no colon); the rule pack exempts them, so synth has no finding', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-contacts-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Contacts', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const workload = new Workload(stack, 'Freight', { workloadName: 'freight', owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' } });
  const person = jane(workload);
  const schedule = new OnCallSchedule(workload, 'Primary', {
    alias: 'pricing-primary', contacts: [person], recurrence: RotationRecurrence.daily('09:00'), startTime: '2025-01-06T09:00:00',
  });
  new EscalationPlan(workload, 'Escalation', { alias: 'pricing-escalation', stages: [{ targets: [schedule] }] });
  Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
  app.synth();

  const tagged = [...ofType(stack, 'AWS::SSMContacts::Contact'), ...ofType(stack, 'AWS::SSMContacts::Rotation')];
  expect(tagged).toHaveLength(4);
  expect(tagged.map(([, r]) => r.Properties!.Tags)).toEqual([undefined, undefined, undefined, undefined]);
  // CDK writes no report for a plugin that found nothing.
  const reportFile = path.join(outdir, 'validation-report.json');
  const reports = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { pluginReports: { pluginName: string }[] }).pluginReports : [];
  expect(reports.filter((r) => r.pluginName === OperationalExcellenceChecks.PLUGIN_NAME)).toEqual([]);
});
