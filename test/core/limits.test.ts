import { Aspects, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CloudWatchLimits, CloudWatchLimitsCheck, Workload } from '../../src';
import { periodProblem, validateMetricCount, validatePeriod } from '../../src/core/limits';
import { cfnAlarm, freight, quotesMetric, testStack } from '../support/fixtures';

function setup() {
  const { app, stack } = testStack();
  const { workload } = freight(stack);
  return { app, stack, workload };
}


function alarm(scope: Construct, id: string, props: Partial<cloudwatch.AlarmProps> = {}) {
  return new cloudwatch.Alarm(scope, id, { metric: quotesMetric('Errors'), threshold: 1, evaluationPeriods: 1, ...props });
}

const onAlarm = (a: cloudwatch.IAlarm) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM);
const action = (i: number): cloudwatch.IAlarmAction => ({ bind: () => ({ alarmActionArn: `arn:aws:sns:us-east-1:123456789012:topic-${i}` }) });

function synth(stack: Stack) {
  Template.fromStack(stack);
  return Annotations.fromStack(stack);
}

describe('CloudWatchLimits constants', () => {
  test('values', () => {
    expect(CloudWatchLimits.MAX_NAME_LENGTH).toBe(255);
    expect(CloudWatchLimits.MAX_METRICS_PER_ALARM).toBe(10);
    expect(CloudWatchLimits.MAX_ACTIONS_PER_STATE).toBe(5);
    expect(CloudWatchLimits.MAX_COMPOSITE_RULE_LENGTH).toBe(10240);
    expect(CloudWatchLimits.MAX_ALARMS_PER_COMPOSITE).toBe(100);
    expect(CloudWatchLimits.MAX_COMPOSITES_PER_ALARM).toBe(150);
    expect(CloudWatchLimits.MAX_RANGE_SHORT_PERIOD_SECONDS).toBe(86400);
    expect(CloudWatchLimits.MAX_RANGE_LONG_PERIOD_SECONDS).toBe(604800);
    expect(CloudWatchLimits.MAX_DASHBOARD_WIDGETS).toBe(500);
    expect(CloudWatchLimits.MAX_DASHBOARD_METRICS).toBe(2500);
    expect(CloudWatchLimits.MAX_TAGS_PER_RESOURCE).toBe(50);
    expect(CloudWatchLimits.MAX_RESOURCES_PER_STACK).toBe(500);
    expect(CloudWatchLimits.MAX_TEMPLATE_BYTES).toBe(1_000_000);
  });
});

describe('periodProblem / validatePeriod / validateMetricCount', () => {
  test.each([[10, 1], [20, 1], [30, 1], [60, 1], [300, 288], [10, 8640], [3600, 168], [86400, 7], [21600, 28]])(
    'period %p s × %p is valid', (period, evaluations) => {
      expect(periodProblem(period, evaluations)).toBeUndefined();
    });

  test.each([[0], [1], [5], [15], [45], [90], [-60]])('period %p s is not allowed', (period) => {
    expect(periodProblem(period, 1)).toBe(`period ${period} s is not allowed: CloudWatch accepts 10, 20, 30 or a multiple of 60 seconds`);
  });

  test('over a day for periods under an hour', () => {
    expect(periodProblem(10, 8641)).toBe('period 10 s × 8641 evaluation periods = 86410 s exceeds the 1-day (86400 s) evaluation range allowed for periods under an hour');
    expect(periodProblem(3540, 25)).toMatch(/= 88500 s exceeds the 1-day/);
  });

  test('over 7 days for periods of an hour or more', () => {
    expect(periodProblem(3600, 169)).toBe('period 3600 s × 169 evaluation periods = 608400 s exceeds the 7-day (604800 s) evaluation range');
  });

  test('validatePeriod throws with the scope path and what is checked', () => {
    const { stack } = testStack();
    expect(() => validatePeriod(new Construct(stack, 'Slo'), 'Window 1h', 90, 1))
      .toThrow('[Test/Slo] Window 1h: period 90 s is not allowed: CloudWatch accepts 10, 20, 30 or a multiple of 60 seconds.');
    expect(() => validatePeriod(undefined, 'Window', 300, 288)).not.toThrow();
  });

  test('validateMetricCount throws over 10 metrics', () => {
    const { stack } = testStack();
    expect(() => validateMetricCount(undefined, 'SLI', 10)).not.toThrow();
    expect(() => validateMetricCount(new Construct(stack, 'Slo'), 'SLI quotes', 11))
      .toThrow('[Test/Slo] SLI quotes queries 11 metrics; a CloudWatch metric-math alarm allows at most 10. ' +
        'Publish one pre-aggregated metric (for example with EMF) or split the SLI.');
  });
});

