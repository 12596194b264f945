import { InMemoryRegistryLease } from '../registry/testing/in-memory-registry';
import { AdapterLeadership, type LeadershipTimer } from './adapter-leadership';
import type { ActiveDuty } from './active-duty';

/** One manual time for the lease (database clock) and both adapters' timers. */
class ManualTime implements LeadershipTimer {
  now = 0;
  private readonly tasks: { every: number; due: number; task: () => void }[] = [];

  monotonicMs(): number {
    return this.now;
  }

  every(intervalMs: number, task: () => void): () => void {
    const entry = { every: intervalMs, due: this.now + intervalMs, task };
    this.tasks.push(entry);
    return () => this.tasks.splice(this.tasks.indexOf(entry), 1);
  }

  /** Moves time on, running due timers and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.tasks].sort((a, b) => a.due - b.due)[0];
      if (!next || next.due > until) break;
      this.now = next.due;
      next.due += next.every;
      next.task();
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
    }
    this.now = until;
  }
}

const recordingDuty = (name: string, log: string[]): ActiveDuty => ({
  name,
  start: () => {
    log.push(`start ${name}`);
    return Promise.resolve();
  },
  stop: () => {
    log.push(`stop ${name}`);
    return Promise.resolve();
  },
});

const timing = { leaseTtlMs: 3000, renewIntervalMs: 1000 };

describe('AdapterLeadership', () => {
  let time: ManualTime;
  let lease: InMemoryRegistryLease;

  beforeEach(() => {
    time = new ManualTime();
    lease = new InMemoryRegistryLease(() => time.now);
  });

  it('makes exactly one of two adapters active; the standby runs no duty', async () => {
    const log: string[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    const b = new AdapterLeadership(lease, timing, time);
    await a.register(recordingDuty('a', log));
    await b.register(recordingDuty('b', log));
    await a.start();
    await b.start();
    await time.advance(10_000);
    expect([a.isActive(), b.isActive()]).toEqual([true, false]);
    expect(log).toEqual(['start a']);
    expect((await lease.current())?.holder).toBe(a.current());
  });

  it('lets the standby take over once the active one stops renewing (killed)', async () => {
    const log: string[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    const b = new AdapterLeadership(lease, timing, time);
    await b.register(recordingDuty('b', log));
    await a.start();
    await b.start();
    const deadTerm = a.current();
    // SIGKILL: a's timers never fire again, its lease is left to expire.
    (a as unknown as { cancelLoop: () => void }).cancelLoop();
    await time.advance(timing.leaseTtlMs + timing.renewIntervalMs);
    expect(b.isActive()).toBe(true);
    expect(log).toEqual(['start b']);
    expect(b.current()).not.toBe(deadTerm);
  });

  it('steps down and stops its duties when another adapter has taken the lease', async () => {
    const log: string[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    await a.register(recordingDuty('recovery', log));
    await a.register(recordingDuty('heartbeats', log));
    await a.start();
    const firstTerm = a.current();
    // Paused past its lease (a long GC, a stalled database) while another adapter took over.
    lease.state = { holder: 'other', expiresAt: new Date(time.now + 60_000) };
    await time.advance(timing.renewIntervalMs);
    expect(a.isActive()).toBe(false);
    expect(log).toEqual(['start recovery', 'start heartbeats', 'stop heartbeats', 'stop recovery']);
    // Its next term is a new owner: what the old term held is an orphan for the active one.
    expect(a.current()).not.toBe(firstTerm);
  });

  it('stops acting when it cannot renew before its lease may have expired', async () => {
    const log: string[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    await a.register(recordingDuty('d', log));
    await a.start();
    jest.spyOn(lease, 'acquire').mockRejectedValue(new Error('database unreachable'));
    await time.advance(timing.leaseTtlMs);
    expect(a.isActive()).toBe(false);
    expect(log).toEqual(['start d', 'stop d']);
  });

  it('hands the lease back on shutdown so a standby takes over at its next try', async () => {
    const a = new AdapterLeadership(lease, timing, time);
    const b = new AdapterLeadership(lease, timing, time);
    await a.start();
    await b.start();
    await a.stop();
    await time.advance(timing.renewIntervalMs);
    expect(b.isActive()).toBe(true);
  });

  it('starts a duty registered while already active', async () => {
    const log: string[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    await a.start();
    await a.register(recordingDuty('late', log));
    expect(log).toEqual(['start late']);
  });

  it("on an exclusive (embedded) database, takes a dead process's lease at once", async () => {
    await lease.acquire('crashed-process/term', 60_000);
    const a = new AdapterLeadership(lease, timing, time, true);
    await a.start();
    expect(a.isActive()).toBe(true);
  });

  it('tells listeners about a lost lease, not about an orderly shutdown', async () => {
    const seen: boolean[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    a.onChange((active) => seen.push(active));
    await a.start();
    await a.stop();
    expect(seen).toEqual([true]);
  });

  it('keeps renewing while a duty takes longer than the lease to start (a long recovery)', async () => {
    let finishRecovery: () => void = () => undefined;
    const log: string[] = [];
    const a = new AdapterLeadership(lease, timing, time);
    const b = new AdapterLeadership(lease, timing, time);
    await a.register({
      name: 'slow recovery',
      start: () => new Promise<void>((resolve) => (finishRecovery = resolve)),
      stop: () => Promise.resolve(),
    });
    await a.register(recordingDuty('heartbeats', log));
    const starting = a.start();
    await b.start();
    await time.advance(timing.leaseTtlMs * 3);
    expect(a.isActive()).toBe(true);
    expect(b.isActive()).toBe(false);
    finishRecovery();
    await starting;
    expect(log).toEqual(['start heartbeats']);
  });
});
