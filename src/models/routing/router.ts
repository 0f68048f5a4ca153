import type { Rng } from '../../engine/index.ts';

/** What a load balancer sees of the replicas it routes to (the set can change with autoscaling). */
export interface RoutingView {
  /** Replicas accepting new requests now. */
  count(): number;
  /** Queued plus in-service requests of replica `i` (0 ≤ i < count()). */
  outstanding(i: number): number;
}

/** Picks the replica (0..count−1) a new request joins. */
export type Router = () => number;

/** Builds a router over a view of the replicas; random policies draw from `rng` (the stage's routing stream). */
export type RouterFactory = (view: RoutingView, rng: Rng) => Router;
