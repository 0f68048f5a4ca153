/**
 * Cache partitions (issue 17): `cache: { capacity, partitions: { by: class, sizes: {
 * interactive: 0.7, batch: 0.3 } } }` splits a stage's cache into one cache per request
 * class, each holding its share of the capacity under the same policy and TTL. A tenant
 * is a class here: a class may bring its own user population (`classes[].users`), the
 * key stream its partition sees. The file keys, the whole-file checks, and the split of
 * the capacity into whole entries.
 */
import * as z from 'zod';
import { show } from './fields.ts';

/** What a cache is partitioned by: request classes (a tenant is a class). */
export const PARTITION_BY = ['class'] as const;

/** `partitions: { by: class, sizes: { <class>: share, ... } }`. */
export const partitionsSpec = z.strictObject({
  by: z.enum(PARTITION_BY, { error: (iss) => `expected "class" (one partition per request class; a tenant is a class), got ${show(iss.input)}` }),
  sizes: z.record(
    z.string(),
    z
      .number({ error: (iss) => `expected a share of the capacity in (0, 1], e.g. 0.3, got ${show(iss.input)}` })
      .refine((v) => Number.isFinite(v) && v > 0 && v <= 1, { error: (iss) => `a partition's size is a share of the capacity in (0, 1], got ${show(iss.input)}` }),
  ),
});
export type PartitionsSpec = z.output<typeof partitionsSpec>;

/** Sizes are read to this precision (0.7 + 0.2 + 0.1 is 1 in decimal, not in binary). */
const SIZE_EPS = 1e-9;

/**
 * Splits `capacity` entries by `shares` (summing to 1) into whole entries that sum to
 * `capacity` exactly: each gets ⌊share·capacity⌋, and the entries left go one each to
 * the largest remainders, the earlier partition on a tie (Hamilton's method).
 */
export function splitCapacity(capacity: number, shares: readonly number[]): number[] {
  const exact = shares.map((s) => s * capacity);
  // 0.7 × 1000 is 699.999… in binary: read within SIZE_EPS (the floors still sum to at most `capacity`).
  const out = exact.map((x) => Math.floor(x + SIZE_EPS));
  let left = capacity - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - out[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k]![1]]!++;
  return out;
}

/** What the whole-file check reads of a scenario. */
interface PartitionsView {
  classes?: Array<{ name: string }> | undefined;
  stages: Array<{ name: string; classes?: string[] | undefined; cache?: { capacity: number; partitions?: PartitionsSpec | undefined } | undefined }>;
}

/**
 * Partitions name the classes the stage serves, each once, with sizes summing to 1, and
 * every partition gets at least one entry of the capacity.
 */
export function checkCachePartitions(s: PartitionsView, ctx: z.RefinementCtx): void {
  s.stages.forEach((st, i) => {
    const p = st.cache?.partitions;
    if (p === undefined) return;
    const at = (...rest: Array<string | number>) => ['stages', i, 'cache', 'partitions', ...rest];
    if (s.classes === undefined) {
      ctx.addIssue({ code: 'custom', path: at('by'), message: 'partitions by class need request classes: declare `classes` (a tenant is a class), or leave partitions out' });
      return;
    }
    const served = st.classes ?? s.classes.map((c) => c.name);
    const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
    const named = Object.keys(p.sizes);
    for (const name of named) {
      if (!served.includes(name)) {
        const known = s.classes.some((c) => c.name === name);
        ctx.addIssue({ code: 'custom', path: at('sizes', name), message: known ? `class "${name}" does not reach stage "${st.name}" (it serves ${quoted(served)})` : `unknown class "${name}": the classes are ${quoted(s.classes.map((c) => c.name))}` });
      }
    }
    const missing = served.filter((n) => !named.includes(n));
    if (missing.length > 0) ctx.addIssue({ code: 'custom', path: at('sizes'), message: `every class the stage serves needs a partition: give a size for ${quoted(missing)}` });
    const sum = named.reduce((a, n) => a + p.sizes[n]!, 0);
    if (Math.abs(sum - 1) > SIZE_EPS) {
      ctx.addIssue({ code: 'custom', path: at('sizes'), message: `the partitions' sizes are shares of the capacity and must sum to 1, got ${+sum.toPrecision(6)} (${named.map((n) => `${n} ${p.sizes[n]}`).join(' + ')})` });
      return;
    }
    if (missing.length > 0 || named.some((n) => !served.includes(n))) return;
    const split = splitCapacity(st.cache!.capacity, named.map((n) => p.sizes[n]!));
    named.forEach((n, k) => {
      if (split[k] === 0) ctx.addIssue({ code: 'custom', path: at('sizes', n), message: `partition "${n}" gets no entry of the cache's ${st.cache!.capacity} (${p.sizes[n]} of it): raise its size or the capacity` });
    });
  });
}
