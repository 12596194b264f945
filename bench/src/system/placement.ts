/**
 * Issue 11: the placement policy under its defaults. A pass-all filter with an auto policy
 * (candidates gw1, gw2; every threshold default) runs on gw1, which is then slowed to a tenth
 * of its speed (frozen 180 ms of every 200 ms) while a producer publishes faster than that: the
 * time from that overload onset until the rule runs on gw2, the backlog the move found, and how
 * long gw2 took after the move to bring the backlog back under the policy's backlogLow.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_PLACEMENT_THRESHOLDS, type JobDetails } from '@ruleshift/contracts';
import { AmqpTestClient } from '../../../test/integration/support/amqp';
import { PacedProducer, ProcessThrottle } from '../../../test/integration/support/load';
import { report, round } from '../stats';
import type { BenchContext } from './bench-context';
import { sleep } from './pacer';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'placement';
const POLL_MS = 100;

export async function placement(ctx: BenchContext): Promise<void> {
  const rate = positiveIntEnv('BENCH_PLACEMENT_RATE', 3000);
  const timeoutMs = positiveIntEnv('BENCH_PLACEMENT_TIMEOUT_MS', 120_000);
  const running = await ctx.startSystem(['gw1', 'gw2']);
  const { system, rules } = running;
  const amqp = await ctx.amqp();
  const producerClient = await AmqpTestClient.connect(system.edgeAmqpUrl);
  const throttle = new ProcessThrottle(system, 'gw1', 180, 20);
  let producer: PacedProducer | undefined;
  try {
    const connectors = benchConnectors('placement');
    const installed = await rules.install({
      ...passAllFilter('edge', 'gw1', connectors),
      placement: { mode: 'auto', candidates: ['edge/gw1', 'edge/gw2'], prefer: 'edge/gw1' },
    });
    amqp.track(ruleTopology(installed, connectors));
    await amqp.record(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    await rules.start(installed);
    producer = new PacedProducer(
      producerClient,
      connectors.inputExchange,
      connectors.inputRoutingKey,
    );
    const backlog = () => amqp.messageCount(connectors.inputQueue);

    throttle.start();
    producer.setRate(rate);
    producer.start();
    const onset = performance.now();
    let peak = 0;
    for (;;) {
      if (performance.now() - onset > timeoutMs) throw new Error('the rule never moved to gw2');
      peak = Math.max(peak, await backlog());
      const { body } = await system.api<JobDetails>('GET', `/api/jobs/${installed.jobId}`);
      if (body.targetResource === 'gw2' && body.jobStatus === 'RUNNING') break;
      await sleep(POLL_MS);
    }
    const moved = performance.now();
    await throttle.stop();
    const atMove = await backlog();
    let drained = moved;
    for (;;) {
      if (performance.now() - moved > timeoutMs) throw new Error('gw2 never drained the backlog');
      const depth = await backlog();
      peak = Math.max(peak, depth);
      if (depth <= DEFAULT_PLACEMENT_THRESHOLDS.backlogLow) {
        drained = performance.now();
        break;
      }
      await sleep(POLL_MS);
    }
    await producer.stop();
    const note = `${rate} events/s in, gw1 at 1/10 speed, default policy, PLACEMENT_INTERVAL_MS 5000`;
    report({
      bench: BENCH,
      metric: 'overload onset -> running on gw2',
      value: round(moved - onset),
      unit: 'ms',
      note,
    });
    report({ bench: BENCH, metric: 'backlog at the move', value: atMove, unit: 'messages' });
    report({ bench: BENCH, metric: 'backlog peak', value: peak, unit: 'messages' });
    report({
      bench: BENCH,
      metric: `backlog drained (<= ${DEFAULT_PLACEMENT_THRESHOLDS.backlogLow}) after the move`,
      value: round(drained - moved),
      unit: 'ms',
    });
  } finally {
    await throttle.stop();
    await producer?.stop().catch(() => undefined);
    await producerClient.close();
    await ctx.stopSystem(running);
  }
}
