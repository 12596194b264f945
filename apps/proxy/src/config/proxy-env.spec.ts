import { parseProxyEnv } from './proxy-env';

describe('parseProxyEnv', () => {
  it('requires both broker URLs and defaults PORT', () => {
    expect(
      parseProxyEnv({ CORE_AMQP_URL: 'amqp://h/core', EDGE_AMQP_URL: 'amqp://h/edge' }),
    ).toEqual({
      PORT: 3000,
      CORE_AMQP_URL: 'amqp://h/core',
      EDGE_AMQP_URL: 'amqp://h/edge',
      ADAPTER_TIMEOUT_MS: 30000,
    });
  });

  it('names every bad variable', () => {
    expect(() => parseProxyEnv({ PORT: 'http', EDGE_AMQP_URL: 'http://x' })).toThrow(
      /PORT[\s\S]*CORE_AMQP_URL[\s\S]*EDGE_AMQP_URL: must be an amqp/,
    );
  });
});
