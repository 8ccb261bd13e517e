import { App, Aws, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmDestination, AlarmRouting, ServiceTier, Workload, WorkloadProps } from '../../src';
import { cfnAlarm, freight, quotesMetric, testStack } from '../support/fixtures';

const OWNER = { team: 'pricing', onCall: 'pricing-oncall@example.com' };

/** The four tags every taggable resource under the freight workload carries, in CloudFormation's sorted order. */
function workloadTags(tier = 'standard') {
  return [
    { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
    { Key: 'ops:owner', Value: 'pricing' },
    { Key: 'ops:tier', Value: tier },
    { Key: 'ops:workload', Value: 'freight' },
  ];
}

function newWorkload(props: Partial<ConstructorParameters<typeof Workload>[2]> = {}) {
  const { app, stack } = testStack();
  const workload = new Workload(stack, 'Freight', { workloadName: 'freight', owner: OWNER, ...props });
  return { app, stack, workload };
}

describe('Workload tags', () => {
  test('own() gives a resource outside the workload its ownership tags, and nothing else outside is tagged', () => {
    const { stack, workload } = newWorkload({ tier: ServiceTier.CRITICAL });
    const owned = new sns.Topic(stack, 'Owned');
    new sns.Topic(stack, 'Stray');
    workload.own(owned);

    const topics = Template.fromStack(stack).findResources('AWS::SNS::Topic');
    expect(topics[stack.getLogicalId(owned.node.defaultChild as sns.CfnTopic)].Properties.Tags).toEqual(workloadTags('critical'));
    expect(Object.entries(topics).filter(([id]) => id.startsWith('Stray')).map(([, t]) => t.Properties?.Tags)).toEqual([undefined]);
  });

  test('an SNS topic and a CloudWatch alarm defined inside get ops:workload, ops:owner, ops:oncall and ops:tier', () => {
    const { stack, workload } = newWorkload();
    new sns.Topic(workload, 'Topic');
    new cloudwatch.Alarm(workload, 'Alarm', { metric: quotesMetric('Errors'), threshold: 1, evaluationPeriods: 1 });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { Tags: workloadTags() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Tags: workloadTags() });
  });

  test('resources defined deep inside nested constructs are tagged too', () => {
    const { stack, workload } = newWorkload();
    const deep = new Construct(new Construct(workload, 'Service'), 'Component');
    new sns.Topic(deep, 'Topic');

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { Tags: workloadTags() });
  });

  test('resources outside the workload are not tagged', () => {
    const { stack } = newWorkload();
    new sns.Topic(stack, 'Outside');

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { Tags: Match.absent() });
  });

  test('a Stack defined inside a Workload defined at App level gets the tags on its resources and on the stack', () => {
    const app = new App();
    const workload = new Workload(app, 'Freight', { workloadName: 'freight', owner: OWNER });
    const inner = new Stack(workload, 'Inner', { env: { account: '123456789012', region: 'us-east-1' } });
    new sns.Topic(inner, 'Topic');

    Template.fromStack(inner).hasResourceProperties('AWS::SNS::Topic', { Tags: workloadTags() });
    expect(inner.tags.tagValues()).toEqual({
      'ops:workload': 'freight',
      'ops:owner': 'pricing',
      'ops:oncall': 'pricing-oncall@example.com',
      'ops:tier': 'standard',
    });
  });

  test.each([
    ['CRITICAL', ServiceTier.CRITICAL, 'critical'],
    ['STANDARD', ServiceTier.STANDARD, 'standard'],
    ['BEST_EFFORT', ServiceTier.BEST_EFFORT, 'best-effort'],
  ])('ServiceTier.%s is tagged with its name', (_name, tier, value) => {
    const { stack, workload } = newWorkload({ tier });
    new sns.Topic(workload, 'Topic');

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { Tags: workloadTags(value) });
  });

  test('a custom tier name becomes the ops:tier tag value', () => {
    const tier = ServiceTier.custom({ ...ServiceTier.STANDARD, name: 'gold', description: 'Gold customers.' });
    const { stack, workload } = newWorkload({ tier });
    new sns.Topic(workload, 'Topic');

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { Tags: workloadTags('gold') });
  });

  test('a nested workload overrides the outer workload tags for its own resources', () => {
    const { stack, workload } = newWorkload();
    const inner = new Workload(workload, 'Billing', { workloadName: 'billing', owner: { team: 'billing', onCall: 'billing-oncall' } });
    new sns.Topic(inner, 'Topic');

    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', {
      Tags: [
        { Key: 'ops:oncall', Value: 'billing-oncall' },
        { Key: 'ops:owner', Value: 'billing' },
        { Key: 'ops:tier', Value: 'standard' },
        { Key: 'ops:workload', Value: 'billing' },
      ],
    });
  });
});

