import { QuantileSketch, RingQueue, TimeWeighted, type Distribution, type Sampler, type Simulation } from '../../src/engine/index.ts';
import type { Request } from '../../src/models/request.ts';

/** Where the reference pool hands a request. */
type RequestSink = (req: Request) => void;

/** What a pool stage is built from (durations already in seconds). */
export interface PoolStageConfig {
  name: string;
  replicas: number;
  /** Requests one replica serves at once, each independently (default 1). */
  concurrency: number;
  /** Waiting room; `Infinity` for unbounded, 0 for none. */
  queueCapacity: number;
  service: Distribution;
}

/**
 * The plain reference M/G/c/K pool (issue 2's stage), kept to check that the
 * batching, routing stage reduces to it exactly. A serving stage: `replicas × concurrency` identical servers fed from one FIFO
 * queue (the M/G/c/K station). A request that finds every server busy and the
 * waiting room full is dropped. Service times come from the stage's own random
 * stream (`stage:<name>:service`), so other stages never shift its draws.
 *
 * Statistics cover measured (post-warm-up) requests only; time averages restart
 * when measurement starts (`resetStats`).
 */
export class PoolStage {
  readonly name: string;
  readonly replicas: number;
  readonly servers: number;
  readonly queueCapacity: number;
  readonly service: Distribution;

  /** Called with each request this stage finishes. */
  onDone: RequestSink = () => {};
  /** Called with each request this stage drops because its queue is full. */
  onDrop: RequestSink = () => {};

  /** Busy servers over time. */
  readonly busy: TimeWeighted;
  /** Waiting requests over time. */
  readonly queueLength: TimeWeighted;
  /** Time measured requests waited before service (seconds). */
  readonly wait = new QuantileSketch();
  /** Measured requests dropped here. */
  dropped = 0;
  /** Measured requests finished here. */
  completed = 0;

  private busyNow = 0;
  private readonly queue = new RingQueue<Request>(64);
  private readonly draw: Sampler;

  constructor(
    private readonly sim: Simulation,
    cfg: PoolStageConfig,
  ) {
    this.name = cfg.name;
    this.replicas = cfg.replicas;
    this.servers = cfg.replicas * cfg.concurrency;
    this.queueCapacity = cfg.queueCapacity;
    this.service = cfg.service;
    this.draw = cfg.service.source(sim.random.stream(`stage:${cfg.name}:service`));
    this.busy = new TimeWeighted(sim.now);
    this.queueLength = new TimeWeighted(sim.now);
  }

  /** Requests waiting now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Servers busy now. */
  get busyServers(): number {
    return this.busyNow;
  }

  /** A request arrives at this stage. */
  readonly accept = (req: Request): void => {
    const now = this.sim.now;
    req.enqueuedS = now;
    if (this.busyNow < this.servers) {
      this.busyNow++;
      this.busy.set(now, this.busyNow);
      this.begin(req, now);
    } else if (this.queue.length < this.queueCapacity) {
      this.queue.push(req);
      this.queueLength.set(now, this.queue.length);
    } else {
      if (req.measured) this.dropped++;
      this.onDrop(req);
    }
  };

  /** Restarts the time averages at `nowS` (end of warm-up). */
  resetStats(nowS: number): void {
    this.busy.reset(nowS);
    this.queueLength.reset(nowS);
  }

  private begin(req: Request, now: number): void {
    if (req.measured) this.wait.record(now - req.enqueuedS);
    this.sim.schedule(this.draw(), this.finish, req);
  }

  private readonly finish = (req: Request): void => {
    const now = this.sim.now;
    const nextReq = this.queue.shift();
    if (nextReq !== undefined) {
      // The freed server takes the head of the queue at once: busy count unchanged.
      this.queueLength.set(now, this.queue.length);
      this.begin(nextReq, now);
    } else {
      this.busyNow--;
      this.busy.set(now, this.busyNow);
    }
    if (req.measured) this.completed++;
    this.onDone(req);
  };
}
