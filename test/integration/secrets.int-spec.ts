/**
 * Secrets stay where they are configured: a broker password (a RabbitMQ user this test creates),
 * the admin token and an API key never show in API answers (but the one that creates the key),
 * in the processes' logs, or anywhere Flink's REST API and web UI show a running rule's job:
 * job details, its configuration, plan, exceptions, the JobManager's and TaskManager's logs and
 * the plan Flink computes for the same program arguments. Real proxy, adapter and agent
 * processes, RabbitMQ, PostgreSQL and the shared Flink session cluster.
 */
import { randomBytes } from 'node:crypto';
import { type FlinkTestSystem, liveFlinkJobsOf, startFlinkTestSystem } from './support/flink';
import { type JobInfo } from './support/flink-rules';
import { createPrivateVhosts, type PrivateVhosts } from './support/private-vhosts';
import { rabbitmqctl } from './support/rabbitmqctl';
import { filterInstallation, uniqueConnectors } from './support/rules';
import { FLINK_REST_URL, RABBITMQ_HOST } from './support/services';
import { TEST_ADMIN_TOKEN, waitUntil } from './support/system';
import { printLogsOnFailure } from './support/test-system';

const BROKER_USER = `ruleshift-secrets-${process.pid}`;
const BROKER_PASSWORD = `brokerpw-${randomBytes(12).toString('hex')}`;

async function text(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  return `${response.status} ${await response.text()}`;
}

describe('secrets never leave configuration (real processes, RabbitMQ, Flink)', () => {
  let vhosts: PrivateVhosts;
  let flink: FlinkTestSystem | undefined;
  const started = new Set<string>();

  beforeAll(async () => {
    vhosts = createPrivateVhosts('ruleshift-secrets');
    rabbitmqctl('add_user', BROKER_USER, BROKER_PASSWORD);
    for (const url of [vhosts.edgeUrl, vhosts.coreUrl]) {
      const vhost = decodeURIComponent(new URL(url).pathname.slice(1));
      rabbitmqctl('set_permissions', '-p', vhost, BROKER_USER, '.*', '.*', '.*');
    }
    const withSecret = (url: string): string =>
      url.replace('guest:guest@', `${BROKER_USER}:${BROKER_PASSWORD}@`);
    flink = await startFlinkTestSystem(started, {
      EDGE_AMQP_URL: withSecret(vhosts.edgeUrl),
      CORE_AMQP_URL: withSecret(vhosts.coreUrl),
    });
  }, 900_000);

  afterAll(async () => {
    await flink?.stop();
    rabbitmqctl('delete_user', BROKER_USER);
    vhosts.remove();
  });

  printLogsOnFailure(() => flink?.system);

  it('keeps the broker password, the admin token and API keys out of every answer and log', async () => {
    const { system } = flink!;
    const installed = await system.api<JobInfo>(
      'POST',
      '/api/install',
      filterInstallation('flink', uniqueConnectors('secrets'), 'flink'),
    );
    expect(installed.status).toBe(200);
    const jobId = installed.body.jobId;
    started.add(jobId);
    const running = await system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(running.body.jobStatus).toBe('RUNNING');
    const key = await system.api<{ id: string; token: string }>('POST', '/api/tokens', {
      name: 'secrets-test',
      role: 'viewer',
    });
    expect(key.status).toBe(201);

    const answers: string[] = [];
    for (const path of [
      '/api/jobs',
      `/api/jobs/${jobId}`,
      `/api/jobs/${jobId}/config`,
      '/api/runtimes',
      '/api/health/details',
      '/api/tokens',
      '/api/audit',
      '/api/docs-json',
    ]) {
      const answer = await system.api('GET', path);
      answers.push(`${path} ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    answers.push(JSON.stringify(installed.body), JSON.stringify(running.body));

    const [flinkJob] = await liveFlinkJobsOf(jobId);
    const jid = flinkJob.jid;
    await waitUntil('the Flink job RUNNING', async () =>
      (await text(`${FLINK_REST_URL}/jobs/${jid}`)).includes('"state":"RUNNING"'),
    );
    const flinkViews: string[] = [];
    for (const path of [
      `/jobs/${jid}`,
      `/jobs/${jid}/config`,
      `/jobs/${jid}/jobmanager/config`,
      `/jobs/${jid}/jobmanager/environment`,
      `/jobs/${jid}/plan`,
      `/jobs/${jid}/exceptions`,
      '/jobmanager/config',
      '/jobmanager/log',
      '/jobmanager/stdout',
      '/jars',
    ]) {
      flinkViews.push(`${path} ${await text(`${FLINK_REST_URL}${path}`)}`);
    }
    const taskManagers = JSON.parse(
      await (await fetch(`${FLINK_REST_URL}/taskmanagers`)).text(),
    ) as {
      taskmanagers: Array<{ id: string }>;
    };
    for (const { id } of taskManagers.taskmanagers) {
      for (const file of ['log', 'stdout']) {
        flinkViews.push(await text(`${FLINK_REST_URL}/taskmanagers/${id}/${file}`));
      }
    }
    // The plan of the same program arguments the adapter passes (Flink echoes nothing of them).
    const { files } = JSON.parse(await (await fetch(`${FLINK_REST_URL}/jars`)).text()) as {
      files: Array<{ id: string }>;
    };
    const config = await system.api<{ content: unknown }>('GET', `/api/jobs/${jobId}/config`);
    const programArgsList = [
      '--config-base64',
      Buffer.from(JSON.stringify(config.body.content)).toString('base64'),
      '--broker',
      `edge=amqp://${BROKER_USER}:${BROKER_PASSWORD}@${RABBITMQ_HOST}/x`,
    ];
    for (const { id } of files) {
      flinkViews.push(
        await text(`${FLINK_REST_URL}/jars/${id}/plan`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ entryClass: 'io.ruleshift.flink.FilterJob', programArgsList }),
        }),
      );
    }

    const logs = system.logs();
    const everything = { answers: answers.join('\n'), logs, flink: flinkViews.join('\n') };
    for (const [where, content] of Object.entries(everything)) {
      for (const secret of [BROKER_PASSWORD, TEST_ADMIN_TOKEN]) {
        expect({ where, leaked: content.includes(secret) }).toEqual({ where, leaked: false });
      }
      expect({ where, leaked: content.includes(key.body.token) }).toEqual({ where, leaked: false });
    }
    // The views were real: the job and its rule showed up where they were looked for.
    expect(everything.answers).toContain(jobId);
    expect(everything.flink).toContain(`ruleshift filter ${jobId}`);
  });
});
