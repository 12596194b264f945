import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ReplayGuard,
  SigningKey,
  VerifyKey,
  artifactSignatureValid,
  loadOrCreateSigningKey,
  openSignedMessage,
  signArtifact,
  signMessage,
} from './index';

describe('libs/identity', () => {
  const key = SigningKey.generate();

  it('opens a message only when its exact text carries the key’s signature', () => {
    const signed = signMessage(key, { agentId: 'gw-1', n: 1 });
    expect(openSignedMessage(key.publicKey, signed)).toEqual({ agentId: 'gw-1', n: 1 });
    expect(
      openSignedMessage(key.publicKey, { ...signed, payload: signed.payload.replace('1', '2') }),
    ).toBeUndefined();
    expect(openSignedMessage(SigningKey.generate().publicKey, signed)).toBeUndefined();
    expect(openSignedMessage(key.publicKey, { ...signed, signature: 'AAAA' })).toBeUndefined();
    expect(openSignedMessage(key.publicKey, { agentId: 'gw-1' })).toBeUndefined();
  });

  it('signs artifacts over jobType, version and sha256', () => {
    const ref = { jobType: 'filter', version: '1.0.0', sha256: 'a'.repeat(64) };
    const signature = signArtifact(key, ref);
    expect(artifactSignatureValid(key.publicKey, ref, signature)).toBe(true);
    expect(artifactSignatureValid(key.publicKey, { ...ref, version: '0.9.0' }, signature)).toBe(
      false,
    );
    expect(
      artifactSignatureValid(key.publicKey, { ...ref, sha256: 'b'.repeat(64) }, signature),
    ).toBe(false);
    expect(artifactSignatureValid(key.publicKey, ref, undefined)).toBe(false);
  });

  it('accepts a nonce once, within the window only', () => {
    let now = 1_000_000;
    const guard = new ReplayGuard(60_000, () => now);
    expect(guard.check('n1', now)).toBeUndefined();
    expect(guard.check('n1', now)).toBe('replayed');
    expect(guard.check('n2', now - 61_000)).toBe('expired');
    expect(guard.check('n3', now + 61_000)).toBe('from-the-future');
    now += 120_000;
    expect(guard.check('n1', now)).toBeUndefined();
  });

  it('refuses keys that are not ed25519, and persists a generated one with mode 0600', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      VerifyKey.fromPem(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ).toThrow(/not ed25519/);
    const dir = mkdtempSync(path.join(tmpdir(), 'identity-'));
    try {
      const file = path.join(dir, 'keys', 'adapter.pem');
      const first = await loadOrCreateSigningKey(file);
      const again = await loadOrCreateSigningKey(file);
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.key.publicKey.pem).toBe(first.key.publicKey.pem);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
