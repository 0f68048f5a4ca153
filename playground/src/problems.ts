/**
 * Problems as the CLI words them (`file:line:col: path: message`), placed on their line and
 * column for the editor. Pure: no DOM.
 */

/** A problem as the CLI words it, and where it points (1-based), when it has a position. */
export interface Problem {
  /** The CLI's line, e.g. `pasted.yaml:4:36: arrivals.qps: must be greater than 0, got -3`. */
  text: string;
  line?: number;
  col?: number;
  /** The text without its `file:line:col: ` prefix. */
  message: string;
}

/** Reads the `name:line:col: ` prefix of a CLI problem line for a source called `name`. */
export function locateProblem(name: string, text: string): Problem {
  const rest = text.startsWith(`${name}:`) ? text.slice(name.length + 1) : null;
  const m = rest === null ? null : /^(\d+):(\d+): ([\s\S]*)$/.exec(rest);
  if (m) return { text, line: Number(m[1]), col: Number(m[2]), message: m[3]! };
  return { text, message: rest !== null ? rest.replace(/^ /, '') : text };
}
