import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { InMemoryBroker, type InMemoryBrokerOptions } from '@ruleshift/broker';
import type { AuthOptions } from '../auth/auth-options';
import { configureProxyApp, type ConfigureProxyAppOptions } from '../configure-proxy-app';
import { ProxyModule } from '../proxy.module';
import { FakeAdapterClient } from './fake-adapter-client';

/** The admin token every test app accepts (RULESHIFT_ADMIN_TOKEN in production). */
export const TEST_ADMIN_TOKEN = 'rs_test-admin-token-0123456789abcdef';

export interface ProxyTestApp {
  app: INestApplication;
  adapter: FakeAdapterClient;
  broker: InMemoryBroker;
  /** Requests as the admin unless `token` says otherwise (null: no Authorization header). */
  http(token?: string | null): request.Agent;
  close(): Promise<void>;
}

export async function createProxyTestApp(
  auth: Partial<AuthOptions> = {},
  brokerOptions: InMemoryBrokerOptions = {},
  proxyOptions: ConfigureProxyAppOptions = {},
): Promise<ProxyTestApp> {
  const adapter = new FakeAdapterClient();
  const broker = new InMemoryBroker('edge', brokerOptions);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ProxyModule.forRoot({
        adapterClient: adapter,
        edgeBroker: broker,
        auth: {
          adminToken: TEST_ADMIN_TOKEN,
          apiKeyCacheTtlMs: 10_000,
          // Generous: only the rate-limit tests lower it.
          failedAuth: { maxFailures: 1000, windowSeconds: 60, blockSeconds: 60 },
          ...auth,
        },
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureProxyApp(app, proxyOptions);
  await app.init();
  return {
    app,
    adapter,
    broker,
    http: (token: string | null = TEST_ADMIN_TOKEN) => {
      const agent = request.agent(app.getHttpServer() as Server);
      return token === null ? agent : agent.set('authorization', `Bearer ${token}`);
    },
    close: async () => {
      await app.close();
      await broker.close();
    },
  };
}
