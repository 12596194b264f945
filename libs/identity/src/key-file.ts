import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { SigningKey } from './ed25519-keys';

const isCode = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === code;

/**
 * Reads an ed25519 private key (PEM) from `file`, or generates one and writes it there with
 * mode 0600. The exclusive create means two processes starting together on one data dir end
 * up with the same key: the loser of the race reads the winner's.
 */
export async function loadOrCreateSigningKey(
  file: string,
): Promise<{ key: SigningKey; created: boolean }> {
  try {
    return { key: SigningKey.fromPem(await fsp.readFile(file, 'utf8')), created: false };
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
  const key = SigningKey.generate();
  await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await fsp.writeFile(file, key.toPem(), { mode: 0o600, flag: 'wx' });
    return { key, created: true };
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    return { key: SigningKey.fromPem(await fsp.readFile(file, 'utf8')), created: false };
  }
}

/** Reads a key the configuration names; throws naming the file when it is not an ed25519 key. */
export async function readSigningKey(file: string): Promise<SigningKey> {
  const pem = await fsp.readFile(file, 'utf8');
  try {
    return SigningKey.fromPem(pem);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
