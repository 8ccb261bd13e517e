import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { OperableFunction, OperableFunctionProps, Workload, WorkloadProps } from '../../src';
import { freight, resourcesOf, testStack } from '../support/fixtures';

/** Shared helpers of the OperableFunction tests (not a test file itself). */

export type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Resources = Array<[string, Resource]>;
export type Dimension = { Name: string; Value: unknown };
export type MetricQuery = {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Dimension[] }; Period: number; Stat: string };
};

export const HANDLER_CODE = 'exports.handler = async () => ({ statusCode: 200 });';
export const RUNBOOK = 'https://runbooks.example.com/freight/quotes';
export const DASHBOARD_URL = 'https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-quotes';

/** Minimal function props: a small inline Node.js 22 handler. */
export function functionProps(extra: Partial<lambda.FunctionProps> = {}): lambda.FunctionProps {
  return {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(HANDLER_CODE),
    ...extra,
  };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** Everything a test needs about one synthesized stack. */
export interface Synthesized {
  readonly stack: Stack;
  readonly workload: Workload;
  readonly pages: sns.Topic;
  readonly tickets: sns.Topic;
  readonly template: Template;
  readonly resources: Record<string, Resource>;
  /** Resources of a type. */
  of(type: string): Resources;
  /** Properties of the metric or composite alarm with this AlarmName. */
  alarm(name: string): Record<string, unknown>;
  /** AlarmNames of the metric alarms, in template order. */
  alarmNames(): string[];
}

export function synthesized(stack: Stack, workload: Workload, pages: sns.Topic, tickets: sns.Topic): Synthesized {
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Record<string, Resource> };
  const of = (type: string) => resourcesOf(json, type) as Resources;
  return {
    stack,
    workload,
    pages,
    tickets,
    template,
    resources: json.Resources,
    of,
    alarm: (name: string) => {
      const found = [...of('AWS::CloudWatch::Alarm'), ...of('AWS::CloudWatch::CompositeAlarm')]
        .find(([, r]) => r.Properties?.AlarmName === name);
      if (!found) throw new Error(`no alarm named ${name}`);
      return found[1].Properties!;
    },
    alarmNames: () => of('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties!.AlarmName as string),
  };
}

/**
 * A stack with the freight workload and one OperableFunction 'Quotes' (service 'quotes'). `props` may be a function of
 * the stack, to build existing functions, topics or queues first.
 */
export function setup(
  props: Partial<OperableFunctionProps> | ((stack: Stack) => Partial<OperableFunctionProps>) = {},
  workloadProps: Partial<WorkloadProps> = {},
): Synthesized & { fn: OperableFunction } {
  const { stack } = testStack();
  const { workload, pages, tickets } = freight(stack, workloadProps);
  const given = typeof props === 'function' ? props(stack) : props;
  const fn = new OperableFunction(workload, 'Quotes', {
    ...(given.existingFunction ? {} : { functionProps: functionProps() }),
    ...given,
  } as OperableFunctionProps);
  return { ...synthesized(stack, workload, pages, tickets), fn };
}

/** The metric queries of an alarm. */
export function metricsOf(alarm: Record<string, unknown>): MetricQuery[] {
  return alarm.Metrics as MetricQuery[];
}

/** Dimensions of a Lambda metric on the `live` alias of the function with this logical id (as rendered in alarms). */
export function aliasDimensions(functionId: string, alias = 'live'): Dimension[] {
  return [
    { Name: 'FunctionName', Value: { Ref: functionId } },
    { Name: 'Resource', Value: { 'Fn::Sub': `\${${functionId}}:${alias}` } },
  ];
}

/** The ORR tags of the quotes service of freight (CloudFormation sorts tags by key). */
export const ORR_TAGS = [
  { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
  { Key: 'ops:owner', Value: 'pricing' },
  { Key: 'ops:service', Value: 'quotes' },
  { Key: 'ops:tier', Value: 'standard' },
  { Key: 'ops:workload', Value: 'freight' },
];

/** The ORR tags plus `ops:runbook`, in CloudFormation's key order. */
export function orrTagsWithRunbook(runbook = RUNBOOK): Array<{ Key: string; Value: string }> {
  return [...ORR_TAGS.slice(0, 2), { Key: 'ops:runbook', Value: runbook }, ...ORR_TAGS.slice(2)];
}

/** The window alarm names of an SLO of the quotes service under BurnRatePolicy.SRE_WORKBOOK, in creation order. */
export function windowAlarmNames(slo: string, service = 'quotes'): string[] {
  return ['burn14.4x-1h', 'burn14.4x-5m', 'burn6x-6h', 'burn6x-30m', 'burn1x-3d', 'burn1x-6h'].map((w) => `freight-${service}-${slo}-${w}`);
}
