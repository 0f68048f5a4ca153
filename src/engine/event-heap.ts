/**
 * A binary min-heap of pending events, ordered by time and then by scheduling
 * sequence, so that events due at the same instant run in the order they were
 * scheduled (SimPy's `(time, priority, sequence)` idea without the priority).
 *
 * PERF: the heap itself is two typed arrays, the entry's time and its slot; the
 * callback, its argument and the sequence number sit in per-slot arrays written once
 * when the event is scheduled and read once when it fires (the sequence also on a tie
 * of times). Sifting so moves two numbers per level and never a pointer (storing a
 * pointer into a plain array costs a write barrier each): the hold model runs at
 * about 0.8 to 0.9 of a bare binary heap of times (bench/engine-hold.ts) where the
 * binary heap of four parallel arrays ran at 0.7. A 4-ary heap, half as deep, was
 * slower here (a bare one ran 10.5M pairs/s against 12.7M) and was dropped. Sifts use
 * the "hole" technique: each displaced entry is written once. Slots are recycled
 * through a stack, so scheduling allocates nothing once the arrays have grown.
 * `test/engine/event-heap.test.ts` checks the order against a plain sort.
 */

/** A callback run when its event fires. */
export type EventCallback<A = unknown> = (arg: A) => void;

export class EventHeap {
  /** Times of the entries, in heap order. */
  private times: Float64Array;
  /** Slot of each entry, in heap order. */
  private slots: Int32Array;
  /** Per slot: sequence number, callback and argument. */
  private seqOf: Float64Array;
  private fns: Array<EventCallback<never> | undefined>;
  private args: unknown[];
  /** Free slots (a stack) and how many it holds. */
  private free: Int32Array;
  private nFree = 0;
  private n = 0;

  constructor(initialCapacity = 64) {
    const cap = Math.max(4, initialCapacity);
    this.times = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.seqOf = new Float64Array(cap);
    // Array.from keeps the arrays packed (new Array(n) would make them holey).
    this.fns = Array.from({ length: cap }, () => undefined);
    this.args = Array.from({ length: cap }, () => undefined);
    this.free = new Int32Array(cap);
    for (let k = 0; k < cap; k++) this.free[k] = cap - 1 - k;
    this.nFree = cap;
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
    return this.n > 0 ? this.seqOf[this.slots[0]!] : undefined;
  }

  /** Inserts an entry. `seq` must be unique and increase with scheduling order. */
  push(time: number, seq: number, fn: EventCallback<never>, arg: unknown): void {
    if (this.nFree === 0) this.grow();
    const slot = this.free[--this.nFree]!;
    this.seqOf[slot] = seq;
    this.fns[slot] = fn;
    this.args[slot] = arg;
    const times = this.times;
    const slots = this.slots;
    let i = this.n++;
    // Sift up: move parents down into the hole until the new key fits. A parent
    // with the same time was scheduled earlier (sequences increase), so it stays.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt <= time) break;
      times[i] = pt;
      slots[i] = slots[p]!;
      i = p;
    }
    times[i] = time;
    slots[i] = slot;
  }

  /**
   * Removes the earliest entry. The caller reads it first with `peekTime`,
   * `peekSeq`, `topFn` and `topArg`.
   */
  pop(): void {
    const top = this.slots[0]!;
    this.fns[top] = undefined; // release references so the GC can reclaim them
    this.args[top] = undefined;
    this.free[this.nFree++] = top;
    const last = --this.n;
    if (last === 0) return;
    this.placeDown(0, this.times[last]!, this.slots[last]!, last);
  }

  /**
   * Sifts the entry (`t`, slot `s`) down from the hole at `i` in a heap of `n`
   * entries: the earlier child moves up into the hole until the entry fits.
   */
  private placeDown(i: number, t: number, s: number, n: number): void {
    const times = this.times;
    const slots = this.slots;
    const seqOf = this.seqOf;
    const half = n >> 1;
    while (i < half) {
      // The earlier child: by time, then by sequence on a tie.
      let c = 2 * i + 1;
      let ct = times[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = times[r]!;
        if (rt < ct || (rt === ct && seqOf[slots[r]!]! < seqOf[slots[c]!]!)) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && seqOf[s]! < seqOf[slots[c]!]!)) break;
      times[i] = ct;
      slots[i] = slots[c]!;
      i = c;
    }
    times[i] = t;
    slots[i] = s;
  }

  /** Callback of the earliest entry. Only valid when `size > 0`. */
  topFn(): EventCallback<never> {
    return this.fns[this.slots[0]!]!;
  }

  /** Argument of the earliest entry. Only valid when `size > 0`. */
  topArg(): unknown {
    return this.args[this.slots[0]!];
  }

  /**
   * Removes every entry for which `dead(fn, arg)` is true, in O(n): the survivors are
   * packed to the front and the heap is rebuilt bottom-up (Floyd). Keys are unique
   * (time, sequence) pairs, so the order in which the survivors pop is unchanged.
   */
  removeWhere(dead: (fn: EventCallback<never>, arg: unknown) => boolean): number {
    const times = this.times;
    const slots = this.slots;
    const n = this.n;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const s = slots[i]!;
      if (dead(this.fns[s]!, this.args[s])) {
        this.fns[s] = undefined; // release the removed entry's references
        this.args[s] = undefined;
        this.free[this.nFree++] = s;
        continue;
      }
      times[m] = times[i]!;
      slots[m] = s;
      m++;
    }
    this.n = m;
    for (let i = (m >> 1) - 1; i >= 0; i--) this.placeDown(i, times[i]!, slots[i]!, m);
    return n - m;
  }

  /** Removes every entry. */
  clear(): void {
    for (let i = 0; i < this.n; i++) {
      const s = this.slots[i]!;
      this.fns[s] = undefined;
      this.args[s] = undefined;
      this.free[this.nFree++] = s;
    }
    this.n = 0;
  }

  private grow(): void {
    const old = this.times.length;
    const cap = old * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const slots = new Int32Array(cap);
    slots.set(this.slots);
    const seqOf = new Float64Array(cap);
    seqOf.set(this.seqOf);
    this.times = times;
    this.slots = slots;
    this.seqOf = seqOf;
    for (let i = old; i < cap; i++) {
      this.fns.push(undefined);
      this.args.push(undefined);
    }
    // Every slot is in use when the heap grows: the new ones are the free ones.
    const free = new Int32Array(cap);
    for (let k = 0; k < old; k++) free[k] = cap - 1 - k;
    this.free = free;
    this.nFree = old;
  }
}
