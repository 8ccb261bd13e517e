import { Construct } from 'constructs';
import { fail, OperableError, WarningIds } from '../../src/core/errors';
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

describe('WarningIds', () => {
  test('values', () => {
    expect(WarningIds).toEqual({
      NO_RUNBOOK: 'cdk-operable:no-runbook',
      NO_PAGE_DESTINATION: 'cdk-operable:no-page-destination',
      NO_TICKET_DESTINATION: 'cdk-operable:no-ticket-destination',
      LOW_OBJECTIVE: 'cdk-operable:low-objective',
      STACK_SIZE: 'cdk-operable:stack-size',
    });
  });
});
