import { Annotations, CfnResource, IAspect, Stack, TagManager, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct, IValidation } from 'constructs';
import { fail } from './errors';
import { MAX_ALARM_NAME_LENGTH } from './naming';
import { checkStackSize, MAX_RESOURCES_PER_STACK, MAX_TEMPLATE_BYTES } from './stack-size';

/**
 * CloudWatch and CloudFormation limits this library validates at synth, in one place.
 *
 * Sources: CloudWatch PutMetricAlarm / PutCompositeAlarm API references and "CloudWatch service quotas";
 * CloudFormation "quotas"; AWS tagging "Tag naming limits and requirements".
 */
export class CloudWatchLimits {
  /** Longest alarm or dashboard name. */
  public static readonly MAX_NAME_LENGTH = MAX_ALARM_NAME_LENGTH;
  /** Most metrics one metric-math alarm may query. */
  public static readonly MAX_METRICS_PER_ALARM = 10;
  /** Most actions per alarm state. */
  public static readonly MAX_ACTIONS_PER_STATE = 5;
  /** Longest composite alarm rule, in characters. */
  public static readonly MAX_COMPOSITE_RULE_LENGTH = 10240;
  /** Most alarms one composite alarm rule may reference. */
  public static readonly MAX_ALARMS_PER_COMPOSITE = 100;
  /** Most composite alarms one alarm may be part of. */
  public static readonly MAX_COMPOSITES_PER_ALARM = 150;
  /** Longest evaluation range (period × evaluation periods) for periods under an hour, in seconds. */
  public static readonly MAX_RANGE_SHORT_PERIOD_SECONDS = 86400;
  /** Longest evaluation range for periods of an hour or more, in seconds. */
  public static readonly MAX_RANGE_LONG_PERIOD_SECONDS = 604800;
  /** Most widgets on one dashboard. */
  public static readonly MAX_DASHBOARD_WIDGETS = 500;
  /** Most metrics on one dashboard. */
  public static readonly MAX_DASHBOARD_METRICS = 2500;
  /** Most tags on one resource. */
  public static readonly MAX_TAGS_PER_RESOURCE = 50;
  /** Most resources in one CloudFormation stack. */
  public static readonly MAX_RESOURCES_PER_STACK = MAX_RESOURCES_PER_STACK;
  /** Largest CloudFormation template, in bytes ("Template may not exceed 1000000 bytes in size"). */
  public static readonly MAX_TEMPLATE_BYTES = MAX_TEMPLATE_BYTES;

  private constructor() {}
}

/**
 * The message for an alarm period / evaluation range that CloudWatch rejects, or undefined when valid.
 */
export function periodProblem(periodSeconds: number, evaluationPeriods: number): string | undefined {
  if (![10, 20, 30].includes(periodSeconds) && (periodSeconds <= 0 || periodSeconds % 60 !== 0)) {
    return `period ${periodSeconds} s is not allowed: CloudWatch accepts 10, 20, 30 or a multiple of 60 seconds`;
  }
  const range = periodSeconds * evaluationPeriods;
  if (periodSeconds < 3600 && range > CloudWatchLimits.MAX_RANGE_SHORT_PERIOD_SECONDS) {
    return `period ${periodSeconds} s × ${evaluationPeriods} evaluation periods = ${range} s exceeds the 1-day (86400 s) evaluation range allowed for periods under an hour`;
  }
  if (range > CloudWatchLimits.MAX_RANGE_LONG_PERIOD_SECONDS) {
    return `period ${periodSeconds} s × ${evaluationPeriods} evaluation periods = ${range} s exceeds the 7-day (604800 s) evaluation range`;
  }
  return undefined;
}

/** Throwing variant of `periodProblem`, for our own constructs. */
export function validatePeriod(scope: IConstruct | undefined, what: string, periodSeconds: number, evaluationPeriods: number): void {
  const problem = periodProblem(periodSeconds, evaluationPeriods);
  if (problem) fail(scope, `${what}: ${problem}.`);
}

/** Throw when a metric-math alarm would query more than 10 metrics. */
export function validateMetricCount(scope: IConstruct | undefined, what: string, count: number): void {
  if (count > CloudWatchLimits.MAX_METRICS_PER_ALARM) {
    fail(scope, `${what} queries ${count} metrics; a CloudWatch metric-math alarm allows at most ${CloudWatchLimits.MAX_METRICS_PER_ALARM}. ` +
      'Publish one pre-aggregated metric (for example with EMF) or split the SLI.');
  }
}

const ARN_PREFIX_LENGTH = 'arn:aws-us-gov:cloudwatch:ap-southeast-5:123456789012:alarm:'.length;

/** What the check collected in one stack: checked once per synth, after the aspects ran, by a validation on the stack. */
interface StackChecks {
  readonly composites: Set<cloudwatch.CfnCompositeAlarm>;
}
const perStack = new WeakMap<Stack, StackChecks>();

