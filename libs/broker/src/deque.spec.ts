import { Deque, SeqDeque } from './deque';

describe('Deque', () => {
  it('is FIFO across wrap-around and growth', () => {
    const deque = new Deque<number>();
    const out: number[] = [];
    let next = 0;
    // Interleave so the head wraps around the ring several times while it grows.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) deque.push(next++);
      for (let i = 0; i < 5; i++) out.push(deque.shift()!);
    }
    while (deque.length > 0) out.push(deque.shift()!);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(deque.shift()).toBeUndefined();
  });

  it('puts an item back at the head and clears head first', () => {
    const deque = new Deque<string>();
    deque.push('b');
    deque.push('c');
    deque.unshift('a');
    expect(deque.peek()).toBe('a');
    expect(deque.at(2)).toBe('c');
    expect(deque.clear()).toEqual(['a', 'b', 'c']);
    expect(deque.length).toBe(0);
  });
});

describe('SeqDeque', () => {
  it('reinserts a returned item where its seq says', () => {
    const deque = new SeqDeque<{ seq: number }>();
    for (const seq of [1, 3, 5, 7]) deque.push({ seq });
    deque.insertInOrder({ seq: 4 });
    deque.insertInOrder({ seq: 0 });
    deque.insertInOrder({ seq: 9 });
    expect(deque.clear().map((i) => i.seq)).toEqual([0, 1, 3, 4, 5, 7, 9]);
  });
});
