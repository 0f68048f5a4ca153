import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinNames } from '../../src/cli/scenario-source.ts';
import { cli } from '../support/cli.ts';

/**
 * Golden outputs: `servesim run <name> --json` of every built-in scenario at its default
 * seed, committed under test/golden. Any change to what a scenario prints fails here
 * until it is explained and accepted on purpose: `npm run golden:update`, then review
 * the diff. Per-window series are long, so a golden keeps their window count and a
 * SHA-256 of them instead (any change to a series still changes the hash).
 */
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function normalise(json: string): string {
  const value = JSON.parse(json) as Record<string, unknown>;
  const ts = value.timeSeries as { startS?: unknown[] } | undefined;
  if (ts !== undefined) {
    value.timeSeries = { windows: ts.startS?.length ?? 0, sha256: createHash('sha256').update(JSON.stringify(ts)).digest('hex') };
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

describe('golden outputs of the built-in scenarios', () => {
  for (const name of builtinNames()) {
    it(name, async () => {
      const r = await cli('run', name, '--json');
      expect(r.code, r.stderr).toBe(0);
      const got = normalise(r.stdout);
      const file = `test/golden/${name}.json`;
      if (UPDATE) writeFileSync(file, got);
      expect(existsSync(file), `no golden output for ${name}: run npm run golden:update`).toBe(true);
      expect(got, `${name} now prints something else: if that is intended, run npm run golden:update and review the diff`).toBe(readFileSync(file, 'utf8'));
    }, 60_000);
  }
});
