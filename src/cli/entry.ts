/**
 * The command line's entry: the stdout guard and `main` (in the build, exported by the
 * bundle's entry, `bundle.ts`, which `bin/servesim.mjs` loads through `cli-loader.cjs`).
 * `servesim --version` and `servesim list` (with nothing else on the line) answer here;
 * every other command line loads the CLI (`main.ts`), and with it the simulator, the
 * scenario schema and the report code.
 *
 * PERF: loading them is most of a start (about 0.1 s of the 0.2 s, bench/README.md,
 * "Start-up"); `--version` and `list` need none of it.
 */
import { shownText } from '../config/shown.ts';
import { listText } from './builtins.ts';
import { VERSION } from './version.ts';
// A type only: erased, so this loads nothing of main.ts.
import type { Io } from './main.ts';

export { guardStdio } from './stdio.ts';

/** Runs the CLI (`main.ts`'s `main`) and returns its exit code. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  const out = io?.out ?? ((t: string) => process.stdout.write(t));
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    out(`${VERSION}\n`);
    return 0;
  }
  if (argv.length === 1 && argv[0] === 'list') {
    let text: string | undefined;
    try {
      text = listText();
    } catch {
      // A problem (no scenarios folder) is the CLI's to report, as for any command.
    }
    if (text !== undefined) {
      out(shownText(text));
      return 0;
    }
  }
  const cli = await import('./main.ts');
  return io === undefined ? cli.main(argv) : cli.main(argv, io);
}
