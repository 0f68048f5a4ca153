import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-shard-'));
const args = ['sweep', 'test/fixtures/small.yaml', '--vary', 'arrivals.qps=4..9', '--steps', '3', '--replications', '2', '--workers', '1', '--set', 'stop.requests=4000', '--set', 'warmup.requests=400'];

describe('shards and merge', () => {
  it('merging the parts of a sharded sweep gives exactly the unsharded result', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `part${i}.json`);
      const r = await cli(...args, '--shard', `${i}/3`, '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${i}/3`);
      parts.push(out);
    }
    const merged = await cli('merge', ...parts.reverse(), '--json');
    const direct = await cli(...args, '--json');
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(direct.stdout);
  });

  it('a missing part is named', async () => {
    const out = join(dir, 'only.json');
    await cli(...args, '--shard', '0/2', '--out', out);
    const r = await cli('merge', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing shard(s) 1/2');
  });

  it('plan refuses to shard, and says how to split it instead', async () => {
    const r = await cli('plan', 'test/fixtures/small.yaml', '--slo', 'p99<1s', '--vary', 'stages.model.replicas=1..8', '--shard', '0/2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('plan bisects');
  });
});
