/**
 * A stage's hourly bill over the measured span: the catalog price of its hardware times
 * the replicas paid for (ready, provisioning or draining) on average; 0 without priced
 * hardware. From the station's billed-replicas counter, so it hears no event.
 */
import type { StageDescription } from '../../config/description.ts';
import type { StageResult } from '../result.ts';
import type { MeasuredSpan } from './run-collector.ts';
import { stageFigure, type StageCollectorKind, type StationReading } from './stage-collector.ts';

/** The figure. */
export const BILL = {
  costPerHourUsd: stageFigure('costPerHourUsd', 'cost per hour', 'usd', false, '$/h'),
} as const;

/** The price per replica-hour of the stage's hardware (0 when none is priced). */
export class BillCollector {
  constructor(private readonly usdPerReplicaHour: number) {}

  result(_stage: unknown, span: MeasuredSpan, at: StationReading): Pick<StageResult, 'costPerHourUsd'> {
    const { endS, spanS } = span;
    return { costPerHourUsd: this.usdPerReplicaHour > 0 && spanS > 0 ? (this.usdPerReplicaHour * at.station.counters.billedReplicas.integral(endS)) / spanS : 0 };
  }
}

/** The registry entry. */
export const billCollector: StageCollectorKind<BillCollector> = {
  keys: ['costPerHourUsd'],
  placement: 'bill',
  figures: Object.values(BILL),
  appliesTo: () => true,
  create: (d: StageDescription) => new BillCollector(d.hardware?.entry.usdPerHour ?? 0),
};
