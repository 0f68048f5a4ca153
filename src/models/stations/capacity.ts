import type { StationCounters } from './station.ts';

/**
 * Capacity an autoscaler can change while the run goes on: what the `Autoscaler`
 * (`src/models/autoscaler.ts`) reads and calls. A replica is requested (billed from
 * then), becomes ready after its cold start, or is cancelled before; a ready one is
 * removed and drains.
 */
export interface ScalableCapacity {
  readonly name: string;
  readonly counters: StationCounters;
  /** Replicas ready to serve now. */
  readonly readyCount: number;
  /** Replicas requested and not yet ready. */
  readonly provisioningCount: number;
  replicaRequested(): void;
  replicaCancelled(): void;
  replicaReady(): void;
  removeReplica(): void;
}
