import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { alarmNamed, alarmNames, logicalId, ruleOf, templateOf } from './support';
import { BurnRatePolicy, CloudWatchPricing, HttpCanary, HttpCanaryProps, OperableRestApi, OpsTags } from '../../src';
import { freight, testStack } from '../support/fixtures';

/** A standalone HttpCanary 'Health' of the quotes service in the freight workload. */
function canary(props: Partial<HttpCanaryProps> = {}) {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack);
  const construct = new HttpCanary(workload, 'Health', { url: 'https://quotes.example.com/health', serviceName: 'quotes', ...props });
  return { stack, construct, pages, tickets };
}

describe('HttpCanary: standalone in a workload', () => {
  const s = canary();
  const template = templateOf(s.stack);

  test('defaults: Node.js Puppeteer 13.0 runtime, every 5 minutes, 2XX expected within 10 s, X-Ray, inline script', () => {
    Template.fromStack(s.stack).hasResourceProperties('AWS::Synthetics::Canary', {
      RuntimeVersion: 'syn-nodejs-puppeteer-13.0',
      Schedule: { Expression: 'rate(5 minutes)' },
      Code: { Handler: 'index.handler', Script: HttpCanary.SCRIPT },
      RunConfig: {
        ActiveTracing: true,
        EnvironmentVariables: { CANARY_URL: 'https://quotes.example.com/health', CANARY_EXPECTED_STATUS: '200-299', CANARY_TIMEOUT_MS: '10000' },
      },
      ProvisionedResourceCleanup: 'AUTOMATIC',
    });
  });

  test('its SLO owns page and ticket composites (no service to combine with), routed to the workload topics', () => {
    const slo = s.construct.slo;
    expect(slo.ownsComposites).toBe(true);
    expect(slo.serviceName).toBe('quotes');
    expect(slo.sloName).toBe('canary');
    expect(slo.policy).toBe(BurnRatePolicy.LOW_TRAFFIC);
    expect(slo.minBadEvents).toBe(2);
    expect(slo.objective).toBe(99.9);
    expect(alarmNames(template, 'AWS::CloudWatch::CompositeAlarm')).toEqual(['freight-quotes-canary-page', 'freight-quotes-canary-ticket']);
    expect(alarmNamed(template, 'freight-quotes-canary-page').AlarmActions).toEqual([{ Ref: logicalId(s.pages) }]);
    expect(alarmNamed(template, 'freight-quotes-canary-ticket').AlarmActions).toEqual([{ Ref: logicalId(s.tickets) }]);
    expect(ruleOf(template, 'freight-quotes-canary-page')).toContain(logicalId(slo.windowAlarms[0]));
    expect(alarmNames(template)).toEqual(['burn14.4x-1h', 'burn14.4x-15m', 'burn6x-6h', 'burn6x-1h', 'burn1x-3d', 'burn1x-12h']
      .map((w) => `freight-quotes-canary-${w}`));
  });

  test('the SLI: percent good (Average of SuccessPercent), with the run count (SampleCount) for the bad-run guard', () => {
    const metrics = alarmNamed(template, 'freight-quotes-canary-burn6x-6h').Metrics as Array<{ Id: string; MetricStat?: unknown }>;
    const dimensions = [{ Name: 'CanaryName', Value: { Ref: logicalId(s.construct.canary) } }];
    expect(metrics.slice(1)).toEqual([
      { Id: 'pct', ReturnData: false, MetricStat: { Metric: { Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent', Dimensions: dimensions }, Period: 21600, Stat: 'Average' } },
      { Id: 'n', ReturnData: false, MetricStat: { Metric: { Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent', Dimensions: dimensions }, Period: 21600, Stat: 'SampleCount' } },
    ]);
  });

  test('costs 8640 runs x US$ 0.0012 = US$ 10.368 a month for the canary, plus its alarms', () => {
    expect(CloudWatchPricing.CANARY_RUN_USD).toBe(0.0012);
    expect(CloudWatchPricing.canaryMonthlyUsd(s.construct.canary.node.defaultChild as synthetics.CfnCanary)).toBe(10.368);
    // 3 guarded long-window alarms x 2 metrics + 3 short-window alarms x 1 metric, x US$ 0.10, + 2 composites x US$ 0.50
    expect(CloudWatchPricing.estimateMonthlyUsd(s.construct)).toBeCloseTo(10.368 + 0.9 + 1, 6);
  });
});

describe('HttpCanary: options and validation', () => {
  test('schedule, timeout, status range, objective, name and runtime overrides', () => {
    const s = canary({
      schedule: Duration.minutes(1),
      requestTimeout: Duration.seconds(5),
      expectedStatusMin: 200,
      expectedStatusMax: 204,
      objective: 99.5,
      canaryName: 'quotes-health',
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
    });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Synthetics::Canary', {
      Name: 'quotes-health',
      RuntimeVersion: 'syn-nodejs-puppeteer-9.1',
      Schedule: { Expression: 'rate(1 minute)' },
      RunConfig: { EnvironmentVariables: { CANARY_EXPECTED_STATUS: '200-204', CANARY_TIMEOUT_MS: '5000' } },
    });
    expect(s.construct.slo.objective).toBe(99.5);
    expect(CloudWatchPricing.canaryMonthlyUsd(s.construct.canary.node.defaultChild as synthetics.CfnCanary)).toBe(51.84);
  });

  test.each<[string, Partial<HttpCanaryProps>, string]>([
    ['a non-http URL', { url: 'ftp://quotes.example.com/health' }, "url 'ftp://quotes.example.com/health' must be an http(s) URL, e.g. api.urlForPath('/health')."],
    ['a URL with a space', { url: 'https://quotes.example.com/he alth' }, "url 'https://quotes.example.com/he alth' must be an http(s) URL"],
    ['a 30-second schedule', { schedule: Duration.seconds(30) }, 'schedule must be a whole number of minutes, at least 1 minute and at most 1 hour, got Duration 30 seconds. E.g. Duration.minutes(5).'],
    ['a 90-second schedule', { schedule: Duration.seconds(90) }, 'schedule must be a whole number of minutes, at least 1 minute and at most 1 hour, got Duration 1 minute 30 seconds.'],
    ['a 2-hour schedule', { schedule: Duration.hours(2) }, 'schedule must be a whole number of minutes, at least 1 minute and at most 1 hour, got Duration 2 hours.'],
    ['a 0 s timeout', { requestTimeout: Duration.seconds(0) }, 'requestTimeout must be longer than zero and at most 1 minute, got Duration 0 seconds. E.g. Duration.seconds(10).'],
    ['a 61 s timeout', { requestTimeout: Duration.seconds(61) }, 'requestTimeout must be longer than zero and at most 1 minute, got Duration 1 minute 1 second.'],
    ['expectedStatusMin 99', { expectedStatusMin: 99 }, 'expectedStatusMin must be a whole number at least 100 and at most 599, got 99.'],
    ['expectedStatusMax 600', { expectedStatusMax: 600 }, 'expectedStatusMax must be a whole number at least 100 and at most 599, got 600.'],
    ['a fractional status', { expectedStatusMin: 200.5 }, 'expectedStatusMin must be a whole number at least 100 and at most 599, got 200.5.'],
    ['min above max', { expectedStatusMin: 300, expectedStatusMax: 299 }, 'expectedStatusMin (300) is above expectedStatusMax (299).'],
    ['an upper-case canaryName', { canaryName: 'Quotes' }, "canaryName must be lower-case letters, digits, '_' or '-', got 'Quotes' (a string). E.g. 'quotes-health'."],
    ['a string schedule from plain JavaScript', { schedule: '5 minutes' as unknown as Duration }, "schedule must be a Duration (e.g. Duration.minutes(5)), got '5 minutes' (a string)."],
    ['a prop that does not exist', { timeout: Duration.seconds(5) } as never, 'timeout is not a prop of HttpCanaryProps (did you mean requestTimeout?)'],
  ])('rejects %s', (_what, props, message) => {
    expect(() => canary(props)).toThrow(`[Test/Freight/Health] ${message}`);
  });

  test('a 60-minute schedule is the longest accepted', () => {
    const s = canary({ schedule: Duration.minutes(60) });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Synthetics::Canary', { Schedule: { Expression: 'rate(60 minutes)' } });
    expect(CloudWatchPricing.canaryMonthlyUsd(s.construct.canary.node.defaultChild as synthetics.CfnCanary)).toBe(0.864);
  });

  test('outside a service it needs a serviceName', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    expect(() => new HttpCanary(workload, 'Health', { url: 'https://quotes.example.com/health' })).toThrow(
      '[Test/Freight/Health/Slo] has no service: pass `serviceName`, or define the SLO inside an operable service construct.');
  });
});

describe('HttpCanary: ownership', () => {
  test('a standalone canary tags its canary and bucket with ops:service', () => {
    const template = Template.fromStack(canary().stack);
    template.hasResourceProperties('AWS::Synthetics::Canary', { Tags: Match.arrayWith([{ Key: OpsTags.SERVICE, Value: 'quotes' }]) });
    template.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: OpsTags.SERVICE, Value: 'quotes' }]) });
  });

  test('a second canary in a service is told to take another sloName, and works with one', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    const service = new OperableRestApi(workload, 'QuoteApi', { restApiProps: { restApiName: 'quotes' }, healthCheckPath: '/health' });
    service.api.root.addMethod('GET', new apigateway.MockIntegration());
    expect(() => new HttpCanary(service, 'Clash', { url: 'https://quotes.example.com/health/deep' })).toThrow(
      "[Test/Freight/QuoteApi/Clash/Slo] sloName 'canary' is already used by Test/Freight/QuoteApi/Canary/Slo in service 'quote-api'");
    const deep = new HttpCanary(service, 'DeepHealth', { url: 'https://quotes.example.com/health/deep', sloName: 'deep-health' });
    expect(deep.slo.sloName).toBe('deep-health');
    expect(alarmNames(templateOf(stack)).filter((n) => n.includes('deep-health'))).toHaveLength(6);
  });
});

