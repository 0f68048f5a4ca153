import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Module specifiers a file imports or re-exports (static and dynamic). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

describe('resolve, then build', () => {
  it('no file in src/models imports the file schema (src/config/schema.ts): models are built from the resolved description', () => {
    const files = tsFiles('src/models');
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => /(^|\/)config\/schema(\.ts)?$/.test(s)));
    expect(offenders.map((f) => relative('.', f))).toEqual([]);
  });

  it('the check sees an import of the schema when there is one', () => {
    expect(specifiers(`import type { Scenario } from '../config/schema.ts';`)).toEqual(['../config/schema.ts']);
    expect(specifiers(`export { x } from "../../config/schema.ts"`)).toEqual(['../../config/schema.ts']);
  });
});
