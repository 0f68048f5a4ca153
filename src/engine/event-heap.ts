/**
 * An array-backed binary min-heap of pending events, ordered by time and then by
 * scheduling sequence, so that events due at the same instant run in the order
 * they were scheduled (SimPy's `(time, priority, sequence)` idea without the priority).
 *
 * PERF: entries are stored as parallel arrays (two Float64Arrays for the keys, two
 * plain arrays for the callback and its argument) instead of one object per event,
 * so scheduling allocates nothing once the arrays have grown, and sifting moves
 * numbers rather than pointers to short-lived objects. Sifts use the "hole"
 * technique: each displaced entry is written once. `test/engine/event-heap.test.ts`
 * checks the order against a plain sort.
 */

/** A callback run when its event fires. */
export type EventCallback<A = unknown> = (arg: A) => void;

export class EventHeap {
  private times: Float64Array;
  private seqs: Float64Array;
  private fns: Array<EventCallback<never> | undefined>;
  private args: unknown[];
  private n = 0;

  constructor(initialCapacity = 64) {
    const cap = Math.max(4, initialCapacity);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    // Array.from keeps the arrays packed (new Array(n) would make them holey).
    this.fns = Array.from({ length: cap }, () => undefined);
    this.args = Array.from({ length: cap }, () => undefined);
  }

  /** Number of entries in the heap. */
  get size(): number {
    return this.n;
  }

  /** Time of the earliest entry, or `Infinity` when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Infinity;
  }

  /** Sequence number of the earliest entry (undefined when empty). */
  peekSeq(): number | undefined {
    return this.n > 0 ? this.seqs[0] : undefined;
  }

  /** Inserts an entry. `seq` must be unique and increase with scheduling order. */
  push(time: number, seq: number, fn: EventCallback<never>, arg: unknown): void {
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const args = this.args;
    let i = this.n++;
    // Sift up: move parents down into the hole until the new key fits.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      fns[i] = fns[p];
      args[i] = args[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    fns[i] = fn;
    args[i] = arg;
  }

  /**
   * Removes the earliest entry. The caller reads it first with `peekTime`,
   * `peekSeq`, `topFn` and `topArg`.
   */
  pop(): void {
    const last = --this.n;
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const args = this.args;
    if (last === 0) {
      fns[0] = undefined;
      args[0] = undefined;
      return;
    }
    const t = times[last]!;
    const s = seqs[last]!;
    const f = fns[last];
    const a = args[last];
    fns[last] = undefined; // release references so the GC can reclaim them
    args[last] = undefined;
    let i = 0;
    const half = last >> 1;
    // Sift down: pull the smaller child up into the hole.
    while (i < half) {
      let c = 2 * i + 1;
      let ct = times[c]!;
      let cs = seqs[c]!;
      const r = c + 1;
      if (r < last) {
        const rt = times[r]!;
        const rs = seqs[r]!;
        if (rt < ct || (rt === ct && rs < cs)) {
          c = r;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      fns[i] = fns[c];
      args[i] = args[c];
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    fns[i] = f;
    args[i] = a;
  }

  /** Callback of the earliest entry. Only valid when `size > 0`. */
  topFn(): EventCallback<never> {
    return this.fns[0]!;
  }

  /** Argument of the earliest entry. Only valid when `size > 0`. */
  topArg(): unknown {
    return this.args[0];
  }

  /**
   * Removes every entry for which `dead(fn, arg)` is true, in O(n): the survivors are
   * packed to the front and the heap is rebuilt bottom-up (Floyd). Keys are unique
   * (time, sequence) pairs, so the order in which the survivors pop is unchanged.
   */
  removeWhere(dead: (fn: EventCallback<never>, arg: unknown) => boolean): number {
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const args = this.args;
    const n = this.n;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (dead(fns[i]!, args[i])) continue;
      times[m] = times[i]!;
      seqs[m] = seqs[i]!;
      fns[m] = fns[i];
      args[m] = args[i];
      m++;
    }
    fns.fill(undefined, m, n); // release the removed entries' references
    args.fill(undefined, m, n);
    this.n = m;
    for (let i = (m >> 1) - 1; i >= 0; i--) this.siftDown(i);
    return n - m;
  }

  /** Moves the entry at `i` down until its children are not earlier (heap rebuild). */
  private siftDown(i: number): void {
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const args = this.args;
    const n = this.n;
    const t = times[i]!;
    const s = seqs[i]!;
    const f = fns[i];
    const a = args[i];
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = times[c]!;
      let cs = seqs[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = times[r]!;
        const rs = seqs[r]!;
        if (rt < ct || (rt === ct && rs < cs)) {
          c = r;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      fns[i] = fns[c];
      args[i] = args[c];
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    fns[i] = f;
    args[i] = a;
  }

  /** Removes every entry. */
  clear(): void {
    this.fns.fill(undefined, 0, this.n);
    this.args.fill(undefined, 0, this.n);
    this.n = 0;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    for (let i = this.fns.length; i < cap; i++) {
      this.fns.push(undefined);
      this.args.push(undefined);
    }
  }
}
