import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InMemoryBroker, type InMemoryBrokerOptions } from '@ruleshift/broker';
import { configureProxyApp } from '../configure-proxy-app';
import { ProxyModule } from '../proxy.module';
import { FakeAdapterClient } from './fake-adapter-client';

export interface ProxyTestApp {
  app: INestApplication;
  adapter: FakeAdapterClient;
  broker: InMemoryBroker;
  close(): Promise<void>;
}

export async function createProxyTestApp(
  brokerOptions: InMemoryBrokerOptions = {},
): Promise<ProxyTestApp> {
  const adapter = new FakeAdapterClient();
  const broker = new InMemoryBroker('edge', brokerOptions);
  const moduleRef = await Test.createTestingModule({
    imports: [ProxyModule.forRoot({ adapterClient: adapter, edgeBroker: broker })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureProxyApp(app);
  await app.init();
  return {
    app,
    adapter,
    broker,
    close: async () => {
      await app.close();
      await broker.close();
    },
  };
}