describe('Workload properties', () => {
  test('defaults: tier STANDARD, no runbook base URL, no routing', () => {
    const { workload } = newWorkload();
    expect(workload.workloadName).toBe('freight');
    expect(workload.owner).toEqual(OWNER);
    expect(workload.tier).toBe(ServiceTier.STANDARD);
    expect(workload.runbookBaseUrl).toBeUndefined();
    expect(workload.routing).toBeUndefined();
  });

  test('keeps tier and routing as given', () => {
    const { stack } = testStack();
    const routing = new AlarmRouting({ page: [AlarmDestination.sns(new sns.Topic(stack, 'Pages'))] });
    const workload = new Workload(stack, 'Freight', { workloadName: 'freight', owner: OWNER, tier: ServiceTier.CRITICAL, routing });
    expect(workload.tier).toBe(ServiceTier.CRITICAL);
    expect(workload.routing).toBe(routing);
  });
});

describe('Workload.of / find / isWorkload', () => {
  test('of() finds the nearest workload from a deep child', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const inner = new Workload(new Construct(workload, 'Group'), 'Billing', { workloadName: 'billing', owner: OWNER });
    const deepInOuter = new Construct(new Construct(workload, 'A'), 'B');
    const deepInInner = new Construct(new Construct(inner, 'A'), 'B');

    expect(Workload.of(deepInOuter)).toBe(workload);
    expect(Workload.of(deepInInner)).toBe(inner);
    expect(Workload.of(workload)).toBe(workload);
  });

  test('of() outside any workload throws, naming the construct path and telling the user to create a Workload', () => {
    const { stack } = testStack();
    freight(stack);
    const orphan = new Construct(new Construct(stack, 'Service'), 'Orphan');

    expect(() => Workload.of(orphan)).toThrow(/^\[Test\/Service\/Orphan\] is not inside a Workload\./);
    expect(() => Workload.of(orphan)).toThrow(/create `new Workload\(stack, 'Workload', \{ workloadName: 'my-workload'/);
    expect(() => Workload.of(orphan)).toThrow(/define 'Orphan' inside it/);
  });

  test('find() returns undefined outside a workload and the workload inside', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    expect(Workload.find(stack)).toBeUndefined();
    expect(Workload.find(new Construct(stack, 'Outside'))).toBeUndefined();
    expect(Workload.find(new Construct(workload, 'Inside'))).toBe(workload);
  });

  test('isWorkload() recognizes workloads only', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    expect(Workload.isWorkload(workload)).toBe(true);
    expect(Workload.isWorkload(stack)).toBe(false);
    expect(Workload.isWorkload(new Construct(stack, 'Plain'))).toBe(false);
    expect(Workload.isWorkload(undefined)).toBe(false);
    expect(Workload.isWorkload(null)).toBe(false);
    expect(Workload.isWorkload('freight')).toBe(false);
    // Works across copies of the library: the marker is a global symbol, not the class.
    expect(Workload.isWorkload({ [Symbol.for('cdk-operable.Workload')]: true })).toBe(true);
  });
});

describe('Workload validation', () => {
  test.each([
    ['has space'],
    ['-lead'],
    ['_lead'],
    ['a'.repeat(65)],
    [''],
    ['freight/pricing'],
  ])('workloadName %j is rejected, naming the value', (name) => {
    const { stack } = testStack();
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(() => new Workload(stack, 'Freight', { workloadName: name, owner: OWNER }))
      .toThrow(new RegExp(`^\\[Test/Freight\\] workloadName '${escaped}' is invalid: use 1-64 letters, digits`));
  });

  test.each([['a'.repeat(64)], ['Freight.v2_x-1'], ['9lives']])('workloadName %j is accepted', (name) => {
    const { stack } = testStack();
    expect(new Workload(stack, 'Freight', { workloadName: name, owner: OWNER }).workloadName).toBe(name);
  });

  test('a token workloadName is rejected', () => {
    const { stack } = testStack();
    expect(() => new Workload(stack, 'Freight', { workloadName: Aws.STACK_NAME, owner: OWNER }))
      .toThrow("[Test/Freight] workloadName must be a plain string known at synth, not a token, got a token. Give a name like 'freight'.");
  });

  test.each([
    ['owner.team', { team: '', onCall: 'oncall' }],
    ['owner.team', { team: '   ', onCall: 'oncall' }],
    ['owner.onCall', { team: 'pricing', onCall: '' }],
    ['owner.onCall', { team: 'pricing', onCall: ' \t' }],
  ])('empty %s is rejected mentioning OPS02-BP01', (field, owner) => {
    const { stack } = testStack();
    expect(() => new Workload(stack, 'Freight', { workloadName: 'freight', owner }))
      .toThrow(`[Test/Freight] ${field} must be a non-empty string, got '${field === 'owner.team' ? owner.team : owner.onCall}' (a string). ` +
        'Every workload needs an owning team and an on-call contact (OPS02-BP01).');
  });

  test('an owner that is not a valid tag value is rejected', () => {
    const { stack } = testStack();
    expect(() => new Workload(stack, 'Freight', { workloadName: 'freight', owner: { team: 'pricing&co', onCall: 'x' } }))
      .toThrow(/\[Test\/Freight\] Tag 'ops:owner' value 'pricing&co' contains '&'/);
  });

  test.each([
    ['ftp://runbooks.example.com/freight'],
    ['runbooks.example.com/freight'],
    ['https://'],
    ['https://runbooks.example.com/free ight'],
    [''],
  ])('runbookBaseUrl %j that is not http(s) is rejected', (url) => {
    const { stack } = testStack();
    expect(() => new Workload(stack, 'Freight', { workloadName: 'freight', owner: OWNER, runbookBaseUrl: url }))
      .toThrow(`[Test/Freight] runbookBaseUrl '${url}' must be an http(s) URL, e.g. 'https://runbooks.example.com/freight'.`);
  });

  test.each([
    ['https://wiki.example.com/page?id=42', "'?'"],
    ['https://wiki.example.com/runbooks#freight', "'#'"],
    ['https://wiki.example.com/x?a=1&b=2', "'?', '&'"],
  ])('runbookBaseUrl %j with query or fragment is rejected, asking for a path-style URL', (url, chars) => {
    const create = () => new Workload(testStack().stack, 'Freight', { workloadName: 'freight', owner: OWNER, runbookBaseUrl: url });
    expect(create).toThrow(`[Test/Freight] Tag 'ops:runbook' (from runbookBaseUrl) value '${url}' contains ${chars}, which AWS tag values do not allow`);
    expect(create).toThrow(/Use a path-style runbook URL without query string or fragment, or an SSM document name\./);
  });

  test('a runbookBaseUrl longer than a tag value allows is rejected', () => {
    const { stack } = testStack();
    const url = `https://runbooks.example.com/${'a'.repeat(240)}`;
    expect(() => new Workload(stack, 'Freight', { workloadName: 'freight', owner: OWNER, runbookBaseUrl: url }))
      .toThrow(/\[Test\/Freight\] Tag 'ops:runbook' \(from runbookBaseUrl\) value is 269 characters long .*AWS tag values hold at most 256/);
  });

  test.each([
    ['owner', null, "[Test/Freight] owner is required, got null. Give owner: { team: 'pricing', onCall: 'pricing-oncall@example.com' }"],
    ['owner', 'pricing', "[Test/Freight] owner must be an Owner object { team, onCall }, got 'pricing' (a string)."],
    ['tier', {}, '[Test/Freight] tier must be a ServiceTier (ServiceTier.STANDARD, ServiceTier.CRITICAL, ServiceTier.custom(...)), got a plain object {}.'],
    ['routing', {}, '[Test/Freight] routing must be an AlarmRouting (new AlarmRouting({ page: [AlarmDestination.sns(topic)] })), got a plain object {}.'],
    ['validateCloudWatchLimits', 'false', "[Test/Freight] validateCloudWatchLimits must be true or false, got 'false' (a string)."],
    ['approvers', [], '[Test/Freight] approvers must be Approvers (Approvers.of({ roles: [oncallRole] })), got an array of 0.'],
  ])('plain JavaScript: %s = %j is a precise error, not a TypeError or a silently enabled feature', (prop, value, message) => {
    const props = { workloadName: 'freight', owner: OWNER, [prop]: value } as unknown as WorkloadProps;
    expect(() => new Workload(testStack().stack, 'Freight', props)).toThrow(message);
  });

  test('props missing altogether are a precise error', () => {
    expect(() => new Workload(testStack().stack, 'Freight', undefined as unknown as WorkloadProps))
      .toThrow('[Test/Freight] props must be an object of WorkloadProps, got undefined.');
  });

  test('two workloads with one name in a stack fail, naming the first', () => {
    const { stack } = testStack();
    new Workload(stack, 'Freight', { workloadName: 'freight', owner: OWNER });
    expect(() => new Workload(stack, 'Freight2', { workloadName: 'freight', owner: OWNER }))
      .toThrow("[Test/Freight2] workloadName 'freight' is already used by Test/Freight in stack Test: their alarms and dashboards would have the same names.");
  });

  test('a runbookBaseUrl given as a token is checked at synth once it resolves', () => {
    const { app, stack } = testStack();
    new Workload(stack, 'Freight', { workloadName: 'freight', owner: OWNER, runbookBaseUrl: Lazy.string({ produce: () => 'https://wiki.example.com/x?a=1' }) });
    expect(() => app.synth()).toThrow(/\[Test\/Freight\] Tag 'ops:runbook' \(from runbookBaseUrl\) value 'https:\/\/wiki.example.com\/x\?a=1' contains '\?'/);
  });
});

