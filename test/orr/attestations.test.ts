import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_ATTESTATIONS, attestations, entry, tempDir, writeJson } from './support';
import { OpsBestPractices } from '../../src/nag/best-practices';
import {
  ATTESTATIONS_VERSION, Attestation, DEFAULT_VALIDITY_DAYS, attestationFor, isDate, parseAttestations, readAttestations,
} from '../../src/orr/attestations';

const FILE = 'ops-attestations.json';
const parse = (...entries: unknown[]) => parseAttestations({ version: 1, attestations: entries }, FILE);
const where = (i: number, practice: string) => `Attestations file '${FILE}', attestations[${i}] (${practice})`;

describe('readAttestations', () => {
  test('reads the example file: every entry a catalogue practice, expiring a year after its date', () => {
    const read = readAttestations(EXAMPLE_ATTESTATIONS);
    expect(read).toHaveLength(39);
    expect(read.every((a) => OpsBestPractices.ALL.some((p) => p.id === a.practiceId))).toBe(true);
    expect(read[0]).toEqual({
      practiceId: 'OPS01-BP01',
      attestedBy: 'Dana Ruiz (pricing squad lead)',
      date: '2026-11-02',
      expires: '2027-11-02',
      evidence: 'Quarterly customer review of quote latency and availability targets: https://wiki.example.com/pricing/priorities#customers',
      workloads: ['freight'],
      services: [],
    });
    expect(read.filter((a) => a.practiceId === 'OPS04-BP03').map((a) => a.services)).toEqual([['quotes'], ['price-updates']]);
  });

  test('a missing file names the file and how to do without', () => {
    const file = path.join(tempDir(), 'nope.json');
    expect(() => readAttestations(file)).toThrow(
      `Attestations file '${file}' does not exist. Create it (see docs/readiness-review.md, "Attestations") or leave out --attestations.`);
  });

  test('invalid JSON names the file and the parse error', () => {
    const file = writeJson(path.join(tempDir(), FILE), '{ "version": 1, "attestations": [');
    expect(() => readAttestations(file)).toThrow(new RegExp(`^Attestations file '${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is not valid JSON: .+\\.$`));
    expect(() => readAttestations(file)).toThrow(expect.objectContaining({ name: 'OperableError' }));
  });

  test('the file is validated like parsed data, naming the file', () => {
    const file = writeJson(path.join(tempDir(), FILE), { version: 1, attestations: [entry('OPS99-BP01')] });
    expect(() => readAttestations(file)).toThrow(`Attestations file '${file}', attestations[0]: practice 'OPS99-BP01' is not`);
  });
});

