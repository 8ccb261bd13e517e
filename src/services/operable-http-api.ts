import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HttpCanary } from './http-canary';
import { makeApiOperable, OperableApiProps, validateHealthPath } from './operable-api';
import { OperableService } from './operable-service';
import { fail } from '../core/errors';
import { ServiceLevelObjective } from '../slo/slo';

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
   * Create the API with these props. Unless you set `createDefaultStage`, the `$default` stage is created by this
   * construct, with JSON access logs.
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
   * The stage of an existing API to watch.
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
export class OperableHttpApi extends OperableService {
  /** The HTTP API. */
  public readonly api: apigwv2.IHttpApi;
  /** The stage whose metrics the SLOs watch. */
  public readonly stage: apigwv2.IHttpStage;
  /**
   * The access log group.
   * @default - none for an existing API, or when httpApiProps.createDefaultStage is set
   */
  public readonly accessLogGroup?: logs.LogGroup;
  /**
   * The availability SLO.
   * @default - none when availabilitySlo is false
   */
  public readonly availability?: ServiceLevelObjective;
  /**
   * The latency SLO.
   * @default - none when latencySlo is false
   */
  public readonly latency?: ServiceLevelObjective;
  /**
   * The synthetic canary.
   * @default - none without a healthCheckPath
   */
  public readonly canary?: HttpCanary;

  constructor(scope: Construct, id: string, props: OperableHttpApiProps) {
    super(scope, id, props);
    if ((props.httpApiProps === undefined) === (props.existingHttpApi === undefined)) {
      fail(this, props.httpApiProps
        ? 'give either httpApiProps (to create the API) or existingHttpApi (to make an existing one operable), not both.'
        : 'give httpApiProps (to create the API) or existingHttpApi (to make an existing one operable).');
    }
    validateHealthPath(this, props.healthCheckPath);

    if (props.httpApiProps) {
      const given = props.httpApiProps;
      const ownStage = !given.createDefaultStage;
      // aws-cdk-lib maps defaultDomainMapping only onto its own default stage; when we create the stage, it goes there.
      const api = new apigwv2.HttpApi(this, 'Api', {
        ...given,
        createDefaultStage: given.createDefaultStage ?? false,
        defaultDomainMapping: ownStage ? undefined : given.defaultDomainMapping,
      });
      this.api = api;
      if (!ownStage) {
        Annotations.of(this).addWarningV2('cdk-operable:api-access-logs', 'httpApiProps.createDefaultStage is set, so the $default stage is ' +
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
      this.api = props.existingHttpApi!;
      const stage = props.existingStage ?? this.api.defaultStage;
      if (!stage) fail(this, 'existingHttpApi has no default stage: pass the stage to watch as existingStage.');
      this.stage = stage!;
    }

    const stage = this.stage;
    const operability = makeApiOperable(this, props, {
      serverErrors: stage.metricServerError({ statistic: 'Sum' }),
      clientErrors: stage.metricClientError({ statistic: 'Sum' }),
      clientErrorRate: stage.metricClientError({ statistic: 'Average' }),
      count: stage.metricCount({ statistic: 'SampleCount' }),
      latency: stage.metricLatency(),
    }, {
      unreachable: props.httpApiProps?.disableExecuteApiEndpoint ? "the API's execute-api endpoint is disabled" : undefined,
      healthUrl: (path) => this.urlForPath(path),
      accessLogs: this.accessLogGroup,
    });
    this.availability = operability.availability;
    this.latency = operability.latency;
    this.canary = operability.canary;
  }

  /**
   * The URL of a path on the watched stage, e.g. `urlForPath('/health')`.
   */
  public urlForPath(path: string): string {
    const stageName = this.stage.stageName;
    return `${this.api.apiEndpoint}${stageName === '$default' ? '' : `/${stageName}`}${path}`;
  }
}
