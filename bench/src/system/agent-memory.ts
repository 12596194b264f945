/**
 * 4. Resident memory of one agent process (its own agent, mem1) holding 100 filter rules
 * installed and RUNNING through the REST API: VmRSS from /proc/<pid>/status, and the RSS
 * the agent's own heartbeat reports. The idle figure (no rules) is printed alongside.
 */
import type { JobInfo, RuntimeInfo } from '@ruleshift/contracts';
import { report } from '../stats';
import { AGENTS, type BenchContext } from './bench-context';
import { sleep } from './pacer';
import { mapLimit } from './pool';
import { readVmRssBytes } from './proc-status';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { mb, positiveIntEnv } from './settings';
import type { RuleshiftSystem } from '../../../test/integration/support/system';

const BENCH = 'agent-memory';

interface HeartbeatDetails {
  rssBytes?: number;
  rules?: { status: string }[];
}

async function heartbeatOf(system: RuleshiftSystem, agentId: string): Promise<HeartbeatDetails> {
  const { body } = await system.api<RuntimeInfo[]>('GET', '/api/runtimes');
  const details: HeartbeatDetails = body.find((r) => r.targetResource === agentId)?.details ?? {};
  return details;
}

export async function agentMemory(ctx: BenchContext): Promise<void> {
  const count = positiveIntEnv('BENCH_MEMORY_RULES', 100);
  const { system, rules } = await ctx.edge();
  const amqp = await ctx.amqp();
  const pid = system.process(AGENTS.memory).pid;
  if (pid === undefined) throw new Error(`no pid for agent ${AGENTS.memory}`);
  const idle = readVmRssBytes(pid);

  const running: JobInfo[] = await mapLimit(Array.from({ length: count }), 4, async () => {
    const connectors = benchConnectors('memory');
    const installed = await rules.install(passAllFilter('edge', AGENTS.memory, connectors));
    amqp.track(ruleTopology(installed, connectors));
    return rules.start(installed);
  });
  try {
    // The next heartbeats must list every rule RUNNING; then let the process settle.
    const deadline = Date.now() + 30_000;
    let heartbeat = await heartbeatOf(system, AGENTS.memory);
    while ((heartbeat.rules ?? []).filter((r) => r.status === 'RUNNING').length < count) {
      if (Date.now() > deadline) throw new Error(`heartbeat never listed ${count} RUNNING rules`);
      await sleep(250);
      heartbeat = await heartbeatOf(system, AGENTS.memory);
    }
    await sleep(3000);
    const loaded = readVmRssBytes(pid);
    heartbeat = await heartbeatOf(system, AGENTS.memory);
    const rules100 = `${count} rules RUNNING`;
    report({ bench: BENCH, metric: 'VmRSS, no rules', value: mb(idle), unit: 'MB' });
    report({
      bench: BENCH,
      metric: `VmRSS, ${rules100}`,
      value: mb(loaded),
      unit: 'MB',
      target: '<= 150',
    });
    report({
      bench: BENCH,
      metric: `heartbeat rssBytes, ${rules100}`,
      value: mb(heartbeat.rssBytes ?? Number.NaN),
      unit: 'MB',
    });
  } finally {
    await mapLimit(running, 4, (job) => rules.uninstall(job).catch(() => undefined));
  }
}
