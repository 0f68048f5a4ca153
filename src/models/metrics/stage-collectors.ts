/**
 * The stage-level collectors, in the order their keys appear in a stage's result within
 * each placement (JSON key order is part of the contract), and the descriptors of every
 * figure they own. Adding a stage figure: its collector file and one line here.
 */
import { batchesCollector } from './stage-batches.ts';
import { billCollector } from './stage-bill.ts';
import { loadCollector } from './stage-load.ts';
import { replicasCollector } from './stage-replicas.ts';
import { scalingLogCollector } from './stage-scaling-log.ts';
import { bufferCollector } from './stage-buffer.ts';
import { cacheCollector } from './stage-cache.ts';
import { cachePartitionsCollector } from './stage-cache-partitions.ts';
import { fallbackCollector } from './stage-fallback.ts';
import { precomputeCollector } from './stage-precompute.ts';
import { timeInStageCollector } from './stage-time-in-stage.ts';
import type { StageCollectorKind } from './stage-collector.ts';
import { fanoutCollector } from './stage-fanout.ts';
import { outcomesCollector } from './stage-outcomes.ts';
import { waitCollector } from './stage-wait.ts';
import { waitedShareCollector } from './stage-waited-share.ts';
import { waitWithinCollector } from './stage-wait-within.ts';
import { faultsCollector } from './stage-faults.ts';
import type { FigureDescriptor } from './figure.ts';

/** Every stage collector, in result key order within its placement. */
export const stageCollectors: readonly StageCollectorKind[] = [
  loadCollector,
  waitCollector,
  outcomesCollector,
  batchesCollector,
  bufferCollector,
  timeInStageCollector,
  cacheCollector,
  cachePartitionsCollector,
  precomputeCollector,
  fallbackCollector,
  fanoutCollector,
  waitedShareCollector,
  waitWithinCollector,
  billCollector,
  replicasCollector,
  scalingLogCollector,
  faultsCollector,
] as readonly StageCollectorKind[];

/** The descriptors of every stage figure the collectors own. */
export const stageCollectorFigures: readonly FigureDescriptor[] = stageCollectors.flatMap((c) => c.figures);
