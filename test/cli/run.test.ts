import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const FIXTURE = 'test/fixtures/small.yaml';

describe('servesim run', () => {
  it('the same scenario and seed give byte-identical JSON', async () => {
    const a = await cli('run', FIXTURE, '--json');
    const b = await cli('run', FIXTURE, '--json');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('another seed gives different numbers', async () => {
    const a = JSON.parse((await cli('run', FIXTURE, '--json')).stdout);
    const b = JSON.parse((await cli('run', FIXTURE, '--json', '--seed', '4')).stdout);
    expect(b.seed).toBe(4);
    expect(b.latencyMs.mean).not.toBe(a.latencyMs.mean);
    expect(b.requests.arrived).toBe(a.requests.arrived); // same count: stop is by requests
  });

  it('JSON carries the contract of issue 2', async () => {
    const r = JSON.parse((await cli('run', FIXTURE, '--json')).stdout);
    expect(Object.keys(r.requests)).toEqual(expect.arrayContaining(['arrived', 'completed', 'dropped', 'inFlight']));
    expect(r.requests.arrived).toBe(18000); // 20,000 minus 2,000 warm-up
    expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
    expect(r.dropRate).toBeCloseTo(r.requests.dropped / r.requests.arrived, 12);
    expect(typeof r.throughputRps).toBe('number');
    for (const k of ['mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max']) expect(r.latencyMs[k]).toBeGreaterThan(0);
    const st = r.stages.model;
    expect(st.utilization).toBeGreaterThan(0);
    expect(st.utilization).toBeLessThanOrEqual(1);
    expect(Object.keys(st.queueWaitMs).sort()).toEqual(['mean', 'p50', 'p99']);
    expect(typeof st.dropped).toBe('number');
  });

  it('--set changes a value before validation', async () => {
    const r = JSON.parse((await cli('run', FIXTURE, '--json', '--set', 'stages.model.replicas=4')).stdout);
    expect(r.stages.model.replicas).toBe(4);
    const r2 = JSON.parse((await cli('run', FIXTURE, '--json', '--set', 'stages[0].queue.capacity=0')).stdout);
    expect(r2.dropRate).toBeGreaterThan(0);
  });

  it('human output names the figures a newcomer looks for', async () => {
    const r = await cli('run', FIXTURE);
    expect(r.code).toBe(0);
    for (const word of ['End-to-end latency (ms)', 'p99', 'Throughput', 'dropped', 'utilization', 'wait']) expect(r.stdout).toContain(word);
  });

  it('list shows the built-in scenarios', async () => {
    const r = await cli('list');
    expect(r.stdout).toMatch(/^mm4\s+/m);
  });

  it('runs a TypeScript scenario module', async () => {
    const r = await cli('run', 'examples/two-stage.ts', '--json', '--set', 'stop.requests=5000', '--set', 'warmup.requests=500');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stages.features.replicas).toBe(2);
  });

  it('the real binary exits 2 on bad input with no stack trace', () => {
    const res = spawnSync(process.execPath, ['bin/servesim.mjs', 'run', 'does-not-exist.yaml'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim()).toBe('servesim: does-not-exist.yaml: no such scenario file');
  });
});

describe('run --variant', () => {
  it('runs one configuration of a variants file as a plain run, with its time series', async () => {
    const r = await cli('run', 'spike-10x', '--variant', 'degrade', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.degradedShare).toBeGreaterThan(0.5); // the degrade variant's fallback is on
    expect(j.timeSeries.startS.length).toBeGreaterThan(100);
    const base = JSON.parse((await cli('run', 'spike-10x', '--variant', 'base', '--json')).stdout);
    expect(base.degradedShare).toBe(0);
  });

  it('an unknown variant lists the known ones', async () => {
    const r = await cli('run', 'spike-10x', '--variant', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--variant nope: spike-10x has no such variant (it has: base, autoscale, cache, degrade, buffer)');
  });
});
