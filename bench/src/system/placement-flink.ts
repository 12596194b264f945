/**
 * Issue 11: the placement policy between the edge and Flink under its defaults. A pass-all
 * filter with an auto policy (candidates gw1 and the Flink cluster; every threshold default)
 * runs on gw1, which is then slowed to a tenth of its speed (frozen 180 ms of every 200 ms)
 * while a producer publishes faster than that: the time from that overload onset until the
 * rule runs on Flink, the backlog the move found, how long Flink took after the move to bring
 * the backlog under the policy's backlogLow, and, once the load dropped to a trickle, how long
 * until the rule was back on gw1. Only when a Flink cluster answers (FLINK_REST_URL).
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_PLACEMENT_THRESHOLDS, type JobDetails } from '@ruleshift/contracts';
import { AmqpTestClient } from '../../../test/integration/support/amqp';
import { cancelFlinkJobsOf } from '../../../test/integration/support/flink';
import { PacedProducer, ProcessThrottle } from '../../../test/integration/support/load';
import { report, round } from '../stats';
import type { BenchContext } from './bench-context';
import { flinkResource } from './flink-bench';
import { flinkAnswers, flinkRestUrl } from './flink-rest';
import { sleep } from './pacer';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'placement-flink';
const AGENT = 'gw1';
const POLL_MS = 100;
const PLACEMENT_INTERVAL_MS = 5_000;

export async function placementFlink(ctx: BenchContext): Promise<void> {
  if (!(await flinkAnswers())) {
    report({
      bench: BENCH,
      metric: 'all',
      value: Number.NaN,
      unit: '',
      note: `skipped: no Flink cluster at ${flinkRestUrl}`,
    });
    return;
  }
  const rate = positiveIntEnv('BENCH_PLACEMENT_RATE', 3000);
  const timeoutMs = positiveIntEnv('BENCH_PLACEMENT_TIMEOUT_MS', 180_000);
  const running = await ctx.startSystem([AGENT], {
    FLINK_REST_URL: flinkRestUrl,
    PLACEMENT_INTERVAL_MS: String(PLACEMENT_INTERVAL_MS),
  });
  const { system, rules } = running;
  const amqp = await ctx.amqp();
  const producerClient = await AmqpTestClient.connect(system.edgeAmqpUrl);
  const throttle = new ProcessThrottle(system, AGENT, 180, 20);
  let producer: PacedProducer | undefined;
  try {
    const flink = `flink/${await flinkResource(running)}`;
    const connectors = benchConnectors('placement-flink');
    const installed = await rules.install({
      ...passAllFilter('edge', AGENT, connectors),
      placement: { mode: 'auto', candidates: [`edge/${AGENT}`, flink], prefer: `edge/${AGENT}` },
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
    const runningOn = async (runtime: string): Promise<boolean> => {
      const { body } = await system.api<JobDetails>('GET', `/api/jobs/${installed.jobId}`);
      return body.runtime === runtime && body.jobStatus === 'RUNNING';
    };

    throttle.start();
    producer.setRate(rate);
    producer.start();
    const onset = performance.now();
    let peak = 0;
    for (;;) {
      if (performance.now() - onset > timeoutMs) throw new Error('the rule never moved to Flink');
      peak = Math.max(peak, await backlog());
      if (await runningOn('flink')) break;
      await sleep(POLL_MS);
    }
    const moved = performance.now();
    await throttle.stop();
    const atMove = await backlog();
    let drained = moved;
    for (;;) {
      if (performance.now() - moved > timeoutMs) throw new Error('Flink never drained the backlog');
      const depth = await backlog();
      peak = Math.max(peak, depth);
      if (depth <= DEFAULT_PLACEMENT_THRESHOLDS.backlogLow) {
        drained = performance.now();
        break;
      }
      await sleep(POLL_MS);
    }

    // The load drops to a trickle: back on gw1 after the cooldown and `samples` quiet samples.
    producer.setRate(10);
    const dropped = performance.now();
    for (;;) {
      if (performance.now() - dropped > timeoutMs) throw new Error('the rule never came back');
      if (await runningOn('edge')) break;
      await sleep(POLL_MS);
    }
    const back = performance.now();
    await producer.stop();

    const t = DEFAULT_PLACEMENT_THRESHOLDS;
    const note =
      `${rate} events/s in, gw1 at 1/10 speed, default policy (samples ${t.samples}, ` +
      `breaches ${t.breaches}, backlogHigh ${t.backlogHigh}, backlogGrowthHigh ` +
      `${t.backlogGrowthHigh}/s, cpuHigh ${t.cpuHigh}%, backpressureHigh ${t.backpressureHigh}, ` +
      `cooldownMs ${t.cooldownMs}), PLACEMENT_INTERVAL_MS ${PLACEMENT_INTERVAL_MS}`;
    report({
      bench: BENCH,
      metric: 'overload onset -> running on Flink',
      value: round(moved - onset),
      unit: 'ms',
      note,
    });
    report({ bench: BENCH, metric: 'backlog at the move', value: atMove, unit: 'messages' });
    report({ bench: BENCH, metric: 'backlog peak', value: peak, unit: 'messages' });
    report({
      bench: BENCH,
      metric: `backlog drained (<= ${t.backlogLow}) after the move`,
      value: round(drained - moved),
      unit: 'ms',
    });
    report({
      bench: BENCH,
      metric: 'load drop -> running on gw1 again',
      value: round(back - dropped),
      unit: 'ms',
      note: `10 events/s; the return waits for cooldownMs ${t.cooldownMs} after the move and ${t.samples} quiet samples`,
    });
  } finally {
    await throttle.stop();
    await producer?.stop().catch(() => undefined);
    await producerClient.close();
    // A run that failed half-way may have left the rule's job on Flink.
    await cancelFlinkJobsOf(running.rules.installed.keys());
    await ctx.stopSystem(running);
  }
}
