/**
 * Entry of the command line's bundle (dist/lib/cli.cjs, compiled with its code cache by
 * src/cli/cli-loader.cjs): the command line; the library and engine it runs, which a
 * scenario module's `import ... from 'servesim'` gets (dist/lib/self.mjs and
 * self-engine.mjs re-export them), so that a plug-in it registers lands in the
 * registries the command line reads; and a worker thread's loop (dist/lib/worker-entry.mjs).
 *
 * PERF: all but the entry load when first asked for (the bundler keeps each a module
 * initialized on first use): `servesim --version` and `list` load none of them.
 */
export { main, guardStdio } from './entry.ts';

/** The library (src/index.ts). */
export const library = () => import('../index.ts');

/** The engine (src/engine/index.ts). */
export const engine = () => import('../engine/index.ts');

/** Serves the worker pool from this thread (src/cli/worker.ts). */
export async function serveWorker(): Promise<void> {
  (await import('./worker.ts')).serveWorker();
}
