/**
 * `npm run bench`: the system benchmarks in one run, then one table of every figure with its
 * target (figures are printed, never asserted). `--only <name>` runs one benchmark.
 *
 * Needs the real RabbitMQ (vhosts edge/core) and PostgreSQL of the integration tests, and
 * dist/ built (npm run bench builds it). Flink figures only when a cluster answers.
 */
import { report, allFigures } from './stats';
import { agentMemory } from './system/agent-memory';
import { BenchContext } from './system/bench-context';
import { controlPlane } from './system/control-plane';
import { edgeFilterLatency } from './system/edge-filter-latency';
import { edgeFilterThroughput } from './system/edge-filter-throughput';
import { edgePipeline } from './system/edge-pipeline';
import { engineBusinessRules } from './system/engine-business-rules';
import { engineFilter } from './system/engine-filter';
import { figuresTable } from './system/figures-table';
import { flinkBench } from './system/flink-bench';
import { standaloneStart } from './system/standalone-start';
import { flinkFilterThroughput } from './system/flink-filter-throughput';
import { placement } from './system/placement';
import { placementFlink } from './system/placement-flink';
import { windowStateMove } from './system/window-state-move';

const BENCHES: Record<string, (ctx: BenchContext) => Promise<void>> = {
  'edge-filter-throughput': edgeFilterThroughput,
  'edge-filter-latency': edgeFilterLatency,
  'engine-filter': () => engineFilter(),
  'engine-business-rules': () => engineBusinessRules(),
  'edge-pipeline': edgePipeline,
  'agent-memory': agentMemory,
  'control-plane': controlPlane,
  flink: flinkBench,
  'standalone-start': () => standaloneStart(),
  'flink-filter-throughput': flinkFilterThroughput,
  placement,
  'placement-flink': placementFlink,
  'window-state-move': windowStateMove,
};

function selected(argv: string[]): string[] {
  const at = argv.indexOf('--only');
  if (at < 0) return Object.keys(BENCHES);
  const name = argv[at + 1];
  if (!name || !(name in BENCHES)) {
    throw new Error(`--only needs one of: ${Object.keys(BENCHES).join(', ')}`);
  }
  return [name];
}

async function main(): Promise<void> {
  const names = selected(process.argv.slice(2));
  const ctx = new BenchContext();
  const interrupted = (): void => {
    process.stderr.write('interrupted: cleaning up\n');
    void ctx.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    for (const name of names) {
      process.stderr.write(`== ${name}\n`);
      const started = Date.now();
      try {
        await BENCHES[name](ctx);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`${name} failed: ${message}\n`);
        report({
          bench: name,
          metric: 'error',
          value: Number.NaN,
          unit: '',
          note: message.split('\n')[0].slice(0, 160),
        });
      }
      process.stderr.write(`   (${Math.round((Date.now() - started) / 1000)} s)\n`);
    }
  } finally {
    await ctx.close();
    process.off('SIGINT', interrupted);
  }
  console.log(figuresTable(allFigures()));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
