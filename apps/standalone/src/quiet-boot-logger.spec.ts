import { QuietBootLogger } from './quiet-boot-logger';

describe('QuietBootLogger', () => {
  it("drops Nest's module and route lines, keeps every other line", () => {
    const written: string[] = [];
    const stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    const stderr = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      const logger = new QuietBootLogger(['log', 'warn', 'error']);
      logger.log('Mapped {/api/install, POST} route', 'RouterExplorer');
      logger.log('AdapterModule dependencies initialized', 'InstanceLoader');
      logger.log('ruleshift listening on http://127.0.0.1:3000', 'standalone');
      logger.warn('a warning from the router', 'RouterExplorer');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(written.join('')).not.toContain('Mapped');
    expect(written.join('')).not.toContain('dependencies initialized');
    expect(written.join('')).toContain('ruleshift listening on');
    expect(written.join('')).toContain('a warning from the router');
  });
});
