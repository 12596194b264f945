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

/**
 * Reads the input and feeds it into a held program, in a frame of its own: when the input was
 * read in `main`, main's frame kept the array of lines alive through the measurement (an
 * interpreter register held the argument), and the figure counted 100,000 input lines, about
 * 25 MB, as window state.
 */
function holdInput(repoRoot: string, inputFile: string): { events: number; release: () => void } {
  const lines = readLines(inputFile);
  const target = { engine: builtEngine(repoRoot), repoRoot };
  return {
    events: lines.length,
    release: holdState(target, MEMORY_SCENARIO, rawInputs(MEMORY_SCENARIO, lines)),
  };
}

function main(): void {
  const [repoRoot, inputFile] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!repoRoot || !inputFile || !gc)
    throw new Error('usage: node --expose-gc memory-child <repoRoot> <input>');
  const { events, release } = holdInput(repoRoot, inputFile);
  for (let i = 0; i < 3; i++) gc();
  const rssBytes = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ bench: 'memory', events, rssBytes })}\n`);
  release();
}

main();
