/**
 * The time average of a piecewise-constant quantity (busy servers, queue length):
 * ∫ value dt / elapsed, accumulated incrementally so memory is constant.
 */
export class TimeWeighted {
  private value = 0;
  private lastS = 0;
  private area = 0;
  private startS = 0;
  private peak = 0;
  /** ∫ value dt since construction, never reset (for per-window differences). */
  private lifetimeArea = 0;

  constructor(startS = 0, initial = 0) {
    this.startS = startS;
    this.lastS = startS;
    this.value = initial;
    this.peak = initial;
  }

  /** Sets the quantity to `value` from time `nowS` on. */
  set(nowS: number, value: number): void {
    const piece = this.value * (nowS - this.lastS);
    this.area += piece;
    this.lifetimeArea += piece;
    this.lastS = nowS;
    this.value = value;
    if (value > this.peak) this.peak = value;
  }

  /** Current value. */
  get current(): number {
    return this.value;
  }

  /** Largest value seen since the last reset. */
  get max(): number {
    return this.peak;
  }

  /** ∫ value dt from construction to `nowS`, unaffected by `reset` (`nowS` not before the last change). */
  lifetimeIntegral(nowS: number): number {
    return this.lifetimeArea + this.value * (nowS - this.lastS);
  }

  /** Forgets the past: averaging restarts at `nowS` from the current value. */
  reset(nowS: number): void {
    // The lifetime integral must not lose the piece since the last change.
    this.lifetimeArea += this.value * (nowS - this.lastS);
    this.area = 0;
    this.lastS = nowS;
    this.startS = nowS;
    this.peak = this.value;
  }

  /** ∫ value dt from the start (or last reset) to `nowS`. */
  integral(nowS: number): number {
    return this.area + this.value * (nowS - this.lastS);
  }

  /** Time average up to `nowS` (the current value when no time has passed). */
  mean(nowS: number): number {
    const span = nowS - this.startS;
    return span > 0 ? this.integral(nowS) / span : this.value;
  }
}
