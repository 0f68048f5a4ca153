import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { FROM_SOURCE, importModule } from './import-module.ts';

/**
 * True in the command line's bundle (dist/lib/cli.cjs): a scenario's `servesim` is then
 * that bundle's own library (self.mjs re-exports it), not dist/lib/index.mjs, a second
 * copy whose registries the command line would never read.
 */
const IN_CLI_BUNDLE = import.meta.url.endsWith('.cjs');

/** The running servesim's own entry points, by the specifiers a scenario imports them with. */
function selfEntries(): Record<string, string> {
  const at = (src: string, built: string, inCli: string) => new URL(FROM_SOURCE ? src : IN_CLI_BUNDLE ? inCli : built, import.meta.url).href;
  return {
    servesim: at('../index.ts', './index.mjs', './self.mjs'),
    'servesim/engine': at('../engine/index.ts', './engine.mjs', './self-engine.mjs'),
  };
}

let hooked = false;

/**
 * Teaches this process to import scenario modules, once: TypeScript through tsx when
 * the build is running (from the sources, bin has registered it already), and `servesim`
 * imports resolved to this very servesim (load-scenario-hooks.mjs).
 */
async function installHooks(): Promise<void> {
  if (hooked) return;
  hooked = true;
  if (!FROM_SOURCE) {
    let tsx: { register: () => unknown };
    try {
      tsx = (await importModule('tsx/esm/api')) as { register: () => unknown };
    } catch {
      throw new Error('TypeScript scenarios need the package tsx, which servesim depends on; reinstall servesim (npm install servesim)');
    }
    tsx.register();
  }
  register(new URL('./load-scenario-hooks.mjs', import.meta.url), { data: { self: selfEntries() } });
}

/**
 * Imports a scenario module (`.ts`, `.mts`, `.js`, `.mjs`) and returns its namespace. A
 * `.ts` file loads as an ES module whether its project is ESM or CommonJS.
 */
export async function importScenarioModule(file: string): Promise<{ default?: unknown }> {
  await installHooks();
  return (await importModule(pathToFileURL(file).href)) as { default?: unknown };
}
