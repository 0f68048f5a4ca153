/**
 * Calibration of the roofline's efficiencies and overhead: recovery of known values from
 * synthetic roofline step times, and the fit errors against BLIS's published coefficient
 * profiles whose model and GPU are catalogued (the table in docs/llm-roofline.md).
 */
import { describe, expect, it } from 'vitest';
import { LLM_PROFILES } from '../../src/catalog/llm-profiles.ts';
import { InputError } from '../../src/config/errors.ts';
import { calibrateRoofline, calibrateToProfile, profileObservations, type StepObservation } from '../../src/models/llm/calibrate.ts';
import { rooflineDeployment, type RooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { rooflineStepTime, type RooflineEfficiency } from '../../src/models/llm/roofline.ts';

/** RMS and max relative error (%) of a roofline with the default efficiencies against the profile's grid. */
function defaultsError(d: RooflineDeployment, p: (typeof LLM_PROFILES)[keyof typeof LLM_PROFILES]): [number, number] {
  const m = rooflineStepTime(d);
  let sq = 0;
  let max = 0;
  const obs = profileObservations(p);
  for (const o of obs) {
    const r = (m.stepS(o.prefillTokens, o.decodeTokens, o.context) - o.stepS) / o.stepS;
    sq += r * r;
    max = Math.max(max, Math.abs(r));
  }
  return [100 * Math.sqrt(sq / obs.length), 100 * max];
}

/** Step times of a roofline with efficiencies `truth`, over the profile grid and over steps with varied contexts. */
function synthetic(d: RooflineDeployment, truth: Partial<RooflineEfficiency>): StepObservation[] {
  const m = rooflineStepTime(d, { efficiency: truth });
  const grid = profileObservations({ alpha: [0, 0, 0], beta: [1, 0, 0] }).map((o) => ({ ...o, stepS: m.stepS(o.prefillTokens, o.decodeTokens, o.context) }));
  // Steps as a measured run has them: chunks with earlier context, decodes at various contexts.
  const mixed: StepObservation[] = [];
  for (let i = 1; i <= 12; i++) {
    const ctx = { decodeContextTokens: 40 * i * (200 + 150 * i), prefillContextTokens: 512 * (i % 3), prefillAttentionPairs: 256 * 512 * (i % 3) + (256 * 257) / 2 };
    mixed.push({ prefillTokens: 256, decodeTokens: 40 * i, context: ctx, stepS: m.stepS(256, 40 * i, ctx) });
  }
  return [...grid, ...mixed];
}

describe('calibrateRoofline', () => {
  // The data are exact roofline times, so the loss is 0 at the true values. Nelder–Mead stops when
  // the simplex's sums of squared relative errors differ by < 1e-20 (relative errors ~1e-10 per
  // point); through the fit's conditioning that pins the efficiencies to well under 1e-4 relative
  // and the overhead to well under 0.1 µs. The bounds below are those, with room.
  it('recovers known efficiencies and overhead from synthetic roofline data (Llama 3.1 8B, A100 80GB)', () => {
    const d = rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'a100-80gb' });
    const truth = { compute: 0.55, memory: 0.8, overheadUs: 3000 };
    const fit = calibrateRoofline(d, synthetic(d, truth));
    expect(Math.abs(fit.efficiency.compute / 0.55 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(fit.efficiency.memory / 0.8 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(fit.efficiency.overheadUs - 3000)).toBeLessThan(0.1);
    expect(fit.rmsRelError).toBeLessThan(1e-6);
    expect(fit.maxRelError).toBeLessThan(1e-5);
    expect(fit.atBound).toEqual([]);
  });

  it('recovers them at TP 2 (all-reduce terms kept at the given interconnect figures)', () => {
    const d = rooflineDeployment({ model: 'qwen2.5-32b', gpu: 'h100-sxm', tp: 2 });
    const truth = { compute: 0.7, memory: 0.65, overheadUs: 800, interconnect: 0.6, allReduceLatencyUs: 15 };
    const fit = calibrateRoofline(d, synthetic(d, truth), { interconnect: 0.6, allReduceLatencyUs: 15 });
    expect(Math.abs(fit.efficiency.compute / 0.7 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(fit.efficiency.memory / 0.65 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(fit.efficiency.overheadUs - 800)).toBeLessThan(0.1);
    expect(fit.rmsRelError).toBeLessThan(1e-6);
  });

  it('refuses fewer than 3 observations and non-positive times', () => {
    const d = rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' });
    expect(() => calibrateRoofline(d, [])).toThrow(InputError);
    const obs = [1, 2, 3].map((i) => ({ prefillTokens: i, decodeTokens: 0, stepS: i === 2 ? 0 : 0.01 }));
    expect(() => calibrateRoofline(d, obs)).toThrow(/observation 1: stepS must be finite and > 0/);
  });
});

/**
 * The fit table of docs/llm-roofline.md: profile, GPU key, fitted compute and memory efficiency,
 * overhead µs, RMS %, max %; then RMS % and max % with the default efficiencies (no fit).
 */
const TABLE: [keyof typeof LLM_PROFILES, string, number, number, number, number, number, number, number][] = [
  ['codellama-34b/h100/tp1', 'h100-sxm', 0.637, 1, 10842, 12.19, 26.05, 20.0, 44.38],
  ['llama-3.1-8b/a100-80/tp1', 'a100-80gb', 0.878, 1, 7788, 15.53, 54.09, 30.27, 65.12],
  ['llama-3.1-8b/h100/tp1', 'h100-sxm', 0.696, 1, 0, 28.85, 106.5, 47.32, 193.67],
  ['llama-3.1-8b/h100/tp2', 'h100-sxm', 0.425, 1, 2571, 14.86, 54.97, 35.51, 66.18],
  ['qwen2.5-7b/a100-80/tp1', 'a100-80gb', 0.506, 1, 4222, 7.95, 17.36, 25.93, 44.69],
  ['qwen2.5-7b/h100/tp1', 'h100-sxm', 0.503, 1, 0, 54.96, 122.08, 64.82, 232.78],
];

describe('fits to the published coefficient profiles (the table in docs/llm-roofline.md)', () => {
  for (const [name, gpu, ec, em, overheadUs, rms, max, rmsDefault, maxDefault] of TABLE) {
    it(name, () => {
      const p = LLM_PROFILES[name];
      const d = rooflineDeployment({ model: name.split('/')[0]!, gpu, tp: p.tp });
      const [r, m] = defaultsError(d, p);
      expect(r).toBeCloseTo(rmsDefault, 1);
      expect(m).toBeCloseTo(maxDefault, 1);
      const fit = calibrateToProfile(d, p);
      expect(fit.points).toBe(35);
      expect(fit.efficiency.compute).toBeCloseTo(ec, 3);
      expect(fit.efficiency.memory).toBeCloseTo(em, 3);
      expect(Math.abs(fit.efficiency.overheadUs - overheadUs)).toBeLessThan(1);
      expect(fit.rmsRelError * 100).toBeCloseTo(rms, 2);
      expect(fit.maxRelError * 100).toBeCloseTo(max, 2);
    });
  }
});
