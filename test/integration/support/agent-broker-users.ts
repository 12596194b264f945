/**
 * Per-agent RabbitMQ users on a test's core vhost, as the README's "Per-agent broker users"
 * documents them: each may declare and consume only its own control queue, publish heartbeats
 * and replies, and nothing else. Created by the test setup, deleted afterwards.
 */
import { execFileSync } from 'node:child_process';
import { RABBITMQ_HOST, RABBITMQ_NODE } from './services';

const rabbitmqctl = (...args: string[]): void => {
  const node = RABBITMQ_NODE ? ['-n', RABBITMQ_NODE] : [];
  execFileSync('rabbitmqctl', [...node, ...args], { stdio: 'ignore', timeout: 60_000 });
};

const escaped = (agentId: string): string => agentId.replace(/[.\\-]/g, (c) => `\\${c}`);

/** The (configure, write, read) regexes of agent `agentId`'s user on the core vhost. */
export function agentPermissions(agentId: string): [string, string, string] {
  const own = `agent\\.${escaped(agentId)}`;
  return [
    `^ruleshift\\.(${own}|control|control\\.replies|heartbeats)$`,
    `^ruleshift\\.(${own}|control\\.replies|heartbeats)$`,
    `^ruleshift\\.(${own}|control)$`,
  ];
}

export interface AgentBrokerUser {
  user: string;
  password: string;
  /** amqp URL of the core vhost as this user. */
  coreUrl: string;
  remove(): void;
}

export function createAgentBrokerUser(agentId: string, coreVhost: string): AgentBrokerUser {
  const user = `ruleshift-it-${agentId}-${process.pid}`;
  const password = `pw-${agentId}-${process.pid}-${Date.now()}`;
  try {
    rabbitmqctl('delete_user', user);
  } catch {
    // Not left over from an earlier run.
  }
  rabbitmqctl('add_user', user, password);
  rabbitmqctl('set_permissions', '-p', coreVhost, user, ...agentPermissions(agentId));
  return {
    user,
    password,
    coreUrl: `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${RABBITMQ_HOST}/${encodeURIComponent(coreVhost)}`,
    remove: () => {
      try {
        rabbitmqctl('delete_user', user);
      } catch {
        // Already gone.
      }
    },
  };
}

export const vhostOf = (amqpUrl: string): string =>
  decodeURIComponent(new URL(amqpUrl).pathname.replace(/^\//, ''));
