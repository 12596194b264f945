import type { AgentEntity } from '../persistence/agent.entity';
import type { AgentRepository } from '../persistence/agent.repository';

const at = (iso: string): Date => new Date(iso);

const pending = (agentId: string, tokenHash: string): AgentEntity => ({
  agentId,
  status: 'PENDING',
  enrolmentTokenHash: tokenHash,
  enrolmentExpiresAt: at('2026-01-02T00:00:00.000Z'),
  publicKey: null,
  createdBy: 'key:admin',
  createdAt: at('2026-01-01T00:00:00.000Z'),
  enrolledAt: null,
  revokedAt: null,
});

/**
 * The agent registry's semantics, run on PGlite and the in-memory fake (unit tests) and on
 * real PostgreSQL (integration). `fresh` gives an empty repository each time.
 */
export function agentRepositoryContractCases(fresh: () => Promise<AgentRepository>): void {
  it('enrols a PENDING agent once, with the matching token, before expiry', async () => {
    const agents = await fresh();
    await agents.save(pending('gw-a', 'hash-a'));
    const attempt = {
      agentId: 'gw-a',
      tokenHash: 'hash-a',
      publicKey: 'PEM',
      at: at('2026-01-01T01:00:00.000Z'),
    };
    expect(await agents.enrol({ ...attempt, tokenHash: 'wrong' })).toBeNull();
    expect(await agents.enrol({ ...attempt, agentId: 'gw-other' })).toBeNull();
    const enrolled = await agents.enrol(attempt);
    expect(enrolled).toMatchObject({
      status: 'ENROLLED',
      publicKey: 'PEM',
      enrolmentTokenHash: null,
    });
    expect(new Date(enrolled!.enrolledAt!).toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect(await agents.enrol(attempt)).toBeNull(); // the token worked once
  });

  it('refuses an expired token', async () => {
    const agents = await fresh();
    await agents.save(pending('gw-late', 'hash-late'));
    expect(
      await agents.enrol({
        agentId: 'gw-late',
        tokenHash: 'hash-late',
        publicKey: 'PEM',
        at: at('2026-01-02T00:00:00.000Z'),
      }),
    ).toBeNull();
  });

  it('revokes (first time kept), lists by id, and a re-admission replaces the row', async () => {
    const agents = await fresh();
    await agents.save(pending('gw-b', 'hash-b'));
    await agents.save(pending('gw-a', 'hash-x'));
    const revoked = await agents.revoke('gw-b', at('2026-01-01T02:00:00.000Z'));
    expect(revoked).toMatchObject({ status: 'REVOKED', enrolmentTokenHash: null });
    await agents.revoke('gw-b', at('2026-01-01T03:00:00.000Z'));
    const again = await agents.find('gw-b');
    expect(new Date(again!.revokedAt!).toISOString()).toBe('2026-01-01T02:00:00.000Z');
    expect(await agents.revoke('gw-none', at('2026-01-01T02:00:00.000Z'))).toBeNull();
    expect((await agents.list()).map((a) => a.agentId)).toEqual(['gw-a', 'gw-b']);
    await agents.save(pending('gw-b', 'hash-b2'));
    expect(await agents.find('gw-b')).toMatchObject({
      status: 'PENDING',
      enrolmentTokenHash: 'hash-b2',
    });
  });
}