/** The stack's collection; the first call adds the validation that checks it (once per synth, in one walk of the stack). */
function stackChecks(stack: Stack): StackChecks {
  let entry = perStack.get(stack);
  if (!entry) {
    const created: StackChecks = { composites: new Set() };
    entry = created;
    perStack.set(stack, created);
    stack.node.addValidation(new StackLimitsValidation(stack, created));
  }
  return entry;
}

/** The once-per-stack part of the check (internal; a class so the benchmark can time it). */
export class StackLimitsValidation implements IValidation {
  constructor(private readonly stack: Stack, private readonly checks: StackChecks) {}

  public validate(): string[] {
    checkStackSize(this.stack);
    checkComposites(this.stack, [...this.checks.composites]);
    return [];
  }
}

/**
 * Checks every alarm, composite alarm and tagged resource under a scope against CloudWatch and tagging limits,
 * reporting each violation as a synth error on the offending construct. `Workload` adds it to its scope.
 *
 * Covers: alarm period and evaluation range, metrics per math alarm, name length, actions per state,
 * composite rule length and alarm count, composites per alarm, tags per resource, and the size of the stack
 * (a `cdk-operable:stack-size` warning past 80 % of 500 resources; aws-cdk-lib fails synth past 500). Per-node checks
 * run as the aspect visits; what needs the whole stack (composite references, alarm name lengths, resource count) runs
 * once per stack and synth, after every aspect, so the check stays linear in the size of the app.
 */
export class CloudWatchLimitsCheck implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof cloudwatch.CfnAlarm) this.checkAlarm(node);
    if (node instanceof cloudwatch.CfnCompositeAlarm) stackChecks(Stack.of(node)).composites.add(node);
    if (node instanceof CfnResource) stackChecks(Stack.of(node));
    if (node instanceof CfnResource && TagManager.isTaggable(node)) {
      // Stack tags are applied to every resource at deploy time, so they count against the resource's 50.
      const keys = new Set([...Object.keys(node.tags.tagValues()), ...Object.keys(Stack.of(node).tags.tagValues())]);
      if (keys.size > CloudWatchLimits.MAX_TAGS_PER_RESOURCE) {
        Annotations.of(node).addError(`Resource has ${keys.size} tags; AWS allows at most ${CloudWatchLimits.MAX_TAGS_PER_RESOURCE} per resource. Remove tags applied to this scope.`);
      }
    }
  }

  private checkAlarm(alarm: cloudwatch.CfnAlarm): void {
    const stack = Stack.of(alarm);
    const errors: string[] = [];
    const evaluationPeriods = stack.resolve(alarm.evaluationPeriods);
    const metrics = stack.resolve(alarm.metrics) as Array<{ metricStat?: { period?: unknown }; period?: unknown }> | undefined;
    const periods: unknown[] = [stack.resolve(alarm.period), ...(metrics ?? []).flatMap((m) => [m.metricStat?.period, m.period])];
    if (typeof evaluationPeriods === 'number') {
      for (const p of new Set(periods.filter((x): x is number => typeof x === 'number'))) {
        const problem = periodProblem(p, evaluationPeriods);
        if (problem) errors.push(`Alarm ${problem}.`);
      }
    }
    const statCount = (metrics ?? []).filter((m) => m.metricStat !== undefined).length;
    if (statCount > CloudWatchLimits.MAX_METRICS_PER_ALARM) {
      errors.push(`Alarm queries ${statCount} metrics; a metric-math alarm allows at most ${CloudWatchLimits.MAX_METRICS_PER_ALARM}.`);
    }
    errors.push(...commonProblems(stack, alarm.alarmName, [alarm.alarmActions, alarm.okActions, alarm.insufficientDataActions]));
    for (const e of errors) Annotations.of(alarm).addError(e);
  }
}

