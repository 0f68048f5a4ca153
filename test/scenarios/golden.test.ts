import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { builtinNames } from '../../src/cli/builtins.ts';
import { runGolden } from '../support/golden.ts';

/**
 * Every built-in scenario's JSON output equals its committed golden (see
 * test/support/golden.ts). Scenarios with their own test file check it there, on the
 * same run as their key claim; this file covers the others.
 */
describe('golden outputs of the built-in scenarios', () => {
  const checkedElsewhere = (n: string) => existsSync(`test/scenarios/${n}.test.ts`) && readFileSync(`test/scenarios/${n}.test.ts`, 'utf8').includes('runGolden(');
  for (const name of builtinNames().filter((n) => !checkedElsewhere(n))) {
    it(name, async () => {
      await runGolden(name);
    }, 60_000);
  }
});
