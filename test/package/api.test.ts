import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineScenario, InputError, isLoaded, loadScenario, registerRouter, replicate, routingPolicies, run, unregisterRouter, validateScenario } from '../../src/index.ts';
import { builtinNames } from '../../src/cli/builtins.ts';
import { cli } from '../support/cli.ts';

/** The scenario of the README's library example (a 4-replica gamma pool). */
const pool = defineScenario({
  seed: 7,
  arrivals: { process: 'poisson', qps: 50 },
  stop: { requests: 5_000 },
  stages: [{ name: 'model', replicas: 4, service: { dist: 'gamma', mean: '60ms', cv: 0.5 } }],
});

const dir = mkdtempSync(join(tmpdir(), 'servesim-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadScenario', () => {
  it('takes what defineScenario returns, never changes it, and returns a frozen scenario', async () => {
    const before = JSON.stringify(pool);
    const s = await loadScenario(pool);
    expect(JSON.stringify(pool)).toBe(before);
    expect(isLoaded(s)).toBe(true);
    expect(Object.isFrozen(s) && Object.isFrozen(s.stages) && Object.isFrozen(s.stages[0])).toBe(true);
    // The gamma mean became seconds: the validated form, not the input.
    expect(s.stages[0]!.service).toMatchObject({ dist: 'gamma', mean: 0.06 });
    expect(await loadScenario(s)).toBe(s);
  });

  it('never changes a topology shorthand object (validateScenario used to turn it into stages)', async () => {
    const raw: Record<string, unknown> = { topology: 'realtime', arrivals: { process: 'poisson', qps: 10 }, stop: { requests: 100 } };
    const before = structuredClone(raw);
    await loadScenario(raw).catch(() => undefined);
    validateScenario({ raw, sourceName: 'x', locate: () => undefined }, []);
    expect(raw).toEqual(before);
  });

  it('reads YAML text, a file path and a built-in name, giving what the CLI runs', async () => {
    const yaml = 'seed: 7\narrivals: { process: poisson, qps: 50 }\nstop: { requests: 5000 }\nstages:\n  - { name: model, replicas: 4, service: { dist: gamma, mean: 60ms, cv: 0.5 } }\n';
    const file = join(dir, 'pool.yaml');
    writeFileSync(file, yaml);
    const fromText = await run(await loadScenario(yaml));
    const fromFile = await run(await loadScenario(file));
    expect(fromText).toEqual(fromFile);
    expect(fromFile).toEqual(await run(pool));
    // The same object `servesim run --json` prints.
    const r = await cli('run', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(fromFile)));
    expect((await loadScenario('mm4')).stages).toHaveLength(1);
  });

  it('lists every problem as an InputError with locations', async () => {
    const err = await loadScenario('arrivals: { process: poisson, qps: -1 }\nstop: { requests: 10 }\n', { name: 'bad.yaml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems.join('\n')).toMatch(/^bad\.yaml:1:\d+: arrivals\.qps/m);
  });

  it('every built-in scenario runs frozen (no model writes to its scenario)', async () => {
    for (const name of builtinNames()) {
      const s = await loadScenario(name);
      await expect(run(s, { seed: 1 }).then(() => 'ok', (e: unknown) => String(e))).resolves.not.toMatch(/read.only|frozen|Cannot assign/);
    }
  }, 240_000);
});

describe('run', () => {
  it('is reproducible by seed and honours progress and an AbortSignal', async () => {
    const a = await run(pool, { seed: 3 });
    expect(await run(pool, { seed: 3 })).toEqual(a);
    expect(await run(pool, { seed: 4 })).not.toEqual(a);
    const big = await loadScenario({ ...pool, stop: { requests: 300_000 } });
    const seen: number[] = [];
    const ac = new AbortController();
    const stopAtFirstTick = (f: number) => {
      seen.push(f);
      ac.abort();
    };
    const err = await run(big, { signal: ac.signal, onProgress: stopAtFirstTick }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(seen).toHaveLength(1);
  });

  it('an experiment stops between simulations when its signal is aborted by a timer', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const err = await replicate(await loadScenario(pool), { replications: 2_000, signal: ac.signal }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('plug-ins', () => {
  // Test files share modules (vitest isolate: false): a policy left registered would show
  // in every other file's "expected one of" message.
  afterEach(() => void unregisterRouter('first-replica'));

  it('a registered routing policy is accepted by name and routes the requests', async () => {
    registerRouter('first-replica', () => () => 0);
    expect(routingPolicies()).toContain('first-replica');
    const r = await run({ ...pool, stages: [{ name: 'model', replicas: 4, routing: { policy: 'first-replica' }, service: { dist: 'gamma', mean: '60ms', cv: 0.5 } }] });
    // Every request went to replica 0 of 4: at most a quarter of the stage is busy.
    expect(r.stages.model!.utilization).toBeLessThanOrEqual(0.25 + 1e-9);
    expect(() => registerRouter('first-replica', () => () => 0)).toThrow(/already exists/);
    expect(() => registerRouter('round-robin', () => () => 0)).toThrow(/already exists/);
    expect(() => registerRouter('Bad Name', () => () => 0)).toThrow(/lower-case/);
    expect(unregisterRouter('first-replica')).toBe(true);
    expect(routingPolicies()).not.toContain('first-replica');
    expect(unregisterRouter('round-robin')).toBe(false);
  });
});
