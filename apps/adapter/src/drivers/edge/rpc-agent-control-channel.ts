import { RpcClient, type BrokerRegistry } from '@ruleshift/broker';
import {
  CONTROL_EXCHANGE,
  RuntimeUnavailable,
  type AgentCommand,
  type AgentReply,
} from '@ruleshift/contracts';
import { AgentControlChannel, AgentDidNotAnswer } from './agent-control-channel';

/** Default wait for an agent's reply; a stop drains in-flight events, so it is generous. */
export const DEFAULT_AGENT_RPC_TIMEOUT_MS = 15_000;

/** Control channel over the core broker: CONTROL_EXCHANGE, routing key = agent id. */
export class RpcAgentControlChannel extends AgentControlChannel {
  private client: Promise<RpcClient> | null = null;

  constructor(
    private readonly brokers: BrokerRegistry,
    private readonly timeoutMs = DEFAULT_AGENT_RPC_TIMEOUT_MS,
  ) {
    super();
  }

  async send(agentId: string, command: AgentCommand): Promise<AgentReply> {
    const client = await this.rpcClient();
    try {
      return await client.request<AgentReply>(CONTROL_EXCHANGE, agentId, command, this.timeoutMs);
    } catch (err) {
      if (err instanceof RuntimeUnavailable) throw new AgentDidNotAnswer(agentId);
      throw err;
    }
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => null);
    this.client = null;
    await client?.close();
  }

  private rpcClient(): Promise<RpcClient> {
    this.client ??= this.open();
    // A failed open (broker down) must not poison later calls.
    this.client.catch(() => (this.client = null));
    return this.client;
  }

  private async open(): Promise<RpcClient> {
    const core = await this.brokers.get('core');
    // Publishing to a missing exchange closes the channel; agents bind their queues to it.
    await core.assert({ exchanges: [{ name: CONTROL_EXCHANGE, type: 'direct', durable: true }] });
    return new RpcClient(core, { replyQueuePrefix: 'ruleshift.adapter.rpc' });
  }
}
