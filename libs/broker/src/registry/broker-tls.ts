import { readFileSync } from 'node:fs';
import { ValidationFailed } from '@ruleshift/contracts';

/** TLS material for every `amqps://` connection: PEM contents, read once at boot. */
export interface BrokerTls {
  /** Trusted CA(s) for the broker's certificate; unset: Node's default CAs. */
  ca?: Buffer;
  /** Client certificate and key, for brokers that verify peers (`fail_if_no_peer_cert`). */
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
}

/**
 * Reads AMQP_TLS_CA_FILE, AMQP_TLS_CERT_FILE, AMQP_TLS_KEY_FILE (cert and key together) and
 * AMQP_TLS_KEY_PASSPHRASE. Undefined when none is set. A file that cannot be read fails the
 * boot naming its variable; the contents never appear in an error.
 */
export function brokerTlsFromEnv(env: NodeJS.ProcessEnv): BrokerTls | undefined {
  const certFile = env.AMQP_TLS_CERT_FILE || undefined;
  const keyFile = env.AMQP_TLS_KEY_FILE || undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const field = certFile === undefined ? 'AMQP_TLS_CERT_FILE' : 'AMQP_TLS_KEY_FILE';
    throw new ValidationFailed([
      { field, reason: 'AMQP_TLS_CERT_FILE and AMQP_TLS_KEY_FILE go together' },
    ]);
  }
  const caFile = env.AMQP_TLS_CA_FILE || undefined;
  if (!caFile && !certFile) return undefined;
  return {
    ca: caFile ? readPem(caFile, 'AMQP_TLS_CA_FILE') : undefined,
    cert: certFile ? readPem(certFile, 'AMQP_TLS_CERT_FILE') : undefined,
    key: keyFile ? readPem(keyFile, 'AMQP_TLS_KEY_FILE') : undefined,
    passphrase: env.AMQP_TLS_KEY_PASSPHRASE || undefined,
  };
}

function readPem(file: string, field: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ValidationFailed([{ field, reason: `cannot read ${file} (${code})` }]);
  }
  if (!content.toString('latin1').includes('-----BEGIN ')) {
    throw new ValidationFailed([{ field, reason: `${file} is not a PEM file` }]);
  }
  return content;
}
