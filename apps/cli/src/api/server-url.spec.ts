import { parseServerUrl } from './server-url';

describe('parseServerUrl', () => {
  it('adds http:// to host:port and keeps http(s) URLs', () => {
    expect(parseServerUrl('localhost:3000', '--server')).toBe('http://localhost:3000');
    expect(parseServerUrl('10.0.0.5:3000/', '--server')).toBe('http://10.0.0.5:3000');
    expect(parseServerUrl('https://ruleshift.example/', '--server')).toBe(
      'https://ruleshift.example',
    );
  });

  it('refuses other schemes and non-URLs, naming the source', () => {
    expect(() => parseServerUrl('amqp://localhost', 'RULESHIFT_SERVER')).toThrow(
      'RULESHIFT_SERVER: must be an http:// or https:// URL, got amqp://localhost',
    );
    expect(() => parseServerUrl('http://[bad', '--server')).toThrow('--server: not a URL');
  });
});
