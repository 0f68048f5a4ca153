/**
 * One request travelling through the serving topology. Flat fields only, set in the
 * constructor so every request shares one hidden class (V8 keeps the hot path
 * monomorphic).
 */
export class Request {
  /** Time the request entered the current stage's queue (seconds). */
  enqueuedS = 0;

  constructor(
    /** Run-local id, in arrival order. */
    readonly id: number,
    /** Arrival time at the system (seconds). */
    readonly arrivalS: number,
    /** False for warm-up requests, which no reported figure includes. */
    readonly measured: boolean,
  ) {}
}

/** Where a stage hands a request it has finished. */
export type RequestSink = (req: Request) => void;
