import { Inject, Injectable } from '@nestjs/common';
import type { BrokerRegistry } from '@ruleshift/broker';
import { ADAPTER_HEARTBEAT_QUEUE, type HealthReport } from '@ruleshift/contracts';
import { BROKER_REGISTRY } from '../../../shared/tokens';
import { DatabaseProbe } from '../../../registry/database-probe';

type Component = HealthReport['components'][string];

const probe = async (check: () => Promise<unknown>): Promise<Component> => {
  try {
    await check();
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', detail: err instanceof Error ? err.message : String(err) };
  }
};

/** Registry database and core broker reachability. */
@Injectable()
export class CheckHealthUseCase {
  constructor(
    @Inject(DatabaseProbe) private readonly database: DatabaseProbe,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
  ) {}

  async execute(_request: Record<string, never> = {}): Promise<HealthReport> {
    const [database, coreBroker] = await Promise.all([
      probe(() => this.database.ping()),
      // A passive look at a queue the adapter owns proves the connection and the vhost.
      probe(async () => (await this.brokers.get('core')).queueDepth(ADAPTER_HEARTBEAT_QUEUE)),
    ]);
    const components = { database, coreBroker };
    const allUp = Object.values(components).every((c) => c.status === 'up');
    return { status: allUp ? 'ok' : 'degraded', components };
  }
}
