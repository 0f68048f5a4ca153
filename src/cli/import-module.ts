/**
 * `import()` of a module the command line loads only when asked for: a scenario module,
 * tsx, the HTML report (which loads Vega). Every dynamic import of src/cli goes through
 * here.
 *
 * Why: the built command line is a CommonJS bundle compiled through vm.Script for its
 * code cache (src/cli/cli-loader.cjs), where an `import()` would need vm's experimental
 * dynamic-import support (a flag, or a warning on stderr). The build makes this module a
 * file of its own beside the bundle (dist/lib/import-module.cjs), loaded by Node's own
 * `require`, whose `import()` is Node's. Relative specifiers resolve from this module:
 * src/cli in the sources, dist/lib in the build.
 */

/** True when this code runs from the TypeScript sources (tsx), false from the build (dist/lib). */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** `import(specifier)`, resolved from this module's folder. */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** The HTML report's renderer (src/report/html.ts; dist/lib/report-html.mjs in the build). */
export async function importHtmlReport(): Promise<typeof import('../report/html.ts')> {
  return (await importModule(FROM_SOURCE ? '../report/html.ts' : './report-html.mjs')) as typeof import('../report/html.ts');
}
