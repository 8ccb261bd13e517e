import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OperableApiBase, OperableApiProps } from './operable-api';
import { Checks } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';

const isRestApi = (v: unknown) => typeof (v as apigateway.IRestApi | undefined)?.restApiId === 'string';
const isStage = (v: unknown) => typeof (v as apigateway.IStage | undefined)?.stageName === 'string' && isRestApi((v as apigateway.IStage).restApi);
const REST_CHECKS = {
  restApiProps: [Checks.object('apigateway.RestApiProps')],
  existingRestApi: [Checks.instance(isRestApi, 'an apigateway.IRestApi')],
  existingStage: [Checks.instance(isStage, 'an apigateway.IStage (e.g. api.deploymentStage, or Stage.fromStageAttributes(...))')],
  // Renamed: a stage of an existing API is given as the stage itself, like OperableHttpApi's existingStage.
  stageName: [() => "was replaced by existingStage: pass the stage (apigateway.Stage.fromStageAttributes(scope, 'Stage', { restApi, stageName })); " +
    'for an API cdk-operable creates, name its stage with restApiProps.deployOptions.stageName'],
} as const;

/**
 * Properties of an operable REST API. Give `restApiProps` to create the API, or `existingRestApi`.
 */
export interface OperableRestApiProps extends OperableApiProps {
  /**
   * Create the API with these props; stage telemetry defaults are added to `deployOptions` and your settings win.
   *
   * @default - none; give exactly one of `restApiProps` and `existingRestApi`
   */
  readonly restApiProps?: apigateway.RestApiProps;

  /**
   * Make an API defined elsewhere operable. It is not modified: missing stage telemetry is reported as warnings.
   *
   * @default - none; give exactly one of `restApiProps` and `existingRestApi`
   */
  readonly existingRestApi?: apigateway.IRestApi;

  /**
   * The stage of `existingRestApi` to watch (it must belong to that API). To name the stage of an API cdk-operable
   * creates, use `restApiProps.deployOptions.stageName`; giving this with `restApiProps` is an error.
   *
   * @default - the existing API's deployment stage (an imported API has none: then this is required)
   */
  readonly existingStage?: apigateway.IStage;
}

/**
 * An API Gateway REST API with the operational Definition of Done: JSON access logs in a retained log group, X-Ray
 * tracing and stage metrics; availability (5XX) and latency SLOs on the stage; an optional 4XX anomaly alarm; a
 * synthetic canary on a health path; a dashboard; ORR tags.
 *
 * @example
 * const api = new OperableRestApi(workload, 'QuoteApi', { restApiProps: { restApiName: 'quotes' }, healthCheckPath: '/health' });
 * api.api.root.addResource('health').addMethod('GET', new apigateway.MockIntegration());
 */
export class OperableRestApi extends OperableApiBase {
  /** The REST API. */
  public readonly api: apigateway.IRestApi;
  /** The stage whose metrics the SLOs watch. */
  public readonly stage: apigateway.IStage;
  /**
   * The access log group.
   * @default - none for an existing API or when `deployOptions.accessLogDestination` is yours
   */
  public readonly accessLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OperableRestApiProps) {
    super(scope, id, props);
    this._checkKindProps(props, 'OperableRestApiProps', REST_CHECKS);
    if ((props.restApiProps === undefined) === (props.existingRestApi === undefined)) {
      fail(this, props.restApiProps
        ? 'give either restApiProps (to create the API) or existingRestApi (to make an existing one operable), not both.'
        : 'give restApiProps (to create the API) or existingRestApi (to make an existing one operable).');
    }

    if (props.restApiProps) {
      const given = props.restApiProps;
      if (props.existingStage) {
        fail(this, `existingStage (${props.existingStage.node.path}) is a stage of an existing API, but restApiProps creates the API: name the stage ` +
          'with restApiProps.deployOptions.stageName, or pass the API as existingRestApi.');
      }
      if (given.deploy === false) {
        fail(this, 'restApiProps.deploy is false, so the API has no stage to measure. Leave deploy on, or pass the API as existingRestApi with existingStage.');
      }
      const options = given.deployOptions ?? {};
      this._checkLogRetention(props, options.accessLogDestination === undefined, 'restApiProps.deployOptions.accessLogDestination is yours');
      if (options.accessLogDestination === undefined) {
        this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
          retention: props.logRetention ?? this.workload.tier.logRetention,
          removalPolicy: RemovalPolicy.RETAIN,
        });
      }
      const api = new apigateway.RestApi(this, 'Api', {
        ...given,
        deployOptions: {
          // Stage-level metrics (what the SLOs read) are always published; per-method metrics are billed, so left off.
          tracingEnabled: true,
          ...(this.accessLogGroup ? {
            accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
            accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
          } : {}),
          ...options,
        },
      });
      if (options.tracingEnabled === false) {
        warn(this, Warnings.API_TRACING, 'restApiProps.deployOptions.tracingEnabled is false: requests are not traced with X-Ray (OPS04-BP05).');
      }
      if (this.accessLogGroup && api.node.tryFindChild('CloudWatchRole') === undefined) {
        warn(this, Warnings.API_CLOUDWATCH_ROLE, 'access logs need the account\'s API Gateway CloudWatch Logs role, and ' +
          'this API does not create it (cloudWatchRole is false, or the @aws-cdk/aws-apigateway:disableCloudWatchRole flag is on): ' +
          'make sure the platform stack sets it (AWS::ApiGateway::Account), or set restApiProps.cloudWatchRole: true.');
      }
      this.api = api;
      this.stage = api.deploymentStage;
    } else {
      this._checkLogRetention(props, false, 'the API is an existing one');
      this.api = props.existingRestApi!;
      this.stage = existingStage(this, this.api, props.existingStage);
      reportExistingStage(this, this.stage);
    }
    this._watches(this.stage);
    const stage = this.stage as apigateway.StageBase;
    this._makeOperable(props, {
      serverErrors: stage.metricServerError({ statistic: 'Sum' }),
      clientErrors: stage.metricClientError({ statistic: 'Sum' }),
      clientErrorRate: stage.metricClientError({ statistic: 'Average' }),
      count: stage.metricCount({ statistic: 'SampleCount' }),
      latency: stage.metricLatency(),
    }, { unreachable: unreachable(this.api), accessLogs: this.accessLogGroup });
  }

  /**
   * The invoke URL of a path on the watched stage, e.g. `urlForPath('/health')`.
   */
  public urlForPath(path: string): string {
    return (this.stage as apigateway.StageBase).urlForPath(path);
  }
}

