import type { JobDetails, JobInfo } from '@ruleshift/contracts';
import { OperationFailed } from '../api/api-failure';
import type { OperationAnswer, RuleshiftApi } from '../api/ruleshift-api';
import { StepProgress } from '../progress/step-progress';
import { runOperation } from './await-operation';

const job = (over: Partial<JobDetails> = {}): JobDetails =>
  ({
    jobId: '3f1c2a9e-6a43-4c61-9d1a-0c4d1f2b7e55',
    runtime: 'edge',
    targetResource: 'gw1',
    jobType: 'filter',
    jobStatus: 'RUNNING',
    configFileName: 'x.json',
    history: [],
    ...over,
  }) as JobDetails;

/** The API as runOperation reads it: the job's successive states, one per GET. */
const apiAnswering = (states: JobDetails[]) => {
  let next = 0;
  return {
    job: jest.fn(async () => states[Math.min(next++, states.length - 1)]),
  } as unknown as RuleshiftApi;
};

const terminal = () => {
  const written: string[] = [];
  return { written, progress: new StepProgress({ isTTY: true, write: (t) => written.push(t) }) };
};

describe('runOperation', () => {
  it('follows a 202 until the job is no longer held, showing the move steps', async () => {
    const move = (step: string) => ({
      pendingOperation: 'move',
      pendingMove: { id: 'm', step, targetRuntime: 'flink' as const, targetResource: 'flink' },
    });
    const api = apiAnswering([
      job(move('STOPPING')),
      job(move('INSTALLING')),
      job({ runtime: 'flink', targetResource: 'flink' }),
    ]);
    const { written, progress } = terminal();
    const pending: OperationAnswer<JobInfo> = { pending: true, message: 'move is still running' };
    // The answer comes at once, so only the polls after the 202 see the steps.
    const final = await runOperation(
      api,
      job(),
      { name: 'move', headline: 'moving 3f1c2a9e from edge/gw1' },
      progress,
      async () => pending,
    );
    expect(final).toMatchObject({ runtime: 'flink', jobStatus: 'RUNNING' });
    expect(written[written.length - 1]).toBe(
      '\r\x1b[2Kmoving 3f1c2a9e from edge/gw1 -> stopping on edge/gw1 -> installing on flink/flink -> RUNNING on flink/flink\n',
    );
  });

  it('is an OperationFailed (exit 5) naming the reason when the job ends FAILED', async () => {
    const api = apiAnswering([job({ jobStatus: 'FAILED', failureReason: 'no slots' })]);
    await expect(
      runOperation(
        api,
        job(),
        { name: 'start', headline: 'starting' },
        terminal().progress,
        async () => job({ jobStatus: 'FAILED' }),
      ),
    ).rejects.toEqual(new OperationFailed('start ended FAILED on edge/gw1: no slots'));
  });

  it('passes an API failure through and clears the progress line', async () => {
    const { written, progress } = terminal();
    const refused = new Error('409');
    await expect(
      runOperation(
        apiAnswering([job()]),
        job(),
        { name: 'stop', headline: 'stopping' },
        progress,
        () => Promise.reject(refused),
      ),
    ).rejects.toBe(refused);
    expect(written[written.length - 1]).toBe('\r\x1b[2Kstopping\n');
  });
});
