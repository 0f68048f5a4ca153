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
 * binary). A figure quoted in a sentence is a value:
 *
 *   finds <!-- servesim-value: plan x --qps 10000 ... | /best/assignment/stages.ranker.replicas | int -->467<!-- /servesim-value --> replicas
 *
 * filled from the command's `--json` output (--json is added; one run per command per
 * file) at a JSON Pointer (RFC 6901), written in one of the FORMATS of
 * src/report/placeholders.ts. Rendered Markdown shows only the number. `npm run docs -- --check` (and test/docs/docs.test.ts) fails instead of
 * writing when a file would change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';
import { FORMATS } from '../src/report/placeholders.ts';

/** Files whose blocks are generated. */
export const DOC_FILES = ['README.md', 'docs/capacity-planning.md', 'docs/llm-scenarios.md'];

const BLOCK = /<!-- servesim: (.+?) -->\n```[^\n]*\n[\s\S]*?```\n<!-- \/servesim -->/g;

const VALUE = /<!-- servesim-value: (.+?) -->([\s\S]*?)<!-- \/servesim-value -->/g;

/** The value at a JSON Pointer (RFC 6901: /a/b, ~1 for "/", ~0 for "~"), or undefined. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
  }
  return cur;
}

/** The figure a value comment asks for, written in its format; throws (naming the comment) on a bad one. */
async function valueText(spec: string, json: (cmd: string) => Promise<unknown>): Promise<string> {
  const parts = spec.split(' | ');
  const format = parts.pop()!.trim();
  const pointer = parts.pop()?.trim();
  const cmd = parts.join(' | ').trim();
  if (pointer === undefined || cmd === '') throw new Error(`servesim-value "${spec}": write <command> | <json pointer> | <format>`);
  if (!Object.hasOwn(FORMATS, format)) throw new Error(`servesim-value "${spec}": unknown format "${format}"; one of ${Object.keys(FORMATS).join(', ')}`);
  const x = atPointer(await json(cmd), pointer);
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`servesim-value "${spec}": the --json output has no number at ${pointer}`);
  return FORMATS[format as keyof typeof FORMATS](x);
}

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

/** The text of a file with every block and every value regenerated. */
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
  return regenerateValues(out + text.slice(last));
}

/** The text with every `servesim-value` refilled; each command runs once (with --json). */
export async function regenerateValues(text: string): Promise<string> {
  const runs = new Map<string, Promise<unknown>>();
  const json = (cmd: string) => {
    const line = / --json\b/.test(` ${cmd}`) ? cmd : `${cmd} --json`;
    if (!runs.has(line)) runs.set(line, runCommand(line).then((t) => JSON.parse(t) as unknown));
    return runs.get(line)!;
  };
  let out = '';
  let last = 0;
  for (const v of text.matchAll(VALUE)) {
    const spec = v[1]!.trim();
    out += `${text.slice(last, v.index)}<!-- servesim-value: ${spec} -->${await valueText(spec, json)}<!-- /servesim-value -->`;
    last = v.index! + v[0].length;
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
    if (check) process.stderr.write(`${f}: its command outputs or quoted figures are out of date; run npm run docs\n`);
    else {
      writeFileSync(path, after);
      process.stderr.write(`${f}: regenerated\n`);
    }
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
}
