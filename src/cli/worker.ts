import { parentPort } from 'node:worker_threads';
import { runTask, type RunTask } from '../experiments/runner.ts';
import { traceOpener, type TraceAccess } from './trace-file.ts';

/** A task sent to a worker: what to run, and which trace files it may open (the same rule as the main thread). */
export interface WorkerTask {
  id: number;
  task: RunTask;
  traces: TraceAccess;
}

// Each message is one simulation; the answer carries its index so the pool can keep order.
parentPort!.on('message', (msg: WorkerTask) => {
  try {
    const out = runTask(msg.task, traceOpener(msg.traces));
    parentPort!.postMessage({ id: msg.id, out });
  } catch (err) {
    const e = err as Error & { problems?: string[] };
    parentPort!.postMessage({ id: msg.id, error: { message: e.message, problems: e.problems } });
  }
});
