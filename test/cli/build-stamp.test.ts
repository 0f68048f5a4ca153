/**
 * The checkout's rule for a fresh build (bin/build-stamp.mjs), which decides whether
 * `servesim` in a checkout runs the build or the sources, and which the benchmarks apply
 * before timing the build: a stale build must never be run or timed as if it were current.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIsFresh } from '../../bin/build-stamp.mjs';

/** A checkout-shaped folder: src/a.ts and src/deep/b.ts, and a build stamp unless `stamp` is false. Times in seconds since 1970. */
function checkout(stamp: number | false, a: number, b: number): string {
  const root = `${mkdtempSync(join(tmpdir(), 'servesim-stamp-'))}/`;
  mkdirSync(`${root}src/deep`, { recursive: true });
  mkdirSync(`${root}dist`);
  writeFileSync(`${root}src/a.ts`, '');
  writeFileSync(`${root}src/deep/b.ts`, '');
  utimesSync(`${root}src/a.ts`, a, a);
  utimesSync(`${root}src/deep/b.ts`, b, b);
  if (stamp !== false) {
    writeFileSync(`${root}dist/.built`, '');
    utimesSync(`${root}dist/.built`, stamp, stamp);
  }
  return root;
}

describe('bin/build-stamp.mjs', () => {
  it('calls a build fresh when no file of src/ is newer than its stamp', () => {
    expect(buildIsFresh(checkout(2000, 1000, 1500))).toBe(true);
  });

  it('calls it stale when any file, at any depth, is newer', () => {
    expect(buildIsFresh(checkout(2000, 2500, 1000))).toBe(false);
    expect(buildIsFresh(checkout(2000, 1000, 2500))).toBe(false);
  });

  it('calls it stale without a stamp (a build that never finished)', () => {
    expect(buildIsFresh(checkout(false, 1000, 1000))).toBe(false);
  });
});
