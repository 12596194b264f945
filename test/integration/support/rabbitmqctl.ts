/** What the integration tests ask the machine's RabbitMQ through `rabbitmqctl`. */
import { execFileSync } from 'node:child_process';

export function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', timeout: 60_000 });
}

/**
 * Closes the one connection whose `connection_name` client property is `connectionName`
 * (as an operator or a network fault would); the other connections are left alone.
 */
export function closeConnectionNamed(connectionName: string, reason = 'test fault'): void {
  const connections = JSON.parse(
    rabbitmqctl('list_connections', 'name', 'client_properties', '--formatter', 'json'),
  ) as Array<{ name: string; client_properties: Array<[string, string, unknown]> }>;
  const ours = connections.find((c) =>
    c.client_properties.some(
      ([key, , value]) => key === 'connection_name' && value === connectionName,
    ),
  );
  if (!ours) throw new Error(`no connection named ${connectionName}`);
  // The JSON formatter prints pids in a form close_connection does not accept; the table does.
  const table = rabbitmqctl('list_connections', 'name', 'pid', '--quiet', '--no-table-headers');
  const row = table.split('\n').find((line) => line.split('\t')[0] === ours.name);
  if (!row) throw new Error(`connection ${ours.name} vanished`);
  rabbitmqctl('close_connection', row.split('\t')[1], reason);
}

export interface QueueState {
  ready: number;
  unacked: number;
  consumers: number;
}

/** Messages ready and unacked, and consumers, of one queue as the broker sees them. */
export function queueState(vhost: string, queue: string): QueueState {
  const rows = JSON.parse(
    rabbitmqctl(
      'list_queues',
      '-p',
      vhost,
      'name',
      'messages_ready',
      'messages_unacknowledged',
      'consumers',
      '--formatter',
      'json',
    ),
  ) as Array<{
    name: string;
    messages_ready: number;
    messages_unacknowledged: number;
    consumers: number;
  }>;
  const row = rows.find((r) => r.name === queue);
  if (!row) throw new Error(`no queue ${queue} in vhost ${vhost}`);
  return {
    ready: row.messages_ready,
    unacked: row.messages_unacknowledged,
    consumers: row.consumers,
  };
}
