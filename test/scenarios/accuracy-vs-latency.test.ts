import { runGolden } from '../support/golden.ts';
import { describe, expect, it } from 'vitest';

/**
 * The built-in accuracy-vs-latency scenario (the README's headline comparison): the
 * Transformer alone, logistic regression alone, and the cascade (LR keeps 100 of 2,000
 * candidates for the Transformer), at 200 requests/s against p99 < 100 ms. The claim:
 * the cascade keeps the Transformer's quality, meets the SLO the Transformer misses, with
 * a p99 nearer LR's than the Transformer's, for a fraction of the Transformer's bill.
 */

interface Est {
  mean: number;
  ci95: number | null;
}
interface Figures {
  latencyMs: { p99: Est };
  cost: { perHour: Est; perMillionRequests: Est };
  slo: { attainment: Est };
  quality: Est;
  dropRate: Est;
}
interface CompareJson {
  replications: number;
  variants: Array<{ name: string; figures: Figures }>;
}

describe('accuracy-vs-latency', () => {
  it('the cascade has the Transformer’s quality at a p99 nearer LR’s, within the SLO, for a fraction of the cost', async () => {
    const r = await runGolden('accuracy-vs-latency');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as CompareJson;
    expect(out.replications).toBe(3);
    expect(out.variants.map((v) => v.name)).toEqual(['transformer-only', 'cascade', 'lr-only']);
    const [transformer, cascade, lr] = out.variants.map((v) => v.figures) as [Figures, Figures, Figures];
    for (const f of [transformer, cascade, lr]) expect(f.dropRate.mean).toBe(0);

    // Quality is the catalog AUC of the model that ranks last (Reference: docs/catalog.md,
    // BARS Criteo_x1: AutoInt+ 0.8139, LR 0.7886). Every request ends in the same model
    // within a variant, so these are exact up to float rounding.
    expect(transformer.quality.mean).toBeCloseTo(0.8139, 6);
    expect(cascade.quality.mean).toBeCloseTo(transformer.quality.mean, 6);
    expect(lr.quality.mean).toBeCloseTo(0.7886, 6);

    // The SLO (p99 < 100 ms). The Transformer on 2,000 candidates takes 15 + 60 = 75 ms
    // per request with 20% lognormal noise, whose 99th percentile alone is about 1.55 x,
    // i.e. ~116 ms: no fleet size can meet the SLO (87.5% within 100 ms measured; the
    // 0.95 bound leaves a wide margin). The cascade (~62 ms p99) and LR (~21 ms) meet it.
    expect(transformer.slo.attainment.mean).toBeLessThan(0.95);
    expect(transformer.latencyMs.p99.mean).toBeGreaterThan(100);
    expect(cascade.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    expect(lr.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);

    // p99: LR < cascade < Transformer, and the cascade sits nearer LR's end (measured:
    // 21, 62 and 126 ms, gaps of 41 and 64 ms; across seeds each p99 moves by ~1 ms, so
    // the ordering of the two gaps cannot flip by chance).
    const [pT, pC, pL] = [transformer, cascade, lr].map((f) => f.latencyMs.p99.mean) as [number, number, number];
    expect(pL).toBeLessThan(pC);
    expect(pC).toBeLessThan(pT);
    expect(pC - pL).toBeLessThan(pT - pC);

    // Cost, by hand from the catalog prices (every variant completes the same requests):
    // Transformer alone 3 + 0 CPU and 20 GPUs = 3 x 0.1785 + 20 x 1.006 = $20.66/h;
    // cascade 3 + 2 CPUs and 3 GPUs = 5 x 0.1785 + 3 x 1.006 = $3.91/h; LR 5 CPUs = $0.89/h.
    expect(transformer.cost.perHour.mean).toBeCloseTo(3 * 0.1785 + 20 * 1.006, 6);
    expect(cascade.cost.perHour.mean).toBeCloseTo(5 * 0.1785 + 3 * 1.006, 6);
    expect(lr.cost.perHour.mean).toBeCloseTo(5 * 0.1785, 6);
    // So per million requests the cascade costs 3.91 / 20.66 = 0.19 of the Transformer.
    expect(cascade.cost.perMillionRequests.mean).toBeLessThan(0.25 * transformer.cost.perMillionRequests.mean);
    expect(lr.cost.perMillionRequests.mean).toBeLessThan(cascade.cost.perMillionRequests.mean);
  }, 60_000);
});
