/** FIFO of items ordered by `seq`, with cheap shift and in-order reinsertion near the head. */
export class SeqDeque<T extends { readonly seq: number }> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as unknown as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /**
   * Puts a returned item back where its seq says (RabbitMQ keeps a requeued message's
   * position). Requeued items are older than almost everything queued, so the scan is short.
   */
  insertInOrder(item: T): void {
    let i = this.head;
    while (i < this.items.length && this.items[i].seq < item.seq) i++;
    if (i === this.head && this.head > 0) {
      this.items[--this.head] = item;
    } else {
      this.items.splice(i, 0, item);
    }
  }

  clear(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}
