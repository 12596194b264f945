import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** Hex sha256 of a public key's DER (SPKI) encoding: how keys are named in logs and listings. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

function assertEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key, not ed25519`);
  }
  return key;
}

/** A public key that checks ed25519 signatures (PEM, SPKI). */
export class VerifyKey {
  private constructor(
    private readonly key: KeyObject,
    readonly pem: string,
  ) {}

  /** Throws when `pem` is not an ed25519 public key. */
  static fromPem(pem: string): VerifyKey {
    // createPublicKey also derives a public key from a private one: refuse a leaked private key.
    if (pem.includes('PRIVATE KEY')) throw new Error('a private key where a public key belongs');
    const key = assertEd25519(createPublicKey(pem), 'public key');
    return new VerifyKey(key, key.export({ type: 'spki', format: 'pem' }).toString());
  }

  get fingerprint(): string {
    return publicKeyFingerprint(this.pem);
  }

  /** False (never a throw) for a malformed signature. */
  verify(data: string | Buffer, signatureBase64: string): boolean {
    if (typeof signatureBase64 !== 'string') return false;
    const signature = Buffer.from(signatureBase64, 'base64');
    if (signature.length !== 64) return false;
    try {
      return verify(null, Buffer.from(data), this.key, signature);
    } catch {
      return false;
    }
  }
}

/** An ed25519 private key (PEM, PKCS#8) with its public half. */
export class SigningKey {
  readonly publicKey: VerifyKey;

  private constructor(private readonly key: KeyObject) {
    this.publicKey = VerifyKey.fromPem(
      createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
    );
  }

  static generate(): SigningKey {
    return new SigningKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** Throws when `pem` is not an ed25519 private key. */
  static fromPem(pem: string): SigningKey {
    return new SigningKey(assertEd25519(createPrivateKey(pem), 'private key'));
  }

  toPem(): string {
    return this.key.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  /** Base64 signature of `data`. */
  sign(data: string | Buffer): string {
    return sign(null, Buffer.from(data), this.key).toString('base64');
  }
}
