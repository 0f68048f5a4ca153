import type { StationCounters } from './station.ts';

/** What becomes of the requests a failed replica was serving: dropped, or queued again. */
export type InFlightOnFailure = 'lost' | 'retry';

/**
 * Capacity that faults can take away and give back while the run goes on: what the
 * `FaultInjector` (`src/models/faults.ts`) calls, the way the autoscaler calls
 * `ScalableCapacity`. Replicas are numbered 0..faultReplicas−1 (a fan-out's shards one
 * after the other); a down replica serves nothing and is still billed.
 *
 * Without a health check the injector calls `replicaFailed`/`replicaRepaired` (a down
 * replica leaves rotation at once, an ideal dispatcher); with one it calls
 * `replicaStopped`/`replicaRestarted` as the replica crashes and comes back, and
 * `replicaEjected`/`replicaReturned` as the probes decide.
 */
export interface FailableCapacity {
  readonly name: string;
  /** Replicas the injector addresses (replicas × shards). */
  readonly faultReplicas: number;
  /** Shards (1 for a pool): replica i belongs to shard i mod shards (replica-major numbering). */
  readonly shards: number;
  readonly counters: StationCounters;
  /** Measured requests (sub-requests) that started service on a slow replica. */
  readonly servedSlow: number;
  /** Requests waiting now. */
  readonly waiting: number;
  /** Starts tracking which replica runs what (called once, before any request). */
  enableFaults(inFlight: InFlightOnFailure): void;
  /** Replica `i` (up) goes down now and leaves rotation; its in-flight work is lost or retried. */
  replicaFailed(i: number): void;
  /** Replica `i` (down) is up again now, back in rotation. */
  replicaRepaired(i: number): void;
  /** Replica `i` crashes but stays in rotation: it takes work and answers nothing (until ejected or restarted). */
  replicaStopped(i: number): void;
  /** Replica `i` is up again; the work it held is lost or retried; its rotation is unchanged. */
  replicaRestarted(i: number): void;
  /** Replica `i` leaves rotation (the health check); a crashed one's work is lost or retried, an answering one drains. */
  replicaEjected(i: number): void;
  /** Replica `i` (answering) is back in rotation. */
  replicaReturned(i: number): void;
  /** Replica `i` serves every batch it starts from now `factor` times slower (1: healthy). */
  replicaSlowdown(i: number, factor: number): void;
  /** Calls `then` at the first change after which at most `atMost` requests wait (at once if so now); null stops watching. */
  watchQueue(atMost: number, then: ((nowS: number) => void) | null): void;
}
