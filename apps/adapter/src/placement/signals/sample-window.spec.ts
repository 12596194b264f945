import { SampleWindow } from './sample-window';

const up = { health: 'UP' };

describe('SampleWindow', () => {
  it('takes rates and growth from two readings at one placement, reusing them until the counters move', () => {
    const window = new SampleWindow();
    window.add('job', 'edge/gw1', { at: 0, backlog: 0, eventsIn: 0, countersAt: 0 }, up);
    const [, second] = window.add(
      'job',
      'edge/gw1',
      { at: 2000, backlog: 400, eventsIn: 1000, eventsOut: 500, countersAt: 2000 },
      up,
    );
    expect(second.signals).toEqual({
      backlog: 400,
      backlogGrowthPerS: 200,
      eventsInPerS: 500,
      health: 'UP',
    });
    const third = window.add(
      'job',
      'edge/gw1',
      { at: 3000, backlog: 400, eventsIn: 1000, countersAt: 2000 },
      up,
    )[2];
    expect(third.signals.eventsInPerS).toBe(500);
    // Another placement starts afresh.
    const [moved] = window.add(
      'job',
      'flink/flink',
      { at: 4000, eventsIn: 0, countersAt: 4000 },
      up,
    );
    expect(moved.signals.eventsInPerS).toBeUndefined();
  });

  it('a rate over less than minRateWindowMs is unknown, and stays so until the counters move again', () => {
    const window = new SampleWindow();
    const flink = (at: number, eventsIn: number, countersAt: number) =>
      window.add('job', 'flink/flink', { at, eventsIn, countersAt, minRateWindowMs: 5000 }, up);
    flink(0, 0, 0);
    // Flink's first refresh a second after the job started: 1 event in 1 s says nothing.
    expect(flink(1000, 1, 1000).at(-1)?.signals.eventsInPerS).toBeUndefined();
    expect(flink(2000, 1, 1000).at(-1)?.signals.eventsInPerS).toBeUndefined();
    // The next refresh, 10 s on: a rate over the interval.
    expect(flink(11_000, 20_001, 11_000).at(-1)?.signals.eventsInPerS).toBe(2000);
  });
});
