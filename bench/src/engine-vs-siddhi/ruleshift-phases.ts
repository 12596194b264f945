/**
 * Where ruleshift's time goes, per event: the benchmark's work split into passes timed on
 * their own. parse = the engine's parseJson alone (extracting the program's fieldPaths); time+key = parseJson plus the window
 * templates' first stages (event time, watermarks, key) built from the toolkit with the
 * scenario's jobProps, minus parse; rule = parseJson plus the whole template program (outputs
 * kept, not serialised), minus the passes before it; serialise = the kept outputs to JSON
 * strings. Each pass is timed in process CPU time (the Siddhi side does the same), which a
 * busy machine disturbs less than the wall clock. Differences of separately timed passes:
 * read them as estimates.
 */
import type { InputEvent, RawInput, RuleEmission } from '@ruleshift/engine';
import { from, type Observable, type OperatorFunction } from 'rxjs';
import {
  createProgram,
  emissions,
  serialise,
  type BenchEngine,
  type EngineUnderTest,
} from './ruleshift-engine';
import type { Scenario } from './scenarios';

export interface RuleshiftPhases {
  parseMillis: number;
  /** Absent for templates without event time and key (filter, business rules). */
  timeKeyMillis?: number;
  ruleMillis: number;
  serialiseMillis: number;
}

type Stage = (source: Observable<unknown>) => Observable<unknown>;

/** The window templates' stamp -> watermarks -> key stages (as their rule.js composes them). */
function timeAndKeyStages(
  { engineToolkit: engine }: BenchEngine,
  scenario: Scenario,
): OperatorFunction<InputEvent, RuleEmission> | null {
  const compile = (path: string) => engine.compileJsonPath(path);
  let time: string;
  let keys: { keyOf: (value: unknown) => unknown; path: string }[] | null;
  let maxOutOfOrdernessMs: number;
  if (scenario.jobType === 'window-aggregation') {
    const props = engine.parseWindowAggregationProps(scenario.jobProps);
    time = props.timeFieldJsonPath!;
    keys = props.groupByJsonPath
      ? [{ keyOf: compile(props.groupByJsonPath), path: props.groupByJsonPath }]
      : null;
    maxOutOfOrdernessMs = props.maxOutOfOrdernessMs;
  } else if (scenario.jobType === 'window-join') {
    const props = engine.parseWindowJoinProps(scenario.jobProps);
    time = props.timeFieldJsonPath;
    keys = [
      { keyOf: compile(props.leftKeyJsonPath), path: props.leftKeyJsonPath },
      { keyOf: compile(props.rightKeyJsonPath), path: props.rightKeyJsonPath },
    ];
    maxOutOfOrdernessMs = props.maxOutOfOrdernessMs;
  } else {
    return null;
  }
  const stamp = engine.assignEventTime({ timeOf: compile(time), path: time }) as Stage;
  const watermarks = engine.eventTimeWatermarks(
    new engine.WatermarkTracker(maxOutOfOrdernessMs),
  ) as Stage;
  const keyed = engine.keyBy(keys === null ? null : keys.length === 1 ? keys[0] : keys) as Stage;
  return ((source: Observable<unknown>) =>
    keyed(watermarks(stamp(source)))) as unknown as OperatorFunction<InputEvent, RuleEmission>;
}

/** Milliseconds of CPU time since `since` (a process.cpuUsage() reading). */
function cpuMillisSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function timed<T>(source: Observable<T>, keep: T[] | null): Promise<number> {
  return new Promise((done, fail) => {
    const started = process.cpuUsage();
    source.subscribe({
      next: keep === null ? () => undefined : (item) => void keep.push(item),
      error: fail,
      complete: () => done(cpuMillisSince(started)),
    });
  });
}

/** One pass of each phase over `raws` (call on a warmed-up process). */
export async function ruleshiftPhases(
  target: EngineUnderTest,
  scenario: Scenario,
  raws: RawInput[],
): Promise<RuleshiftPhases> {
  const { engine } = target;
  const { parseJson, applyToEvents } = engine;
  const program = createProgram(target, scenario);
  // Parsing as the runner does it for this program: only its fieldPaths when it declares them.
  const parseOptions = { fieldPaths: program.fieldPaths };
  const parse = await timed(from(raws).pipe(parseJson(parseOptions)), null);
  const stages = timeAndKeyStages(engine, scenario);
  const upToKey =
    stages === null
      ? undefined
      : await timed(from(raws).pipe(parseJson(parseOptions), applyToEvents(stages)), null);
  const kept: RuleEmission[] = [];
  const rule = await timed(emissions(engine, program, from(raws)), kept);
  const started = process.cpuUsage();
  const outputs: string[] = [];
  for (const emission of kept) if (emission.kind === 'output') outputs.push(serialise(emission));
  const serialiseMillis = cpuMillisSince(started);
  return {
    parseMillis: parse,
    timeKeyMillis: upToKey === undefined ? undefined : upToKey - parse,
    ruleMillis: rule - (upToKey ?? parse),
    serialiseMillis,
  };
}
