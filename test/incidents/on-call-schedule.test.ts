import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { idOf, incidentApp, jane, json } from './incident-fixtures';
import { ContactChannel, DayOfWeek, EscalationPlan, OnCallContact, OnCallSchedule, OnCallScheduleProps, RotationRecurrence } from '../../src/incidents';

const getArn = (c: Construct) => ({ 'Fn::GetAtt': [idOf(c), 'Arn'] });

function people() {
  const stack = incidentApp().platform;
  const a = jane(stack);
  const b = new OnCallContact(stack, 'Joe', { alias: 'joe', channels: [ContactChannel.email('joe@example.com')] });
  return { stack, a, b };
}

function schedule(props: Partial<OnCallScheduleProps> = {}) {
  const { stack, a, b } = people();
  return () => new OnCallSchedule(stack, 'Primary', {
    alias: 'pricing-primary',
    contacts: [a, b],
    recurrence: RotationRecurrence.daily('09:00'),
    startTime: '2025-01-06T09:00:00',
    ...props,
  });
}

describe('OnCallSchedule', () => {
  test('defaults: a daily rotation of one contact per shift in UTC, named after the alias, behind an ONCALL_SCHEDULE contact', () => {
    const { stack, a, b } = people();
    const s = new OnCallSchedule(stack, 'Primary', {
      alias: 'pricing-primary', contacts: [a, b], recurrence: RotationRecurrence.daily('09:00'), startTime: '2025-01-06T09:00:00',
    });
    const resources = json(stack).Resources;

    expect(resources[idOf(s.rotation)]).toEqual({
      Type: 'AWS::SSMContacts::Rotation',
      Properties: {
        Name: 'pricing_primary',
        ContactIds: [getArn(a), getArn(b)],
        Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: ['09:00'] },
        StartTime: '2025-01-06T09:00:00',
        TimeZoneId: 'UTC',
      },
    });
    expect(resources[idOf(s)]).toEqual({
      Type: 'AWS::SSMContacts::Contact',
      Properties: {
        Alias: 'pricing-primary',
        DisplayName: 'pricing-primary',
        Type: 'ONCALL_SCHEDULE',
        Plan: [{ RotationIds: [getArn(s.rotation)] }],
      },
    });
    expect([s.alias, s.rotationName]).toEqual(['pricing-primary', 'pricing_primary']);
    expect(stack.resolve(s.contactArn)).toEqual(getArn(s));
  });

  test('overrides: weekly hand-off, two-week shifts, two on call at once, time zone, rotation and display names', () => {
    const { stack, a, b } = people();
    new OnCallSchedule(stack, 'Primary', {
      alias: 'pricing-primary',
      displayName: 'Pricing primary',
      rotationName: 'PricingWeekly',
      contacts: [a, b],
      recurrence: RotationRecurrence.weekly(DayOfWeek.MONDAY, '08:30', { shiftLength: 2, onCallsPerShift: 2 }),
      startTime: '2025-01-06T08:30:00',
      timeZone: 'Europe/Berlin',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSMContacts::Rotation', {
      Name: 'PricingWeekly',
      Recurrence: { NumberOfOnCalls: 2, RecurrenceMultiplier: 2, WeeklySettings: [{ DayOfWeek: 'MON', HandOffTime: '08:30' }] },
      TimeZoneId: 'Europe/Berlin',
    });
    template.hasResourceProperties('AWS::SSMContacts::Contact', { Type: 'ONCALL_SCHEDULE', DisplayName: 'Pricing primary' });
  });

  test('RotationRecurrence exposes what it renders', () => {
    const weekly = RotationRecurrence.weekly(DayOfWeek.FRIDAY, '17:00', { shiftLength: 3 });
    expect([weekly.frequency, weekly.day, weekly.handOffTime, weekly.shiftLength, weekly.onCallsPerShift]).toEqual(['weekly', 'FRI', '17:00', 3, 1]);
    expect(RotationRecurrence.daily('00:00').day).toBeUndefined();
  });

  test.each([
    ['9:00', "RotationRecurrence.daily: handOffTime '9:00' must be HH:MM in 24-hour time, e.g. '09:00'."],
    ['24:00', "RotationRecurrence.daily: handOffTime '24:00' must be HH:MM in 24-hour time, e.g. '09:00'."],
  ])('hand-off time %p is rejected by the schedule that uses it, naming the schedule and the prop', (time, message) => {
    const recurrence = RotationRecurrence.daily(time);
    expect(schedule({ recurrence })).toThrow(`[Platform/Primary] recurrence: ${message}`);
  });

  test('recurrence numbers out of range: recorded by the factory (no path to name), reported by the schedule', () => {
    const weekly = () => RotationRecurrence.weekly(DayOfWeek.MONDAY, '09:00', { shiftLength: 101 });
    expect(weekly).not.toThrow();
    expect(schedule({ recurrence: weekly() }))
      .toThrow('[Platform/Primary] recurrence: RotationRecurrence.weekly: shiftLength must be a whole number from 1 to 100, got 101.');
    expect(schedule({ recurrence: RotationRecurrence.daily('09:00', { shiftLength: 0 }) }))
      .toThrow('[Platform/Primary] recurrence: RotationRecurrence.daily: shiftLength must be a whole number from 1 to 100, got 0.');
    expect(schedule({ recurrence: RotationRecurrence.daily('09:00', { onCallsPerShift: 0 }) }))
      .toThrow('[Platform/Primary] recurrence: RotationRecurrence.daily: onCallsPerShift must be a whole number of at least 1, got 0.');
    expect(schedule({ recurrence: RotationRecurrence.daily('09:00', { onCallsPerShift: NaN }) }))
      .toThrow('[Platform/Primary] recurrence: RotationRecurrence.daily: onCallsPerShift must be a whole number of at least 1, got NaN.');
    expect(schedule({ recurrence: RotationRecurrence.weekly('MONDAY' as DayOfWeek, '09:00') }))
      .toThrow("[Platform/Primary] recurrence: RotationRecurrence.weekly: day must be a DayOfWeek (e.g. DayOfWeek.MONDAY), got 'MONDAY' (a string).");
    expect(schedule({ recurrence: { daily: true } as unknown as RotationRecurrence }))
      .toThrow("[Platform/Primary] recurrence must be a RotationRecurrence, got a plain object {\"daily\":true}. e.g. RotationRecurrence.weekly(DayOfWeek.MONDAY, '09:00').");
  });

  test('more people per shift than contacts', () => {
    expect(schedule({ recurrence: RotationRecurrence.daily('09:00', { onCallsPerShift: 3 }) }))
      .toThrow("[Platform/Primary] on-call schedule 'pricing-primary' puts 3 people on call per shift but has only 2 contact(s): " +
        'add contacts or lower onCallsPerShift.');
  });

  test.each([
    ['2025-01-06 09:00:00'],
    ['2025-01-06T09:00:00Z'],
    ['2025-02-30T09:00:00'],
    ['2025-01-06T25:00:00'],
  ])('start time %p is rejected', (startTime) => {
    expect(schedule({ startTime })).toThrow(`[Platform/Primary] startTime '${startTime}' must be a date and time YYYY-MM-DDTHH:MM:SS ` +
      "(no offset; it is read in timeZone), e.g. '2025-01-06T09:00:00'.");
  });

  test.each([['Europe/Berln'], ['CET+1 hour'], ['']])('time zone %p is rejected', (timeZone) => {
    expect(schedule({ timeZone })).toThrow(`[Platform/Primary] timeZone '${timeZone}' is not an IANA time zone name, ` +
      "e.g. 'Europe/Berlin', 'America/Los_Angeles' or 'UTC'.");
  });

  test('rotation names, contact counts and non-personal contacts', () => {
    expect(schedule({ rotationName: 'pricing primary' }))
      .toThrow("[Platform/Primary] rotationName 'pricing primary' is invalid: use 1-255 letters, digits or '_'.");
    expect(schedule({ contacts: [] }))
      .toThrow("[Platform/Primary] on-call schedule 'pricing-primary' has 0 contacts; a rotation takes 1 to 25 people.");
    const { stack, a } = people();
    const many = Array.from({ length: 26 }, () => a);
    expect(() => new OnCallSchedule(stack, 'Many', { alias: 'many', contacts: many, recurrence: RotationRecurrence.daily('09:00'), startTime: '2025-01-06T09:00:00' }))
      .toThrow("[Platform/Many] on-call schedule 'many' has 26 contacts; a rotation takes 1 to 25 people.");
    const plan = new EscalationPlan(stack, 'Escalation', { alias: 'pricing-escalation', stages: [{ targets: [a] }] });
    expect(() => new OnCallSchedule(stack, 'Bad', { alias: 'bad', contacts: [a, plan], recurrence: RotationRecurrence.daily('09:00'), startTime: '2025-01-06T09:00:00' }))
      .toThrow("[Platform/Bad] on-call schedule 'bad': contacts lists 'pricing-escalation' (Platform/Escalation), which is not a person: " +
        'rotations take personal contacts ' +
        '(OnCallContact) only.');
  });
});
