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

  it('adds credentials to URL endpoints: AMQP_USERNAME first, else a named broker on that host', () => {
    const url = 'amqp://rabbit:5672/other';
    expect(new FlinkBrokerArgs({ named }).argsFor(config(url, url), 'c')).toEqual([
      '--broker',
      `${url}=amqp://u:p@rabbit:5672/other`,
    ]);
    const withUser = new FlinkBrokerArgs({
      named,
      urlCredentials: { username: 'a', password: 'b@c' },
    });
    expect(withUser.argsFor(config(url, url), 'c')).toEqual([
      '--broker',
      `${url}=amqp://a:b%40c@rabbit:5672/other`,
    ]);
    expect(new FlinkBrokerArgs({ named: {} }).argsFor(config(url, url), 'c')).toEqual([]);
  });

  it('refuses an unknown broker name', () => {
    expect(() => new FlinkBrokerArgs({ named }).argsFor(config('nope', 'edge'), 'c')).toThrow(
      RuleshiftError,
    );
  });
});
