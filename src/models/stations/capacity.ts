import type { TimeWeighted } from '../../engine/index.ts';
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
  /** The engines' own load, on an LLM stage only (what the LLM autoscaling metrics read). */
  readonly llmLoad?: LlmLoad;
  replicaRequested(): void;
  replicaCancelled(): void;
  replicaReady(): void;
  removeReplica(): void;
}

/**
 * What an LLM stage's engines report for autoscaling (`src/models/autoscale-metrics.ts`),
 * summed over its serving replicas (ready, or draining their last requests).
 */
export interface LlmLoad {
  /** Σ over serving replicas of KV blocks held ÷ KV blocks (each replica's KV cache utilization), over time. */
  readonly kvShare: TimeWeighted;
  /** Requests in the engines' waiting queues (vLLM's `num_requests_waiting`: preempted ones included, pre-queue ones not), over time. */
  readonly engineWaiting: TimeWeighted;
  /** Output tokens emitted since the start of the run, every replica's (retired ones included). */
  readonly generatedTokens: number;
}
