import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Statistical tests run hundreds of thousands of simulated requests; give them room
    // on a slow CI machine without hiding a hang.
    testTimeout: 60_000,
  },
});
