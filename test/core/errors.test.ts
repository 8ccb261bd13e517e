import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { fail, OperableError, WarningIds, Warnings } from '../../src/core/errors';
import { testStack } from '../support/fixtures';

describe('OperableError', () => {
  test('prefixes the message with the construct path and records it', () => {
    const { stack } = testStack();
    const scope = new Construct(new Construct(stack, 'Freight'), 'Availability');
    const error = new OperableError('objective must be below 100.', scope);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OperableError');
    expect(error.message).toBe('[Test/Freight/Availability] objective must be below 100.');
    expect(error.constructPath).toBe('Test/Freight/Availability');
  });

  test('has no prefix and no path without a scope', () => {
    const error = new OperableError('bad input');
    expect(error.message).toBe('bad input');
    expect(error.constructPath).toBeUndefined();
  });
});

describe('fail', () => {
  test('throws an OperableError naming the scope', () => {
    const { stack } = testStack();
    const scope = new Construct(stack, 'Slo');
    let caught: unknown;
    try {
      fail(scope, 'went wrong');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OperableError);
    expect((caught as OperableError).message).toBe('[Test/Slo] went wrong');
    expect((caught as OperableError).constructPath).toBe('Test/Slo');
  });

  test('throws without a path when there is no scope', () => {
    expect(() => fail(undefined, 'went wrong')).toThrow(new OperableError('went wrong'));
    expect(() => fail(undefined, 'went wrong')).toThrow(/^went wrong$/);
  });
});

describe('the warning registry', () => {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const src = path.join(__dirname, '..', '..', 'src');
  const sources = files(src).filter((f) => !f.endsWith(path.join('core', 'errors.ts'))).map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
  const ids = Object.values(Warnings).map((w) => w.id);

  test('ids are unique, namespaced, kebab-case, and each has a meaning', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const w of Object.values(Warnings)) {
      expect(w.id).toMatch(/^cdk-operable:[a-z]+(-[a-z]+)*$/);
      expect(w.meaning.length).toBeGreaterThan(20);
    }
    expect(WarningIds.NO_RUNBOOK).toBe('cdk-operable:no-runbook');
  });

  test('no construct reports a warning outside the registry: no addWarningV2 and no cdk-operable:* literal outside core/errors.ts', () => {
    const offenders = sources.filter(({ text }) => /addWarningV2\(|'cdk-operable:[a-z-]+'/.test(text)).map(({ f }) => path.relative(src, f));
    expect(offenders).toEqual([]);
  });

  test('every registered warning is reported somewhere', () => {
    const all = sources.map(({ text }) => text).join('\n');
    const unused = Object.keys(Warnings).filter((key) => !new RegExp(`Warnings\\.${key}\\b|WarningIds\\.${key}\\b`).test(all));
    expect(unused).toEqual([]);
  });
});
