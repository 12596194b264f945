import type { DataSource } from 'typeorm';
import { openRegistryDataSource } from '../registry/data-source.factory';
import { InMemoryRuntimeRepository } from '../registry/testing/in-memory-registry';
import { ManualClock } from '../shared/clock';
import { AdapterSigningKey } from './adapter-signing-key';
import { InMemoryAgentRepository } from './persistence/in-memory-agent.repository';
import { TypeormAgentRepository } from './persistence/agent.repository';
import { agentRepositoryContractCases } from './testing/agent-repository-contract';
import { CreateAgentUseCase } from './usecases/create-agent/create-agent.usecase';
import { EnrolAgentUseCase } from './usecases/enrol-agent/enrol-agent.usecase';
import { RevokeAgentUseCase } from './usecases/revoke-agent/revoke-agent.usecase';
import { SigningKey } from '@ruleshift/identity';

describe('agent registry contract: in memory', () => {
  agentRepositoryContractCases(() => Promise.resolve(new InMemoryAgentRepository()));
});

describe('agent registry contract: embedded PGlite, real migration', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await openRegistryDataSource({ inMemory: true });
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  agentRepositoryContractCases(async () => {
    await dataSource.query('DELETE FROM agent');
    return new TypeormAgentRepository(dataSource);
  });
});

describe('agent enrolment use cases', () => {
  const clock = new ManualClock('2026-03-01T00:00:00.000Z');
  const adapterKey = new AdapterSigningKey(SigningKey.generate());
  const setup = () => {
    const agents = new InMemoryAgentRepository();
    const runtimes = new InMemoryRuntimeRepository();
    return {
      agents,
      runtimes,
      create: new CreateAgentUseCase(agents, clock),
      enrol: new EnrolAgentUseCase(agents, adapterKey, clock),
      revoke: new RevokeAgentUseCase(agents, runtimes, clock),
    };
  };
  const agentKey = SigningKey.generate().publicKey.pem;

  it('issues a token shown once, stores only its hash, and pins the adapter key on enrolment', async () => {
    const { agents, create, enrol } = setup();
    const created = await create.execute({ agentId: 'gw-1', createdBy: 'key:admin' });
    expect(created.enrolmentToken).toMatch(/^rse_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await agents.find('gw-1'))).not.toContain(created.enrolmentToken);
    expect(created.agent).toMatchObject({ status: 'PENDING', publicKeyFingerprint: null });
    const answer = await enrol.execute({
      agentId: 'gw-1',
      enrolmentToken: created.enrolmentToken,
      publicKey: agentKey,
    });
    expect(answer.adapterPublicKey).toBe(adapterKey.key.publicKey.pem);
    await expect(
      enrol.execute({
        agentId: 'gw-1',
        enrolmentToken: created.enrolmentToken,
        publicKey: agentKey,
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', errors: [{ field: 'enrolmentToken' }] });
  });

  it('refuses to re-admit an enrolled agent until it is revoked; revocation marks its runtime', async () => {
    const { create, enrol, revoke, runtimes } = setup();
    const created = await create.execute({ agentId: 'gw-2', createdBy: 'key:admin' });
    await enrol.execute({
      agentId: 'gw-2',
      enrolmentToken: created.enrolmentToken,
      publicKey: agentKey,
    });
    await expect(create.execute({ agentId: 'gw-2', createdBy: 'key:admin' })).rejects.toMatchObject(
      {
        code: 'CONFLICT',
      },
    );
    await runtimes.upsert({
      kind: 'edge',
      targetResource: 'gw-2',
      health: 'UP',
      startedAt: null,
      lastSeenAt: null,
      details: {},
    });
    expect(await revoke.execute({ agentId: 'gw-2' })).toMatchObject({ status: 'REVOKED' });
    expect(await runtimes.find('edge', 'gw-2')).toMatchObject({ health: 'REFUSED' });
    const again = await create.execute({ agentId: 'gw-2', createdBy: 'key:admin' });
    expect(again.agent.status).toBe('PENDING');
  });

  it('answers 4xx naming the field for bad input', async () => {
    const { create, enrol, revoke } = setup();
    await expect(create.execute({ agentId: '../etc', createdBy: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'agentId' }],
    });
    await expect(
      enrol.execute({
        agentId: 'gw',
        enrolmentToken: 'x',
        publicKey: SigningKey.generate().toPem(),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'publicKey' }] });
    await expect(revoke.execute({ agentId: 'gw-unknown' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
