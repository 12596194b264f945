import { parseProxyEnv } from './proxy-env';

describe('parseProxyEnv', () => {
  const ADMIN = 'rs_0123456789abcdefghijklmnop';

  it('requires both broker URLs and defaults PORT and HOST (loopback)', () => {
    expect(
      parseProxyEnv({
        CORE_AMQP_URL: 'amqp://h/core',
        EDGE_AMQP_URL: 'amqp://h/edge',
        RULESHIFT_ADMIN_TOKEN: ADMIN,
      }),
    ).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      CORE_AMQP_URL: 'amqp://h/core',
      EDGE_AMQP_URL: 'amqp://h/edge',
      ADAPTER_TIMEOUT_MS: 30000,
      RULESHIFT_ADMIN_TOKEN: ADMIN,
    });
  });

  it('needs an admin token or OIDC, and OIDC complete', () => {
    const brokers = { CORE_AMQP_URL: 'amqp://h/core', EDGE_AMQP_URL: 'amqp://h/edge' };
    expect(() => parseProxyEnv(brokers)).toThrow(/RULESHIFT_ADMIN_TOKEN: is required unless/);
    expect(() => parseProxyEnv({ ...brokers, RULESHIFT_ADMIN_TOKEN: 'short' })).toThrow(
      /RULESHIFT_ADMIN_TOKEN: must be at least 24/,
    );
    expect(() => parseProxyEnv({ ...brokers, OIDC_ISSUER: 'https://idp' })).toThrow(
      /OIDC_AUDIENCE: is required with OIDC_ISSUER[\s\S]*OIDC_JWKS_URL: is required/,
    );
    expect(
      parseProxyEnv({
        ...brokers,
        OIDC_ISSUER: 'https://idp',
        OIDC_AUDIENCE: 'ruleshift',
        OIDC_JWKS_URL: 'https://idp/jwks',
      }).OIDC_ROLE_CLAIM,
    ).toBe('ruleshift_role');
  });

  it('names every bad variable', () => {
    expect(() => parseProxyEnv({ PORT: 'http', EDGE_AMQP_URL: 'http://x' })).toThrow(
      /PORT[\s\S]*CORE_AMQP_URL[\s\S]*EDGE_AMQP_URL: must be an amqp/,
    );
  });
});
