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
      }),
    ).toEqual({
      name: 'core-eu',
      restUrl: 'http://jm:8081',
      brokerOverrides: { edge: 'amqp://u:p@rabbit.flink:5672/edge' },
      startTimeoutMs: 120_000,
      savepointTimeoutMs: 120_000,
      monitorIntervalMs: 1000,
    });
  });

  it('defaults the cluster name to flink and names a bad variable', () => {
    expect(flinkClusterConfigFromEnv({ FLINK_REST_URL: 'http://jm:8081' })?.name).toBe('flink');
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
});
