/**
 * The KV-cache blocks of one replica, as vLLM V1's block pool keeps them: each block
 * has a count of holders (running sequences); blocks nobody holds form one free queue,
 * in the order they were released (oldest at the head), and keep their content (and so
 * their cache identity) until they are taken for new tokens. Taking always takes the
 * oldest free block and forgets its content; a cache hit on a free block takes it out
 * of the queue wherever it is.
 *
 * PERF: the one free queue is stored as two queues merged by release time: free blocks
 * without content (by far the most) in a FIFO ring, and free blocks with a cache identity
 * in a doubly linked list (a hit can remove one from the middle in O(1)). Each free
 * block carries its release number; taking compares the two heads. Which empty block is
 * taken cannot be observed (it has no content), only when the cached blocks are, so
 * this is the single queue of the specification, while the common path touches the ring
 * sequentially instead of chasing list links through a large pool (cache misses were
 * half of the run time with the single linked list).
 *
 * PERF: most blocks are **plain**: held by exactly one sequence and without identity.
 * Their holder count is not kept (`allocate` and `releasePlain` never touch per-block
 * state, only the ring): the replica knows which of a sequence's blocks are plain (all
 * but a leading run it tracks) and calls `track` when a plain block gains an identity.
 * Holder counts and identities (`meta`, side by side so one cache line serves both) are
 * kept only for tracked blocks and free blocks with content.
 */
export class BlockPool {
  /** Number of blocks. */
  readonly total: number;
  /** `[holders, key]` per block; key −1 when the block has no identity. */
  private readonly meta: Float64Array;
  private readonly byKey = new Map<number, number>();
  /** Release counter: the order of the free queue. */
  private clock = 0;
  // The ring of free blocks without content.
  private readonly ringBlock: Int32Array;
  private readonly ringSeq: Float64Array;
  private ringHead = 0;
  private ringLen = 0;
  // The list of free blocks with content, in release order.
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly cachedSeq: Float64Array;
  private head = -1;
  private tail = -1;
  private cachedLen = 0;

  constructor(total: number) {
    if (!(Number.isInteger(total) && total >= 1)) throw new RangeError(`KV blocks must be an integer >= 1, got ${total}`);
    this.total = total;
    this.meta = new Float64Array(2 * total);
    this.ringBlock = new Int32Array(total);
    this.ringSeq = new Float64Array(total);
    this.prev = new Int32Array(total);
    this.next = new Int32Array(total);
    this.cachedSeq = new Float64Array(total);
    // Initially every block is free and empty, in index order.
    for (let b = 0; b < total; b++) {
      this.meta[2 * b + 1] = -1;
      this.pushEmpty(b);
    }
  }

  /** Blocks in the free queue (empty or cached): what can still be taken. */
  get free(): number {
    return this.ringLen + this.cachedLen;
  }

  /** Blocks held by at least one sequence. */
  get used(): number {
    return this.total - this.ringLen - this.cachedLen;
  }

  /** Takes the oldest free block for one holder, as a plain block; its cached content, if any, is forgotten. */
  allocate(): number {
    let b: number;
    if (this.cachedLen > 0 && (this.ringLen === 0 || this.cachedSeq[this.head]! < this.ringSeq[this.ringHead]!)) {
      b = this.head;
      this.unlink(b);
      const key = this.meta[2 * b + 1]!;
      if (key >= 0) {
        if (this.byKey.get(key) === b) this.byKey.delete(key);
        this.meta[2 * b + 1] = -1;
      }
    } else if (this.ringLen > 0) {
      b = this.ringBlock[this.ringHead]!;
      if (++this.ringHead === this.total) this.ringHead = 0;
      this.ringLen--;
    } else {
      throw new Error('KV block pool exhausted (the scheduler must check `free` first)');
    }
    return b;
  }

  /** Releases a plain block (its only holder lets go; it has no identity): it joins the free queue empty. */
  releasePlain(b: number): void {
    this.pushEmpty(b);
  }

  /** A plain block, held by one sequence, starts being tracked (it is about to get an identity). */
  track(b: number): void {
    this.meta[2 * b] = 1;
  }

  /** One more holder of block `b` (a cache hit); a free block leaves the free queue. */
  touch(b: number): void {
    // A free block found by its identity is in the cached list: blocks gain an identity
    // only while held, and are released into the list while they have one.
    if (this.meta[2 * b]! === 0) this.unlink(b);
    this.meta[2 * b]!++;
  }

  /** One holder fewer of a tracked block; at zero it joins the tail of the free queue, content kept. */
  release(b: number): void {
    if (--this.meta[2 * b]! !== 0) return;
    if (this.meta[2 * b + 1]! < 0) {
      this.pushEmpty(b);
      return;
    }
    this.cachedSeq[b] = this.clock++;
    this.prev[b] = this.tail;
    this.next[b] = -1;
    if (this.tail >= 0) this.next[this.tail] = b;
    else this.head = b;
    this.tail = b;
    this.cachedLen++;
  }

  /** True when block `b` is in the free queue (held by nobody). */
  isFree(b: number): boolean {
    return this.meta[2 * b]! === 0;
  }

  /** The block holding content `key`, or −1. */
  lookup(key: number): number {
    return this.byKey.get(key) ?? -1;
  }

  /**
   * Records that block `b` (held and tracked) now holds content `key`. If another block was
   * registered for the same content, the identity moves to `b` (the newest copy is the
   * one found); the other block keeps its place in the free queue, without content.
   */
  register(b: number, key: number): void {
    const old = this.byKey.get(key);
    if (old !== undefined && old !== b) this.meta[2 * old + 1] = -1;
    this.byKey.set(key, b);
    this.meta[2 * b + 1] = key;
  }

  private pushEmpty(b: number): void {
    let i = this.ringHead + this.ringLen;
    if (i >= this.total) i -= this.total;
    this.ringBlock[i] = b;
    this.ringSeq[i] = this.clock++;
    this.ringLen++;
  }

  private unlink(b: number): void {
    const p = this.prev[b]!;
    const n = this.next[b]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.cachedLen--;
  }
}
