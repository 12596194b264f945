import * as path from 'node:path';
import { parseAgentEnv } from './agent-env';

const urls = {
  CORE_AMQP_URL: 'amqp://core-host/core',
  EDGE_AMQP_URL: 'amqp://edge-host/edge',
  AGENT_ADAPTER_URL: 'http://adapter:3001',
};

describe('parseAgentEnv', () => {
  it('defaults the id, the data dir and the heartbeat interval', () => {
    expect(parseAgentEnv({ ...urls })).toEqual({
      agentId: 'local',
      dataDir: path.resolve('.data', 'agent-local'),
      heartbeatIntervalMs: 2000,
      adapterUrl: 'http://adapter:3001',
      enrolmentToken: undefined,
      artifactLimits: { timeoutMs: 30_000, maxBytes: 16 * 1024 * 1024 },
    });
  });

  it('derives the data dir from RULESHIFT_DATA_DIR and AGENT_ID unless AGENT_DATA_DIR is set', () => {
    expect(
      parseAgentEnv({ ...urls, AGENT_ID: 'gw-7', RULESHIFT_DATA_DIR: '/var/rs' }).dataDir,
    ).toBe(path.resolve('/var/rs/agent-gw-7'));
    expect(parseAgentEnv({ ...urls, AGENT_DATA_DIR: '/srv/agent' }).dataDir).toBe('/srv/agent');
  });

  it('requires both broker URLs and a positive interval, naming each bad variable', () => {
    expect(() => parseAgentEnv({ HEARTBEAT_INTERVAL_MS: '0' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: expect.arrayContaining([
          expect.objectContaining({ field: 'CORE_AMQP_URL' }),
          expect.objectContaining({ field: 'EDGE_AMQP_URL' }),
          expect.objectContaining({ field: 'HEARTBEAT_INTERVAL_MS' }),
          expect.objectContaining({ field: 'AGENT_ADAPTER_URL' }),
        ]),
      }),
    );
  });

  it('reads the rule host heap limit, refusing one below 16 MB naming the variable', () => {
    expect(parseAgentEnv({ ...urls, AGENT_WORKER_MAX_HEAP_MB: '256' }).workerMaxHeapMb).toBe(256);
    expect(() => parseAgentEnv({ ...urls, AGENT_WORKER_MAX_HEAP_MB: '8' })).toThrow(
      expect.objectContaining({
        errors: [expect.objectContaining({ field: 'AGENT_WORKER_MAX_HEAP_MB' })],
      }),
    );
  });
});
