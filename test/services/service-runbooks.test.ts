import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { functionProps, logicalIdOf, RUNBOOK, setup, synthesized } from './function-fixtures';
import { AlarmDescription, Approvers, OperableFunction, OperableHttpApi, OperableRestApi, Playbook, Workload, WorkloadProps } from '../../src';
import { RECENT_ERRORS_QUERY } from '../../src/services/function-shared';
import { RECENT_SERVER_ERRORS_QUERY } from '../../src/services/operable-api';
import { freight, quotesMetric, resourcesOf, testStack } from '../support/fixtures';
import { documentContent } from '../support/runbook-simulation';

const PLAYBOOK = 'freight-quotes-playbook';
const NO_RUNBOOK = '\\[ack: cdk-operable:no-runbook\\]';
const NO_BASE_URL: Partial<WorkloadProps> = { runbookBaseUrl: undefined };
type Json = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
type MetricStat = { Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] }; Period: number; Stat: string };
type Query = { Id: string; Label: string; MetricStat: MetricStat };

/** The text of a description: a plain string or an Fn::Sub. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  throw new Error(`not a string or Fn::Sub: ${JSON.stringify(value)}`);
}

/** [name, parsed footer, ops:runbook tag] of every alarm and composite whose name starts with `prefix`. */
function alarmsOf(json: Json, prefix = 'freight-quotes-') {
  return [...resourcesOf(json, 'AWS::CloudWatch::Alarm'), ...resourcesOf(json, 'AWS::CloudWatch::CompositeAlarm')]
    .map(([, r]) => r.Properties!)
    .filter((p) => String(p.AlarmName).startsWith(prefix))
    .map((p) => ({
      name: p.AlarmName as string,
      footer: AlarmDescription.parse(textOf(p.AlarmDescription))!,
      tag: (p.Tags as Array<{ Key: string; Value: string }> | undefined)?.find((t) => t.Key === 'ops:runbook')?.Value,
    }));
}

/** The logical id of the alarm or composite named `name`. */
function idOfAlarm(json: Json, name: string): string {
  const found = Object.entries(json.Resources).find(([, r]) => r.Type.startsWith('AWS::CloudWatch::') && r.Properties?.AlarmName === name);
  if (!found) throw new Error(`no alarm named ${name}`);
  return found[0];
}

