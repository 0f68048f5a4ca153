/**
 * `servesim plan` and `sweep` over an LLM fleet's choices print one table (src/cli/plan-table.ts,
 * src/cli/sweep-grid.ts): every combination with its replicas, TTFT/TPOT p99, KV used, $/hour,
 * $/M output tokens and verdict, the cheapest marked `*`, and those that do not fit with the
 * memory they need; --json carries the same rows.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const SCENARIO = `seed: 7
arrivals: { process: poisson, qps: 10 }
stop: { requests: 300 }
warmup: { requests: 30 }
tokens:
  input:  { dist: lognormal, mean: 500, cv: 0.5, min: 1, max: 2000 }
  output: { dist: lognormal, mean: 100, cv: 1.0, min: 1, max: 500 }
slo: { ttft: "p99 < 1s", tpot: "p99 < 70ms" }
stages:
  - name: llm
    replicas: 1
    llm:
      roofline: { model: llama-3.1-8b, gpu: l4 }
`;

it('plan over model × weights: the table, the cheapest marked, the 70B on one L4 listed as not fitting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-plan-llm-'));
  const f = join(dir, 'fleet.yaml');
  writeFileSync(f, SCENARIO);
  const args = [f, '--vary', 'llm.replicas=1..3', '--vary', 'llm.model=llama-3.1-8b,llama-3.1-70b', '--vary', 'llm.weights=bf16,fp8'];
  const r = await cli('plan', ...args);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => /^ +model +weights +replicas +TTFT p99 ms +TPOT p99 ms +KV used +\$\/hour +\$\/M out tokens +verdict$/.test(l));
  expect(header, r.stdout).toBeGreaterThan(0);
  // The cheapest first and marked; bf16 on one L4 misses TPOT at every count up to 3; 70B does not fit in 21.6 GiB.
  expect(lines[header + 1]).toMatch(/^\* +llama-3\.1-8b +fp8 +2 +.* cheapest$/);
  expect(lines[header + 2]).toMatch(/^ +llama-3\.1-8b +bf16 +>3 +.* misses$/);
  expect(lines[header + 3]).toMatch(/llama-3\.1-70b +bf16 +– .* does not fit: needs 133\.1 GiB per GPU, 21\.6 usable \(tp 8 fits\)$/);
  expect(lines[header + 4]).toMatch(/llama-3\.1-70b +fp8 +– .* does not fit: needs 69\.4 GiB per GPU, 21\.6 usable \(tp 4 fits\)$/);
  const j = await cli('plan', ...args, '--json');
  expect(j.code, j.stderr).toBe(0);
  const rows = JSON.parse(j.stdout).configurations as Array<{ verdict: string; count: number | null; doesNotFit?: { needGiBPerGpu: number } }>;
  expect(rows.map((x) => [x.verdict, x.count])).toEqual([
    ['cheapest', 2],
    ['misses', 3],
    ['does not fit', null],
    ['does not fit', null],
  ]);
}, 60_000);

it('sweep over model × weights: one row per combination, KV used, the cheapest meeting marked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-sweep-llm-'));
  const f = join(dir, 'fleet.yaml');
  writeFileSync(f, SCENARIO.replace('replicas: 1', 'replicas: 2'));
  const r = await cli('sweep', f, '--vary', 'llm.model=llama-3.1-8b,llama-3.1-70b', '--vary', 'llm.weights=bf16,fp8');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/model +weights +throughput req\/s +TTFT p99 ms +TPOT p99 ms +both SLOs +\$\/M out tokens +KV used +\$\/hour +verdict/);
  expect(r.stdout).toMatch(/\n\* +llama-3\.1-8b +fp8 .* met\n/);
  expect(r.stdout).toMatch(/llama-3\.1-70b +bf16 .* does not fit: needs 133\.1 GiB per GPU/);
  expect(r.stdout).toContain('* cheapest meeting TTFT p99 < 1s and TPOT p99 < 70ms: model=llama-3.1-8b, weights=fp8');
}, 60_000);
