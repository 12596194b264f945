/**
 * `window-state-move`: the move pause of a stateful rule with 1,000 windows of state, edge ->
 * Flink and Flink -> edge, beside the stateless filter's (677 / 173 ms p50, `flink` bench). The
 * rule counts per key in tumbling event-time windows with a long allowedLateness; 1,000 keys
 * fill window [0, 1000) and a sentinel fires them all, so every key keeps a fired window within
 * its lateness. Then late events for those windows flow at BENCH_WINDOW_RATE events/s: each one
 * updates its key's window and re-emits it at once on either engine, so outputs arrive as steadily
 * as events and the largest gap around a move is its pause. Every move carries the 1,000 windows
 * and the watermark in the neutral snapshot (on Flink: State Processor API jobs). At the end the
 * last output of every key must count exactly the events sent for it (printed MATCH/MISMATCH).
 */
import type { JobInfo } from '@ruleshift/contracts';
import { cancelFlinkJobsOf } from '../../../test/integration/support/flink';
import { percentile, report, round } from '../stats';
import type { BenchContext } from './bench-context';
import { flinkResource } from './flink-bench';
import { flinkAnswers, flinkRestUrl } from './flink-rest';
import { measureMove } from './move-probe';
import { pace, sleep } from './pacer';
import { benchConnectors, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'window-state-move';
const AGENT = 'gw1';
const KEYS = 1_000;

interface WindowCount {
  key: string;
  windowStart: number;
  count: number;
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

export async function windowStateMove(ctx: BenchContext): Promise<void> {
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
  const moves = positiveIntEnv('BENCH_WINDOW_MOVES', 3);
  const rate = positiveIntEnv('BENCH_WINDOW_RATE', 500);
  const running = await ctx.startSystem([AGENT], {
    FLINK_REST_URL: flinkRestUrl,
    FLINK_MONITOR_INTERVAL_MS: '1000',
  });
  const amqp = await ctx.amqp();
  const connectors = benchConnectors('window-move');
  try {
    const cluster = await flinkResource(running);
    const installed = await running.rules.install({
      headers: { runtime: 'edge', targetResource: AGENT, jobType: 'window-aggregation' },
      jobConfig: { connectors },
      jobProps: {
        aggregate: 'count',
        window: { kind: 'tumbling', time: 'event', sizeMs: 1000 },
        timeFieldJsonPath: '$.ts',
        groupByJsonPath: '$.device',
        allowedLatenessMs: 86_400_000,
      },
    });
    amqp.track(ruleTopology(installed, connectors));
    let job: JobInfo = await running.rules.start(installed);
    const last = new Map<string, number>();
    const out = await amqp.record(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
      (body) => {
        const result = JSON.parse(body.toString()) as WindowCount;
        if (result.windowStart === 0) last.set(result.key, result.count);
      },
    );
    const send = (device: string, ts: number) =>
      amqp.publish(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        Buffer.from(JSON.stringify({ device, ts })),
      );
    const sent = new Map<string, number>();
    for (let k = 0; k < KEYS; k++) {
      send(`d${k}`, k);
      sent.set(`d${k}`, 1);
    }
    send('sentinel', 2000); // fires the 1,000 windows; they stay within their lateness
    await out.recorder.waitFor(KEYS, 120_000);

    const flow = pace({ perSecond: rate }, (seq) => {
      const device = `d${seq % KEYS}`;
      send(device, 500);
      sent.set(device, (sent.get(device) ?? 0) + 1);
    });
    const toFlink: number[] = [];
    const toEdge: number[] = [];
    try {
      await sleep(3000);
      for (let i = 0; i < moves * 2; i++) {
        const onEdge = i % 2 === 0;
        const current = job;
        const moved = await measureMove(
          out.recorder,
          () => running.rules.move(current, onEdge ? 'flink' : 'edge', onEdge ? cluster : AGENT),
          { settleMs: 3000, resumeTimeoutMs: 120_000 },
        );
        job = moved.job;
        (onEdge ? toFlink : toEdge).push(moved.pauseMs);
        process.stderr.write(
          `  move -> ${onEdge ? 'flink' : 'edge'}: pause ${round(moved.pauseMs)} ms, call ${round(moved.callMs)} ms\n`,
        );
        await sleep(2000);
      }
    } finally {
      flow.stop();
    }
    const flowed = await flow.done;
    await out.recorder.waitFor(KEYS + flowed, 120_000).catch(() => undefined);
    await out.stop();
    const wrong = [...sent].filter(([key, n]) => last.get(key) !== n).length;
    process.stderr.write(
      `  exactness: ${wrong === 0 ? 'MATCH' : 'MISMATCH'} (${KEYS - wrong}/${KEYS} keys count every event once; ${flowed} late events)\n`,
    );
    for (const [direction, pauses, target, stateless] of [
      ['edge -> Flink', toFlink, '<= 5000', 677],
      ['Flink -> edge', toEdge, '<= 2000', 173],
    ] as const) {
      const ordered = sorted(pauses);
      report({
        bench: BENCH,
        metric: `move pause ${direction} with ${KEYS} windows p50 / max`,
        value: round(percentile(ordered, 50)),
        unit: 'ms',
        target,
        note: `max ${round(ordered[ordered.length - 1])} ms; ${pauses.length} moves at ${rate} events/s; stateless filter p50 ${stateless} ms; ${wrong === 0 ? 'counts exact' : `${wrong} keys wrong`}`,
      });
    }
    await running.rules.uninstall(job).catch(() => undefined);
  } finally {
    await cancelFlinkJobsOf(running.rules.installed.keys());
    await ctx.stopSystem(running);
  }
}
