import type { StageDescription, SystemDescription } from '../../config/description.ts';
import type { QuantileSketch } from '../../engine/index.ts';
import type { MeasuredSpan } from './run-collector.ts';
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import type { DropReason, StageCollector, StageCollectorKind, StageCollectorReader, StageEvents, StagePlacement, StationReading } from './stage-collector.ts';

type Listener<K extends keyof StageEvents> = Required<Pick<StageEvents, K>>;

/**
 * The collectors of one stage, and the one place the warm-up rule is applied to its
 * events: a request event passes on only for a measured request, a batch only once
 * measurement has started. Stations call it directly (one concrete class: the call
 * stays monomorphic).
 *
 * PERF: each event has a plain array of only the collectors that listen to it, so a
 * figure that does not apply to the stage costs nothing; the M/M/4 path calls two
 * collectors on `waited` and one each on `finished` and `batchStarted`.
 */
export class StageMetrics implements StageEvents, StageCollectorReader {
  /** Batches started from now on count (set when measurement starts). */
  measuring = false;
  private readonly kinds: StageCollectorKind[] = [];
  private readonly collectors: StageCollector[] = [];
  private readonly onAcked: Array<Listener<'acked'>> = [];
  private readonly onWaited: Array<Listener<'waited'>> = [];
  private readonly onBatch: Array<Listener<'batchStarted'>> = [];
  private readonly onFinished: Array<Listener<'finished'>> = [];
  private readonly onDropped: Array<Listener<'dropped'>> = [];
  private readonly onSub: Array<Listener<'subRequestSent'>> = [];
  private readonly onHedge: Array<Listener<'hedgeSent'>> = [];
  private readonly onPrediction: Array<Listener<'predictionLookup'>> = [];
  private readonly onCache: Array<Listener<'cacheLookup'>> = [];
  private readonly onDiverted: Array<Listener<'diverted'>> = [];
  private readonly onNodeLeft: Array<Listener<'nodeLeft'>> = [];

  constructor(desc: StageDescription, registry: readonly StageCollectorKind[], system: SystemDescription) {
    for (const kind of registry) {
      if (!kind.appliesTo(desc)) continue;
      const c = kind.create(desc, system);
      this.kinds.push(kind);
      this.collectors.push(c);
      if (c.acked) this.onAcked.push(c as Listener<'acked'>);
      if (c.waited) this.onWaited.push(c as Listener<'waited'>);
      if (c.batchStarted) this.onBatch.push(c as Listener<'batchStarted'>);
      if (c.finished) this.onFinished.push(c as Listener<'finished'>);
      if (c.dropped) this.onDropped.push(c as Listener<'dropped'>);
      if (c.subRequestSent) this.onSub.push(c as Listener<'subRequestSent'>);
      if (c.hedgeSent) this.onHedge.push(c as Listener<'hedgeSent'>);
      if (c.predictionLookup) this.onPrediction.push(c as Listener<'predictionLookup'>);
      if (c.cacheLookup) this.onCache.push(c as Listener<'cacheLookup'>);
      if (c.diverted) this.onDiverted.push(c as Listener<'diverted'>);
      if (c.nodeLeft) this.onNodeLeft.push(c as Listener<'nodeLeft'>);
    }
  }

  acked(req: Request, ackS: number): void {
    if (!req.measured) return;
    const ls = this.onAcked;
    for (let i = 0; i < ls.length; i++) ls[i]!.acked(req, ackS);
  }

  // PERF: these run once or twice per request; kept small so that V8 inlines them
  // into the station's hot path (an unrolled version measured slower on the M/M/4).

  waited(req: Request, waitS: number): void {
    if (!req.measured) return;
    const ls = this.onWaited;
    for (let i = 0; i < ls.length; i++) ls[i]!.waited(req, waitS);
  }

  batchStarted(size: number): void {
    if (!this.measuring) return;
    const ls = this.onBatch;
    for (let i = 0; i < ls.length; i++) ls[i]!.batchStarted(size);
  }

  finished(req: Request): void {
    if (!req.measured) return;
    const ls = this.onFinished;
    for (let i = 0; i < ls.length; i++) ls[i]!.finished(req);
  }

  dropped(req: Request, reason: DropReason): void {
    if (!req.measured) return;
    const ls = this.onDropped;
    for (let i = 0; i < ls.length; i++) ls[i]!.dropped(req, reason);
  }

  subRequestSent(parent: Request): void {
    if (!parent.measured) return;
    const ls = this.onSub;
    for (let i = 0; i < ls.length; i++) ls[i]!.subRequestSent(parent);
  }

  hedgeSent(req: Request): void {
    if (!req.measured) return;
    const ls = this.onHedge;
    for (let i = 0; i < ls.length; i++) ls[i]!.hedgeSent(req);
  }

  predictionLookup(req: Request, found: boolean): void {
    if (!req.measured) return;
    const ls = this.onPrediction;
    for (let i = 0; i < ls.length; i++) ls[i]!.predictionLookup(req, found);
  }

  cacheLookup(req: Request, hit: boolean): void {
    if (!req.measured) return;
    const ls = this.onCache;
    for (let i = 0; i < ls.length; i++) ls[i]!.cacheLookup(req, hit);
  }

  diverted(req: Request): void {
    if (!req.measured) return;
    const ls = this.onDiverted;
    for (let i = 0; i < ls.length; i++) ls[i]!.diverted(req);
  }

  /**
   * The stage is the whole main path, entered on arrival, with no retrying client: its
   * collectors may adopt the run's end-to-end latency sketch (`StageCollector.adoptEndToEnd`).
   */
  adoptEndToEnd(latency: QuantileSketch): void {
    for (const c of this.collectors) {
      if (c.adoptEndToEnd?.(latency) !== true) continue;
      const i = this.onNodeLeft.indexOf(c as Listener<'nodeLeft'>);
      if (i >= 0) this.onNodeLeft.splice(i, 1);
    }
  }

  nodeLeft(req: Request, inStageS: number): void {
    if (!req.measured) return;
    const ls = this.onNodeLeft;
    for (let i = 0; i < ls.length; i++) ls[i]!.nodeLeft(req, inStageS);
  }

  /** The keys of every collector placed at `placement`, in registry order, over the measured `span`. */
  fragment(placement: StagePlacement, span: MeasuredSpan, at: StationReading): Partial<StageResult> {
    const out: Partial<StageResult> = {};
    this.kinds.forEach((k, i) => {
      if (k.placement === placement) Object.assign(out, this.collectors[i]!.result(this, span, at));
    });
    return out;
  }

  /** This stage's collector of `kind`, if the kind applies to it. */
  of<C extends StageCollector>(kind: StageCollectorKind<C>): C | undefined {
    const i = this.kinds.indexOf(kind as unknown as StageCollectorKind);
    return i < 0 ? undefined : (this.collectors[i] as C);
  }
}
