import type { StationCounters } from './station.ts';

/** What becomes of the requests a failed replica was serving: dropped, or queued again. */
export type InFlightOnFailure = 'lost' | 'retry';

/**
 * Capacity that faults can take away and give back while the run goes on: what the
 * `FaultInjector` (`src/models/faults.ts`) calls, the way the autoscaler calls
 * `ScalableCapacity`. Replicas are numbered 0..replicas−1; a down replica serves nothing
 * and is still billed.
 */
export interface FailableCapacity {
  readonly name: string;
  /** Replicas at the start. */
  readonly replicas: number;
  readonly counters: StationCounters;
  /** Starts tracking which replica runs what (called once, before any request). */
  enableFaults(inFlight: InFlightOnFailure): void;
  /** Replica `i` (up) goes down now; its in-flight work is lost or retried. */
  replicaFailed(i: number): void;
  /** Replica `i` (down) is up again now. */
  replicaRepaired(i: number): void;
}
