import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

describe('compare prints each configuration\'s warnings', () => {
  it('names the variants that share a warning (an overloaded one here), as a plain run would warn', async () => {
    // 10 req/s on one replica of 80 ms is 80% busy; the "slow" variant's 150 ms makes it 150%: overloaded.
    const f = join(mkdtempSync(join(tmpdir(), 'servesim-cmpwarn-')), 'w.yaml');
    writeFileSync(
      f,
      [
        'name: w',
        'arrivals: { process: poisson, qps: 10 }',
        'stop: { requests: 3000 }',
        'warmup: { requests: 300 }',
        'stages:',
        '  - { name: model, replicas: 1, service: { dist: exponential, mean: "80ms" } }',
        'variants:',
        '  slow: { stages.model.service.mean: "150ms" }',
        '',
      ].join('\n'),
    );
    const r = await cli('compare', f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^warning \(slow\): .*overloaded/m);
    expect(r.stdout).not.toMatch(/^warning \(base/m);
  });
});
