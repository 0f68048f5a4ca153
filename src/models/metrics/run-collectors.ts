/**
 * The run-level collectors and the descriptors of every figure they own. Registry order
 * is the order their events are heard and their results computed (a collector that reads
 * another comes after it); where their keys sit in the output is `RUN_RESULT_KEYS`
 * (`../result.ts`). Adding a run figure: its collector file and one line here.
 */
import type { FigureDescriptor } from './figure.ts';
import type { RunCollectorKind } from './run-collector.ts';
import { costCollector } from './run-cost.ts';
import { coverageCollector } from './run-coverage.ts';
import { degradedCollector } from './run-degraded.ts';
import { classesCollector } from './run-classes.ts';
import { dropsCollector } from './run-drops.ts';
import { freshnessCollector } from './run-freshness.ts';
import { hedgingCollector } from './run-hedging.ts';
import { latencyCollector } from './run-latency.ts';
import { llmCollector } from './run-llm.ts';
import { qualityCollector } from './run-quality.ts';
import { requestsCollector } from './run-requests.ts';
import { retriesCollector } from './run-retries.ts';
import { sloCollector } from './run-slo.ts';
import { throughputCollector } from './run-throughput.ts';
import { waitSloCollector } from './run-wait-slo.ts';

/** Every run collector. */
export const runCollectors: readonly RunCollectorKind[] = [
  requestsCollector,
  dropsCollector,
  throughputCollector,
  latencyCollector,
  costCollector,
  freshnessCollector,
  coverageCollector,
  degradedCollector,
  hedgingCollector,
  sloCollector,
  qualityCollector,
  retriesCollector,
  llmCollector,
  waitSloCollector,
  classesCollector,
] as readonly RunCollectorKind[];

/** The descriptors of every run figure the collectors own. */
export const runCollectorFigures: readonly FigureDescriptor[] = runCollectors.flatMap((c) => c.figures);
