/**
 * A double-ended queue on a growable ring buffer: the waiting queue of an LLM replica,
 * where arrivals join the back and preempted sequences go back to the front.
 *
 * PERF: O(1) at both ends without `Array.prototype.unshift`/`shift` (O(n) on large arrays).
 */
export class Deque<T> {
  private buf: Array<T | undefined> = Array.from({ length: 16 }, () => undefined);
  private head = 0;
  private n = 0;

  /** Number of items. */
  get length(): number {
    return this.n;
  }

  /** Adds at the back. */
  pushBack(item: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = item;
    this.n++;
  }

  /** Adds at the front. */
  pushFront(item: T): void {
    if (this.n === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = item;
    this.n++;
  }

  /** The front item, or undefined. */
  peek(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  /** Removes and returns the front item, or undefined. */
  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return item;
  }

  private grow(): void {
    const old = this.buf;
    const next: Array<T | undefined> = Array.from({ length: old.length * 2 }, () => undefined);
    for (let i = 0; i < this.n; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
