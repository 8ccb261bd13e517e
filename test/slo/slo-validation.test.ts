import { Annotations as CoreAnnotations, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BurnRatePolicy, BurnRateWindow, ServiceLevelObjective, ServiceLevelObjectiveProps, Sli, Workload } from '../../src';
import { freight, quotesMetric, testStack } from '../support/fixtures';

const ratio = () => Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') });

function build(props: Partial<ServiceLevelObjectiveProps> = {}, workloadProps: Parameters<typeof freight>[1] = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack, workloadProps);
  const slo = new ServiceLevelObjective(workload, 'Availability', { serviceName: 'quotes', sli: ratio(), ...props });
  return { stack, slo };
}

/** A policy whose burn rates a 85 % objective can reach (max burn 6.67x). */
const gentle = BurnRatePolicy.of([
  BurnRateWindow.page({ burnRate: 2, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) }),
]);

describe('T7: ServiceLevelObjective validation at synth', () => {
  test.each([
    [100, 'objective 100% leaves no error budget'],
    [100.5, 'objective 100.5% leaves no error budget'],
    [0, 'objective 0% is not a percentage above 0'],
    [-1, 'objective -1% is not a percentage above 0'],
    [Number.NaN, 'objective must be a finite number, got NaN. Give a percentage such as 99.9.'],
  ])('objective %d is an error', (objective, message) => {
    expect(() => build({ objective })).toThrow(`[Test/Freight/Availability] ${message}`);
  });

  test('an objective below 90 % warns (percentage, not fraction) with an acknowledgeable id', () => {
    const { stack } = build({ objective: 85, policy: gentle });
    Annotations.fromStack(stack).hasWarning('/Test/Freight/Availability',
      'objective 85% is below 90%: check it is a percentage (99.9), not a fraction (0.999). [ack: cdk-operable:low-objective]');
  });

  test('a burn rate the objective can never reach is an error (the workbook\'s extreme-target caveat)', () => {
    expect(() => build({ objective: 92 })).toThrow('[Test/Freight/Availability] the PAGE condition 14.4× over 1 hour and 5 minutes can never fire ' +
      'at objective 92%: even a total outage burns the budget only 12.5× as fast as sustainable. Raise the objective or use a policy with lower burn rates.');
  });

  test.each([
    [Duration.hours(36), 'period must be a whole number of days between 1 and 365, got 1 day 12 hours.'],
    [Duration.days(400), 'period must be a whole number of days between 1 and 365, got 400 days.'],
    [Duration.days(3), "period 3 days must be longer than the policy's longest window (3 days)."],
  ])('period %s is an error', (period, message) => {
    expect(() => build({ period })).toThrow(`[Test/Freight/Availability] ${message}`);
  });

  test('more than 10 metrics in one burn-rate alarm is an error with a fix', () => {
    const sum = (prefix: string, n: number) => new cloudwatch.MathExpression({
      expression: Array.from({ length: n }, (_, i) => `${prefix.toLowerCase()}${i}`).join('+'),
      usingMetrics: Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix.toLowerCase()}${i}`, quotesMetric(`${prefix}${i}`)])),
    });
    expect(() => build({ sli: Sli.ratio({ bad: sum('Errors', 6), total: sum('Requests', 5) }) })).toThrow(
      "[Test/Freight/Availability] SLO 'availability' burn-rate alarms queries 11 metrics; a CloudWatch metric-math alarm allows at most 10. " +
      'Publish one pre-aggregated metric (for example with EMF) or split the SLI.');
    expect(() => build({ sli: Sli.ratio({ bad: sum('Errors', 5), total: sum('Requests', 5) }) })).not.toThrow();
  });

  test('ratio metrics must count events', () => {
    expect(() => build({ sli: Sli.ratio({ bad: quotesMetric('Errors', 'Average'), total: quotesMetric('Requests') }) })).toThrow(
      "[Test/Freight/Availability] sli: Sli.ratio bad metric Freight/Errors uses statistic 'Average', but a ratio SLI counts events. " +
      "Use metric.with({ statistic: 'Sum' }) (or 'SampleCount').");
    expect(() => build({ sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests', 'SampleCount') }) })).not.toThrow();
  });

  test('Sli.ratio needs exactly one of bad and good: the SLO using it reports it, with its path and the sli prop', () => {
    const both = Sli.ratio({ bad: quotesMetric('E'), good: quotesMetric('G'), total: quotesMetric('T') });
    expect(() => build({ sli: both })).toThrow('[Test/Freight/Availability] sli: Sli.ratio needs exactly one of `bad` and `good` (plus `total`), got both.');
    expect(() => build({ sli: Sli.ratio({ total: quotesMetric('T') }) })).toThrow('[Test/Freight/Availability] sli: Sli.ratio needs exactly one of `bad` and `good` (plus `total`), got neither.');
    expect(() => build({ sli: Sli.ratio({ bad: quotesMetric('E') } as never) })).toThrow('[Test/Freight/Availability] sli: Sli.ratio total is required, got undefined.');
  });

  test.each([[-1], [1.5], [1e21]])('minBadEvents %p is an error (a whole number from 0 to 1e9)', (n) => {
    expect(() => build({ minBadEvents: n })).toThrow(`[Test/Freight/Availability] minBadEvents must be a whole number at least 0 and at most 1000000000, got ${n}.`);
  });

  test.each<[string, Partial<ServiceLevelObjectiveProps>, string]>([
    ["dashboardUrl 'javascript:alert(1)'", { dashboardUrl: 'javascript:alert(1)' }, "dashboardUrl must be an http(s) URL, got 'javascript:alert(1)' (a string)."],
    ["runbook 'javascript:alert(1)'", { runbook: 'javascript:alert(1)' }, "runbook must be an http(s) URL or an SSM document name (3-128 letters, digits, '_', '-' or '.'), got 'javascript:alert(1)'"],
    ['a two-line description', { description: 'Quotes\nsucceed' }, "description must be one line without '|' (it goes into the alarm summary)"],
    ['an empty description', { description: ' ' }, "description must not be empty, got ' ' (a string)."],
    ["ownComposites: 'true'", { ownComposites: 'true' as unknown as boolean }, "ownComposites must be true or false, got 'true' (a string)."],
    ['a plain-object policy', { policy: {} as BurnRatePolicy }, 'policy must be a BurnRatePolicy (BurnRatePolicy.SRE_WORKBOOK, BurnRatePolicy.of(...)), got a plain object {}.'],
    ['an sli that is not an Sli', { sli: { kind: 'RATIO' } as unknown as Sli }, 'sli must be an Sli (Sli.ratio(...), Sli.latency(...), Sli.percentGood(...)), got a plain object'],
    ['a period in hours', { period: 30 as unknown as Duration }, 'period must be a Duration (e.g. Duration.minutes(5)), got 30. E.g. Duration.days(30).'],
  ])('%s is a precise error', (_, props, message) => {
    expect(() => build(props)).toThrow(`[Test/Freight/Availability] ${message}`);
  });

  test('names must be safe for alarm names and tags', () => {
    expect(() => build({ sloName: 'has space' })).toThrow("[Test/Freight/Availability] sloName 'has space' is invalid");
    expect(() => build({ serviceName: 'quotes/v2' })).toThrow("[Test/Freight/Availability] serviceName 'quotes/v2' is invalid");
  });

  test('an SLO needs a service', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    expect(() => new ServiceLevelObjective(workload, 'Orphan', { sli: ratio() })).toThrow(
      '[Test/Freight/Orphan] has no service: pass `serviceName`, or define the SLO inside an operable service construct.');
  });

  test('an SLO outside any workload says what to create', () => {
    const { stack } = testStack();
    expect(() => new ServiceLevelObjective(stack, 'Loose', { serviceName: 'quotes', sli: ratio() })).toThrow(
      /^\[Test\/Loose\] is not inside a Workload\. Every operable construct needs an owner: create `new Workload\(stack, 'Workload'/);
  });

  test('a runbook URL that cannot be a tag value is rejected with the fix', () => {
    expect(() => build({ runbook: 'https://wiki.example.com/page?id=42' })).toThrow(
      "[Test/Freight/Availability] Tag 'ops:runbook' (from runbook) value 'https://wiki.example.com/page?id=42' contains '?', which AWS tag values do not allow");
  });
});

describe('advice, not errors: acknowledgeable warnings', () => {
  test('no runbook: a generated playbook is named instead, and no warning', () => {
    const { stack, slo } = build({}, { runbookBaseUrl: undefined });
    Annotations.fromStack(stack).hasNoWarning('/Test/Freight/Availability', Match.stringLikeRegexp('cdk-operable:no-runbook'));
    expect(slo.playbookDocument!.documentName).toBe('freight-quotes-availability-playbook');
    const page = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm'))[0];
    expect(page.Properties.AlarmDescription).toMatch(/\| Runbook: none \| Playbook: freight-quotes-availability-playbook \|/);
    expect(page.Properties.Tags).toContainEqual({ Key: 'ops:runbook', Value: 'freight-quotes-availability-playbook' });
  });

  test('no runbook and generatePlaybook false: the alarms name nothing, with a warning', () => {
    const { stack } = build({ generatePlaybook: false }, { runbookBaseUrl: undefined });
    Annotations.fromStack(stack).hasWarning('/Test/Freight/Availability', Match.stringLikeRegexp(
      "alarms name no runbook: set the workload's runbookBaseUrl or this SLO's runbook \\(OPS07-BP03, OPS10-BP02\\). \\[ack: cdk-operable:no-runbook\\]"));
    const page = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm'))[0];
    expect(page.Properties.AlarmDescription).toMatch(/\| Runbook: none \|/);
    expect(page.Properties.Tags.map((t: { Key: string }) => t.Key)).not.toContain('ops:runbook');
  });

  test('no page or ticket destination', () => {
    const { stack } = testStack();
    const workload = new Workload(stack, 'Freight', {
      workloadName: 'freight', owner: { team: 'pricing', onCall: 'oncall' }, runbookBaseUrl: 'https://runbooks.example.com',
    });
    new ServiceLevelObjective(workload, 'Availability', { serviceName: 'quotes', sli: ratio() });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Test/Freight/Availability', Match.stringLikeRegexp('\\[ack: cdk-operable:no-page-destination\\]'));
    annotations.hasWarning('/Test/Freight/Availability', Match.stringLikeRegexp('\\[ack: cdk-operable:no-ticket-destination\\]'));
  });

  test('warnings can be acknowledged', () => {
    const { stack, slo } = build({ generatePlaybook: false }, { runbookBaseUrl: undefined });
    Annotations.fromStack(build({ generatePlaybook: false }, { runbookBaseUrl: undefined }).stack)
      .hasWarning('/Test/Freight/Availability', Match.stringLikeRegexp('no-runbook'));
    CoreAnnotations.of(slo).acknowledgeWarning('cdk-operable:no-runbook', 'runbooks live in the team wiki index');
    Annotations.fromStack(stack).hasNoWarning('/Test/Freight/Availability', Match.stringLikeRegexp('no-runbook'));
  });
});
