import { Stack, Token } from 'aws-cdk-lib';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import { Construct, IConstruct } from 'constructs';
import { Checks, checkProps, checkRequired, checkValue } from '../core/checks';
import { fail } from '../core/errors';

const SETUP_SYMBOL = Symbol.for('cdk-operable.IncidentManagerSetup');
/** Only on setups defined in this app (they own a replication set), not on imported ones. */
const DEFINED_SETUP_SYMBOL = Symbol.for('cdk-operable.IncidentManagerSetup.defined');

/** A replication set holds at most this many regions. */
const MAX_REGIONS = 3;

/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A replication set ARN (global: no region). */
const REPLICATION_SET_ARN = /^arn:aws[a-z-]*:ssm-incidents::\d{12}:replication-set\/[A-Za-z0-9_-]+$/;

/** A KMS key ARN; group 1 is the region, group 3 the key id. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;

/**
 * Incident Manager's account-wide setup: the replication set response plans and incidents live in.
 */
export interface IIncidentManagerSetup extends IConstruct {
  /** ARN of the replication set. */
  readonly replicationSetArn: string;

  /** The regions incident data is replicated to; response plans can be created only in these. */
  readonly regions: string[];
}

/**
 * Properties of the Incident Manager setup.
 */
export interface IncidentManagerSetupProps {
  /**
   * The regions to replicate incident data to: 1 to 3, including the stack's region (where the replication set is
   * created). Response plans and incidents can be created only in these regions.
   *
   * @default - the stack's region, which must then be known at synth (set `env.region` on the stack)
   */
  readonly regions?: string[];

  /**
   * Whether the replication set is protected from deletion (deleting it deletes every incident record).
   *
   * @default true
   */
  readonly deletionProtected?: boolean;

  /**
   * ARN of the customer managed KMS key that encrypts incident data. With more than one region it must be a
   * multi-Region key (key id `mrk-...`): each region uses its replica (the same ARN in that region).
   *
   * @default - an AWS owned key
   */
  readonly sseKmsKeyId?: string;
}

/**
 * The account-wide Incident Manager setup (OPS10-BP01): the replication set, at most one per account, so it belongs in
 * the platform stack. Response plans depend on it explicitly, so it exists before them: define it before them (or pass
 * it as `setup`). Outside a Workload it carries no ownership tags: tag it for the platform team (e.g. `platform.own(setup)`),
 * or the rule pack reports OPS-OwnershipTags.
 *
 * @example
 * const setup = new IncidentManagerSetup(platformStack, 'IncidentManager', { regions: ['eu-west-1', 'eu-central-1'] });
 */
export class IncidentManagerSetup extends Construct implements IIncidentManagerSetup {
  /**
   * A replication set that exists already (created in the console or by another app): response plans then depend on
   * nothing, and are checked against `regions` when given.
   *
   * @param replicationSetArn ARN of the replication set
   * @param regions its regions, so response plans in other regions fail at synth; empty when unknown
   */
  public static fromReplicationSetArn(scope: Construct, id: string, replicationSetArn: string, regions: string[] = []): IIncidentManagerSetup {
    return new ImportedSetup(scope, id, replicationSetArn, regions);
  }

  /**
   * The setup response plans under `scope` use: the one setup in the app (defined or imported), or the one in
   * `scope`'s account when the app has several. Undefined when there is none; throws when the choice is ambiguous.
   */
  public static find(scope: IConstruct): IIncidentManagerSetup | undefined {
    const all = scope.node.root.node.findAll().filter((c): c is IIncidentManagerSetup => IncidentManagerSetup.isIncidentManagerSetup(c));
    if (all.length <= 1) return all[0];
    const account = Stack.of(scope).account;
    const same = Token.isUnresolved(account) ? [] : all.filter((s) => Stack.of(s).account === account);
    if (same.length === 1) return same[0];
    fail(scope, `found ${all.length} IncidentManagerSetup constructs (${all.map((s) => s.node.path).join(', ')}) and cannot tell which one ` +
      'this response plan uses: pass it as setup.');
  }

  /**
   * Whether `x` is an Incident Manager setup (defined or imported; works across copies of this library).
   */
  public static isIncidentManagerSetup(x: unknown): x is IIncidentManagerSetup {
    return x !== null && typeof x === 'object' && SETUP_SYMBOL in (x as object);
  }

  /** ARN of the replication set. */
  public readonly replicationSetArn: string;
  /** The regions incident data is replicated to. */
  public readonly regions: string[];
  /** Whether the replication set is protected from deletion. */
  public readonly deletionProtected: boolean;
  /** The underlying `AWS::SSMIncidents::ReplicationSet`. */
  public readonly replicationSet: ssmincidents.CfnReplicationSet;

