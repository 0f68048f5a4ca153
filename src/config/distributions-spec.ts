import * as z from 'zod';
import { duration, positiveDuration, positiveNumber } from './fields.ts';
import { pluginDistributionSpec } from './plugins.ts';

// ---------------------------------------------------------------------------
// Service-time distributions (`service: { dist: ..., ... }`). Each family's
// keys are fixed; `src/models/service-distribution.ts` turns them into engine objects.

const exponentialSpec = z.strictObject({ dist: z.literal('exponential'), mean: positiveDuration() });
const deterministicSpec = z.strictObject({ dist: z.literal('deterministic'), value: duration() });
const uniformSpec = z
  .strictObject({ dist: z.literal('uniform'), min: duration(), max: duration() })
  .refine((u) => u.max >= u.min, { error: 'max must not be below min', path: ['max'] });
const lognormalSpec = z.strictObject({ dist: z.literal('lognormal'), mean: positiveDuration(), cv: positiveNumber() });
const gammaSpec = z.strictObject({ dist: z.literal('gamma'), mean: positiveDuration(), cv: positiveNumber() });
const empiricalSpec = z
  .strictObject({
    dist: z.literal('empirical'),
    values: z.array(duration()).min(1, { error: 'needs at least one value' }),
    weights: z.array(z.number().nonnegative({ error: 'weights must be 0 or more' })).optional(),
  })
  .refine((e) => e.weights === undefined || e.weights.length === e.values.length, {
    error: 'needs as many weights as values',
    path: ['weights'],
  })
  .refine((e) => e.weights === undefined || e.weights.some((w) => w > 0), {
    error: 'weights must not all be 0',
    path: ['weights'],
  });

/** A distribution of durations, chosen by `dist`. */
export const distributionSpec = z.discriminatedUnion('dist', [
  exponentialSpec,
  deterministicSpec,
  uniformSpec,
  lognormalSpec,
  gammaSpec,
  empiricalSpec,
  pluginDistributionSpec,
]);
export type DistributionSpec = z.output<typeof distributionSpec>;
/** The family names a scenario may use for `dist`. */
export type DistributionKind = DistributionSpec['dist'];