describe('CloudWatchLimitsCheck on metric alarms', () => {
  test('valid alarms produce no error annotations', () => {
    const { stack, workload } = setup();
    const a = alarm(workload, 'Standard', { alarmName: 'freight-quotes-errors', evaluationPeriods: 288 });
    alarm(workload, 'HighRes', { metric: quotesMetric('Errors').with({ period: Duration.seconds(10) }), evaluationPeriods: 8640 });
    alarm(workload, 'Weekly', { metric: quotesMetric('Errors').with({ period: Duration.hours(1) }), evaluationPeriods: 168 });
    new cloudwatch.AnomalyDetectionAlarm(workload, 'Anomaly', { metric: quotesMetric('Requests'), evaluationPeriods: 3 });
    cfnAlarm(workload, 'Twenty', { period: 20 });
    for (let i = 0; i < 5; i++) a.addAlarmAction(action(i));
    new cloudwatch.CompositeAlarm(workload, 'Page', { compositeAlarmName: 'freight-page', alarmRule: onAlarm(a) });

    synth(stack).hasNoError('*', Match.anyValue());
  });

  test('a hand-written alarm with a 90 s period', () => {
    const { stack, workload } = setup();
    cfnAlarm(workload, 'Bad', { period: 90 });
    synth(stack).hasError('/Test/Freight/Bad',
      'Alarm period 90 s is not allowed: CloudWatch accepts 10, 20, 30 or a multiple of 60 seconds.');
  });

  test('a 90 s period inside the metrics of a math alarm', () => {
    const { stack, workload } = setup();
    cfnAlarm(workload, 'Bad', {
      namespace: undefined,
      metricName: undefined,
      statistic: undefined,
      period: undefined,
      metrics: [
        { id: 'e', expression: 'm * 2', returnData: true },
        { id: 'm', returnData: false, metricStat: { metric: { namespace: 'Freight', metricName: 'Errors' }, period: 90, stat: 'Sum' } },
      ],
    });
    synth(stack).hasError('/Test/Freight/Bad', Match.stringLikeRegexp('^Alarm period 90 s is not allowed'));
  });

  test('period 300 s × 300 evaluation periods exceeds one day', () => {
    const { stack, workload } = setup();
    alarm(workload, 'Bad', { evaluationPeriods: 300 });
    synth(stack).hasError('/Test/Freight/Bad/Resource',
      'Alarm period 300 s × 300 evaluation periods = 90000 s exceeds the 1-day (86400 s) evaluation range allowed for periods under an hour.');
  });

  test('a 2-hour period × 100 evaluation periods exceeds seven days', () => {
    const { stack, workload } = setup();
    alarm(workload, 'Bad', { metric: quotesMetric('Errors').with({ period: Duration.hours(2) }), evaluationPeriods: 100 });
    synth(stack).hasError('/Test/Freight/Bad/Resource',
      'Alarm period 7200 s × 100 evaluation periods = 720000 s exceeds the 7-day (604800 s) evaluation range.');
  });

  /** A hand-written math alarm summing `n` metrics (the L2 Alarm refuses more than 10 itself). */
  function sumAlarm(scope: Construct, id: string, n: number) {
    const ids = Array.from({ length: n }, (_, i) => `m${i}`);
    return cfnAlarm(scope, id, {
      namespace: undefined,
      metricName: undefined,
      statistic: undefined,
      period: undefined,
      metrics: [
        { id: 'total', expression: ids.join(' + '), returnData: true },
        ...ids.map((m) => ({ id: m, returnData: false, metricStat: { metric: { namespace: 'Freight', metricName: m }, period: 60, stat: 'Sum' } })),
      ],
    });
  }

  test('11 metrics in one math alarm', () => {
    const { stack, workload } = setup();
    sumAlarm(workload, 'Bad', 11);
    synth(stack).hasError('/Test/Freight/Bad', 'Alarm queries 11 metrics; a metric-math alarm allows at most 10.');
  });

  test('10 metrics in one math alarm are fine', () => {
    const { stack, workload } = setup();
    sumAlarm(workload, 'Ok', 10);
    synth(stack).hasNoError('*', Match.anyValue());
  });

  test('6 alarm actions, 6 OK actions, 6 insufficient-data actions', () => {
    const { stack, workload } = setup();
    const a = alarm(workload, 'Bad');
    for (let i = 0; i < 6; i++) {
      a.addAlarmAction(action(i));
      a.addOkAction(action(i));
      a.addInsufficientDataAction(action(i));
    }
    const annotations = synth(stack);
    for (const state of ['ALARM', 'OK', 'INSUFFICIENT_DATA']) {
      annotations.hasError('/Test/Freight/Bad/Resource', `Alarm has 6 ${state} actions; CloudWatch allows 5 per state. Fan out through one SNS topic.`);
    }
  });

  test('an alarm name of 256 characters', () => {
    const { stack, workload } = setup();
    alarm(workload, 'Bad', { alarmName: 'a'.repeat(256) });
    alarm(workload, 'Ok', { alarmName: 'b'.repeat(255) });
    const annotations = synth(stack);
    annotations.hasError('/Test/Freight/Bad/Resource', 'Alarm name is 256 characters; CloudWatch allows 255.');
    annotations.hasNoError('/Test/Freight/Ok/Resource', Match.anyValue());
  });
});

