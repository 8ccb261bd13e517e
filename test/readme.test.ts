import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import * as operable from '../src';

/** The first ```ts block under a README heading. */
function snippetUnder(heading: string): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error(`no ts block under ${heading}`);
  return match[1];
}

/** Run a README snippet as written, with `cdk-operable` resolved to this package's source; return its `stack`. */
function runSnippet(code: string): Stack {
  const js = ts.transpileModule(`${code}\nexports.__stack = stack;`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
  const exported: { __stack?: Stack } = {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the snippet's own imports, resolved as written
  const load = (id: string) => (id === 'cdk-operable' ? operable : require(id));
  new Function('require', 'exports', js.outputText)(load, exported);
  return exported.__stack!;
}

describe('README quick start', () => {
  const stack = runSnippet(snippetUnder('## Quick start'));
  const template = Template.fromStack(stack);

  test('creates six window alarms and two composites, US$ 2.20 a month, as the README says', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    expect(operable.CloudWatchPricing.estimateMonthlyUsd(stack)).toBeCloseTo(2.2, 6);
  });

  test('tags every alarm with the ORR tags the README lists', () => {
    const tags = [
      { Key: 'ops:workload', Value: 'freight' },
      { Key: 'ops:owner', Value: 'pricing' },
      { Key: 'ops:oncall', Value: 'pricing-oncall@example.com' },
      { Key: 'ops:tier', Value: 'critical' },
      { Key: 'ops:service', Value: 'quotes' },
      { Key: 'ops:runbook', Value: 'https://runbooks.example.com/freight/quotes/quote-success' },
    ];
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.Properties.Tags).toEqual(expect.arrayContaining(tags));
      }
    }
  });
});
