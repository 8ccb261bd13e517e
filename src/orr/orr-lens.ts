import { createHash } from 'crypto';
import { Token } from 'aws-cdk-lib';
import * as wellarchitected from 'aws-cdk-lib/aws-wellarchitected';
import { Construct } from 'constructs';
import { CustomLens, CustomLensProps } from './lens';
import { fail, OperableError } from '../core/errors';

/**
 * Options of the operational-readiness custom lens deployed to the Well-Architected Tool.
 */
export interface OrrLensProps extends CustomLensProps {
  /**
   * The lens version (1 to 32 characters). Changing the version or the lens content replaces the
   * `AWS::WellArchitected::Lens` resource.
   *
   * @default - the first 8 hex characters of the SHA-256 of the lens JSON, so any content change yields a new version
   */
  readonly lensVersion?: string;
}

/**
 * Deploys the cdk-operable operational-readiness custom lens (see `CustomLens`) to the Well-Architected Tool as an
 * `AWS::WellArchitected::Lens`, so squads can review workloads against the same best practices the
 * `OpsExcellence` rule pack checks at synth.
 *
 * Answers and milestones have no CloudFormation resource: record them with the Well-Architected API from CI
 * (`update-answer`, `create-milestone`). Whether `LensVersion` publishes the lens or leaves it a draft is not
 * documented; if the lens shows as a draft, publish it with `aws wellarchitected create-lens-version`.
 */
export class OrrLens extends Construct {
  /** The longest lens version CloudFormation accepts. */
  public static readonly MAX_VERSION_LENGTH = 32;

  /** The generated lens. */
  public readonly lens: CustomLens;
  /** The underlying `AWS::WellArchitected::Lens` resource. */
  public readonly cfnLens: wellarchitected.CfnLens;
  /** The lens version deployed. */
  public readonly lensVersion: string;
  /** The ARN of the lens (use it to associate the lens with a workload). */
  public readonly lensArn: string;

  constructor(scope: Construct, id: string, props: OrrLensProps = {}) {
    super(scope, id);
    try {
      this.lens = new CustomLens(props);
    } catch (e) {
      if (e instanceof OperableError) {
        fail(this, e.message);
      }
      throw e;
    }
    // Compact in the template (the 500 KB limit is checked on the larger, indented JSON).
    const jsonString = JSON.stringify(JSON.parse(this.lens.toJson()));
    const version = props.lensVersion ?? createHash('sha256').update(jsonString).digest('hex').slice(0, 8);
    if (!Token.isUnresolved(version) && (version.trim().length === 0 || version.length > OrrLens.MAX_VERSION_LENGTH)) {
      fail(this, `OrrLens: lensVersion '${version}' is ${version.length} characters; give 1 to ${OrrLens.MAX_VERSION_LENGTH} ` +
        '(or leave it out to version by content hash).');
    }
    this.lensVersion = version;
    this.cfnLens = new wellarchitected.CfnLens(this, 'Resource', { jsonString, lensVersion: version });
    this.lensArn = this.cfnLens.attrLensArn;
  }
}
