import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import { alarmNamed, alarmNames, dashboardNamed, logicalId, resourcesOf, ruleOf, templateOf } from './support';
import { OperableHttpApi, OperableHttpApiProps } from '../../src';
import { freight, testStack } from '../support/fixtures';

type MetricStat = { Metric: { MetricName: string; Dimensions: unknown[] }; Period: number; Stat: string };
type MetricQuery = { Id: string; Expression?: string; MetricStat?: MetricStat };

/** An OperableHttpApi 'QuoteApi' (service quote-api) in the freight workload. */
function httpApi(props: Partial<OperableHttpApiProps> = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const service = new OperableHttpApi(workload, 'QuoteApi', props.existingHttpApi ? props : { httpApiProps: { apiName: 'quotes' }, ...props });
  return { stack, workload, service, template: templateOf(stack) };
}

const metricsOf = (props: Record<string, unknown>) => props.Metrics as MetricQuery[];

describe('OperableHttpApi: a created API', () => {
  const s = httpApi({ healthCheckPath: '/health' });

  test("no aws-cdk-lib default stage: one '$default' stage of ours, auto-deployed, with JSON access logs in a retained log group", () => {
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 180 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: logicalId(s.service.api) },
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(s.service.accessLogGroup!), 'Arn'] },
        Format: Match.stringLikeRegexp('"routeKey":"\\$context\\.routeKey"'),
      },
    });
    const [[stageId, stage]] = resourcesOf(s.template, 'AWS::ApiGatewayV2::Stage');
    expect(stageId).toBe(logicalId(s.service.stage));
    const format = JSON.parse((stage.Properties!.AccessLogSettings as { Format: string }).Format) as Record<string, string>;
    expect(format).toMatchObject({ status: '$context.status', routeKey: '$context.routeKey', requestId: '$context.requestId' });
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-operable:api-'));
  });

  test("SLOs on the stage metrics: 5xx (Sum) over Count (SampleCount), Latency PR(:1000), dimensions ApiId and Stage '$default'", () => {
    const dimensions = [{ Name: 'ApiId', Value: { Ref: logicalId(s.service.api) } }, { Name: 'Stage', Value: '$default' }];
    const availability = metricsOf(alarmNamed(s.template, 'freight-quote-api-availability-burn6x-6h'));
    expect(availability.slice(1).map((m) => [m.Id, m.MetricStat])).toEqual([
      ['bad', { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: dimensions }, Period: 21600, Stat: 'Sum' }],
      ['total', { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: dimensions }, Period: 21600, Stat: 'SampleCount' }],
    ]);
    const latency = metricsOf(alarmNamed(s.template, 'freight-quote-api-latency-burn1x-3d'));
    expect(latency.slice(1).map((m) => [m.Id, m.MetricStat])).toEqual([
      ['pr', { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: dimensions }, Period: 259200, Stat: 'PR(:1000)' }],
      ['n', { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: dimensions }, Period: 259200, Stat: 'SampleCount' }],
    ]);
  });

  test('the canary calls the API endpoint + /health (no stage segment for $default)', () => {
    expect(s.stack.resolve(s.service.urlForPath('/health')))
      .toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(s.service.api), 'ApiEndpoint'] }, '/health']] });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Synthetics::Canary', {
      RuntimeVersion: 'syn-nodejs-puppeteer-13.0',
      Schedule: { Expression: 'rate(5 minutes)' },
      RunConfig: {
        EnvironmentVariables: {
          CANARY_URL: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(s.service.api), 'ApiEndpoint'] }, '/health']] },
          CANARY_EXPECTED_STATUS: '200-299',
        },
      },
    });
  });

  test('availability, latency and canary SLOs page through the one service page composite', () => {
    expect(alarmNames(s.template, 'AWS::CloudWatch::CompositeAlarm')).toEqual(['freight-quote-api-page', 'freight-quote-api-ticket', 'freight-page']);
    expect(s.service.slos.map((slo) => slo.sloName)).toEqual(['availability', 'latency', 'canary']);
    const page = ruleOf(s.template, 'freight-quote-api-page');
    for (const slo of s.service.slos) expect(page).toContain(logicalId(slo.windowAlarms[0]));
  });

  test('the dashboard shows the recent 5xx from the access logs and the golden signals of the stage', () => {
    const { widgets } = dashboardNamed(s.template, 'freight-quote-api');
    expect(widgets.slice(1, 5).map((w) => w.properties.metrics![0].slice(0, 2))).toEqual([
      ['AWS/ApiGateway', 'Count'], ['AWS/ApiGateway', '5xx'], ['AWS/ApiGateway', 'Latency'], ['AWS/ApiGateway', '4xx'],
    ]);
    const log = widgets.find((w) => w.type === 'log')!;
    expect(log.properties.title).toBe('quote-api: recent 5XX');
    expect(log.properties.query).toContain('filter status like /^5/');
    expect(log.properties.query).toContain(`SOURCE '\${${logicalId(s.service.accessLogGroup!)}}'`);
  });
});

