import { Construct } from 'constructs';
import { Severity } from '../../src';
import { attachServiceContext, findServiceContext } from '../../src/core/service-context';
import { testStack } from '../support/fixtures';

describe('service context', () => {
  test('is found from the scope itself and from any descendant', () => {
    const { stack } = testStack();
    const service = new Construct(stack, 'Quotes');
    const context = { serviceName: 'quotes', runbook: 'https://runbooks.example.com/quotes' };
    attachServiceContext(service, context);
    const deep = new Construct(new Construct(service, 'A'), 'B');

    expect(findServiceContext(service)).toBe(context);
    expect(findServiceContext(deep)).toBe(context);
  });

  test('the nearest context wins', () => {
    const { stack } = testStack();
    const outer = new Construct(stack, 'Outer');
    const inner = new Construct(outer, 'Inner');
    attachServiceContext(outer, { serviceName: 'outer' });
    attachServiceContext(inner, { serviceName: 'inner' });

    expect(findServiceContext(new Construct(inner, 'Child'))?.serviceName).toBe('inner');
    expect(findServiceContext(new Construct(outer, 'Sibling'))?.serviceName).toBe('outer');
  });

  test('is undefined outside any service, and not visible as an enumerable property', () => {
    const { stack } = testStack();
    const service = new Construct(stack, 'Quotes');
    attachServiceContext(service, { serviceName: 'quotes' });

    expect(findServiceContext(new Construct(stack, 'Other'))).toBeUndefined();
    expect(findServiceContext(stack)).toBeUndefined();
    expect(Object.keys(service)).not.toContain('cdk-operable.ServiceContext');
    expect(Object.getOwnPropertySymbols(service).map(String)).toContain('Symbol(cdk-operable.ServiceContext)');
  });
});

describe('Severity', () => {
  test('values are the words written into alarm descriptions', () => {
    expect(Severity.PAGE).toBe('PAGE');
    expect(Severity.TICKET).toBe('TICKET');
    expect(Object.values(Severity)).toEqual(['PAGE', 'TICKET']);
  });
});
