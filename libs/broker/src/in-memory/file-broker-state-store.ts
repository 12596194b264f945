import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DURABLE_STATE_FORMAT,
  type DurableVhostState,
  type InMemoryBrokerStateStore,
} from './durable-state';

const SUFFIX = '.json';

/** One JSON file per vhost in `dir` (e.g. `<RULESHIFT_DATA_DIR>/broker/edge.json`). */
export class FileBrokerStateStore implements InMemoryBrokerStateStore {
  constructor(private readonly dir: string) {}

  async read(): Promise<Map<string, DurableVhostState>> {
    const states = new Map<string, DurableVhostState>();
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return states;
      throw error;
    }
    for (const name of names.filter((n) => n.endsWith(SUFFIX))) {
      const file = join(this.dir, name);
      const state = parseState(file, await readFile(file, 'utf8'));
      states.set(decodeURIComponent(name.slice(0, -SUFFIX.length)), state);
    }
    return states;
  }

  async discard(vhosts: Iterable<string>): Promise<void> {
    for (const vhost of vhosts) await rm(this.fileOf(vhost), { force: true });
  }

  async save(vhost: string, state: DurableVhostState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(vhost);
    // Written beside and renamed: a stop cut short leaves the old file or the new, never half.
    const partial = `${file}.partial`;
    await writeFile(partial, JSON.stringify(state), { mode: 0o600 });
    await rename(partial, file);
  }

  private fileOf(vhost: string): string {
    return join(this.dir, `${encodeURIComponent(vhost)}${SUFFIX}`);
  }
}

function parseState(file: string, text: string): DurableVhostState {
  const fail = (why: string): never => {
    throw new Error(
      `${file}: ${why}; it holds the in-process broker's queues from the last stop ` +
        '(move it away to start with empty queues)',
    );
  };
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const candidate = state as Partial<DurableVhostState> | null;
  if (
    candidate?.format !== DURABLE_STATE_FORMAT ||
    !Array.isArray(candidate.exchanges) ||
    !Array.isArray(candidate.queues) ||
    !Array.isArray(candidate.bindings)
  ) {
    return fail(`not a ${DURABLE_STATE_FORMAT} document`);
  }
  return candidate as DurableVhostState;
}
