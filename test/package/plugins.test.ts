import { gamma, randomExponential } from '../../src/engine/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defineScenario,
  InputError,
  loadScenario,
  registerArrivals,
  registerDistribution,
  run,
  unregisterArrivals,
  unregisterDistribution,
  type ArrivalsFactory,
  type DistributionFactory,
} from '../../src/index.ts';

// Test files share modules (vitest isolate: false): a plug-in left registered would show
// in other files' messages, so every test removes what it added.
afterEach(() => {
  for (const n of ['gamma-again', 'bad-mean', 'negative', 'throws']) unregisterDistribution(n);
  for (const n of ['poisson-again', 'backwards', 'flood']) unregisterArrivals(n);
});

const base = {
  seed: 7,
  arrivals: { process: 'poisson', qps: 300 },
  stop: { requests: 20_000 },
  warmup: { requests: 2_000 },
} as const;

/** The built-in gamma, through the plug-in door: the same draws from the same stream. */
const gammaAgain: DistributionFactory = (p) => gamma(Number(p['meanS']), Number(p['cv']));
/** The built-in Poisson (its formula, the engine's exponential sampler), through the plug-in door. */
const poissonAgain: ArrivalsFactory = (p, rng) => {
  const qps = Number(p['qps']);
  const gap = randomExponential.source(rng)(qps);
  return { meanRateRps: qps, interarrivalScv: 1, next: (now) => now + gap() };
};

async function message(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems.join('\n');
}

describe('distribution plug-ins', () => {
  it('a plug-in that draws what a built-in draws gives the built-in run exactly (the door adds nothing)', async () => {
    registerDistribution('gamma-again', gammaAgain);
    const builtIn = await run(defineScenario({ ...base, stages: [{ name: 'model', replicas: 4, service: { dist: 'gamma', mean: '10ms', cv: 0.5 } }] }));
    const plugged = await run(
      defineScenario({ ...base, stages: [{ name: 'model', replicas: 4, service: { dist: 'plugin', name: 'gamma-again', params: { meanS: 0.01, cv: 0.5 } } }] }),
    );
    expect(JSON.stringify(plugged)).toBe(JSON.stringify(builtIn));
  });

  it("the load check reads the plug-in's own mean: 4 replicas of 20 ms cannot serve 300/s", async () => {
    registerDistribution('gamma-again', gammaAgain);
    const r = await run(defineScenario({ ...base, stop: { requests: 3_000 }, warmup: { requests: 0 }, stages: [{ name: 'model', replicas: 4, service: { dist: 'plugin', name: 'gamma-again', params: { meanS: 0.02, cv: 0.5 } } }] }));
    expect(r.warnings.join('\n')).toContain('stage "model" is overloaded: 300 req/s arrive but its server(s) complete at most 200 req/s');
  });

  it('refuses, with the rest of the file, a name nobody registered, parameters the factory refuses, and moments that are not finite', async () => {
    const at = (service: unknown) => loadScenario({ ...base, stages: [{ name: 'model', replicas: 4, service }] });
    expect(await message(at({ dist: 'plugin', name: 'pareto' }))).toContain('stages[0].service.name: no distribution named "pareto" is registered');
    registerDistribution('throws', (p) => {
      if (!(Number(p['alpha']) > 2)) throw new Error(`alpha must be above 2 for a finite variance, got ${String(p['alpha'])}`);
      return gamma(0.01, 1);
    });
    expect(await message(at({ dist: 'plugin', name: 'throws', params: { alpha: 1.5 } }))).toContain(
      'stages[0].service.params: distribution "throws" refused its parameters: alpha must be above 2 for a finite variance, got 1.5',
    );
    expect(await message(at({ dist: 'plugin', name: 'thrown' }))).toContain('expected one of the registered distributions "throws", got "thrown"');
    registerDistribution('bad-mean', () => ({ kind: 'bad', mean: Number.NaN, variance: 1, source: () => () => 1 }));
    expect(await message(at({ dist: 'plugin', name: 'bad-mean' }))).toContain('distribution "bad-mean" must return { mean, variance, source(rng) } with a finite mean');
    expect(await message(at({ dist: 'plugin', name: 'throws', params: { alpha: 3 }, mean: '1s' }))).toContain('stages[0].service.mean: unknown key');
  });

  it('a draw that is not a duration stops the run with an input error naming the plug-in', async () => {
    registerDistribution('negative', () => ({ kind: 'negative', mean: 0.01, variance: 0, source: () => () => -0.01 }));
    const s = defineScenario({ ...base, stages: [{ name: 'model', replicas: 4, service: { dist: 'plugin', name: 'negative' } }] });
    expect(await message(run(s))).toContain('distribution plug-in "negative" drew -0.01: a duration is a finite number of seconds, 0 or more');
  });

  it('registration checks the name and the factory', () => {
    registerDistribution('gamma-again', gammaAgain);
    expect(() => registerDistribution('gamma-again', gammaAgain)).toThrow(/already exists/);
    expect(() => registerDistribution('Gamma', gammaAgain)).toThrow(/lower-case/);
    expect(() => registerDistribution('x', 42 as never)).toThrow(/must be a function/);
    expect(unregisterDistribution('gamma-again')).toBe(true);
    expect(unregisterDistribution('gamma-again')).toBe(false);
  });
});