describe('parseAttestations', () => {
  test.each([
    ['a wrong version', { version: 2, attestations: [] }],
    ['a version as a string', { version: '1', attestations: [] }],
    ['no attestations list', { version: 1 }],
    ['attestations not a list', { version: 1, attestations: { practice: 'OPS01-BP01' } }],
    ['an array', []],
    ['null', null],
  ])('rejects %s', (_, data) => {
    expect(() => parseAttestations(data, FILE)).toThrow(
      `Attestations file '${FILE}' must be an object { "version": ${ATTESTATIONS_VERSION}, "attestations": [...] }.`);
  });

  test('an entry that is not an object', () => {
    expect(() => parse(entry('OPS01-BP01'), 'OPS01-BP02')).toThrow(`Attestations file '${FILE}', attestations[1] must be an object.`);
  });

  test('an unknown practice is named, with an example of a valid id', () => {
    expect(() => parse(entry('OPS12-BP01'))).toThrow(
      `Attestations file '${FILE}', attestations[0]: practice 'OPS12-BP01' is not an Operational Excellence best practice; use an id such as 'OPS03-BP01'.`);
    expect(() => parse({ attestedBy: 'x', date: '2026-01-01', evidence: 'y' })).toThrow("practice 'undefined' is not");
    expect(() => parse(entry('ops01-bp01'))).toThrow("practice 'ops01-bp01' is not"); // ids are case-sensitive
  });

  test.each(['attestedBy', 'evidence'])('%s is required and not blank', (field) => {
    const message = `${where(0, 'OPS03-BP01')}: '${field}' is required: who attests, and a URL or sentence that shows the practice.`;
    const without = entry('OPS03-BP01');
    delete without[field];
    expect(() => parse(without)).toThrow(message);
    expect(() => parse(entry('OPS03-BP01', { [field]: '   ' }))).toThrow(message);
    expect(() => parse(entry('OPS03-BP01', { [field]: 42 }))).toThrow(message);
  });

  test.each([
    ['2026-13-01'], ['2026-02-30'], ['2026-04-31'], ['2026-2-1'], ['02/11/2026'], ['2026-11-02T10:00:00Z'], [''], [20261102],
  ])('rejects date %p', (date) => {
    expect(() => parse(entry('OPS03-BP01', { date }))).toThrow(`${where(0, 'OPS03-BP01')}: date '${date}' must be a date YYYY-MM-DD.`);
  });

  test('a missing date', () => {
    const without = entry('OPS03-BP01');
    delete without.date;
    expect(() => parse(without)).toThrow(`${where(0, 'OPS03-BP01')}: date 'undefined' must be a date YYYY-MM-DD.`);
  });

  test('accepts a leap day, rejects one in a common year', () => {
    expect(parse(entry('OPS03-BP01', { date: '2028-02-29' }))[0].date).toBe('2028-02-29');
    expect(() => parse(entry('OPS03-BP01', { date: '2027-02-29' }))).toThrow("date '2027-02-29' must be a date YYYY-MM-DD.");
    expect([isDate('2028-02-29'), isDate('2027-02-29'), isDate('2026-11-24'), isDate(undefined)]).toEqual([true, false, true, false]);
  });

  test('expires before the date, or not a date', () => {
    expect(() => parse(entry('OPS03-BP01', { expires: '2026-11-01' }))).toThrow(
      `${where(0, 'OPS03-BP01')}: expires '2026-11-01' must be a date YYYY-MM-DD on or after '2026-11-02'.`);
    expect(() => parse(entry('OPS03-BP01', { expires: '2027-02-30' }))).toThrow("expires '2027-02-30' must be a date YYYY-MM-DD on or after");
    expect(() => parse(entry('OPS03-BP01', { expires: 'never' }))).toThrow("expires 'never' must be a date");
    expect(parse(entry('OPS03-BP01', { expires: '2026-11-02' }))[0].expires).toBe('2026-11-02'); // the same day holds
  });

  test.each([
    ['services', 'quotes'], ['services', [1]], ['services', ['']], ['workloads', 'freight'], ['workloads', null],
  ])('%s must be a list of names (%p)', (field, value) => {
    expect(() => parse(entry('OPS04-BP03', { [field]: value }))).toThrow(
      `${where(0, 'OPS04-BP03')}: '${field}' must be a list of names, e.g. ["freight"].`);
  });

  test('unknown fields are named with the known ones', () => {
    expect(() => parse(entry('OPS03-BP01'), entry('OPS03-BP02', { service: ['quotes'], note: 'x' }))).toThrow(
      `${where(1, 'OPS03-BP02')}: unknown field(s) service, note; the fields are practice, attestedBy, date, evidence, expires, workloads, services.`);
  });

  test(`an attestation holds ${DEFAULT_VALIDITY_DAYS} days unless it says otherwise`, () => {
    const [plain, leap, explicit] = parse(
      entry('OPS03-BP01', { date: '2026-11-02' }),
      entry('OPS03-BP03', { date: '2027-03-01' }),
      entry('OPS03-BP04', { date: '2026-11-02', expires: '2027-05-01', workloads: ['freight'], services: ['quotes', 'quote-api'] }),
    );
    expect(plain).toEqual({
      practiceId: 'OPS03-BP01',
      attestedBy: 'Dana Ruiz (squad lead)',
      date: '2026-11-02',
      expires: '2027-11-02',
      evidence: 'https://wiki.example.com/ops',
      workloads: [],
      services: [],
    });
    expect(leap.expires).toBe('2028-02-29'); // 365 days, across a leap day
    expect(explicit).toMatchObject({ expires: '2027-05-01', workloads: ['freight'], services: ['quotes', 'quote-api'] });
  });

  test('an empty list is valid', () => {
    expect(parse()).toEqual([]);
  });
});

