import type { Rng } from '../../engine/index.ts';

/** What a load balancer sees of the replicas it routes to (the set can change with autoscaling). */
export interface RoutingView {
  /** Replicas accepting new requests now. */
  count(): number;
  /** Queued plus in-service requests of replica `i` (0 ≤ i < count()). */
  outstanding(i: number): number;
  /**
   * Token-level readings of LLM engine replicas; present only on an LLM stage (its
   * station supplies them, so a router needs nothing of the engine's internals).
   */
  readonly tokens?: TokenRoutingView;
}

/** What an LLM stage shows its router of each replica (`src/models/stations/llm.ts`). */
export interface TokenRoutingView {
  /** Prompt tokens plus output tokens not yet generated, over the requests replica `i` holds (queued or running). */
  outstandingTokens(i: number): number;
  /** Share of replica `i`'s KV blocks held by its running sequences, in [0, 1]. */
  kvUtilization(i: number): number;
  /** Leading blocks of prefix group `group`'s shared prefix that replica `i` has in its KV cache (held or cached free). */
  cachedPrefixBlocks(i: number, group: number): number;
}

/** What a router may read of the request it routes (an LLM stage passes its token counts; a pool passes nothing). */
export interface RoutedRequest {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly prefixGroup?: number | undefined;
}

/** Picks the replica (0..count−1) a new request joins. */
export type Router = (req?: RoutedRequest) => number;

/** Builds a router over a view of the replicas; random policies draw from `rng` (the stage's routing stream). */
export type RouterFactory = (view: RoutingView, rng: Rng) => Router;
