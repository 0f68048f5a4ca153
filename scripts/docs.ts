/**
 * `npm run docs`: regenerates every command output shown in the documentation, so no
 * example can go stale. A block in a Markdown file looks like
 *
 *   <!-- servesim: run cpu-vs-gpu -->
 *   ```
 *   $ npx servesim run cpu-vs-gpu
 *   ...whatever the command prints...
 *   ```
 *   <!-- /servesim -->
 *
 * and is rewritten with the command's real output (run in-process, same code as the
 * binary). `npm run docs -- --check` (and test/docs/docs.test.ts) fails instead of
 * writing when a file would change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';

/** Files whose blocks are generated. */
export const DOC_FILES = ['README.md', 'docs/capacity-planning.md'];

const BLOCK = /<!-- servesim: (.+?) -->\n```[^\n]*\n[\s\S]*?```\n<!-- \/servesim -->/g;

/** Splits a command line into words (double quotes group words). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

/** A command line as a reader would type it in a shell: words with shell-special characters quoted. */
function shellLine(line: string): string {
  return words(line)
    .map((w) => (/[\s<>|&;()*?$'"`\\]/.test(w) ? `"${w.replace(/(["\\$`])/g, '\\$1')}"` : w))
    .join(' ');
}

/** Runs one servesim command in-process and returns what it printed (stdout, then stderr). */
export async function runCommand(line: string): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(words(line), { out: (t) => (out += t), err: (t) => (err += t) });
  const text = `${out}${err}`.replace(/\s+$/, '');
  if (code !== 0 && !line.includes('broken')) throw new Error(`"servesim ${line}" exited with ${code}:\n${text}`);
  return text;
}

/** The text of a file with every block regenerated. */
export async function regenerate(text: string): Promise<string> {
  const blocks = [...text.matchAll(BLOCK)];
  let out = '';
  let last = 0;
  for (const b of blocks) {
    const cmd = b[1]!.trim();
    const output = await runCommand(cmd);
    out += text.slice(last, b.index);
    out += `<!-- servesim: ${cmd} -->\n\`\`\`\n$ npx servesim ${shellLine(cmd)}\n${output}\n\`\`\`\n<!-- /servesim -->`;
    last = b.index! + b[0].length;
  }
  return out + text.slice(last);
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const check = process.argv.includes('--check');
  const root = fileURLToPath(new URL('..', import.meta.url));
  let stale = 0;
  for (const f of DOC_FILES) {
    const path = `${root}${f}`;
    const before = readFileSync(path, 'utf8');
    const after = await regenerate(before);
    if (after === before) continue;
    stale++;
    if (check) process.stderr.write(`${f}: its command outputs are out of date; run npm run docs\n`);
    else {
      writeFileSync(path, after);
      process.stderr.write(`${f}: regenerated\n`);
    }
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
}
