/**
 * A FIFO queue on a growable ring buffer.
 *
 * PERF: `Array.prototype.shift` is O(n) on large arrays; the ring makes both ends
 * O(1) and reuses its slots, so a long-lived queue allocates only when it grows.
 */
export class RingQueue<T> {
  private buf: Array<T | undefined>;
  private head = 0;
  private n = 0;

  constructor(initialCapacity = 16) {
    let cap = 4;
    while (cap < initialCapacity) cap *= 2;
    this.buf = Array.from({ length: cap }, () => undefined);
  }

  /** Number of queued items. */
  get length(): number {
    return this.n;
  }

  /** Appends at the tail. */
  push(item: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = item;
    this.n++;
  }

  /** Puts `item` before the head (it is the next `shift`). */
  unshift(item: T): void {
    if (this.n === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = item;
    this.n++;
  }

  /** Removes and returns the head, or undefined when empty. */
  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return item;
  }

  /** The head without removing it. */
  peek(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  /** The item at position `i` from the head (0-based), or undefined. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.n) return undefined;
    return this.buf[(this.head + i) & (this.buf.length - 1)];
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const next: Array<T | undefined> = Array.from({ length: cap }, () => undefined);
    for (let i = 0; i < this.n; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
