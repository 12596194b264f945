/**
 * `amqps://` with a CA file, a client certificate and key from configuration, against a
 * RabbitMQ node of the test's own (scripts/tls/rabbitmq-tls.sh: TLS on 127.0.0.1:5676, client
 * certificates verified, certificates generated with openssl) that is stopped afterwards. The
 * broker library connects, and refuses to without the client certificate, with one from another
 * CA, or without the CA that signed the broker's; then proxy, adapter and an agent run a rule
 * with every connection they make (edge and core) over TLS, and a rule on Flink whose job's
 * source and sinks connect over TLS with the CA and client certificate the adapter names to it
 * (templates/flink RmqConnectionsTlsTest has the Java side's refusals).
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { brokerConfigFromEnv, createBrokerRegistry } from '@ruleshift/broker';
import { RuntimeUnavailable } from '@ruleshift/contracts';
import { AmqpTestClient } from './support/amqp';
import { aboveThreshold, filterInstallation, readings, uniqueConnectors } from './support/rules';
import {
  FLINK_SYSTEM_ENV,
  buildFlinkJobs,
  cancelFlinkJobsOf,
  ensureFlinkCluster,
} from './support/flink';
import { type JobInfo } from './support/flink-rules';
import { waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

const execFileAsync = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../scripts/tls/rabbitmq-tls.sh');
const NODE = 'ruleshift-tls@localhost';
const DIR = path.join(process.env.TMPDIR ?? '/tmp', 'ruleshift-tls');
const CERTS = path.join(DIR, 'certs');
const TLS_PORT = 5676;
const cert = (name: string): string => path.join(CERTS, name);
const tlsUrl = (vhost: string): string =>
  `amqps://guest:guest@localhost:${TLS_PORT}/${encodeURIComponent(vhost)}`;
const TLS_ENV = {
  AMQP_TLS_CA_FILE: cert('ca.pem'),
  AMQP_TLS_CERT_FILE: cert('client.pem'),
  AMQP_TLS_KEY_FILE: cert('client.key'),
};

function script(action: 'start' | 'stop'): void {
  execFileSync('bash', [SCRIPT, action], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 180_000,
    env: { ...process.env, TLS_RABBITMQ_DIR: DIR },
  });
}

async function connectFails(env: NodeJS.ProcessEnv): Promise<unknown> {
  const registry = createBrokerRegistry('tls-refused', brokerConfigFromEnv(env));
  const failure = await registry.get('edge').catch((error: unknown) => error);
  await registry.closeAll();
  return failure;
}

interface TlsConnection {
  name: string;
  ssl: boolean;
  peerCertSubject: string;
}

/** The connections this node holds, by connection name (asynchronously: see below). */
async function nodeConnections(): Promise<TlsConnection[]> {
  const { stdout } = await execFileAsync('rabbitmqctl', [
    '-n',
    NODE,
    'list_connections',
    'client_properties',
    'ssl',
    'peer_cert_subject',
    '--formatter',
    'json',
  ]);
  const connections = JSON.parse(stdout) as Array<{
    ssl: boolean;
    peer_cert_subject: string;
    client_properties: Array<[string, string, unknown]>;
  }>;
  return connections.map((c) => ({
    name: String(c.client_properties.find(([key]) => key === 'connection_name')?.[2]),
    ssl: c.ssl,
    peerCertSubject: String(c.peer_cert_subject),
  }));
}

