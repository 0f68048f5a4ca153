// Module hooks (node:module register) for TypeScript/JavaScript scenario files, installed
// by module-scenario.ts when a scenario module is first loaded. Plain JavaScript: they run
// on Node's hooks thread, before the TypeScript loader (tsx) registered ahead of them.
//  - A bare `servesim` or `servesim/engine` import means the servesim that is running,
//    wherever the scenario's folder is and whatever is (or is not) installed there: so
//    `defineScenario` always resolves, and a plug-in a scenario registers lands in the
//    registries this process runs with.
//  - A `.ts` file is an ES module even in a CommonJS project (no "type": "module"): a
//    scenario is written with `export default`, and Node cannot require() an ES module
//    that is itself being imported ("Cannot require() ES Module ... in a cycle").
/** @type {Record<string, string>} */
let self = {};

/** @param {{ self: Record<string, string> }} data */
export function initialize(data) {
  self = data.self;
}

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  // Passed on as a file URL, so the TypeScript loader after this one still sees it.
  const r = await next(Object.hasOwn(self, specifier) ? self[specifier] : specifier, context);
  if (r.format === 'commonjs' && /\.tsx?$/.test(new URL(r.url).pathname)) return { ...r, format: 'module' };
  return r;
}
