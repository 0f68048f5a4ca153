import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Driver, runCase, type CaseOutcome } from './corpus.ts';

/**
 * Fuzzing the CLI with mutated scenario files and part files. Whatever the mutation,
 * servesim must answer with exit 0 (the input was still valid) or 2 (a clear no): never
 * 1 (an internal error), a crash, a hang, a stack trace, a polluted prototype or a file
 * the command line did not name. Seeds are fixed, so a failure replays exactly; the
 * counterexample fast-check prints is the mutated file.
 */
const driver = new Driver();
afterAll(() => driver.close());

const BUILTIN = join(__dirname, '../../src/scenarios');
const builtins = readdirSync(BUILTIN)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(BUILTIN, f), 'utf8'));

/** A small scenario with many features, quick to run whatever its values become. */
const RICH = `name: rich
seed: 5
users: { count: 1000, zipf: 1.0 }
arrivals: { process: poisson, qps: 50 }
stop: { requests: 1500 }
warmup: { requests: 100 }
deadline: "2s"
slo: "p99 < 200ms"
stages:
  - name: retrieval
    replicas: 2
    candidates: 100
    service: { dist: lognormal, mean: "8ms", cv: 0.5 }
  - name: ranker
    replicas: 2
    keep: 10
    queue: { capacity: 50 }
    batching: { maxBatch: 8, maxWait: "5ms" }
    service: { dist: linear, base: "1ms", per: { candidates: "0.01ms" } }
    cache: { capacity: 100, ttl: "10m", hit: { dist: deterministic, value: "1ms" } }
    deadline: "500ms"
  - name: shards
    replicas: 1
    fanout: { shards: 4, quorum: 4, hedgeAfter: "50ms" }
    service: { dist: empirical, values: ["1ms", "20ms"], weights: [9, 1] }
`;

const HOSTILE_SCALARS = [
  '-1', '0', '1e308', '-1e308', '5e-324', '.nan', '.inf', '-.inf', '99999999999', '9007199254740993',
  '"1ns"', '"1e9d"', '"-5ms"', '""', '"__proto__"', '"constructor"', '"toString"', 'null', '[]', '{}',
  '"\\u001b[2J"', '"<script>alert(1)</script>"', '~', 'true', '*undefinedAlias', '!!js/function "x"', '"x".repeat',
];
const HOSTILE_LINES = ['__proto__: { polluted: 1 }', 'constructor: { prototype: { polluted: 1 } }', 'prototype: 1', '"__proto__": 1', 'a: &a [*a]', '? [1, 2]\n: 3', '<<: { x: 1 }', '%YAML 9.9', '---', '...', '\t\tbad: indent'];

/** One mutation of a YAML text, chosen and placed by fast-check. */
const mutation = fc.oneof(
  // Replace the value after the k-th colon with a hostile scalar.
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE_SCALARS) }),
  // Insert a hostile line after line k, at some indentation.
  fc.record({ kind: fc.constant('line' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE_LINES), indent: fc.constantFrom(0, 2, 4, 6) }),
  // Delete a slice of characters.
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  // Insert arbitrary characters (control characters included).
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.string({ unit: 'binary', maxLength: 12 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    if (m.kind === 'value') {
      const colons = [...t.matchAll(/: /g)].map((x) => x.index);
      if (colons.length === 0) continue;
      const i = colons[m.at % colons.length]! + 2;
      const end = t.slice(i).search(/[,}\n]/);
      t = t.slice(0, i) + m.value + t.slice(end < 0 ? t.length : i + end);
    } else if (m.kind === 'line') {
      const lines = t.split('\n');
      lines.splice(m.at % (lines.length + 1), 0, ' '.repeat(m.indent) + m.value);
      t = lines.join('\n');
    } else if (m.kind === 'cut') {
      const i = m.at % Math.max(1, t.length);
      t = t.slice(0, i) + t.slice(i + m.len);
    } else {
      const i = m.at % (t.length + 1);
      t = t.slice(0, i) + m.value + t.slice(i);
    }
  }
  return t;
}

function expectCleanAnswer(o: CaseOutcome, input: string): void {
  const shown = `exit ${o.code} in ${Math.round(o.ms)} ms\n--- stderr\n${o.stderr.slice(0, 1500)}\n--- input\n${input.slice(0, 3000)}`;
  expect([0, 2], shown).toContain(o.code);
  expect(o.stderr, shown).not.toMatch(/^\s+at /m);
  expect(o.stderr, shown).not.toContain('internal error');
  expect(o.polluted, shown).toEqual([]);
  expect(o.stray, shown).toEqual([]);
}

describe('fuzzing: mutated inputs get exit 0 or 2, never a crash', () => {
  it('validate and explain, on mutated built-in scenarios', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: builtins.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.constantFrom('validate', 'explain'), async (k, ms, cmd) => {
        const text = mutate(builtins[k]!, ms);
        const o = await runCase(driver, { name: 'fuzz', why: '', args: [cmd, 's.yaml'], exit: 0, files: { 's.yaml': text } });
        expectCleanAnswer(o, text);
      }),
      // 400 inputs: about 3 s; the seed makes a failure replay exactly.
      { numRuns: 400, seed: 20261129 },
    );
  }, 120_000);

  it('run, on a mutated small scenario with batching, deadlines, a cache and an SLO', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), async (ms) => {
        const text = mutate(RICH, ms);
        const o = await runCase(driver, { name: 'fuzz', why: '', args: ['run', 's.yaml', '--json'], exit: 0, files: { 's.yaml': text }, timeoutMs: 10_000 });
        expectCleanAnswer(o, text);
      }),
      { numRuns: 200, seed: 1129 },
    );
  }, 180_000);
});
