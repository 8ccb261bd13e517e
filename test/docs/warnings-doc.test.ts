import * as fs from 'fs';
import * as path from 'path';
import { warningsMarkdown } from '../../projenrc/warnings-doc';
import { Warnings } from '../../src/core/errors';

describe('docs/warnings.md', () => {
  const doc = warningsMarkdown();

  test('is generated from the warning registry (stale: run `npx projen warnings-doc` and commit docs/warnings.md)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'warnings.md'), 'utf8');
    if (committed !== doc) {
      throw new Error('docs/warnings.md is stale: it no longer matches `Warnings` in src/core/errors.ts. Regenerate it with ' +
        '`npx projen warnings-doc` and commit the result.');
    }
  });

  test('lists every registered warning once, with its meaning, and says how to acknowledge one', () => {
    for (const w of Object.values(Warnings)) {
      const rows = doc.split('\n').filter((l) => l.startsWith(`| \`${w.id}\` |`));
      expect(rows).toEqual([`| \`${w.id}\` | ${w.meaning.replace(/\|/g, '\\|')} |`]);
    }
    expect(doc).toContain(`${Object.keys(Warnings).length} warnings:`);
    expect(doc).toContain("Annotations.of(scope).acknowledgeWarning('cdk-operable:");
  });
});
