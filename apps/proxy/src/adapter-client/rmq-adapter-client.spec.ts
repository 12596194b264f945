import type { ClientProxy } from '@nestjs/microservices';
import { NEVER, of, throwError, type Observable } from 'rxjs';
import { NotFound, RuleshiftError } from '@ruleshift/contracts';
import { jobInfo } from '../testing/paper-objects';
import { RmqAdapterClient } from './rmq-adapter-client';

function clientReturning(reply: () => Observable<unknown>): {
  proxy: ClientProxy;
  sent: unknown[][];
} {
  const sent: unknown[][] = [];
  const proxy = {
    send: (pattern: unknown, data: unknown) => {
      sent.push([pattern, data]);
      return reply();
    },
    close: jest.fn(),
  } as unknown as ClientProxy;
  return { proxy, sent };
}

async function rejection(promise: Promise<unknown>): Promise<RuleshiftError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleshiftError);
  return error as RuleshiftError;
}

describe('RmqAdapterClient', () => {
  it('sends the pattern and request and resolves with the reply', async () => {
    const { proxy, sent } = clientReturning(() => of(jobInfo()));
    const client = new RmqAdapterClient(proxy);
    await expect(client.send('rules.start', jobInfo())).resolves.toEqual(jobInfo());
    expect(sent).toEqual([['rules.start', jobInfo()]]);
  });

  it('rebuilds a RuleshiftError from the error body the adapter replied with', async () => {
    const body = new NotFound('jobId', 'no job x').toJSON();
    const error = await rejection(
      new RmqAdapterClient(clientReturning(() => throwError(() => body)).proxy).send('jobs.get', {
        jobId: 'x',
      }),
    );
    expect(error.toJSON()).toEqual(body);
  });

  it('accepts the body wrapped as { error } too', async () => {
    const body = new NotFound('jobId', 'no job x').toJSON();
    const client = new RmqAdapterClient(
      clientReturning(() => throwError(() => ({ error: body }))).proxy,
    );
    expect((await rejection(client.send('jobs.get', { jobId: 'x' }))).code).toBe('NOT_FOUND');
  });

  it('a missing reply is RuntimeUnavailable on adapter', async () => {
    const client = new RmqAdapterClient(clientReturning(() => NEVER).proxy, { timeoutMs: 5 });
    const error = await rejection(client.send('health', {}));
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect(error.errors[0]).toEqual({ field: 'adapter', reason: 'no reply to health within 5 ms' });
  });

  it('a transport failure is RuntimeUnavailable on adapter', async () => {
    const client = new RmqAdapterClient(
      clientReturning(() => throwError(() => new Error('ECONNREFUSED'))).proxy,
    );
    const error = await rejection(client.send('templates.list', {}));
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect(error.errors[0].reason).toContain('ECONNREFUSED');
  });
});
