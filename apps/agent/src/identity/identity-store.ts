import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { SigningKey, VerifyKey } from '@ruleshift/identity';
import type { AgentIdentity } from './agent-identity';

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === 'ENOENT';

/** `identity.json`: everything but the private key, which has its own 0600 file. */
interface StoredIdentity {
  agentId: string;
  adapterPublicKey: string;
  /** sha256 of the enrolment token this identity came from: a new token means re-enrol. */
  enrolmentTokenDigest: string;
  enrolledAt: string;
}

export interface LoadedIdentity {
  identity: AgentIdentity;
  enrolmentTokenDigest: string;
}

/** The agent's enrolment on disk: `<dataDir>/identity/{agent-key.pem,identity.json}`. */
export class IdentityStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'identity');
  }

  async load(): Promise<LoadedIdentity | undefined> {
    let stored: StoredIdentity;
    let keyPem: string;
    try {
      stored = JSON.parse(
        await fsp.readFile(path.join(this.dir, 'identity.json'), 'utf8'),
      ) as StoredIdentity;
      keyPem = await fsp.readFile(path.join(this.dir, 'agent-key.pem'), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return {
      identity: {
        agentId: stored.agentId,
        agentKey: SigningKey.fromPem(keyPem),
        adapterKey: VerifyKey.fromPem(stored.adapterPublicKey),
      },
      enrolmentTokenDigest: stored.enrolmentTokenDigest,
    };
  }

  /** Key first, then the record that makes it count: a crash between leaves no half identity. */
  async save(identity: AgentIdentity, enrolmentTokenDigest: string, at: Date): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeAtomically(path.join(this.dir, 'agent-key.pem'), identity.agentKey.toPem());
    const stored: StoredIdentity = {
      agentId: identity.agentId,
      adapterPublicKey: identity.adapterKey.pem,
      enrolmentTokenDigest,
      enrolledAt: at.toISOString(),
    };
    await writeAtomically(path.join(this.dir, 'identity.json'), JSON.stringify(stored, null, 2));
  }
}

async function writeAtomically(file: string, data: string): Promise<void> {
  const temporary = `${file}.tmp`;
  await fsp.writeFile(temporary, data, { mode: 0o600 });
  await fsp.rename(temporary, file);
}

/** Whether an identity for `agentId` is stored under `dataDir` (hosts that enrol their agents). */
export async function hasStoredIdentity(dataDir: string, agentId: string): Promise<boolean> {
  const loaded = await new IdentityStore(dataDir).load().catch(() => undefined);
  return loaded?.identity.agentId === agentId;
}
