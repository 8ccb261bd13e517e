import { Duration, App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ServiceTier, ServiceTierProps, Workload } from '../../src';

/** A workload with a custom tier: where a tier's problems are reported. */
function useTier(props: ServiceTierProps): Workload {
  return new Workload(new Stack(new App(), 'Stack'), 'Freight', { workloadName: 'freight', owner: { team: 't', onCall: 'o' }, tier: ServiceTier.custom(props) });
}

const VALID: ServiceTierProps = {
  name: 'gold',
  description: 'Gold customers.',
  availabilityObjective: 99.99,
  latencyObjective: 99.5,
  latencyThreshold: Duration.millis(250),
  logRetention: RetentionDays.TWO_YEARS,
  incidentImpact: 2,
};

describe('ServiceTier presets', () => {
  test('CRITICAL', () => {
    const t = ServiceTier.CRITICAL;
    expect(t.name).toBe('critical');
    expect(t.availabilityObjective).toBe(99.95);
    expect(t.latencyObjective).toBe(99);
    expect(t.latencyThreshold.toMilliseconds()).toBe(500);
    expect(t.logRetention).toBe(RetentionDays.ONE_YEAR);
    expect(t.logRetention).toBe(365);
    expect(t.incidentImpact).toBe(1);
    expect(t.description).toMatch(/^Revenue- or safety-critical and customer-facing/);
  });

  test('STANDARD', () => {
    const t = ServiceTier.STANDARD;
    expect(t.name).toBe('standard');
    expect(t.availabilityObjective).toBe(99.9);
    expect(t.latencyObjective).toBe(99);
    expect(t.latencyThreshold.toMilliseconds()).toBe(1000);
    expect(t.logRetention).toBe(RetentionDays.SIX_MONTHS);
    expect(t.logRetention).toBe(180);
    expect(t.incidentImpact).toBe(3);
    expect(t.description).toMatch(/^Customer-facing or a dependency of one/);
  });

  test('BEST_EFFORT', () => {
    const t = ServiceTier.BEST_EFFORT;
    expect(t.name).toBe('best-effort');
    expect(t.availabilityObjective).toBe(99.5);
    expect(t.latencyObjective).toBe(95);
    expect(t.latencyThreshold.toMilliseconds()).toBe(3000);
    expect(t.logRetention).toBe(RetentionDays.ONE_MONTH);
    expect(t.logRetention).toBe(30);
    expect(t.incidentImpact).toBe(5);
    expect(t.description).toMatch(/^Internal tooling or batch work/);
  });

  test('presets are singletons', () => {
    expect(ServiceTier.CRITICAL).toBe(ServiceTier.CRITICAL);
    expect(new Set([ServiceTier.CRITICAL, ServiceTier.STANDARD, ServiceTier.BEST_EFFORT]).size).toBe(3);
  });
});

describe('ServiceTier.custom', () => {
  test('keeps every property', () => {
    const t = ServiceTier.custom(VALID);
    expect(t).toBeInstanceOf(ServiceTier);
    expect(t.name).toBe('gold');
    expect(t.description).toBe('Gold customers.');
    expect(t.availabilityObjective).toBe(99.99);
    expect(t.latencyObjective).toBe(99.5);
    expect(t.latencyThreshold.toMilliseconds()).toBe(250);
    expect(t.logRetention).toBe(RetentionDays.TWO_YEARS);
    expect(t.incidentImpact).toBe(2);
  });

  test.each([['a'], ['tier-2'], ['a'.repeat(32)]])('accepts the name %j', (name) => {
    expect(ServiceTier.custom({ ...VALID, name }).name).toBe(name);
  });

  test.each([['Gold'], ['2nd'], ['-gold'], ['gold tier'], ['gold_tier'], [''], ['a'.repeat(33)]])('rejects the name %j in the workload that uses it', (name) => {
    expect(() => useTier({ ...VALID, name })).toThrow(`[Stack/Freight] tier: ServiceTier name '${name}' (a string) must be 1-32 lower-case ` +
      "letters, digits or '-', starting with a letter (it becomes the ops:tier tag), e.g. 'payments-critical'.");
  });

  test.each([[100], [0], [-1], [100.5], [NaN]])('rejects availabilityObjective %p, naming the workload and the value', (value) => {
    expect(() => useTier({ ...VALID, availabilityObjective: value }))
      .toThrow(`[Stack/Freight] tier: ServiceTier 'gold': availabilityObjective must be a finite number above 0 and below 100, got ${value}. ` +
        'Give a percentage such as 99.9.');
  });

  test.each([[100], [0]])('rejects latencyObjective %p', (value) => {
    expect(() => useTier({ ...VALID, latencyObjective: value }))
      .toThrow(`[Stack/Freight] tier: ServiceTier 'gold': latencyObjective must be a finite number above 0 and below 100, got ${value}.`);
  });

  test.each([[0.001], [99.999]])('accepts objectives just inside the bounds (%p)', (value) => {
    expect(ServiceTier.custom({ ...VALID, availabilityObjective: value, latencyObjective: value }).availabilityObjective).toBe(value);
  });

  test.each([[0], [6], [2.5], [-1], [NaN]])('rejects incidentImpact %p', (value) => {
    expect(() => useTier({ ...VALID, incidentImpact: value }))
      .toThrow(`[Stack/Freight] tier: ServiceTier 'gold': incidentImpact must be a whole number at least 1 and at most 5, got ${value}. ` +
        'Use 1 (critical) to 5 (no impact).');
  });

  test.each([[1], [5]])('accepts incidentImpact %p', (value) => {
    expect(ServiceTier.custom({ ...VALID, incidentImpact: value }).incidentImpact).toBe(value);
  });

  test('rejects a zero latencyThreshold, a non-Duration, a bogus retention and an empty description', () => {
    expect(() => useTier({ ...VALID, latencyThreshold: Duration.millis(0) }))
      .toThrow("[Stack/Freight] tier: ServiceTier 'gold': latencyThreshold must be longer than zero, got Duration 0 millis. E.g. Duration.millis(500).");
    expect(() => useTier({ ...VALID, latencyThreshold: 500 as unknown as Duration }))
      .toThrow("tier: ServiceTier 'gold': latencyThreshold must be a Duration (e.g. Duration.minutes(5)), got 500.");
    expect(() => useTier({ ...VALID, logRetention: 8 as RetentionDays }))
      .toThrow(/tier: ServiceTier 'gold': logRetention must be one of logs.RetentionDays \(1, 3, 5, 7, 14, 30, 60, 90, .*\), got 8\./);
    expect(() => useTier({ ...VALID, description: ' ' })).toThrow("tier: ServiceTier 'gold': description must not be empty, got ' ' (a string).");
  });

  test('a bad tier that no workload uses throws nothing (the error needs a construct to name)', () => {
    expect(() => ServiceTier.custom({ ...VALID, incidentImpact: 0 })).not.toThrow();
  });

  test('ServiceTier.isServiceTier recognizes presets and custom tiers, not look-alikes', () => {
    expect(ServiceTier.isServiceTier(ServiceTier.CRITICAL)).toBe(true);
    expect(ServiceTier.isServiceTier(ServiceTier.custom(VALID))).toBe(true);
    expect(ServiceTier.isServiceTier({ ...VALID })).toBe(false);
  });
});
