import { describe, expect, it } from 'vitest';
import { atPointer, regenerateValues } from '../../scripts/docs.ts';

// A small, fast command: 1,900 requests of the M/M/4 scenario.
const CMD = 'run mm4 --set stop.requests=2000 --set warmup.requests=100';
const value = (pointer: string, format: string, shown: string) => `<!-- servesim-value: ${CMD} | ${pointer} | ${format} -->${shown}<!-- /servesim-value -->`;

describe('figures quoted in a document (servesim-value)', () => {
  it('rewrites a stale figure with the one the command prints now, and leaves a fresh one alone', async () => {
    // Reference: `servesim run mm4 --set stop.requests=2000 --set warmup.requests=100 --json`
    // gives requests.completed 1900 (stop minus warm-up) and throughputRps 3.24….
    const stale = `It answers ${value('/requests/completed', 'int', '463')} requests at ${value('/throughputRps', '3', '222')} per second.`;
    const fresh = await regenerateValues(stale);
    expect(fresh).toBe(`It answers ${value('/requests/completed', 'int', '1,900')} requests at ${value('/throughputRps', '3', '3.24')} per second.`);
    expect(await regenerateValues(fresh)).toBe(fresh);
  }, 30_000);

  it('refuses a pointer to no number and an unknown format, naming the comment', async () => {
    await expect(regenerateValues(value('/latencyMs/p98', 'ms', '1'))).rejects.toThrow(/no number at \/latencyMs\/p98/);
    await expect(regenerateValues(value('/latencyMs/p99', 'seconds', '1'))).rejects.toThrow(/unknown format "seconds"/);
  }, 30_000);

  it('reads JSON Pointers with their escapes (RFC 6901)', () => {
    const doc = { best: { assignment: { 'stages.ranker.replicas': 467, 'a/b': 1, 'c~d': 2 } }, list: [5, 6] };
    expect(atPointer(doc, '/best/assignment/stages.ranker.replicas')).toBe(467);
    expect(atPointer(doc, '/best/assignment/a~1b')).toBe(1);
    expect(atPointer(doc, '/best/assignment/c~0d')).toBe(2);
    expect(atPointer(doc, '/list/1')).toBe(6);
    expect(atPointer(doc, '/best/constructor')).toBeUndefined();
  });
});