describe('attestationFor', () => {
  const ON = '2026-11-24';
  const all: Attestation[] = attestations(
    entry('OPS03-BP01', { date: '2026-01-10', attestedBy: 'old', workloads: ['freight'] }),
    entry('OPS03-BP01', { date: '2026-06-01', expires: '2026-09-01', attestedBy: 'expired but later', workloads: ['freight'] }),
    entry('OPS03-BP01', { date: '2026-03-01', attestedBy: 'latest valid', workloads: ['freight'] }),
    entry('OPS03-BP01', { date: '2026-12-01', attestedBy: 'not yet', workloads: ['freight'] }),
    entry('OPS03-BP01', { date: '2026-10-01', attestedBy: 'other workload', workloads: ['billing'] }),
    entry('OPS03-BP01', { date: '2026-11-01', attestedBy: 'quotes only', workloads: ['freight'], services: ['quotes'] }),
    entry('OPS03-BP03', { date: '2026-11-20', attestedBy: 'everywhere' }),
  );

  test('picks the latest unexpired attestation of the practice for the workload', () => {
    expect(attestationFor(all, 'OPS03-BP01', 'freight', undefined, ON)).toEqual({
      practiceId: 'OPS03-BP01', attestedBy: 'latest valid', date: '2026-03-01', expires: '2027-03-01', evidence: 'https://wiki.example.com/ops',
    });
    expect(attestationFor(all, 'OPS03-BP01', 'freight', 'quote-api', ON)?.attestedBy).toBe('latest valid');
  });

  test('a service-scoped attestation covers only its services, not the workload', () => {
    expect(attestationFor(all, 'OPS03-BP01', 'freight', 'quotes', ON)?.attestedBy).toBe('quotes only');
    expect(attestationFor(all, 'OPS03-BP01', 'billing', 'quotes', ON)?.attestedBy).toBe('other workload');
  });

  test('validity: from its date to its expiry, both included', () => {
    expect(attestationFor(all, 'OPS03-BP01', 'freight', undefined, '2026-09-01')?.attestedBy).toBe('expired but later');
    expect(attestationFor(all, 'OPS03-BP01', 'freight', undefined, '2026-12-01')?.attestedBy).toBe('not yet');
    expect(attestationFor(all, 'OPS03-BP01', 'freight', undefined, '2026-01-09')).toBeUndefined();
    expect(attestationFor(all, 'OPS03-BP01', 'freight', undefined, '2027-11-02')?.attestedBy).toBe('not yet');
    expect(attestationFor(all, 'OPS03-BP01', 'freight', undefined, '2027-12-02')).toBeUndefined();
  });

  test('no workloads = every workload and service; other practices never match', () => {
    expect(attestationFor(all, 'OPS03-BP03', 'anything', 'any-service', ON)?.attestedBy).toBe('everywhere');
    expect(attestationFor(all, 'OPS03-BP03', 'anything', undefined, ON)?.attestedBy).toBe('everywhere');
    expect(attestationFor(all, 'OPS03-BP04', 'freight', undefined, ON)).toBeUndefined();
    expect(attestationFor([], 'OPS03-BP01', 'freight', undefined, ON)).toBeUndefined();
  });

  test('the file on disk and the parsed data agree', () => {
    const file = writeJson(path.join(tempDir(), FILE), { version: 1, attestations: [entry('OPS11-BP08', { services: ['quotes'] })] });
    expect(readAttestations(file)).toEqual(attestations(entry('OPS11-BP08', { services: ['quotes'] })));
    expect(fs.existsSync(file)).toBe(true);
  });
});
