import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import * as api from '../../src';

// jsii's own reserved-word table, the one its JSII5018 warning uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isReservedName } = require(join(__dirname, '..', '..', 'node_modules', 'jsii', 'lib', 'reserved-words.js')) as {
  isReservedName: (name: string) => string[] | undefined;
};

/**
 * The public API as other languages see it: read the compiled jsii assembly (`.jsii`, written by `npx projen
 * compile`) and fail when an optional property lacks a `@default` doc, or a union type slips in (jsii accepts
 * unions, but they are awkward in Java, C# and Go; use static factories instead).
 */
interface TypeRef { fqn?: string; primitive?: string; union?: { types: TypeRef[] }; collection?: { elementtype: TypeRef; kind: string } }
interface Property { name: string; optional?: boolean; type: TypeRef; docs?: { default?: string; summary?: string } }
interface Parameter { name: string; type: TypeRef; optional?: boolean; variadic?: boolean }
interface Callable { name?: string; parameters?: Parameter[]; returns?: { type: TypeRef } }
interface JsiiType {
  fqn: string;
  kind: 'class' | 'interface' | 'enum';
  datatype?: boolean;
  properties?: Property[];
  methods?: Callable[];
  initializer?: Callable;
  members?: Array<{ name: string }>;
  docs?: { summary?: string };
}

const assemblyPath = join(__dirname, '..', '..', '.jsii');

function loadAssembly(): { types: Record<string, JsiiType> } {
  if (!existsSync(assemblyPath)) {
    throw new Error(`${assemblyPath} is missing: compile with \`npx projen compile\` (part of \`npx projen build\`) before running this test.`);
  }
  return JSON.parse(readFileSync(assemblyPath, 'utf-8'));
}

function unions(ref: TypeRef | undefined, where: string): string[] {
  if (!ref) return [];
  if (ref.union) return [where];
  if (ref.collection) return unions(ref.collection.elementtype, where);
  return [];
}

describe('public API (jsii assembly)', () => {
  const assembly = loadAssembly();
  const ours = Object.values(assembly.types).filter((t) => t.fqn.startsWith('cdk-operable.'));

  test('the assembly has the core types', () => {
    const names = ours.map((t) => t.fqn.replace('cdk-operable.', ''));
    expect(names).toEqual(expect.arrayContaining([
      'Workload', 'WorkloadProps', 'Owner', 'ServiceTier', 'OpsTags', 'Severity', 'AlarmRouting', 'AlarmDestination',
      'AlarmDescription', 'CloudWatchPricing', 'CloudWatchLimits', 'ServiceLevelObjective', 'Sli', 'BurnRatePolicy',
      'BurnRateWindow', 'AlarmSimulator', 'SimulationResult', 'MetricSeries', 'TrafficSeries',
    ]));
  });

  test('every optional property documents its @default', () => {
    const missing = ours.flatMap((t) => (t.properties ?? [])
      .filter((p) => p.optional && !p.docs?.default)
      .map((p) => `${t.fqn}.${p.name}`));
    expect(missing).toEqual([]);
  });

  test('every type and property has a summary', () => {
    const missing = [
      ...ours.filter((t) => !t.docs?.summary).map((t) => t.fqn),
      ...ours.flatMap((t) => (t.properties ?? []).filter((p) => !p.docs?.summary).map((p) => `${t.fqn}.${p.name}`)),
    ];
    expect(missing).toEqual([]);
  });

  test('no union types in properties, parameters or return types', () => {
    const found = ours.flatMap((t) => [
      ...(t.properties ?? []).flatMap((p) => unions(p.type, `${t.fqn}.${p.name}`)),
      ...[...(t.methods ?? []), ...(t.initializer ? [t.initializer] : [])].flatMap((m) => [
        ...(m.parameters ?? []).flatMap((p) => unions(p.type, `${t.fqn}.${m.name ?? 'constructor'}(${p.name})`)),
        ...unions(m.returns?.type, `${t.fqn}.${m.name}() return`),
      ]),
    ]);
    expect(found).toEqual([]);
  });

  test('no type, member, parameter or enum member is named with a reserved word of Java, C#, Python or Go (jsii\'s own list)', () => {
    // [where, the name other languages see]
    const names: Array<[string, string]> = ours.flatMap((t): Array<[string, string]> => [
      [t.fqn, t.fqn.replace('cdk-operable.', '')],
      ...(t.properties ?? []).map((p): [string, string] => [`${t.fqn}.${p.name}`, p.name]),
      ...(t.methods ?? []).flatMap((m): Array<[string, string]> => [
        [`${t.fqn}.${m.name}()`, m.name!],
        ...(m.parameters ?? []).map((p): [string, string] => [`${t.fqn}.${m.name}(${p.name})`, p.name]),
      ]),
      ...(t.initializer?.parameters ?? []).map((p): [string, string] => [`${t.fqn}.constructor(${p.name})`, p.name]),
      ...(t.members ?? []).map((m): [string, string] => [`${t.fqn}.${m.name}`, m.name]),
    ]);
    expect(names.length).toBeGreaterThan(1000);
    expect(names.filter(([, name]) => isReservedName(name) !== undefined).map(([where]) => where)).toEqual([]);
  });

  test('the reserved-word check catches reserved words', () => {
    expect(isReservedName('continue')).toEqual(['C#', 'Java', 'Python', 'Go']);
    expect(isReservedName('lambda')).toEqual(['Python']);
    expect(isReservedName('reference')).toBeUndefined();
  });

  test('no exported free functions (jsii drops them silently from other languages)', () => {
    const functions = Object.entries(api)
      .filter(([, value]) => typeof value === 'function' && !/^class\b/.test(Function.prototype.toString.call(value)))
      .map(([name]) => name);
    expect(functions).toEqual([]);
  });

  test('everything exported from src/index.ts reaches the assembly', () => {
    const exported = Object.keys(api).sort();
    const inAssembly = new Set(ours.map((t) => t.fqn.replace('cdk-operable.', '')));
    expect(exported.filter((name) => !inAssembly.has(name))).toEqual([]);
  });
});
