import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { cli, type CliRun } from './cli.ts';

/**
 * Golden outputs: `servesim run <name> --json` of a built-in scenario at its default
 * seed, committed as test/golden/<name>.json. Any change to what a scenario prints
 * fails until it is accepted on purpose (`npm run golden:update`, then review the
 * diff). Numbers keep 6 significant digits (see DIGITS). Per-window series are long,
 * so a golden keeps their window count and a SHA-256 of them, rounded the same way
 * (any change to a series beyond that still changes the hash).
 */
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const runs = new Map<string, Promise<CliRun>>();

/**
 * Significant digits kept in a golden. Six are far more than any figure's confidence
 * interval resolves, yet a change in the order of a floating-point sum (which moves the
 * last bits) no longer rewrites every golden. Whole numbers (counts) stay exact.
 */
const DIGITS = 6;

function rounded(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(DIGITS));
  if (Array.isArray(v)) return v.map(rounded);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]));
  return v;
}

function normalise(json: string): string {
  const value = rounded(JSON.parse(json)) as Record<string, unknown>;
  const ts = value.timeSeries as { startS?: unknown[] } | undefined;
  if (ts !== undefined) {
    value.timeSeries = { windows: ts.startS?.length ?? 0, sha256: createHash('sha256').update(JSON.stringify(ts)).digest('hex') };
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Runs a built-in scenario with `--json` once per test process (key-claim tests and the
 * golden check share the run) and checks it against its golden output.
 */
export function runGolden(name: string): Promise<CliRun> {
  let p = runs.get(name);
  if (p === undefined) {
    p = cli('run', name, '--json').then((r) => {
      expect(r.code, r.stderr).toBe(0);
      const got = normalise(r.stdout);
      const file = `test/golden/${name}.json`;
      if (UPDATE) writeFileSync(file, got);
      expect(existsSync(file), `no golden output for ${name}: run npm run golden:update`).toBe(true);
      expect(got, `${name} now prints something else: if that is intended, run npm run golden:update and review the diff`).toBe(readFileSync(file, 'utf8'));
      return r;
    });
    runs.set(name, p);
  }
  return p;
}
