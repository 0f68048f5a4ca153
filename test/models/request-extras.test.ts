/**
 * The request keeps what only some scenarios use in a side object made on first use
 * (src/models/request.ts): without it every field reads its default, setting a default
 * makes none (the M/M/4's requests never get one), and a set value reads back.
 */
import { describe, expect, it } from 'vitest';
import { Request } from '../../src/models/request.ts';

const extrasOf = (r: Request): unknown => (r as unknown as { ext: unknown }).ext;

describe('a request\'s extras', () => {
  it('reads the defaults without a side object, and setting a default makes none', () => {
    const r = new Request(0, 1.5, true);
    expect([r.quality, r.attrs, r.call, r.candidates, r.via, r.freshnessS, r.sub, r.waitedS, r.tokens]).toEqual([NaN, null, null, 1, null, NaN, null, 0, null]);
    r.quality = NaN;
    r.attrs = null;
    r.call = null;
    r.candidates = 1;
    r.via = null;
    r.freshnessS = NaN;
    r.sub = null;
    r.waitedS = 0;
    r.tokens = null;
    expect(extrasOf(r)).toBeNull();
  });

  it('keeps each value set, and resets to a default once made', () => {
    const r = new Request(0, 1.5, true);
    r.quality = 0.81;
    expect(extrasOf(r)).not.toBeNull();
    r.attrs = [3, 4];
    r.candidates = 2000;
    r.freshnessS = 12.5;
    r.waitedS += 0.25;
    r.waitedS += 0.5;
    expect([r.quality, r.attrs, r.candidates, r.freshnessS, r.waitedS]).toEqual([0.81, [3, 4], 2000, 12.5, 0.75]);
    r.candidates = 1;
    r.quality = NaN;
    expect([r.candidates, r.quality]).toEqual([1, NaN]);
  });
});
