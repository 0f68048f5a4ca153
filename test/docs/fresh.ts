import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { regenerate } from '../../scripts/docs.ts';

/**
 * Every command output shown in a document is produced by `npm run docs`; these tests
 * fail when the code no longer prints what a document shows (run `npm run docs` and
 * review the diff). One file per document, so the two run in parallel.
 */
export async function expectFresh(file: string): Promise<void> {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('<!-- servesim:');
  const fresh = await regenerate(text);
  expect(fresh, `${file} is stale: run npm run docs`).toBe(text);
}
