/**
 * With proxy, adapter and agent as separate processes on the real RabbitMQ and PostgreSQL, an
 * install the broker refuses answers a 4xx naming the connectors, leaves its job released
 * (UNINSTALLED, no operation held), and the adapter keeps serving: the next install and its
 * whole life cycle work. A name over AMQP's 255 bytes never reaches the broker.
 */
import { filterInstallation, uniqueConnectors } from './support/rules';
import type { RuleshiftSystem } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

interface JobInfo {
  runtime: string;
  jobId: string;
  jobType: string;
  jobStatus: string;
  configFileName: string;
}
interface JobDetails extends JobInfo {
  failureReason?: string | null;
  pendingOperation?: unknown;
}
interface ErrorBody {
  code: string;
  errors: { field: string; reason: string }[];
}

describe('install refusals (separate processes, real RabbitMQ + PostgreSQL)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;

  beforeAll(async () => {
    testSystem = await startTestSystem({ agents: ['gw1'] });
    ({ system } = testSystem);
  });

  afterAll(() => testSystem?.stop());

  printLogsOnFailure(() => system);

  /** A normal install, start, stop and uninstall: the adapter is serving. */
  const lifeCycleWorks = async (): Promise<void> => {
    const installed = await system.api<JobInfo>(
      'POST',
      '/api/install',
      filterInstallation('gw1', uniqueConnectors('refusals-ok')),
    );
    expect(installed.status).toBe(200);
    const started = await system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(started.body.jobStatus).toBe('RUNNING');
    const stopped = await system.api<JobInfo>('POST', '/api/stop', started.body);
    expect(stopped.body.jobStatus).toBe('STOPPED');
    const uninstalled = await system.api<JobInfo>('POST', '/api/uninstall', stopped.body);
    expect(uninstalled.body.jobStatus).toBe('UNINSTALLED');
  };

  it('answers a declaration RabbitMQ refuses with 409, releases the job and keeps serving', async () => {
    const connectors = uniqueConnectors('refusals-typed');
    // The output exchange exists already with another type than the rule declares.
    await testSystem!.amqp.channel.assertExchange(connectors.outputExchange, 'fanout', {
      durable: true,
    });
    const refused = await system.api<ErrorBody>(
      'POST',
      '/api/install',
      filterInstallation('gw1', connectors),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({ field: 'jobConfig.connectors' });
    expect(refused.body.errors[0].reason).toContain('PRECONDITION_FAILED');

    const jobs = await system.api<JobDetails[]>('GET', '/api/jobs');
    const failed = jobs.body.filter((j) => j.failureReason?.includes('PRECONDITION_FAILED'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ jobStatus: 'UNINSTALLED' });
    expect(failed[0].pendingOperation ?? null).toBeNull();

    await lifeCycleWorks();
    await testSystem!.amqp.channel.deleteExchange(connectors.outputExchange);
  });

  it('refuses a 256-character exchange name with 400 before the broker sees it', async () => {
    const connectors = uniqueConnectors('refusals-long');
    connectors.outputExchange = 'x'.repeat(256);
    const refused = await system.api<ErrorBody>(
      'POST',
      '/api/install',
      filterInstallation('gw1', connectors),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.field)).toEqual([
      'jobConfig.connectors.outputExchange',
    ]);
    await lifeCycleWorks();
  });
});
