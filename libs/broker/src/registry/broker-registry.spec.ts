import { RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';
import type { BrokerConnection } from '../broker-port';
import { brokerConfigFromEnv } from './broker-config';
import { BrokerRegistryImpl, type AmqpConnectRequest } from './broker-registry';
import { redactUrl } from './endpoint';
import { InMemoryBrokerHub } from './in-memory-hub';

function fakeAmqp() {
  const requests: AmqpConnectRequest[] = [];
  const connect = jest.fn((request: AmqpConnectRequest) => {
    requests.push(request);
    return Promise.resolve({
      name: request.name,
      close: jest.fn(() => Promise.resolve()),
    } as unknown as BrokerConnection);
  });
  return { requests, connect };
}

function registry(env: NodeJS.ProcessEnv, hub = new InMemoryBrokerHub()) {
  const amqp = fakeAmqp();
  const reg = new BrokerRegistryImpl(brokerConfigFromEnv(env), {
    connectAmqp: amqp.connect,
    hub,
    clientName: 'test',
  });
  return { reg, amqp, hub };
}

describe('brokerConfigFromEnv', () => {
  it('uses in-memory brokers for edge and core when their URLs are unset', () => {
    expect(brokerConfigFromEnv({}).named).toEqual({
      edge: { kind: 'memory' },
      core: { kind: 'memory' },
    });
  });

  it('reads named brokers, with EDGE_AMQP_URL winning over BROKER_EDGE_URL', () => {
    const config = brokerConfigFromEnv({
      EDGE_AMQP_URL: 'amqp://u:p@rabbit:5672/edge',
      BROKER_EDGE_URL: 'amqp://other/edge',
      BROKER_PLANT_2_URL: 'amqps://plant2/x',
    });
    expect(config.named.edge).toEqual({ kind: 'amqp', url: 'amqp://u:p@rabbit:5672/edge' });
    expect(config.named.plant_2).toEqual({ kind: 'amqp', url: 'amqps://plant2/x' });
    expect(config.named.core).toEqual({ kind: 'memory' });
  });

  it('refuses a malformed server URL naming the variable', () => {
    expect(() => brokerConfigFromEnv({ CORE_AMQP_URL: 'http://x' })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'CORE_AMQP_URL' })] }),
    );
  });

  it.each(['AMQP_USERNAME', 'AMQP_PASSWORD'])('refuses %s, which is no longer read', (field) => {
    expect(() => brokerConfigFromEnv({ [field]: 'u' })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field })] }),
    );
  });
});

