import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { describeValue } from '../core/checks';
import { fail } from '../core/errors';

const FAULT_CONFIGURATION_SYMBOL = Symbol.for('cdk-operable.LambdaFaultConfiguration');

/** The wrapper script the FIS Lambda extension installs (`AWS_LAMBDA_EXEC_WRAPPER`). */
export const FIS_EXEC_WRAPPER = '/opt/aws-fis/bootstrap';

/** Construct id of the imported extension layer under the function. */
const LAYER_ID = 'FisExtensionLayer';

/** S3 key prefixes: no leading slash, ending in '/', no spaces or wildcards. */
const PREFIX = /^[A-Za-z0-9!_.'()\-][A-Za-z0-9!_.'()\-/]*\/$/;

/**
 * Where AWS FIS and the FIS Lambda extension exchange fault configurations: a folder of an S3 bucket, one per Region.
 *
 * The `aws:lambda:invocation-*` actions work through the AWS FIS Lambda extension (FIS user guide, "Use the AWS FIS
 * aws:lambda:function actions"): the target function needs the extension layer, `AWS_LAMBDA_EXEC_WRAPPER=/opt/aws-fis/bootstrap`,
 * `AWS_FIS_CONFIGURATION_LOCATION=<this location>` and read access to it; the experiment role writes and deletes
 * the configurations. `applyTo` does the function side for a function you create. For an `OperableFunction` built
 * from `functionProps`, call `applyTo(quotes.lambdaFunction as lambda.Function)` before synthesis: the `live` alias's
 * version is computed at synthesis, so it includes the extension. For an `existingFunction`, prepare it where it is
 * defined. The extension does not work with response streaming functions.
 *
 * @example
 * const faults = LambdaFaultConfiguration.fromBucket(configBucket);
 * faults.applyTo(quotes.lambdaFunction as lambda.Function);
 */
export class LambdaFaultConfiguration {
  /**
   * The configurations live under `prefix` in `bucket`.
   *
   * @param bucket the bucket (in the Region the experiments run in)
   * @param prefix the folder, ending in '/'; default 'FisConfigs/' as in the FIS user guide
   */
  public static fromBucket(bucket: s3.IBucket, prefix?: string): LambdaFaultConfiguration {
    const folder = prefix ?? 'FisConfigs/';
    const isBucket = bucket !== null && typeof bucket === 'object' && typeof bucket.bucketArn === 'string' && typeof bucket.node === 'object';
    if (!isBucket) {
      // No scope to name yet: the game day that uses the configuration reports it.
      return new LambdaFaultConfiguration(bucket, folder, `bucket must be an S3 bucket (s3.IBucket), got ${describeValue(bucket)}: ` +
        'pass the bucket FIS and the extension exchange configurations in, e.g. LambdaFaultConfiguration.fromBucket(bucket).');
    }
    if (typeof folder !== 'string') {
      fail(bucket, `FIS configuration prefix must be a string, got ${describeValue(folder)}: use a folder such as 'FisConfigs/'.`);
    }
    if (!Token.isUnresolved(folder) && !PREFIX.test(folder)) {
      fail(bucket, `FIS configuration prefix '${folder}' is invalid: use a folder such as 'FisConfigs/' (letters, digits and ! _ . ' ( ) - /, ` +
        "no leading '/', ending in '/').");
    }
    return new LambdaFaultConfiguration(bucket, folder);
  }

  /**
   * Whether `x` is a LambdaFaultConfiguration (works across copies of this library).
   */
  public static isLambdaFaultConfiguration(x: unknown): x is LambdaFaultConfiguration {
    return x !== null && typeof x === 'object' && FAULT_CONFIGURATION_SYMBOL in (x as object);
  }

  /** Name of the SSM public parameter holding the FIS extension layer ARN of an architecture (FIS user guide). */
  public static layerParameterName(architecture: lambda.Architecture): string {
    const arch = architecture.name === lambda.Architecture.ARM_64.name ? 'arm64' : 'x86_64';
    return `/aws/service/fis/lambda-extension/AWS-FIS-extension-${arch}/1.x.x`;
  }

  /** The bucket. */
  public readonly bucket: s3.IBucket;
  /** The folder in the bucket, ending in '/'. */
  public readonly prefix: string;

  /** A problem found without a scope, reported by the construct that uses the configuration. */
  private readonly problem?: string;

  private constructor(bucket: s3.IBucket, prefix: string, problem?: string) {
    Object.defineProperty(this, FAULT_CONFIGURATION_SYMBOL, { value: true });
    this.bucket = bucket;
    this.prefix = prefix;
    this.problem = problem;
  }

  /**
   * Fail, naming `scope` and `prop`, when the configuration was made from bad input.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.problem !== undefined) fail(scope, `${prop}: ${this.problem}`);
  }

  /** `arn:aws:s3:::<bucket>/<prefix>`: the value of `AWS_FIS_CONFIGURATION_LOCATION`. */
  public get locationArn(): string {
    return this.bucket.arnForObjects(this.prefix);
  }

  /** `arn:aws:s3:::<bucket>/<prefix>*`: the objects FIS writes and the extension reads. */
  public get objectsArn(): string {
    return this.bucket.arnForObjects(`${this.prefix}*`);
  }

  /**
   * The environment variables the FIS extension needs: `AWS_LAMBDA_EXEC_WRAPPER` and `AWS_FIS_CONFIGURATION_LOCATION`.
   * For `aws:lambda:invocation-error` with `preventExecution`, the FIS user guide also recommends
   * `AWS_FIS_POLL_MAX_WAIT_MILLISECONDS` (e.g. '2000'), at the price of a wait on some invocations: add it yourself.
   */
  public environment(): { [key: string]: string } {
    return {
      AWS_LAMBDA_EXEC_WRAPPER: FIS_EXEC_WRAPPER,
      AWS_FIS_CONFIGURATION_LOCATION: this.locationArn,
    };
  }

  /** Let a function's FIS extension read the configurations (`s3:ListBucket` on the folder, `s3:GetObject` in it). */
  public grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.prefix}*`] } },
    }));
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.objectsArn] }));
    this.bucket.encryptionKey?.grantDecrypt(grantee);
  }

  /**
   * Prepare a function you create for the FIS Lambda actions: the extension layer of its architecture (its ARN read
   * from the SSM public parameter at deploy time), the two environment variables and read access. Publish a new
   * version afterwards: a version keeps the layers and environment it was published with.
   */
  public applyTo(fn: lambda.Function): void {
    const scope = fn !== null && typeof fn === 'object' && typeof (fn as IConstruct).node === 'object' ? fn as IConstruct : undefined;
    if (!(fn instanceof lambda.Function)) {
      fail(scope, `applyTo takes a lambda.Function defined in this app, got ${scope ? `${scope.node.path} (${describeValue(fn)})` : describeValue(fn)}: ` +
        'prepare an imported function, alias or version where its function is defined (the FIS extension layer, environment() and grantRead()).');
    }
    this._validate(fn, 'applyTo');
    if (fn.node.tryFindChild(LAYER_ID)) {
      fail(fn, 'already has the FIS extension (LambdaFaultConfiguration.applyTo was called on it before): call it once per function.');
    }
    const layerArn = ssm.StringParameter.valueForStringParameter(fn, LambdaFaultConfiguration.layerParameterName(fn.architecture));
    fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(fn, LAYER_ID, layerArn));
    for (const [key, value] of Object.entries(this.environment())) fn.addEnvironment(key, value);
    if (fn.role) this.grantRead(fn);
  }
}
