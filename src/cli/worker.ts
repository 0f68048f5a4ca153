import { parentPort } from 'node:worker_threads';
import { isAbsolute, resolve } from 'node:path';
import { runScenarioDetailed } from '../models/index.ts';
import type { RunTask } from '../experiments/runner.ts';
import { openTraceFile } from './trace-file.ts';

/** A task sent to a worker: what to run, and where relative trace paths resolve. */
export interface WorkerTask {
  id: number;
  task: RunTask;
  baseDir: string;
}

// Each message is one simulation; the answer carries its index so the pool can keep order.
parentPort!.on('message', (msg: WorkerTask) => {
  try {
    const out = runScenarioDetailed(msg.task.scenario, {
      seed: msg.task.seed,
      openTrace: (path, o) => openTraceFile(isAbsolute(path) ? path : resolve(msg.baseDir, path), path, o.timestampColumn),
    });
    parentPort!.postMessage({ id: msg.id, out });
  } catch (err) {
    const e = err as Error & { problems?: string[] };
    parentPort!.postMessage({ id: msg.id, error: { message: e.message, problems: e.problems } });
  }
});
