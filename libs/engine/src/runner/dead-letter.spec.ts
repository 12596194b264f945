import type { Delivery } from '@ruleshift/broker';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_HEADERS } from '@ruleshift/contracts';
import { deadLetter } from '../operators/emissions';
import { DeadLetterBuilder } from './dead-letter';

const delivery: Delivery = {
  body: Buffer.from([0xff, 0x00, 0x7b]),
  exchange: 'sensors',
  routingKey: 'temp',
  headers: {},
  redelivered: false,
  deliveryTag: 1,
};

describe('DeadLetterBuilder', () => {
  const letter = deadLetter('not-json', 'Unexpected token', { partial: true });

  it('names the reason, the rule and where the event came from', () => {
    const builder = new DeadLetterBuilder('job-1', 'custom.dlx');
    expect(builder.exchange).toBe('custom.dlx');
    expect(builder.headers(letter, delivery, Date.UTC(2026, 11, 1, 9, 30))).toEqual({
      [DEAD_LETTER_HEADERS.reason]: 'not-json',
      [DEAD_LETTER_HEADERS.detail]: 'Unexpected token',
      [DEAD_LETTER_HEADERS.jobId]: 'job-1',
      [DEAD_LETTER_HEADERS.sourceExchange]: 'sensors',
      [DEAD_LETTER_HEADERS.sourceRoutingKey]: 'temp',
      [DEAD_LETTER_HEADERS.deadLetteredAt]: '2026-12-01T09:30:00.000Z',
    });
  });

  it('keeps the original bytes of a delivery, so the event can be replayed as is', () => {
    const builder = new DeadLetterBuilder('job-1', undefined);
    expect(builder.exchange).toBe(DEAD_LETTER_EXCHANGE);
    expect(builder.body(letter, delivery)).toBe(delivery.body);
  });

  it('serialises the value of a letter that belongs to no delivery, null when it cannot', () => {
    const builder = new DeadLetterBuilder('job-1', '');
    expect(builder.headers(letter, undefined, 0)).not.toHaveProperty(
      DEAD_LETTER_HEADERS.sourceExchange,
    );
    expect(builder.body(letter, undefined).toString()).toBe('{"partial":true}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(builder.body(deadLetter('rule-error', 'x', cyclic), undefined).toString()).toBe('null');
  });
});
