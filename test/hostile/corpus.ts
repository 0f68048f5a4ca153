/**
 * The hostile-input corpus: one YAML file per input in test/hostile/cases/, each naming
 * the CLI arguments, the files the run sees, the exit code and a fragment of the message
 * it must give. `runCase` plays one in a fresh folder through the driver child process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import type { DriverReply, DriverRequest } from './driver.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
// tsx's loader by absolute URL: worker threads inherit the driver's --import and would
// otherwise resolve a bare `tsx` against the case's folder, where it is not installed.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
export const CASES_DIR = join(HERE, 'cases');

/** A generated file, for inputs too big to keep in the repository. */
export interface Generated {
  kind: keyof typeof GENERATORS;
  n: number;
}

export interface HostileCase {
  name: string;
  why: string;
  args: string[];
  exit: number;
  stderr?: string;
  stdout?: string;
  stdoutNot?: string;
  stderrNot?: string;
  timeoutMs?: number;
  files?: Record<string, string>;
  generate?: Record<string, Generated>;
}

const VALID_HEAD = 'arrivals: { process: poisson, qps: 10 }\nstop: { requests: 100 }\nstages:\n  - name: model\n    replicas: 1\n    service: { dist: exponential, mean: "10ms" }\n';

/** Generators of big inputs, by name. */
export const GENERATORS = {
  /** A valid scenario followed by n unknown top-level keys (`unknownKey0: 0`, ...). */
  'unknown-keys': (n: number) => VALID_HEAD + Array.from({ length: n }, (_, i) => `unknownKey${i}: ${i}\n`).join(''),
  /** A YAML "billion laughs": n levels, each a list of ten aliases of the level below. */
  'alias-bomb': (n: number) => {
    let s = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i <= n; i++) s += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]\n`;
    return s;
  },
  /** A scenario whose name is one line of n characters. */
  'long-line': (n: number) => `name: "${'x'.repeat(n)}"\n${VALID_HEAD}`,
  /** n levels of nested flow sequences as a field's value. */
  'deep-nesting': (n: number) => `${VALID_HEAD}extra: ${'['.repeat(n)}${']'.repeat(n)}\n`,
  /** A JSON scenario whose one field is n nested lists. */
  'deep-json': (n: number) => `{"x": ${'['.repeat(n)}${']'.repeat(n)}}`,
  /** A trace with n rows one millisecond apart. */
  'trace-rows': (n: number) => `time\n${Array.from({ length: n }, (_, i) => (i / 1000).toFixed(3)).join('\n')}\n`,
} as const satisfies Record<string, (n: number) => string>;

export function loadCases(): HostileCase[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.yaml'.length), ...(parse(readFileSync(join(CASES_DIR, f), 'utf8')) as Omit<HostileCase, 'name'>) }));
}

/** Paths the command line names as outputs: the only files a run may leave behind. */
export function namedOutputs(args: readonly string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    for (const flag of ['--out', '--report', '--csv']) {
      if (a === flag && args[i + 1] !== undefined) out.push(args[i + 1]!);
      else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
    }
  });
  return out;
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? [relative(base, p) + '/', ...listFiles(p, base)] : [relative(base, p)];
  });
}

export interface CaseOutcome {
  code: number | 'timeout' | 'crash';
  stdout: string;
  stderr: string;
  ms: number;
  polluted: string[];
  /** Files left in the case's folder that neither the case nor the command line named. */
  stray: string[];
}

/**
 * One child process at a time runs the cases; a case that times out or kills it gets
 * a fresh one for the next case.
 */
export class Driver {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private seq = 0;

  private start(): Promise<void> {
    const child = fork(join(HERE, 'driver.ts'), [], {
      execArgv: ['--import', TSX, '--max-old-space-size=1024'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, SERVESIM_DEBUG: '' },
    });
    // Output the driver itself prints (not a case's) is drained so the pipe never fills.
    child.stdout?.resume();
    child.stderr?.resume();
    this.child = child;
    this.ready = new Promise((res, rej) => {
      child.once('message', () => res());
      child.once('exit', (c) => rej(new Error(`hostile driver exited at start (${c})`)));
    });
    return this.ready;
  }

  async run(dir: string, args: string[], timeoutMs: number): Promise<Omit<CaseOutcome, 'stray'>> {
    if (this.child === undefined || this.child.exitCode !== null) await this.start();
    else await this.ready;
    const child = this.child!;
    const id = ++this.seq;
    const t0 = performance.now();
    return new Promise((res) => {
      const done = (o: Omit<CaseOutcome, 'stray'>) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        res(o);
      };
      const onMessage = (m: DriverReply) => {
        if (m.id === id) done({ code: m.code, stdout: m.stdout, stderr: m.stderr, ms: m.ms, polluted: m.polluted });
      };
      const onExit = (c: number | null, sig: string | null) =>
        done({ code: 'crash', stdout: '', stderr: `driver died (${sig ?? c})`, ms: performance.now() - t0, polluted: [] });
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = undefined;
        done({ code: 'timeout', stdout: '', stderr: '', ms: performance.now() - t0, polluted: [] });
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      const req: DriverRequest = { id, dir, args };
      child.send(req);
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

/** Writes a case's files into a fresh folder, runs it, lists what it left behind, removes the folder. */
export async function runCase(driver: Driver, c: HostileCase): Promise<CaseOutcome> {
  const dir = mkdtempSync(join(tmpdir(), `servesim-hostile-${c.name}-`));
  try {
    const written = new Set<string>();
    for (const [name, text] of Object.entries(c.files ?? {})) {
      // A name may hold folders (`a/s.yaml`): they are the case's too.
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
      written.add(name);
      for (let d = dirname(name); d !== '.'; d = dirname(d)) written.add(`${d}/`);
    }
    for (const [name, g] of Object.entries(c.generate ?? {})) {
      writeFileSync(join(dir, name), GENERATORS[g.kind](g.n));
      written.add(name);
    }
    const outcome = await driver.run(dir, c.args, c.timeoutMs ?? 5000);
    const allowed = namedOutputs(c.args).map((p) => relative(dir, resolve(dir, p)));
    const stray = listFiles(dir).filter((f) => !written.has(f) && !allowed.some((a) => f === a || f === `${a}/` || f.startsWith(`${a}/`)));
    return { ...outcome, stray };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
