import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { RpcClient, type BrokerRegistry } from '@ruleshift/broker';
import { openSignedMessage, signMessage, type SigningKey } from '@ruleshift/identity';
import {
  CONTROL_EXCHANGE,
  CONTROL_REPLY_EXCHANGE,
  RuleshiftError,
  RuntimeUnavailable,
  type AgentCommand,
  type AgentReply,
  type SignedCommandBody,
  type SignedReplyBody,
} from '@ruleshift/contracts';
import type { AgentKeys } from '../../agents/agent-keys';
import type { RefusedTraffic } from '../../agents/refused-traffic';
import { AgentControlChannel, AgentDidNotAnswer } from './agent-control-channel';

/** Default wait for an agent's reply; a stop drains in-flight events, so it is generous. */
export const DEFAULT_AGENT_RPC_TIMEOUT_MS = 15_000;

export interface AgentIdentityDeps {
  adapterKey: SigningKey;
  agentKeys: AgentKeys;
  refused: RefusedTraffic;
  now?: () => Date;
}

const isReplyBody = (value: unknown): value is SignedReplyBody =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SignedReplyBody).agentId === 'string' &&
  typeof (value as SignedReplyBody).requestNonce === 'string' &&
  typeof (value as SignedReplyBody).reply === 'object' &&
  (value as SignedReplyBody).reply !== null;

/**
 * Control channel over the core broker: CONTROL_EXCHANGE, routing key = agent id. Each command
 * is signed with the adapter's key, bound to its agent, dated and given a nonce; only a reply
 * signed by that agent's registered key and naming that nonce is accepted. A command is never
 * sent to an agent that is not enrolled (or was revoked).
 */
export class RpcAgentControlChannel extends AgentControlChannel {
  private readonly logger = new Logger(RpcAgentControlChannel.name);
  private client: Promise<RpcClient> | null = null;

  constructor(
    private readonly brokers: BrokerRegistry,
    private readonly identity: AgentIdentityDeps,
    private readonly timeoutMs = DEFAULT_AGENT_RPC_TIMEOUT_MS,
  ) {
    super();
  }

  async send(agentId: string, command: AgentCommand): Promise<AgentReply> {
    const lookup = await this.identity.agentKeys.lookup(agentId);
    if (!lookup.ok) {
      throw new RuntimeUnavailable('targetResource', `agent ${agentId} is ${lookup.reason}`);
    }
    const body: SignedCommandBody = {
      agentId,
      issuedAt: (this.identity.now?.() ?? new Date()).toISOString(),
      nonce: randomUUID(),
      command,
    };
    const client = await this.rpcClient();
    let answer: unknown;
    try {
      answer = await client.request<unknown>(
        CONTROL_EXCHANGE,
        agentId,
        signMessage(this.identity.adapterKey, body),
        this.timeoutMs,
      );
    } catch (err) {
      if (err instanceof RuntimeUnavailable) throw new AgentDidNotAnswer(agentId);
      throw err;
    }
    const reply = openSignedMessage(lookup.key, answer);
    if (!isReplyBody(reply) || reply.agentId !== agentId || reply.requestNonce !== body.nonce) {
      const reason = reply === undefined ? 'signature does not verify' : 'answers another command';
      this.identity.refused.replyRefused(agentId, reason);
      this.logger.warn(`refused a reply for agent ${agentId} to ${command.type}: ${reason}`);
      throw new RuleshiftError(
        'RUNTIME_ERROR',
        `the reply for agent ${agentId} to ${command.type} was refused: ${reason}`,
      );
    }
    return reply.reply;
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
    return new RpcClient(core, {
      replyQueuePrefix: 'ruleshift.adapter.rpc',
      replyExchange: CONTROL_REPLY_EXCHANGE,
    });
  }
}