describe('HttpCanary: cost inside a service', () => {
  test('the canary adds 8640 runs x US$ 0.0012 = US$ 10.368 plus 6 window alarms with 9 metrics (US$ 0.90) to the service estimate', () => {
    const cost = (healthCheckPath?: string) => {
      const { stack } = testStack();
      const { workload } = freight(stack);
      const service = new OperableRestApi(workload, 'QuoteApi', { restApiProps: { restApiName: 'quotes' }, healthCheckPath });
      service.api.root.addMethod('GET', new apigateway.MockIntegration());
      return service;
    };
    const without = cost();
    const withCanary = cost('/health');
    const cfnCanary = withCanary.canary!.canary.node.defaultChild as synthetics.CfnCanary;
    expect(CloudWatchPricing.canaryMonthlyUsd(cfnCanary)).toBe(10.368);
    expect(withCanary.estimatedMonthlyCostUsd - without.estimatedMonthlyCostUsd).toBeCloseTo(10.368 + 0.9, 6);
    // 21 window-alarm metrics (availability 6 x 2; latency 3 long x 2 + 3 short x 1, the short windows need no sample
    // count) x US$ 0.10 + 2 composites x US$ 0.50 + 1 dashboard x US$ 3.00
    expect(without.estimatedMonthlyCostUsd).toBeCloseTo(2.1 + 1 + 3, 6);
  });
});

