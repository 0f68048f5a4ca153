import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_FILES, regenerate } from '../../scripts/docs.ts';

/**
 * Every command output shown in the documentation is produced by `npm run docs`; this
 * fails when the code no longer prints what a document shows (run `npm run docs` and
 * review the diff).
 */
describe('documentation examples are what the code prints now', () => {
  for (const f of DOC_FILES) {
    it(f, async () => {
      const text = readFileSync(f, 'utf8');
      expect(text).toContain('<!-- servesim:');
      const fresh = await regenerate(text);
      expect(fresh, `${f} is stale: run npm run docs`).toBe(text);
    }, 120_000);
  }
});
