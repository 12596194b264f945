/**
 * A RabbitMQ vhost of the bench's own for the control plane. The adapter's queue and the
 * heartbeat queue have fixed names, so two ruleshift systems sharing the `core` vhost (a test
 * run and a bench run at once) would answer each other's requests.
 */
import { execFileSync } from 'node:child_process';

export class PrivateVhost {
  constructor(readonly name: string) {}

  create(): void {
    this.ctl(['add_vhost', this.name]);
    this.ctl(['set_permissions', '-p', this.name, 'guest', '.*', '.*', '.*']);
  }

  delete(): void {
    this.ctl(['delete_vhost', this.name]);
  }

  private ctl(args: string[]): void {
    execFileSync('rabbitmqctl', args, { stdio: 'ignore', timeout: 60_000 });
  }
}
