import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

/** A resource of a synthesized template. */
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** A synthesized template as JSON. */
export interface TemplateJson {
  readonly Resources?: Record<string, Resource>;
}

/** A dashboard widget as CloudWatch reads it. */
export interface Widget {
  readonly type: string;
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly view?: string;
    readonly query?: string;
    readonly alarms?: string[];
    readonly metrics?: unknown[][];
  };
}

/** The template of a stack as JSON. */
export function templateOf(stack: Stack): TemplateJson {
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

/** [logicalId, resource] of every resource of a type, in template order. */
export function resourcesOf(template: TemplateJson, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

/** Properties of the alarm (metric or composite) with this name. */
export function alarmNamed(template: TemplateJson, name: string): Record<string, unknown> {
  const found = Object.values(template.Resources ?? {}).find((r) => r.Properties?.AlarmName === name);
  if (!found) throw new Error(`no alarm named ${name}`);
  return found.Properties!;
}

/** Names of every metric alarm and composite alarm, in template order. */
export function alarmNames(template: TemplateJson, type = 'AWS::CloudWatch::Alarm'): string[] {
  return resourcesOf(template, type).map(([, r]) => r.Properties!.AlarmName as string);
}

/** Logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export function logicalId(construct: IConstruct): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** `${LogicalId.Arn}`, as an alarm ARN appears inside an `Fn::Sub` string. */
export function arnRef(construct: IConstruct): string {
  return `\${${logicalId(construct)}.Arn}`;
}

/** The text of an `Fn::Sub` (plain or with variables) or of a plain string. */
export function subText(value: unknown): string {
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  throw new Error(`not an Fn::Sub or a string: ${JSON.stringify(value)}`);
}

/** The widgets of the dashboard with this name. */
export function dashboardNamed(template: TemplateJson, name: string): { start?: string; widgets: Widget[] } {
  const found = resourcesOf(template, 'AWS::CloudWatch::Dashboard').find(([, r]) => r.Properties?.DashboardName === name);
  if (!found) throw new Error(`no dashboard named ${name}`);
  return JSON.parse(subText(found[1].Properties!.DashboardBody)) as { start?: string; widgets: Widget[] };
}

/** The rule of a composite alarm as text. */
export function ruleOf(template: TemplateJson, name: string): string {
  return subText(alarmNamed(template, name).AlarmRule);
}
