import { RuleshiftError } from '@ruleshift/contracts';
import { FlinkBrokerArgs } from './flink-broker-args';
import { filterConfig } from './testing/flink-fixtures';

const config = (inputEndpoint: string, outputEndpoint: string) => {
  const base = filterConfig('00000000-0000-4000-8000-00000000000a');
  return { ...base, connectors: { ...base.connectors, inputEndpoint, outputEndpoint } };
};

describe('FlinkBrokerArgs', () => {
  const named = {
    edge: { kind: 'amqp' as const, url: 'amqp://u:p@rabbit:5672/edge' },
    core: { kind: 'amqp' as const, url: 'amqp://u:p@rabbit:5672/core' },
  };

  it('gives one --broker per endpoint the rule uses', () => {
    const args = new FlinkBrokerArgs({ named }).argsFor(config('edge', 'edge'), 'c');
    expect(args).toEqual(['--broker', 'edge=amqp://u:p@rabbit:5672/edge']);
  });

  it("gives a URL endpoint the configured broker's URL (and override) when it is one", () => {
    const url = 'amqp://rabbit:5672/core';
    expect(new FlinkBrokerArgs({ named }).argsFor(config(url, 'edge'), 'c')).toEqual([
      '--broker',
      `${url}=amqp://u:p@rabbit:5672/core`,
      '--broker',
      'edge=amqp://u:p@rabbit:5672/edge',
    ]);
    const viaOverride = new FlinkBrokerArgs({ named }, { core: 'amqp://u:p@rabbit-internal/core' });
    expect(viaOverride.argsFor(config(url, url), 'c')).toEqual([
      '--broker',
      `${url}=amqp://u:p@rabbit-internal/core`,
    ]);
  });

  it.each(['amqp://rabbit:5672/other', 'amqp://elsewhere:5672/core', 'amqps://rabbit:5672/core'])(
    'refuses %s, which is no configured broker, naming the field',
    (url) => {
      expect(() => new FlinkBrokerArgs({ named }).argsFor(config(url, 'edge'), 'c')).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ field: 'connectors' })] }),
      );
    },
  );

  it('refuses an unknown broker name', () => {
    expect(() => new FlinkBrokerArgs({ named }).argsFor(config('nope', 'edge'), 'c')).toThrow(
      RuleshiftError,
    );
  });

  it('adds the TLS file paths (never their contents) for the amqps:// connections', () => {
    const tls = { caFile: '/tls/ca.pem', certFile: '/tls/client.pem', keyFile: '/tls/client.key' };
    expect(new FlinkBrokerArgs({ named }, {}, tls).argsFor(config('edge', 'edge'), 'c')).toEqual([
      '--broker',
      'edge=amqp://u:p@rabbit:5672/edge',
      '--tls-ca-file',
      '/tls/ca.pem',
      '--tls-cert-file',
      '/tls/client.pem',
      '--tls-key-file',
      '/tls/client.key',
    ]);
  });
});
