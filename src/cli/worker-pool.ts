import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError } from '../config/errors.ts';
import { pluginsRegistered } from '../api/plugins.ts';
import type { DetailedRun } from '../models/index.ts';
import type { Runner, RunTask } from '../experiments/runner.ts';
import type { WorkerTask } from './worker.ts';
import type { TraceAccess } from './trace-file.ts';

type Reply = { id: number; out?: DetailedRun; error?: { message: string; problems?: string[] } };

/** A Runner that can also release its threads. */
export type PooledRunner = Runner & { close(): Promise<void> };

/**
 * A Runner on worker threads: up to `workers` simulations at once (default: the
 * machine's cores). The threads start on first use and are kept for later calls (a
 * plan runs many small batches) until `close`. Outputs come back in task order. With
 * one worker or one task it runs in this thread instead: the same code without the
 * start-up cost.
 */
export function workerPoolRunner(traces: TraceAccess, fallback: Runner, workers = availableParallelism()): PooledRunner {
  let pool: Worker[] = [];
  let nextId = 0;
  let closing = false;
  const pending = new Map<number, { resolve: (r: DetailedRun) => void; reject: (e: Error) => void }>();
  const start = (n: number) => {
    while (pool.length < n) {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url));
      w.on('message', (m: Reply) => {
        const p = pending.get(m.id);
        if (p === undefined) return;
        pending.delete(m.id);
        if (m.error) p.reject(m.error.problems ? new InputError(m.error.problems) : new Error(m.error.message));
        else p.resolve(m.out!);
      });
      // A thread that dies (out of memory, a crash) fails the batch instead of leaving it
      // waiting for an answer that never comes; it leaves the pool, so a later batch
      // (plan runs many) starts a fresh one.
      const fail = (e: Error) => {
        pool = pool.filter((x) => x !== w);
        for (const p of pending.values()) p.reject(e);
        pending.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!closing) fail(new Error(`a worker thread stopped unexpectedly (exit code ${code})`));
      });
      pool.push(w);
    }
  };
  const runner = (async (tasks: readonly RunTask[], onDone?: (done: number, total: number) => void) => {
    const n = Math.min(workers, tasks.length);
    // Plug-ins (registerRouter, registerDistribution, registerArrivals, e.g. from a .ts scenario) live in this thread only.
    if ((n <= 1 && pool.length === 0) || pluginsRegistered()) return fallback(tasks, onDone);
    start(Math.max(1, n));
    const out = new Array<DetailedRun>(tasks.length);
    let next = 0;
    let done = 0;
    // Each worker takes the next task when it finishes one: at most one task in flight per worker.
    await Promise.all(
      pool.map(async (w) => {
        while (next < tasks.length) {
          const index = next++;
          const id = nextId++;
          const result = await new Promise<DetailedRun>((resolve, reject) => {
            pending.set(id, { resolve, reject });
            const msg: WorkerTask = { id, task: tasks[index]!, traces };
            w.postMessage(msg);
          });
          out[index] = result;
          done++;
          onDone?.(done, tasks.length);
        }
      }),
    );
    return out;
  }) as PooledRunner;
  runner.close = async () => {
    const p = pool;
    pool = [];
    closing = true;
    await Promise.all(p.map((w) => w.terminate()));
    closing = false;
  };
  return runner;
}