/** The composite checks of one stack, with the stack-wide facts they need computed once. */
function checkComposites(stack: Stack, composites: cloudwatch.CfnCompositeAlarm[]): void {
  if (composites.length === 0) return;
  const alarms = stackAlarms(stack);
  const lengths = alarmNameLengths(stack, alarms);
  const counts = compositeReferences(stack, alarms);
  const byLogicalId = new Map(alarms.map((a) => [stack.resolve(a.logicalId) as string, a]));
  for (const composite of composites) {
    const errors = commonProblems(stack, composite.alarmName, [composite.alarmActions, composite.okActions, composite.insufficientDataActions]);
    const rule = stack.resolve(composite.alarmRule);
    const length = estimateLength(lengths, rule);
    if (length > CloudWatchLimits.MAX_COMPOSITE_RULE_LENGTH) {
      errors.push(`Composite alarm rule is about ${length} characters once alarm ARNs are filled in; CloudWatch allows ${CloudWatchLimits.MAX_COMPOSITE_RULE_LENGTH}. Split it into nested composites.`);
    }
    const literal = literalText(rule);
    const references = (literal.match(/\b(ALARM|OK|INSUFFICIENT_DATA)\s*\(/g) ?? []).length;
    if (references > CloudWatchLimits.MAX_ALARMS_PER_COMPOSITE) {
      errors.push(`Composite alarm rule references ${references} alarms; CloudWatch allows ${CloudWatchLimits.MAX_ALARMS_PER_COMPOSITE}. Split it into nested composites.`);
    }
    // Each over-referenced alarm is reported once, from the first composite (in tree order) that references it.
    for (const id of new Set(referencedLogicalIds(rule))) {
      const entry = counts.get(id);
      if (entry && entry.count > CloudWatchLimits.MAX_COMPOSITES_PER_ALARM && entry.first === composite) {
        Annotations.of(byLogicalId.get(id) ?? composite).addError(`Alarm is referenced by ${entry.count} composite alarms; CloudWatch allows ${CloudWatchLimits.MAX_COMPOSITES_PER_ALARM}. Reference a shared intermediate composite instead.`);
      }
    }
    for (const e of errors) Annotations.of(composite).addError(e);
  }
}

function commonProblems(stack: Stack, name: unknown, actionLists: unknown[]): string[] {
  const errors: string[] = [];
  const resolvedName = stack.resolve(name);
  if (typeof resolvedName === 'string' && resolvedName.length > CloudWatchLimits.MAX_NAME_LENGTH) {
    errors.push(`Alarm name is ${resolvedName.length} characters; CloudWatch allows ${CloudWatchLimits.MAX_NAME_LENGTH}.`);
  }
  const states = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];
  actionLists.forEach((list, i) => {
    const resolved = stack.resolve(list);
    if (Array.isArray(resolved) && resolved.length > CloudWatchLimits.MAX_ACTIONS_PER_STATE) {
      errors.push(`Alarm has ${resolved.length} ${states[i]} actions; CloudWatch allows ${CloudWatchLimits.MAX_ACTIONS_PER_STATE} per state. Fan out through one SNS topic.`);
    }
  });
  return errors;
}

/** Conservative length of a resolved CloudFormation value once deployed. */
function estimateLength(lengths: Map<string, number>, value: unknown): number {
  if (typeof value === 'string') return Token.isUnresolved(value) ? 64 : value.length;
  if (typeof value === 'number') return String(value).length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + estimateLength(lengths, v), 0);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.reduce((n: number, p) => n + estimateLength(lengths, p), 0) + sep.length * Math.max(0, parts.length - 1);
    }
    if ('Fn::GetAtt' in obj) {
      const [id] = obj['Fn::GetAtt'] as [string, string];
      return ARN_PREFIX_LENGTH + (lengths.get(id) ?? CloudWatchLimits.MAX_NAME_LENGTH);
    }
    if ('Ref' in obj) {
      const ref = obj.Ref as string;
      if (ref === 'AWS::Region') return 14;
      if (ref === 'AWS::AccountId') return 12;
      if (ref === 'AWS::Partition') return 10;
      return lengths.get(ref) ?? CloudWatchLimits.MAX_NAME_LENGTH;
    }
  }
  return 64;
}

/** Alarms and composites of one stack (not of nested stacks), in tree order. */
function stackAlarms(stack: Stack): Array<cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm> {
  return stack.node.findAll().filter((c): c is cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm =>
    (c instanceof cloudwatch.CfnAlarm || c instanceof cloudwatch.CfnCompositeAlarm) && Stack.of(c) === stack);
}

/** Logical id → deployed name length of every alarm and composite of the stack. */
function alarmNameLengths(stack: Stack, alarms: ReturnType<typeof stackAlarms>): Map<string, number> {
  return new Map(alarms.map((c) => {
    const id = stack.resolve(c.logicalId) as string;
    const name = stack.resolve(c.alarmName);
    // CloudFormation-generated names are `<stack>-<logicalId>-<13 characters>`.
    return [id, typeof name === 'string' ? name.length : stack.stackName.length + id.length + 15];
  }));
}

/** For each alarm logical id, how many composites of the stack reference it, and the first one that does. */
function compositeReferences(stack: Stack, alarms: ReturnType<typeof stackAlarms>): Map<string, { count: number; first: IConstruct }> {
  const counts = new Map<string, { count: number; first: IConstruct }>();
  for (const c of alarms) {
    if (!(c instanceof cloudwatch.CfnCompositeAlarm)) continue;
    for (const id of new Set(referencedLogicalIds(stack.resolve(c.alarmRule)))) {
      const entry = counts.get(id) ?? { count: 0, first: c };
      entry.count += 1;
      counts.set(id, entry);
    }
  }
  return counts;
}

function literalText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Fn::Join' in (value as object)) {
    const [, parts] = (value as Record<string, [string, unknown[]]>)['Fn::Join'];
    return parts.map(literalText).join('');
  }
  return '';
}

function referencedLogicalIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedLogicalIds);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('Fn::GetAtt' in obj) return [(obj['Fn::GetAtt'] as string[])[0]];
    if ('Ref' in obj && typeof obj.Ref === 'string' && !obj.Ref.startsWith('AWS::')) return [obj.Ref];
    return Object.values(obj).flatMap(referencedLogicalIds);
  }
  return [];
}
