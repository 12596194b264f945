/** Test doubles for the agent's specs: broker, runner factory, artifacts. */
import { createHash, randomUUID } from 'node:crypto';
import { SigningKey, openSignedMessage, signArtifact, signMessage } from '@ruleshift/identity';
import type {
  BrokerConnection,
  BrokerRegistry,
  Consumer,
  PublishOptions,
  Topology,
  StoredMessage,
} from '@ruleshift/broker';
import type {
  AgentReply,
  ArtifactRef,
  RuleConfig,
  RuleMetrics,
  RuleSnapshot,
  SignedMessage,
  SignedReplyBody,
} from '@ruleshift/contracts';
import { RuntimeUnavailable } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';
import type { HostedRule, RunnerFactory } from '../host/rule-host';
import type { ArtifactTrust } from '../bundles/bundle-cache';
import type { AgentIdentity } from '../identity/agent-identity';

/** The adapter of the agent specs: it signs their commands and artifacts. */
export const TEST_ADAPTER_KEY = SigningKey.generate();
export const TEST_ADAPTER_URL = 'http://adapter.test';
export const TEST_TRUST: ArtifactTrust = {
  adapterKey: TEST_ADAPTER_KEY.publicKey,
  adapterUrl: TEST_ADAPTER_URL,
};

/** An enrolled identity for `agentId` that pinned TEST_ADAPTER_KEY. */
export function testIdentity(agentId: string): AgentIdentity {
  return { agentId, agentKey: SigningKey.generate(), adapterKey: TEST_ADAPTER_KEY.publicKey };
}

/** A command as the adapter sends it: signed, for `agentId`, fresh. */
export function signedCommand(
  agentId: string,
  command: unknown,
  key: SigningKey = TEST_ADAPTER_KEY,
  overrides: { issuedAt?: string; nonce?: string } = {},
): SignedMessage {
  return signMessage(key, {
    agentId,
    issuedAt: overrides.issuedAt ?? new Date().toISOString(),
    nonce: overrides.nonce ?? randomUUID(),
    command,
  });
}

/** The reply inside a signed reply, checked against the agent's key. */
export function openReply(identity: AgentIdentity, signed: unknown): AgentReply {
  const body = openSignedMessage(identity.agentKey.publicKey, signed) as
    SignedReplyBody | undefined;
  if (!body) throw new Error(`reply is not signed by agent ${identity.agentId}: ${String(signed)}`);
  return body.reply;
}

export interface Published {
  exchange: string;
  routingKey: string;
  body: unknown;
  options?: PublishOptions;
}

export class FakeBrokerConnection implements BrokerConnection {
  readonly asserted: Topology[] = [];
  readonly published: Published[] = [];

  constructor(readonly name: string) {}

