import { FakeBrokerRegistry } from '../testing/fakes';
import { ControlChannel } from './control-channel';

describe('ControlChannel', () => {
  it('retries an unreachable core with jittered, growing waits, then serves once it answers', async () => {
    const brokers = new FakeBrokerRegistry();
    brokers.coreReachable = false;
    const waits: number[] = [];
    const draws = [0.5, 0.25, 1, 0];
    let connected = false;
    const channel = new ControlChannel({
      agentId: 'gw1',
      brokers,
      coreEndpoint: 'core',
      handle: () => Promise.resolve(undefined),
      serve: () => Promise.resolve({ close: () => Promise.resolve() }),
      onConnected: () => (connected = true),
      logger: {
        info: () => undefined,
        warn: (event, fields) => {
          if (event !== 'control.connect-failed') return;
          waits.push(fields?.retryInMs as number);
          if (waits.length === 4) brokers.coreReachable = true;
        },
      },
      retry: { initialDelayMs: 8, maxDelayMs: 20 },
      random: () => draws.shift() ?? 0,
    });
    channel.start();
    for (let i = 0; i < 500 && !connected; i++) await new Promise((r) => setTimeout(r, 2));
    await channel.stop();
    // Each wait is drawn under a ceiling that doubles: 8, 16, 20, 20.
    expect(waits).toEqual([4, 4, 20, 0]);
    expect(connected).toBe(true);
  });
});
