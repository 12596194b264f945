import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { brokerTlsFromEnv } from './broker-tls';

describe('brokerTlsFromEnv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ruleshift-tls-'));
  const pem = (name: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`);
    return file;
  };

  const notPem = path.join(dir, 'not.pem');
  writeFileSync(notPem, 'plain text');

  it('is undefined when no AMQP_TLS_* is set', () => {
    expect(brokerTlsFromEnv({})).toBeUndefined();
  });

  it('reads the CA, client certificate and key', () => {
    const tls = brokerTlsFromEnv({
      AMQP_TLS_CA_FILE: pem('ca.pem'),
      AMQP_TLS_CERT_FILE: pem('client.pem'),
      AMQP_TLS_KEY_FILE: pem('client.key'),
    });
    expect(tls?.ca?.toString()).toContain('ca.pem');
    expect(tls?.cert?.toString()).toContain('client.pem');
    expect(tls?.key?.toString()).toContain('client.key');
  });

  it.each([
    [{ AMQP_TLS_CERT_FILE: 'x' }, 'AMQP_TLS_KEY_FILE'],
    [{ AMQP_TLS_CA_FILE: '/no/such/ca.pem' }, 'AMQP_TLS_CA_FILE'],
    [{ AMQP_TLS_CA_FILE: notPem }, 'AMQP_TLS_CA_FILE'],
  ])('refuses %j naming %s', (env, field) => {
    expect(() => brokerTlsFromEnv(env)).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field })] }),
    );
  });
});