  assert(topology: Topology): Promise<void> {
    this.asserted.push(topology);
    return Promise.resolve();
  }
  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options?: PublishOptions,
  ): Promise<void> {
    this.published.push({ exchange, routingKey, body: JSON.parse(body.toString('utf8')), options });
    return Promise.resolve();
  }
  consume(): Promise<Consumer> {
    return Promise.reject(new Error('not used by these tests'));
  }
  deleteQueue(): Promise<void> {
    return Promise.resolve();
  }
  deleteExchange(): Promise<void> {
    return Promise.resolve();
  }
  queueDepth(): Promise<number> {
    return Promise.resolve(0);
  }

  queueConsumers(): Promise<number> {
    return Promise.resolve(0);
  }

  browse(): Promise<StoredMessage[]> {
    return Promise.resolve([]);
  }

  take(): Promise<number> {
    return Promise.resolve(0);
  }

  purge(): Promise<number> {
    return Promise.resolve(0);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A registry whose `core` can be switched off to simulate a lost uplink. */
export class FakeBrokerRegistry implements BrokerRegistry {
  readonly core = new FakeBrokerConnection('core');
  coreReachable = true;
  connectAttempts = 0;

  get(endpoint: string): Promise<BrokerConnection> {
    this.connectAttempts++;
    if (endpoint === 'core' && !this.coreReachable) {
      return Promise.reject(new RuntimeUnavailable('core', 'connection refused'));
    }
    return Promise.resolve(endpoint === 'core' ? this.core : new FakeBrokerConnection(endpoint));
  }
  validateEndpoint(): void {}
  closeAll(): Promise<void> {
    return Promise.resolve();
  }
}

/** Runners that record what they were started with; no broker behind them. */
export class FakeRunners {
  readonly started: Array<{ jobId: string; snapshot?: RuleSnapshot }> = [];
  readonly live = new Map<string, { fail(reason: string): void; eventsIn: number }>();

  readonly factory: RunnerFactory = (rule: HostedRule, hooks) => {
    const { jobId, jobType, templateVersion } = rule.config;
    let status: RuleRunner['status'] = 'INSTALLED';
    const handle = { fail: (reason: string) => hooks.onFailure(reason), eventsIn: 0 };
    const runner: RuleRunner = {
      jobId,
      get status() {
        return status;
      },
      start: (snapshot) => {
        status = 'RUNNING';
        handle.eventsIn = (snapshot?.state as { eventsIn?: number } | null)?.eventsIn ?? 0;
        this.started.push({ jobId, snapshot });
        this.live.set(jobId, handle);
        return Promise.resolve();
      },
      stop: () => {
        status = 'STOPPED';
        this.live.delete(jobId);
        return Promise.resolve(snapshotOf(jobId, handle.eventsIn, jobType, templateVersion));
      },
      metrics: (): RuleMetrics => ({ eventsIn: handle.eventsIn, eventsOut: 0, deadLettered: {} }),
    };
    return Promise.resolve(runner);
  };
}

export function snapshotOf(
  jobId: string,
  eventsIn: number,
  jobType = 'filter',
  templateVersion = '1.0.0',
): RuleSnapshot {
  return {
    format: 'ruleshift.snapshot/v1',
    jobId,
    jobType,
    templateVersion,
    takenAt: new Date(0).toISOString(),
    watermark: null,
    state: { eventsIn },
  };
}

export const BUNDLE = Buffer.from('module.exports = { jobType: "filter", create() {} };\n');
export const BUNDLE_SHA = createHash('sha256').update(BUNDLE).digest('hex');

/** The filter artifact as TEST_ADAPTER_KEY signs it (a test tampers with it from there). */
export function artifactFor(sha256 = BUNDLE_SHA): ArtifactRef & { url: string; signature: string } {
  const ref = {
    jobType: 'filter',
    version: '1.0.0',
    runtime: 'edge' as const,
    sha256,
    size: BUNDLE.length,
    path: '/artifacts/filter/1.0.0/edge',
    url: `${TEST_ADAPTER_URL}/artifacts/filter/1.0.0/edge`,
  };
  return { ...ref, signature: signArtifact(TEST_ADAPTER_KEY, ref) };
}

export function configFor(jobId: string, threshold = 10): RuleConfig {
  return {
    jobId,
    jobType: 'filter',
    templateVersion: '1.0.0',
    deadLetterExchange: 'ruleshift.dlx',
    jobProps: { condition: '>', threshold, fieldName: 'temp', fieldJsonPath: '$.temp' },
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'in',
      inputQueue: `q.${jobId}`,
      inputRoutingKey: 'k',
      outputEndpoint: 'edge',
      outputExchange: 'out',
      outputRoutingKey: 'k',
    },
  };
}

/** Counts downloads; serves BUNDLE (or `body`) for every URL. */
export function countingFetch(body: Buffer = BUNDLE) {
  const calls: string[] = [];
  const fetchArtifact = (url: string): Promise<Buffer> => {
    calls.push(url);
    return Promise.resolve(body);
  };
  return { calls, fetchArtifact };
}

export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

export async function eventuallyAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}