const stepInputs = (pb: Playbook, name: string) => documentContent(pb).mainSteps.find((s) => s.name === name)?.inputs as Record<string, unknown>;
const warningsOf = (stack: Stack, pattern: string) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(pattern));
const approvers = (stack: Stack) => Approvers.of({ roles: [iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')] });

describe('OperableFunction in a workload without runbookBaseUrl: the generated playbook', () => {
  const s = setup({}, NO_BASE_URL);
  const json = s.template.toJSON() as Json;
  const alarms = alarmsOf(json);

  test('one AWS::SSM::Document freight-quotes-playbook; the service names it as its playbook and has no runbook', () => {
    s.template.resourceCountIs('AWS::SSM::Document', 1);
    s.template.hasResourceProperties('AWS::SSM::Document', { Name: PLAYBOOK, DocumentType: 'Automation' });
    expect(s.fn.playbookDocument).toBeInstanceOf(Playbook);
    expect(s.fn.playbookDocument!.documentName).toBe(PLAYBOOK);
    expect(s.fn.playbook).toBe(PLAYBOOK);
    expect(s.fn.runbook).toBeUndefined();
    expect(s.fn.rollbackRunbook).toBeUndefined();
    expect(s.fn.playbookDocument!.markdown.split('\n')[0]).toBe('# Investigate quotes (freight)');
  });

  test('page, ticket, saturation and window alarm footers say Playbook: freight-quotes-playbook and Runbook: none', () => {
    const names = alarms.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['freight-quotes-page', 'freight-quotes-ticket', 'freight-quotes-saturation',
      'freight-quotes-availability-burn14.4x-1h', 'freight-quotes-latency-burn1x-3d']));
    expect(alarms).toHaveLength(15);
    for (const a of alarms) {
      expect([a.name, a.footer.playbook, a.footer.runbook]).toEqual([a.name, PLAYBOOK, undefined]);
      expect(textOf(s.alarm(a.name).AlarmDescription)).toMatch(/\| Runbook: none \| Playbook: freight-quotes-playbook \| Dashboard: https:/);
    }
  });

  test('ops:runbook = the playbook name on every alarm of the service', () => {
    expect(alarms.filter((a) => a.tag !== PLAYBOOK).map((a) => a.name)).toEqual([]);
  });

  test('no cdk-operable:no-runbook warning', () => {
    expect(warningsOf(s.stack, NO_RUNBOOK)).toEqual([]);
  });

  test('AlarmName allowedValues: every alarm of the service (window alarms, the saturation alarm, both composites)', () => {
    const byName = (name: string) => idOfAlarm(json, name);
    const allowed = documentContent(s.fn.playbookDocument!).parameters!.AlarmName.allowedValues;
    expect(allowed).toEqual(s.fn.alarms.map((a) => logicalIdOf(a)));
    expect(allowed).toHaveLength(15);
    expect(allowed).toEqual(expect.arrayContaining(['freight-quotes-page', 'freight-quotes-ticket', 'freight-quotes-saturation',
      'freight-quotes-availability-burn14.4x-1h'].map(byName)));
    expect(byName('freight-quotes-page')).toBe(logicalIdOf(s.fn.pageAlarm));
    expect(byName('freight-quotes-ticket')).toBe(logicalIdOf(s.fn.ticketAlarm));
  });

  test("GoldenSignals: Invocations, Errors and Duration (p99) on the alias; concurrency and the alias's throttles", () => {
    const fnId = logicalIdOf(s.fn.lambdaFunction);
    const alias = [{ Name: 'FunctionName', Value: fnId }, { Name: 'Resource', Value: `${fnId}:live` }];
    const queries = stepInputs(s.fn.playbookDocument!, 'GoldenSignals').MetricDataQueries as Query[];
    expect(queries.map((q) => [q.Id, q.Label, q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName, q.MetricStat.Metric.Dimensions,
      q.MetricStat.Stat])).toEqual([
      ['traffic', 'Traffic', 'AWS/Lambda', 'Invocations', alias, 'Sum'],
      ['errors', 'Errors', 'AWS/Lambda', 'Errors', alias, 'Sum'],
      ['latency', 'Latency p99', 'AWS/Lambda', 'Duration', alias, 'p99'],
      ['saturation0', 'Saturation 1', 'AWS/Lambda', 'ConcurrentExecutions', [{ Name: 'FunctionName', Value: fnId }], 'Maximum'],
      ['saturation1', 'Saturation 2', 'AWS/Lambda', 'Throttles', alias, 'Sum'],
    ]);
  });

  test("the Logs Insights query runs the recent-errors query on the function's log group", () => {
    expect(stepInputs(s.fn.playbookDocument!, 'StartLogQuery')).toMatchObject({
      logGroupNames: [logicalIdOf(s.fn.logGroup)],
      queryString: RECENT_ERRORS_QUERY,
    });
  });

  test('an operational alarm added later is investigated too', () => {
    const { stack } = testStack();
    const { workload, pages, tickets } = freight(stack, NO_BASE_URL);
    const fn = new OperableFunction(workload, 'Quotes', { functionProps: functionProps() });
    const backlog = fn.addOperationalAlarm('Backlog', { metric: quotesMetric('Backlog', 'Maximum'), threshold: 100, summary: 'The backlog grows.' });
    const later = synthesized(stack, workload, pages, tickets);
    const laterJson = later.template.toJSON() as Json;
    const allowed = documentContent(fn.playbookDocument!).parameters!.AlarmName.allowedValues;
    expect([...allowed!].sort()).toEqual(fn.alarms.map((a) => logicalIdOf(a)).sort());
    expect(allowed).toEqual(expect.arrayContaining(['freight-quotes-saturation', 'freight-quotes-backlog'].map((n) => idOfAlarm(laterJson, n))));
    expect(idOfAlarm(laterJson, 'freight-quotes-backlog')).toBe(logicalIdOf(backlog));
    const footer = AlarmDescription.parse(textOf(later.alarm('freight-quotes-backlog').AlarmDescription))!;
    expect(footer.playbook).toBe(PLAYBOOK);
  });
});

describe('generatePlaybook and playbook', () => {
  test('with runbookBaseUrl: no playbook by default, footers name the runbook only', () => {
    const s = setup();
    s.template.resourceCountIs('AWS::SSM::Document', 0);
    expect(s.fn.playbookDocument).toBeUndefined();
    expect(s.fn.playbook).toBeUndefined();
    const alarms = alarmsOf(s.template.toJSON() as Json);
    expect(alarms.filter((a) => a.footer.runbook !== RUNBOOK || a.footer.playbook !== undefined || a.tag !== RUNBOOK)).toEqual([]);
  });

  test('with runbookBaseUrl and generatePlaybook: the playbook is added; footers name both, the tag keeps the runbook', () => {
    const s = setup({ generatePlaybook: true });
    s.template.resourceCountIs('AWS::SSM::Document', 1);
    s.template.hasResourceProperties('AWS::SSM::Document', { Name: PLAYBOOK });
    const alarms = alarmsOf(s.template.toJSON() as Json);
    expect(alarms).toHaveLength(15);
    expect(alarms.filter((a) => a.footer.runbook !== RUNBOOK || a.footer.playbook !== PLAYBOOK || a.tag !== RUNBOOK)).toEqual([]);
    expect(textOf(s.alarm('freight-quotes-page').AlarmDescription)).toContain(`| Runbook: ${RUNBOOK} | Playbook: ${PLAYBOOK} |`);
  });

  test('a playbook defined elsewhere: named in footers and the tag, nothing generated, no warning', () => {
    const s = setup({ playbook: 'freight-quotes-investigation' }, NO_BASE_URL);
    s.template.resourceCountIs('AWS::SSM::Document', 0);
    expect(s.fn.playbookDocument).toBeUndefined();
    const alarms = alarmsOf(s.template.toJSON() as Json);
    expect(alarms.filter((a) => a.footer.playbook !== 'freight-quotes-investigation' || a.tag !== 'freight-quotes-investigation')).toEqual([]);
    expect(warningsOf(s.stack, NO_RUNBOOK)).toEqual([]);
  });

  test("the service's own runbook: no playbook by default", () => {
    const s = setup({ runbook: 'freight-quotes-runbook' }, NO_BASE_URL);
    s.template.resourceCountIs('AWS::SSM::Document', 0);
    expect(alarmsOf(s.template.toJSON() as Json).filter((a) => a.tag !== 'freight-quotes-runbook' || a.footer.playbook !== undefined)).toEqual([]);
  });

  test('playbook and generatePlaybook together: an error', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    expect(() => new OperableFunction(workload, 'Quotes', { functionProps: functionProps(), playbook: 'quotes-investigation', generatePlaybook: true })).toThrow(
      "[Test/Freight/Quotes] playbook is 'quotes-investigation' (one defined elsewhere) and generatePlaybook is true: give one of them, not both.");
    expect(() => new OperableFunction(workload, 'Quotes2', { functionProps: functionProps(), playbook: 'x' })).toThrow(
      "[Test/Freight/Quotes2] playbook must be an http(s) URL or an SSM document name (3-128 letters, digits, '_', '-' or '.'), got 'x' (a string).");
  });

  test('generatePlaybook: false and no runbook: the no-runbook warning on the service', () => {
    const s = setup({ generatePlaybook: false }, NO_BASE_URL);
    s.template.resourceCountIs('AWS::SSM::Document', 0);
    Annotations.fromStack(s.stack).hasWarning('/Test/Freight/Quotes', Match.stringLikeRegexp(
      "^the service's alarms name no runbook or playbook: set the workload's runbookBaseUrl, this service's runbook, or generatePlaybook .*" + NO_RUNBOOK));
    expect(alarmsOf(s.template.toJSON() as Json).filter((a) => a.footer.playbook !== undefined || a.tag !== undefined)).toEqual([]);
  });
});

