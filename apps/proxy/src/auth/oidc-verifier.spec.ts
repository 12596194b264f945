import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';
import { OidcVerifier } from './oidc-verifier';

const ISSUER = 'https://idp.test/realms/ruleshift';
const AUDIENCE = 'ruleshift-api';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

/** The identity provider's JWKS endpoint, served by the test; `keys` can be rotated. */
class LocalJwks {
  keys: JWK[] = [];
  fetches = 0;
  private readonly server: Server = createServer((_req, res) => {
    this.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: this.keys }));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const jwt = (key: SigningKey, claims: Record<string, unknown> = {}, expiresIn = '5m') =>
  new SignJWT({ ruleshift_role: 'viewer', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);

describe('OIDC JWTs verified against a JWKS', () => {
  let jwks: LocalJwks;
  let jwksUrl: string;
  let first: SigningKey;
  let verifier: OidcVerifier;

  beforeAll(async () => {
    jwks = new LocalJwks();
    jwksUrl = await jwks.start();
    first = await signingKey('key-1');
  });
  beforeEach(() => {
    jwks.keys = [first.jwk];
    verifier = new OidcVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl,
      roleClaim: 'ruleshift_role',
      jwksCooldownMs: 0,
    });
  });
  afterAll(async () => {
    await jwks.close();
  });

  it('accepts a valid token and takes the role from the claim', async () => {
    await expect(verifier.verify(await jwt(first))).resolves.toEqual({
      principal: { subject: 'jwt:alice', role: 'viewer' },
    });
    await expect(
      verifier.verify(await jwt(first, { ruleshift_role: ['viewer', 'operator'] })),
    ).resolves.toEqual({ principal: { subject: 'jwt:alice', role: 'operator' } });
  });

  it('reads a nested claim (Keycloak realm roles)', async () => {
    const nested = new OidcVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl,
      roleClaim: 'realm_access.roles',
      jwksCooldownMs: 0,
    });
    const token = await jwt(first, { realm_access: { roles: ['offline_access', 'admin'] } });
    await expect(nested.verify(token)).resolves.toEqual({
      principal: { subject: 'jwt:alice', role: 'admin' },
    });
  });

  it.each([
    ['another audience', { aud: 'someone-else' }],
    ['another issuer', { iss: 'https://evil.test' }],
    ['no role', { ruleshift_role: 'superuser' }],
  ])('rejects a token with %s', async (_what, claims) => {
    const token = await new SignJWT({ ruleshift_role: 'viewer', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: first.kid })
      .setIssuer((claims as { iss?: string }).iss ?? ISSUER)
      .setAudience((claims as { aud?: string }).aud ?? AUDIENCE)
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(first.privateKey);
    await expect(verifier.verify(token)).resolves.toEqual({ rejected: expect.any(String) });
  });

  it('rejects an expired token, a foreign key and an unsigned token', async () => {
    const expired = await jwt(first, {}, '-1m');
    await expect(verifier.verify(expired)).resolves.toEqual({
      rejected: 'JWT rejected (ERR_JWT_EXPIRED)',
    });
    const stranger = await signingKey('key-1');
    await expect(verifier.verify(await jwt(stranger))).resolves.toEqual({
      rejected: expect.stringContaining('JWT rejected'),
    });
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', ruleshift_role: 'admin' }),
    ).toString('base64url')}.x`;
    await expect(verifier.verify(unsigned)).resolves.toEqual({
      rejected: expect.stringContaining('JWT rejected'),
    });
  });

  it('picks up a rotated key: a new kid refetches the key set, the retired key stops working', async () => {
    const before = await jwt(first);
    await expect(verifier.verify(before)).resolves.toHaveProperty('principal');
    const second = await signingKey('key-2');
    jwks.keys = [second.jwk];
    await expect(verifier.verify(await jwt(second))).resolves.toEqual({
      principal: { subject: 'jwt:alice', role: 'viewer' },
    });
    await expect(verifier.verify(before)).resolves.toHaveProperty('rejected');
  });

  it('answers 503-style RuntimeUnavailable when the key set cannot be fetched', async () => {
    const unreachable = new OidcVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: 'http://127.0.0.1:1/jwks',
      roleClaim: 'ruleshift_role',
    });
    await expect(unreachable.verify(await jwt(first))).rejects.toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
    });
  });

  describe('through the HTTP API', () => {
    let t: ProxyTestApp;

    beforeAll(async () => {
      t = await createProxyTestApp({
        oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUrl, roleClaim: 'ruleshift_role' },
      });
      t.adapter.on('jobs.list', () => ({ items: [] }));
    });
    afterAll(async () => {
      await t.close();
    });

    it('a viewer JWT reads (200), cannot install (403); a bad JWT is 401', async () => {
      const token = await jwt(first);
      await t.http(token).get('/api/jobs').expect(200);
      const refused = await t.http(token).post('/api/install').send({}).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      const expired = await t
        .http(await jwt(first, {}, '-1m'))
        .get('/api/jobs')
        .expect(401);
      expect(expired.body.errors[0].reason).toBe('JWT rejected (ERR_JWT_EXPIRED)');
    });
  });
});
