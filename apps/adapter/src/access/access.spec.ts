import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuditRecord } from '@ruleshift/contracts';
import { openRegistryDataSource } from '../registry/data-source.factory';
import { ManualClock } from '../shared/clock';
import { TypeormApiTokenRepository } from './persistence/api-token.repository';
import { TypeormAuditLogRepository } from './persistence/audit-log.repository';
import { CreateApiTokenUseCase } from './usecases/create-api-token/create-api-token.usecase';
import { ListApiTokensUseCase } from './usecases/list-api-tokens/list-api-tokens.usecase';
import { ListAuditEntriesUseCase } from './usecases/list-audit-entries/list-audit-entries.usecase';
import { RecordAuditEntryUseCase } from './usecases/record-audit-entry/record-audit-entry.usecase';
import { RevokeApiTokenUseCase } from './usecases/revoke-api-token/revoke-api-token.usecase';
import { VerifyApiTokenUseCase } from './usecases/verify-api-token/verify-api-token.usecase';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

describe('API keys and audit log on the registry (embedded PGlite, real migration)', () => {
  let dataSource: DataSource;
  let clock: ManualClock;
  let create: CreateApiTokenUseCase;
  let list: ListApiTokensUseCase;
  let revoke: RevokeApiTokenUseCase;
  let verify: VerifyApiTokenUseCase;
  let record: RecordAuditEntryUseCase;
  let listAudit: ListAuditEntriesUseCase;

  beforeAll(async () => {
    dataSource = await openRegistryDataSource({ inMemory: true });
    clock = new ManualClock('2026-03-01T00:00:00.000Z');
    const tokens = new TypeormApiTokenRepository(dataSource);
    const audit = new TypeormAuditLogRepository(dataSource);
    create = new CreateApiTokenUseCase(tokens, clock);
    list = new ListApiTokensUseCase(tokens);
    revoke = new RevokeApiTokenUseCase(tokens, clock);
    verify = new VerifyApiTokenUseCase(tokens, clock);
    record = new RecordAuditEntryUseCase(audit);
    listAudit = new ListAuditEntriesUseCase(audit);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('keeps only the hash: create, verify (last use recorded), list, revoke', async () => {
    const created = await create.execute({
      name: 'ci',
      role: 'operator',
      createdBy: 'bootstrap-admin',
      expiresAt: null,
      secretHash: hash('rs_secret-one'),
    });
    expect(created).toMatchObject({ name: 'ci', role: 'operator', lastUsedAt: null });
    expect(JSON.stringify(created)).not.toContain(hash('rs_secret-one'));
    const stored: { secret_hash: string }[] = await dataSource.query(
      `SELECT secret_hash FROM api_token WHERE id = $1`,
      [created.id],
    );
    expect(stored).toEqual([{ secret_hash: hash('rs_secret-one') }]);

    clock.advance(60_000);
    const verified = await verify.execute({ secretHash: hash('rs_secret-one') });
    expect(verified.token).toMatchObject({
      id: created.id,
      lastUsedAt: '2026-03-01T00:01:00.000Z',
    });
    expect((await list.execute({})).find((t) => t.id === created.id)?.lastUsedAt).toBe(
      '2026-03-01T00:01:00.000Z',
    );
    await expect(verify.execute({ secretHash: hash('rs_other') })).resolves.toEqual({
      token: null,
    });

    const revoked = await revoke.execute({ id: created.id });
    expect(revoked.revokedAt).toBe('2026-03-01T00:01:00.000Z');
    await expect(verify.execute({ secretHash: hash('rs_secret-one') })).resolves.toEqual({
      token: null,
    });
    clock.advance(1000);
    expect((await revoke.execute({ id: created.id })).revokedAt).toBe(revoked.revokedAt);
  });

  it('refuses a key at and after its expiry', async () => {
    const created = await create.execute({
      name: 'short',
      role: 'viewer',
      createdBy: 'admin-key',
      expiresAt: new Date(clock.now().getTime() + 10_000).toISOString(),
      secretHash: hash('rs_short'),
    });
    expect((await verify.execute({ secretHash: hash('rs_short') })).token?.id).toBe(created.id);
    clock.advance(10_000);
    await expect(verify.execute({ secretHash: hash('rs_short') })).resolves.toEqual({
      token: null,
    });
  });

  it('names bad fields and unknown ids', async () => {
    await expect(
      create.execute({
        name: '',
        role: 'root' as never,
        createdBy: 'x',
        expiresAt: 'soon',
        secretHash: 'plain',
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'name' },
        { field: 'role' },
        { field: 'secretHash' },
        { field: 'expiresAt' },
      ],
    });
    await expect(revoke.execute({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      revoke.execute({ id: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(listAudit.execute({ limit: 0 })).rejects.toMatchObject({
      errors: [{ field: 'limit' }],
    });
    await expect(listAudit.execute({ limit: 5, before: "1' OR 1=1" })).rejects.toMatchObject({
      errors: [{ field: 'before' }],
    });
  });

  it('pages the audit log newest first', async () => {
    const entry = (n: number): AuditRecord => ({
      subject: 'k',
      role: 'operator',
      operation: `POST /api/op-${n}`,
      jobId: null,
      bodyDigest: hash(String(n)),
      statusCode: 200,
      clientAddress: '127.0.0.1',
      at: '2026-03-01T00:00:00.000Z',
    });
    for (let n = 1; n <= 5; n += 1) await record.execute(entry(n));
    const first = await listAudit.execute({ limit: 2 });
    expect(first.entries.map((e) => e.operation)).toEqual(['POST /api/op-5', 'POST /api/op-4']);
    const second = await listAudit.execute({ limit: 2, before: first.nextBefore! });
    expect(second.entries.map((e) => e.operation)).toEqual(['POST /api/op-3', 'POST /api/op-2']);
    const last = await listAudit.execute({ limit: 2, before: second.nextBefore! });
    expect(last.entries.map((e) => e.operation)).toEqual(['POST /api/op-1']);
    expect(last.nextBefore).toBeNull();
  });
});