describe('CloudWatchLimitsCheck on composite alarms', () => {
  test('a composite with 6 actions', () => {
    const { stack, workload } = setup();
    const c = new cloudwatch.CompositeAlarm(workload, 'Page', { alarmRule: onAlarm(alarm(workload, 'A')) });
    for (let i = 0; i < 6; i++) c.addAlarmAction(action(i));
    synth(stack).hasError('/Test/Freight/Page/Resource', 'Alarm has 6 ALARM actions; CloudWatch allows 5 per state. Fan out through one SNS topic.');
  });

  test('a composite name of 256 characters', () => {
    const { stack, workload } = setup();
    new cloudwatch.CompositeAlarm(workload, 'Page', { compositeAlarmName: 'c'.repeat(256), alarmRule: onAlarm(alarm(workload, 'A')) });
    synth(stack).hasError('/Test/Freight/Page/Resource', 'Alarm name is 256 characters; CloudWatch allows 255.');
  });

  test('a composite rule referencing 101 alarms', () => {
    const { stack, workload } = setup();
    const alarms = Array.from({ length: 101 }, (_, i) => alarm(workload, `A${i}`, { alarmName: `a${i}` }));
    new cloudwatch.CompositeAlarm(workload, 'Page', { alarmRule: cloudwatch.AlarmRule.anyOf(...alarms) });
    const annotations = synth(stack);
    annotations.hasError('/Test/Freight/Page/Resource',
      'Composite alarm rule references 101 alarms; CloudWatch allows 100. Split it into nested composites.');
    annotations.hasNoError('/Test/Freight/Page/Resource', Match.stringLikeRegexp('Composite alarm rule is about'));
  });

  test('a composite rule referencing 100 alarms is fine', () => {
    const { stack, workload } = setup();
    const alarms = Array.from({ length: 100 }, (_, i) => alarm(workload, `A${i}`, { alarmName: `a${i}` }));
    new cloudwatch.CompositeAlarm(workload, 'Page', { alarmRule: cloudwatch.AlarmRule.anyOf(...alarms) });
    synth(stack).hasNoError('*', Match.anyValue());
  });

  test('ALARM, OK and INSUFFICIENT_DATA references all count', () => {
    const { stack, workload } = setup();
    const alarms = Array.from({ length: 101 }, (_, i) => alarm(workload, `A${i}`, { alarmName: `a${i}` }));
    const states = [cloudwatch.AlarmState.ALARM, cloudwatch.AlarmState.OK, cloudwatch.AlarmState.INSUFFICIENT_DATA];
    new cloudwatch.CompositeAlarm(workload, 'Page', {
      alarmRule: cloudwatch.AlarmRule.anyOf(...alarms.map((a, i) => cloudwatch.AlarmRule.fromAlarm(a, states[i % 3]))),
    });
    synth(stack).hasError('/Test/Freight/Page/Resource', Match.stringLikeRegexp('^Composite alarm rule references 101 alarms'));
  });

  test('a composite rule longer than 10,240 characters once ARNs are filled in', () => {
    const { stack, workload } = setup();
    const alarms = Array.from({ length: 40 }, (_, i) => alarm(workload, `A${i}`, { alarmName: `${'x'.repeat(250)}${String(i).padStart(2, '0')}` }));
    new cloudwatch.CompositeAlarm(workload, 'Page', { alarmRule: cloudwatch.AlarmRule.anyOf(...alarms) });
    // 40 × (60-character worst-case ARN prefix + 252-character name + 'ALARM("")' 9) + 39 × ' OR ' + '()' = 12998.
    synth(stack).hasError('/Test/Freight/Page/Resource',
      'Composite alarm rule is about 12998 characters once alarm ARNs are filled in; CloudWatch allows 10240. Split it into nested composites.');
  });

  test('a hand-written rule referencing alarms by name (Ref) is measured with the alarm names', () => {
    const { stack, workload } = setup();
    const names = Array.from({ length: 45 }, (_, i) => alarm(workload, `A${i}`, { alarmName: `${'y'.repeat(248)}${String(i).padStart(2, '0')}` }));
    const rule = names.map((a) => `ALARM("${(a.node.defaultChild as cloudwatch.CfnAlarm).ref}")`).join(' OR ');
    new cloudwatch.CfnCompositeAlarm(workload, 'Page', { alarmName: 'freight-page', alarmRule: rule });
    // 45 × (250-character name + 'ALARM("")' 9) + 44 × ' OR ' = 11831.
    synth(stack).hasError('/Test/Freight/Page',
      'Composite alarm rule is about 11831 characters once alarm ARNs are filled in; CloudWatch allows 10240. Split it into nested composites.');
  });

  test('151 composites referencing one alarm put an error on that alarm', () => {
    const { stack, workload } = setup();
    const a = alarm(workload, 'Shared');
    for (let i = 0; i < 151; i++) new cloudwatch.CompositeAlarm(workload, `C${i}`, { alarmRule: onAlarm(a) });
    synth(stack).hasError('/Test/Freight/Shared/Resource',
      'Alarm is referenced by 151 composite alarms; CloudWatch allows 150. Reference a shared intermediate composite instead.');
  });

  test('150 composites referencing one alarm are fine', () => {
    const { stack, workload } = setup();
    const a = alarm(workload, 'Shared');
    for (let i = 0; i < 150; i++) new cloudwatch.CompositeAlarm(workload, `C${i}`, { alarmRule: onAlarm(a) });
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  // Regression: counts are derived per synthesis, never accumulated across synths (Annotations.fromStack re-synthesizes).
  test('76 composites referencing one alarm are fine however many times the app is synthesized', () => {
    const { stack, workload } = setup();
    const a = alarm(workload, 'Shared');
    for (let i = 0; i < 76; i++) new cloudwatch.CompositeAlarm(workload, `C${i}`, { alarmRule: onAlarm(a) });
    synth(stack).hasNoError('*', Match.anyValue());
  });

  // Regression: references are counted per stack, so equal logical ids in two stacks are different alarms.
  test('alarms with the same logical id in two stacks are counted separately', () => {
    const { app } = testStack();
    const workload = new Workload(app, 'Freight', { workloadName: 'freight', owner: { team: 'pricing', onCall: 'pricing-oncall' } });
    const stacks = ['East', 'West'].map((id) => new Stack(workload, id, { env: { account: '123456789012', region: 'us-east-1' } }));
    for (const s of stacks) {
      const a = alarm(s, 'Shared');
      for (let i = 0; i < 76; i++) new cloudwatch.CompositeAlarm(s, `C${i}`, { alarmRule: onAlarm(a) });
    }
    const assembly = app.synth();
    const errors = assembly.stacks.flatMap((s) => s.messages.filter((m) => m.level === 'error').map((m) => `${m.id}: ${m.entry.data}`));
    expect(errors).toEqual([]);
  });
});

describe('CloudWatchLimitsCheck on tags', () => {
  test('a resource with 51 tags (the 4 workload tags + 47 more)', () => {
    const { stack, workload } = setup();
    const topic = new sns.Topic(workload, 'Topic');
    for (let i = 0; i < 47; i++) Tags.of(topic).add(`team:tag${i}`, 'v');
    const template = Template.fromStack(stack);
    const tags = Object.values(template.findResources('AWS::SNS::Topic', { Properties: { Tags: Match.anyValue() } }))[0].Properties.Tags;
    expect(tags).toHaveLength(51);
    Annotations.fromStack(stack).hasError('/Test/Freight/Topic/Resource',
      'Resource has 51 tags; AWS allows at most 50 per resource. Remove tags applied to this scope.');
  });

  test('tags given to an L1 resource directly count too', () => {
    const { stack, workload } = setup();
    new sns.CfnTopic(workload, 'Topic', { tags: Array.from({ length: 47 }, (_, i) => ({ key: `team:tag${i}`, value: 'v' })) });
    synth(stack).hasError('/Test/Freight/Topic', Match.stringLikeRegexp('^Resource has 51 tags'));
  });

  test('50 tags are fine', () => {
    const { stack, workload } = setup();
    const topic = new sns.Topic(workload, 'Topic');
    for (let i = 0; i < 46; i++) Tags.of(topic).add(`team:tag${i}`, 'v');
    synth(stack).hasNoError('*', Match.anyValue());
  });
});

describe('CloudWatchLimitsCheck as a standalone aspect', () => {
  test('can be added to any scope', () => {
    const { app, stack } = testStack();
    Aspects.of(stack).add(new CloudWatchLimitsCheck());
    cfnAlarm(stack, 'Bad', { period: 45 });
    app.synth();
    Annotations.fromStack(stack).hasError('/Test/Bad', Match.stringLikeRegexp('^Alarm period 45 s is not allowed'));
  });
});

describe('CloudWatchLimitsCheck cost', () => {
  test('walks each stack a constant number of times per synth, not once per resource (linear in the size of the app)', () => {
    const { stack, workload } = setup();
    for (let i = 0; i < 40; i++) new sns.Topic(workload, `Topic${i}`);
    new cloudwatch.CompositeAlarm(workload, 'Composite', { alarmRule: onAlarm(alarm(workload, 'A')) });
    const findAll = jest.spyOn(stack.node, 'findAll');
    Template.fromStack(stack);
    // One walk for the resource count, one for the alarms the composite checks need (before: one per resource visited).
    expect(findAll.mock.calls.length).toBeLessThanOrEqual(2);
    findAll.mockRestore();
  });
});
