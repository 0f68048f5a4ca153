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

/** Runs `fn`, prefixing the problems of an InputError it throws with `context` when given. */
export function withContext<T>(context: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError && context !== undefined) throw new InputError(err.problems.map((p) => `${context}: ${p}`));
    throw err;
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
