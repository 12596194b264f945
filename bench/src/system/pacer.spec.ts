import { eventsDue, pace } from './pacer';

describe('eventsDue', () => {
  it('is 5 events per 1 ms tick at 5,000/s', () => {
    expect(eventsDue(1, 5000)).toBe(5);
    expect(eventsDue(10_000, 5000)).toBe(50_000);
  });

  it('counts whole events only and never goes negative', () => {
    expect(eventsDue(0.5, 2000)).toBe(1);
    expect(eventsDue(-3, 2000)).toBe(0);
  });
});

describe('pace', () => {
  it('sends exactly the events due over the duration, in order', async () => {
    let clock = 0;
    const sent: number[] = [];
    const run = pace({ perSecond: 1000, durationMs: 20, tickMs: 0, now: () => (clock += 1) }, (i) =>
      sent.push(i),
    );
    const count = await run.done;
    expect(count).toBe(20);
    expect(sent).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