  constructor(scope: Construct, id: string, props: IncidentManagerSetupProps = {}) {
    super(scope, id);
    Object.defineProperty(this, SETUP_SYMBOL, { value: true });
    Object.defineProperty(this, DEFINED_SETUP_SYMBOL, { value: true });
    checkProps(this, 'IncidentManagerSetupProps', props, {
      regions: [Checks.arrayOf(Checks.string({ nonEmpty: true }), 'an array of region names'), "e.g. regions: ['eu-west-1', 'eu-central-1']."],
      deletionProtected: [Checks.boolean],
      sseKmsKeyId: [Checks.string({ nonEmpty: true }), 'Give the ARN of a customer managed KMS key, or leave sseKmsKeyId out.'],
    });
    const stack = Stack.of(this);
    this.regions = validateRegions(this, props.regions, stack.region);
    this.deletionProtected = props.deletionProtected ?? true;

    const account = stack.account;
    const other = Token.isUnresolved(account) ? undefined : this.node.root.node.findAll()
      .find((c) => c !== this && isDefinedSetup(c) && Stack.of(c).account === account);
    if (other) {
      fail(this, `account ${account} already has a replication set (${other.node.path}); an account has at most one. ` +
        'Define one IncidentManagerSetup in the platform stack and pass it to every response plan.');
    }

    const keys = kmsKeysByRegion(this, props.sseKmsKeyId, this.regions);
    this.replicationSet = new ssmincidents.CfnReplicationSet(this, 'Resource', {
      regions: this.regions.map((regionName) => ({
        regionName,
        ...(keys ? { regionConfiguration: { sseKmsKeyId: keys(regionName) } } : {}),
      })),
      deletionProtected: this.deletionProtected,
    });
    this.replicationSetArn = this.replicationSet.attrArn;
  }
}

/**
 * Whether `x` is an Incident Manager setup defined in this app, which owns its replication set (not one imported with
 * `fromReplicationSetArn`; works across copies of this library). Internal.
 */
export function isDefinedSetup(x: unknown): x is IncidentManagerSetup {
  return x !== null && typeof x === 'object' && DEFINED_SETUP_SYMBOL in (x as object);
}

class ImportedSetup extends Construct implements IIncidentManagerSetup {
  public readonly regions: string[];

  constructor(scope: Construct, id: string, public readonly replicationSetArn: string, regions: string[]) {
    super(scope, id);
    Object.defineProperty(this, SETUP_SYMBOL, { value: true });
    const arnPattern = 'an Incident Manager replication set ARN (arn:aws:ssm-incidents::<account>:replication-set/<id>)';
    checkRequired(this, 'replicationSetArn', replicationSetArn, Checks.string({ pattern: REPLICATION_SET_ARN, patternText: arnPattern }),
      'Copy it from the Incident Manager console.');
    checkValue(this, 'regions', regions, Checks.arrayOf(Checks.string({ nonEmpty: true }), 'an array of region names'), 'Give [] when unknown.');
    if (regions.length > 0) validateRegions(this, regions, undefined);
    this.regions = [...regions];
  }
}

/** The replication set's regions: given (1-3 unique region names, including the stack's) or the stack's own. */
function validateRegions(scope: IConstruct, regions: string[] | undefined, stackRegion: string | undefined): string[] {
  if (regions === undefined) {
    if (stackRegion === undefined || Token.isUnresolved(stackRegion)) {
      fail(scope, "the stack's region is not known at synth (an environment-agnostic stack), and regions is not given: set " +
        "env: { region: 'eu-west-1' } on the stack, or pass regions: ['eu-west-1'].");
    }
    return [stackRegion];
  }
  if (regions.length === 0 || regions.length > MAX_REGIONS) {
    fail(scope, `regions has ${regions.length} entries (${regions.join(', ') || 'none'}); a replication set holds 1 to ${MAX_REGIONS} regions.`);
  }
  for (const [i, region] of regions.entries()) {
    if (Token.isUnresolved(region)) continue;
    if (!REGION_NAME.test(region)) fail(scope, `region '${region}' is not an AWS region name, e.g. 'eu-west-1'.`);
    if (regions.indexOf(region) !== i) fail(scope, `region '${region}' is listed twice in regions.`);
  }
  const concrete = stackRegion !== undefined && !Token.isUnresolved(stackRegion) && !regions.some((r) => Token.isUnresolved(r));
  if (concrete && !regions.includes(stackRegion)) {
    fail(scope, `regions (${regions.join(', ')}) does not include the stack's region '${stackRegion}', where the replication set is created: ` +
      'add it, or define the setup in a stack in one of these regions.');
  }
  return [...regions];
}

/** For each region, the key to encrypt with: the given key (one region), or its multi-Region replica. */
function kmsKeysByRegion(scope: IConstruct, keyArn: string | undefined, regions: string[]): ((region: string) => string) | undefined {
  if (keyArn === undefined) return undefined;
  if (Token.isUnresolved(keyArn)) {
    if (regions.length > 1) {
      fail(scope, `sseKmsKeyId is a token, but the replication set spans ${regions.length} regions: give the multi-Region key's ARN as a literal ` +
        '(arn:aws:kms:<region>:<account>:key/mrk-...) so each region can use its replica.');
    }
    return () => keyArn;
  }
  const match = KMS_KEY_ARN.exec(keyArn);
  if (!match) fail(scope, `sseKmsKeyId '${keyArn}' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); aliases are not accepted.`);
  if (regions.length === 1) return () => keyArn;
  if (!match[3].startsWith('mrk-')) {
    fail(scope, `sseKmsKeyId '${keyArn}' is a single-Region key, but the replication set spans ${regions.length} regions (${regions.join(', ')}): ` +
      "use a multi-Region key (key id 'mrk-...') replicated to each of them.");
  }
  return (region) => keyArn.replace(`:kms:${match[1]}:`, `:kms:${region}:`);
}