describe('BrokerRegistryImpl', () => {
  describe('validateEndpoint', () => {
    const { reg } = registry({
      BROKER_PLANT_URL: 'amqp://plant/x',
      EDGE_AMQP_URL: 'amqp://u:p@127.0.0.1:5672/edge',
      BROKER_SECURE_URL: 'amqps://u:p@localhost/v',
    });

    it.each(['edge', 'core', 'plant', 'amqp://127.0.0.1:5672/edge', 'amqps://localhost/v'])(
      'accepts %s',
      (endpoint) => expect(() => reg.validateEndpoint(endpoint, 'f')).not.toThrow(),
    );

    it.each([
      ['unknown', 'unknown broker'],
      ['constructor', 'unknown broker'],
      ['toString', 'not a valid broker name'],
      ['hasOwnProperty', 'not a valid broker name'],
      ['__proto__', 'not a valid broker name'],
      ['EDGE', "broker names are lower-case: 'edge'"],
      ['Plant', "broker names are lower-case: 'plant'"],
      ['x'.repeat(2000), 'at most 1024 characters'],
      ['', 'broker name'],
      ['bad name!', 'not a valid broker name'],
      ['http://127.0.0.1/x', 'amqp'],
      ['amqp://guest:guest@127.0.0.1/x', 'credentials'],
      ['amqp://user@127.0.0.1/x', 'credentials'],
      ['amqp://127.0.0.1/a/b', 'one path segment'],
      ['amqp://127.0.0.1/x?heartbeat=5', 'query'],
      ['amqp://rabbit.example/x', 'is not a configured broker'],
      ['amqp://127.0.0.1:5672/core', 'is not a configured broker'],
      ['amqp://127.0.0.1:5673/edge', 'is not a configured broker'],
      ['amqp://localhost:5672/edge', 'is not a configured broker'],
      ['amqps://127.0.0.1:5672/edge', 'is not a configured broker'],
      ['amqp://plant/y', 'is not a configured broker'],
    ])('refuses %s naming the field', (endpoint, reason) => {
      try {
        reg.validateEndpoint(endpoint, 'jobConfig.connectors.inputEndpoint');
        throw new Error('expected ValidationFailed');
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationFailed);
        const { errors } = error as ValidationFailed;
        expect(errors[0].field).toBe('jobConfig.connectors.inputEndpoint');
        expect(errors[0].reason).toContain(reason);
        expect(errors[0].reason).not.toContain('guest:guest');
      }
    });
  });

  it('shares one in-memory broker per name across registries of the same hub', async () => {
    const hub = new InMemoryBrokerHub();
    const a = registry({}, hub).reg;
    const b = registry({}, hub).reg;
    const edgeA = await a.get('edge');
    const edgeB = await b.get('edge');
    expect(edgeA.name).toBe('edge');
    await edgeA.assert({ queues: [{ name: 'q' }] });
    await edgeB.publish('', 'q', Buffer.from('x'));
    expect(await edgeA.queueDepth('q')).toBe(1);
    expect(await (await a.get('core')).assert({ queues: [{ name: 'q' }] })).toBeUndefined();
    expect(await (await a.get('core')).queueDepth('q')).toBe(0);
    await a.closeAll();
    expect(await edgeB.queueDepth('q')).toBe(1);
    await hub.closeAll();
  });

  it('shares AMQP connections per resolved URL and keeps names credential-free', async () => {
    const { reg, amqp } = registry({
      EDGE_AMQP_URL: 'amqp://admin:s3cret@rabbit:5672/edge',
      BROKER_ROOT_URL: 'amqp://svc:p%40ss@rabbit.example:5673/%2F',
    });
    const first = await reg.get('edge');
    expect(await reg.get('edge')).toBe(first);
    expect(await reg.get('amqp://rabbit/edge')).toBe(first);
    expect(await reg.get('amqp://rabbit:5672/edge')).toBe(first);
    await reg.get('amqp://rabbit.example:5673/%2F');
    expect(amqp.connect).toHaveBeenCalledTimes(2);
    expect(amqp.requests[0]).toMatchObject({
      url: 'amqp://admin:s3cret@rabbit:5672/edge',
      name: 'edge',
      connectionName: 'ruleshift:test:edge',
    });
    expect(amqp.requests[1]).toMatchObject({
      url: 'amqp://svc:p%40ss@rabbit.example:5673/%2F',
      name: 'root',
    });
  });

  it('wraps a failed connection in RuntimeUnavailable without credentials and retries later', async () => {
    const amqp = jest
      .fn()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED amqp://u:secret@rabbit:5672'))
      .mockResolvedValueOnce({ name: 'edge', close: () => Promise.resolve() });
    const reg = new BrokerRegistryImpl(
      brokerConfigFromEnv({ EDGE_AMQP_URL: 'amqp://u:secret@rabbit/edge' }),
      {
        connectAmqp: amqp,
      },
    );
    const failure = await reg.get('edge').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RuntimeUnavailable);
    expect((failure as Error).message).not.toContain('secret');
    await expect(reg.get('edge')).resolves.toMatchObject({ name: 'edge' });
  });

  it('redactUrl removes user and password', () => {
    expect(redactUrl('amqp://u:p@h:1/v')).toBe('amqp://h:1/v');
    expect(redactUrl('amqp://h/v')).toBe('amqp://h/v');
  });
});
