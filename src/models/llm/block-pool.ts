/**
 * The KV-cache blocks of one replica, as vLLM V1's block pool keeps them: each block
 * has a reference count (the running sequences holding it); blocks nobody holds sit in
 * one free queue, oldest freed at the head, and keep their content (and so their cache
 * identity) until they are taken for new tokens. Taking a block always takes the head
 * of the queue and forgets what it held; a cache hit on a free block takes it out of
 * the queue wherever it is.
 *
 * PERF: the free queue is a doubly linked list threaded through two Int32Arrays, so
 * removing a cache hit from its middle is O(1) and nothing is allocated per block.
 */
export class BlockPool {
  /** Number of blocks. */
  readonly total: number;
  private readonly refs: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** Cache identity of each block (−1 for none); see `LlmReplica` for the key layout. */
  private readonly keys: Float64Array;
  private readonly byKey = new Map<number, number>();
  private head = -1;
  private tail = -1;
  private nFree = 0;

  constructor(total: number) {
    if (!(Number.isInteger(total) && total >= 1)) throw new RangeError(`KV blocks must be an integer >= 1, got ${total}`);
    this.total = total;
    this.refs = new Int32Array(total);
    this.prev = new Int32Array(total);
    this.next = new Int32Array(total);
    this.keys = new Float64Array(total).fill(-1);
    // Initially every block is free and empty, in index order.
    for (let b = 0; b < total; b++) this.append(b);
  }

  /** Blocks in the free queue (empty or cached): what can still be taken. */
  get free(): number {
    return this.nFree;
  }

  /** Blocks held by at least one sequence. */
  get used(): number {
    return this.total - this.nFree;
  }

  /** Takes the head of the free queue for one holder; its cached content, if any, is forgotten. */
  allocate(): number {
    const b = this.head;
    if (b < 0) throw new Error('KV block pool exhausted (the scheduler must check `free` first)');
    this.unlink(b);
    const key = this.keys[b]!;
    if (key >= 0) {
      if (this.byKey.get(key) === b) this.byKey.delete(key);
      this.keys[b] = -1;
    }
    this.refs[b] = 1;
    return b;
  }

  /** One more holder of block `b` (a cache hit); a free block leaves the free queue. */
  touch(b: number): void {
    if (this.refs[b]! === 0) this.unlink(b);
    this.refs[b]!++;
  }

  /** One holder fewer; at zero the block joins the tail of the free queue, content kept. */
  release(b: number): void {
    if (--this.refs[b]! === 0) this.append(b);
  }

  /** True when block `b` is in the free queue (held by nobody). */
  isFree(b: number): boolean {
    return this.refs[b]! === 0;
  }

  /** The block holding content `key`, or −1. */
  lookup(key: number): number {
    return this.byKey.get(key) ?? -1;
  }

  /**
   * Records that block `b` now holds content `key`. If another block was registered
   * for the same content, the identity moves to `b` (the newest copy is the one found).
   */
  register(b: number, key: number): void {
    const old = this.byKey.get(key);
    if (old !== undefined && old !== b) this.keys[old] = -1;
    this.byKey.set(key, b);
    this.keys[b] = key;
  }

  private append(b: number): void {
    this.prev[b] = this.tail;
    this.next[b] = -1;
    if (this.tail >= 0) this.next[this.tail] = b;
    else this.head = b;
    this.tail = b;
    this.nFree++;
  }

  private unlink(b: number): void {
    const p = this.prev[b]!;
    const n = this.next[b]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.nFree--;
  }
}
