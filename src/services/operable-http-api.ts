import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OperableApiBase, OperableApiProps } from './operable-api';
import { Checks } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';

// `apiEndpoint` throws on an imported API without one: test the id and a method only.
const isHttpApi = (v: unknown) => typeof (v as apigwv2.IHttpApi | undefined)?.apiId === 'string' && typeof (v as apigwv2.IHttpApi).metricCount === 'function';
const HTTP_CHECKS = {
  httpApiProps: [Checks.object('apigwv2.HttpApiProps')],
  existingHttpApi: [Checks.instance(isHttpApi, 'an apigwv2.IHttpApi')],
  existingStage: [Checks.instance((v) => typeof (v as apigwv2.IHttpStage | undefined)?.stageName === 'string' &&
    isHttpApi((v as apigwv2.IHttpStage).api), 'an apigwv2.IHttpStage')],
} as const;

/** JSON access log format with HTTP API context variables. */
const HTTP_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
});

/**
 * Properties of an operable HTTP API. Give `httpApiProps` to create the API, or `existingHttpApi`.
 */
export interface OperableHttpApiProps extends OperableApiProps {
  /**
   * Create the API with these props. cdk-operable creates the `$default` stage, with JSON access logs; with
   * `createDefaultStage: true` aws-cdk-lib's own `$default` stage is used instead (without access logs: a warning), and
   * `createDefaultStage: false` is an error (the SLOs need a stage).
   *
   * @default - none; give exactly one of `httpApiProps` and `existingHttpApi`
   */
  readonly httpApiProps?: apigwv2.HttpApiProps;

  /**
   * Make an API defined elsewhere operable. It is not modified.
   *
   * @default - none; give exactly one of `httpApiProps` and `existingHttpApi`
   */
  readonly existingHttpApi?: apigwv2.IHttpApi;

  /**
   * The stage of `existingHttpApi` to watch (it must belong to that API; giving it with `httpApiProps` is an error).
   *
   * @default - the existing API's default stage
   */
  readonly existingStage?: apigwv2.IHttpStage;
}

/**
 * An API Gateway HTTP API with the operational Definition of Done: a `$default` stage with JSON access logs in a
 * retained log group; availability (5xx) and latency SLOs on the stage; an optional 4xx anomaly alarm; a synthetic
 * canary on a health path; a dashboard; ORR tags. (HTTP APIs do not support X-Ray tracing.)
 */
export class OperableHttpApi extends OperableApiBase {
  /** The HTTP API. */
  public readonly api: apigwv2.IHttpApi;
  /** The stage whose metrics the SLOs watch. */
  public readonly stage: apigwv2.IHttpStage;
  /**
   * The access log group.
   * @default - none for an existing API, or when httpApiProps.createDefaultStage is true
   */
  public readonly accessLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OperableHttpApiProps) {
    super(scope, id, props);
    this._checkKindProps(props, 'OperableHttpApiProps', HTTP_CHECKS);
    if ((props.httpApiProps === undefined) === (props.existingHttpApi === undefined)) {
      fail(this, props.httpApiProps
        ? 'give either httpApiProps (to create the API) or existingHttpApi (to make an existing one operable), not both.'
        : 'give httpApiProps (to create the API) or existingHttpApi (to make an existing one operable).');
    }

    if (props.httpApiProps) {
      const given = props.httpApiProps;
      if (props.existingStage) {
        fail(this, `existingStage (${props.existingStage.node.path}) is a stage of an existing API, but httpApiProps creates the API: ` +
          'cdk-operable creates its $default stage, or pass the API as existingHttpApi.');
      }
      if (given.createDefaultStage === false) {
        fail(this, 'httpApiProps.createDefaultStage is false, so the API would have no stage to measure. Leave it unset (cdk-operable creates the ' +
          '$default stage with JSON access logs), or create your stage and pass existingHttpApi with existingStage.');
      }
      const ownStage = given.createDefaultStage === undefined;
      this._checkLogRetention(props, ownStage, "httpApiProps.createDefaultStage is true: aws-cdk-lib's stage writes no access logs");
      // aws-cdk-lib maps defaultDomainMapping only onto its own default stage; when we create the stage, it goes there.
      const api = new apigwv2.HttpApi(this, 'Api', {
        ...given,
        createDefaultStage: !ownStage,
        defaultDomainMapping: ownStage ? undefined : given.defaultDomainMapping,
      });
      this.api = api;
      if (!ownStage) {
        warn(this, Warnings.API_ACCESS_LOGS, 'httpApiProps.createDefaultStage is true, so the $default stage is ' +
          "aws-cdk-lib's, without access logs. Leave it unset to get JSON access logs in a retained log group (OPS04-BP02).");
        this.stage = api.defaultStage!;
      } else {
        this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
          retention: props.logRetention ?? this.workload.tier.logRetention,
          removalPolicy: RemovalPolicy.RETAIN,
        });
        this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
          httpApi: api,
          stageName: '$default',
          autoDeploy: true,
          domainMapping: given.defaultDomainMapping,
          accessLogSettings: {
            destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
            format: apigateway.AccessLogFormat.custom(HTTP_ACCESS_LOG_FORMAT),
          },
        });
      }
    } else {
      this._checkLogRetention(props, false, 'the API is an existing one');
      this.api = props.existingHttpApi!;
      if (props.existingStage && props.existingStage.api !== this.api) {
        fail(this, `existingStage ${props.existingStage.node.path} is a stage of API ${props.existingStage.api.node.path}, not of existingHttpApi ` +
          `${this.api.node.path}: the SLOs would watch another API. Pass a stage of existingHttpApi.`);
      }
      const stage = props.existingStage ?? this.api.defaultStage;
      if (!stage) fail(this, 'existingHttpApi has no default stage: pass the stage to watch as existingStage.');
      this.stage = stage!;
    }

    this._watches(this.stage);
    const stage = this.stage;
    this._makeOperable(props, {
      serverErrors: stage.metricServerError({ statistic: 'Sum' }),
      clientErrors: stage.metricClientError({ statistic: 'Sum' }),
      clientErrorRate: stage.metricClientError({ statistic: 'Average' }),
      count: stage.metricCount({ statistic: 'SampleCount' }),
      latency: stage.metricLatency(),
    }, {
      unreachable: props.httpApiProps?.disableExecuteApiEndpoint ? "the API's execute-api endpoint is disabled" : undefined,
      accessLogs: this.accessLogGroup,
    });
  }

  /**
   * The URL of a path on the watched stage, e.g. `urlForPath('/health')`.
   */
  public urlForPath(path: string): string {
    const stageName = this.stage.stageName;
    return `${this.api.apiEndpoint}${stageName === '$default' ? '' : `/${stageName}`}${path}`;
  }
}
