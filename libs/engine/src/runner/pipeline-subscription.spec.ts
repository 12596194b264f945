import { map, take, throwError, type OperatorFunction } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { output } from '../operators/emissions';
import { PipelineSubscription } from './pipeline-subscription';

const event = (value: unknown, seq = 0): InputEvent =>
  ({ value, input: 0, seq, receivedAt: 0 }) as unknown as InputEvent;

describe('PipelineSubscription', () => {
  it('feeds events through the rule and hands its emissions over, in order', () => {
    const emitted: RuleEmission[] = [];
    const pipeline = new PipelineSubscription(
      map((e: InputEvent) => output({ doubled: (e.value as number) * 2 })),
      (emission) => emitted.push(emission),
      () => undefined,
    );
    expect(pipeline.next(event(1))).toBe(true);
    expect(pipeline.next(event(2))).toBe(true);
    expect(emitted.map((e) => (e.kind === 'output' ? e.value : e))).toEqual([
      { doubled: 2 },
      { doubled: 4 },
    ]);
  });

  it('a rule that ends is reported, and the next event subscribes a fresh instance', () => {
    let instances = 0;
    const ends: unknown[] = [];
    const once: OperatorFunction<InputEvent, RuleEmission> = (source) => {
      instances++;
      return source.pipe(
        take(1),
        map((e) => output(e.value)),
      );
    };
    const emitted: RuleEmission[] = [];
    const pipeline = new PipelineSubscription(
      once,
      (e) => emitted.push(e),
      (error) => ends.push(error),
    );
    pipeline.connect();
    pipeline.next(event('a'));
    expect(ends).toEqual([undefined]);
    expect(pipeline.connected).toBe(false);
    pipeline.next(event('b'));
    expect(instances).toBe(2);
    expect(emitted.map((e) => e.kind === 'output' && e.value)).toEqual(['a', 'b']);
    pipeline.disconnect();
    expect(pipeline.connected).toBe(false);
  });

  it('tells the caller when the rule dies as it is subscribed', () => {
    const ends: unknown[] = [];
    const broken: OperatorFunction<InputEvent, RuleEmission> = () =>
      throwError(() => new Error('broken template'));
    const pipeline = new PipelineSubscription(
      broken,
      () => undefined,
      (e) => ends.push(e),
    );
    expect(pipeline.next(event('a'))).toBe(false);
    expect(ends).toEqual([new Error('broken template')]);
  });
});
