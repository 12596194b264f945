import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createBrokerRegistry } from '@ruleshift/broker';
import { ADAPTER_QUEUE, jsonAnswersEndWithNewline } from '@ruleshift/contracts';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from '@ruleshift/templates';
import { AdapterModule } from './adapter.module';
import { parseAdapterEnv } from './adapter-env';
import { flinkRuntimeOptionsFromEnv } from './drivers/flink';
import { loadAdapterSigningKey } from './agents/load-adapter-signing-key';
import { AdapterLeadership } from './leadership/adapter-leadership';
import { AdapterRequestServer } from './transport/adapter-request-server';

/**
 * The adapter as its own process: HTTP (artifacts) on ADAPTER_HTTP_PORT and the AdapterApi
 * over RabbitMQ (queue ruleshift.adapter on the core broker). Requests are served only once
 * bootstrap is done (templates synced, unfinished moves resumed), so whatever waited in the
 * queue meanwhile meets a ready adapter.
 */
async function bootstrap(): Promise<void> {
  const env = parseAdapterEnv(process.env);
  const brokers = createBrokerRegistry('adapter');
  const templates = await TemplateCatalog.load(env.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  const signingKey = await loadAdapterSigningKey({
    file: env.signingKeyFile,
    dataDir: env.dataDir,
    log: (message) => Logger.log(message, 'AdapterMain'),
  });
  const app = await NestFactory.create(
    AdapterModule.forRoot({
      database: { url: env.databaseUrl },
      brokers,
      templates,
      publicUrl: env.publicUrl,
      signingKey,
      heartbeatIntervalMs: env.heartbeatIntervalMs,
      deadLetterMaxLength: env.deadLetterMaxLength,
      // Undefined (flink runtime disabled) unless FLINK_REST_URL is set.
      flink: flinkRuntimeOptionsFromEnv(process.env),
      requestPrefetch: env.prefetch,
      ownsBrokers: true,
      serveMetrics: true,
      leadership: env.leadership,
      uninstalledRetentionMs: env.uninstalledRetentionMs,
      placementIntervalMs: env.placementIntervalMs,
    }),
    // Boot errors (no database, no broker) reach the catch below as one readable line.
    { abortOnError: false },
  );
  app.enableShutdownHooks();
  app.use(jsonAnswersEndWithNewline);
  await app.listen(env.httpPort);
  // Only the active adapter serves requests: the request server is an active duty, started
  // when this process takes the registry lease and stopped when it loses it.
  const requests = app.get(AdapterRequestServer);
  await app.get(AdapterLeadership).register({
    name: 'request server',
    start: () => requests.start(),
    stop: () => requests.stop(),
  });
  Logger.log(
    `adapter up: http :${env.httpPort}, requests on ${ADAPTER_QUEUE} when active (prefetch ${env.prefetch})`,
    'AdapterMain',
  );
}

bootstrap().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  // PostgreSQL's invalid_catalog_name: the adapter migrates a database, it does not create one.
  const missingDatabase = (err as { code?: unknown } | undefined)?.code === '3D000';
  Logger.error(
    `adapter failed to start: ${message}` +
      (missingDatabase ? ' (create it first, e.g. createdb, or name another in DATABASE_URL)' : ''),
    'AdapterMain',
  );
  process.exit(1);
});
