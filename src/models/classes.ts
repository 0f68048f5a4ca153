/**
 * Request classes at the system's door (issue 16): which class an arrival belongs to
 * (by the classes' shares, from the run's own `classes` stream, so no other component's
 * draws shift), and the attributes its class gives it. Without `classes` nothing here
 * is built and a request stays in class 0.
 */
import { lognormal, type Rng, type Sampler, type Simulation } from '../engine/index.ts';
import type { ClassDescription, SystemDescription } from '../config/description.ts';
import { READS_PRIORITY, SINGLE_CLASS, type ClassTable } from './disciplines/index.ts';
import type { Request } from './request.ts';
import type { PathTarget } from './stage-node.ts';
import type { PerClassArrivals } from './arrivals/index.ts';
import { makeDistribution } from './service-distribution.ts';

/** The class table disciplines read, from a system's classes (one default class without). */
export function classTableOf(system: SystemDescription): ClassTable {
  const cls = system.classes;
  if (cls === null) return SINGLE_CLASS;
  return {
    names: cls.map((c) => c.name),
    priorities: cls.map((c) => c.priority),
    weights: cls.map((c) => c.weight),
    deadlinesS: cls.map((c) => c.deadlineS),
  };
}

/**
 * The attribute names requests carry: the arrivals' own (a trace's columns), then every
 * class attribute not among them, in the order the classes give them.
 */
export function attributeNamesOf(system: SystemDescription, arrivalNames: readonly string[]): string[] {
  const names = [...arrivalNames];
  for (const c of system.classes ?? []) for (const a of Object.keys(c.attributes)) if (!names.includes(a)) names.push(a);
  return names;
}

/** Draws each arrival's class (by share, or from the class's own arrivals) and its class's attributes. */
export class ClassMix {
  /** Cumulative shares, the last forced to 1 (shares sum to 1 within 1e-9); empty with per-class arrivals. */
  private readonly cumulative: number[];
  private readonly rng: Rng | null;
  /** Per class: [index in `Request.attrs`, draw given the attributes drawn so far] of each attribute it carries. */
  private readonly draws: Array<Array<[number, (attrs: readonly number[]) => number]>>;
  private readonly width: number;

  constructor(
    readonly classes: readonly ClassDescription[],
    sim: Simulation,
    /** Every attribute name requests carry (`attributeNamesOf`). */
    names: readonly string[],
    /** The superposed arrivals, when each class has its own (`arrivals: { process: classes }`). */
    private readonly perClass: PerClassArrivals | null,
  ) {
    let acc = 0;
    this.cumulative = perClass !== null ? [] : classes.map((c) => (acc += c.share!));
    if (perClass === null) this.cumulative[this.cumulative.length - 1] = 1;
    this.rng = perClass !== null ? null : sim.random.stream('classes');
    this.width = names.length;
    this.draws = classes.map((c) =>
      Object.entries(c.attributes).map(([name, spec]): [number, (attrs: readonly number[]) => number] => {
        const rng = sim.random.stream(`class:${c.name}:attr:${name}`);
        if (spec.dist === 'prediction') {
          // The predicted attribute (drawn before it) times a lognormal factor of mean 1.
          const of = names.indexOf(spec.of);
          const noise = lognormal(1, spec.cv).source(rng);
          return [names.indexOf(name), (attrs) => attrs[of]! * noise()];
        }
        // An attribute's parameters are plain numbers; the engine's families take them as they are.
        const draw: Sampler = makeDistribution(spec).source(rng);
        return [names.indexOf(name), () => draw()];
      }),
    );
  }

  /** The class of the arrival just made: drawn by share, or the one whose process made it (call before the arrivals move on). */
  pick(): number {
    if (this.perClass !== null) return this.perClass.lastClass;
    const u = this.rng!();
    const cum = this.cumulative;
    let k = 0;
    while (u >= cum[k]!) k++;
    return k;
  }

  /** Gives `req` class `k` and its class's attributes (beside any the arrivals gave it; 0 for one its class lacks). */
  assign(req: Request, k: number): void {
    req.classIndex = k;
    const draws = this.draws[k]!;
    if (this.width === 0) return;
    const attrs = new Array<number>(this.width).fill(0);
    const given = req.attrs;
    if (given !== null) for (let i = 0; i < given.length; i++) attrs[i] = given[i]!;
    for (const [i, draw] of draws) attrs[i] = draw(attrs);
    req.attrs = attrs;
  }
}

