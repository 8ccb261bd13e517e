import * as fs from 'fs';
import * as path from 'path';
import { OpsBestPractices, OpsRisk } from './best-practices';
import { OperationalExcellenceChecks } from './pack';
import { PLUGIN_NAME, RULE_PREFIX, levelName } from './rule';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** RULES.md: the rules of the pack and the best practices they cover, generated from the rule metadata and the catalogue. */
export function rulesMarkdown(): string {
  const rules = OperationalExcellenceChecks.RULES;
  const bp = (id: string) => `[${id}](${OpsBestPractices.of(id).url})`;
  const all = OpsBestPractices.ALL;
  const evidenced = all.filter((p) => rules.some((r) => r.bestPractices.includes(p.id)));
  const risks = [OpsRisk.HIGH, OpsRisk.MEDIUM, OpsRisk.LOW];
  const out: string[] = [
    '# OperationalExcellenceChecks rules',
    '',
    '<!-- Generated from src/nag (rule metadata) and src/nag/best-practices.ts by `npx projen rules-doc`; test/nag/rules-doc.test.ts fails when stale. -->',
    '',
    `Plugin name \`${PLUGIN_NAME}\`, rule ids \`${RULE_PREFIX}-<Rule>\`, ${rules.length} rules, Well-Architected Operational Excellence ` +
      `pillar as of ${OpsBestPractices.FRAMEWORK_VERSION}. Register: \`Validations.of(app).addPlugins(new OperationalExcellenceChecks(app))\`. ` +
      `Acknowledge: \`Validations.of(construct).acknowledge({ id: '${PLUGIN_NAME}::${RULE_PREFIX}-<Rule>', reason })\` ` +
      `(a granular finding: \`'${PLUGIN_NAME}::${RULE_PREFIX}-<Rule>[<finding>]'\`). ERROR findings fail synth; WARN and INFO do not. ` +
      'Risk is the highest risk the framework states for the rule\'s best practices.',
    '',
    '| Rule | Level | Risk | Best practices | Finds | Fix |',
    '|---|---|---|---|---|---|',
    ...rules.map((r) => `| \`${r.id}\` | ${levelName(r.level)}${r.levelNote ? ` (${r.levelNote})` : ''} | ${r.risk} | ${r.bestPractices.map(bp).join(', ')} | ${cell(r.info)} | ${cell(r.fix)} |`),
    '',
    '## Coverage of the Operational Excellence best practices',
    '',
    `**${evidenced.length} of the ${all.length} best practices have template evidence** (a rule checks them: ` +
      `${risks.map((risk) => `${evidenced.filter((p) => p.risk === risk).length} of ${all.filter((p) => p.risk === risk).length} ${risk}`).join(', ')}); ` +
      `the other ${all.length - evidenced.length} need an attestation in the readiness review (see docs/readiness-review.md, "Attestations"). ` +
      'Where a rule applies, its findings decide whether the practice is met: a failing check cannot be attested away.',
    '',
  ];
  for (const q of OpsBestPractices.QUESTIONS) {
    out.push(`### ${q.id} ${q.title} (${q.area})`, '', '| Best practice | Risk | Evidence |', '|---|---|---|');
    for (const p of OpsBestPractices.ofQuestion(q.id)) {
      const checking = rules.filter((r) => r.bestPractices.includes(p.id)).map((r) => `\`${r.id}\``);
      out.push(`| ${bp(p.id)} ${cell(p.title)} | ${p.risk} | ${checking.length > 0 ? checking.join(', ') : 'attestation'} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Write RULES.md at the repository root (`npx projen rules-doc`). */
export function writeRulesDoc(root: string = path.join(__dirname, '..', '..')): string {
  const file = path.join(root, 'RULES.md');
  fs.writeFileSync(file, rulesMarkdown());
  return file;
}
