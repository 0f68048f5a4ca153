import { afterAll, describe, expect, it } from 'vitest';
import { Driver, loadCases, runCase } from './corpus.ts';

/**
 * Every hostile or broken input in test/hostile/cases/ gets the answer its file
 * names: the exit code (2 for bad input, 0 for unusual-but-valid), a fragment of the
 * message, no stack trace and no "internal error", within its time bound (5 s unless the
 * case says otherwise), with no prototype polluted and no file left behind that the
 * command line did not name.
 */
const driver = new Driver();
afterAll(() => driver.close());

describe('hostile input gets a clear no', () => {
  for (const c of loadCases()) {
    it(`${c.name}: ${c.why}`, async () => {
      const o = await runCase(driver, c);
      const shown = `exit ${o.code} in ${Math.round(o.ms)} ms\n--- stderr\n${o.stderr.slice(0, 2000)}\n--- stdout\n${o.stdout.slice(0, 500)}`;
      expect(o.code, shown).toBe(c.exit);
      if (c.stderr !== undefined) expect(o.stderr.toLowerCase(), shown).toContain(c.stderr.toLowerCase());
      if (c.stdout !== undefined) expect(o.stdout.toLowerCase(), shown).toContain(c.stdout.toLowerCase());
      if (c.stdoutNot !== undefined) expect(o.stdout, shown).not.toContain(c.stdoutNot);
      if (c.stderrNot !== undefined) expect(o.stderr, shown).not.toContain(c.stderrNot);
      expect(o.stderr, shown).not.toMatch(/^\s+at /m);
      expect(o.stderr, shown).not.toContain('internal error');
      expect(o.polluted, 'keys added to Object.prototype').toEqual([]);
      expect(o.stray, 'files left behind that the command line did not name').toEqual([]);
    }, 30_000);
  }
});
