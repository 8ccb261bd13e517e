import * as fs from 'fs';
import * as path from 'path';
import { OperationalExcellenceChecks } from '../../src';
import { rulesMarkdown } from '../../src/nag/rules-doc';

describe('RULES.md', () => {
  test('is generated from the rule metadata and the catalogue (run `npx projen rules-doc` when this fails)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    expect(committed).toEqual(rulesMarkdown());
  });

  test('lists every rule once, with its level, risk and best practices', () => {
    const doc = rulesMarkdown();
    for (const rule of OperationalExcellenceChecks.RULES) {
      const row = doc.split('\n').filter((l) => l.startsWith(`| \`${rule.id}\` |`));
      expect(row).toHaveLength(1);
      expect(row[0]).toContain(`| ${rule.risk} |`);
      for (const bp of rule.bestPractices) expect(row[0]).toContain(`[${bp}](`);
    }
    expect(doc).toContain('| [OPS08-BP04](https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_workload_observability_create_alerts.html) ' +
      'Create actionable alerts | HIGH | `OPS-AlarmAction`, `OPS-AlarmCoverage`, `OPS-DeadLetterQueue`, `OPS-AsyncFailureDestination` |');
    expect(doc).toContain('| [OPS03-BP01](https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_org_culture_executive_sponsor.html) ' +
      'Provide executive sponsorship | HIGH | attestation |');
  });
});
