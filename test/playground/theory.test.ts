/**
 * The playground computes theory beside a run without the CLI (which reads files and
 * starts worker threads), from the stage shapes of a ServingSystem built but not run, as
 * the CLI's theoryForRun does. This pins the two to the same rows on every built-in
 * scenario, so neither can drift alone.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { theoryForRun as cliTheory } from '../../src/cli/experiments.ts';
import { loadScenario } from '../../src/cli/scenario-source.ts';
import { traceAccess, traceOpener } from '../../src/cli/trace-file.ts';
import type { RunResult } from '../../src/models/index.ts';
import { theoryForRun as pageTheory } from '../../playground/src/simulate.ts';

const names = readdirSync('src/scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

describe('playground theory', () => {
  for (const name of names) {
    it(`${name}: the page's theory rows are the CLI's`, async () => {
      const scenario = await loadScenario(name);
      // Theory reads the result's throughput (for traces) and each stage's simulated wait.
      const stages = Object.fromEntries(scenario.stages.map((s, i) => [s.name, { queueWaitMs: { mean: 1.5 + i } }]));
      const result = { throughputRps: 123, stages } as unknown as RunResult;
      const rows = pageTheory(scenario, result);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(cliTheory(scenario, traceOpener(traceAccess({ ref: name, baseDir: 'src/scenarios' }, { set: [] })), result));
    });
  }
});
