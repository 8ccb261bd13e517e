import { Stack, Tags, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/**
 * The operational-readiness (ORR) tag keys, and how they are applied.
 *
 * These tags are the evidence the rule pack and the readiness review read from the template: every taggable
 * resource under a `Workload` carries `ops:workload`, `ops:owner`, `ops:oncall` and `ops:tier`; resources of a
 * service also carry `ops:service`; alarms carry `ops:runbook`.
 */
export class OpsTags {
  /** Tag key naming the workload (a product or bounded context owned by one team). */
  public static readonly WORKLOAD = 'ops:workload';
  /** Tag key naming the service inside the workload. */
  public static readonly SERVICE = 'ops:service';
  /** Tag key naming the owning team. */
  public static readonly OWNER = 'ops:owner';
  /** Tag key naming how to reach on-call. */
  public static readonly ONCALL = 'ops:oncall';
  /** Tag key naming the service tier (`critical`, `standard`, `best-effort`, or a custom tier). */
  public static readonly TIER = 'ops:tier';
  /** Tag key naming the runbook an alarm links to (URL or SSM document name). */
  public static readonly RUNBOOK = 'ops:runbook';
  /** Tag key naming the kind of fault a game day (FIS experiment template) injects. */
  public static readonly GAMEDAY = 'ops:gameday';

  /**
   * Resource types whose service rejects ':' in tag keys (SSM Contacts: `^[\\/a-zA-Z0-9_+=-]*$`): they cannot carry
   * `ops:*` tags, so `apply` skips them and the rule pack does not ask for them.
   */
  public static readonly NO_COLON_TAG_KEY_TYPES: string[] = ['AWS::SSMContacts::Contact', 'AWS::SSMContacts::Rotation'];

  /** Every tag key a workload sets on its resources, in a stable order. */
  public static readonly ALL_KEYS: string[] = [
    OpsTags.WORKLOAD,
    OpsTags.SERVICE,
    OpsTags.OWNER,
    OpsTags.ONCALL,
    OpsTags.TIER,
    OpsTags.RUNBOOK,
  ];

  /**
   * Tag every taggable resource under `scope` with `key=value`, after checking the value is a legal tag value.
   *
   * Throws at synth when the value is empty, longer than 256 characters, or holds characters CloudFormation
   * tags reject (anything but letters, digits, spaces and `+ - = . _ : / @`).
   */
  public static apply(scope: IConstruct, key: string, value: string): void {
    OpsTags.validate(scope, key, value, `tag ${key}`);
    Tags.of(scope).add(key, value, { excludeResourceTypes: OpsTags.NO_COLON_TAG_KEY_TYPES });
  }

  /**
   * Tag the alarms and composite alarms under `scope` with the runbook they link to (`ops:runbook`), after checking
   * the value. Call it on actionable alarms (those that notify, directly or through a composite): other resources
   * are not tagged, and SLO window alarms, which only feed composites, name their runbook in their description.
   */
  public static applyRunbook(scope: IConstruct, runbook: string): void {
    OpsTags.validate(scope, OpsTags.RUNBOOK, runbook, 'runbook');
    Tags.of(scope).add(OpsTags.RUNBOOK, runbook, { includeResourceTypes: ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'] });
  }

  /**
   * Check that `key=value` is a legal AWS tag, throwing an error that names `scope` (and `prop`, the setting the value
   * came from) otherwise. A key or value given as a token is checked at synth, once it resolves to a literal.
   *
   * @param prop the prop the value came from, named in the error
   * @default prop - the tag key
   */
  public static validate(scope: IConstruct, key: string, value: string, prop?: string): void {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
      scope.node.addValidation({
        validate: () => {
          const [k, v] = [Stack.of(scope).resolve(key), Stack.of(scope).resolve(value)];
          if (typeof k !== 'string' || typeof v !== 'string') return [];
          try {
            OpsTags.validate(scope, k, v, prop);
            return [];
          } catch (e) {
            return [(e as Error).message];
          }
        },
      });
      return;
    }
    const from = prop && prop !== `tag ${key}` ? ` (from ${prop})` : '';
    if (typeof value !== 'string') fail(scope, `Tag '${key}'${from} must be a string value, got ${typeof value}.`);
    const keyLength = [...key].length;
    if (keyLength === 0 || keyLength > MAX_TAG_KEY_LENGTH || !TAG_VALUE_PATTERN.test(key)) {
      fail(scope, `Tag key '${key}' is not a valid AWS tag key: use 1-${MAX_TAG_KEY_LENGTH} letters, digits, spaces or + - = . _ : / @.`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      fail(scope, `Tag key '${key}' uses the 'aws:' prefix, which AWS reserves for its own tags. Choose another prefix.`);
    }
    if (value.trim().length === 0) {
      fail(scope, `Tag '${key}'${from} has an empty value. Give it a non-empty value (letters, digits, spaces or + - = . _ : / @).`);
    }
    const valueLength = [...value].length;
    if (valueLength > MAX_TAG_VALUE_LENGTH) {
      fail(scope, `Tag '${key}'${from} value is ${valueLength} characters long ('${value.slice(0, 40)}...'); AWS tag values hold at most ${MAX_TAG_VALUE_LENGTH}. Shorten it.`);
    }
    if (!TAG_VALUE_PATTERN.test(value)) {
      const bad = [...new Set([...value].filter((c) => !TAG_VALUE_PATTERN.test(c)))].map((c) => `'${c}'`).join(', ');
      fail(scope, `Tag '${key}'${from} value '${value}' contains ${bad}, which AWS tag values do not allow (only letters, digits, spaces and + - = . _ : / @). ` +
        (key === OpsTags.RUNBOOK ? 'Use a path-style runbook URL without query string or fragment, or an SSM document name.' : 'Remove or replace those characters.'));
    }
  }

  private constructor() {}
}
