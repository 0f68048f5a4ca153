/** A topology shorthand: plain-words description and the scenario keys it fills in. */
export interface TopologyDefaults {
  description: string;
  /** Keys the shorthand provides (a fresh object each call); the scenario's own keys win. */
  defaults: () => Record<string, unknown>;
}
