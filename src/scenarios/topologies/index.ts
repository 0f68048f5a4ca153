import { InputError } from '../../config/errors.ts';
import { show } from '../../config/fields.ts';
import { hasEntry } from '../../config/keys.ts';
import { batch } from './batch.ts';
import { cascade } from './cascade.ts';
import { hybrid } from './hybrid.ts';
import { realtime } from './realtime.ts';
import type { TopologyDefaults } from './topology.ts';

export type { TopologyDefaults } from './topology.ts';

/** Topology shorthands by name: adding one is a file and a line. */
export const topologyRegistry = { batch, realtime, cascade, hybrid } as const satisfies Record<string, TopologyDefaults>;
export type TopologyName = keyof typeof topologyRegistry;

/**
 * Expands `topology: <name>` in a raw scenario into explicit keys: the shorthand's
 * defaults fill every key the scenario leaves out (a scenario's own `stages`,
 * `users` or `hardware` win whole). Returns the name expanded, or undefined.
 */
export function expandTopology(raw: Record<string, unknown>, where: (path: PropertyKey[]) => string): TopologyName | undefined {
  const t = raw.topology;
  if (t === undefined) return undefined;
  const names = Object.keys(topologyRegistry);
  // Own keys only: `topology: constructor` must not find Object.prototype.constructor.
  if (!hasEntry(topologyRegistry, t)) {
    throw new InputError([`${where(['topology'])}: topology: expected one of ${names.map((n) => `"${n}"`).join(', ')}, got ${show(t)}`]);
  }
  const name = t as TopologyName;
  delete raw.topology;
  for (const [k, v] of Object.entries(topologyRegistry[name].defaults())) {
    if (raw[k] === undefined) raw[k] = v;
  }
  return name;
}
