import { IResolvable, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/**
 * Keep a long string with embedded references compact in the template (internal). CDK renders such a string as an
 * `Fn::Join` whose every reference becomes a separate, indented array element; this renders it as one `Fn::Sub`
 * string instead (`${LogicalId}`, `${LogicalId.Arn}`, `${AWS::Region}`), which matters for dashboard bodies,
 * composite rules and alarm descriptions: it keeps a stack of 20 services well under CloudFormation's 1 MB.
 */
export function compactString(scope: IConstruct, value: string, transform?: (text: string) => string): string {
  if (!Token.isUnresolved(value)) return transform ? transform(value) : value;
  return Token.asString(Lazy.any({ produce: () => toSub(Stack.of(scope).resolve(value), transform) }));
}

/**
 * `transform` rewrites the text with references written `${...}`: it sees the final string CloudFormation receives,
 * minus the substitution.
 */
function toSub(resolved: unknown, transform?: (text: string) => string): unknown {
  if (typeof resolved === 'string') return transform ? transform(resolved) : resolved;
  if (!resolved || typeof resolved !== 'object' || !('Fn::Join' in (resolved as object))) return resolved;
  const [separator, parts] = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  if (separator !== '' || !Array.isArray(parts)) return resolved;
  const variables: Record<string, unknown> = {};
  let template = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      template += part.replace(/\$\{/g, '${!');
    } else if (isRef(part)) {
      template += `\${${part.Ref}}`;
    } else if (isGetAtt(part)) {
      template += `\${${part['Fn::GetAtt'][0]}.${part['Fn::GetAtt'][1]}}`;
    } else {
      const name = `v${Object.keys(variables).length}`;
      variables[name] = part;
      template += `\${${name}}`;
    }
  }
  const text = transform ? transform(template) : template;
  return Object.keys(variables).length === 0 ? { 'Fn::Sub': text } : { 'Fn::Sub': [text, variables] };
}

function isRef(x: unknown): x is { Ref: string } {
  return !!x && typeof x === 'object' && Object.keys(x).length === 1 && typeof (x as { Ref?: unknown }).Ref === 'string';
}

function isGetAtt(x: unknown): x is { 'Fn::GetAtt': [string, string] } {
  const v = x && typeof x === 'object' && Object.keys(x).length === 1 ? (x as Record<string, unknown>)['Fn::GetAtt'] : undefined;
  return Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'string');
}

/**
 * The same value with every empty-separator `Fn::Join` inside it rendered as `Fn::Sub` (internal); for structured
 * properties such as alarm metrics, whose dimension values (`<function>:live`) would otherwise each become a join.
 */
export function compactValue(scope: IConstruct, value: unknown): IResolvable {
  return Lazy.any({ produce: () => deepSub(Stack.of(scope).resolve(value)) });
}

function deepSub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepSub);
  if (value && typeof value === 'object') {
    const sub = toSub(value);
    if (sub !== value) return sub;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, deepSub(v)]));
  }
  return value;
}

/** Render an alarm's metric queries and dimensions with `Fn::Sub` instead of `Fn::Join` (internal). */
export function compactAlarm(alarm: cloudwatch.Alarm): void {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  if (cfn.metrics !== undefined) cfn.metrics = compactValue(alarm, cfn.metrics);
  if (cfn.dimensions !== undefined) cfn.dimensions = compactValue(alarm, cfn.dimensions);
}
