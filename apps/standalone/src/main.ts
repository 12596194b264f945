import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { flinkRuntimeOptionsFromEnv } from '@ruleshift/adapter';
import { LineLogger } from '@ruleshift/agent';
import { brokerConfigFromEnv } from '@ruleshift/broker';
import { bootstrapStandalone } from './bootstrap';
import { parseStandaloneEnv } from './config/standalone-env';

/** `npm start`: everything in one process on embedded defaults unless env points elsewhere. */
async function main(): Promise<void> {
  const env = parseStandaloneEnv(process.env);
  const brokerConfig = brokerConfigFromEnv(process.env);
  const logger = new Logger('standalone');
  const standalone = await bootstrapStandalone({
    port: env.port,
    host: env.host,
    dataDir: env.dataDir,
    databaseUrl: env.databaseUrl,
    publicUrl: env.publicUrl,
    agentId: env.agentId,
    agentDataDir: env.agentDataDir,
    heartbeatIntervalMs: env.heartbeatIntervalMs,
    templatesDir: env.templatesDir,
    deadLetterMaxLength: env.deadLetterMaxLength,
    inMemoryQueueLimits: env.inMemoryQueueLimits,
    brokerConfig,
    // Undefined (flink runtime disabled) unless FLINK_REST_URL is set.
    flink: flinkRuntimeOptionsFromEnv(process.env),
    agentLogger: new LineLogger((line) => process.stdout.write(`${line}\n`)),
  });
  for (const agentId of env.extraAgentIds) await standalone.startAgent(agentId);
  const brokers = Object.entries(brokerConfig.named)
    .map(([name, target]) => `${name}=${target.kind}`)
    .join(', ');
  logger.log(
    `ruleshift listening on ${standalone.url} (API /api, docs /api/docs); ` +
      `agents ${[env.agentId, ...env.extraAgentIds].join(', ')}; ` +
      `brokers ${brokers}; registry ${env.databaseUrl ? 'PostgreSQL' : `PGlite in ${env.dataDir}`}`,
  );

  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      logger.log(`${signal}: stopping agent, adapter and HTTP server`);
      standalone.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // Boot errors (bad env, broken template manifest, unreachable broker) as one readable line.
  console.error(
    `ruleshift failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