describe('operable APIs: the generated playbook reads the access logs', () => {
  function inWorkload() {
    const { stack } = testStack();
    return { stack, workload: freight(stack, NO_BASE_URL).workload };
  }

  test('OperableRestApi: stage metrics and the recent 5XX query on the access log group', () => {
    const { stack, workload } = inWorkload();
    const api = new OperableRestApi(workload, 'QuoteApi', { restApiProps: { restApiName: 'quotes' } });
    api.api.root.addMethod('GET');
    const pb = api.playbookDocument!;
    expect(pb.documentName).toBe('freight-quote-api-playbook');
    expect(stepInputs(pb, 'StartLogQuery')).toMatchObject({ logGroupNames: [logicalIdOf(api.accessLogGroup!)], queryString: RECENT_SERVER_ERRORS_QUERY });
    const queries = stepInputs(pb, 'GoldenSignals').MetricDataQueries as Query[];
    expect(queries.map((q) => [q.Id, q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName, q.MetricStat.Stat])).toEqual([
      ['traffic', 'AWS/ApiGateway', 'Count', 'SampleCount'],
      ['errors', 'AWS/ApiGateway', '5XXError', 'Sum'],
      ['latency', 'AWS/ApiGateway', 'Latency', 'p99'],
      ['saturation0', 'AWS/ApiGateway', '4XXError', 'Sum'],
    ]);
    expect(documentContent(pb).parameters!.AlarmName.allowedValues).toEqual(api.alarms.map((a) => logicalIdOf(a)));
    const composites = [logicalIdOf(api.pageAlarm), logicalIdOf(api.ticketAlarm)];
    expect(documentContent(pb).parameters!.AlarmName.allowedValues).toEqual(expect.arrayContaining(composites));
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Name: 'freight-quote-api-playbook' });
  });

  test('OperableHttpApi: the recent 5XX query on its access log group', () => {
    const { workload } = inWorkload();
    const api = new OperableHttpApi(workload, 'QuoteApi', { httpApiProps: { apiName: 'quotes' }, clientErrorAnomalyAlarm: true });
    const pb = api.playbookDocument!;
    expect(stepInputs(pb, 'StartLogQuery')).toMatchObject({ logGroupNames: [logicalIdOf(api.accessLogGroup!)], queryString: RECENT_SERVER_ERRORS_QUERY });
    const queries = stepInputs(pb, 'GoldenSignals').MetricDataQueries as Query[];
    expect(queries.map((q) => q.MetricStat.Metric.MetricName)).toEqual(['Count', '5xx', 'Latency', '4xx']);
    // 12 window alarms, the 4XX anomaly alarm and the two composites.
    expect(documentContent(pb).parameters!.AlarmName.allowedValues).toHaveLength(15);
  });
});

