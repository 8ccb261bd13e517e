import { App, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OperationalExcellenceChecks } from '../../../src';

/** Shared helpers of the rule tests of the organization, alarms and observability areas (not a test file itself). */

/** One violation of one resource: the rule name as reported (`OPS-Rule` or `OPS-Rule[finding]`) and the construct path. */
export interface Finding {
  readonly ruleName: string;
  readonly constructPath: string;
}

/** The report of one run of the pack over an app, queried by rule id. */
export class Findings {
  constructor(public readonly report: PolicyValidationPluginReport) {
    const broken = report.violations.filter((v) => v.description.startsWith('Rule threw an error'));
    if (broken.length > 0) {
      throw new Error(`rules threw: ${broken.map((v) => `${v.ruleName} on ${v.violatingResources.map((r) => r.constructPath).join(', ')}`).join('; ')}`);
    }
  }

  /** The violations of a rule (`OPS-Rule`, its granular `OPS-Rule[finding]` ones included), in report order. */
  public of(ruleId: string): Finding[] {
    return this.report.violations
      .filter((v) => v.ruleName === ruleId || v.ruleName.startsWith(`${ruleId}[`))
      .flatMap((v) => v.violatingResources.map((r) => ({ ruleName: v.ruleName, constructPath: r.constructPath! })));
  }

  /** The construct paths a rule reports, sorted. */
  public paths(ruleId: string): string[] {
    return this.of(ruleId).map((f) => f.constructPath).sort();
  }
}

/** Synthesize the app (so Tags and other aspects run) and check it with the pack, without registering it as a plugin. */
export function check(app: App): Findings {
  app.synth();
  return new Findings(new OperationalExcellenceChecks().validateScope(app));
}

/** The violations of one rule in the app: `{ ruleName, constructPath }` of each. */
export function findings(app: App, ruleId: string): Finding[] {
  return check(app).of(ruleId);
}

/** A fresh app and a stack `Test` in it (fixed account and region). */
export function newStack(id = 'Test', app: App = new App()): { app: App; stack: Stack } {
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

/** Props of a small inline Node.js function, plus `extra`. */
export function fnProps(extra: Partial<lambda.FunctionProps> = {}): lambda.FunctionProps {
  return {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...extra,
  };
}
