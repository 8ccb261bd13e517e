import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { fastIncludeAvailable, includeTemplate } from '../../src/orr/template-include';

describe('includeTemplate (replay without the YAML parser)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'include-'));
  const file = path.join(dir, 'Stack.template.json');
  const template = {
    Parameters: { Env: { Type: 'String', Default: 'prod' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'ops:owner', Value: 'pricing' }] } },
      Alarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Condition: 'IsProd',
        Properties: {
          AlarmDescription: { 'Fn::Join': ['', ['Queue ', { 'Fn::GetAtt': ['Queue', 'QueueName'] }, ' backlog. Runbook: https://r/${x}']] },
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          Threshold: 1,
          MetricName: 'M',
          Namespace: 'N',
          Period: 60,
          Statistic: 'Sum',
        },
      },
    },
    Outputs: { QueueUrl: { Value: { Ref: 'Queue' } } },
  };
  fs.writeFileSync(file, JSON.stringify(template));

  test('the fast path is available with this aws-cdk-lib (a test, so an upgrade that moves file-utils is noticed)', () => {
    expect(fastIncludeAvailable()).toBe(true);
  });

  test('renders the same template as CfnInclude with its YAML reader, and leaves the reader as it was', () => {
    const viaCdk = new Stack(new App(), 'A');
    new CfnInclude(viaCdk, 'Template', { templateFile: file });
    const fast = new Stack(new App(), 'A');
    includeTemplate(fast, 'Template', file, JSON.parse(fs.readFileSync(file, 'utf8')) as object);
    const render = (s: Stack) => (s.node.root as App).synth().getStackByName(s.stackName).template;
    expect(render(fast)).toEqual(render(viaCdk));
    expect(render(fast).Resources.Alarm.Properties.AlarmDescription).toEqual(template.Resources.Alarm.Properties.AlarmDescription);
    // the swap lasts one include: another file is read by CfnInclude's own reader again
    const other = path.join(dir, 'Other.template.json');
    fs.writeFileSync(other, JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
    const later = new Stack(new App(), 'B');
    new CfnInclude(later, 'Template', { templateFile: other });
    expect(render(later).Resources).toEqual({ Topic: { Type: 'AWS::SNS::Topic' } });
  });

  test('the document given is what is included, not a re-read of the file', () => {
    const stack = new Stack(new App(), 'C');
    const include = includeTemplate(stack, 'Template', file, { Resources: { Only: { Type: 'AWS::SNS::Topic' } } });
    expect(include.getResource('Only').cfnResourceType).toBe('AWS::SNS::Topic');
    expect(() => include.getResource('Queue')).toThrow(/Resource with logical ID 'Queue' was not found/);
  });
});
