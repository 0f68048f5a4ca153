import * as z from 'zod';
import { positiveDuration, positiveInt, positiveNumber, show } from './fields.ts';

/**
 * Renewal arrivals (`arrivals: { process: renewal, qps, gap: { dist, ... } }`): independent,
 * identically distributed gaps of mean 1/qps drawn from the run's `arrivals` stream
 * (src/models/arrivals/renewal.ts). The gap's family and its variability:
 *
 *   gap: { dist: gamma, cv: 2 }            gamma, Weibull or lognormal by cv
 *   gap: { dist: erlang, k: 4 }            Erlang-k (cv = 1/√k)
 *   gap: { dist: hyperexponential, cv: 3 } two phases with balanced means (cv ≥ 1)
 *   gap: { dist: hyperexponential, phases: [{ p: 0.9, mean: "5ms" }, { p: 0.1, mean: "155ms" }] }
 *
 * With explicit phases the rate follows from them (1/Σ p·mean), so `qps` is not given.
 */

/**
 * The variability a gap law is asked for, bounded where every family stays finite in
 * float64 (a gamma's shape 1/cv², a lognormal's σ² = ln(1 + cv²), a Weibull's shape by
 * bisection): cv² from 1e-6 to 1e6, far past any traffic measured.
 */
export const CV_RANGE = { min: 1e-3, max: 1e3 } as const;
/** Erlang phases, up to the cv floor (cv = 1/√k). */
export const ERLANG_MAX_K = 1e6;

const cvField = () =>
  positiveNumber().refine((v) => v >= CV_RANGE.min && v <= CV_RANGE.max, { error: (iss) => `a gap's cv must be between ${CV_RANGE.min} and ${CV_RANGE.max}, got ${show(iss.input)}` });

const byCv = (dist: 'gamma' | 'weibull' | 'lognormal') => z.strictObject({ dist: z.literal(dist), cv: cvField() });

const erlangGap = z.strictObject({
  dist: z.literal('erlang'),
  k: positiveInt().refine((v) => v <= ERLANG_MAX_K, { error: (iss) => `at most ${ERLANG_MAX_K} phases (cv ${CV_RANGE.min}), got ${show(iss.input)}` }),
});

const phase = z.strictObject({
  p: z
    .number({ error: (iss) => `expected a probability, got ${show(iss.input)}` })
    .refine((v) => v > 0 && v <= 1, { error: (iss) => `a phase's probability must be in (0, 1], got ${show(iss.input)}` }),
  mean: positiveDuration(),
});

const hyperGap = z
  .strictObject({
    dist: z.literal('hyperexponential'),
    cv: z
      .number({ error: (iss) => `expected a number, got ${show(iss.input)}` })
      .refine((v) => Number.isFinite(v) && v >= 1, { error: (iss) => `a hyperexponential's cv must be at least 1 (below 1 use gamma, erlang or weibull), got ${show(iss.input)}` })
      .refine((v) => !(v > CV_RANGE.max), { error: (iss) => `a gap's cv must be between ${CV_RANGE.min} and ${CV_RANGE.max}, got ${show(iss.input)}` })
      .optional(),
    phases: z.array(phase).min(2, { error: 'needs at least two phases, e.g. [{ p: 0.9, mean: "5ms" }, { p: 0.1, mean: "155ms" }]' }).optional(),
  })
  .superRefine((h, ctx) => {
    if ((h.cv === undefined) === (h.phases === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of "cv" (two phases with balanced means) or "phases"' });
    if (Array.isArray(h.phases) && h.phases.every((ph) => typeof ph?.p === 'number')) {
      const total = h.phases.reduce((a, ph) => a + ph.p, 0);
      if (Math.abs(total - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['phases'], message: `the phases' probabilities must sum to 1, got ${+total.toPrecision(12)}` });
    }
  });

/** The gap distribution of renewal arrivals, chosen by `dist`. */
export const renewalGapSpec = z.discriminatedUnion('dist', [byCv('gamma'), byCv('weibull'), byCv('lognormal'), erlangGap, hyperGap]);
export type RenewalGapSpec = z.output<typeof renewalGapSpec>;

/** The whole `renewal` arrivals spec; its output always carries the rate (`qps`), derived from explicit phases when they give it. */
export const renewalSpec = z
  .strictObject({ process: z.literal('renewal'), qps: positiveNumber().optional(), gap: renewalGapSpec })
  .superRefine((r, ctx) => {
    const phases = r.gap?.dist === 'hyperexponential' && r.gap.phases !== undefined;
    if (phases && r.qps !== undefined) ctx.addIssue({ code: 'custom', path: ['qps'], message: 'explicit phases set the rate (1/Σ p·mean): leave qps out, or give the gap by cv' });
    if (!phases && r.qps === undefined && r.gap !== undefined) ctx.addIssue({ code: 'custom', path: ['qps'], message: 'renewal arrivals need a rate: qps (requests per second)' });
  })
  .transform((r) => {
    const g = r.gap;
    const qps = g.dist === 'hyperexponential' && g.phases !== undefined ? 1 / g.phases.reduce((a, ph) => a + ph.p * ph.mean, 0) : r.qps!;
    return { process: r.process, qps, gap: g };
  });
export type RenewalSpec = z.output<typeof renewalSpec>;
