/**
 * Blocks per owner in the cache-key space: a block's content key is
 * `owner × KEY_BLOCKS + position`, with owner `2·group + 1` for a block wholly inside a
 * prefix group's shared prefix and `2·sequence id` for any other block of a sequence.
 * Keys stay below 2^53 (exact in a double) while groups and sequence ids stay below 2^27.
 */
export const KEY_BLOCKS = 2 ** 24;
/** Largest prefix group or per-replica sequence id the key layout allows. */
export const MAX_KEY_OWNER = 2 ** 27;

/**
 * One request inside an LLM replica: its token counts and where it stands. `n = prompt +
 * generated` tokens are known; `computed` of them have their KV in cache; a step
 * schedules `scheduled` more. The request emits a token whenever `computed` reaches `n`.
 */
export class Sequence<R> {
  /** Output tokens emitted so far (kept across preemptions). */
  generated = 0;
  /** Known tokens whose KV is computed (0 again after a preemption). */
  computed = 0;
  /** Tokens scheduled in the step in flight (−1 once finished). */
  scheduled = 0;
  /** True once the sequence emitted a token since its last (re)admission: its tokens are decode tokens. */
  decoding = false;
  /** KV blocks held, in token order. */
  readonly blocks: number[] = [];
  /** The first `tracked` blocks are tracked by the pool (shared or identified); the rest are plain (see `BlockPool`). */
  tracked = 0;
  /** Time of the last emitted token (for inter-token latency). */
  lastTokenS = 0;
  /** Leading tokens whose KV arrived with the request, until its first admission (then 0: a preemption loses them). */
  transferred = 0;
  /** Key base of this sequence's own blocks. */
  readonly ownKey: number;
  /** Key base of its prefix group's blocks, or −1 without a group. */
  readonly groupKey: number;

  constructor(
    /** The caller's request object, handed back in callbacks. */
    readonly req: R,
    /** Per-replica id (admission-independent). */
    readonly id: number,
    /** Prompt tokens. */
    readonly prompt: number,
    /** Output tokens to generate. */
    readonly output: number,
    /** Prefix group, or −1. */
    group: number,
    /** Number of blocks wholly inside the shared prefix (0 without a group). */
    readonly prefixBlocks: number,
  ) {
    this.ownKey = 2 * id * KEY_BLOCKS;
    this.groupKey = group >= 0 ? (2 * group + 1) * KEY_BLOCKS : -1;
  }

  /** Content key of block `j` of this sequence. */
  keyOf(j: number): number {
    return j < this.prefixBlocks ? this.groupKey + j : this.ownKey + j;
  }
}