describe('OperableHttpApi: options', () => {
  test('createDefaultStage true keeps the aws-cdk-lib stage: warns cdk-operable:api-access-logs, no access log group', () => {
    const s = httpApi({ httpApiProps: { apiName: 'quotes', createDefaultStage: true } });
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: Match.absent() });
    expect(s.service.accessLogGroup).toBeUndefined();
    expect(s.service.stage).toBe((s.service.api as apigwv2.HttpApi).defaultStage);
    Annotations.fromStack(s.stack).hasWarning('/Test/Freight/QuoteApi',
      Match.stringLikeRegexp('createDefaultStage is true, so the \\$default stage is .*without access logs.*\\[ack: cdk-operable:api-access-logs\\]'));
    expect(dashboardNamed(s.template, 'freight-quote-api').widgets.filter((w) => w.type === 'log')).toEqual([]);
  });

  test('logRetention overrides the tier retention', () => {
    const s = httpApi({ logRetention: logs.RetentionDays.ONE_YEAR });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('clientErrorAnomalyAlarm watches the 4xx rate (Average) and tickets', () => {
    const s = httpApi({ clientErrorAnomalyAlarm: true });
    const alarm = alarmNamed(s.template, 'freight-quote-api-client-error-anomaly');
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanUpperThreshold', EvaluationPeriods: 3 });
    expect(metricsOf(alarm)[1].MetricStat).toMatchObject({ Metric: { MetricName: '4xx' }, Stat: 'Average', Period: 300 });
    expect(ruleOf(s.template, 'freight-quote-api-ticket')).toContain(logicalId(s.service.alarms.find((a) => a.node.id === 'ClientErrorAnomaly')!));
  });

  test('no healthCheckPath: no canary; canary false with a healthCheckPath is an error', () => {
    expect(httpApi().service.canary).toBeUndefined();
    expect(() => httpApi({ healthCheckPath: '/health', canary: false })).toThrow(
      '[Test/Freight/QuoteApi] healthCheckPath is set, but canary is false: only the canary uses it. Remove it, or the canary: false.');
  });

  test('with the execute-api endpoint disabled, the canary needs healthCheckBaseUrl', () => {
    const disabled = { apiName: 'quotes', disableExecuteApiEndpoint: true };
    expect(() => httpApi({ httpApiProps: disabled, healthCheckPath: '/health' })).toThrow(
      "[Test/Freight/QuoteApi] healthCheckPath '/health' is set, but the API's execute-api endpoint is disabled, so the canary cannot call it: " +
      'pass healthCheckBaseUrl (e.g. your custom domain) for the canary to call, or remove healthCheckPath.');
    const custom = httpApi({ httpApiProps: disabled, healthCheckPath: '/health', healthCheckBaseUrl: 'https://quotes.example.com' });
    Template.fromStack(custom.stack).hasResourceProperties('AWS::Synthetics::Canary', {
      RunConfig: { EnvironmentVariables: Match.objectLike({ CANARY_URL: 'https://quotes.example.com/health' }) },
    });
  });

  test('an invalid healthCheckPath, both props or neither throw', () => {
    expect(() => httpApi({ healthCheckPath: 'health' })).toThrow(
      "[Test/Freight/QuoteApi] healthCheckPath must be a path starting with '/', without spaces, query or fragment, got 'health' (a string). E.g. '/health'.");
    const { stack } = testStack();
    const { workload } = freight(stack);
    const existing = new apigwv2.HttpApi(stack, 'Existing');
    expect(() => new OperableHttpApi(workload, 'Both', { httpApiProps: {}, existingHttpApi: existing })).toThrow(
      '[Test/Freight/Both] give either httpApiProps (to create the API) or existingHttpApi (to make an existing one operable), not both.');
    expect(() => new OperableHttpApi(workload, 'Neither', {})).toThrow(
      '[Test/Freight/Neither] give httpApiProps (to create the API) or existingHttpApi (to make an existing one operable).');
  });

  test('createDefaultStage: false is an error: the SLOs need a stage (before: a $default stage was created anyway)', () => {
    expect(() => httpApi({ httpApiProps: { apiName: 'quotes', createDefaultStage: false } })).toThrow(
      '[Test/Freight/QuoteApi] httpApiProps.createDefaultStage is false, so the API would have no stage to measure. Leave it unset ' +
      '(cdk-operable creates the $default stage with JSON access logs), or create your stage and pass existingHttpApi with existingStage.');
  });

  test('existingStage with httpApiProps is an error (before: the alarms silently watched the created stage)', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const other = new apigwv2.HttpApi(stack, 'Other');
    expect(() => new OperableHttpApi(workload, 'QuoteApi', { httpApiProps: { apiName: 'quotes' }, existingStage: other.defaultStage })).toThrow(
      '[Test/Freight/QuoteApi] existingStage (Test/Other/DefaultStage) is a stage of an existing API, but httpApiProps creates the API: ' +
      'cdk-operable creates its $default stage, or pass the API as existingHttpApi.');
  });

  test('an existingStage of another API is an error', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const api = new apigwv2.HttpApi(stack, 'Mine');
    const other = new apigwv2.HttpApi(stack, 'Other');
    expect(() => new OperableHttpApi(workload, 'QuoteApi', { existingHttpApi: api, existingStage: other.defaultStage })).toThrow(
      '[Test/Freight/QuoteApi] existingStage Test/Other/DefaultStage is a stage of API Test/Other, not of existingHttpApi Test/Mine');
  });

  test('logRetention when cdk-operable creates no access log group (createDefaultStage: true) is an error', () => {
    expect(() => httpApi({ httpApiProps: { apiName: 'quotes', createDefaultStage: true }, logRetention: logs.RetentionDays.ONE_WEEK })).toThrow(
      "[Test/Freight/QuoteApi] logRetention (7 days) is set, but cdk-operable creates no access log group here (httpApiProps.createDefaultStage is true: aws-cdk-lib's stage writes no access logs)");
  });

  test("httpApiProps.defaultDomainMapping maps the construct's $default stage", () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    const domainName = new apigwv2.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate });
    const service = new OperableHttpApi(workload, 'QuoteApi', { httpApiProps: { defaultDomainMapping: { domainName } } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    template.hasResource('AWS::ApiGatewayV2::ApiMapping', {
      Properties: { ApiId: { Ref: logicalId(service.api) }, DomainName: { Ref: logicalId(domainName) }, Stage: '$default' },
      DependsOn: Match.arrayWith([logicalId(service.stage)]),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: Match.objectLike({}) });
  });
});

