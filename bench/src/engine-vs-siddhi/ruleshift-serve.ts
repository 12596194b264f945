/**
 * The ruleshift side's own process, as the Siddhi side has its `serve` JVM: runs one scenario's
 * timed repetitions and phase passes on request, each on an input file it reads untimed, and
 * answers with the timings and the outputs' digest (computed after the timing). Only the engine
 * and its input live in this heap: the benchmark's input generation and checks, tens of MB per
 * repetition, stay in the parent, where in one process they had started V8's major
 * collections right before the timed passes (see docs/decisions.md).
 *
 * argv: <repoRoot> <scenario name>; stdin: `run <file>`, `phases <file>`, `quit`.
 */
import { createInterface } from 'node:readline';
import { builtEngine } from './built-engine';
import { digest } from './canonical';
import { readLines } from './read-lines';
import { rawInputs, runOnce, type EngineUnderTest } from './ruleshift-engine';
import { ruleshiftPhases } from './ruleshift-phases';
import { SCENARIOS, type Scenario } from './scenarios';
import { settler } from './settle';

async function answer(
  target: EngineUnderTest,
  scenario: Scenario,
  settle: () => Promise<void>,
  command: string,
): Promise<object> {
  const space = command.indexOf(' ');
  const verb = space < 0 ? command : command.slice(0, space);
  const file = command.slice(space + 1);
  const raws = rawInputs(scenario, readLines(file));
  await settle();
  if (verb === 'phases') return ruleshiftPhases(target, scenario, raws);
  if (verb !== 'run') throw new Error(`unknown command ${command}`);
  const run = await runOnce(target, scenario, raws);
  const outputs = run.outputs.map((output) => scenario.canonicalLine(JSON.parse(output)));
  return {
    millis: run.millis,
    cpuMillis: run.cpuMillis,
    deadLetters: run.deadLetters,
    ...digest(outputs),
  };
}

async function main(): Promise<void> {
  const [repoRoot, name] = process.argv.slice(2);
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!repoRoot || !scenario) throw new Error(`usage: ruleshift-serve <repoRoot> <scenario name>`);
  const target: EngineUnderTest = { engine: builtEngine(repoRoot), repoRoot };
  const settle = settler();
  for await (const command of createInterface({ input: process.stdin })) {
    if (command === 'quit') break;
    process.stdout.write(`${JSON.stringify(await answer(target, scenario, settle, command))}\n`);
  }
}

// Exits at once: with stdin still open the process would stay up, and the parent would wait
// for an answer forever instead of failing with this error.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
