import * as path from 'node:path';
import { loadOrCreateSigningKey, readSigningKey, type SigningKey } from '@ruleshift/identity';

export const ADAPTER_SIGNING_KEY_FILE_NAME = 'adapter-signing-key.pem';

/**
 * The host's part of the adapter key: the configured file (ADAPTER_SIGNING_KEY_FILE, which
 * must exist: a typo must not silently mint a new key that every agent then refuses), else
 * `<dataDir>/adapter-signing-key.pem`, generated (mode 0600) on first start.
 */
export async function loadAdapterSigningKey(options: {
  file?: string;
  dataDir: string;
  log: (message: string) => void;
}): Promise<SigningKey> {
  if (options.file) {
    const key = await readSigningKey(options.file);
    options.log(`adapter signing key from ${options.file}: ${key.publicKey.fingerprint}`);
    return key;
  }
  const file = path.join(options.dataDir, ADAPTER_SIGNING_KEY_FILE_NAME);
  const { key, created } = await loadOrCreateSigningKey(file);
  options.log(
    `${created ? 'generated the adapter signing key in' : 'adapter signing key from'} ${file}: ${key.publicKey.fingerprint}`,
  );
  return key;
}
