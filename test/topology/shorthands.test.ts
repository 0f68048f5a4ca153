import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-topo-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const tiny = (t: string) => `topology: ${t}\narrivals: { process: poisson, qps: 50 }\nstop: { requests: 5000 }\n`;

describe('topology shorthands', () => {
  for (const t of ['batch', 'realtime', 'cascade', 'hybrid']) {
    it(`"${t}" runs from a three-line file and explain shows its expansion`, async () => {
      const f = file(`${t}.yaml`, tiny(t));
      const run = await cli('run', f, '--json');
      expect(run.code, run.stderr).toBe(0);
      const r = JSON.parse(run.stdout);
      expect(r.requests.completed + r.requests.dropped).toBe(5000);
      const ex = await cli('explain', f);
      expect(ex.code, ex.stderr).toBe(0);
      expect(ex.stdout).toContain(`Topology "${t}"`);
      expect(ex.stdout).toContain('A request goes:');
      expect(ex.stdout).toMatch(/stages:\n\s+- name: /);
      if (t === 'batch' || t === 'hybrid') expect(r.coverage).toBeGreaterThan(0.9);
      if (t === 'hybrid') expect(r.stages.ranker.hitRatio).toBeGreaterThan(0);
      if (t === 'cascade') expect(Object.keys(r.stages)).toEqual(['retrieval', 'light-ranker', 'heavy-ranker']);
    });
  }

  it('the scenario’s own keys win over the shorthand’s', async () => {
    const f = file('own.yaml', `${tiny('realtime')}stages: [{ name: mine, replicas: 3, service: { dist: deterministic, value: "5ms" } }]\n`);
    const r = JSON.parse((await cli('run', f, '--json')).stdout);
    expect(Object.keys(r.stages)).toEqual(['mine']);
  });

  it('an unknown shorthand lists the known ones', async () => {
    const r = await cli('run', file('unknown.yaml', tiny('serverless')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('topology: expected one of "batch", "realtime", "cascade", "hybrid", got "serverless"');
  });
});

describe('a malformed stage graph is a clear error', () => {
  const base = `arrivals: { process: poisson, qps: 50 }
stop: { requests: 1000 }
stages:
`;
  const stage = (name: string, extra = '') => `  - name: ${name}\n    replicas: 1\n    service: { dist: deterministic, value: "1ms" }\n${extra}`;
  const expectError = async (text: string, message: string) => {
    const r = await cli('run', file(`g${Math.random().toString(36).slice(2)}.yaml`, text));
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  it('a cycle of fallbacks', async () => {
    await expectError(
      base + stage('a', '    fallback: { queueLength: 5, to: b }\n') + stage('b', '    fallback: { queueLength: 5, to: a }\n'),
      'stages[0]: fallbacks form a cycle: a → b → a',
    );
  });

  it('a stage name used twice', async () => {
    await expectError(base + stage('a') + stage('a'), 'stages[1].name: stage name "a" is already used by stages[0]');
  });

  it('a fallback naming no stage', async () => {
    await expectError(base + stage('a', '    fallback: { queueLength: 5, to: lite }\n'), 'stages[0].fallback.to: names no stage: "lite" (stages: a)');
  });

  it("k' greater than k", async () => {
    await expectError(base + stage('retrieval', '    candidates: 100\n') + stage('filter', '    keep: 500\n'), "stages[1].keep: keeps 500 candidates, but only 100 arrive here (k' must not exceed k)");
  });

  it('a fallback with both a stage and a heuristic', async () => {
    await expectError(
      base + stage('a', '    fallback: { queueLength: 5, to: b, heuristic: { latency: { dist: deterministic, value: "1ms" }, quality: 0.5 } }\n') + stage('b'),
      'stages[0].fallback: give exactly one of "to" (a stage name) or "heuristic"',
    );
  });

  it('a cache without users to key it', async () => {
    await expectError(base + stage('a', '    cache: { capacity: 10, hit: { dist: deterministic, value: "1ms" } }\n'), 'stages[0].cache: needs users: { count: N }');
  });

  it('a quorum larger than the shards', async () => {
    await expectError(base + stage('a', '    fanout: { shards: 10, quorum: 11 }\n'), 'stages[0].fanout.quorum: a quorum of 11 cannot be reached with 10 shards');
  });
});
