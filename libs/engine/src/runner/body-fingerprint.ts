/**
 * A fast non-cryptographic 53-bit fingerprint of a message body: two 32-bit FNV-1a variants
 * (different offset bases) joined into one safe JSON integer. Used to recognise redelivered
 * inputs after a crash and to make deterministic output message ids; collisions only cost a
 * wrongly skipped redelivery among the few hundred a checkpoint covers (odds ~n²/2^54).
 */
const FNV_PRIME = 0x01000193;
const OFFSET_A = 0x811c9dc5;
const OFFSET_B = 0x050c5d1f;

export function bodyFingerprint(body: Buffer): number {
  let a = OFFSET_A;
  let b = OFFSET_B;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    a = Math.imul(a ^ byte, FNV_PRIME);
    b = Math.imul(b ^ byte ^ (i & 0xff), FNV_PRIME);
  }
  // 21 high bits from b, 32 from a: below 2^53, exact as a JSON number.
  return (b >>> 11) * 0x100000000 + (a >>> 0);
}

export const fingerprintHex = (fingerprint: number): string =>
  fingerprint.toString(16).padStart(14, '0');