describe('Workload runbook URLs', () => {
  test('trailing slashes are stripped from runbookBaseUrl', () => {
    const { workload } = newWorkload({ runbookBaseUrl: 'https://runbooks.example.com/freight//' });
    expect(workload.runbookBaseUrl).toBe('https://runbooks.example.com/freight');
  });

  test('http URLs are accepted', () => {
    const { workload } = newWorkload({ runbookBaseUrl: 'http://wiki.internal:8080/ops/freight' });
    expect(workload.runbookBaseUrl).toBe('http://wiki.internal:8080/ops/freight');
  });

  test("runbookUrl('quotes', 'availability') is <base>/quotes/availability", () => {
    const { workload } = newWorkload({ runbookBaseUrl: 'https://runbooks.example.com/freight/' });
    expect(workload.runbookUrl('quotes', 'availability')).toBe('https://runbooks.example.com/freight/quotes/availability');
  });

  test('runbookUrl is undefined without a base URL', () => {
    const { workload } = newWorkload();
    expect(workload.runbookUrl('quotes', 'availability')).toBeUndefined();
  });

  test('a token runbookBaseUrl is kept as is, unvalidated', () => {
    const { stack, workload } = newWorkload({ runbookBaseUrl: `https://${Aws.URL_SUFFIX}/runbooks/` });
    expect(stack.resolve(workload.runbookBaseUrl)).toEqual({ 'Fn::Join': ['', ['https://', { Ref: 'AWS::URLSuffix' }, '/runbooks/']] });
  });
});

describe('Workload CloudWatch limits check', () => {
  function invalidAlarm(scope: Construct) {
    return cfnAlarm(scope, 'Bad', { period: 90 });
  }

  test('is on by default: an invalid hand-written alarm produces an error annotation', () => {
    const { stack, workload } = newWorkload();
    invalidAlarm(workload);
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasError('/Test/Freight/Bad', Match.stringLikeRegexp('period 90 s is not allowed'));
  });

  test('validateCloudWatchLimits: false disables it', () => {
    const { stack, workload } = newWorkload({ validateCloudWatchLimits: false });
    invalidAlarm(workload);
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('only checks constructs inside the workload', () => {
    const { stack } = newWorkload();
    invalidAlarm(stack);
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });
});
