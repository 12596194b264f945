import { ApiFailure, OperationFailed, ServerUnreachable, UsageError } from './api/api-failure';
import { describeFailure, exitCodeFor, exitCodeForStatus } from './exit-codes';

describe('exit codes', () => {
  it.each([
    [400, 2],
    [413, 2],
    [404, 3],
    [409, 4],
    [401, 6],
    [403, 6],
    [429, 6],
    [500, 5],
    [502, 5],
    [503, 5],
  ])('HTTP %i exits %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it('maps the CLI own failures', () => {
    expect(exitCodeFor(new UsageError('--to', 'bad'))).toBe(2);
    expect(exitCodeFor(new ServerUnreachable('http://x', 'ECONNREFUSED'))).toBe(5);
    expect(exitCodeFor(new OperationFailed('start ended FAILED'))).toBe(5);
    expect(exitCodeFor(new TypeError('a bug'))).toBe(1);
  });

  it('prints one line naming every field the API named', () => {
    const failure = new ApiFailure(400, 'VALIDATION_FAILED', 'two problems', [
      { field: 'jobProps.condition', reason: 'must be one of >, >=, =, <, <=' },
      { field: 'headers.runtime', reason: 'must be edge or flink' },
    ]);
    expect(describeFailure(failure)).toBe(
      'error: jobProps.condition: must be one of >, >=, =, <, <=; headers.runtime: must be edge or flink [HTTP 400 VALIDATION_FAILED]',
    );
    expect(describeFailure(new ApiFailure(502, 'HTTP_502', 'Bad Gateway'))).toBe(
      'error: Bad Gateway [HTTP 502 HTTP_502]',
    );
  });
});
