import { App, Stack, Tags } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { OperationalExcellenceChecks } from '../../../src/nag';

/** Shared helper of the rule tests that synthesize one app per file and query it many times (not a test file itself). */

/** One violating resource: the rule name as reported (`OPS-Rule` or `OPS-Rule[finding]`), its path and severity. */
export interface Violation {
  readonly ruleName: string;
  readonly path: string;
  readonly severity: string;
}

/** The pack's results on one synthesized app, computed once. */
export class Evaluated {
  /** Synthesize the app (so tags and other aspects run) and check it once with the pack. */
  public static of(app: App): Evaluated {
    app.synth();
    const pack = new OperationalExcellenceChecks();
    const report = pack.validateScope(app);
    const broken = pack._evaluations().filter((e) => e.result === 'ERROR');
    if (broken.length > 0) {
      throw new Error(`rules threw: ${broken.map((e) => `${e.rule.id} on ${e.node.node.path}: ${e.error}`).join('; ')}`);
    }
    const violations = report.violations.flatMap((v) => v.violatingResources.map((r) => ({
      ruleName: v.ruleName, path: r.constructPath ?? '', severity: v.severity ?? '',
    })));
    const results = pack._evaluations().map((e) => ({ ruleId: e.rule.id, path: e.node.node.path, result: e.result }));
    return new Evaluated(violations, results);
  }

  private constructor(
    private readonly allViolations: Violation[],
    private readonly allResults: Array<{ ruleId: string; path: string; result: NagRuleResult | 'ERROR' }>) {}

  /** The violations of a rule (granular ones included), sorted by path then rule name; `under` keeps those under a path. */
  public violations(ruleId: string, under = ''): Violation[] {
    return this.allViolations
      .filter((v) => (v.ruleName === ruleId || v.ruleName.startsWith(`${ruleId}[`)) && v.path.startsWith(under))
      .sort((a, b) => a.path.localeCompare(b.path) || a.ruleName.localeCompare(b.ruleName));
  }

  /** `path → result` of every resource the rule applied to (not-applicable ones left out) under a path. */
  public results(ruleId: string, under = ''): Record<string, NagRuleResult | 'ERROR'> {
    const out: Record<string, NagRuleResult | 'ERROR'> = {};
    for (const r of this.allResults.filter((x) => x.ruleId === ruleId && x.path.startsWith(under)).sort((a, b) => a.path.localeCompare(b.path))) {
      out[r.path] = r.result;
    }
    return out;
  }
}

/** A stack of `app` (account 123456789012, us-east-1) whose resources carry the ownership tags and a tier. */
export function ownedStack(app: App, id: string, tier = 'standard'): Stack {
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  Tags.of(stack).add('ops:workload', 'freight');
  Tags.of(stack).add('ops:owner', 'pricing');
  Tags.of(stack).add('ops:oncall', 'pricing-oncall@example.com');
  Tags.of(stack).add('ops:tier', tier);
  return stack;
}