/** The generated script, run against a local HTTP server with stub Synthetics modules. */
describe('HttpCanary.SCRIPT', () => {
  type Handler = { handler: () => Promise<void> };
  type Call = { name: string; requestOptions: Record<string, unknown>; stepConfig: Record<string, unknown> };
  let dir: string;
  let server: http.Server;
  let base: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-operable-canary-'));
    fs.writeFileSync(path.join(dir, 'index.js'), HttpCanary.SCRIPT);
    fs.mkdirSync(path.join(dir, 'node_modules', 'Synthetics'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'node_modules', 'SyntheticsLogger'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'Synthetics', 'index.js'), [
      "const http = require('http');",
      'exports.calls = [];',
      "exports.getCanaryUserAgentString = () => 'CloudWatchSynthetics/test';",
      'exports.executeHttpStep = (name, requestOptions, callback, stepConfig) => new Promise((resolve, reject) => {',
      '  exports.calls.push({ name, requestOptions, stepConfig });',
      '  const req = http.request(requestOptions, (res) => { Promise.resolve(callback(res)).then(resolve, reject); });',
      "  req.on('error', reject);",
      '  req.end();',
      '});',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'node_modules', 'SyntheticsLogger', 'index.js'), 'exports.info = () => undefined;\nexports.error = () => undefined;\n');
    server = http.createServer((req, res) => {
      res.statusCode = req.url === '/health' ? 200 : req.url === '/broken' ? 500 : 404;
      res.end(JSON.stringify({ path: req.url, userAgent: req.headers['user-agent'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  /** Run the handler, loaded with a fresh module cache, against `url`. */
  function run(url: string, expected?: string): { result: Promise<void>; calls: Call[] } {
    process.env.CANARY_URL = url;
    if (expected === undefined) delete process.env.CANARY_EXPECTED_STATUS;
    else process.env.CANARY_EXPECTED_STATUS = expected;
    let script: Handler | undefined;
    let stub: { calls: Call[] } | undefined;
    jest.isolateModules(() => {
      script = jest.requireActual<Handler>(path.join(dir, 'index.js'));
      stub = jest.requireActual<{ calls: Call[] }>(path.join(dir, 'node_modules', 'Synthetics', 'index.js'));
    });
    return { result: script!.handler(), calls: stub!.calls };
  }

  test('passes when /health answers 200, with one GET step carrying the canary user agent', async () => {
    const { result, calls } = run(`${base}/health`, '200-299');
    await expect(result).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0].name).toBe('GET /health');
    expect(calls[0].requestOptions).toMatchObject({
      hostname: '127.0.0.1',
      protocol: 'http:',
      port: String((server.address() as AddressInfo).port),
      path: '/health',
      method: 'GET',
      timeout: 10000,
      headers: { 'User-Agent': 'CloudWatchSynthetics/test' },
    });
    expect(calls[0].stepConfig).toMatchObject({ continueOnHttpStepFailure: false, includeRequestBody: false });
  });

  test('fails when /broken answers 500', async () => {
    await expect(run(`${base}/broken`, '200-299').result).rejects.toThrow('GET /broken answered 500, expected 200-299');
  });

  test("CANARY_EXPECTED_STATUS '500-599' makes /broken pass and /health fail", async () => {
    await expect(run(`${base}/broken`, '500-599').result).resolves.toBeUndefined();
    await expect(run(`${base}/health`, '500-599').result).rejects.toThrow('answered 200, expected 500-599');
  });

  test('defaults to 200-299 without CANARY_EXPECTED_STATUS; a single status is a range of one', async () => {
    await expect(run(`${base}/missing`).result).rejects.toThrow('GET /missing answered 404, expected 200-299');
    await expect(run(`${base}/health`, '200').result).resolves.toBeUndefined();
    await expect(run(`${base}/missing`, '404').result).resolves.toBeUndefined();
  });

  test('keeps the query string in the request path and honours CANARY_TIMEOUT_MS', async () => {
    process.env.CANARY_TIMEOUT_MS = '2500';
    const { result, calls } = run(`${base}/health?deep=1`, '200-299');
    await expect(result).rejects.toThrow('GET /health answered 404');
    expect(calls[0].requestOptions).toMatchObject({ path: '/health?deep=1', timeout: 2500 });
    delete process.env.CANARY_TIMEOUT_MS;
  });

  test('fails when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(run(`http://127.0.0.1:${port}/health`).result).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('HttpCanary: unique canary names', () => {
  test('two canaries with one canaryName in an account and region fail synth, naming both paths', () => {
    const { stack } = testStack();
    const { workload } = freight(stack);
    new HttpCanary(workload, 'Health', { url: 'https://quotes.example.com/health', serviceName: 'quotes', canaryName: 'quotes-health' });
    expect(() => new HttpCanary(workload, 'Health2', { url: 'https://quotes.example.com/h2', serviceName: 'quotes', sloName: 'canary2', canaryName: 'quotes-health' }))
      .toThrow("[Test/Freight/Health2/Canary] canary name 'quotes-health' is already used by Test/Freight/Health/Canary (account 123456789012, region us-east-1)");
  });
});
