/**
 * The playground's knobs, on every built-in scenario: each knob names a path the scenario
 * has, and every value its control offers (the ends of a slider, every choice of a list)
 * passes the CLI's validation, so moving a control never produces an error the user did
 * not write. Also: the `--set` command the page shows reads back as the same overrides.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride } from '../../src/config/overrides.ts';
import { expandScenario, parseScenarioText, validateScenario } from '../../src/config/parse.ts';
import { cliCommand, findKnobs, niceStep, roundToStep, type Knob } from '../../playground/src/knobs.ts';
import { checkScenario } from '../../playground/src/simulate.ts';

const BUILTIN_DIR = 'src/scenarios';
const builtins = readdirSync(BUILTIN_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ name: f.replace(/\.yaml$/, ''), text: readFileSync(`${BUILTIN_DIR}/${f}`, 'utf8') }));

/** The values a control can produce. */
function offered(k: Knob): Array<number | string> {
  const c = k.control;
  if (c.kind === 'range') return [c.min, roundToStep((c.min + c.max) / 2, c.step), c.max];
  if (c.kind === 'log-range') return [c.min, c.max];
  if (c.kind === 'select') return c.options.map((o) => o.value);
  return [k.base];
}

describe('playground knobs', () => {
  it('finds the knobs each built-in scenario has', () => {
    const paths = Object.fromEntries(
      builtins.map((b) => {
        const rs = parseScenarioText(b);
        expandScenario(rs);
        return [b.name, findKnobs(rs.raw).map((k) => k.path)];
      }),
    );
    expect(paths['realtime-ranker']).toEqual(['arrivals.qps', 'stop.requests', 'seed', 'stages.ranker.replicas']);
    expect(paths['cpu-vs-gpu']).toContain('stages.ranker.autoscale.target');
    expect(paths['cold-start']).toContain('stages.ranker.cache.capacity');
    expect(paths['cascade-1m-to-100']).toContain('stages.ranker.batching.maxBatch');
    expect(paths['accuracy-vs-latency']).toContain('stages.ranker.hardware');
    // An LLM stage: its step-time profile and the scheduler's limits (issue 15's knobs).
    expect(paths['llm-chat-capacity']).toEqual(expect.arrayContaining(['stages.llm.llm.profile', 'stages.llm.llm.maxNumSeqs', 'stages.llm.llm.maxBatchedTokens']));
  });

  it('a roofline stage offers model, GPU, TP and precisions, only those that fit', () => {
    const text = [
      'name: roof',
      'arrivals: { process: poisson, qps: 5 }',
      'stop: { requests: 200 }',
      'tokens: { input: { dist: deterministic, value: 500 }, output: { dist: deterministic, value: 100 } }',
      'stages:',
      '  - name: llm',
      '    replicas: 2',
      '    llm: { roofline: { model: llama-3.1-8b, gpu: h100-sxm } }',
      '',
    ].join('\n');
    const source = { name: 'roof.yaml', text };
    const accepts = (path: string, value: number | string): boolean => {
      try {
        checkScenario(source, [{ path, value }]);
        return true;
      } catch {
        return false;
      }
    };
    const rs = parseScenarioText(source);
    expandScenario(rs);
    const knobs = findKnobs(rs.raw, accepts);
    const options = (path: string) => {
      const c = knobs.find((k) => k.path === `stages.llm.llm.${path}`)!.control;
      return c.kind === 'select' ? c.options.map((o) => o.value) : [];
    };
    // 70B in bf16 is 141 GB of weights: it does not fit one 80 GB H100, so it is not offered at TP 1.
    expect(options('roofline.model')).toContain('llama-3.1-8b');
    expect(options('roofline.model')).not.toContain('llama-3.1-70b');
    expect(options('roofline.tp')).toEqual([1, 2, 4, 8]);
    expect(options('roofline.weights')).toEqual(['bf16', 'fp16', 'fp8', 'int4']);
    expect(options('roofline.kvCache')).toEqual(['bf16', 'fp16', 'fp8']);
    // Every choice offered validates (the file's own value is always offered).
    for (const k of knobs) for (const value of offered(k)) expect(accepts(k.path, value), `${k.path}=${String(value)}`).toBe(true);
  });

  for (const b of builtins) {
    it(`${b.name}: every value a control offers validates`, () => {
      const rs = parseScenarioText(b);
      expandScenario(rs);
      const knobs = findKnobs(rs.raw);
      // The file's own values sit inside the controls' ranges.
      for (const k of knobs) {
        const c = k.control;
        if (c.kind === 'range' && typeof k.base === 'number') {
          expect(k.base, k.path).toBeGreaterThanOrEqual(c.min);
          expect(k.base, k.path).toBeLessThanOrEqual(c.max);
        }
        if (c.kind === 'select') expect(c.options.map((o) => o.value), k.path).toContain(k.base);
      }
      for (const k of knobs) {
        for (const value of offered(k)) {
          const fresh = parseScenarioText(b);
          expect(() => validateScenario(fresh, [{ path: k.path, value }]), `${k.path}=${String(value)}`).not.toThrow();
        }
      }
    });
  }

  it('shows a command whose --set flags read back as the same overrides', () => {
    const overrides = [
      { path: 'arrivals.qps', value: 180 },
      { path: 'stages.ranker.hardware', value: 'g5.xlarge' },
      { path: 'seed', value: 8 },
    ];
    const cmd = cliCommand('realtime-ranker', overrides);
    expect(cmd).toBe('npx servesim run realtime-ranker --set arrivals.qps=180 --set stages.ranker.hardware=g5.xlarge --set seed=8');
    const sets = [...cmd.matchAll(/--set (\S+)/g)].map((m) => parseOverride(m[1]!));
    expect(sets).toEqual(overrides);
    const raw = { arrivals: {}, stages: [{ name: 'ranker' }] };
    applyOverrides(raw, sets);
    expect(raw).toEqual({ arrivals: { qps: 180 }, stages: [{ name: 'ranker', hardware: 'g5.xlarge' }], seed: 8 });
  });

  it('steps on the 1-2-5 series and rounds to the step', () => {
    expect([0.016, 0.8, 1, 1.2, 3, 7, 40].map(niceStep)).toEqual([0.02, 1, 1, 2, 5, 10, 50]);
    expect(roundToStep(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(roundToStep(3.2 * 2, 0.02)).toBe(6.4);
  });
});
