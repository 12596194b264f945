/**
 * What the system benchmarks share in one run: a ruleshift system (adapter, proxy and agents
 * as separate processes from dist/, via the integration harness) against the real RabbitMQ
 * vhost `edge` and PostgreSQL, started on first use, and the bench's own AMQP client.
 * `close()` uninstalls the rules, deletes the bench's queues/exchanges and stops the processes.
 */
import { amqpUrl, EDGE_AMQP_URL } from '../../../test/integration/support/services';
import { RuleshiftSystem } from '../../../test/integration/support/system';
import { BenchAmqp } from './bench-amqp';
import { PrivateVhost } from './private-vhost';
import { RulesClient } from './rules-client';

/** Agents of the shared system: two to move between, one alone for the memory figure. */
export const AGENTS = { first: 'gw1', second: 'gw2', memory: 'mem1' } as const;

export interface RunningSystem {
  system: RuleshiftSystem;
  rules: RulesClient;
  coreVhost: PrivateVhost;
}

export class BenchContext {
  private edgeSystem?: Promise<RunningSystem>;
  private amqpClient?: Promise<BenchAmqp>;
  private readonly systems: RunningSystem[] = [];
  private vhosts = 0;

  readonly amqpUrl = EDGE_AMQP_URL;

  /** The shared system with agents gw1, gw2 and mem1 (heartbeats every 500 ms). */
  edge(): Promise<RunningSystem> {
    this.edgeSystem ??= this.startSystem(Object.values(AGENTS));
    return this.edgeSystem;
  }

  /**
   * A system of its own (for example with the Flink runtime on) on a private core vhost;
   * closed with the context.
   */
  async startSystem(agents: string[], extraEnv?: Record<string, string>): Promise<RunningSystem> {
    const coreVhost = new PrivateVhost(`bench-core-${process.pid}-${++this.vhosts}`);
    coreVhost.create();
    try {
      const system = await RuleshiftSystem.start({
        agents,
        extraEnv: { ...extraEnv, CORE_AMQP_URL: amqpUrl(coreVhost.name) },
      });
      const running = { system, rules: new RulesClient(system), coreVhost };
      this.systems.push(running);
      return running;
    } catch (error) {
      coreVhost.delete();
      throw error;
    }
  }

  /** Stops one system started with startSystem (its rules uninstalled first). */
  async stopSystem(running: RunningSystem): Promise<void> {
    const index = this.systems.indexOf(running);
    if (index >= 0) this.systems.splice(index, 1);
    try {
      await running.rules.uninstallAll();
      await running.system.stop();
    } finally {
      running.coreVhost.delete();
    }
  }

  amqp(): Promise<BenchAmqp> {
    this.amqpClient ??= BenchAmqp.connect(this.amqpUrl);
    return this.amqpClient;
  }

  async close(): Promise<void> {
    for (const running of [...this.systems]) {
      await this.stopSystem(running).catch((error: unknown) => {
        process.stderr.write(`cleanup: stopping a system failed: ${String(error)}\n`);
      });
    }
    if (this.amqpClient) await (await this.amqpClient).close();
  }
}
