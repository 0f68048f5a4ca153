import { gamma, lognormal, type Rng } from '../../engine/index.ts';
import { InputError } from '../../config/errors.ts';
import type { TokenDistributionSpec, TokensDescription } from '../../config/description.ts';
import type { LlmRequestSpec } from './types.ts';

/** The token counts of one request, as an LLM replica reads them. */
export interface RequestTokens extends LlmRequestSpec {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly prefixGroup?: number;
  readonly prefixTokens?: number;
}

/** Most draws of one token count before its `[min, max]` bounds are declared to exclude the distribution. */
const MAX_REDRAWS = 10_000;

/**
 * A sampler of one token count: a distribution rounded to the nearest integer (at least
 * 1), truncated to `[min, max]` by drawing again (a named option, never a clip: the
 * truncated distribution's mean is not the untruncated one's). `trace` reads a column.
 */
function tokenSampler(spec: TokenDistributionSpec, rng: Rng, column: (name: string) => number, what: string): (attrs: readonly number[] | null) => number {
  if (spec.dist === 'deterministic') return () => spec.value;
  if (spec.dist === 'trace') {
    const i = column(spec.column);
    // Trace rows were checked to hold a whole count >= 1 in this column (arrivals/trace.ts, file:line).
    return (attrs) => attrs![i]!;
  }
  if (spec.dist === 'uniform') {
    const span = spec.max - spec.min + 1;
    return () => spec.min + Math.floor(rng() * span);
  }
  const base = (spec.dist === 'lognormal' ? lognormal(spec.mean, spec.cv) : gamma(spec.mean, spec.cv)).source(rng);
  const lo = spec.min ?? 1;
  const hi = spec.max ?? Infinity;
  return () => {
    for (let k = 0; k < MAX_REDRAWS; k++) {
      const v = Math.max(1, Math.round(base()));
      if (v >= lo && v <= hi) return v;
    }
    throw new InputError([`tokens.${what}: ${MAX_REDRAWS} draws in a row fell outside [min ${lo}, max ${hi === Infinity ? 'none' : hi}]: the bounds leave almost nothing of a ${spec.dist} of mean ${spec.mean}`]);
  };
}

/** The largest count a token spec can give (Infinity when unbounded or read from a trace). */
export function maxTokens(spec: TokenDistributionSpec): number {
  switch (spec.dist) {
    case 'deterministic':
      return spec.value;
    case 'uniform':
      return spec.max;
    case 'trace':
      return Infinity;
    default:
      return spec.max ?? Infinity;
  }
}

/** The mean count of a token spec, ignoring truncation (NaN when read from a trace). */
export function meanTokens(spec: TokenDistributionSpec): number {
  switch (spec.dist) {
    case 'deterministic':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'trace':
      return NaN;
    default:
      return spec.mean;
  }
}

/**
 * Draws each request's token counts (`tokens:`): input and output from their own named
 * streams, and a prefix group uniformly among `prefix.groups` from a third. A request's
 * shared prefix is `min(prefix.tokens, its prompt)`: a prompt shorter than the system
 * prompt is all shared prefix. `attributeNames`: the trace's columns, for `dist: trace`.
 */
export function tokenSource(desc: TokensDescription, stream: (name: string) => Rng, attributeNames: readonly string[]): (attrs: readonly number[] | null) => RequestTokens {
  const column = (name: string): number => {
    const i = attributeNames.indexOf(name);
    if (i < 0) {
      throw new InputError([`tokens: the trace has no numeric column "${name}" (${attributeNames.length > 0 ? `it has: ${attributeNames.join(', ')}` : 'it has none'})`]);
    }
    return i;
  };
  const input = tokenSampler(desc.input, stream('tokens:input'), column, 'input');
  const output = tokenSampler(desc.output, stream('tokens:output'), column, 'output');
  const prefix = desc.prefix;
  if (prefix === null) return (attrs) => ({ inputTokens: input(attrs), outputTokens: output(attrs) });
  const groupRng = stream('tokens:prefix-group');
  return (attrs) => {
    const p = input(attrs);
    return { inputTokens: p, outputTokens: output(attrs), prefixGroup: Math.floor(groupRng() * prefix.groups), prefixTokens: Math.min(prefix.tokens, p) };
  };
}
