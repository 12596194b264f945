import { resolve } from 'node:path';
import { parseAdapterEnv } from './adapter-env';

describe('parseAdapterEnv', () => {
  const base = { DATABASE_URL: 'postgres://db/ruleshift', CORE_AMQP_URL: 'amqp://rabbit/core' };

  it('applies the documented defaults', () => {
    expect(parseAdapterEnv(base)).toEqual({
      databaseUrl: 'postgres://db/ruleshift',
      coreAmqpUrl: 'amqp://rabbit/core',
      httpPort: 3001,
      publicUrl: 'http://127.0.0.1:3001',
      templatesDir: undefined,
      dataDir: resolve('.data'),
      signingKeyFile: undefined,
      heartbeatIntervalMs: 2000,
      prefetch: 16,
      leadership: { leaseTtlMs: 10_000, renewIntervalMs: 2_000 },
      uninstalledRetentionMs: 168 * 3600_000,
      deadLetterMaxLength: 10000,
      placementIntervalMs: 5000,
    });
  });

  it('requires DATABASE_URL and CORE_AMQP_URL and names every bad variable', () => {
    expect(() => parseAdapterEnv({ ADAPTER_HTTP_PORT: 'x' })).toThrow(
      /DATABASE_URL.*CORE_AMQP_URL.*ADAPTER_HTTP_PORT/,
    );
  });

  it('uses ADAPTER_PUBLIC_URL when given', () => {
    expect(parseAdapterEnv({ ...base, ADAPTER_PUBLIC_URL: 'http://adapter:8080' }).publicUrl).toBe(
      'http://adapter:8080',
    );
  });
});
