import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { flinkRuntimeOptionsFromEnv } from '@ruleshift/adapter';
import { LineLogger } from '@ruleshift/agent';
import { brokerConfigFromEnv } from '@ruleshift/broker';
import { AdminTokenStore, type AdminToken } from './admin-token-store';
import { bootstrapStandalone } from './bootstrap';
import { parseStandaloneEnv } from './config/standalone-env';

/** `npm start`: everything in one process on embedded defaults unless env points elsewhere. */
async function main(): Promise<void> {
  const env = parseStandaloneEnv(process.env);
  const brokerConfig = brokerConfigFromEnv(process.env);
  const logger = new Logger('standalone');
  const adminToken = await new AdminTokenStore(env.dataDir).resolve(env.auth.adminToken);
  const standalone = await bootstrapStandalone({
    auth: { ...env.auth, adminToken: adminToken.token },
    port: env.port,
    host: env.host,
    dataDir: env.dataDir,
    databaseUrl: env.databaseUrl,
    publicUrl: env.publicUrl,
    adapterSigningKeyFile: env.adapterSigningKeyFile,
    agentId: env.agentId,
    agentDataDir: env.agentDataDir,
    heartbeatIntervalMs: env.heartbeatIntervalMs,
    templatesDir: env.templatesDir,
    deadLetterMaxLength: env.deadLetterMaxLength,
    inMemoryQueueLimits: env.inMemoryQueueLimits,
    placementIntervalMs: env.placementIntervalMs,
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
    `ruleshift listening on ${standalone.url} (API /api, docs /api/docs, OpenAPI /api/docs-json); ` +
      `agents ${[env.agentId, ...env.extraAgentIds].join(', ')}; ` +
      `brokers ${brokers}; registry ${env.databaseUrl ? 'PostgreSQL' : `PGlite in ${env.dataDir}`}`,
  );
  announceAdminToken(adminToken, standalone.url);

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

/** The token itself only when it was just generated; afterwards only where it is kept. */
function announceAdminToken(admin: AdminToken, url: string): void {
  const lines =
    admin.source === 'generated'
      ? [
          `Admin token (shown once, kept in ${admin.path}, mode 0600):`,
          `  ${admin.token}`,
          'Use it as a bearer token, e.g.:',
          `  TOKEN=$(cat ${admin.path})`,
          `  curl -H "authorization: Bearer $TOKEN" ${url}/api/runtimes`,
          'Create narrower API keys with POST /api/tokens (see README, Security).',
        ]
      : admin.source === 'file'
        ? [`Admin token: the one kept in ${admin.path} (TOKEN=$(cat ${admin.path}))`]
        : ['Admin token: RULESHIFT_ADMIN_TOKEN'];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  // Boot errors (bad env, broken template manifest, unreachable broker) as one readable line.
  const busy = (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
  console.error(
    `ruleshift failed to start: ${error instanceof Error ? error.message : String(error)}` +
      (busy ? ' (another process listens there: stop it, or set PORT to another port)' : ''),
  );
  process.exit(1);
});