function existingStage(scope: Construct, api: apigateway.IRestApi, given: apigateway.IStage | undefined): apigateway.IStage {
  const cfnApi = api.node.defaultChild;
  if (!(cfnApi instanceof apigateway.CfnRestApi)) {
    warn(scope, Warnings.API_IMPORTED, `existingRestApi is imported: its SLOs read metrics with ApiName '${api.restApiName}'. ` +
      'Make sure that is the API\'s name (RestApi.fromRestApiAttributes({ restApiName })), or the SLOs watch nothing.');
  }
  if (given !== undefined) {
    if (given.restApi !== api) {
      fail(scope, `existingStage ${given.node.path} is a stage of API ${given.restApi.node.path}, not of existingRestApi ${api.node.path}: ` +
        'the SLOs would watch another API. Pass a stage of existingRestApi.');
    }
    return given;
  }
  let stage: apigateway.IStage | undefined;
  try {
    stage = api.deploymentStage;
  } catch {
    stage = undefined;
  }
  if (!stage) {
    fail(scope, 'existingRestApi has no deploymentStage (an imported API): pass the stage to watch as existingStage ' +
      "(apigateway.Stage.fromStageAttributes(scope, 'Stage', { restApi, stageName })).");
  }
  return stage!;
}

/** Why the API cannot be called on its execute-api endpoint from outside, or undefined when it can. */
function unreachable(api: apigateway.IRestApi): string | undefined {
  const cfn = api.node.defaultChild;
  if (!(cfn instanceof apigateway.CfnRestApi)) return undefined;
  const resolved = Stack.of(cfn).resolve({ endpoint: cfn.endpointConfiguration, disabled: cfn.disableExecuteApiEndpoint }) as
    { endpoint?: { types?: string[] }; disabled?: boolean };
  if (resolved.endpoint?.types?.includes(apigateway.EndpointType.PRIVATE)) return 'the API is private';
  if (resolved.disabled === true) return 'the API\'s execute-api endpoint is disabled';
  return undefined;
}

/** Report stage telemetry that is off on an existing API's stage, when the stage is defined in this app. */
function reportExistingStage(scope: Construct, stage: apigateway.IStage): void {
  const cfn = stage.node.defaultChild as apigateway.CfnStage | undefined;
  if (!(cfn instanceof apigateway.CfnStage)) {
    warn(scope, Warnings.API_ACCESS_LOGS, `stage ${Token.isUnresolved(stage.stageName) ? stage.node.path : stage.stageName} is imported: cdk-operable cannot check that it traces ` +
      'with X-Ray and writes JSON access logs to a retained log group; make sure where it is defined (OPS04-BP02, OPS04-BP05).');
    return;
  }
  const resolved = Stack.of(cfn).resolve({ tracing: cfn.tracingEnabled, accessLog: cfn.accessLogSetting, name: cfn.stageName }) as
    { tracing?: boolean; accessLog?: unknown; name?: unknown };
  const name = typeof resolved.name === 'string' ? resolved.name : stage.node.path;
  if (resolved.tracing !== true) {
    warn(scope, Warnings.API_TRACING, `existing stage ${name} does not trace with X-Ray; set tracingEnabled where it is defined (OPS04-BP05).`);
  }
  if (resolved.accessLog === undefined) {
    warn(scope, Warnings.API_ACCESS_LOGS, `existing stage ${name} writes no access logs; set accessLogDestination where it is defined (OPS04-BP02).`);
  }
}
