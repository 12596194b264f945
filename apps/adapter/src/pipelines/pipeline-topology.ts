import type { BrokerRegistry } from '@ruleshift/broker';
import type { PipelineExchange } from '@ruleshift/contracts';

/**
 * What a pipeline owns on the brokers beyond its stages' own topology: the exchanges between
 * stages. Their queues are the readers' input queues, which uninstalling a stage deletes.
 */
export abstract class PipelineTopology {
  /** Deletes the exchanges; deleting one already gone succeeds, so a retry is safe. */
  abstract removeExchanges(exchanges: readonly PipelineExchange[]): Promise<void>;
}

export class BrokerPipelineTopology extends PipelineTopology {
  constructor(private readonly brokers: BrokerRegistry) {
    super();
  }

  async removeExchanges(exchanges: readonly PipelineExchange[]): Promise<void> {
    for (const { endpoint, exchange } of exchanges) {
      await (await this.brokers.get(endpoint)).deleteExchange(exchange);
    }
  }
}
