/**
 * A problem with the user's input (scenario file, flag, path). The CLI prints each
 * problem on its own line and exits with code 2, without a stack trace.
 */
export class InputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'InputError';
  }
}

/** Renders a validation path the way a user writes it: `stages[1].service.mean`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}
