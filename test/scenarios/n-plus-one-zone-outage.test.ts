import { describe, expect, it } from 'vitest';
import { runGolden } from '../support/golden.ts';

/** A figure of `compare --json`: the mean over replications and its 95% half-width. */
interface Est {
  mean: number;
  ci95: number;
}
interface Figures {
  slo: { attainment: Est };
  cost: { perHour: Est };
  measuredS: Est;
  stages: { ranker: { faults?: { availability: Est; lostToFailures: Est; timeInIncidentS: Est; outages: Est } } };
}

/**
 * The deep ranker (20 ms on a c7i.xlarge, 50 requests/s a replica) at 300 requests/s;
 * at 20 minutes a zone (⌈25 % × replicas⌉ replicas) goes down for 15 minutes. Three
 * replications of an hour (55 minutes measured, about a million requests each) on
 * common random numbers.
 */
describe('scenario n-plus-one-zone-outage', () => {
  it('N meets the SLO with every zone up; N+1 and N+2 do not survive the outage, N+3 does', async () => {
    const r = await runGolden('n-plus-one-zone-outage');
    const out = JSON.parse(r.stdout) as { replications: number; variants: Array<{ name: string; figures: Figures }> };
    expect(out.replications).toBe(3);
    const v = new Map(out.variants.map((x) => [x.name, x.figures]));
    const base = v.get('base')!;
    const plus1 = v.get('n-plus-1')!;
    const plus2 = v.get('n-plus-2')!;
    const plus3 = v.get('n-plus-3')!;
    const none = v.get('no-outage')!;

    // Seven replicas at 86 % busy meet "p99 < 100ms" (observed 99.98 % ± 0.03 % in time).
    expect(none.slo.attainment.mean - none.slo.attainment.ci95).toBeGreaterThan(0.99);
    // The outage leaves 5 of 7 (250 requests/s for 300): the 15 minutes' excess, 45,000
    // requests, waits up to 3 minutes, and it drains as slowly (50 requests/s of spare
    // capacity once the zone is back), so about half the measured hour misses 100 ms
    // (observed 45 % ± 1.3 % in time).
    expect(base.slo.attainment.mean).toBeLessThan(0.6);
    // 8 and 9 replicas both keep 6 (a zone is ⌈2⌉ and ⌈2.25⌉ = 3): exactly saturated for
    // 15 minutes, the queue wanders like a random walk; observed 74.7 % ± 2 % in time for
    // both, and the same 6 replicas on the same arrivals give the same attainment.
    expect(plus1.slo.attainment.mean).toBeLessThan(0.9);
    expect(plus2.slo.attainment.mean).toBeLessThan(0.9);
    expect(Math.abs(plus1.slo.attainment.mean - plus2.slo.attainment.mean)).toBeLessThan(plus1.slo.attainment.ci95 + plus2.slo.attainment.ci95);
    // 10 keep 7 through the outage, 86 % busy as in the no-outage case (observed 99.99 %).
    expect(plus3.slo.attainment.mean - plus3.slo.attainment.ci95).toBeGreaterThan(0.99);
  });

  it('the spares cost their replicas (a down replica is still billed), and the outage is where it was put', async () => {
    const r = await runGolden('n-plus-one-zone-outage');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = new Map(out.variants.map((x) => [x.name, x.figures]));
    const base = v.get('base')!;
    const plus3 = v.get('n-plus-3')!;
    // Reference: 10/7 of the bill, whatever the outage did (c7i.xlarge at $0.1785 an hour).
    expect(plus3.cost.perHour.mean / base.cost.perHour.mean).toBeCloseTo(10 / 7, 9);
    expect(base.cost.perHour.mean).toBeCloseTo(7 * 0.1785, 9);
    expect(v.get('no-outage')!.cost.perHour.mean).toBeCloseTo(base.cost.perHour.mean, 9);
    // A zone of ten is 3 replicas down for 900 s of the measured span.
    const f = plus3.stages.ranker.faults!;
    expect(f.outages.mean).toBe(1);
    expect(f.timeInIncidentS.mean).toBe(900);
    expect(f.availability.mean).toBeCloseTo(1 - (3 * 900) / (10 * plus3.measuredS.mean), 6);
    // Of base: a zone of seven is 2 replicas.
    expect(base.stages.ranker.faults!.availability.mean).toBeCloseTo(1 - (2 * 900) / (7 * base.measuredS.mean), 6);
    // The replicas that go down were serving about their share of the work in flight.
    expect(f.lostToFailures.mean).toBeGreaterThan(0);
    expect(v.get('no-outage')!.stages.ranker.faults).toBeUndefined();
  });
});
