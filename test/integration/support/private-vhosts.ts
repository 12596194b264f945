/**
 * A test file's own `edge` and `core` vhosts. Every system consumes the adapter's queue
 * (`ruleshift.adapter`) on its core vhost, so two systems on the shared vhosts (another test file
 * run at the same time, or two systems in one file) would answer each other's requests.
 */
import { execFileSync } from 'node:child_process';
import { amqpUrl, RABBITMQ_NODE } from './services';

export interface PrivateVhosts {
  edgeUrl: string;
  coreUrl: string;
  remove(): void;
}

const rabbitmqctl = (...args: string[]): void => {
  const node = RABBITMQ_NODE ? ['-n', RABBITMQ_NODE] : [];
  execFileSync('rabbitmqctl', [...node, ...args], { stdio: 'ignore', timeout: 60_000 });
};

export function createPrivateVhosts(tag: string): PrivateVhosts {
  const names = { edge: `${tag}-${process.pid}-edge`, core: `${tag}-${process.pid}-core` };
  for (const vhost of Object.values(names)) {
    try {
      rabbitmqctl('add_vhost', vhost);
    } catch {
      // Left over from an earlier run with the same pid: reused as is.
    }
    rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  }
  const edgeUrl = amqpUrl(names.edge);
  const coreUrl = amqpUrl(names.core);
  return {
    edgeUrl,
    coreUrl,
    remove: () => {
      for (const vhost of Object.values(names)) {
        try {
          rabbitmqctl('delete_vhost', vhost);
        } catch {
          // Already gone.
        }
      }
    },
  };
}
