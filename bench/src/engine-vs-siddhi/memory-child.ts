/**
 * Child process of the memory run (started with --expose-gc): holds the window state of the
 * memory input in ruleshift's built engine and prints {rssBytes} after a full GC, so the figure is a
 * process holding only that state.
 *
 * argv: <repoRoot> <input.jsonl>
 */
import { builtEngine } from './built-engine';
import { readLines } from './read-lines';
import { holdState, rawInputs } from './ruleshift-engine';
import { MEMORY_SCENARIO } from './scenarios';

function main(): void {
  const [repoRoot, inputFile] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!repoRoot || !inputFile || !gc)
    throw new Error('usage: node --expose-gc memory-child <repoRoot> <input>');
  let lines: string[] | undefined = readLines(inputFile);
  const events = lines.length;
  const target = { engine: builtEngine(repoRoot), repoRoot };
  const release = holdState(target, MEMORY_SCENARIO, rawInputs(MEMORY_SCENARIO, lines));
  lines = undefined;
  for (let i = 0; i < 3; i++) gc();
  const rssBytes = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ bench: 'memory', events, rssBytes })}\n`);
  release();
}

main();
