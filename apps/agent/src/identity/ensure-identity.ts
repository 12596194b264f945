import { createHash } from 'node:crypto';
import { SigningKey, VerifyKey } from '@ruleshift/identity';
import { RuleshiftError } from '@ruleshift/contracts';
import { adapterBaseUrls } from '../shared/adapter-urls';
import type { AgentLogger } from '../shared/logger';
import { describeError } from '../shared/reply-error';
import type { AgentIdentity } from './agent-identity';
import type { EnrolAtAdapter } from './enrol-over-http';
import type { IdentityStore } from './identity-store';

export interface EnsureIdentityOptions {
  agentId: string;
  adapterUrl: string;
  /** AGENT_ENROLMENT_TOKEN; only needed until the agent is enrolled (or to re-enrol). */
  enrolmentToken?: string;
  store: IdentityStore;
  enrol: EnrolAtAdapter;
  logger: AgentLogger;
  now?: () => Date;
  /** Between enrolment attempts while no adapter answers (default 1 s doubling to 15 s). */
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Presents the token to each configured adapter in turn until one answers: an agent may boot
 * before its adapter. A refusal (wrong, used or expired token) is final and thrown.
 */
async function enrolSomewhere(
  options: EnsureIdentityOptions,
  request: Parameters<EnrolAtAdapter>[1],
): Promise<Awaited<ReturnType<EnrolAtAdapter>>> {
  const sleep = options.sleep ?? sleepFor;
  let delay = 1000;
  for (let attempt = 1; ; attempt++) {
    for (const url of adapterBaseUrls(options.adapterUrl)) {
      try {
        return await options.enrol(url, request);
      } catch (error) {
        if (!(error instanceof RuleshiftError) || error.code !== 'RUNTIME_UNAVAILABLE') throw error;
        options.logger.warn('agent.enrol-retry', { url, attempt, error: describeError(error) });
      }
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 15_000);
  }
}

const digestOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The identity the agent runs with. Kept on disk once enrolled; a token that differs from the
 * one the stored identity came from (re-enrolment, key rotation) enrols again with a new key.
 * Without either, the agent refuses to start: an unenrolled agent would get nothing anyway.
 */
export async function ensureIdentity(options: EnsureIdentityOptions): Promise<AgentIdentity> {
  const stored = await options.store.load();
  const token = options.enrolmentToken;
  if (stored && stored.identity.agentId === options.agentId) {
    if (token === undefined || digestOf(token) === stored.enrolmentTokenDigest) {
      return stored.identity;
    }
  }
  if (token === undefined) {
    throw new RuleshiftError(
      'VALIDATION_FAILED',
      `agent ${options.agentId} is not enrolled: set AGENT_ENROLMENT_TOKEN (from POST /api/agents)`,
      [{ field: 'AGENT_ENROLMENT_TOKEN', reason: 'required until the agent is enrolled' }],
    );
  }
  const agentKey = SigningKey.generate();
  const answer = await enrolSomewhere(options, {
    agentId: options.agentId,
    enrolmentToken: token,
    publicKey: agentKey.publicKey.pem,
  });
  const identity: AgentIdentity = {
    agentId: options.agentId,
    agentKey,
    adapterKey: VerifyKey.fromPem(answer.adapterPublicKey),
  };
  await options.store.save(identity, digestOf(token), options.now?.() ?? new Date());
  options.logger.info('agent.enrolled', {
    agentId: options.agentId,
    key: agentKey.publicKey.fingerprint,
    adapterKey: identity.adapterKey.fingerprint,
  });
  return identity;
}
