/**
 * `npm run bench:engine`: ruleshift's edge engine against Siddhi 5.1 on the same generated
 * JSON lines, in one run. Both engines start from the JSON strings and end with JSON strings;
 * both get warm-up repetitions, then the median of the measured ones is reported, with output
 * counts and checksums compared, and the RSS of each engine holding 100,000 keys of state.
 *
 * Env: BENCH_ENGINE_EVENTS (200000), BENCH_ENGINE_REPS (5), BENCH_ENGINE_WARMUP (2).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { digest } from './canonical';
import {
  constructNotes,
  eventsPerSecond,
  memoryTable,
  throughputTable,
  type EngineFigures,
  type MemoryRow,
  type ThroughputRow,
} from './report-table';
import { missingToolkit, rawInputs, runOnce, type EngineRun } from './ruleshift-engine';
import { MEMORY_KEYS, MEMORY_SCENARIO, SCENARIOS, type Scenario } from './scenarios';
import { generateLines } from './sensor-input';
import { JVM_OPTIONS, SiddhiHarness } from './siddhi-harness';

const MEMORY_TARGET_BYTES = 200 * 1024 * 1024;

interface Settings {
  repoRoot: string;
  workDir: string;
  events: number;
  reps: number;
  warmup: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** The repository root holds templates/ and package.json (from bench/src or dist/bench/src). */
function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no repository root above ${start}`);
}

function writeInput(settings: Settings, name: string, lines: string[]): string {
  const file = join(settings.workDir, `${name.replace(/\W+/g, '-')}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function runRuleshift(
  settings: Settings,
  scenario: Scenario,
  lines: string[],
): Promise<EngineFigures> {
  const raws = rawInputs(scenario, lines);
  for (let rep = 0; rep < settings.warmup; rep++) await runOnce(settings.repoRoot, scenario, raws);
  const millis: number[] = [];
  let last: EngineRun | undefined;
  for (let rep = 0; rep < settings.reps; rep++) {
    last = await runOnce(settings.repoRoot, scenario, raws);
    millis.push(last.millis);
  }
  const canonical = last!.outputs.map((output) => scenario.canonicalLine(JSON.parse(output)));
  return { eventsPerSecond: eventsPerSecond(lines.length, median(millis)), ...digest(canonical) };
}

async function runScenario(
  settings: Settings,
  siddhi: SiddhiHarness,
  scenario: Scenario,
): Promise<ThroughputRow> {
  const lines = generateLines(scenario.shape(settings.events));
  const file = writeInput(settings, scenario.name, lines);
  const java = await siddhi.run(
    scenario.siddhiBench,
    scenario.siddhiParams,
    file,
    settings.warmup,
    settings.reps,
  );
  const siddhiFigures: EngineFigures = {
    eventsPerSecond: eventsPerSecond(java.events, median(java.millisPerRep ?? [])),
    outputs: java.outputs,
    checksum: java.checksum ?? '',
  };
  const missing = missingToolkit(scenario);
  const ruleshift =
    missing.length > 0
      ? { notReady: `engineToolkit lacks ${missing.join(', ')}` }
      : await runRuleshift(settings, scenario, lines);
  return {
    name: scenario.name,
    events: lines.length,
    targetRatio: scenario.targetRatio,
    siddhiConstruct: scenario.siddhiConstruct,
    siddhi: siddhiFigures,
    ruleshift,
  };
}

/** RSS of a fresh Node process (--expose-gc) holding the memory scenario's state. */
function ruleshiftMemory(repoRoot: string, inputFile: string): Promise<number> {
  const child = join(__dirname, `memory-child${extname(__filename)}`);
  return new Promise((done, fail) => {
    const node = spawn(
      process.execPath,
      [...process.execArgv, '--expose-gc', child, repoRoot, inputFile],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    node.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    node.on('error', fail);
    node.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) fail(new Error(`memory child exited ${code}`));
      else done((JSON.parse(last) as { rssBytes: number }).rssBytes);
    });
  });
}

async function main(): Promise<void> {
  const repoRoot = findRepoRoot(__dirname);
  const settings: Settings = {
    repoRoot,
    workDir: mkdtempSync(join(tmpdir(), 'ruleshift-bench-engine-')),
    events: positiveInt('BENCH_ENGINE_EVENTS', 200_000),
    reps: positiveInt('BENCH_ENGINE_REPS', 5),
    warmup: positiveInt('BENCH_ENGINE_WARMUP', 2),
  };
  try {
    const siddhi = new SiddhiHarness(repoRoot);
    siddhi.build();
    console.log(
      `edge engine vs Siddhi 5.1.21: ${settings.events} events per benchmark, ` +
        `${settings.warmup} warm-up + ${settings.reps} measured repetitions (median), Node ${process.version}\n`,
    );
    const rows: ThroughputRow[] = [];
    for (const scenario of SCENARIOS) rows.push(await runScenario(settings, siddhi, scenario));
    console.log(throughputTable(rows));
    console.log(`\n${constructNotes(rows)}\n`);

    const memoryLines = generateLines(MEMORY_SCENARIO.shape(MEMORY_KEYS));
    const memoryFile = writeInput(settings, 'memory', memoryLines);
    const java = await siddhi.memory(
      MEMORY_SCENARIO.siddhiBench,
      MEMORY_SCENARIO.siddhiParams,
      memoryFile,
    );
    const memoryRows: MemoryRow[] = [];
    if (missingToolkit(MEMORY_SCENARIO).length === 0) {
      const rssBytes = await ruleshiftMemory(repoRoot, memoryFile);
      memoryRows.push({ engine: 'ruleshift (Node)', rssBytes, targetBytes: MEMORY_TARGET_BYTES });
    } else {
      console.log('ruleshift memory run skipped: the window-aggregation template cannot run yet');
    }
    memoryRows.push({ engine: `Siddhi (JVM ${JVM_OPTIONS.join(' ')})`, rssBytes: java.rssBytes });
    console.log(`Resident memory holding ${MEMORY_KEYS} keys of tumbling-window state (after GC):`);
    console.log(memoryTable(memoryRows));
  } finally {
    rmSync(settings.workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
