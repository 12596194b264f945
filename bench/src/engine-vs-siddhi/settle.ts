import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Settles the heap before each timed ruleshift pass, as the JVM side's `settle` does with
 * `System.gc()` and 20 ms of sleep: two young-generation collections move the input lines just
 * read, still in V8's young generation, to the old one, so the timed pass does not copy them
 * (measured: its first scavenges took 10-28 ms of a 100-125 ms tumbling repetition, 2-5 ms
 * once settled). Not a full collection: after one V8 shrinks the young generation to its
 * initial 1 MB, and the timed pass then ran at 125-150 ms against 82-89 ms (tumbling, one
 * process, docs/decisions.md); the JVM keeps its young generation through System.gc().
 */
export function settler(): () => Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
  return async () => {
    for (let i = 0; i < 2; i++) gc({ type: 'minor' });
    await new Promise((done) => setTimeout(done, 20));
  };
}
