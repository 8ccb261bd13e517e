import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ServiceTier, ServiceTierProps } from '../../src';

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

  test.each([['Gold'], ['2nd'], ['-gold'], ['gold tier'], ['gold_tier'], [''], ['a'.repeat(33)]])('rejects the name %j', (name) => {
    expect(() => ServiceTier.custom({ ...VALID, name }))
      .toThrow(`ServiceTier name '${name}' must be 1-32 lower-case letters, digits or '-', starting with a letter (it becomes the ops:tier tag).`);
  });

  test.each([[100], [0], [-1], [100.5], [NaN]])('rejects availabilityObjective %p', (value) => {
    expect(() => ServiceTier.custom({ ...VALID, availabilityObjective: value }))
      .toThrow(`ServiceTier 'gold': availabilityObjective must be a percentage strictly between 0 and 100, got ${value}.`);
  });

  test.each([[100], [0]])('rejects latencyObjective %p', (value) => {
    expect(() => ServiceTier.custom({ ...VALID, latencyObjective: value }))
      .toThrow(`ServiceTier 'gold': latencyObjective must be a percentage strictly between 0 and 100, got ${value}.`);
  });

  test.each([[0.001], [99.999]])('accepts objectives just inside the bounds (%p)', (value) => {
    expect(ServiceTier.custom({ ...VALID, availabilityObjective: value, latencyObjective: value }).availabilityObjective).toBe(value);
  });

  test.each([[0], [6], [2.5], [-1], [NaN]])('rejects incidentImpact %p', (value) => {
    expect(() => ServiceTier.custom({ ...VALID, incidentImpact: value }))
      .toThrow(`ServiceTier 'gold': incidentImpact must be an integer from 1 (critical) to 5 (no impact), got ${value}.`);
  });

  test.each([[1], [5]])('accepts incidentImpact %p', (value) => {
    expect(ServiceTier.custom({ ...VALID, incidentImpact: value }).incidentImpact).toBe(value);
  });

  test('rejects a zero latencyThreshold', () => {
    expect(() => ServiceTier.custom({ ...VALID, latencyThreshold: Duration.millis(0) }))
      .toThrow("ServiceTier 'gold': latencyThreshold must be greater than zero.");
    expect(() => ServiceTier.custom({ ...VALID, latencyThreshold: Duration.seconds(0) }))
      .toThrow(/latencyThreshold must be greater than zero/);
  });

  test('validation errors name no construct path (tiers are not constructs)', () => {
    expect(() => ServiceTier.custom({ ...VALID, incidentImpact: 0 })).toThrow(/^ServiceTier 'gold'/);
  });
});
