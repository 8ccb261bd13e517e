import * as fs from 'fs';
import * as path from 'path';
import { OperationalExcellenceChecks, OpsBestPractices } from '../../src';
import { rulesMarkdown } from '../../src/nag/rules-doc';

describe('RULES.md', () => {
  test('states how many of the 68 best practices have template evidence, by risk, and each practice\'s rules', () => {
    const doc = rulesMarkdown();
    const evidenced = OpsBestPractices.ALL.filter((p) => OperationalExcellenceChecks.RULES.some((r) => r.bestPractices.includes(p.id)));
    expect(evidenced.length).toBeGreaterThanOrEqual(30);
    expect(doc).toContain(`**${evidenced.length} of the 68 best practices have template evidence** (a rule checks them: 13 of 30 HIGH, ` +
      `17 of 31 MEDIUM, 2 of 7 LOW); the other ${68 - evidenced.length} need an attestation`);
    expect(evidenced.map((p) => p.id)).toEqual([
      'OPS02-BP01', 'OPS02-BP02', 'OPS02-BP03', 'OPS04-BP01', 'OPS04-BP02', 'OPS04-BP03', 'OPS04-BP04', 'OPS04-BP05',
      'OPS05-BP03', 'OPS05-BP04', 'OPS05-BP09', 'OPS06-BP01', 'OPS06-BP03', 'OPS06-BP04', 'OPS07-BP03', 'OPS07-BP04',
      'OPS08-BP01', 'OPS08-BP02', 'OPS08-BP04', 'OPS08-BP05', 'OPS09-BP01', 'OPS09-BP02', 'OPS09-BP03', 'OPS10-BP01',
      'OPS10-BP02', 'OPS10-BP03', 'OPS10-BP04', 'OPS10-BP06', 'OPS10-BP07', 'OPS11-BP05', 'OPS11-BP07', 'OPS11-BP09',
    ]);
    // Attestation-only practices say so.
    expect(doc).toContain('| [OPS10-BP05](https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_event_response_push_notify.html) ' +
      'Define a customer communication plan for service-impacting events | MEDIUM | attestation |');
  });

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
      'Create actionable alerts | HIGH | `OPS-AlarmAction`, `OPS-AlarmCoverage`, `OPS-DatabaseAlarms`, `OPS-DeadLetterQueue`, `OPS-AsyncFailureDestination` |');
    expect(doc).toContain('| `OPS-CriticalPaging` | ERROR (WARN on components) | HIGH |');
    expect(doc).toContain('| [OPS03-BP01](https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_org_culture_executive_sponsor.html) ' +
      'Provide executive sponsorship | HIGH | attestation |');
  });
});
