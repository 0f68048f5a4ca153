import { parentPort } from 'node:worker_threads';
import { runTask, type RunTask } from '../experiments/runner.ts';
import { traceOpener, type TraceAccess } from './trace-file.ts';

/**
 * A batch sent to a worker: the tasks, which trace files it may open (the same rule as
 * the main thread), and the shared counter every thread claims its next task from.
 */
export interface WorkerBatch {
  batch: number;
  tasks: readonly RunTask[];
  traces: TraceAccess;
  /** An Int32Array's buffer: element 0 is the index of the next unclaimed task. */
  claim: SharedArrayBuffer;
}

/** One task's answer: its run, or why it failed. */
export type WorkerReply = { batch: number; index: number; out?: unknown; error?: { message: string; problems?: string[] } };

/**
 * Serves the pool from this worker thread (called once by its entry: src/cli/worker-entry.mjs,
 * or the build's dist/lib/worker-entry.mjs). Each batch: claim tasks one at a time until
 * none is left, answering each with its index (the pool keeps task order). No round trip
 * to the main thread between tasks.
 */
export function serveWorker(): void {
  parentPort!.on('message', onBatch);
}

function onBatch(msg: WorkerBatch): void {
  const claim = new Int32Array(msg.claim);
  const open = traceOpener(msg.traces);
  const n = msg.tasks.length;
  for (;;) {
    const index = Atomics.add(claim, 0, 1);
    if (index >= n) return;
    try {
      parentPort!.postMessage({ batch: msg.batch, index, out: runTask(msg.tasks[index]!, open) } satisfies WorkerReply);
    } catch (err) {
      const e = err as Error & { problems?: string[] };
      // The batch fails: no thread starts another of its tasks.
      Atomics.store(claim, 0, n);
      parentPort!.postMessage({ batch: msg.batch, index, error: { message: e.message, problems: e.problems } } satisfies WorkerReply);
      return;
    }
  }
}
