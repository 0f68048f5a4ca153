import type { Distribution } from './distribution.ts';

/** A constant: every sample is `value`; draws nothing from its source. */
export function deterministic(value: number): Distribution {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`deterministic value must be finite and >= 0, got ${value}`);
  return { kind: 'deterministic', mean: value, variance: 0, source: () => () => value, lst: (s) => Math.exp(-s * value) };
}