describe('amqps:// with CA, client certificate and key (own RabbitMQ node with TLS)', () => {
  let system: TestSystem | undefined;
  const flinkRules = new Set<string>();

  /** Proxy, adapter (with the Flink runtime) and agent gw1, every broker URL amqps. */
  async function tlsSystem(): Promise<TestSystem> {
    if (!system) {
      await ensureFlinkCluster();
      buildFlinkJobs();
      system = await startTestSystem({
        agents: ['gw1'],
        extraEnv: {
          EDGE_AMQP_URL: tlsUrl('edge'),
          CORE_AMQP_URL: tlsUrl('core'),
          ...TLS_ENV,
          ...FLINK_SYSTEM_ENV,
        },
      });
    }
    return system;
  }

  async function tlsClient(): Promise<AmqpTestClient> {
    return AmqpTestClient.connect(tlsUrl('edge'), {
      ca: [readFileSync(cert('ca.pem'))],
      cert: readFileSync(cert('client.pem')),
      key: readFileSync(cert('client.key')),
    });
  }

  beforeAll(() => {
    script('start');
    for (const vhost of ['edge', 'core']) {
      execFileSync('rabbitmqctl', ['-n', NODE, 'add_vhost', vhost], { stdio: 'ignore' });
      execFileSync(
        'rabbitmqctl',
        ['-n', NODE, 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'],
        {
          stdio: 'ignore',
        },
      );
    }
  }, 240_000);

  afterAll(async () => {
    await cancelFlinkJobsOf(flinkRules);
    await system?.stop();
    script('stop');
  }, 240_000);

  printLogsOnFailure(() => system?.system);

  it('connects with the configured CA and client certificate, and declares and publishes', async () => {
    const registry = createBrokerRegistry(
      'tls-test',
      brokerConfigFromEnv({ EDGE_AMQP_URL: tlsUrl('edge'), ...TLS_ENV }),
    );
    const edge = await registry.get('edge');
    await edge.assert({ queues: [{ name: 'tls-check', autoDelete: false }] });
    await edge.publish('', 'tls-check', Buffer.from('over TLS'));
    await waitUntil(
      'the message in the queue',
      async () => (await edge.queueDepth('tls-check')) === 1,
    );
    await registry.closeAll();
  });

  it.each([
    ['no client certificate', { AMQP_TLS_CA_FILE: cert('ca.pem') }],
    [
      'a client certificate of another CA',
      {
        ...TLS_ENV,
        AMQP_TLS_CERT_FILE: cert('stranger.pem'),
        AMQP_TLS_KEY_FILE: cert('stranger.key'),
      },
    ],
    [
      "no CA for the broker's certificate",
      { AMQP_TLS_CERT_FILE: cert('client.pem'), AMQP_TLS_KEY_FILE: cert('client.key') },
    ],
  ])('refuses the connection with %s', async (_case, tls) => {
    const failure = await connectFails({ EDGE_AMQP_URL: tlsUrl('edge'), ...tls });
    expect(failure).toBeInstanceOf(RuntimeUnavailable);
    expect((failure as Error).message).not.toContain('guest:guest');
  });

  it('runs a rule with proxy, adapter and agent connected over TLS only', async () => {
    const tls = await tlsSystem();
    const connectors = uniqueConnectors('tls');
    const installed = await tls.system.api<JobInfo>(
      'POST',
      '/api/install',
      filterInstallation('gw1', connectors),
    );
    expect(installed.status).toBe(200);
    const started = await tls.system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(started.body.jobStatus).toBe('RUNNING');

    const client = await tlsClient();
    const output = await client.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(50);
    await client.publishJson(connectors.inputExchange, connectors.inputRoutingKey, events);
    const expected = aboveThreshold(events);
    await waitUntil('filtered outputs over TLS', async () => output.count >= expected.length);
    expect(output.json()).toEqual(expected);
    await client.close();

    // Every connection the processes hold to this node is a TLS one. Asynchronously: a blocked
    // event loop would miss the proxy closing an idle keep-alive socket, and reuse it.
    const names = await nodeConnections();
    for (const side of ['proxy', 'adapter', 'agent']) {
      expect(names.some((c) => String(c.name).includes(side))).toBe(true);
    }
    expect(names.filter((c) => !c.ssl)).toEqual([]);

    const uninstalled = await tls.system.api<JobInfo>('POST', '/api/uninstall', started.body);
    expect(uninstalled.status).toBe(200);
  });

  it("runs a rule on Flink whose job's source and sinks connect over TLS with the client certificate", async () => {
    const tls = await tlsSystem();
    const connectors = uniqueConnectors('tls-flink');
    const installed = await tls.system.api<JobInfo>(
      'POST',
      '/api/install',
      filterInstallation('flink', connectors, 'flink'),
    );
    expect(installed.status).toBe(200);
    flinkRules.add(installed.body.jobId);
    const started = await tls.system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(started.body.jobStatus).toBe('RUNNING');

    const client = await tlsClient();
    const output = await client.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(50);
    await client.publishJson(connectors.inputExchange, connectors.inputRoutingKey, events);
    const expected = aboveThreshold(events);
    await waitUntil(
      'filtered outputs from Flink over TLS',
      async () => output.count >= expected.length,
      120_000,
    );
    expect(output.json()).toEqual(expected);
    await client.close();

    // The job's source and output sink are TLS connections that presented the client certificate.
    const jobConnections = (await nodeConnections()).filter((c) =>
      c.name.includes(installed.body.jobId),
    );
    for (const side of ['ruleshift-flink-source-', 'ruleshift-flink-sink-']) {
      expect(jobConnections.some((c) => c.name.startsWith(side))).toBe(true);
    }
    expect(jobConnections.filter((c) => !c.ssl)).toEqual([]);
    for (const c of jobConnections) expect(c.peerCertSubject).toContain('ruleshift-client');

    const uninstalled = await tls.system.api<JobInfo>('POST', '/api/uninstall', started.body);
    expect(uninstalled.status).toBe(200);
  });
});
