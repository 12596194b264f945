import { Module, type DynamicModule } from '@nestjs/common';
import type { BrokerConnection } from '@ruleshift/broker';
import { ADAPTER_CLIENT, type AdapterClient } from '@ruleshift/contracts';
import { EventPublisher } from './events/event-publisher.service';
import { EventTail } from './events/event-tail.service';
import { EventsController } from './events/events.controller';
import { HealthController } from './platform/health.controller';
import { PlatformController } from './platform/platform.controller';
import { JobsController } from './rules/jobs.controller';
import { RulesController } from './rules/rules.controller';
import { EDGE_BROKER } from './shared/tokens';

export interface ProxyModuleOptions {
  adapterClient: AdapterClient;
  /** The broker `/api/events` publishes to and tails. */
  edgeBroker: BrokerConnection;
}

/** The HTTP API. It owns neither connection: its host (main or standalone) closes them. */
@Module({})
export class ProxyModule {
  static forRoot(options: ProxyModuleOptions): DynamicModule {
    return {
      module: ProxyModule,
      controllers: [
        RulesController,
        JobsController,
        PlatformController,
        HealthController,
        EventsController,
      ],
      providers: [
        { provide: ADAPTER_CLIENT, useValue: options.adapterClient },
        { provide: EDGE_BROKER, useValue: options.edgeBroker },
        EventPublisher,
        EventTail,
      ],
    };
  }
}
