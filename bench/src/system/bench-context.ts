/**
 * What the system benchmarks share in one run: a ruleshift system (adapter, proxy and agents
 * as separate processes from dist/, via the integration harness) against the real RabbitMQ
 * vhost `edge` and PostgreSQL, started on first use, and the bench's own AMQP client.
 * `close()` uninstalls the rules, deletes the bench's queues/exchanges and stops the processes.
 */
import { EDGE_AMQP_URL } from '../../../test/integration/support/services';
import { RuleshiftSystem } from '../../../test/integration/support/system';
import { BenchAmqp } from './bench-amqp';
import { RulesClient } from './rules-client';

/** Agents of the shared system: two to move between, one alone for the memory figure. */
export const AGENTS = { first: 'gw1', second: 'gw2', memory: 'mem1' } as const;

export interface RunningSystem {
  system: RuleshiftSystem;
  rules: RulesClient;
}

export class BenchContext {
  private edgeSystem?: Promise<RunningSystem>;
  private amqpClient?: Promise<BenchAmqp>;
  private readonly systems: RunningSystem[] = [];

  readonly amqpUrl = EDGE_AMQP_URL;

  /** The shared system with agents gw1, gw2 and mem1 (heartbeats every 500 ms). */
  edge(): Promise<RunningSystem> {
    this.edgeSystem ??= this.startSystem(Object.values(AGENTS));
    return this.edgeSystem;
  }

  /** A system of its own (for example with the Flink runtime on); closed with the context. */
  startSystem(agents: string[], extraEnv?: Record<string, string>): Promise<RunningSystem> {
    return RuleshiftSystem.start({ agents, extraEnv }).then((system) => {
      const running = { system, rules: new RulesClient(system) };
      this.systems.push(running);
      return running;
    });
  }

  /** Stops one system started with startSystem (its rules uninstalled first). */
  async stopSystem(running: RunningSystem): Promise<void> {
    const index = this.systems.indexOf(running);
    if (index >= 0) this.systems.splice(index, 1);
    await running.rules.uninstallAll();
    await running.system.stop();
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
