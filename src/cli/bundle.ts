/**
 * Entry of the command line's bundle (dist/lib/cli.cjs, compiled with its code cache by
 * src/cli/cli-loader.cjs): the command line, and the library and engine it runs, which a
 * scenario module's `import ... from 'servesim'` gets (dist/lib/self.mjs and
 * self-engine.mjs re-export them), so that a plug-in it registers lands in the
 * registries the command line reads.
 */
export { main, guardStdio } from './entry.ts';
export * as library from '../index.ts';
export * as engine from '../engine/index.ts';
export { serveWorker } from './worker.ts';
