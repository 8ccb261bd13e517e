import * as fs from 'fs';
import { ReadinessAttestation } from './model';
import { fail } from '../core/errors';
import { OpsBestPractices } from '../nag/best-practices';

/** The current version of the attestations file format. */
export const ATTESTATIONS_VERSION = 1;
/** How long an attestation holds when it states no expiry: a readiness review is repeated at least yearly (OPS07-BP02). */
export const DEFAULT_VALIDITY_DAYS = 365;

/** One attestation as the review applies it. */
export interface Attestation extends ReadinessAttestation {
  /** Workloads it covers; empty = every workload. */
  readonly workloads: string[];
  /** Services it covers; empty = every service of the covered workloads (and the workloads themselves). */
  readonly services: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a value is a calendar date YYYY-MM-DD (`Date.parse` alone rolls '2026-02-30' over to March 2). */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Read an attestations file: the practices no template can show (culture, priorities, personnel, reviews), attested
 * by a person with evidence. Format (JSON):
 *
 * ```json
 * { "version": 1,
 *   "attestations": [
 *     { "practice": "OPS03-BP01", "attestedBy": "Dana (pricing lead)", "date": "2026-11-02",
 *       "evidence": "https://wiki.example.com/pricing/sponsorship", "expires": "2027-11-01",
 *       "workloads": ["freight"], "services": ["quotes"] } ] }
 * ```
 *
 * `workloads` and `services` are optional (omitted: everything); `expires` defaults to one year after `date`.
 * Throws naming the file, the entry and the fix for anything malformed.
 */
export function readAttestations(file: string): Attestation[] {
  if (!fs.existsSync(file)) {
    fail(undefined, `Attestations file '${file}' does not exist. Create it (see docs/readiness-review.md, "Attestations") or leave out --attestations.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(undefined, `Attestations file '${file}' is not valid JSON: ${(e as Error).message}.`);
  }
  return parseAttestations(data, file);
}

/** Validate parsed attestations (see `readAttestations`); `source` names the file in errors. */
export function parseAttestations(data: unknown, source: string): Attestation[] {
  const root = data as { version?: unknown; attestations?: unknown };
  if (!root || typeof root !== 'object' || root.version !== ATTESTATIONS_VERSION || !Array.isArray(root.attestations)) {
    fail(undefined, `Attestations file '${source}' must be an object { "version": ${ATTESTATIONS_VERSION}, "attestations": [...] }.`);
  }
  return root.attestations.map((raw, i) => {
    const where = `Attestations file '${source}', attestations[${i}]`;
    const entry = raw as Record<string, unknown>;
    if (!entry || typeof entry !== 'object') fail(undefined, `${where} must be an object.`);
    const practice = entry.practice;
    if (typeof practice !== 'string' || !OpsBestPractices.ALL.some((p) => p.id === practice)) {
      fail(undefined, `${where}: practice '${String(practice)}' is not an Operational Excellence best practice; use an id such as 'OPS03-BP01'.`);
    }
    for (const field of ['attestedBy', 'evidence']) {
      if (typeof entry[field] !== 'string' || (entry[field] as string).trim() === '') {
        fail(undefined, `${where} (${practice}): '${field}' is required: who attests, and a URL or sentence that shows the practice.`);
      }
    }
    if (!isDate(entry.date)) {
      fail(undefined, `${where} (${practice}): date '${String(entry.date)}' must be a date YYYY-MM-DD.`);
    }
    if (entry.expires !== undefined && (!isDate(entry.expires) || entry.expires < entry.date)) {
      fail(undefined, `${where} (${practice}): expires '${String(entry.expires)}' must be a date YYYY-MM-DD on or after '${entry.date}'.`);
    }
    const list = (field: string): string[] => {
      const value = entry[field];
      if (value === undefined) return [];
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
        fail(undefined, `${where} (${practice}): '${field}' must be a list of names, e.g. ["freight"].`);
      }
      return value as string[];
    };
    const known = ['practice', 'attestedBy', 'date', 'evidence', 'expires', 'workloads', 'services'];
    const unknown = Object.keys(entry).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
      fail(undefined, `${where} (${practice}): unknown field(s) ${unknown.join(', ')}; the fields are ${known.join(', ')}.`);
    }
    return {
      practiceId: practice,
      attestedBy: entry.attestedBy as string,
      date: entry.date,
      expires: (entry.expires as string | undefined) ?? addDays(entry.date, DEFAULT_VALIDITY_DAYS),
      evidence: entry.evidence as string,
      workloads: list('workloads'),
      services: list('services'),
    };
  });
}

/** The attestation that covers a practice for a workload, or one of its services, on a date (unexpired, latest first). */
export function attestationFor(attestations: Attestation[], practiceId: string, workload: string, service: string | undefined,
  on: string): ReadinessAttestation | undefined {
  const match = attestations
    .filter((a) => a.practiceId === practiceId && a.date <= on && on <= a.expires)
    .filter((a) => a.workloads.length === 0 || a.workloads.includes(workload))
    .filter((a) => a.services.length === 0 || (service !== undefined && a.services.includes(service)))
    .sort((a, b) => b.date.localeCompare(a.date))[0];
  return match && { practiceId: match.practiceId, attestedBy: match.attestedBy, date: match.date, expires: match.expires, evidence: match.evidence };
}
