import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import type { BrokerConnection } from '@ruleshift/broker';
import { ADAPTER_CLIENT, type AdapterClient } from '@ruleshift/contracts';
import { AuditJobIdInterceptor } from './audit/audit-job-id.interceptor';
import { AuditTrailMiddleware } from './audit/audit-trail.middleware';
import { AuditController } from './audit/audit.controller';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { ApiKeyIssuer } from './auth/api-key-issuer';
import { ApiKeyVerifier } from './auth/api-key-verifier';
import { AUTH_OPTIONS, type AuthOptions } from './auth/auth-options';
import { BearerTokenVerifier } from './auth/bearer-token-verifier';
import { BootstrapAdminVerifier } from './auth/bootstrap-admin-verifier';
import { FailedAuthLimiter } from './auth/failed-auth-limiter';
import { OidcVerifier } from './auth/oidc-verifier';
import { TokensController } from './auth/tokens.controller';
import { AgentsController } from './agents/agents.controller';
import { EventPublisher } from './events/event-publisher.service';
import { EventTail } from './events/event-tail.service';
import { EventsController } from './events/events.controller';
import { HealthController } from './platform/health.controller';
import { PipelinesController } from './pipelines/pipelines.controller';
import { PlatformController } from './platform/platform.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessMetrics } from './metrics/process-metrics';
import { DeadLettersController } from './rules/dead-letters.controller';
import { JobsController } from './rules/jobs.controller';
import { PlacementController } from './rules/placement.controller';
import { RulesController } from './rules/rules.controller';
import { EDGE_BROKER } from './shared/tokens';

export interface ProxyModuleOptions {
  adapterClient: AdapterClient;
  /** The broker `/api/events` publishes to and tails. */
  edgeBroker: BrokerConnection;
  /** Who may call the API (authOptionsFrom(env)). */
  auth: AuthOptions;
}

const CONTROLLERS = [
  RulesController,
  JobsController,
  DeadLettersController,
  PlatformController,
  HealthController,
  EventsController,
  TokensController,
  AgentsController,
  AuditController,
  PipelinesController,
  MetricsController,
  PlacementController,
];

/** The HTTP API. It owns neither connection: its host (main or standalone) closes them. */
@Module({})
export class ProxyModule implements NestModule {
  static forRoot(options: ProxyModuleOptions): DynamicModule {
    const { auth } = options;
    const apiKeys = new ApiKeyVerifier(options.adapterClient, auth.apiKeyCacheTtlMs);
    return {
      module: ProxyModule,
      controllers: CONTROLLERS,
      providers: [
        { provide: ADAPTER_CLIENT, useValue: options.adapterClient },
        { provide: EDGE_BROKER, useValue: options.edgeBroker },
        { provide: AUTH_OPTIONS, useValue: auth },
        {
          provide: BearerTokenVerifier,
          useValue: new BearerTokenVerifier(
            new BootstrapAdminVerifier(auth.adminToken),
            apiKeys,
            auth.oidc ? new OidcVerifier(auth.oidc) : null,
          ),
        },
        { provide: FailedAuthLimiter, useValue: new FailedAuthLimiter(auth.failedAuth) },
        ApiAuthGuard,
        ApiKeyIssuer,
        AuditJobIdInterceptor,
        EventPublisher,
        EventTail,
        ProcessMetrics,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditTrailMiddleware).forRoutes(...CONTROLLERS);
  }
}
