import { resolve } from 'node:path';
import { parseStandaloneEnv } from './standalone-env';

describe('parseStandaloneEnv', () => {
  it('defaults to port 3000, agent local, embedded everything under ./.data', () => {
    expect(parseStandaloneEnv({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('.data'),
      databaseUrl: undefined,
      publicUrl: undefined,
      agentId: 'local',
      agentDataDir: undefined,
      extraAgentIds: [],
      heartbeatIntervalMs: 2000,
      templatesDir: undefined,
      deadLetterMaxLength: 10000,
      inMemoryQueueLimits: { maxLength: 100000, maxLengthBytes: 64 * 1024 * 1024 },
      placementIntervalMs: 5000,
      auth: {
        adminToken: undefined,
        oidc: undefined,
        apiKeyCacheTtlMs: 10_000,
        failedAuth: { maxFailures: 10, windowSeconds: 60, blockSeconds: 300 },
      },
    });
  });

  it('reads and resolves what is set, treating empty as unset', () => {
    const env = parseStandaloneEnv({
      PORT: '0',
      RULESHIFT_DATA_DIR: '/tmp/rs',
      DATABASE_URL: '',
      ADAPTER_PUBLIC_URL: 'http://gateway.local:3000',
      AGENT_ID: 'gw-1',
      EXTRA_AGENT_IDS: 'gw-2,gw-3',
      HEARTBEAT_INTERVAL_MS: '500',
      PLACEMENT_INTERVAL_MS: '750',
    });
    expect(env).toMatchObject({
      port: 0,
      dataDir: '/tmp/rs',
      databaseUrl: undefined,
      publicUrl: 'http://gateway.local:3000',
      agentId: 'gw-1',
      extraAgentIds: ['gw-2', 'gw-3'],
      heartbeatIntervalMs: 500,
      placementIntervalMs: 750,
    });
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      parseStandaloneEnv({
        PORT: '70000',
        DATABASE_URL: 'mysql://x',
        AGENT_ID: 'no spaces',
        EXTRA_AGENT_IDS: 'gw-2,,gw-3',
        HEARTBEAT_INTERVAL_MS: '-1',
        PLACEMENT_INTERVAL_MS: '50',
      }),
    ).toThrow(
      /PORT[\s\S]*DATABASE_URL: must be a postgres:\/\/ URL[\s\S]*AGENT_ID[\s\S]*EXTRA_AGENT_IDS[\s\S]*HEARTBEAT_INTERVAL_MS[\s\S]*PLACEMENT_INTERVAL_MS/,
    );
  });
});
