import { mapLimit } from './pool';

describe('mapLimit', () => {
  it('keeps item order and never runs more than `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (item) => {
      running++;
      most = Math.max(most, running);
      await new Promise((done) => setTimeout(done, item));
      running--;
      return item * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
