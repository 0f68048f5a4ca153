/**
 * `servesim --version` and `servesim list` answer from the CLI's entry without loading the
 * simulator (`src/cli/entry.ts`); they must print what the full command line prints, and
 * every other command line must reach it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/version.ts';
import { main as entryMain } from '../../src/cli/entry.ts';
import { main as fullMain } from '../../src/cli/main.ts';

async function capture(run: (argv: string[], io: { out: (t: string) => void; err: (t: string) => void }) => Promise<number>, argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('the CLI entry', () => {
  it('prints the version package.json gives', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  for (const argv of [['--version'], ['-V'], ['list']]) {
    it(`answers ${argv.join(' ')} as the full command line does`, async () => {
      const fast = await capture(entryMain, argv);
      const full = await capture(fullMain, argv);
      expect(fast).toEqual(full);
      expect(fast.code).toBe(0);
      expect(fast.out.length).toBeGreaterThan(4);
    });
  }

  for (const argv of [['list', '--json'], ['--version', 'list'], ['--help'], ['nosuch']]) {
    it(`passes ${argv.join(' ')} to the full command line`, async () => {
      expect(await capture(entryMain, argv)).toEqual(await capture(fullMain, argv));
    });
  }
});