describe('arrival plug-ins', () => {
  const stages = [{ name: 'model', replicas: 4, service: { dist: 'exponential', mean: '10ms' } }] as const;

  it("a plug-in that draws what the built-in Poisson draws, from the run's arrivals stream, gives its run exactly", async () => {
    registerArrivals('poisson-again', poissonAgain);
    const builtIn = await run(defineScenario({ ...base, stages: [...stages] }));
    const plugged = await run(defineScenario({ ...base, arrivals: { process: 'plugin', name: 'poisson-again', params: { qps: 300 } }, stages: [...stages] }));
    expect(JSON.stringify(plugged)).toBe(JSON.stringify(builtIn));
    // Another seed, other arrivals: the stream is the run's, not a fixed one.
    const other = await run(defineScenario({ ...base, seed: 8, arrivals: { process: 'plugin', name: 'poisson-again', params: { qps: 300 } }, stages: [...stages] }));
    expect(other.latencyMs.p99).not.toBe(plugged.latencyMs.p99);
  });

  it('the run limits read the rate the plug-in reports', async () => {
    registerArrivals('flood', () => ({ meanRateRps: 1e9, next: (now) => now + 1e-9 }));
    const m = await message(loadScenario({ ...base, stop: { duration: '1h' }, arrivals: { process: 'plugin', name: 'flood' }, stages: [...stages] }));
    expect(m).toContain('stop.duration: 1,000,000,000 requests/s for "60m" is about 3,600,000,000,000 arrivals');
  });

  it('a next arrival before now stops the run with an input error naming the plug-in (time never goes back)', async () => {
    registerArrivals('backwards', () => {
      let k = 0;
      return { meanRateRps: 100, next: (now) => (++k < 10 ? now + 0.01 : now - 1) };
    });
    const s = defineScenario({ ...base, arrivals: { process: 'plugin', name: 'backwards' }, stages: [...stages] });
    expect(await message(run(s))).toMatch(/arrival process plug-in "backwards" returned -?[0-9.]+ as the next arrival after [0-9.]+ s/);
  });

  it('refuses an unregistered name and a factory whose rate is not a finite number above 0', async () => {
    const at = (arrivals: unknown) => loadScenario({ ...base, arrivals, stages: [...stages] });
    expect(await message(at({ process: 'plugin', name: 'mmpp' }))).toContain('arrivals.name: no arrival process named "mmpp" is registered');
    registerArrivals('flood', () => ({ meanRateRps: 0, next: (now) => now + 1 }));
    expect(await message(at({ process: 'plugin', name: 'flood' }))).toContain('arrivals.params: arrival process "flood" must return { meanRateRps, next(nowS) } with a finite rate above 0, got meanRateRps 0');
  });
});
