/**
 * Every figure of a stage's result has one owner: a stage collector
 * (src/models/metrics/stage-*.ts, listed in stage-collectors.ts), or, for what is not
 * measured, the stage's own catalog keys (`model`, `hardware`, `quality`). Checked on
 * every stage of every golden (single runs, and each variant's estimates).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stageCollectors } from '../../src/models/metrics/stage-collectors.ts';

/** Keys the system writes for a stage itself: what it runs, from the catalogs, not measured. */
const OWN_KEYS = ['model', 'hardware', 'quality'];

/** Each golden stage object: a run's `stages.<name>`, or a variant's estimate tree of it. */
function goldenStages(): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const f of readdirSync('test/golden').filter((x) => x.endsWith('.json'))) {
    const g = JSON.parse(readFileSync(`test/golden/${f}`, 'utf8')) as Record<string, unknown>;
    // A run; a comparison's variants (figures); a sweep's variants (points, each with figures).
    type Variant = { figures?: Record<string, unknown>; points?: Array<{ figures?: Record<string, unknown> }> };
    const variants = (g['variants'] as Variant[] | undefined) ?? [];
    const trees = 'scenario' in g ? [g] : variants.flatMap((v) => [v.figures, ...(v.points ?? []).map((p) => p.figures)]).filter((t) => t !== undefined);
    for (const t of trees) for (const [name, st] of Object.entries((t['stages'] as Record<string, Record<string, unknown>> | undefined) ?? {})) out.push([`${f} ${name}`, st]);
  }
  return out;
}

describe('stage collectors', () => {
  it('own every measured key of a stage, each key once', () => {
    const owned = stageCollectors.flatMap((c) => c.keys as string[]);
    expect(new Set(owned).size).toBe(owned.length);
    const stages = goldenStages();
    expect(stages.length).toBeGreaterThan(20);
    for (const [where, st] of stages) {
      for (const key of Object.keys(st)) expect(owned.includes(key) || OWN_KEYS.includes(key), `${where}: ${key}`).toBe(true);
    }
  });
});
