import { toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('answers 503 on the registry when PostgreSQL is restarting or unreachable', () => {
    const cases: unknown[] = [
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      // TypeORM wraps driver errors and keeps the driver's code.
      Object.assign(new Error('Query failed'), { driverError: { code: '57P01' } }),
    ];
    for (const error of cases) {
      expect(toErrorBody(error)).toMatchObject({
        code: 'RUNTIME_UNAVAILABLE',
        errors: [{ field: 'registry' }],
      });
    }
  });

  it('keeps any other unexpected error a generic INTERNAL', () => {
    expect(toErrorBody(new TypeError('boom'))).toEqual({
      code: 'INTERNAL',
      message: 'internal error in the adapter',
      errors: [],
    });
  });
});
