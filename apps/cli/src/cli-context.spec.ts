import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { CliContext, DEFAULT_SERVER } from './cli-context';

describe('CliContext.connection', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-cli-context-'));
    await writeFile(join(dataDir, 'admin-token'), 'rs_local-admin\n');
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const connection = (argv: string[], env: NodeJS.ProcessEnv) => {
    const program = new Command()
      .option('-s, --server <url>')
      .option('-t, --token <token>')
      .exitOverride();
    program.parse(argv, { from: 'user' });
    const sink = { write: () => true };
    return new CliContext(
      { stdout: sink, stderr: sink, env, cwd: '/nowhere' },
      program,
    ).connection();
  };

  it('prefers options to the environment', () => {
    expect(
      connection(['--server', 'a:1', '--token', 't1'], {
        RULESHIFT_SERVER: 'b:2',
        RULESHIFT_TOKEN: 't2',
      }),
    ).toEqual({ server: 'http://a:1', token: 't1' });
    expect(connection([], { RULESHIFT_SERVER: 'b:2', RULESHIFT_TOKEN: 't2' })).toEqual({
      server: 'http://b:2',
      token: 't2',
    });
  });

  it("uses a local npm start's admin token only for the default server", () => {
    const env = { RULESHIFT_DATA_DIR: dataDir };
    expect(connection([], env)).toEqual({ server: DEFAULT_SERVER, token: 'rs_local-admin' });
    expect(connection(['--server', 'ruleshift.example:3000'], env)).toEqual({
      server: 'http://ruleshift.example:3000',
      token: undefined,
    });
    expect(connection([], { ...env, RULESHIFT_SERVER: 'https://prod.example' }).token).toBe(
      undefined,
    );
    expect(connection([], {}).token).toBeUndefined();
  });
});
