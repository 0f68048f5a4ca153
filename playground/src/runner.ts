/**
 * Runs simulations in Web Workers for the page. A new run cancels the one in progress by
 * terminating its worker (a simulation loop never yields, so a "cancel" message would wait
 * for the run to end); a warm spare worker, already loaded, takes the new run at once.
 * Replies are checked against the latest run's id as well, so a stale run never paints.
 */
import type { RunOutput, RunRequest, WorkerReply } from './simulate.ts';
// Inline: the worker's code ships inside this chunk and each worker starts from a Blob
// URL, so starting one (every run does) needs no request: the page works offline once loaded.
import RunWorker from './worker.ts?worker&inline';

/** What the page does with a run's replies. */
export interface RunCallbacks {
  progress(fraction: number): void;
  done(output: RunOutput): void;
  invalid(problems: string[]): void;
  failed(message: string): void;
}

function spawn(): Worker {
  return new RunWorker({ name: 'servesim-run' });
}

/** One run at a time, on workers. */
export class WorkerRunner {
  /** Runs cancelled because a newer one started (shown to tests as data-cancelled). */
  cancelled = 0;
  private spare: Worker | null = spawn();
  private current: { worker: Worker; id: number } | null = null;
  private latest = 0;

  /** Starts a run, cancelling the one in progress. */
  run(req: Omit<RunRequest, 'id'>, cb: RunCallbacks): number {
    this.cancel();
    const id = ++this.latest;
    const worker = this.spare ?? spawn();
    this.spare = null;
    this.current = { worker, id };
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const r = e.data;
      if (r.id !== this.latest) return;
      if (r.type === 'progress') {
        cb.progress(r.fraction);
        return;
      }
      // The run is over: its worker becomes the spare (it has loaded everything already).
      this.current = null;
      if (this.spare === null) this.spare = worker;
      else worker.terminate();
      if (r.type === 'done') cb.done(r.output);
      else if (r.type === 'invalid') cb.invalid(r.problems);
      else cb.failed(r.message);
    };
    worker.onerror = (e) => {
      if (this.current?.worker !== worker) return;
      this.current = null;
      worker.terminate();
      cb.failed(e.message || 'the simulation worker failed');
    };
    worker.postMessage({ ...req, id } satisfies RunRequest);
    // Load the next spare now, while this run works, not when the next knob moves.
    if (this.spare === null) queueMicrotask(() => (this.spare ??= spawn()));
    return id;
  }

  /** Stops the run in progress, if any: it will never reply. */
  cancel(): void {
    if (this.current === null) return;
    this.current.worker.terminate();
    this.current = null;
    this.cancelled++;
  }

  /** True while a run is in progress. */
  get running(): boolean {
    return this.current !== null;
  }
}