describe('the shared RollbackLambdaAlias runbook', () => {
  function twoFunctions(props: { quotes?: boolean; bookings?: boolean; withApprovers?: boolean; stackId?: string } = {}) {
    const { stack } = testStack(props.stackId);
    const { workload } = freight(stack, props.withApprovers ?? true ? { approvers: approvers(stack) } : {});
    const quotes = new OperableFunction(workload, 'Quotes', { functionProps: functionProps(), rollbackRunbook: props.quotes });
    const bookings = new OperableFunction(workload, 'Bookings', { functionProps: functionProps(), rollbackRunbook: props.bookings });
    return { stack, workload, quotes, bookings, template: Template.fromStack(stack) };
  }

  test('with approvers: both functions join one document freight-<stack>-lambda-rollback', () => {
    const s = twoFunctions();
    s.template.resourceCountIs('AWS::SSM::Document', 1);
    s.template.hasResourceProperties('AWS::SSM::Document', { Name: 'freight-Test-lambda-rollback', DocumentType: 'Automation' });
    expect(s.quotes.rollbackRunbook).toBeDefined();
    expect(s.bookings.rollbackRunbook).toBe(s.quotes.rollbackRunbook);
    expect(s.quotes.rollbackRunbook!.node.path).toBe('Test/Freight/Rollup/Functions/Rollback');
    expect(s.quotes.rollbackRunbook!.hasApprovalGate).toBe(true);
    expect(documentContent(s.quotes.rollbackRunbook!).parameters!.FunctionName.allowedValues).toEqual(
      [logicalIdOf(s.quotes.lambdaFunction), logicalIdOf(s.bookings.lambdaFunction)]);
  });

  test('its role may act on both functions and their versions and aliases, nothing else', () => {
    const s = twoFunctions();
    const arn = (fn: OperableFunction) => ({ 'Fn::GetAtt': [logicalIdOf(fn.lambdaFunction), 'Arn'] });
    const role = (s.template.toJSON() as Json).Resources[logicalIdOf(s.quotes.rollbackRunbook!.role as iam.Role)].Properties!;
    expect(role.Policies).toEqual([{
      PolicyName: 'Runbook',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Action: ['lambda:GetAlias', 'lambda:GetFunctionConfiguration', 'lambda:UpdateAlias'],
          Effect: 'Allow',
          Resource: [arn(s.quotes), { 'Fn::Join': ['', [arn(s.quotes), ':*']] }, arn(s.bookings), { 'Fn::Join': ['', [arn(s.bookings), ':*']] }],
        }],
      },
    }]);
  });

  test('the stack name keeps two stacks of a workload apart', () => {
    twoFunctions({ stackId: 'Prod' }).template.hasResourceProperties('AWS::SSM::Document', { Name: 'freight-Prod-lambda-rollback' });
  });

  test('rollbackRunbook: false opts one function out; both out: no document', () => {
    const one = twoFunctions({ quotes: false });
    expect(one.quotes.rollbackRunbook).toBeUndefined();
    expect(documentContent(one.bookings.rollbackRunbook!).parameters!.FunctionName.allowedValues).toEqual([logicalIdOf(one.bookings.lambdaFunction)]);
    const none = twoFunctions({ quotes: false, bookings: false });
    none.template.resourceCountIs('AWS::SSM::Document', 0);
    expect(none.bookings.rollbackRunbook).toBeUndefined();
  });

  test('without approvers: no rollback runbook', () => {
    const s = twoFunctions({ withApprovers: false });
    s.template.resourceCountIs('AWS::SSM::Document', 0);
    expect(s.quotes.rollbackRunbook).toBeUndefined();
    expect(s.bookings.rollbackRunbook).toBeUndefined();
  });

  test('rollbackRunbook: true without approvers: the approvers error', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    expect(() => new OperableFunction(workload, 'Quotes', { functionProps: functionProps(), rollbackRunbook: true })).toThrow(
      "[Test/Freight/Rollup/Functions/Rollback] Runbook 'freight-Test-lambda-rollback' changes production state (PointAlias) and needs an approval gate, " +
      "but workload 'freight' has no approvers: set approvers on the Workload (Approvers.of({ roles: [oncallRole] })), " +
      "give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });

  test('an imported function: none by default; rollbackRunbook: true is an error (no alias to move back)', () => {
    const imported = (workload: Workload, stack: Stack, rollbackRunbook?: boolean) => new OperableFunction(workload, 'Quotes', {
      existingFunction: lambda.Function.fromFunctionArn(stack, 'Existing', 'arn:aws:lambda:us-east-1:123456789012:function:quotes'),
      rollbackRunbook,
    });
    const byDefault = testStack();
    const fn = imported(freight(byDefault.stack, { approvers: approvers(byDefault.stack) }).workload, byDefault.stack);
    expect(fn.rollbackRunbook).toBeUndefined();
    Template.fromStack(byDefault.stack).resourceCountIs('AWS::SSM::Document', 0);
    const forced = testStack();
    expect(() => imported(freight(forced.stack, { approvers: approvers(forced.stack) }).workload, forced.stack, true)).toThrow(
      '[Test/Freight/Quotes] rollbackRunbook is true, but cdk-operable deploys no alias for this function (an existing function without ' +
      'safeDeployment: true, an imported function, or an alias it does not own): leave rollbackRunbook unset.');
  });
});

describe('footprint sanity', () => {
  test('runbookBaseUrl and no approvers: no SSM document and no runbook role, whatever the services', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    for (const id of ['Quotes', 'Bookings', 'Pricing']) new OperableFunction(workload, id, { functionProps: functionProps() });
    new OperableRestApi(workload, 'QuoteApi', { restApiProps: { restApiName: 'quotes' } }).api.root.addMethod('GET');
    new OperableHttpApi(workload, 'BookingApi', { httpApiProps: { apiName: 'bookings' } });
    const json = Template.fromStack(stack).toJSON() as Json;
    expect(resourcesOf(json, 'AWS::SSM::Document')).toEqual([]);
    const ssmRoles = resourcesOf(json, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes('ssm.amazonaws.com'));
    expect(ssmRoles).toEqual([]);
  });
});
