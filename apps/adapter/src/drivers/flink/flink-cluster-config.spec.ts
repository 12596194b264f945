import { flinkClusterConfigFromEnv } from './flink-cluster-config';

describe('flinkClusterConfigFromEnv', () => {
  it('is undefined without FLINK_REST_URL', () => {
    expect(flinkClusterConfigFromEnv({})).toBeUndefined();
  });

  it('reads the cluster name, per-broker overrides and timings', () => {
    expect(
      flinkClusterConfigFromEnv({
        FLINK_REST_URL: 'http://jm:8081',
        FLINK_CLUSTER_NAME: 'core-eu',
        FLINK_BROKER_EDGE_URL: 'amqp://u:p@rabbit.flink:5672/edge',
        BROKER_EXTRA_URL: 'amqp://u:p@x:5672/x',
        FLINK_MONITOR_INTERVAL_MS: '1000',
        FLINK_CHECKPOINT_INTERVAL_MS: '2500',
      }),
    ).toEqual({
      name: 'core-eu',
      restUrl: 'http://jm:8081',
      brokerOverrides: { edge: 'amqp://u:p@rabbit.flink:5672/edge' },
      tlsFiles: { caFile: undefined, certFile: undefined, keyFile: undefined },
      startTimeoutMs: 120_000,
      savepointTimeoutMs: 120_000,
      checkpointIntervalMs: 2500,
      monitorIntervalMs: 1000,
    });
  });

  it('defaults the cluster name to flink and names a bad variable', () => {
    expect(flinkClusterConfigFromEnv({ FLINK_REST_URL: 'http://jm:8081' })?.name).toBe('flink');
    expect(
      flinkClusterConfigFromEnv({ FLINK_REST_URL: 'http://jm:8081' })?.checkpointIntervalMs,
    ).toBe(1000);
    expect(() =>
      flinkClusterConfigFromEnv({
        FLINK_REST_URL: 'http://jm:8081',
        FLINK_CHECKPOINT_INTERVAL_MS: '0',
      }),
    ).toThrow(/FLINK_CHECKPOINT_INTERVAL_MS/);
    expect(() =>
      flinkClusterConfigFromEnv({
        FLINK_REST_URL: 'http://jm:8081',
        FLINK_BROKER_X_URL: 'http://x',
      }),
    ).toThrow(/FLINK_BROKER_X_URL/);
    expect(() => flinkClusterConfigFromEnv({ FLINK_REST_URL: 'jm:8081' })).toThrow(
      /FLINK_REST_URL/,
    );
  });

  it("gives Flink jobs the TLS file paths, FLINK_AMQP_TLS_* over the adapter's own", () => {
    const tls = (env: NodeJS.ProcessEnv) =>
      flinkClusterConfigFromEnv({ FLINK_REST_URL: 'http://jm:8081', ...env })?.tlsFiles;
    expect(
      tls({
        AMQP_TLS_CA_FILE: '/adapter/ca.pem',
        AMQP_TLS_CERT_FILE: '/adapter/client.pem',
        AMQP_TLS_KEY_FILE: '/adapter/client.key',
        FLINK_AMQP_TLS_KEY_FILE: '/flink/client.pk8',
      }),
    ).toEqual({
      caFile: '/adapter/ca.pem',
      certFile: '/adapter/client.pem',
      keyFile: '/flink/client.pk8',
    });
    expect(() => tls({ FLINK_AMQP_TLS_CERT_FILE: '/flink/client.pem' })).toThrow(
      expect.objectContaining({
        errors: [expect.objectContaining({ field: 'FLINK_AMQP_TLS_KEY_FILE' })],
      }),
    );
  });
});