describe('OperableHttpApi: an existing API', () => {
  test('with its aws-cdk-lib default stage: watches $default, creates no stage or log group', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const existing = new apigwv2.HttpApi(stack, 'Existing', { apiName: 'quotes' });
    const service = new OperableHttpApi(workload, 'QuoteApi', { existingHttpApi: existing, healthCheckPath: '/health' });
    const template = templateOf(stack);
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::Stage')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')).toHaveLength(0);
    expect(service.stage).toBe(existing.defaultStage);
    expect(metricsOf(alarmNamed(template, 'freight-quote-api-availability-burn14.4x-1h'))[1].MetricStat!.Metric.Dimensions)
      .toEqual([{ Name: 'ApiId', Value: { Ref: logicalId(existing) } }, { Name: 'Stage', Value: '$default' }]);
    Template.fromStack(stack).hasResourceProperties('AWS::Synthetics::Canary', {
      RunConfig: { EnvironmentVariables: { CANARY_URL: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(existing), 'ApiEndpoint'] }, '/health']] } } },
    });
  });

  test('with existingStage v1: metrics and the canary URL use the stage', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const existing = new apigwv2.HttpApi(stack, 'Existing', { createDefaultStage: false });
    const v1 = new apigwv2.HttpStage(stack, 'V1', { httpApi: existing, stageName: 'v1', autoDeploy: true });
    const service = new OperableHttpApi(workload, 'QuoteApi', { existingHttpApi: existing, existingStage: v1, healthCheckPath: '/health' });
    expect(stack.resolve(service.urlForPath('/status')))
      .toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(existing), 'ApiEndpoint'] }, '/v1/status']] });
    const template = templateOf(stack);
    expect(metricsOf(alarmNamed(template, 'freight-quote-api-availability-burn14.4x-1h'))[1].MetricStat!.Metric.Dimensions)
      .toEqual([{ Name: 'ApiId', Value: { Ref: logicalId(existing) } }, { Name: 'Stage', Value: 'v1' }]);
    Template.fromStack(stack).hasResourceProperties('AWS::Synthetics::Canary', {
      RunConfig: { EnvironmentVariables: { CANARY_URL: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(existing), 'ApiEndpoint'] }, '/v1/health']] } } },
    });
  });

  test('without a stage (no default stage, or imported) throws the existingStage message', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const noStage = new apigwv2.HttpApi(stack, 'NoStage', { createDefaultStage: false });
    expect(() => new OperableHttpApi(workload, 'QuoteApi', { existingHttpApi: noStage })).toThrow(
      '[Test/Freight/QuoteApi] existingHttpApi has no default stage: pass the stage to watch as existingStage.');
    const imported = apigwv2.HttpApi.fromHttpApiAttributes(stack, 'Imported', { httpApiId: 'abc123' });
    expect(() => new OperableHttpApi(workload, 'Imported', { existingHttpApi: imported })).toThrow(
      '[Test/Freight/Imported] existingHttpApi has no default stage: pass the stage to watch as existingStage.');
  });
});
