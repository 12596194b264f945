/**
 * Runs a template's edge artifact in-process the way the agent does, minus the broker: raw
 * JSON strings -> the engine's parseJson -> the template's EdgeRuleProgram operator, and every
 * output ends as a JSON string. The end of input completes the stream (windows flush then).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RuleConfig } from '@ruleshift/contracts';
import type * as Engine from '@ruleshift/engine';
import type { EdgeRuleProgram, RawInput, RuleEmission } from '@ruleshift/engine';
import { from, Subject, type Observable } from 'rxjs';
import type { Scenario } from './scenarios';

/** The engine entry points the benchmark drives: the built engine (main) or its sources (tests). */
export type BenchEngine = Pick<
  typeof Engine,
  'applyToEvents' | 'engineToolkit' | 'loadEdgeRuleModule' | 'parseJson'
>;

/** Which engine runs, and the repository whose templates it loads. */
export interface EngineUnderTest {
  readonly engine: BenchEngine;
  readonly repoRoot: string;
}

export interface EngineRun {
  millis: number;
  /** CPU time of this process during the run (user + system, every thread). */
  cpuMillis: number;
  outputs: string[];
  deadLetters: number;
}

export function benchConfig(
  scenario: Pick<Scenario, 'jobType' | 'jobProps' | 'siddhiBench'>,
): RuleConfig {
  return {
    jobId: `bench-${scenario.siddhiBench ?? scenario.jobType}`,
    jobType: scenario.jobType,
    templateVersion: '1.0.0',
    jobProps: scenario.jobProps,
    deadLetterExchange: 'ruleshift.dlx',
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'bench.in',
      inputQueue: 'bench.in',
      inputRoutingKey: 'bench',
      outputEndpoint: 'edge',
      outputExchange: 'bench.out',
      outputRoutingKey: 'bench',
    },
  };
}

export function createProgram(
  { engine, repoRoot }: EngineUnderTest,
  scenario: Pick<Scenario, 'jobType' | 'jobProps' | 'siddhiBench'>,
): EdgeRuleProgram {
  const module = engine.loadEdgeRuleModule(
    resolve(repoRoot, 'templates', scenario.jobType, 'edge', 'rule.js'),
  );
  return module.create(benchConfig(scenario), engine.engineToolkit);
}

/** Tags lines with their input connector (outside timing, like the Java side's routing). */
export function rawInputs(scenario: Scenario, lines: string[]): RawInput[] {
  if (scenario.inputs === 1) return lines;
  return lines.map((body, index) => ({ body, input: index % 2 }));
}

/** Emissions of the program over `source`, the way the RuleRunner wires it. */
export function emissions(
  engine: BenchEngine,
  program: EdgeRuleProgram,
  source: Observable<RawInput>,
): Observable<RuleEmission> {
  return source.pipe(
    engine.parseJson({ fieldPaths: program.fieldPaths }),
    engine.applyToEvents(program.operator),
  );
}

/** A forwarded event leaves as the bytes it came in with (what the runner publishes). */
export function serialise(emission: Extract<RuleEmission, { kind: 'output' }>): string {
  const raw = emission.raw;
  if (raw === undefined) return JSON.stringify(emission.value);
  if (typeof raw !== 'string') return raw.toString();
  // A text built by concatenation (a join's pair) is a rope until something reads it; reading
  // a character flattens it, the work publishing it starts with, so it is timed here.
  raw.charCodeAt(0);
  return raw;
}

/** One timed repetition on a fresh program. */
export function runOnce(
  target: EngineUnderTest,
  scenario: Scenario,
  raws: RawInput[],
): Promise<EngineRun> {
  const program = createProgram(target, scenario);
  const outputs: string[] = [];
  let deadLetters = 0;
  return new Promise<EngineRun>((done, fail) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    emissions(target.engine, program, from(raws)).subscribe({
      next(emission) {
        if (emission.kind === 'output') outputs.push(serialise(emission));
        else deadLetters++;
      },
      error: fail,
      complete() {
        const millis = performance.now() - started;
        const used = process.cpuUsage(cpu);
        done({ millis, cpuMillis: (used.user + used.system) / 1000, outputs, deadLetters });
      },
    });
  });
}

/**
 * Feeds every line and keeps the stream open, so all window state stays held. The returned
 * function unsubscribes (keeps the program reachable until then).
 */
export function holdState(
  target: EngineUnderTest,
  scenario: Scenario,
  raws: RawInput[],
): () => void {
  const program = createProgram(target, scenario);
  const source = new Subject<RawInput>();
  const subscription = emissions(target.engine, program, source).subscribe();
  for (const raw of raws) source.next(raw);
  return () => {
    subscription.unsubscribe();
    void program;
  };
}
