import { App, Stack } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { OperationalExcellenceChecks, OperationalExcellenceChecksProps } from '../../../src/nag';

/** Shared helpers of the deployment, resilience and runbooks rule tests (not a test file itself). */

/** One violating resource of one finding. */
export interface Finding {
  readonly ruleName: string;
  readonly constructPath: string;
}

/** What one rule said about one resource it applies to (not-applicable resources are left out). */
export interface Evaluation {
  readonly constructPath: string;
  readonly result: NagRuleResult | 'ERROR';
}

/** A fresh app and a stack `Test` (account 123456789012, us-east-1). */
export function appAndStack(id = 'Test'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

/**
 * Synthesize the app (so tags and other aspects run) and check it with the pack. Returns, for the rule `ruleId`,
 * every violating resource (plain `ruleId` and granular `ruleId[finding]` violations, sorted by rule name then path)
 * and every resource the rule applied to with its result.
 */
export function checkRule(app: App, ruleId: string, props: OperationalExcellenceChecksProps = {}): { violations: Finding[]; results: Evaluation[] } {
  app.synth();
  const pack = new OperationalExcellenceChecks(undefined, props);
  const report = pack.validateScope(app);
  const violations = report.violations
    .filter((v) => v.ruleName === ruleId || v.ruleName.startsWith(`${ruleId}[`))
    .flatMap((v) => v.violatingResources.map((r) => ({ ruleName: v.ruleName, constructPath: r.constructPath ?? '' })))
    .sort((a, b) => a.ruleName.localeCompare(b.ruleName) || a.constructPath.localeCompare(b.constructPath));
  const results = pack._evaluations()
    .filter((e) => e.rule.id === ruleId)
    .map((e) => ({ constructPath: e.node.node.path, result: e.result }))
    .sort((a, b) => a.constructPath.localeCompare(b.constructPath));
  return { violations, results };
}

/** The violations of the rule `ruleId` (see `checkRule`). */
export function violationsOf(app: App, ruleId: string, props: OperationalExcellenceChecksProps = {}): Finding[] {
  return checkRule(app, ruleId, props).violations;
}

/** The results of the rule `ruleId` on the resources it applies to (see `checkRule`). */
export function resultsOf(app: App, ruleId: string): Evaluation[] {
  return checkRule(app, ruleId).results;
}
