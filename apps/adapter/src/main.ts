import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { createBrokerRegistry } from '@ruleshift/broker';
import { ADAPTER_QUEUE } from '@ruleshift/contracts';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from '@ruleshift/templates';
import { AdapterModule } from './adapter.module';
import { parseAdapterEnv } from './adapter-env';
import { flinkRuntimeOptionsFromEnv } from './drivers/flink';
import { AdapterLeadership } from './leadership/adapter-leadership';

/**
 * The adapter as its own process: HTTP (artifacts) on ADAPTER_HTTP_PORT and the AdapterApi
 * over RabbitMQ (queue ruleshift.adapter on the core broker). Moves a previous process left
 * unfinished are resumed during bootstrap (AdapterLifecycle).
 */
async function bootstrap(): Promise<void> {
  const env = parseAdapterEnv(process.env);
  const brokers = createBrokerRegistry('adapter');
  const templates = await TemplateCatalog.load(env.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  const app = await NestFactory.create(
    AdapterModule.forRoot({
      database: { url: env.databaseUrl },
      brokers,
      templates,
      publicUrl: env.publicUrl,
      heartbeatIntervalMs: env.heartbeatIntervalMs,
      deadLetterMaxLength: env.deadLetterMaxLength,
      // Undefined (flink runtime disabled) unless FLINK_REST_URL is set.
      flink: flinkRuntimeOptionsFromEnv(process.env),
      ownsBrokers: true,
      leadership: env.leadership,
      uninstalledRetentionMs: env.uninstalledRetentionMs,
    }),
  );
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.RMQ,
      options: {
        urls: [env.coreAmqpUrl],
        queue: ADAPTER_QUEUE,
        queueOptions: { durable: true },
        noAck: false,
        prefetchCount: env.prefetch,
      },
    },
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks();
  await app.listen(env.httpPort);
  // Only the active adapter consumes requests. A standby waits here until it takes the lease.
  // Nest's RMQ server cannot be stopped and restarted in place, so an adapter that loses the
  // lease exits (its supervisor restarts it as a standby) instead of serving as a fenced owner.
  // When request serving moves to libs/broker's RpcServer, register it as an ActiveDuty
  // (start = serve, stop = close) and drop the exit.
  const leadership = app.get(AdapterLeadership);
  let serving = false;
  leadership.onChange((active) => {
    if (!active && serving) {
      Logger.error('lost the registry lease: exiting to come back as a standby', 'AdapterMain');
      process.exit(1);
    }
  });
  await leadership.register({
    name: 'request server',
    start: async () => {
      if (serving) return;
      await app.startAllMicroservices();
      serving = true;
      Logger.log(`active: serving rmq queue ${ADAPTER_QUEUE}`, 'AdapterMain');
    },
    stop: () => Promise.resolve(),
  });
  Logger.log(`adapter up: http :${env.httpPort}`, 'AdapterMain');
}

bootstrap().catch((err: unknown) => {
  Logger.error(err instanceof Error ? err.message : String(err), 'AdapterMain');
  process.exit(1);
});
