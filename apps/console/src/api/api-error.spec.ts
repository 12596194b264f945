import { ApiError, describeError, isGone } from './api-error';

describe('describeError', () => {
  it('says a field reason once when the message already says it', () => {
    const error = new ApiError(404, 'NOT_FOUND', 'jobId: no job with id j-1', [
      { field: 'jobId', reason: 'no job with id j-1' },
    ]);
    expect(describeError(error)).toBe('jobId: no job with id j-1');
  });

  it('adds the field reasons the message does not say', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'invalid installation', [
      { field: 'jobProps.condition', reason: 'must be one of >, <' },
      { field: 'headers.jobType', reason: 'is required' },
    ]);
    expect(describeError(error)).toBe(
      'invalid installation (jobProps.condition: must be one of >, <; headers.jobType: is required)',
    );
  });

  it('tells what does not exist from what may come back', () => {
    expect(isGone(new ApiError(404, 'NOT_FOUND', 'gone'))).toBe(true);
    expect(isGone(new ApiError(503, 'UNAVAILABLE', 'starting'))).toBe(false);
    expect(isGone(new Error('network'))).toBe(false);
  });
});
