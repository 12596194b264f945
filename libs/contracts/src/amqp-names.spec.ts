import { AMQP_NAME_MAX_BYTES, amqpNameProblem, connectorNameErrors } from './amqp-names';
import type { Connectors } from './job';

describe('amqpNameProblem', () => {
  it.each([
    ['exchange', 'sensors'],
    ['exchange', 'amq.topic'],
    ['exchange', 'é'.repeat(127)],
    ['queue', 'x'.repeat(AMQP_NAME_MAX_BYTES)],
    ['routingKey', ''],
    ['routingKey', 'sensors.*.temperature'],
    ['routingKey', 'amq.anything'],
    ['queue', '😀 emoji'],
  ] as const)('accepts a %s %j', (kind, value) => {
    expect(amqpNameProblem(value, kind)).toBeNull();
  });

  it.each([
    ['exchange', 'x'.repeat(256), 'at most 255 bytes of UTF-8 (has 256)'],
    ['routingKey', 'é'.repeat(128), 'at most 255 bytes of UTF-8 (has 256)'],
    ['queue', 'q'.repeat(100_000), 'at most 255 bytes'],
    ['exchange', 'a\u0000b', 'control characters'],
    ['routingKey', 'line\nbreak', 'control characters'],
    ['exchange', 'a\ud800b', 'lone surrogate'],
    ['queue', '\udc00', 'lone surrogate'],
    ['exchange', 'amq.custom', "must not start with 'amq.'"],
    ['queue', 'amq.gen-1', "must not start with 'amq.'"],
    ['exchange', 42, 'must be a string'],
    ['queue', null, 'must be a string'],
  ] as const)('refuses a %s %#', (kind, value, reason) => {
    expect(amqpNameProblem(value, kind)).toContain(reason);
  });
});

describe('connectorNameErrors', () => {
  const connectors = (): Connectors => ({
    inputEndpoint: 'edge',
    inputExchange: 'sensors',
    inputQueue: 'in',
    inputRoutingKey: 'temperature',
    outputEndpoint: 'edge',
    outputExchange: 'alerts',
    outputRoutingKey: 'hot',
  });

  it('names every bad field, the second input included', () => {
    const bad = connectors();
    bad.outputExchange = 'x'.repeat(256);
    bad.secondInput = { endpoint: 'edge', exchange: 'h', queue: 'amq.q', routingKey: '\u0000' };
    expect(connectorNameErrors(bad).map((e) => e.field)).toEqual([
      'jobConfig.connectors.outputExchange',
      'jobConfig.connectors.secondInput.queue',
      'jobConfig.connectors.secondInput.routingKey',
    ]);
  });

  it('finds nothing wrong with good names', () => {
    expect(connectorNameErrors(connectors())).toEqual([]);
  });
});
