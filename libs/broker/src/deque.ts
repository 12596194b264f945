/**
 * FIFO on a growable ring buffer: push and shift are O(1), so draining n items costs n element
 * moves (plus amortised O(n) on growth), where `Array.prototype.shift` moves every remaining
 * item each time (O(n^2) overall). Shared by the AMQP publisher and the in-process broker.
 */
export class Deque<T> {
  protected items: (T | undefined)[] = new Array<T | undefined>(16);
  protected head = 0;
  protected count = 0;

  get length(): number {
    return this.count;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  /** Puts an item back at the head (the next `shift` returns it). */
  unshift(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = item;
    this.count++;
  }

  /** The item at `index` from the head (0 = next to shift). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) & (this.items.length - 1)];
  }

  /** Empties the deque and returns what it held, head first. */
  clear(): T[] {
    const rest: T[] = [];
    for (let i = 0; i < this.count; i++) rest.push(this.at(i)!);
    this.items = new Array<T | undefined>(16);
    this.head = 0;
    this.count = 0;
    return rest;
  }

  /** Doubles the capacity (kept a power of two so indexes wrap with a mask). */
  private grow(): void {
    const bigger = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.at(i);
    this.items = bigger;
    this.head = 0;
  }
}

/**
 * FIFO of items ordered by `seq` (a queue's messages): a returned item goes back where its seq
 * says, as RabbitMQ keeps a requeued message's position. Requeued items are older than almost
 * everything queued, so the scan from the head is short.
 */
export class SeqDeque<T extends { readonly seq: number }> extends Deque<T> {
  insertInOrder(item: T): void {
    let index = 0;
    while (index < this.count && this.at(index)!.seq < item.seq) index++;
    if (index === 0) {
      this.unshift(item);
      return;
    }
    // Shift the first `index` items one slot towards the head, then write the item after them.
    this.unshift(this.at(0)!);
    for (let i = 1; i < index; i++) this.setAt(i, this.at(i + 1)!);
    this.setAt(index, item);
  }

  private setAt(index: number, item: T): void {
    this.items[(this.head + index) & (this.items.length - 1)] = item;
  }
}
