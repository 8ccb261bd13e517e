import { AppIndex, RenderedResource, literals, referencedIds, str } from './evidence';

/**
 * What the template says about EventBridge rules (internal): their targets, which targets start an SSM Automation,
 * which copy events into a log group, and the log groups that receive events of an AWS source. Read by the automated-
 * response, dead-letter and operations-metrics rules.
 */

/** One target of an `AWS::Events::Rule` as written in the template. */
export interface EventTarget {
  readonly Id?: unknown;
  readonly Arn?: unknown;
  readonly RoleArn?: unknown;
  readonly DeadLetterConfig?: { readonly Arn?: unknown };
}

/** The targets of an EventBridge rule. */
export function targetsOf(rule: RenderedResource): EventTarget[] {
  const targets = rule.properties.Targets;
  return Array.isArray(targets) ? targets.filter((t) => t && typeof t === 'object') as EventTarget[] : [];
}

/**
 * The Automation document a target starts: the `<name>` of an `arn:…:ssm:<region>:<account>:automation-definition/<name>:<version>`
 * target ARN, as EventBridge starts SSM Automation.
 */
export function automationDocumentOf(target: EventTarget): string | undefined {
  return /:automation-definition\/([^:/]+)/.exec(literals(target.Arn).join(''))?.[1];
}

/** Whether a target writes events into a CloudWatch Logs log group. */
export function isLogGroupTarget(target: EventTarget): boolean {
  return /:logs:[^:]*:[^:]*:log-group:/.test(literals(target.Arn).join(''));
}

/** The `source` values of a rule's event pattern (`aws.codedeploy`, ...); empty for a scheduled rule. */
export function eventSources(rule: RenderedResource): string[] {
  const pattern = rule.properties.EventPattern as { source?: unknown } | undefined;
  return Array.isArray(pattern?.source) ? pattern.source.filter((s): s is string => typeof s === 'string') : [];
}

/** Whether the rule is disabled (`State: DISABLED`). */
export function isDisabled(rule: RenderedResource): boolean {
  return rule.properties.State === 'DISABLED';
}

const key = (r: RenderedResource, id: string) => `${r.stack.node.path}\u0000${id}`;

/** The log groups of the app by literal name, and by stack and logical id (built once). */
function logGroups(index: AppIndex): { byName: Map<string, RenderedResource>; byId: Map<string, RenderedResource> } {
  return index.memo('event-log-groups', () => {
    const byName = new Map<string, RenderedResource>();
    const byId = new Map<string, RenderedResource>();
    for (const g of index.ofType('AWS::Logs::LogGroup')) {
      const name = str(g.properties.LogGroupName);
      if (name !== undefined) byName.set(name, g);
      byId.set(key(g, g.logicalId), g);
    }
    return { byName, byId };
  });
}

/**
 * The log group of the app a value names: by reference in the same stack (`Ref`, `Fn::GetAtt`, `${Id}`), or by a
 * literal name, plain or after `log-group:` in an ARN.
 */
export function logGroupNamedBy(index: AppIndex, from: RenderedResource, value: unknown): RenderedResource | undefined {
  const { byName, byId } = logGroups(index);
  for (const id of referencedIds(value)) {
    const group = byId.get(key(from, id));
    if (group) return group;
  }
  const text = literals(value).join('');
  const name = /log-group:([^:*]+)/.exec(text)?.[1] ?? text;
  return byName.get(name);
}

/** For each AWS event source (`aws.codedeploy`, `aws.ecs`, ...), the log groups that enabled rules of the app copy its events into. */
export function logGroupsReceiving(index: AppIndex): Map<string, RenderedResource[]> {
  return index.memo('event-log-groups-by-source', () => {
    const out = new Map<string, RenderedResource[]>();
    for (const rule of index.ofType('AWS::Events::Rule')) {
      if (isDisabled(rule)) continue;
      const groups = targetsOf(rule).filter(isLogGroupTarget).map((t) => logGroupNamedBy(index, rule, t.Arn))
        .filter((g): g is RenderedResource => g !== undefined);
      for (const source of eventSources(rule)) {
        for (const g of groups) out.set(source, [...(out.get(source) ?? []).filter((x) => x !== g), g]);
      }
    }
    return out;
  });
}
