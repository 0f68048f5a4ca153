/** `servesim sweep` on an LLM scenario shows TTFT/TPOT p99, the share meeting both objectives and $/M output tokens (src/cli/llm-sweep.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

it('an LLM sweep has its token-level columns; a pool sweep does not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-llm-sweep-'));
  const f = join(dir, 'chat.yaml');
  writeFileSync(
    f,
    `name: chat
arrivals: { process: poisson, qps: 4 }
stop: { requests: 200 }
tokens:
  input:  { dist: lognormal, mean: 300, cv: 1, max: 3000 }
  output: { dist: lognormal, mean: 80, cv: 1, max: 800 }
slo: { ttft: "p99 < 500ms", tpot: "p99 < 50ms" }
stages:
  - name: llm
    replicas: 1
    llm: { profile: codellama-34b/h100/tp1, maxBatchedTokens: 4096 }
`,
  );
  const r = await cli('sweep', f, '--vary', 'stages.llm.replicas=1..2', '--steps', '2');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/TTFT p99 ms +TPOT p99 ms +both SLOs +\$\/M out tokens/);
  const pool = join(dir, 'pool.yaml');
  writeFileSync(pool, 'name: p\narrivals: { process: poisson, qps: 4 }\nstop: { requests: 200 }\nstages:\n  - name: s\n    replicas: 1\n    service: { dist: exponential, mean: "10ms" }\n');
  const q = await cli('sweep', pool, '--vary', 'stages.s.replicas=1..2', '--steps', '2');
  expect(q.code, q.stderr).toBe(0);
  expect(q.stdout).not.toContain('TTFT');
});
