import { RingQueue } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { ClassTable, DisciplineFactory, WaitingLine } from './waiting-line.ts';

/**
 * Weighted fair sharing by deficit round-robin (Shreedhar and Varghese, 1996), each
 * request costing one: a FIFO per class, visited in turn; a visit credits the class its
 * quantum (its weight over the smallest weight, so at least one request) and serves
 * while its credit lasts. A class left empty loses its credit. Under saturation the
 * classes are served in proportion to their weights.
 */
export class WeightedFairLine implements WaitingLine {
  private readonly queues: RingQueue<Request>[];
  private readonly quantum: number[];
  private readonly deficit: number[];
  private cur = 0;
  /** The current class has had its quantum for this visit. */
  private credited = false;
  private total = 0;

  constructor(classes: ClassTable) {
    const n = classes.names.length;
    const least = Math.min(...classes.weights);
    this.queues = Array.from({ length: n }, () => new RingQueue<Request>(16));
    this.quantum = classes.weights.map((w) => w / least);
    this.deficit = new Array<number>(n).fill(0);
  }

  get length(): number {
    return this.total;
  }

  push(req: Request): void {
    this.queues[req.classIndex]!.push(req);
    this.total++;
  }

  unshift(req: Request): void {
    this.queues[req.classIndex]!.unshift(req);
    this.total++;
  }

  peek(): Request | undefined {
    const c = this.next();
    return c < 0 ? undefined : this.queues[c]!.peek();
  }

  shift(): Request | undefined {
    const c = this.next();
    if (c < 0) return undefined;
    const r = this.queues[c]!.shift()!;
    this.total--;
    // A tombstone (its deadline passed while it waited) leaves without costing its class credit.
    if (!r.expired) this.deficit[c]!--;
    return r;
  }

  /**
   * The class served next (advancing the round as DRR does; idempotent until a shift),
   * or −1 when empty. Tombstones count as requests here, as in the FIFO ring: `peek`
   * returns one whenever `length` > 0, and the queue group skips it.
   */
  private next(): number {
    if (this.total === 0) return -1;
    const n = this.queues.length;
    for (;;) {
      const q = this.queues[this.cur]!;
      if (q.length === 0) {
        this.deficit[this.cur] = 0;
      } else {
        if (!this.credited) {
          this.deficit[this.cur]! += this.quantum[this.cur]!;
          this.credited = true;
        }
        if (this.deficit[this.cur]! >= 1) return this.cur;
      }
      this.cur = (this.cur + 1) % n;
      this.credited = false;
    }
  }
}

/** Weighted-fair: deficit round-robin by class weights. */
export const makeWeightedFair: DisciplineFactory = (ctx) => new WeightedFairLine(ctx.classes);
