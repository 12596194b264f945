import type { AgentDeps, AgentHandle, AgentOptions } from './agent-options';
import { BundleCache } from './bundles/bundle-cache';
import { CommandHandler } from './control/command-handler';
import { ControlChannel } from './control/control-channel';
import { SignedControl } from './control/signed-control';
import { signMessage } from '@ruleshift/identity';
import { HeartbeatPublisher } from './heartbeat/heartbeat-publisher';
import { RuleManager } from './rules/rule-manager';
import { silentLogger } from './shared/logger';
import { describeError } from './shared/reply-error';
import { assertSafeName } from './shared/safe-name';
import { AtomicFiles } from './store/atomic-files';
import { FileCheckpointStore } from './store/file-checkpoint-store';
import { RuleStore } from './store/rule-store';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@ruleshift/contracts';

export const AGENT_VERSION = '0.1.0';

/**
 * Wires an agent from explicit side effects. Order matters: records are read first (so no
 * command races an unloaded rule), then the control channel starts dialling in the background
 * while RUNNING rules resume from disk: neither waits for the other, so a reboot with the
 * core unreachable still runs every rule.
 */
export async function createAgent(options: AgentOptions, deps: AgentDeps): Promise<AgentHandle> {
  const agentId = assertSafeName(options.agentId, 'agentId');
  const logger = options.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const files = new AtomicFiles(deps.fileSystem);
  const checkpoints = new FileCheckpointStore(files, options.dataDir);
  const rules = new RuleManager({
    store: new RuleStore(files, options.dataDir),
    checkpoints,
    bundles: new BundleCache(files, options.dataDir, deps.fetchArtifact, {
      adapterKey: deps.identity.adapterKey,
      adapterUrl: options.adapterUrl,
    }),
    host: deps.ruleHost,
    declareTopology: deps.declareTopology,
    redeclareTopologyBeforeRun: options.redeclareTopologyBeforeRun,
    logger,
    now,
  });
  if (deps.identity.agentId !== agentId) {
    throw new Error(`identity of agent ${deps.identity.agentId} given to agent ${agentId}`);
  }
  const commands = new CommandHandler(rules);
  const signedControl = new SignedControl({
    identity: deps.identity,
    handle: (command) => commands.handle(command),
    logger,
    now: () => now().getTime(),
  });
  const heartbeat = new HeartbeatPublisher({
    agentId,
    version: options.version ?? AGENT_VERSION,
    startedAt: now(),
    intervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    stats: deps.stats,
    rules: () => rules.states(),
    refusedControlMessages: () => signedControl.refusedCount,
    sharesProcess: options.sharesProcess,
    sign: (beat) => signMessage(deps.identity.agentKey, beat),
    logger,
    now,
  });
  const control = new ControlChannel({
    agentId,
    brokers: options.brokers,
    coreEndpoint: options.coreEndpoint ?? 'core',
    handle: (payload) => signedControl.handle(payload),
    serve: deps.serveControl,
    onConnected: (core) => void heartbeat.attach(core),
    logger,
    retry: deps.controlRetry,
  });

  logger.info('agent.starting', {
    agentId,
    dataDir: options.dataDir,
    ruleHost: deps.ruleHost.kind,
  });
  await rules.loadRecords();
  control.start();
  await rules.resumeRunning();
  logger.info('agent.started', { agentId, rules: rules.states().length });

  let finished = false;
  const shutdown = async (graceful: boolean): Promise<void> => {
    if (finished) return;
    finished = true;
    heartbeat.stop();
    await control.stop();
    if (graceful) {
      await rules.stopAll();
      await deps.ruleHost.close();
    } else {
      await deps.ruleHost.kill();
    }
    logger.info(graceful ? 'agent.stopped' : 'agent.killed', { agentId });
  };

  return {
    agentId,
    stop: () =>
      shutdown(true).catch((error: unknown) => {
        logger.warn('agent.stop-failed', { agentId, error: describeError(error) });
        throw error;
      }),
    kill: () => shutdown(false),
    rules: () => rules.states(),
    isConnected: () => control.isConnected,
    refusedControlMessages: () => signedControl.refusedCount,
  };
}
