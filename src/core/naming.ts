import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** CloudWatch's limit on alarm and dashboard names. */
export const MAX_ALARM_NAME_LENGTH = 255;

/** Names users give us (workload, service, SLO): safe in alarm names, tags and SSM/AppConfig names. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Check a user-given name: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.
 */
export function validateName(scope: IConstruct | undefined, what: string, name: string): string {
  if (Token.isUnresolved(name)) {
    fail(scope, `${what} must be a plain string known at synth time (it becomes part of alarm names), got a token.`);
  }
  if (!NAME_PATTERN.test(name)) {
    fail(scope, `${what} '${name}' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  }
  return name;
}

/**
 * Turn a construct id into a default name: `LookupLatency` → `lookup-latency`.
 */
export function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/**
 * `<workload>-<service>-<slo>-<what>`: deterministic, at most 255 characters.
 */
export function alarmName(scope: IConstruct, parts: string[]): string {
  const name = parts.join('-');
  if (name.length > MAX_ALARM_NAME_LENGTH) {
    fail(scope, `Alarm name '${name.slice(0, 60)}...' is ${name.length} characters; CloudWatch allows ${MAX_ALARM_NAME_LENGTH}. ` +
      'Shorten the workload, service or SLO name.');
  }
  return name;
}

/**
 * Compact window label: 300 s → `5m`, 3600 s → `1h`, 259200 s → `3d`.
 */
export function formatWindow(window: Duration): string {
  const s = window.toSeconds({ integral: false });
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/**
 * Human window label: `5 minutes`, `1 hour`, `3 days`.
 */
export function describeWindow(window: Duration): string {
  const s = window.toSeconds({ integral: false });
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  if (s % 86400 === 0) return unit(s / 86400, 'day');
  if (s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s % 60 === 0) return unit(s / 60, 'minute');
  return unit(s, 'second');
}

/** `14.4` → `14.4x`, `6` → `6x`. */
export function formatBurnRate(burnRate: number): string {
  return `${Number(burnRate.toPrecision(6))}x`;
}
