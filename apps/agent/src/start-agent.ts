import { declareRuleTopology } from '@ruleshift/broker';
import { ValidationFailed } from '@ruleshift/contracts';
import { type AgentHandle, type AgentOptions, DEFAULT_WORKER_MAX_HEAP_MB } from './agent-options';
import { createAgent } from './agent';
import { httpArtifactFetcher } from './bundles/fetch-artifact';
import { enrolOverHttp } from './identity/enrol-over-http';
import { ensureIdentity } from './identity/ensure-identity';
import { IdentityStore } from './identity/identity-store';
import { serveWithRpcServer } from './control/control-channel';
import { NodeProcessStats } from './heartbeat/process-stats';
import { engineRunnerFactory } from './host/engine-runner-factory';
import { InlineRuleHost } from './host/inline-rule-host';
import type { RuleHost } from './host/rule-host';
import { ruleHostWorkerEntry } from './host/worker/rule-host-worker-entry';
import { spawnWorker } from './host/worker/spawn-worker';
import { WorkerRuleHost } from './host/worker/worker-rule-host';
import type { RuleHostWorkerData } from './host/worker/worker-protocol';
import { silentLogger } from './shared/logger';
import { AtomicFiles } from './store/atomic-files';
import { FileCheckpointStore } from './store/file-checkpoint-store';
import { nodeFileSystem } from './store/file-system';
import { allBrokersAreAmqp } from './wiring/broker-factory';

/**
 * Starts an agent with the real side effects (filesystem, fetch, engine, broker RPC): first
 * its identity (enrolling with AGENT_ENROLMENT_TOKEN when it has none), then everything else.
 */
export async function startAgent(options: AgentOptions): Promise<AgentHandle> {
  const identity = await ensureIdentity({
    agentId: options.agentId,
    adapterUrl: options.adapterUrl,
    enrolmentToken: options.enrolmentToken,
    store: new IdentityStore(options.dataDir),
    enrol: enrolOverHttp,
    logger: options.logger ?? silentLogger,
  });
  const ruleHost = ruleHostFor(options);
  try {
    return await createAgent(options, {
      identity,
      ruleHost,
      declareTopology: (config) => declareRuleTopology(options.brokers, config),
      serveControl: serveWithRpcServer,
      fetchArtifact: options.fetchArtifact ?? httpArtifactFetcher(options.artifactLimits),
      stats: new NodeProcessStats(),
      fileSystem: nodeFileSystem,
    });
  } catch (error) {
    await ruleHost.close();
    throw error;
  }
}

function ruleHostFor(options: AgentOptions): RuleHost {
  const checkpoints = new FileCheckpointStore(new AtomicFiles(nodeFileSystem), options.dataDir);
  const { brokerConfig } = options;
  const kind =
    options.ruleHost ?? (brokerConfig && allBrokersAreAmqp(brokerConfig) ? 'worker' : 'inline');
  switch (kind) {
    case 'inline':
      return new InlineRuleHost(
        engineRunnerFactory({
          brokers: options.brokers,
          checkpoints,
          checkpointIntervalMs: options.checkpointIntervalMs,
        }),
      );
    case 'worker': {
      if (!brokerConfig) {
        throw new ValidationFailed([
          {
            field: 'brokerConfig',
            reason: 'the worker rule host needs a serialisable broker config',
          },
        ]);
      }
      const entry = ruleHostWorkerEntry();
      const maxHeapMb = options.workerMaxHeapMb ?? DEFAULT_WORKER_MAX_HEAP_MB;
      return new WorkerRuleHost({
        spawn: (culprit) =>
          spawnWorker(
            entry,
            {
              culprit,
              dataDir: options.dataDir,
              brokerConfig,
              checkpointIntervalMs: options.checkpointIntervalMs,
            } satisfies RuleHostWorkerData,
            { maxOldGenerationSizeMb: maxHeapMb },
          ),
        maxHeapMb,
        checkpoints,
        logger: options.logger ?? silentLogger,
        watchdog: options.watchdog,
      });
    }
  }
}
