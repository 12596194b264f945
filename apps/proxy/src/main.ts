import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { brokerConfigFromEnv, createBrokerRegistry } from '@ruleshift/broker';
import { RpcAdapterClient } from './adapter-client/rpc-adapter-client';
import { authOptionsFrom } from './auth/auth-env';
import { parseProxyEnv } from './config/proxy-env';
import { configureProxyApp } from './configure-proxy-app';
import { ProxyModule } from './proxy.module';

/** The proxy as its own process: HTTP in, adapter over the core broker, events on the edge broker. */
async function main(): Promise<void> {
  const env = parseProxyEnv(process.env);
  const logger = new Logger('proxy');
  const brokers = createBrokerRegistry('proxy', brokerConfigFromEnv(process.env));
  const edgeBroker = await brokers.get('edge');
  const adapterClient = new RpcAdapterClient(await brokers.get('core'), {
    timeoutMs: env.ADAPTER_TIMEOUT_MS,
  });
  const app = await NestFactory.create(
    ProxyModule.forRoot({ adapterClient, edgeBroker, auth: authOptionsFrom(env) }),
  );
  configureProxyApp(app);
  await app.listen(env.PORT, env.HOST);
  logger.log(`listening on ${await app.getUrl()} (docs at /api/docs)`);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: shutting down`);
    await app.close();
    await adapterClient.close();
    await brokers.closeAll();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
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
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
