import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Statistical tests run hundreds of thousands of simulated requests; give them room
    // on a slow CI machine without hiding a hang.
    testTimeout: 60_000,
    // The same for a beforeAll that runs a test file's replications (vitest's default is 10 s).
    hookTimeout: 60_000,
    // Threads that keep their module cache between files: servesim keeps no state in
    // modules (everything lives on the simulation instance), so files cannot leak into
    // each other, and the suite no longer pays a fresh process and transform per file.
    pool: 'threads',
    isolate: false,
    // Both cores: vitest's default leaves one free, which halves the suite's speed on 2 CPUs.
    maxWorkers: 2,
    // The CLI a test spawns (bin/servesim.mjs) runs the build when it is fresh (npm test
    // builds first, and CI's npm ci builds), else the sources: never a stale build, and
    // the code users run. PERF: a spawn costs 0.15 s of CPU from the build against about
    // 0.9 s through tsx (test/cli alone: 7.4 s against 11.5 s).
  },
});
