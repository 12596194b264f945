import { RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import { createBrokerRegistry } from '../create-broker-registry';
import { CredentialRecordingAmqpServer } from '../testing/credential-recording-amqp-server';
import { brokerConfigFromEnv } from './broker-config';

/**
 * Credentials from configuration go only to the broker (host, port and vhost) they are
 * configured for, whatever endpoint an API client names. Real amqplib against a loopback TCP
 * server that records the PLAIN credentials of each handshake.
 */
describe('broker credentials never go to a host or vhost a client names', () => {
  const SECRET = 'TopSecret-7f3a';
  let configured: CredentialRecordingAmqpServer;
  let foreign: CredentialRecordingAmqpServer;

  beforeEach(async () => {
    configured = await CredentialRecordingAmqpServer.start();
    foreign = await CredentialRecordingAmqpServer.start();
  });

  afterEach(async () => {
    await configured.stop();
    await foreign.stop();
  });

  function registryFor(env: NodeJS.ProcessEnv) {
    return createBrokerRegistry('credentials-test', brokerConfigFromEnv(env));
  }

  function plantUrl(): string {
    return `amqp://svc:${SECRET}@127.0.0.1:${configured.port}/plant`;
  }

  it('refuses another vhost on a configured host, naming the field', async () => {
    const registry = registryFor({ BROKER_PLANT_URL: plantUrl() });
    const otherVhost = `amqp://127.0.0.1:${configured.port}/other`;
    expect(() =>
      registry.validateEndpoint(otherVhost, 'jobConfig.connectors.inputEndpoint'),
    ).toThrow(
      expect.objectContaining({
        errors: [expect.objectContaining({ field: 'jobConfig.connectors.inputEndpoint' })],
      }),
    );
    await expect(registry.get(otherVhost)).rejects.toBeInstanceOf(ValidationFailed);
    // Sentinel: the configured broker itself is reached, and that handshake is the only one.
    await expect(registry.get('plant')).rejects.toBeInstanceOf(RuntimeUnavailable);
    await configured.waitForHandshakes(1);
    expect(configured.handshakes).toEqual([{ username: 'svc', password: SECRET, vhost: 'plant' }]);
    await registry.closeAll();
  });

  it('refuses a host on no configured broker and never connects to it', async () => {
    const registry = registryFor({ BROKER_PLANT_URL: plantUrl() });
    const foreignUrl = `amqp://127.0.0.1:${foreign.port}/plant`;
    expect(() =>
      registry.validateEndpoint(foreignUrl, 'jobConfig.connectors.outputEndpoint'),
    ).toThrow(ValidationFailed);
    await expect(registry.get(foreignUrl)).rejects.toBeInstanceOf(ValidationFailed);
    await expect(registry.get('plant')).rejects.toBeInstanceOf(RuntimeUnavailable);
    await configured.waitForHandshakes(1);
    expect(foreign.handshakes).toEqual([]);
    await registry.closeAll();
  });

  it('reaches a configured broker named by its credential-free URL with its own credentials', async () => {
    const registry = registryFor({ BROKER_PLANT_URL: plantUrl() });
    await expect(registry.get(`amqp://127.0.0.1:${configured.port}/plant`)).rejects.toBeInstanceOf(
      RuntimeUnavailable,
    );
    await configured.waitForHandshakes(1);
    expect(configured.handshakes).toEqual([{ username: 'svc', password: SECRET, vhost: 'plant' }]);
    await registry.closeAll();
  });

  it('refuses the former catch-all AMQP_USERNAME/AMQP_PASSWORD at boot, naming the variable', () => {
    expect(() => brokerConfigFromEnv({ AMQP_USERNAME: 'svc', AMQP_PASSWORD: SECRET })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'AMQP_USERNAME' })] }),
    );
  });
});