/**
 * The way into a stage that serves only some classes (`stages[].classes`): a request of
 * a class it serves enters `node`; any other goes on to `skip`, what follows the stage.
 */
export function classGate(served: readonly number[], classCount: number, node: PathTarget, skip: PathTarget): PathTarget {
  const serves = new Array<boolean>(classCount).fill(false);
  for (const k of served) serves[k] = true;
  return { enter: (req) => (serves[req.classIndex] ? node.enter(req) : skip.enter(req)) };
}

/**
 * Class settings no stage reads, said once per run (not once per stage): priorities
 * with no stage under a discipline that orders by them, weights with no weighted-fair
 * stage. The run goes on; the warning says what to set.
 */
export function classWarnings(system: SystemDescription): string[] {
  const cls = system.classes;
  if (cls === null) return [];
  const out: string[] = [];
  const policies = system.stages.map((s) => s.discipline.policy);
  const list = system.stages.map((s) => `"${s.name}" ${s.discipline.policy}`).join(', ');
  const prioritized = cls.filter((c) => c.priorityGiven);
  if (prioritized.length > 0 && !policies.some((p) => READS_PRIORITY.has(p))) {
    out.push(
      `classes ${prioritized.map((c) => `"${c.name}"`).join(', ')} give a priority, but no stage's discipline reads priorities (${list}), so they have no effect: ` +
        'set discipline: { policy: priority } (or priority-preemptive) on the stage where they should apply',
    );
  }
  const weighted = cls.filter((c) => c.weight !== 1);
  if (weighted.length > 0 && !policies.includes('weighted-fair')) {
    out.push(`classes ${weighted.map((c) => `"${c.name}"`).join(', ')} give a weight, but no stage is weighted-fair (${list}), so the weights have no effect: set discipline: { policy: weighted-fair } on the stage they should share`);
  }
  return out;
}

/** Why admission control turned a request away before any station saw it. */
export type ShedReason = 'rateLimit' | 'concurrency' | 'queueLength' | 'estimatedWait';

/**
 * Per-class token buckets at the system's door (`classes[].rateLimit`): a class earns
 * `rps` tokens a second up to `burst`, starts full, and each admitted request spends one;
 * a request finding fewer than one is shed. Classes without a limit always pass.
 */
export class ClassRateLimits {
  private readonly rps: number[];
  private readonly burst: number[];
  private readonly tokens: number[];
  private readonly lastS: number[];

  constructor(classes: readonly ClassDescription[]) {
    this.rps = classes.map((c) => c.rateLimit?.rps ?? Infinity);
    this.burst = classes.map((c) => c.rateLimit?.burst ?? Infinity);
    this.tokens = [...this.burst];
    this.lastS = classes.map(() => 0);
  }

  /** Whether a request of class `k` arriving at `nowS` is admitted (it then spends a token). */
  admit(k: number, nowS: number): boolean {
    const rps = this.rps[k]!;
    if (rps === Infinity) return true;
    const t = Math.min(this.burst[k]!, this.tokens[k]! + (nowS - this.lastS[k]!) * rps);
    this.lastS[k] = nowS;
    if (t < 1) {
      this.tokens[k] = t;
      return false;
    }
    this.tokens[k] = t - 1;
    return true;
  }
}

/**
 * The way into a stage under shedding (`classes[].shedAt`): a request whose class's
 * threshold the stage's queue length, or the wait it would face, has reached is shed; any
 * other enters `node`. Lower classes are given lower thresholds, so they are shed first.
 */
export function shedGate(
  lengths: readonly number[],
  waits: readonly number[],
  station: { readonly waiting: number; readonly readyCount: number; readonly concurrency: number },
  meanServiceS: number,
  node: PathTarget,
  shed: (req: Request, reason: ShedReason) => void,
): PathTarget {
  return {
    enter: (req) => {
      const k = req.classIndex;
      const waiting = station.waiting;
      if (waiting >= lengths[k]!) return shed(req, 'queueLength');
      // The fallback rule's estimate (stage-node.ts): the queue ahead over the ready slots, times the mean service.
      if (waits[k] !== Infinity && (waiting / Math.max(1, station.readyCount * station.concurrency)) * meanServiceS >= waits[k]!) return shed(req, 'estimatedWait');
      node.enter(req);
    },
  };
}
