import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../shared/clock';
import { TypeormApiTokenRepository } from '../access/persistence/api-token.repository';
import { CreateApiTokenUseCase } from '../access/usecases/create-api-token/create-api-token.usecase';
import { ListApiTokensUseCase } from '../access/usecases/list-api-tokens/list-api-tokens.usecase';
import { openRegistryDataSource } from './data-source.factory';

describe('the embedded registry on disk (npm start: <dataDir>/pglite)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-embedded-registry-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the database on the first start, keeps what was written across a restart, with 16 MB of shared buffers', async () => {
    const first = await openRegistryDataSource({ dataDir });
    const clock = new ManualClock('2026-03-01T00:00:00.000Z');
    try {
      await new CreateApiTokenUseCase(new TypeormApiTokenRepository(first), clock).execute({
        name: 'kept-across-restarts',
        role: 'viewer',
        createdBy: 'bootstrap-admin',
        expiresAt: null,
        secretHash: 'a'.repeat(64),
      });
      expect(await first.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await first.destroy();
    }
    // initdb wrote the setting too: a later PGlite opening the folder without ours keeps it.
    expect(await readFile(join(dataDir, 'pglite', 'postgresql.conf'), 'utf8')).toMatch(
      /^shared_buffers = 16MB/m,
    );

    const second = await openRegistryDataSource({ dataDir });
    try {
      const tokens = await new ListApiTokensUseCase(new TypeormApiTokenRepository(second)).execute(
        {},
      );
      expect(tokens.map((t) => t.name)).toEqual(['kept-across-restarts']);
      expect(await second.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await second.destroy();
    }
  }, 180_000); // initdb in a child process, twice PGlite's boot: slow on a loaded machine
});
