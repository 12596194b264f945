/**
 * The agent as its own process (edge gateway): `node dist/apps/agent/src/main.js`.
 * Env is validated at boot; SIGTERM/SIGINT stop it gracefully (rules checkpoint and resume
 * on the next start).
 */
import { brokerConfigFromEnv } from '@ruleshift/broker';
import { parseAgentEnv } from './config/agent-env';
import { LineLogger } from './shared/logger';
import { describeError } from './shared/reply-error';
import { startAgent } from './start-agent';
import { createBrokerRegistry } from './wiring/broker-factory';

async function main(): Promise<void> {
  const logger = new LineLogger((line) => process.stdout.write(`${line}\n`));
  const env = parseAgentEnv(process.env);
  const brokerConfig = brokerConfigFromEnv(process.env);
  const brokers = createBrokerRegistry(brokerConfig, `agent-${env.agentId}`);
  const agent = await startAgent({
    agentId: env.agentId,
    brokers,
    brokerConfig,
    dataDir: env.dataDir,
    heartbeatIntervalMs: env.heartbeatIntervalMs,
    adapterUrl: env.adapterUrl,
    enrolmentToken: env.enrolmentToken,
    artifactLimits: env.artifactLimits,
    workerMaxHeapMb: env.workerMaxHeapMb,
    logger,
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('agent.signal', { signal });
    agent
      .stop()
      .then(() => brokers.closeAll())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.warn('agent.stop-failed', { error: describeError(error) });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`agent failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
